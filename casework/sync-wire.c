/*
 * sync-wire.c: framing and payload encoding of the sync exchange (see sync-wire.h).
 */
#include "sync-wire.h"

#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "errors.h"

int wire_send(sync_wire *w, int type, const void *payload, size_t len, char *err, size_t errlen)
{
    unsigned char head[5];

    if (len > SYNC_FRAME_MAX)
        return err_set(err, errlen, ERR_LIMIT, "a message to send is too large");
    head[0] = (unsigned char)type;
    bytes_store32_le(head + 1, (uint32_t)len);
    if (fwrite(head, 1, sizeof head, w->out) != sizeof head || (len > 0 && fwrite(payload, 1, len, w->out) != len))
        return err_set(err, errlen, ERR_IO, "the connection closed while sending");
    return 0;
}

int wire_flush(sync_wire *w, char *err, size_t errlen)
{
    return fflush(w->out) == 0 ? 0 : err_set(err, errlen, ERR_IO, "the connection closed while sending");
}

int wire_recv(sync_wire *w, int *type, const unsigned char **payload, size_t *len, char *err, size_t errlen)
{
    unsigned char head[5];
    size_t n;

    *payload = NULL;
    *len = 0;
    if ((n = fread(head, 1, sizeof head, w->in)) != sizeof head)
        return err_set(err, errlen, ERR_TRUNCATED, n == 0 ? "the connection closed" : "the connection closed inside a message");
    n = bytes_load32_le(head + 1);
    if (n > SYNC_FRAME_MAX)
        return err_set(err, errlen, ERR_FORMAT, "a message is too large (is the other end casework?)");
    if (n + 1 > w->cap) {
        unsigned char *bigger = realloc(w->buf, n + 1);
        if (bigger == NULL)
            return err_set(err, errlen, ERR_NOMEM, "out of memory receiving a message");
        w->buf = bigger;
        w->cap = n + 1;
    }
    if (n > 0 && fread(w->buf, 1, n, w->in) != n)
        return err_set(err, errlen, ERR_TRUNCATED, "the connection closed inside a message");
    w->buf[n] = 0;
    *type = head[0];
    *payload = w->buf;
    *len = n;
    return 0;
}

void wire_free(sync_wire *w)
{
    free(w->buf);
    w->buf = NULL;
    w->cap = 0;
}

static void grow(wire_buf *b, size_t more)
{
    size_t cap;
    unsigned char *bigger;

    if (b->failed || b->len + more <= b->cap)
        return;
    cap = b->cap ? b->cap : 256;
    while (cap < b->len + more)
        cap *= 2;
    bigger = realloc(b->data, cap);
    if (bigger == NULL) {
        b->failed = 1;
        return;
    }
    b->data = bigger;
    b->cap = cap;
}

void wbuf_bytes(wire_buf *b, const void *p, size_t n)
{
    grow(b, n);
    if (b->failed || n == 0)
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void wbuf_u8(wire_buf *b, unsigned v)
{
    unsigned char c = (unsigned char)v;

    wbuf_bytes(b, &c, 1);
}

void wbuf_u64(wire_buf *b, uint64_t v)
{
    unsigned char x[8];

    bytes_store64_le(x, v);
    wbuf_bytes(b, x, 8);
}

void wbuf_text(wire_buf *b, const char *s)
{
    size_t n = strlen(s);

    if (n > 255)
        n = 255;
    wbuf_u8(b, (unsigned)n);
    wbuf_bytes(b, s, n);
}

void wbuf_blob(wire_buf *b, const void *p, size_t n)
{
    unsigned char x[4];

    bytes_store32_le(x, (uint32_t)n);
    wbuf_bytes(b, x, 4);
    wbuf_bytes(b, p, n);
}

void wbuf_reset(wire_buf *b)
{
    b->len = 0;
    b->failed = 0;
}

void wbuf_free(wire_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

const unsigned char *rd_bytes(wire_reader *r, size_t n)
{
    const unsigned char *p;

    if (r->bad || r->len - r->off < n) {
        r->bad = 1;
        return NULL;
    }
    p = r->p + r->off;
    r->off += n;
    return p;
}

unsigned rd_u8(wire_reader *r)
{
    const unsigned char *p = rd_bytes(r, 1);

    return p != NULL ? p[0] : 0;
}

uint64_t rd_u64(wire_reader *r)
{
    const unsigned char *p = rd_bytes(r, 8);

    return p != NULL ? bytes_load64_le(p) : 0;
}

void rd_text(wire_reader *r, char *out, size_t cap)
{
    size_t n = rd_u8(r);
    const unsigned char *p = rd_bytes(r, n);

    out[0] = '\0';
    if (p == NULL || n >= cap || memchr(p, 0, n) != NULL) {
        r->bad = 1;
        return;
    }
    memcpy(out, p, n);
    out[n] = '\0';
}

const unsigned char *rd_blob(wire_reader *r, size_t *n)
{
    const unsigned char *p = rd_bytes(r, 4);

    *n = p != NULL ? bytes_load32_le(p) : 0;
    p = rd_bytes(r, *n);
    if (p == NULL)
        *n = 0;
    return p;
}

int rd_done(const wire_reader *r)
{
    return !r->bad && r->off == r->len;
}
