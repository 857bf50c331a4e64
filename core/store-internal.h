/*
 * store-internal.h: what the store's own files share and nothing else sees: the connection,
 * the one table of SQL statements (store-statements.c), and the one mapping from SQLite results
 * to the project's errors. Every statement of the project is in that table, indexed by
 * store_stmt_id, prepared once per connection (SQLITE_PREPARE_PERSISTENT) on first use, reset
 * and unbound after each use, and finalized together by store_close. The model is SQLite's own
 * ext/fts5/fts5_storage.c (fts5StorageGetStmt).
 */
#ifndef SEA_STORE_INTERNAL_H
#define SEA_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>

#include "store.h"

typedef enum store_stmt_id {
    /* cases, records, attachments, settings (store-cases.c) */
    STMT_CASE_INSERT,
    STMT_CASE_BY_REF,
    STMT_CASE_REFS_BY_PREFIX,
    STMT_CASE_BY_LOOKUP,
    STMT_CASE_ERASED,
    STMT_CASE_SET_STATUS,
    STMT_CASES_ALL,
    STMT_CASES_WITH_STATUS,
    STMT_CASE_COUNT,
    STMT_CASE_LAST_RECORD,
    STMT_RECORD_INSERT,
    STMT_RECORDS_OF_CASE,
    STMT_RECORDS_AFTER,
    STMT_CASE_SEQS,
    STMT_RECORD_REPLACE,
    STMT_ATTACHMENT_INSERT,
    STMT_ATTACHMENT_CHUNK_INSERT,
    STMT_ATTACHMENT_GROW,
    STMT_ATTACHMENT_HEADER,
    STMT_ATTACHMENT_CHUNKS,
    STMT_ATTACHMENTS_OF_CASE,
    STMT_SETTING_GET,
    STMT_SETTING_PUT,
    STMT_SETTING_DELETE,
    /* the audit log (store-audit.c) */
    STMT_AUDIT_ALL,
    STMT_AUDIT_OLDEST,
    STMT_AUDIT_DROP_V1,
    STMT_AUDIT_KEYS_FORGET,
    STMT_AUDIT_NEWEST,
    STMT_AUDIT_INSERT,
    STMT_AUDIT_KEY_ENTRY,
    STMT_AUDIT_KEY_PUT,
    STMT_ARRIVALS_UNLOGGED,
    STMT_ARRIVALS_MARK,
    /* what caseworkers' own indexes check, purged cases' figures (store-index.c) */
    STMT_FIGURES_SINCE,
    STMT_FIGURES_MAX_ID,
    STMT_FIGURES_INSERT,
    STMT_CASE_DELETE_IF_UNCHANGED,
    /* replicas and the exchange (store-sync.c) */
    STMT_SYNC_CASES,
    STMT_SYNC_RECORDS,
    STMT_SYNC_RECORD,
    STMT_SYNC_ATTACHMENTS,
    STMT_SYNC_HAS_ATTACHMENT,
    STMT_SYNC_FIGURES_HAS,
    STMT_SYNC_CASE_PUT,
    STMT_SYNC_CASE_STATUS,
    STMT_SYNC_CASE_DELETE,
    STMT_SYNC_RECORD_PUT,
    STMT_SYNC_RECORD_ADD,
    STMT_SYNC_RECORD_SEQ,
    STMT_SYNC_RECORD_DELETE,
    STMT_SYNC_RECORDS_PARK,
    STMT_SYNC_PARKED,
    STMT_SYNC_UNPARK_ONE,
    STMT_SYNC_ATTACHMENT_PUT,
    STMT_SYNC_ATTACHMENT_DROP,
    STMT_SYNC_MARK_ARRIVAL,
    STMT_SYNC_ERASE,
    STMT_SYNC_STATE_GET,
    STMT_SYNC_STATE_PUT,
    STMT_SYNC_STATE_DELETE,
    STMT_SYNC_ORIGIN_FILES,
    STMT_SYNC_OUTBOX,
    STMT_SYNC_OUTBOX_PENDING,
    STMT_SYNC_OUTBOX_PARK,
    STMT_SYNC_OUTBOX_RENUMBER,
    STMT_SYNC_OUTBOX_FORGET,
    STMT_SYNC_OUTBOX_CLEAR,
    STMT_SNAPSHOT,
    STMT_AUDIT_FROM,
    STMT_AUDIT_DROP_AFTER,
    STORE_STMT_COUNT
} store_stmt_id;

struct store {
    sqlite3 *db;
    sqlite3_stmt *stmts[STORE_STMT_COUNT];
    int wal_frames;   /* after store_tune_for_writes: the WAL's length after the last commit */
};

/*
 * store_records_rows: steps st, a records query whose columns are (id, case_id, audience, day,
 * envelope, ref, seq), calling fn with each record. As store_rows.
 */
int store_records_rows(store *s, sqlite3_stmt *st, int (*fn)(void *ctx, const store_record *r), void *ctx,
                       char *err, size_t errlen);

/* store_exec: runs a script of SQL (schema text, never values); 0 or store_error's code for what. */
int store_exec(store *s, const char *sql, const char *what, char *err, size_t errlen);

/* store_statement_sql: the SQL text of statement id (store-statements.c). */
const char *store_statement_sql(store_stmt_id id);

/*
 * store_stmt: the prepared statement id of s, prepared on first use, ready to bind. Returns 0
 * and *out; or an error with a message (then *out is NULL). A statement still being stepped
 * (a callback of an iteration reached the same query again) is refused with ERR_INTERNAL.
 * The caller hands it back with store_stmt_done on every path.
 */
int store_stmt(store *s, store_stmt_id id, sqlite3_stmt **out, char *err, size_t errlen);

/* store_stmt_done: resets st and clears its bindings; accepts NULL. */
void store_stmt_done(sqlite3_stmt *st);

/*
 * store_error: maps an SQLite result code to the project's error and writes a message naming
 * what was attempted and what to do. The one mapping every store function uses.
 */
int store_error(store *s, int rc, const char *what, char *err, size_t errlen);

/*
 * store_step_done: steps st (a statement that returns no rows) once, hands it back with
 * store_stmt_done, and returns 0 or store_error's code for what.
 */
int store_step_done(store *s, sqlite3_stmt *st, const char *what, char *err, size_t errlen);

/*
 * store_rows: steps st through its rows, calling row(st, ctx) on each, and hands st back with
 * store_stmt_done. Stops at row's first non-zero return and returns it; else 0, or
 * store_error's code for what.
 */
int store_rows(store *s, sqlite3_stmt *st, int (*row)(sqlite3_stmt *st, void *ctx), void *ctx,
               const char *what, char *err, size_t errlen);

/* A row callback's context for the common case: one user callback and its context. */
typedef struct store_row_fn {
    void (*fn)(void);   /* cast back to its real type by the row callback */
    void *ctx;
} store_row_fn;

/*
 * store_one_int64: runs statement id (with param bound to its one parameter, when it has one)
 * for one integer in *out (0 when there is no row). Returns 0 or store_error's code for what.
 */
int store_one_int64(store *s, store_stmt_id id, int64_t param, int64_t *out, const char *what,
                    char *err, size_t errlen);

/*
 * store_column_text: copies column col of st into out (outlen bytes, NUL-terminated, cut to
 * fit); "" for NULL.
 */
void store_column_text(sqlite3_stmt *st, int col, char *out, size_t outlen);

#endif
