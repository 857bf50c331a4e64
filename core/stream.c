/*
 * stream.c: chunked attachment encryption over crypto_secretstream (see stream.h).
 */
#include "stream.h"

#include <sodium.h>
#include <string.h>

#include "envelope.h"
#include "errors.h"
#include "secmem.h"

#define AD_CONTEXT "sea-stream-v1"
#define AD_MAX 96

struct stream_writer {
    crypto_secretstream_xchacha20poly1305_state st;
    unsigned char ad[AD_MAX];
    size_t ad_len;
    size_t fill;
    unsigned char buf[2 * STREAM_CHUNK];     /* plaintext; room to pad the last chunk */
    unsigned char ct[STREAM_MAX_CT];
};

struct stream_reader {
    crypto_secretstream_xchacha20poly1305_state st;
    unsigned char ad[AD_MAX];
    size_t ad_len;
    int finished;
};

static size_t build_ad(unsigned char *ad, const char *case_ref)
{
    size_t ctx = strlen(AD_CONTEXT), ref = strlen(case_ref);

    if (ctx + 1 + ref > AD_MAX)
        return 0;
    memcpy(ad, AD_CONTEXT, ctx);
    ad[ctx] = (unsigned char)ref;
    memcpy(ad + ctx + 1, case_ref, ref);
    return ctx + 1 + ref;
}

stream_writer *stream_writer_new(const unsigned char *key, const char *case_ref,
                                 unsigned char header[STREAM_HEADERBYTES])
{
    stream_writer *w = secmem_alloc(sizeof *w);

    if (w == NULL)
        return NULL;
    w->fill = 0;
    w->ad_len = build_ad(w->ad, case_ref);
    if (w->ad_len == 0 ||
        crypto_secretstream_xchacha20poly1305_init_push(&w->st, header, key) != 0) {
        secmem_free(w, sizeof *w);
        return NULL;
    }
    return w;
}

static int push(stream_writer *w, size_t len, unsigned char tag, stream_sink sink, void *ctx)
{
    unsigned long long ct_len;

    crypto_secretstream_xchacha20poly1305_push(&w->st, w->ct, &ct_len, w->buf, len, w->ad,
                                               w->ad_len, tag);
    return sink(ctx, w->ct, (size_t)ct_len);
}

int stream_writer_write(stream_writer *w, const unsigned char *data, size_t len,
                        stream_sink sink, void *ctx)
{
    while (len > 0) {
        size_t take = STREAM_CHUNK - w->fill;
        if (take > len)
            take = len;
        memcpy(w->buf + w->fill, data, take);
        w->fill += take;
        data += take;
        len -= take;
        /* Emit a full chunk only once more data follows: the last chunk must carry FINAL. */
        if (w->fill == STREAM_CHUNK && len > 0) {
            int rc = push(w, STREAM_CHUNK, 0, sink, ctx);
            w->fill = 0;
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

int stream_writer_finish(stream_writer *w, stream_sink sink, void *ctx)
{
    size_t bucket = envelope_pad_bucket(w->fill), padded;

    if (sodium_pad(&padded, w->buf, w->fill, bucket, sizeof w->buf) != 0)
        return ERR_INTERNAL;
    return push(w, padded, crypto_secretstream_xchacha20poly1305_TAG_FINAL, sink, ctx);
}

void stream_writer_free(stream_writer *w)
{
    secmem_free(w, sizeof *w);
}

stream_reader *stream_reader_new(const unsigned char *key, const char *case_ref,
                                 const unsigned char header[STREAM_HEADERBYTES])
{
    stream_reader *r = secmem_alloc(sizeof *r);

    if (r == NULL)
        return NULL;
    r->finished = 0;
    r->ad_len = build_ad(r->ad, case_ref);
    if (r->ad_len == 0 ||
        crypto_secretstream_xchacha20poly1305_init_pull(&r->st, header, key) != 0) {
        secmem_free(r, sizeof *r);
        return NULL;
    }
    return r;
}

int stream_reader_pull(stream_reader *r, const unsigned char *chunk, size_t len,
                       unsigned char *out, size_t *out_len)
{
    unsigned long long plain_len;
    unsigned char tag;

    *out_len = 0;
    if (r->finished || len > STREAM_MAX_CT || len < STREAM_ABYTES)
        return ERR_FORMAT;
    if (crypto_secretstream_xchacha20poly1305_pull(&r->st, out, &plain_len, &tag, chunk, len,
                                                   r->ad, r->ad_len) != 0)
        return ERR_AUTH;
    if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
        size_t unpadded;
        if (sodium_unpad(&unpadded, out, (size_t)plain_len, (size_t)plain_len) != 0)
            return ERR_FORMAT;
        r->finished = 1;
        *out_len = unpadded;
        return 0;
    }
    if (tag != 0 || plain_len != STREAM_CHUNK)
        return ERR_FORMAT;
    *out_len = (size_t)plain_len;
    return 0;
}

int stream_reader_finish(const stream_reader *r)
{
    return r->finished ? 0 : ERR_TRUNCATED;
}

void stream_reader_free(stream_reader *r)
{
    secmem_free(r, sizeof *r);
}
