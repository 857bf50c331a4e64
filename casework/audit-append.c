/*
 * audit-append.c: signed, chained audit entries (see audit-append.h and audit.h).
 */
#include "audit-append.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "day.h"
#include "errors.h"
#include "key-ops.h"

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
    key_sign(k, hash, AUDIT_HASHBYTES, entry + len + 1);
    rc = audit_store_insert(s, e.seq, entry, len + 1 + AUDIT_SIGBYTES, err, errlen);
    if (rc == 0) {
        c->seq = e.seq;
        memcpy(c->hash, hash, AUDIT_HASHBYTES);
    }
    return rc;
}

/* 1 (which stops the walk) when the stored entry is the key-added entry of the key in ctx. */
static int is_introduction(void *ctx, const unsigned char *entry, size_t len)
{
    const caseworker_key *k = ctx;
    audit_entry e;
    size_t body_len;

    return audit_decode(entry, len, &e, &body_len) == 0 && strcmp(e.action, "key-added") == 0 &&
           memcmp(e.key_id, k->pub.key_id, PUBKEY_IDBYTES) == 0;
}

/* A key-added entry, the first time this key acts on this database. */
static int introduce_key(store *s, const caseworker_key *k, chain *c, const char *now,
                         char *err, size_t errlen)
{
    char line[PUBKEY_LINE_MAX], details[AUDIT_DETAILS_MAX + 1];
    int rc;

    /* The log itself decides: audit_keys only says where this key's entry should be. */
    rc = store_audit_key_entry(s, k->pub.key_id, is_introduction, (void *)(uintptr_t)k, err, errlen);
    if (rc != 0)
        return rc == 1 ? 0 : rc;
    pubkey_format(&k->pub, line);
    line[strcspn(line, "\n")] = '\0';
    snprintf(details, sizeof details, "pub=%s", line);
    if ((rc = append_one(s, k, c, now, "key-added", "", details, err, errlen)) != 0)
        return rc;
    return store_audit_key_set(s, k->pub.key_id, c->seq, err, errlen);
}

typedef struct arrivals_ctx {
    store *s;
    const caseworker_key *k;
    chain *c;
    char *err;
    size_t errlen;
} arrivals_ctx;

static int log_arrival(void *ctx, const char *ref, const char *received)
{
    arrivals_ctx *a = ctx;

    return append_one(a->s, a->k, a->c, received, "received", ref, "", a->err, a->errlen);
}

/* A "received" entry, dated by day only, for every case the log does not hold yet. */
static int log_arrivals(store *s, const caseworker_key *k, chain *c, char *err, size_t errlen)
{
    arrivals_ctx a = {s, k, c, err, errlen};
    char today[DAY_TEXT_SIZE];
    int rc;

    /* Only cases that arrived before today: an entry for today's arrivals would sit between
     * caseworker entries timed to the second, and so time the reporter. */
    day_today(today);
    rc = store_arrivals_unlogged(s, today, log_arrival, &a, err, errlen);
    return rc != 0 ? rc : store_arrivals_mark_logged(s, today, err, errlen);
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
    if (rc != 0)
        return err_set(err, errlen, rc, "the audit entry cannot be written, so nothing was done: %s", cause);
    return 0;
}
