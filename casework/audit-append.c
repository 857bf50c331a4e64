/*
 * audit-append.c: signed, chained audit entries (see audit-append.h and audit.h).
 */
#include "audit-append.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "day.h"
#include "errors.h"

/* The chain position an append continues from. */
typedef struct chain {
    uint64_t seq;
    unsigned char hash[AUDIT_HASHBYTES];
} chain;

static int append_one(store *s, const caseworker_key *k, chain *c, const char *time_text,
                      const char *action, const char *case_ref, const char *details,
                      char *err, size_t errlen)
{
    unsigned char entry[AUDIT_ENTRY_MAX + 1 + AUDIT_SIGBYTES], hash[AUDIT_HASHBYTES];
    audit_entry e;
    size_t len;
    int rc;

    memset(&e, 0, sizeof e);
    e.seq = c->seq + 1;
    memcpy(e.prev_hash, c->hash, AUDIT_HASHBYTES);
    snprintf(e.time, sizeof e.time, "%s", time_text);
    memcpy(e.key_id, k->pub.key_id, PUBKEY_IDBYTES);
    snprintf(e.actor, sizeof e.actor, "%s", k->pub.name);
    snprintf(e.action, sizeof e.action, "%s", action);
    snprintf(e.case_ref, sizeof e.case_ref, "%s", case_ref);
    snprintf(e.details, sizeof e.details, "%s", details);
    if (audit_encode_body(&e, entry, &len) != 0)
        return err_set(err, errlen, ERR_LIMIT, "an audit entry is too long");
    audit_hash(entry, len, hash);
    entry[len] = AUDIT_SIG_ED25519;
    crypto_sign_detached(entry + len + 1, NULL, hash, AUDIT_HASHBYTES, k->ed25519_sk);
    rc = audit_store_insert(s, e.seq, entry, len + 1 + AUDIT_SIGBYTES, err, errlen);
    if (rc == 0) {
        c->seq = e.seq;
        memcpy(c->hash, hash, AUDIT_HASHBYTES);
    }
    return rc;
}

static int sql_error(store *s, int rc, char *err, size_t errlen)
{
    return err_set(err, errlen, (rc & 0xff) == SQLITE_FULL ? ERR_FULL : ERR_IO,
                   "the audit log cannot be written, so nothing was done: %s", sqlite3_errmsg(store_db(s)));
}

static int exec_sql(store *s, const char *sql, char *err, size_t errlen)
{
    int rc = sqlite3_exec(store_db(s), sql, NULL, NULL, NULL);

    return rc == SQLITE_OK ? 0 : sql_error(s, rc, err, errlen);
}

/* A key-added entry, the first time this key acts on this database. */
static int introduce_key(store *s, const caseworker_key *k, chain *c, const char *now,
                         char *err, size_t errlen)
{
    char line[PUBKEY_LINE_MAX], details[AUDIT_DETAILS_MAX + 1];
    sqlite3_stmt *st;
    int known, rc;

    /* The log itself decides: audit_keys only says where this key's entry should be. */
    known = 0;
    rc = sqlite3_prepare_v2(store_db(s), "SELECT l.entry FROM audit_keys k JOIN audit_log l ON l.seq = k.seq"
                                         " WHERE k.key_id = ?", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return sql_error(s, rc, err, errlen);
    sqlite3_bind_blob(st, 1, k->pub.key_id, PUBKEY_IDBYTES, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        audit_entry e;
        size_t body_len;
        known = audit_decode(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), &e, &body_len) == 0 &&
                strcmp(e.action, "key-added") == 0 && memcmp(e.key_id, k->pub.key_id, PUBKEY_IDBYTES) == 0;
    }
    sqlite3_finalize(st);
    if (known)
        return 0;
    pubkey_format(&k->pub, line);
    line[strcspn(line, "\n")] = '\0';
    snprintf(details, sizeof details, "pub=%s", line);
    if ((rc = append_one(s, k, c, now, "key-added", "", details, err, errlen)) != 0)
        return rc;
    rc = sqlite3_prepare_v2(store_db(s), "INSERT OR REPLACE INTO audit_keys(key_id, seq) VALUES (?, ?)", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return sql_error(s, rc, err, errlen);
    sqlite3_bind_blob(st, 1, k->pub.key_id, PUBKEY_IDBYTES, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)c->seq);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : sql_error(s, rc, err, errlen);
}

/* A "received" entry, dated by day only, for every case the log does not hold yet. */
static int log_arrivals(store *s, const caseworker_key *k, chain *c, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc = 0, step;

    char today[DAY_TEXT_SIZE];

    /* Only cases that arrived before today: an entry for today's arrivals would sit between
     * caseworker entries timed to the second, and so time the reporter. */
    day_today(today);
    rc = sqlite3_prepare_v2(store_db(s), "SELECT ref, received FROM cases WHERE arrival_logged = 0"
                                         " AND received < ?1 ORDER BY id", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return sql_error(s, rc, err, errlen);
    sqlite3_bind_text(st, 1, today, -1, SQLITE_TRANSIENT);
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = append_one(s, k, c, (const char *)sqlite3_column_text(st, 1), "received",
                        (const char *)sqlite3_column_text(st, 0), "", err, errlen);
    sqlite3_finalize(st);
    if (rc == 0) {
        char sql[128];
        snprintf(sql, sizeof sql, "UPDATE cases SET arrival_logged = 1 WHERE arrival_logged = 0 AND received < '%s'", today);
        rc = exec_sql(s, sql, err, errlen);
    }
    return rc;
}

int audit_append(store *s, const caseworker_key *k, const char *action, const char *case_ref,
                 const char *details, char *err, size_t errlen)
{
    char now[AUDIT_TIME_MAX + 1], cause[300] = "";
    time_t t = time(NULL);
    struct tm tm;
    chain c;
    int rc;

    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if ((rc = store_begin(s, cause, sizeof cause)) == 0) {
        rc = audit_store_head(s, &c.seq, c.hash, cause, sizeof cause);
        if (rc == 0)
            rc = introduce_key(s, k, &c, now, cause, sizeof cause);
        if (rc == 0)
            rc = log_arrivals(s, k, &c, cause, sizeof cause);
        if (rc == 0)
            rc = append_one(s, k, &c, now, action, case_ref, details, cause, sizeof cause);
        if (rc == 0)
            rc = store_commit(s, cause, sizeof cause);
        else
            store_rollback(s);
    }
    if (rc != 0 && strstr(cause, "nothing was done") == NULL)
        return err_set(err, errlen, rc, "the audit entry cannot be written, so nothing was done: %s", cause);
    if (rc != 0)
        return err_set(err, errlen, rc, "%s", cause);
    return 0;
}
