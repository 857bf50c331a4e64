/*
 * store-audit.c: where the audit log is kept in the store: its entries, where each caseworker
 * key's introduction sits, and which cases' arrival the log records already (see audit.h and
 * store.h). Statements come from the store's table (store-internal.h).
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "bytes.h"
#include "errors.h"
#include "store-internal.h"

typedef int (*blob_fn)(void *ctx, const unsigned char *b, size_t len);

static int blob_row(sqlite3_stmt *st, void *vctx)
{
    store_row_fn *r = vctx;

    return ((blob_fn)r->fn)(r->ctx, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
}

/* Calls fn with the blob in column 0 of each row of st. */
static int blobs_each(store *s, sqlite3_stmt *st, blob_fn fn, void *ctx, const char *what, char *err, size_t errlen)
{
    store_row_fn r = {(void (*)(void))fn, ctx};

    return store_rows(s, st, blob_row, &r, what, err, errlen);
}

int audit_store_each(store *s, int (*fn)(void *ctx, const unsigned char *entry, size_t len),
                     void *ctx, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc = store_stmt(s, STMT_AUDIT_ALL, &st, err, errlen);

    return rc != 0 ? rc : blobs_each(s, st, fn, ctx, "reading the audit log", err, errlen);
}

typedef struct head_ctx {
    uint64_t *seq;
    unsigned char *hash;
    int damaged;
} head_ctx;

static int take_head(void *vctx, const unsigned char *entry, size_t len)
{
    head_ctx *h = vctx;
    audit_frame f;

    if (audit_frame_parse(entry, len, &f) != 0) {
        h->damaged = 1;
        return 1;
    }
    *h->seq = f.seq;
    memcpy(h->hash, f.hash, AUDIT_HASHBYTES);
    return 0;
}

int audit_store_head(store *s, uint64_t *seq, unsigned char hash[AUDIT_HASHBYTES],
                     char *err, size_t errlen)
{
    head_ctx h = {seq, hash, 0};
    sqlite3_stmt *st;
    int rc;

    *seq = 0;
    memset(hash, 0, AUDIT_HASHBYTES);
    if ((rc = store_stmt(s, STMT_AUDIT_NEWEST, &st, err, errlen)) != 0)
        return rc;
    rc = blobs_each(s, st, take_head, &h, "reading the audit log", err, errlen);
    if (h.damaged) {
        *seq = 0;
        memset(hash, 0, AUDIT_HASHBYTES);
        return err_set(err, errlen, ERR_FORMAT, "the newest audit entry is damaged (run casework audit verify)");
    }
    return rc;
}

static int take_version(void *vctx, const unsigned char *entry, size_t len)
{
    *(int *)vctx = len > 0 ? entry[0] : -1;
    return 0;
}

int audit_store_version(store *s, int *version, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    *version = 0;
    if ((rc = store_stmt(s, STMT_AUDIT_OLDEST, &st, err, errlen)) != 0)
        return rc;
    return blobs_each(s, st, take_version, version, "reading the audit log", err, errlen);
}

int audit_store_drop_v1(store *s, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_AUDIT_DROP_V1, &st, err, errlen)) != 0 ||
        (rc = store_step_done(s, st, "sealing the old audit log", err, errlen)) != 0 ||
        (rc = store_stmt(s, STMT_AUDIT_KEYS_FORGET, &st, err, errlen)) != 0)
        return rc;
    return store_step_done(s, st, "sealing the old audit log", err, errlen);
}

typedef struct export_buf {
    unsigned char *data;
    size_t used;
} export_buf;

static int add_exported(void *vctx, const unsigned char *entry, size_t len)
{
    export_buf *b = vctx;
    unsigned char *bigger = realloc(b->data, b->used + 4 + len);

    if (bigger == NULL)
        return ERR_NOMEM;
    b->data = bigger;
    bytes_store32_le(bigger + b->used, (uint32_t)len);
    memcpy(bigger + b->used + 4, entry, len);
    b->used += 4 + len;
    return 0;
}

int audit_store_export(store *s, unsigned char **out, size_t *len, char *err, size_t errlen)
{
    export_buf b = {NULL, sizeof AUDIT_EXPORT_MAGIC - 1};
    int rc;

    *out = NULL;
    *len = 0;
    if ((b.data = malloc(b.used)) == NULL)
        return err_set(err, errlen, ERR_NOMEM, "out of memory exporting the audit log");
    memcpy(b.data, AUDIT_EXPORT_MAGIC, b.used);
    rc = audit_store_each(s, add_exported, &b, err, errlen);
    if (rc == ERR_NOMEM)
        err_set(err, errlen, rc, "out of memory exporting the audit log");
    if (rc != 0) {
        free(b.data);
        return rc;
    }
    *out = b.data;
    *len = b.used;
    return 0;
}

int audit_store_insert(store *s, uint64_t seq, const unsigned char *entry, size_t len,
                       char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_AUDIT_INSERT, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
    sqlite3_bind_blob(st, 2, entry, (int)len, SQLITE_STATIC);
    rc = store_step_done(s, st, "writing the audit log", err, errlen);
    if (rc == ERR_EXISTS)
        return err_set(err, errlen, ERR_EXISTS, "another caseworker wrote to the audit log at the same moment (try again)");
    return rc;
}

int store_audit_key_entry(store *s, const unsigned char key_id[PUBKEY_IDBYTES],
                          int (*fn)(void *ctx, const unsigned char *entry, size_t len), void *ctx,
                          char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_AUDIT_KEY_ENTRY, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_blob(st, 1, key_id, PUBKEY_IDBYTES, SQLITE_STATIC);
    return blobs_each(s, st, fn, ctx, "reading the audit log", err, errlen);
}

int store_audit_key_set(store *s, const unsigned char key_id[PUBKEY_IDBYTES], uint64_t seq,
                        char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_AUDIT_KEY_PUT, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_blob(st, 1, key_id, PUBKEY_IDBYTES, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
    return store_step_done(s, st, "writing the audit log", err, errlen);
}

typedef int (*arrival_fn)(void *ctx, const char *ref, const char *received);

static int arrival_row(sqlite3_stmt *st, void *vctx)
{
    store_row_fn *r = vctx;
    char ref[CASEREF_TEXT_SIZE], received[DAY_TEXT_SIZE];

    store_column_text(st, 0, ref, sizeof ref);
    store_column_text(st, 1, received, sizeof received);
    return ((arrival_fn)r->fn)(r->ctx, ref, received);
}

int store_arrivals_unlogged(store *s, const char *before_day, arrival_fn fn, void *ctx,
                            char *err, size_t errlen)
{
    store_row_fn r = {(void (*)(void))fn, ctx};
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_ARRIVALS_UNLOGGED, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, before_day, -1, SQLITE_TRANSIENT);
    return store_rows(s, st, arrival_row, &r, "reading the cases", err, errlen);
}

int store_arrivals_mark_logged(store *s, const char *before_day, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_ARRIVALS_MARK, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, before_day, -1, SQLITE_TRANSIENT);
    return store_step_done(s, st, "writing the audit log", err, errlen);
}
