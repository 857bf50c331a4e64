/*
 * store-sync.c: the store's side of replicas and of the exchange between a replica and its
 * server (see store-sync.h). Statements come from the store's table (store-internal.h).
 */
#include "store-sync.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "errors.h"
#include "store-internal.h"
#include "store_schema.h"
#include "vocab.h"

typedef int (*sync_case_fn)(void *ctx, const store_sync_case *c);
typedef int (*sync_attachment_fn)(void *ctx, const store_sync_attachment *a);
typedef int (*outbox_fn)(void *ctx, const store_outbox_item *it);
typedef int (*record_fn)(void *ctx, const store_record *r);
typedef int (*blob_fn)(void *ctx, const unsigned char *b, size_t len);

static void column_bytes(sqlite3_stmt *st, int col, unsigned char *out, size_t len)
{
    memset(out, 0, len);
    if ((size_t)sqlite3_column_bytes(st, col) == len)
        memcpy(out, sqlite3_column_blob(st, col), len);
}

static int case_row(sqlite3_stmt *st, void *vctx)
{
    store_row_fn *r = vctx;
    store_sync_case c;

    store_column_text(st, 0, c.ref, sizeof c.ref);
    store_column_text(st, 1, c.received, sizeof c.received);
    store_column_text(st, 2, c.status, sizeof c.status);
    column_bytes(st, 3, c.lookup, sizeof c.lookup);
    column_bytes(st, 4, c.reporter_pk, sizeof c.reporter_pk);
    c.arrival_logged = sqlite3_column_int(st, 5);
    return ((sync_case_fn)r->fn)(r->ctx, &c);
}

/* Runs statement id (no parameters) through row. */
static int rows(store *s, store_stmt_id id, int (*row)(sqlite3_stmt *, void *), void (*fn)(void), void *ctx,
                const char *what, char *err, size_t errlen)
{
    store_row_fn r = {fn, ctx};
    sqlite3_stmt *st;
    int rc = store_stmt(s, id, &st, err, errlen);

    return rc != 0 ? rc : store_rows(s, st, row, &r, what, err, errlen);
}

int store_sync_cases_each(store *s, sync_case_fn fn, void *ctx, char *err, size_t errlen)
{
    return rows(s, STMT_SYNC_CASES, case_row, (void (*)(void))fn, ctx, "reading the cases", err, errlen);
}

int store_sync_records_each(store *s, record_fn fn, void *ctx, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc = store_stmt(s, STMT_SYNC_RECORDS, &st, err, errlen);

    return rc != 0 ? rc : store_records_rows(s, st, fn, ctx, err, errlen);
}

typedef struct found_ctx {
    record_fn fn;
    void *ctx;
    int found;
} found_ctx;

static int found_record(void *vctx, const store_record *r)
{
    found_ctx *f = vctx;

    f->found = 1;
    return f->fn(f->ctx, r);
}

int store_sync_record(store *s, int64_t id, record_fn fn, void *ctx, char *err, size_t errlen)
{
    found_ctx f = {fn, ctx, 0};
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_SYNC_RECORD, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = store_records_rows(s, st, found_record, &f, err, errlen);
    if (rc == 0 && !f.found)
        return err_set(err, errlen, ERR_NOTFOUND, "no record %lld", (long long)id);
    return rc;
}

static int attachment_row(sqlite3_stmt *st, void *vctx)
{
    store_row_fn *r = vctx;
    store_sync_attachment a;

    store_column_text(st, 0, a.ref, sizeof a.ref);
    a.id = sqlite3_column_int64(st, 1);
    a.meta_record = sqlite3_column_int64(st, 2);
    column_bytes(st, 3, a.header, sizeof a.header);
    a.stored_size = sqlite3_column_int64(st, 4);
    a.nchunks = sqlite3_column_int64(st, 5);
    return ((sync_attachment_fn)r->fn)(r->ctx, &a);
}

int store_sync_attachments_each(store *s, sync_attachment_fn fn, void *ctx, char *err, size_t errlen)
{
    return rows(s, STMT_SYNC_ATTACHMENTS, attachment_row, (void (*)(void))fn, ctx, "reading the attachments", err,
                errlen);
}

/* Runs statement id with two integer parameters for one count in *n. */
static int count2(store *s, store_stmt_id id, int64_t a, int64_t b, int64_t *n, const char *what, char *err,
                  size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    *n = 0;
    if ((rc = store_stmt(s, id, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_error(s, rc, what, err, errlen);
    store_stmt_done(st);
    return rc;
}

int store_sync_has_attachment(store *s, int64_t id, int64_t nchunks, int *has, char *err, size_t errlen)
{
    int64_t n;
    int rc = count2(s, STMT_SYNC_HAS_ATTACHMENT, id, nchunks, &n, "reading the attachments", err, errlen);

    *has = rc == 0 && n > 0;
    return rc;
}

int store_sync_figures_has(store *s, const unsigned char *envelope, size_t len, int *has, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    *has = 0;
    if ((rc = store_stmt(s, STMT_SYNC_FIGURES_HAS, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_blob64(st, 1, envelope, len, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *has = sqlite3_column_int64(st, 0) > 0;
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading the figures", err, errlen);
    store_stmt_done(st);
    return rc;
}

int store_sync_case_put(store *s, const store_sync_case *c, int keep_status, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if (!vocab_has(&vocab_statuses, c->status))
        return err_set(err, errlen, ERR_FORMAT, "case %s has an unknown status", c->ref);
    if ((rc = store_stmt(s, STMT_SYNC_CASE_PUT, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, c->ref, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, c->received, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, c->status, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, c->lookup, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, c->reporter_pk, 32, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, c->arrival_logged ? 1 : 0);
    if ((rc = store_step_done(s, st, "copying a case", err, errlen)) != 0 || keep_status)
        return rc;
    if ((rc = store_stmt(s, STMT_SYNC_CASE_STATUS, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, c->ref, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, c->status, -1, SQLITE_STATIC);
    return store_step_done(s, st, "copying a case", err, errlen);
}

/* Runs statement id with ref bound to ?1 (and n to ?2 when with_n). */
static int by_ref(store *s, store_stmt_id id, const char *ref, int with_n, int64_t n, const char *what,
                  char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, id, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
    if (with_n)
        sqlite3_bind_int64(st, 2, n);
    return store_step_done(s, st, what, err, errlen);
}

int store_sync_case_delete(store *s, const char *ref, char *err, size_t errlen)
{
    return by_ref(s, STMT_SYNC_CASE_DELETE, ref, 0, 0, "removing an erased case", err, errlen);
}

static void bind_record(sqlite3_stmt *st, const store_record *r, int with_seq)
{
    sqlite3_bind_int64(st, 1, r->id);
    sqlite3_bind_text(st, 2, r->case_ref, -1, SQLITE_STATIC);
    if (with_seq)
        sqlite3_bind_int64(st, 3, r->seq);
    sqlite3_bind_int(st, with_seq ? 4 : 3, r->audience);
    sqlite3_bind_text(st, with_seq ? 5 : 4, r->day, -1, SQLITE_STATIC);
    sqlite3_bind_blob64(st, with_seq ? 6 : 5, r->envelope, r->envelope_len, SQLITE_STATIC);
}

int store_sync_record_put(store *s, const store_record *r, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_SYNC_RECORD_PUT, &st, err, errlen)) != 0)
        return rc;
    bind_record(st, r, 1);
    return store_step_done(s, st, "copying a record", err, errlen);
}

int store_sync_record_add(store *s, const store_record *r, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_SYNC_RECORD_ADD, &st, err, errlen)) != 0)
        return rc;
    bind_record(st, r, 0);
    rc = store_step_done(s, st, "adding a record", err, errlen);
    if (rc == 0 && sqlite3_changes(s->db) == 0)
        return err_set(err, errlen, ERR_NOTFOUND, "no case %s", r->case_ref);
    if (rc == ERR_EXISTS)
        return err_set(err, errlen, ERR_EXISTS, "record %lld exists already", (long long)r->id);
    return rc;
}

int store_sync_record_seq(store *s, int64_t id, int64_t seq, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_SYNC_RECORD_SEQ, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, seq);
    return store_step_done(s, st, "renumbering records", err, errlen);
}

int store_sync_record_delete(store *s, int64_t id, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_SYNC_RECORD_DELETE, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    return store_step_done(s, st, "removing a record", err, errlen);
}

int store_sync_records_park(store *s, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc = store_stmt(s, STMT_SYNC_RECORDS_PARK, &st, err, errlen);

    return rc != 0 ? rc : store_step_done(s, st, "renumbering records", err, errlen);
}

typedef struct parked {
    int64_t id, case_id;
} parked;

typedef struct parked_list {
    parked *items;
    size_t n, cap;
} parked_list;

static int parked_row(sqlite3_stmt *st, void *vctx)
{
    parked_list *l = vctx;

    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        parked *bigger = realloc(l->items, cap * sizeof *bigger);
        if (bigger == NULL)
            return ERR_NOMEM;
        l->items = bigger;
        l->cap = cap;
    }
    l->items[l->n].id = sqlite3_column_int64(st, 0);
    l->items[l->n++].case_id = sqlite3_column_int64(st, 1);
    return 0;
}

int store_sync_records_unpark(store *s, char *err, size_t errlen)
{
    parked_list l = {NULL, 0, 0};
    sqlite3_stmt *st;
    int rc;

    /* Collected first: the renumbering writes the rows the query walks. */
    if ((rc = store_stmt(s, STMT_SYNC_PARKED, &st, err, errlen)) != 0)
        return rc;
    rc = store_rows(s, st, parked_row, &l, "renumbering records", err, errlen);
    if (rc == ERR_NOMEM)
        err_set(err, errlen, rc, "out of memory renumbering records");
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        if ((rc = store_stmt(s, STMT_SYNC_UNPARK_ONE, &st, err, errlen)) != 0)
            break;
        sqlite3_bind_int64(st, 1, l.items[i].id);
        sqlite3_bind_int64(st, 2, l.items[i].case_id);
        rc = store_step_done(s, st, "renumbering records", err, errlen);
    }
    free(l.items);
    return rc;
}

int store_sync_attachment_put(store *s, const store_sync_attachment *a, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_SYNC_ATTACHMENT_PUT, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, a->id);
    sqlite3_bind_text(st, 2, a->ref, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, a->meta_record);
    sqlite3_bind_blob(st, 4, a->header, sizeof a->header, SQLITE_STATIC);
    return store_step_done(s, st, "copying an attachment", err, errlen);
}

int store_sync_attachment_drop(store *s, int64_t id, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_SYNC_ATTACHMENT_DROP, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    return store_step_done(s, st, "removing an attachment", err, errlen);
}

int store_sync_figures_add(store *s, const unsigned char *envelope, size_t len, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_FIGURES_INSERT, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_blob64(st, 1, envelope, len, SQLITE_STATIC);
    return store_step_done(s, st, "copying figures", err, errlen);
}

int store_sync_set_status(store *s, const char *ref, const char *status, char *err, size_t errlen)
{
    store_case c;
    sqlite3_stmt *st;
    int rc;

    if (!vocab_has(&vocab_statuses, status))
        return err_set(err, errlen, ERR_FORMAT, "%s is not a status", status);
    if ((rc = store_case_by_ref(s, ref, &c, err, errlen)) != 0)
        return rc;
    if ((rc = store_stmt(s, STMT_SYNC_CASE_STATUS, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
    return store_step_done(s, st, "setting a status", err, errlen);
}

int store_sync_mark_arrival(store *s, const char *ref, char *err, size_t errlen)
{
    int rc = by_ref(s, STMT_SYNC_MARK_ARRIVAL, ref, 0, 0, "marking an arrival", err, errlen);

    if (rc == 0 && sqlite3_changes(s->db) == 0)
        return err_set(err, errlen, ERR_NOTFOUND, "no case %s", ref);
    return rc;
}

int store_sync_erase(store *s, const char *ref, int64_t last_record, int *erased, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    *erased = 0;
    if ((rc = store_stmt(s, STMT_SYNC_ERASE, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, last_record);
    sqlite3_bind_text(st, 3, vocab_statuses.values[VOCAB_STATUS_CLOSED], -1, SQLITE_STATIC);
    if ((rc = store_step_done(s, st, "erasing a case", err, errlen)) == 0)
        *erased = sqlite3_changes(s->db) > 0;
    return rc;
}

/* sync_state rows. */
static int state_put_blob(store *s, const char *name, const void *value, size_t len, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_SYNC_STATE_PUT, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, value, (int)len, SQLITE_STATIC);
    return store_step_done(s, st, "saving the replica's state", err, errlen);
}

static int state_put_int(store *s, const char *name, int64_t value, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_SYNC_STATE_PUT, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, value);
    return store_step_done(s, st, "saving the replica's state", err, errlen);
}

/* Reads a state row: into out (len bytes) when it is a blob of that length, and its integer
 * value into *n; *found says whether the row exists. */
static int state_get(store *s, const char *name, unsigned char *out, size_t len, int64_t *n, int *found,
                     char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    *found = 0;
    if ((rc = store_stmt(s, STMT_SYNC_STATE_GET, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *found = 1;
        if (out != NULL)
            column_bytes(st, 0, out, len);
        if (n != NULL)
            *n = sqlite3_column_int64(st, 0);
    }
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading the replica's state", err, errlen);
    store_stmt_done(st);
    return rc;
}

int store_sync_make_replica(store *s, const unsigned char server_id[16], char *err, size_t errlen)
{
    static const unsigned char zero[32];
    int rc = store_exec(s, store_schema_replica(), "making the replica", err, errlen);

    if (rc == 0)
        rc = state_put_blob(s, "of", server_id, 16, err, errlen);
    if (rc == 0)
        rc = store_sync_set_base(s, 0, zero, err, errlen);
    return rc;
}

int store_sync_replica_of(store *s, unsigned char server_id[16], int *is, char *err, size_t errlen)
{
    return state_get(s, "of", server_id, 16, NULL, is, err, errlen);
}

int store_sync_base(store *s, uint64_t *seq, unsigned char hash[32], char *err, size_t errlen)
{
    int64_t n = 0;
    int found, rc = state_get(s, "base-seq", NULL, 0, &n, &found, err, errlen);

    *seq = rc == 0 && found && n > 0 ? (uint64_t)n : 0;
    memset(hash, 0, 32);
    return rc != 0 ? rc : state_get(s, "base-hash", hash, 32, NULL, &found, err, errlen);
}

int store_sync_set_base(store *s, uint64_t seq, const unsigned char hash[32], char *err, size_t errlen)
{
    int rc = state_put_int(s, "base-seq", (int64_t)seq, err, errlen);

    return rc != 0 ? rc : state_put_blob(s, "base-hash", hash, 32, err, errlen);
}

static int state_put_text(store *s, const char *name, const char *value, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_SYNC_STATE_PUT, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    return store_step_done(s, st, "saving the replica's state", err, errlen);
}

int store_sync_origin(store *s, char name[STORE_ORIGIN_NAME_MAX + 1], int *found, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    name[0] = '\0';
    *found = 0;
    if ((rc = store_stmt(s, STMT_SYNC_STATE_GET, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, "origin", -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT) {
        store_column_text(st, 0, name, STORE_ORIGIN_NAME_MAX + 1);
        *found = name[0] != '\0';
    }
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading the replica's state", err, errlen);
    store_stmt_done(st);
    return rc;
}

int store_sync_set_origin(store *s, const char *name, char *err, size_t errlen)
{
    return state_put_text(s, "origin", name, err, errlen);
}

typedef int (*origin_file_fn)(void *ctx, const char *name, const char *file);

static int origin_file_row(sqlite3_stmt *st, void *vctx)
{
    store_row_fn *r = vctx;
    char name[STORE_ORIGIN_NAME_MAX + 1], file[4096];

    store_column_text(st, 0, name, sizeof name);
    store_column_text(st, 1, file, sizeof file);
    return ((origin_file_fn)r->fn)(r->ctx, name, file);
}

int store_sync_origin_files_each(store *s, origin_file_fn fn, void *ctx, char *err, size_t errlen)
{
    return rows(s, STMT_SYNC_ORIGIN_FILES, origin_file_row, (void (*)(void))fn, ctx, "reading the replica's origins",
                err, errlen);
}

int store_sync_add_origin_file(store *s, const char *name, const char *file, char *err, size_t errlen)
{
    char key[16 + STORE_ORIGIN_NAME_MAX];

    snprintf(key, sizeof key, "origin-file:%s", name);
    return state_put_text(s, key, file, err, errlen);
}

int store_sync_applying(store *s, int on, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if (on)
        return state_put_int(s, "applying", 1, err, errlen);
    if ((rc = store_stmt(s, STMT_SYNC_STATE_DELETE, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, "applying", -1, SQLITE_STATIC);
    return store_step_done(s, st, "saving the replica's state", err, errlen);
}

static int outbox_row(sqlite3_stmt *st, void *vctx)
{
    store_row_fn *r = vctx;
    store_outbox_item it;

    it.id = sqlite3_column_int64(st, 0);
    it.audit_seq = (uint64_t)sqlite3_column_int64(st, 1);
    it.kind = sqlite3_column_int(st, 2);
    store_column_text(st, 3, it.ref, sizeof it.ref);
    it.item = sqlite3_column_int64(st, 4);
    store_column_text(st, 5, it.was, sizeof it.was);
    return ((outbox_fn)r->fn)(r->ctx, &it);
}

int store_sync_outbox_each(store *s, outbox_fn fn, void *ctx, char *err, size_t errlen)
{
    return rows(s, STMT_SYNC_OUTBOX, outbox_row, (void (*)(void))fn, ctx, "reading what is to push", err, errlen);
}

static int pending_kind(sqlite3_stmt *st, void *vctx)
{
    int kind = sqlite3_column_int(st, 0);

    if (kind > 0 && kind < 32)
        *(unsigned *)vctx |= 1u << kind;
    return 0;
}

int store_sync_outbox_pending(store *s, const char *ref, unsigned *kinds, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    *kinds = 0;
    if ((rc = store_stmt(s, STMT_SYNC_OUTBOX_PENDING, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
    return store_rows(s, st, pending_kind, kinds, "reading what is to push", err, errlen);
}

static int run_plain(store *s, store_stmt_id id, const char *what, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc = store_stmt(s, id, &st, err, errlen);

    return rc != 0 ? rc : store_step_done(s, st, what, err, errlen);
}

int store_sync_outbox_park(store *s, char *err, size_t errlen)
{
    return run_plain(s, STMT_SYNC_OUTBOX_PARK, "renumbering what is to push", err, errlen);
}

int store_sync_outbox_renumber(store *s, uint64_t old_seq, uint64_t new_seq, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_SYNC_OUTBOX_RENUMBER, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, (int64_t)old_seq);
    sqlite3_bind_int64(st, 2, (int64_t)new_seq);
    return store_step_done(s, st, "renumbering what is to push", err, errlen);
}

int store_sync_outbox_forget(store *s, uint64_t seq, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_SYNC_OUTBOX_FORGET, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, (int64_t)seq);
    return store_step_done(s, st, "clearing what was pushed", err, errlen);
}

int store_sync_outbox_clear(store *s, char *err, size_t errlen)
{
    return run_plain(s, STMT_SYNC_OUTBOX_CLEAR, "clearing what was pushed", err, errlen);
}

static int blob_row(sqlite3_stmt *st, void *vctx)
{
    store_row_fn *r = vctx;

    return ((blob_fn)r->fn)(r->ctx, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
}

int audit_store_from(store *s, uint64_t from, blob_fn fn, void *ctx, char *err, size_t errlen)
{
    store_row_fn r = {(void (*)(void))fn, ctx};
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_AUDIT_FROM, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, (int64_t)from);
    return store_rows(s, st, blob_row, &r, "reading the audit log", err, errlen);
}

int audit_store_drop_after(store *s, uint64_t seq, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_AUDIT_DROP_AFTER, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, (int64_t)seq);
    return store_step_done(s, st, "renumbering the replica's audit entries", err, errlen);
}

int store_sync_snapshot(store *s, const char *path, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if (access(path, F_OK) == 0)
        return err_set(err, errlen, ERR_EXISTS, "%s exists already (a snapshot is never written over a file)", path);
    if ((rc = store_stmt(s, STMT_SNAPSHOT, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    if ((rc = store_step_done(s, st, "writing the snapshot", err, errlen)) != 0)
        return rc;
    /* The intake's csrf key stays on the server: a workstation has no use for it. */
    {
        store *copy = NULL;
        if ((rc = store_open(path, &copy, err, errlen)) == 0 &&
            (rc = store_stmt(copy, STMT_SETTING_DELETE, &st, err, errlen)) == 0) {
            sqlite3_bind_text(st, 1, "csrf_key", -1, SQLITE_STATIC);
            rc = store_step_done(copy, st, "writing the snapshot", err, errlen);
        }
        store_close(copy);
        if (rc != 0)
            unlink(path);
    }
    return rc;
}
