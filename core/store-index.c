/*
 * store-index.c: what caseworkers' own case indexes check in the database (the index generation,
 * the newest figures), the figures purged cases leave behind, and erasing cases for good (see
 * store.h). Statements come from the store's table (store-internal.h).
 */
#include <sodium.h>
#include <time.h>

#include "bytes.h"
#include "errors.h"
#include "store-internal.h"
#include "vocab.h"

int store_figures_max_id(store *s, int64_t *id, char *err, size_t errlen)
{
    return store_one_int64(s, STMT_FIGURES_MAX_ID, 0, id, "reading figures", err, errlen);
}

int store_index_generation(store *s, int bump, uint64_t *generation, char *err, size_t errlen)
{
    unsigned char value[8];
    sqlite3_stmt *st;
    int rc;

    *generation = 0;
    if ((rc = store_secret_setting(s, "index-generation", value, sizeof value, err, errlen)) != 0)
        return rc;
    *generation = bytes_load64_le(value);
    if (!bump)
        return 0;
    randombytes_buf(value, sizeof value);
    *generation = bytes_load64_le(value);
    if ((rc = store_stmt(s, STMT_SETTING_PUT, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, "index-generation", -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, value, sizeof value, SQLITE_STATIC);
    return store_step_done(s, st, "invalidating the caseworkers' indexes", err, errlen);
}

typedef int (*figures_fn)(void *ctx, int64_t id, const unsigned char *envelope, size_t len);

static int figures_row(sqlite3_stmt *st, void *vctx)
{
    store_row_fn *r = vctx;

    return ((figures_fn)r->fn)(r->ctx, sqlite3_column_int64(st, 0), sqlite3_column_blob(st, 1),
                               (size_t)sqlite3_column_bytes(st, 1));
}

int store_figures_since(store *s, int64_t after_id, figures_fn fn, void *ctx, char *err, size_t errlen)
{
    store_row_fn r = {(void (*)(void))fn, ctx};
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_stmt(s, STMT_FIGURES_SINCE, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, after_id);
    return store_rows(s, st, figures_row, &r, "reading figures", err, errlen);
}

int store_case_erase(store *s, int64_t case_id, int64_t last_record, const unsigned char *figures,
                     size_t len, int *erased, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    *erased = 0;
    if ((rc = store_stmt(s, STMT_CASE_DELETE_IF_UNCHANGED, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, last_record);
    sqlite3_bind_text(st, 3, vocab_statuses.values[VOCAB_STATUS_CLOSED], -1, SQLITE_STATIC);
    if ((rc = store_step_done(s, st, "erasing a case", err, errlen)) != 0)
        return rc;
    if (sqlite3_changes(s->db) == 0)
        return 0;   /* changed since it was read: kept */
    if ((rc = store_stmt(s, STMT_FIGURES_INSERT, &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_blob64(st, 1, figures, len, SQLITE_STATIC);
    if ((rc = store_step_done(s, st, "keeping a purged case's figures", err, errlen)) != 0)
        return rc;
    *erased = 1;
    return 0;
}

/* How long store_reclaim keeps trying a checkpoint that others hold up, and each try's wait. */
#define RECLAIM_DEADLINE_MS 5000
#define RECLAIM_TRY_MS 200

static long long now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int store_reclaim(store *s, char *err, size_t errlen)
{
    long long deadline = now_ms() + RECLAIM_DEADLINE_MS;
    int log = -1, copied = -1, rc;

    sqlite3_exec(s->db, "PRAGMA incremental_vacuum;", NULL, NULL, NULL);
    /* Another connection's own checkpoint (the intake runs them) makes this one return BUSY at
     * once, and a reader in a transaction holds it up: try again, a short wait each time. */
    sqlite3_busy_timeout(s->db, RECLAIM_TRY_MS);
    do {
        rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &copied);
        if (rc == SQLITE_BUSY)
            sqlite3_sleep(RECLAIM_TRY_MS / 4);
    } while (rc == SQLITE_BUSY && now_ms() < deadline);
    sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
    if (rc == SQLITE_BUSY || (rc == SQLITE_OK && log > 0))
        return err_set(err, errlen, ERR_BUSY, "another program has the database open, so copies of the erased "
                       "pages are still in its write-ahead log (%s-wal): close the other casework commands or "
                       "sqlite3 sessions on it, then run the same purge again to finish (it erases nothing more)",
                       sqlite3_db_filename(s->db, "main"));
    if (rc != SQLITE_OK)
        return err_set(err, errlen, ERR_IO, "cannot empty the write-ahead log after erasing: %s",
                       sqlite3_errmsg(s->db));
    return 0;
}
