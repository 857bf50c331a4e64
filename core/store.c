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
#include "store_schema.h"

#define APPLICATION_ID 0x53454131   /* "SEA1": marks a database as ours */
#define CASEREF_TRIES 8

struct store {
    sqlite3 *db;
};

/* Maps an SQLite result to our error codes and writes a message naming what was attempted. */
static int db_error(store *s, int rc, const char *what, char *err, size_t errlen)
{
    int code = ERR_IO;

    switch (rc & 0xff) {
    case SQLITE_FULL: code = ERR_FULL; break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: code = ERR_BUSY; break;
    case SQLITE_NOMEM: code = ERR_NOMEM; break;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT: code = ERR_FORMAT; break;
    case SQLITE_CONSTRAINT:
        code = rc == SQLITE_CONSTRAINT_FOREIGNKEY ? ERR_NOTFOUND
             : rc == SQLITE_CONSTRAINT_CHECK ? ERR_FORMAT : ERR_EXISTS;
        break;
    default: break;
    }
    if (code == ERR_FULL)
        return err_set(err, errlen, code, "%s: the disk or database is full (free space and try again)", what);
    if (code == ERR_BUSY)
        return err_set(err, errlen, code, "%s: the database stayed locked by another program (try again)", what);
    if (code == ERR_FORMAT)
        return err_set(err, errlen, code, "%s: the file is not a database or is damaged (restore it from a backup)", what);
    return err_set(err, errlen, code, "%s: %s", what, s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
}

static int exec(store *s, const char *sql, const char *what, char *err, size_t errlen)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

    return rc == SQLITE_OK ? 0 : db_error(s, rc, what, err, errlen);
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
        rc = db_error(s, rc, "reading the database version", err, errlen);
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
        if ((rc = exec(s, store_schema_migration(v), "migrating the database", err, errlen)) != 0)
            goto fail;
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
        if ((rc = exec(s, sql, "migrating the database", err, errlen)) != 0)
            goto fail;
    }
    if (app_id == 0) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d", APPLICATION_ID);
        if ((rc = exec(s, sql, "marking the database", err, errlen)) != 0)
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
        rc = db_error(s, rc, "opening the database", err, errlen);
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
            rc = db_error(s, rc, "opening the database", err, errlen);
            goto fail;
        }
        if (strcmp(mode, "wal") != 0) {
            rc = err_set(err, errlen, ERR_IO, "the database cannot use write-ahead logging (is its folder writable?)");
            goto fail;
        }
    }
    if ((rc = exec(s, pragmas, "configuring the database", err, errlen)) != 0)
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
        rc = db_error(s, rc, "opening the database", err, errlen);
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

sqlite3 *store_db(store *s)
{
    return s->db;
}

int store_schema_version(store *s)
{
    int v = 0;

    return pragma_int(s, "PRAGMA user_version", &v) == SQLITE_OK ? v : ERR_IO;
}

int store_begin(store *s, char *err, size_t errlen)
{
    return exec(s, "BEGIN IMMEDIATE", "starting a transaction", err, errlen);
}

int store_commit(store *s, char *err, size_t errlen)
{
    int rc = exec(s, "COMMIT", "committing", err, errlen);

    if (rc != 0)
        store_rollback(s);
    return rc;
}

void store_rollback(store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int store_writable(store *s, char *err, size_t errlen)
{
    int rc = store_begin(s, err, errlen);

    if (rc == 0)
        store_rollback(s);
    return rc;
}

/* Prepares sql or reports why not. */
static int prepare(store *s, const char *sql, sqlite3_stmt **st, char *err, size_t errlen)
{
    int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);

    return rc == SQLITE_OK ? 0 : db_error(s, rc, "preparing a query", err, errlen);
}

/* Runs a statement that returns no rows, then finalizes it. */
static int step_done(store *s, sqlite3_stmt *st, const char *what, char *err, size_t errlen)
{
    int rc = sqlite3_step(st);

    rc = rc == SQLITE_DONE ? 0 : db_error(s, rc, what, err, errlen);
    sqlite3_finalize(st);
    return rc;
}

int store_case_insert(store *s, const char *ref, const unsigned char lookup[32],
                      const unsigned char reporter_pk[32], store_case *c, char *err, size_t errlen)
{
    static const char sql[] =
        "INSERT INTO cases(ref, received, lookup, reporter_pk) VALUES (?, ?, ?, ?)";
    sqlite3_stmt *st;
    int rc = 0;

    memset(c, 0, sizeof *c);
    day_today(c->received);
    snprintf(c->status, sizeof c->status, "new");
    memcpy(c->reporter_pk, reporter_pk, 32);
    if ((rc = prepare(s, sql, &st, err, errlen)) != 0)
        return rc;
    for (int tries = 0; tries < (ref != NULL ? 1 : CASEREF_TRIES); tries++) {
        if (ref != NULL)
            snprintf(c->ref, sizeof c->ref, "%s", ref);
        else
            caseref_generate(c->ref);
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, c->ref, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, c->received, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, lookup, 32, SQLITE_STATIC);
        sqlite3_bind_blob(st, 4, reporter_pk, 32, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE) {
            c->id = sqlite3_last_insert_rowid(s->db);
            sqlite3_finalize(st);
            return 0;
        }
        if (rc != SQLITE_CONSTRAINT_UNIQUE || strstr(sqlite3_errmsg(s->db), "cases.ref") == NULL)
            break;
    }
    rc = db_error(s, rc, "saving the case", err, errlen);
    sqlite3_finalize(st);
    return rc;
}

static int case_by(store *s, const char *sql, const void *key, int key_len, store_case *c,
                   char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    memset(c, 0, sizeof *c);
    if ((rc = prepare(s, sql, &st, err, errlen)) != 0)
        return rc;
    if (key_len < 0)
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    else
        sqlite3_bind_blob(st, 1, key, key_len, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const void *pk = sqlite3_column_blob(st, 4);
        c->id = sqlite3_column_int64(st, 0);
        snprintf(c->ref, sizeof c->ref, "%s", (const char *)sqlite3_column_text(st, 1));
        snprintf(c->received, sizeof c->received, "%s", (const char *)sqlite3_column_text(st, 2));
        snprintf(c->status, sizeof c->status, "%s", (const char *)sqlite3_column_text(st, 3));
        if (pk != NULL && sqlite3_column_bytes(st, 4) == 32)
            memcpy(c->reporter_pk, pk, 32);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = err_set(err, errlen, ERR_NOTFOUND, "no such case");
    } else {
        rc = db_error(s, rc, "reading a case", err, errlen);
    }
    sqlite3_finalize(st);
    return rc;
}

int store_case_by_ref(store *s, const char *ref, store_case *c, char *err, size_t errlen)
{
    return case_by(s, "SELECT id, ref, received, status, reporter_pk FROM cases WHERE ref = ?",
                   ref, -1, c, err, errlen);
}

int store_case_by_lookup(store *s, const unsigned char lookup[32], store_case *c, char *err,
                         size_t errlen)
{
    return case_by(s, "SELECT id, ref, received, status, reporter_pk FROM cases WHERE lookup = ?",
                   lookup, 32, c, err, errlen);
}

int store_case_set_status(store *s, int64_t case_id, const char *status, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = prepare(s, "UPDATE cases SET status = ? WHERE id = ?", &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, case_id);
    if ((rc = step_done(s, st, "setting the status", err, errlen)) != 0)
        return rc;
    return sqlite3_changes(s->db) == 1 ? 0 : err_set(err, errlen, ERR_NOTFOUND, "no such case");
}

int store_record_add(store *s, int64_t case_id, enum store_audience audience,
                     const unsigned char *envelope, size_t len, int64_t *record_id,
                     char *err, size_t errlen)
{
    sqlite3_stmt *st;
    char day[DAY_TEXT_SIZE];
    int rc;

    day_today(day);
    if ((rc = prepare(s, "INSERT INTO records(case_id, audience, day, envelope) VALUES (?, ?, ?, ?)",
                      &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int(st, 2, (int)audience);
    sqlite3_bind_text(st, 3, day, -1, SQLITE_STATIC);
    sqlite3_bind_blob64(st, 4, envelope, len, SQLITE_STATIC);
    if ((rc = step_done(s, st, "saving a record", err, errlen)) != 0)
        return rc;
    if (record_id != NULL)
        *record_id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int store_records_each(store *s, int64_t case_id, int audience,
                       int (*fn)(void *ctx, const store_record *r), void *ctx,
                       char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    rc = prepare(s, "SELECT id, audience, day, envelope FROM records"
                    " WHERE case_id = ?1 AND (?2 = 0 OR audience = ?2) ORDER BY id",
                 &st, err, errlen);
    if (rc != 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int(st, 2, audience);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_record r;
        r.id = sqlite3_column_int64(st, 0);
        r.audience = sqlite3_column_int(st, 1);
        snprintf(r.day, sizeof r.day, "%s", (const char *)sqlite3_column_text(st, 2));
        r.envelope = sqlite3_column_blob(st, 3);
        r.envelope_len = (size_t)sqlite3_column_bytes(st, 3);
        if ((rc = fn(ctx, &r)) != 0) {
            sqlite3_finalize(st);
            return rc;
        }
    }
    rc = rc == SQLITE_DONE ? 0 : db_error(s, rc, "reading records", err, errlen);
    sqlite3_finalize(st);
    return rc;
}

int store_record_replace(store *s, int64_t record_id, const unsigned char *envelope, size_t len,
                         char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = prepare(s, "UPDATE records SET envelope = ? WHERE id = ?", &st, err, errlen)) != 0)
        return rc;
    sqlite3_bind_blob64(st, 1, envelope, len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, record_id);
    if ((rc = step_done(s, st, "updating a record", err, errlen)) != 0)
        return rc;
    return sqlite3_changes(s->db) == 1 ? 0 : err_set(err, errlen, ERR_NOTFOUND, "no such record");
}

int store_attachment_add(store *s, int64_t case_id, int64_t meta_record,
                         const unsigned char header[24], int64_t *attachment_id,
                         char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    rc = prepare(s, "INSERT INTO attachments(case_id, meta_record, header) VALUES (?, ?, ?)",
                 &st, err, errlen);
    if (rc != 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, meta_record);
    sqlite3_bind_blob(st, 3, header, 24, SQLITE_STATIC);
    if ((rc = step_done(s, st, "saving an attachment", err, errlen)) != 0)
        return rc;
    *attachment_id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int store_attachment_chunk_add(store *s, int64_t attachment_id, int64_t seq,
                               const unsigned char *data, size_t len, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    rc = prepare(s, "INSERT INTO attachment_chunks(attachment_id, seq, data) VALUES (?, ?, ?)",
                 &st, err, errlen);
    if (rc != 0)
        return rc;
    sqlite3_bind_int64(st, 1, attachment_id);
    sqlite3_bind_int64(st, 2, seq);
    sqlite3_bind_blob64(st, 3, data, len, SQLITE_STATIC);
    if ((rc = step_done(s, st, "saving an attachment", err, errlen)) != 0)
        return rc;
    rc = prepare(s, "UPDATE attachments SET stored_size = stored_size + ? WHERE id = ?", &st, err, errlen);
    if (rc != 0)
        return rc;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)len);
    sqlite3_bind_int64(st, 2, attachment_id);
    return step_done(s, st, "saving an attachment", err, errlen);
}

int store_attachment_header(store *s, int64_t attachment_id, unsigned char header[24],
                            int64_t *meta_record, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    rc = prepare(s, "SELECT header, meta_record FROM attachments WHERE id = ?", &st, err, errlen);
    if (rc != 0)
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
        rc = db_error(s, rc, "reading an attachment", err, errlen);
    }
    sqlite3_finalize(st);
    return rc;
}

int store_attachment_chunks_each(store *s, int64_t attachment_id,
                                 int (*fn)(void *ctx, const unsigned char *chunk, size_t len),
                                 void *ctx, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    rc = prepare(s, "SELECT data FROM attachment_chunks WHERE attachment_id = ? ORDER BY seq",
                 &st, err, errlen);
    if (rc != 0)
        return rc;
    sqlite3_bind_int64(st, 1, attachment_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = fn(ctx, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0))) != 0) {
            sqlite3_finalize(st);
            return rc;
        }
    }
    rc = rc == SQLITE_DONE ? 0 : db_error(s, rc, "reading an attachment", err, errlen);
    sqlite3_finalize(st);
    return rc;
}

int store_secret_setting(store *s, const char *name, unsigned char *out, size_t len,
                         char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_begin(s, err, errlen)) != 0)
        return rc;
    if ((rc = prepare(s, "SELECT value FROM settings WHERE name = ?", &st, err, errlen)) != 0)
        goto fail;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && (size_t)sqlite3_column_bytes(st, 0) == len) {
        memcpy(out, sqlite3_column_blob(st, 0), len);
        sqlite3_finalize(st);
        store_rollback(s);
        return 0;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        rc = db_error(s, rc, "reading a setting", err, errlen);
        goto fail;
    }
    randombytes_buf(out, len);
    if ((rc = prepare(s, "INSERT OR REPLACE INTO settings(name, value) VALUES (?, ?)", &st, err, errlen)) != 0)
        goto fail;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, out, (int)len, SQLITE_STATIC);
    if ((rc = step_done(s, st, "saving a setting", err, errlen)) != 0)
        goto fail;
    return store_commit(s, err, errlen);
fail:
    store_rollback(s);
    return rc;
}
