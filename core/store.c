/*
 * store.c: opening, migrating and using the SQLite store (see store.h).
 */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "store-internal.h"
#include "store_schema.h"

#define APPLICATION_ID 0x53454131   /* "SEA1": marks a database as ours */

/* What the project's error code for an SQLite result is, and what to tell the person. */
typedef struct store_failure {
    int primary;            /* SQLite's primary result code */
    int code;               /* ERR_* */
    const char *what_to_do; /* follows "WHAT: " */
} store_failure;

static const store_failure failures[] = {
    {SQLITE_FULL, ERR_FULL, "the disk or database is full (free space and try again)"},
    {SQLITE_BUSY, ERR_BUSY, "the database stayed locked by another program (try again)"},
    {SQLITE_LOCKED, ERR_BUSY, "the database stayed locked by another program (try again)"},
    {SQLITE_NOMEM, ERR_NOMEM, "out of memory (close other programs and try again)"},
    {SQLITE_NOTADB, ERR_FORMAT, "the file is not a database or is damaged (restore it from a backup)"},
    {SQLITE_CORRUPT, ERR_FORMAT, "the file is not a database or is damaged (restore it from a backup)"},
    {SQLITE_READONLY, ERR_IO, "the database is open read-only (check its permissions, or use a command that only reads)"},
    {SQLITE_CANTOPEN, ERR_IO, "the database file cannot be opened (check the path, the folder and their permissions)"},
    {SQLITE_PERM, ERR_IO, "the database file may not be written (check its permissions)"},
    {SQLITE_IOERR, ERR_IO, "the disk refused a read or write (check the disk, then try again)"},
    {SQLITE_TOOBIG, ERR_LIMIT, "the value is too large for the database"},
};

int store_error(store *s, int rc, const char *what, char *err, size_t errlen)
{
    const char *detail = s != NULL && s->db != NULL ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);

    for (size_t i = 0; i < sizeof failures / sizeof failures[0]; i++)
        if ((rc & 0xff) == failures[i].primary)
            return err_set(err, errlen, failures[i].code, "%s: %s", what, failures[i].what_to_do);
    switch (rc) {
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return err_set(err, errlen, ERR_NOTFOUND, "%s: the case it belongs to is gone (purged meanwhile?): check with casework list", what);
    case SQLITE_CONSTRAINT_CHECK:
        return err_set(err, errlen, ERR_FORMAT, "%s: a value is not one the database accepts (%s)", what, detail);
    default:
        if ((rc & 0xff) == SQLITE_CONSTRAINT)
            return err_set(err, errlen, ERR_EXISTS, "%s: it is stored already (%s)", what, detail);
        return err_set(err, errlen, ERR_IO, "%s: %s (a database error this program does not expect: keep the file and report it)", what, detail);
    }
}

int store_exec(store *s, const char *sql, const char *what, char *err, size_t errlen)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

    return rc == SQLITE_OK ? 0 : store_error(s, rc, what, err, errlen);
}

static int pragma_int(store *s, const char *sql, int *value)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *value = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/*
 * Creates the file 0600 when missing, so the database never exists with wider permissions, and
 * refuses an existing one that others can read. An existing file is only stat()ed, never opened
 * and closed here: closing any descriptor of a file drops every POSIX lock this process holds on
 * it, and another connection of this process (the intake has two) may be holding SQLite's.
 */
static int precreate(const char *path, char *err, size_t errlen)
{
    struct stat st;
    int fd;

    if (lstat(path, &st) != 0) {
        fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST)
            return err_set(err, errlen, errno == ENOSPC ? ERR_FULL : ERR_IO,
                           "cannot create database %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);   /* a file nobody else has yet */
        if (lstat(path, &st) != 0)
            return err_set(err, errlen, ERR_IO, "cannot open database %s: %s", path, strerror(errno));
    }
    if (!S_ISREG(st.st_mode))
        return err_set(err, errlen, ERR_IO, "database %s is not a regular file", path);
    if (st.st_mode & 077)
        return err_set(err, errlen, ERR_IO, "database %s can be read by other users (run: chmod 600 %s)", path, path);
    return 0;
}

static int migrate(store *s, char *err, size_t errlen)
{
    int version = 0, app_id = 0, objects = 0, rc;

    rc = store_begin(s, err, errlen);
    if (rc != 0)
        return rc;
    if ((rc = pragma_int(s, "PRAGMA user_version", &version)) != SQLITE_OK ||
        (rc = pragma_int(s, "PRAGMA application_id", &app_id)) != SQLITE_OK ||
        (rc = pragma_int(s, "SELECT count(*) FROM sqlite_schema", &objects)) != SQLITE_OK) {
        rc = store_error(s, rc, "reading the database version", err, errlen);
        goto fail;
    }
    if (app_id != APPLICATION_ID && (app_id != 0 || objects > 0)) {
        rc = err_set(err, errlen, ERR_FORMAT, "the database is not one of this system's (check the --db path)");
        goto fail;
    }
    if (version > store_schema_latest()) {
        rc = err_set(err, errlen, ERR_VERSION, "the database was written by a newer version (schema %d; this program knows %d): upgrade this program", version, store_schema_latest());
        goto fail;
    }
    for (int v = version + 1; v <= store_schema_latest(); v++) {
        char sql[64];
        if ((rc = store_exec(s, store_schema_migration(v), "migrating the database", err, errlen)) != 0)
            goto fail;
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
        if ((rc = store_exec(s, sql, "migrating the database", err, errlen)) != 0)
            goto fail;
    }
    if (app_id == 0) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d", APPLICATION_ID);
        if ((rc = store_exec(s, sql, "marking the database", err, errlen)) != 0)
            goto fail;
    }
    return store_commit(s, err, errlen);
fail:
    store_rollback(s);
    return rc;
}

int store_open(const char *path, store **out, char *err, size_t errlen)
{
    static const char pragmas[] =
        "PRAGMA foreign_keys = ON;"
        "PRAGMA secure_delete = ON;"
        "PRAGMA trusted_schema = OFF;"
        "PRAGMA synchronous = FULL;";
    store *s;
    int rc;
    char mode[16] = "";

    *out = NULL;
    if ((rc = precreate(path, err, errlen)) != 0)
        return rc;
    s = calloc(1, sizeof *s);
    if (s == NULL)
        return err_set(err, errlen, ERR_NOMEM, "out of memory opening the database");
    rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
    if (rc != SQLITE_OK) {
        rc = store_error(s, rc, "opening the database", err, errlen);
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
    {
        sqlite3_stmt *st;
        rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
        if (rc == SQLITE_OK) {
            rc = sqlite3_step(st);
            if (rc == SQLITE_ROW) {
                snprintf(mode, sizeof mode, "%s", (const char *)sqlite3_column_text(st, 0));
                rc = SQLITE_OK;
            }
            sqlite3_finalize(st);
        }
        if (rc != SQLITE_OK) {
            rc = store_error(s, rc, "opening the database", err, errlen);
            goto fail;
        }
        if (strcmp(mode, "wal") != 0) {
            rc = err_set(err, errlen, ERR_IO, "the database cannot use write-ahead logging (is its folder writable?)");
            goto fail;
        }
    }
    if ((rc = store_exec(s, pragmas, "configuring the database", err, errlen)) != 0)
        goto fail;
    /* Takes effect only on a new, empty file: lets purge give freed pages back. */
    sqlite3_exec(s->db, "PRAGMA auto_vacuum = INCREMENTAL", NULL, NULL, NULL);
    if ((rc = migrate(s, err, errlen)) != 0)
        goto fail;
    *out = s;
    return 0;
fail:
    store_close(s);
    return rc;
}

int store_open_readonly(const char *path, store **out, char *err, size_t errlen)
{
    int version = 0, app_id = 0, rc;
    store *s;

    *out = NULL;
    if (access(path, F_OK) != 0)
        return err_set(err, errlen, ERR_NOTFOUND, "database %s does not exist (check --db or CASEWORK_DB)", path);
    s = calloc(1, sizeof *s);
    if (s == NULL)
        return err_set(err, errlen, ERR_NOMEM, "out of memory opening the database");
    rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(s->db, 1);
        sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
        sqlite3_exec(s->db, "PRAGMA trusted_schema = OFF", NULL, NULL, NULL);
        rc = pragma_int(s, "PRAGMA application_id", &app_id);
    }
    if (rc == SQLITE_OK)
        rc = pragma_int(s, "PRAGMA user_version", &version);
    if (rc != SQLITE_OK) {
        rc = store_error(s, rc, "opening the database", err, errlen);
    } else if (app_id != APPLICATION_ID) {
        rc = err_set(err, errlen, ERR_FORMAT, "%s is not a database of this system (check --db)", path);
    } else if (version != STORE_SCHEMA_VERSION) {
        rc = err_set(err, errlen, ERR_VERSION, "%s has schema %d, this program reads %d (%s)", path, version,
                     STORE_SCHEMA_VERSION, version < STORE_SCHEMA_VERSION ? "open it once with the intake or casework to upgrade it" : "upgrade this program");
    }
    if (rc != 0) {
        store_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void store_close(store *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < STORE_STMT_COUNT; i++)
        sqlite3_finalize(s->stmts[i]);
    sqlite3_close_v2(s->db);
    free(s);
}

void store_set_busy_timeout(store *s, int ms)
{
    sqlite3_busy_timeout(s->db, ms);
}

void store_set_max_size(store *s, unsigned long mb)
{
    int page_size = 4096;
    char sql[64];

    if (mb == 0)
        return;
    pragma_int(s, "PRAGMA page_size", &page_size);
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lu", mb * 1024 * 1024 / (unsigned long)page_size);
    sqlite3_exec(s->db, sql, NULL, NULL, NULL);
}

static int note_wal(void *ctx, sqlite3 *db, const char *name, int frames)
{
    (void)db;
    (void)name;
    ((store *)ctx)->wal_frames = frames;
    return SQLITE_OK;
}

void store_tune_for_writes(store *s)
{
    sqlite3_exec(s->db, "PRAGMA cache_size = -16384", NULL, NULL, NULL);
    sqlite3_wal_hook(s->db, note_wal, s);   /* replaces the automatic checkpoint */
}

int store_wal_frames(const store *s)
{
    return s->wal_frames;
}

int store_checkpoint(store *s)
{
    int rc = s != NULL ? sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL) : SQLITE_OK;

    return rc == SQLITE_OK || rc == SQLITE_BUSY ? 0 : ERR_IO;
}

void store_skip_sync(store *s)
{
    sqlite3_exec(s->db, "PRAGMA synchronous = OFF", NULL, NULL, NULL);
}

int store_schema_version(store *s)
{
    int v = 0;

    return pragma_int(s, "PRAGMA user_version", &v) == SQLITE_OK ? v : ERR_IO;
}

int store_begin(store *s, char *err, size_t errlen)
{
    return store_exec(s, "BEGIN IMMEDIATE", "starting a transaction", err, errlen);
}

int store_begin_read(store *s, char *err, size_t errlen)
{
    return store_exec(s, "BEGIN DEFERRED", "starting a transaction", err, errlen);
}

int store_commit(store *s, char *err, size_t errlen)
{
    int rc = store_exec(s, "COMMIT", "committing", err, errlen);

    if (rc != 0)
        store_rollback(s);
    return rc;
}

void store_rollback(store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int store_savepoint(store *s, char *err, size_t errlen)
{
    return store_exec(s, "SAVEPOINT step", "starting a step", err, errlen);
}

int store_savepoint_release(store *s, char *err, size_t errlen)
{
    return store_exec(s, "RELEASE step", "ending a step", err, errlen);
}

void store_savepoint_undo(store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK TO step; RELEASE step", NULL, NULL, NULL);
}

int store_in_transaction(store *s)
{
    return !sqlite3_get_autocommit(s->db);
}

int store_writable(store *s, char *err, size_t errlen)
{
    int rc = store_begin(s, err, errlen);

    if (rc == 0)
        store_rollback(s);
    return rc;
}

int store_stmt(store *s, store_stmt_id id, sqlite3_stmt **out, char *err, size_t errlen)
{
    int rc;

    *out = NULL;
    if (s->stmts[id] == NULL) {
        rc = sqlite3_prepare_v3(s->db, store_statement_sql(id), -1, SQLITE_PREPARE_PERSISTENT,
                                &s->stmts[id], NULL);
        if (rc != SQLITE_OK)
            return store_error(s, rc, "preparing a query", err, errlen);
    } else if (sqlite3_stmt_busy(s->stmts[id])) {
        return err_set(err, errlen, ERR_INTERNAL, "a query was reused while it was still running (a bug: please report it)");
    }
    *out = s->stmts[id];
    return 0;
}

void store_stmt_done(sqlite3_stmt *st)
{
    if (st == NULL)
        return;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

int store_one_int64(store *s, store_stmt_id id, int64_t param, int64_t *out, const char *what,
                    char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    *out = 0;
    if ((rc = store_stmt(s, id, &st, err, errlen)) != 0)
        return rc;
    if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int64(st, 1, param);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_error(s, rc, what, err, errlen);
    store_stmt_done(st);
    return rc;
}

int store_step_done(store *s, sqlite3_stmt *st, const char *what, char *err, size_t errlen)
{
    int rc = sqlite3_step(st);

    rc = rc == SQLITE_DONE ? 0 : store_error(s, rc, what, err, errlen);
    store_stmt_done(st);
    return rc;
}

int store_rows(store *s, sqlite3_stmt *st, int (*row)(sqlite3_stmt *st, void *ctx), void *ctx,
               const char *what, char *err, size_t errlen)
{
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = row(st, ctx)) != 0) {
            store_stmt_done(st);
            return rc;
        }
    }
    rc = rc == SQLITE_DONE ? 0 : store_error(s, rc, what, err, errlen);
    store_stmt_done(st);
    return rc;
}

void store_column_text(sqlite3_stmt *st, int col, char *out, size_t outlen)
{
    const unsigned char *t = sqlite3_column_text(st, col);

    snprintf(out, outlen, "%s", t != NULL ? (const char *)t : "");
}
