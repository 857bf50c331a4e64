/*
 * store-cases.c: cases, their sealed records, encrypted attachments and shared settings (see
 * store.h). Every statement comes from the store's table (store-internal.h).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "store-internal.h"
#include "vocab.h"

#define CASEREF_TRIES 8

/* Fills c from a row of CASE_COLUMNS (id, ref, received, status, reporter_pk). */
static void case_from_row(sqlite3_stmt *st, store_case *c)
{
    const void *pk = sqlite3_column_blob(st, 4);

    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(st, 0);
    store_column_text(st, 1, c->ref, sizeof c->ref);
    store_column_text(st, 2, c->received, sizeof c->received);
    store_column_text(st, 3, c->status, sizeof c->status);
    if (pk != NULL && sqlite3_column_bytes(st, 4) == 32)
        memcpy(c->reporter_pk, pk, 32);
}

/* 1 when a case holds ref already. */
static int ref_taken(store *s, const char *ref)
{
    store_case other;

    return store_case_by_ref(s, ref, &other, NULL, 0) == 0;
}

int store_case_insert(store *s, const char *ref, const unsigned char lookup[32],
                      const unsigned char reporter_pk[32], store_case *c, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    memset(c, 0, sizeof *c);
    day_today(c->received);
    snprintf(c->status, sizeof c->status, "%s", vocab_statuses.values[VOCAB_STATUS_NEW]);
    memcpy(c->reporter_pk, reporter_pk, 32);
    if ((rc = store_stmt(s, STMT_CASE_INSERT, &st, err, errlen)) != 0)
        return rc;
    for (int tries = 0; tries < (ref != NULL ? 1 : CASEREF_TRIES); tries++) {
        if (ref != NULL)
            snprintf(c->ref, sizeof c->ref, "%s", ref);
        else
            caseref_generate(c->ref);
        store_stmt_done(st);
        sqlite3_bind_text(st, 1, c->ref, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, c->received, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, lookup, 32, SQLITE_STATIC);
        sqlite3_bind_blob(st, 4, reporter_pk, 32, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE) {
            c->id = sqlite3_last_insert_rowid(s->db);
            store_stmt_done(st);
            return 0;
        }
        rc = store_error(s, rc, "saving the case", err, errlen);
        store_stmt_done(st);
        /* Only a reference drawn here that another case holds is drawn again. */
        if (rc != ERR_EXISTS || ref != NULL || !ref_taken(s, c->ref))
            return rc;
    }
    return rc;
}

static int case_by(store *s, store_stmt_id id, const void *key, int key_len, store_case *c,
                   char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    memset(c, 0, sizeof *c);
    if ((rc = store_stmt(s, id, &st, err, errlen)) != 0)
        return rc;
    if (key_len < 0)
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    else
        sqlite3_bind_blob(st, 1, key, key_len, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        case_from_row(st, c);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = err_set(err, errlen, ERR_NOTFOUND, "no such case");
    } else {
        rc = store_error(s, rc, "reading a case", err, errlen);
    }
    store_stmt_done(st);
    return rc;
}

typedef struct prefix_rows {
    char (*refs)[CASEREF_TEXT_SIZE];
    size_t max, found;
} prefix_rows;

static int prefix_row(sqlite3_stmt *st, void *ctx)
{
    prefix_rows *r = ctx;

    if (r->found < r->max)
        snprintf(r->refs[r->found], CASEREF_TEXT_SIZE, "%s", (const char *)sqlite3_column_text(st, 0));
    r->found++;
    return 0;
}

int store_case_refs_by_prefix(store *s, const char *prefix, char (*refs)[CASEREF_TEXT_SIZE], size_t max,
                              size_t *found, char *err, size_t errlen)
{
    prefix_rows r = {refs, max, 0};
    sqlite3_stmt *st;
    int rc;

    *found = 0;
    if ((rc = store_stmt(s, STMT_CASE_REFS_BY_PREFIX, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max + 1);
    rc = store_rows(s, st, prefix_row, &r, "finding cases by the start of their reference", err, errlen);
    *found = r.found;
    return rc;
}

int store_case_by_ref(store *s, const char *ref, store_case *c, char *err, size_t errlen)
{
    return case_by(s, STMT_CASE_BY_REF, ref, -1, c, err, errlen);
}

int store_case_by_lookup(store *s, const unsigned char lookup[32], store_case *c, char *err,
                         size_t errlen)
{
    return case_by(s, STMT_CASE_BY_LOOKUP, lookup, 32, c, err, errlen);
}

int store_case_erased(store *s, const unsigned char lookup[32])
{
    sqlite3_stmt *st;
    int found;

    if (store_stmt(s, STMT_CASE_ERASED, &st, NULL, 0) != 0)
        return 0;
    sqlite3_bind_blob(st, 1, lookup, 32, SQLITE_STATIC);
    found = sqlite3_step(st) == SQLITE_ROW;
    store_stmt_done(st);
    return found;
}

typedef int (*case_fn)(void *ctx, const store_case *c);

static int case_row(sqlite3_stmt *st, void *vctx)
{
    store_row_fn *r = vctx;
    store_case c;

    case_from_row(st, &c);
    return ((case_fn)r->fn)(r->ctx, &c);
}

int store_cases_each(store *s, const char *status, case_fn fn, void *ctx, char *err, size_t errlen)
{
    store_row_fn r = {(void (*)(void))fn, ctx};
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, status != NULL ? STMT_CASES_WITH_STATUS : STMT_CASES_ALL, &st, err, errlen)) != 0)
        return rc;
    if (status != NULL)
        sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
    return store_rows(s, st, case_row, &r, "reading the cases", err, errlen);
}

int store_case_count(store *s, int64_t *n, char *err, size_t errlen)
{
    return store_one_int64(s, STMT_CASE_COUNT, 0, n, "counting the cases", err, errlen);
}

int store_case_last_record(store *s, int64_t case_id, int64_t *seq, char *err, size_t errlen)
{
    return store_one_int64(s, STMT_CASE_LAST_RECORD, case_id, seq, "reading a case", err, errlen);
}

int store_case_set_status(store *s, int64_t case_id, const char *status, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_CASE_SET_STATUS, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, case_id);
    if ((rc = store_step_done(s, st, "setting the status", err, errlen)) != 0)
        return rc;
    return sqlite3_changes(s->db) == 1 ? 0 : err_set(err, errlen, ERR_NOTFOUND, "no such case");
}

int store_record_add(store *s, int64_t case_id, enum store_audience audience,
                     const unsigned char *envelope, size_t len, int64_t *record_id,
                     char *err, size_t errlen)
{
    sqlite3_stmt *st;
    char day[DAY_TEXT_SIZE];
    int64_t id = 0;
    int rc = 0;

    day_today(day);
    if ((rc = store_stmt(s, STMT_RECORD_INSERT, &st, err, errlen)) != 0)
        return rc;
    for (int tries = 0; tries < 4; tries++) {
        uint64_t r;
        randombytes_buf(&r, sizeof r);
        id = (int64_t)(r & 0x3fffffffffffffffULL) + 1;   /* random: it orders nothing */
        store_stmt_done(st);
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int(st, 2, (int)audience);
        sqlite3_bind_text(st, 3, day, -1, SQLITE_STATIC);
        sqlite3_bind_blob64(st, 4, envelope, len, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, id);
        rc = sqlite3_step(st);
        if (rc != SQLITE_CONSTRAINT_PRIMARYKEY)
            break;
    }
    rc = rc == SQLITE_DONE ? 0 : store_error(s, rc, "saving a record", err, errlen);
    store_stmt_done(st);
    if (rc == 0 && record_id != NULL)
        *record_id = id;
    return rc;
}

typedef int (*record_fn)(void *ctx, const store_record *r);

/* A row of a records query (id, case_id, audience, day, envelope, ref, seq). */
static int record_row(sqlite3_stmt *st, void *vctx)
{
    store_row_fn *rf = vctx;
    store_record r;

    r.id = sqlite3_column_int64(st, 0);
    r.seq = sqlite3_column_int64(st, 6);
    r.case_id = sqlite3_column_int64(st, 1);
    r.audience = sqlite3_column_int(st, 2);
    store_column_text(st, 3, r.day, sizeof r.day);
    r.envelope = sqlite3_column_blob(st, 4);
    r.envelope_len = (size_t)sqlite3_column_bytes(st, 4);
    store_column_text(st, 5, r.case_ref, sizeof r.case_ref);
    return ((record_fn)rf->fn)(rf->ctx, &r);
}

int store_records_rows(store *s, sqlite3_stmt *st, record_fn fn, void *ctx, char *err, size_t errlen)
{
    store_row_fn r = {(void (*)(void))fn, ctx};

    return store_rows(s, st, record_row, &r, "reading records", err, errlen);
}

int store_records_each(store *s, int64_t case_id, int audience,
                       int (*fn)(void *ctx, const store_record *r), void *ctx,
                       char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_RECORDS_OF_CASE, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int(st, 2, audience);
    return store_records_rows(s, st, fn, ctx, err, errlen);
}

int store_records_after(store *s, int64_t case_id, int64_t after_seq, record_fn fn, void *ctx,
                        char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_RECORDS_AFTER, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, after_seq);
    return store_records_rows(s, st, fn, ctx, err, errlen);
}

typedef int (*seq_fn)(void *ctx, int64_t case_id, int64_t last_seq, int64_t last_id);

static int seq_row(sqlite3_stmt *st, void *vctx)
{
    store_row_fn *r = vctx;

    return ((seq_fn)r->fn)(r->ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                           sqlite3_column_int64(st, 2));
}

int store_case_seqs(store *s, seq_fn fn, void *ctx, char *err, size_t errlen)
{
    store_row_fn r = {(void (*)(void))fn, ctx};
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_CASE_SEQS, &st, err, errlen)) != 0)
        return rc;
    return store_rows(s, st, seq_row, &r, "reading the records", err, errlen);
}

int store_record_replace(store *s, int64_t record_id, const unsigned char *envelope, size_t len,
                         char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_RECORD_REPLACE, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_blob64(st, 1, envelope, len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, record_id);
    if ((rc = store_step_done(s, st, "updating a record", err, errlen)) != 0)
        return rc;
    return sqlite3_changes(s->db) == 1 ? 0 : err_set(err, errlen, ERR_NOTFOUND, "no such record");
}

int store_attachment_add(store *s, int64_t case_id, int64_t meta_record,
                         const unsigned char header[24], int64_t *attachment_id,
                         char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_ATTACHMENT_INSERT, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, meta_record);
    sqlite3_bind_blob(st, 3, header, 24, SQLITE_STATIC);
    if ((rc = store_step_done(s, st, "saving an attachment", err, errlen)) != 0)
        return rc;
    *attachment_id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int store_attachment_chunk_add(store *s, int64_t attachment_id, int64_t seq,
                               const unsigned char *data, size_t len, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_ATTACHMENT_CHUNK_INSERT, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, attachment_id);
    sqlite3_bind_int64(st, 2, seq);
    sqlite3_bind_blob64(st, 3, data, len, SQLITE_STATIC);
    if ((rc = store_step_done(s, st, "saving an attachment", err, errlen)) != 0)
        return rc;
    if ((rc = store_stmt(s, STMT_ATTACHMENT_GROW, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)len);
    sqlite3_bind_int64(st, 2, attachment_id);
    return store_step_done(s, st, "saving an attachment", err, errlen);
}

int store_attachment_header(store *s, int64_t attachment_id, unsigned char header[24],
                            int64_t *meta_record, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_ATTACHMENT_HEADER, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, attachment_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 24) {
        memcpy(header, sqlite3_column_blob(st, 0), 24);
        *meta_record = sqlite3_column_int64(st, 1);
        rc = 0;
    } else if (rc == SQLITE_ROW) {
        rc = err_set(err, errlen, ERR_FORMAT, "attachment %lld is damaged (bad header)", (long long)attachment_id);
    } else if (rc == SQLITE_DONE) {
        rc = err_set(err, errlen, ERR_NOTFOUND, "no such attachment");
    } else {
        rc = store_error(s, rc, "reading an attachment", err, errlen);
    }
    store_stmt_done(st);
    return rc;
}

typedef int (*chunk_fn)(void *ctx, const unsigned char *chunk, size_t len);
typedef int (*attachment_fn)(void *ctx, int64_t attachment_id, int64_t meta_record);

static int chunk_row(sqlite3_stmt *st, void *vctx)
{
    store_row_fn *r = vctx;

    return ((chunk_fn)r->fn)(r->ctx, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
}

static int attachment_row(sqlite3_stmt *st, void *vctx)
{
    store_row_fn *r = vctx;

    return ((attachment_fn)r->fn)(r->ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1));
}

/* Binds id to a statement's one parameter and walks its rows with row. */
static int rows_of(store *s, store_stmt_id stmt, int64_t id, int (*row)(sqlite3_stmt *, void *),
                   void (*fn)(void), void *ctx, const char *what, char *err, size_t errlen)
{
    store_row_fn r = {fn, ctx};
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, stmt, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    return store_rows(s, st, row, &r, what, err, errlen);
}

int store_attachment_chunks_each(store *s, int64_t attachment_id, chunk_fn fn, void *ctx,
                                 char *err, size_t errlen)
{
    return rows_of(s, STMT_ATTACHMENT_CHUNKS, attachment_id, chunk_row, (void (*)(void))fn, ctx,
                   "reading an attachment", err, errlen);
}

int store_attachments_each(store *s, int64_t case_id, attachment_fn fn, void *ctx, char *err, size_t errlen)
{
    return rows_of(s, STMT_ATTACHMENTS_OF_CASE, case_id, attachment_row, (void (*)(void))fn, ctx,
                   "reading attachments", err, errlen);
}

int store_secret_setting(store *s, const char *name, unsigned char *out, size_t len,
                         char *err, size_t errlen)
{
    int own = sqlite3_get_autocommit(s->db);   /* no transaction open yet: this call makes one */
    sqlite3_stmt *st;
    int rc;

    if (own && (rc = store_begin(s, err, errlen)) != 0)
        return rc;
    if ((rc = store_stmt(s, STMT_SETTING_GET, &st, err, errlen)) != 0)
        goto fail;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && (size_t)sqlite3_column_bytes(st, 0) == len) {
        memcpy(out, sqlite3_column_blob(st, 0), len);
        store_stmt_done(st);
        if (own)
            store_rollback(s);
        return 0;
    }
    rc = rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_error(s, rc, "reading a setting", err, errlen);
    store_stmt_done(st);
    if (rc != 0)
        goto fail;
    randombytes_buf(out, len);
    if ((rc = store_stmt(s, STMT_SETTING_PUT, &st, err, errlen)) != 0)
        goto fail;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, out, (int)len, SQLITE_STATIC);
    if ((rc = store_step_done(s, st, "saving a setting", err, errlen)) != 0)
        goto fail;
    return own ? store_commit(s, err, errlen) : 0;
fail:
    if (own)
        store_rollback(s);
    return rc;
}
