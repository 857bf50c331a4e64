/*
 * sync-serve.c: the server end of the exchange (see sync-serve.h, and sync-wire.h for the
 * messages).
 */
#include "sync-serve.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "errors.h"
#include "store-sync.h"
#include "sync-push.h"

typedef struct server {
    store *s;
    sync_wire *w;
    const pubkey *known;
    size_t nknown;
    int reading;         /* a read transaction holds one snapshot for the pulls */
    wire_buf b;
    char *err;
    size_t errlen;
} server;

static int send_buf(server *sv, int type)
{
    if (sv->b.failed)
        return err_set(sv->err, sv->errlen, ERR_NOMEM, "out of memory answering");
    return wire_send(sv->w, type, sv->b.data, sv->b.len, sv->err, sv->errlen);
}

/* Every pull of one session reads the same snapshot of the database. */
static int snapshot(server *sv)
{
    if (sv->reading)
        return 0;
    sv->reading = 1;
    return store_begin_read(sv->s, sv->err, sv->errlen);
}

static void end_snapshot(server *sv)
{
    if (sv->reading)
        store_rollback(sv->s);
    sv->reading = 0;
}

static int send_entry(void *ctx, const unsigned char *entry, size_t len)
{
    server *sv = ctx;

    wbuf_reset(&sv->b);
    wbuf_blob(&sv->b, entry, len);
    return send_buf(sv, SYNC_ENTRY);
}

static int send_case(void *ctx, const store_sync_case *c)
{
    server *sv = ctx;

    wbuf_reset(&sv->b);
    wbuf_text(&sv->b, c->ref);
    wbuf_text(&sv->b, c->received);
    wbuf_text(&sv->b, c->status);
    wbuf_bytes(&sv->b, c->lookup, 32);
    wbuf_bytes(&sv->b, c->reporter_pk, 32);
    wbuf_u8(&sv->b, c->arrival_logged ? 1 : 0);
    return send_buf(sv, SYNC_CASE);
}

static void put_record_head(wire_buf *b, const store_record *r)
{
    wbuf_text(b, r->case_ref);
    wbuf_u64(b, (uint64_t)r->id);
    wbuf_u64(b, (uint64_t)r->seq);
    wbuf_u8(b, (unsigned)r->audience);
    wbuf_text(b, r->day);
}

static int send_summary(void *ctx, const store_record *r)
{
    server *sv = ctx;
    unsigned char hash[SYNC_RECORD_HASHBYTES];

    sync_record_hash(r->envelope, r->envelope_len, hash);
    wbuf_reset(&sv->b);
    put_record_head(&sv->b, r);
    wbuf_bytes(&sv->b, hash, sizeof hash);
    return send_buf(sv, SYNC_SUMMARY);
}

static int send_record(void *ctx, const store_record *r)
{
    server *sv = ctx;

    wbuf_reset(&sv->b);
    put_record_head(&sv->b, r);
    wbuf_blob(&sv->b, r->envelope, r->envelope_len);
    return send_buf(sv, SYNC_RECORD);
}

static int send_file(void *ctx, const store_sync_attachment *a)
{
    server *sv = ctx;

    wbuf_reset(&sv->b);
    wbuf_text(&sv->b, a->ref);
    wbuf_u64(&sv->b, (uint64_t)a->id);
    wbuf_u64(&sv->b, (uint64_t)a->meta_record);
    wbuf_bytes(&sv->b, a->header, 24);
    wbuf_u64(&sv->b, (uint64_t)a->stored_size);
    wbuf_u64(&sv->b, (uint64_t)a->nchunks);
    return send_buf(sv, SYNC_FILE);
}

static int send_chunk(void *ctx, const unsigned char *chunk, size_t len)
{
    server *sv = ctx;

    wbuf_reset(&sv->b);
    wbuf_blob(&sv->b, chunk, len);
    return send_buf(sv, SYNC_CHUNK);
}

static int send_figures(void *ctx, int64_t id, const unsigned char *envelope, size_t len)
{
    server *sv = ctx;

    (void)id;
    wbuf_reset(&sv->b);
    wbuf_blob(&sv->b, envelope, len);
    return send_buf(sv, SYNC_FIGURES);
}

static int send_info(server *sv)
{
    unsigned char id[16], hash[AUDIT_HASHBYTES];
    uint64_t seq;
    int rc;

    if ((rc = store_secret_setting(sv->s, "database-id", id, sizeof id, sv->err, sv->errlen)) != 0 ||
        (rc = audit_store_head(sv->s, &seq, hash, sv->err, sv->errlen)) != 0)
        return rc;
    wbuf_reset(&sv->b);
    wbuf_bytes(&sv->b, id, sizeof id);
    wbuf_u64(&sv->b, seq);
    wbuf_bytes(&sv->b, hash, sizeof hash);
    wbuf_u8(&sv->b, sv->nknown > 0);
    return send_buf(sv, SYNC_INFO);
}

/* Answers one pull request (anything but a push) with its rows and an end mark. */
static int answer(server *sv, int type, const unsigned char *p, size_t len)
{
    wire_reader r = {p, len, 0, 0};
    int rc = snapshot(sv);

    if (rc != 0)
        return rc;
    switch (type) {
    case SYNC_GET_LOG: {
        uint64_t from = rd_u64(&r);
        rc = rd_done(&r) ? audit_store_from(sv->s, from, send_entry, sv, sv->err, sv->errlen) : ERR_FORMAT;
        break;
    }
    case SYNC_GET_CASES:
        rc = store_sync_cases_each(sv->s, send_case, sv, sv->err, sv->errlen);
        break;
    case SYNC_GET_RECORDS:
        rc = store_sync_records_each(sv->s, send_summary, sv, sv->err, sv->errlen);
        break;
    case SYNC_WANT:
        while (rc == 0 && r.off < r.len) {
            int64_t id = (int64_t)rd_u64(&r);
            if (r.bad)
                rc = ERR_FORMAT;
            else if ((rc = store_sync_record(sv->s, id, send_record, sv, sv->err, sv->errlen)) == ERR_NOTFOUND)
                rc = 0;   /* gone since the summary (its case erased): the client sees it missing */
        }
        break;
    case SYNC_GET_FILES:
        rc = store_sync_attachments_each(sv->s, send_file, sv, sv->err, sv->errlen);
        break;
    case SYNC_GET_CHUNKS: {
        int64_t id = (int64_t)rd_u64(&r);
        rc = rd_done(&r) ? store_attachment_chunks_each(sv->s, id, send_chunk, sv, sv->err, sv->errlen) : ERR_FORMAT;
        break;
    }
    case SYNC_GET_FIGURES:
        rc = store_figures_since(sv->s, 0, send_figures, sv, sv->err, sv->errlen);
        break;
    default:
        return err_set(sv->err, sv->errlen, ERR_FORMAT, "an unknown request (is the other end casework sync?)");
    }
    if (rc == ERR_FORMAT)
        return err_set(sv->err, sv->errlen, ERR_FORMAT, "a malformed request");
    if (rc != 0)
        return rc;
    return wire_send(sv->w, SYNC_END, NULL, 0, sv->err, sv->errlen);
}

static int refuse(server *sv, int code, const char *why)
{
    wbuf_reset(&sv->b);
    wbuf_u8(&sv->b, (unsigned)code);
    wbuf_text(&sv->b, why);
    return send_buf(sv, SYNC_REFUSED);
}

/* Reads the rest of a push (after PUSH, whose payload is p) from w and applies it, or not:
 * *outcome is 0, ERR_EXISTS (pull first) or another refusal, with why. Returns 0, or the error of
 * a stream that broke (nothing applied then). */
static int apply_push(store *s, sync_wire *w, const pubkey *known, size_t nknown, const unsigned char *p, size_t len,
                      int *outcome, unsigned *skipped, char *why, size_t whylen, char *err, size_t errlen)
{
    sync_apply a;
    int rc;

    (void)sync_apply_begin(&a, s, known, nknown, p, len, why, whylen);
    /* Everything of the push is read whatever happens, so the stream stays in step. */
    for (;;) {
        int type;
        const unsigned char *q;
        size_t n;
        if ((rc = wire_recv(w, &type, &q, &n, err, errlen)) != 0) {
            sync_apply_abort(&a);
            return rc;   /* cut short: nothing applied */
        }
        if (type == SYNC_ITEM) {
            sync_apply_item(&a, q, n, why, whylen);
        } else if (type == SYNC_SIGN) {
            *outcome = sync_apply_finish(&a, q, n, why, whylen);
            *skipped = a.skipped;
            return 0;
        } else {
            sync_apply_abort(&a);
            return err_set(err, errlen, ERR_FORMAT, "a push ended without its signature");
        }
    }
}

static int push(server *sv, const unsigned char *p, size_t len)
{
    unsigned char hash[AUDIT_HASHBYTES];
    char why[300] = "";
    unsigned skipped = 0;
    uint64_t seq;
    int rc, outcome;

    end_snapshot(sv);
    if ((rc = apply_push(sv->s, sv->w, sv->known, sv->nknown, p, len, &outcome, &skipped, why, sizeof why, sv->err,
                         sv->errlen)) != 0)
        return rc;
    if (outcome != 0)
        return refuse(sv, outcome == ERR_EXISTS ? SYNC_PULL_FIRST : SYNC_REFUSED_WHOLE, why);
    if ((rc = audit_store_head(sv->s, &seq, hash, sv->err, sv->errlen)) != 0)
        return rc;
    wbuf_reset(&sv->b);
    wbuf_u64(&sv->b, seq);
    wbuf_bytes(&sv->b, hash, sizeof hash);
    wbuf_u64(&sv->b, skipped);
    return send_buf(sv, SYNC_DONE);
}

int sync_serve_apply_file(store *s, FILE *in, const pubkey *known, size_t nknown, uint64_t *head_seq,
                          char *err, size_t errlen)
{
    sync_wire w = {in, NULL, NULL, 0};
    unsigned char hash[AUDIT_HASHBYTES];
    const unsigned char *p;
    char why[300] = "";
    unsigned skipped = 0;
    size_t len;
    int type, rc, outcome = 0;

    *head_seq = 0;
    rc = wire_recv(&w, &type, &p, &len, err, errlen);
    if (rc == 0 && type != SYNC_PUSH)
        rc = err_set(err, errlen, ERR_FORMAT, "the file holds no push (make one with casework sync --push-file)");
    if (rc == 0)
        rc = apply_push(s, &w, known, nknown, p, len, &outcome, &skipped, why, sizeof why, err, errlen);
    if (rc == ERR_TRUNCATED)
        rc = err_set(err, errlen, ERR_TRUNCATED, "the push file is cut short: nothing was applied (copy it again)");
    if (rc == 0 && outcome != 0)
        rc = err_set(err, errlen, outcome, "the push was refused, nothing was applied: %s%s", why,
                     outcome == ERR_EXISTS ? " (take a new snapshot to the workstation, sync from it, and write the push again)" : "");
    if (rc == 0)
        rc = audit_store_head(s, head_seq, hash, err, errlen);
    wire_free(&w);
    return rc;
}

int sync_serve(store *s, sync_wire *w, const pubkey *known, size_t nknown, char *err, size_t errlen)
{
    server sv = {s, w, known, nknown, 0, {0}, err, errlen};
    const unsigned char *p;
    size_t len;
    int type, rc;

    if ((rc = wire_recv(w, &type, &p, &len, err, errlen)) != 0)
        goto out;
    if (type != SYNC_HELLO || len != sizeof SYNC_MAGIC - 1 || memcmp(p, SYNC_MAGIC, len) != 0) {
        rc = err_set(err, errlen, ERR_FORMAT, "the client does not speak this exchange (%s)", SYNC_MAGIC);
        goto out;
    }
    if ((rc = send_info(&sv)) != 0 || (rc = wire_flush(w, err, errlen)) != 0)
        goto out;
    for (;;) {
        rc = wire_recv(w, &type, &p, &len, err, errlen);
        if (rc == ERR_TRUNCATED && strcmp(err, "the connection closed") == 0) {
            rc = 0;   /* gone between messages */
            break;
        }
        if (rc != 0 || type == SYNC_BYE)
            break;
        rc = type == SYNC_PUSH ? push(&sv, p, len) : answer(&sv, type, p, len);
        if (rc == 0)
            rc = wire_flush(w, err, errlen);
        if (rc != 0)
            break;
    }
out:
    end_snapshot(&sv);
    wbuf_free(&sv.b);
    return rc;
}
