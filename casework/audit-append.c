/*
 * audit-append.c: signed, chained audit entries, sealed to the auditors and the acting
 * caseworker (see audit-append.h and audit.h).
 */
#include "audit-append.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "day.h"
#include "errors.h"
#include "key-ops.h"

static const pubkey *auditors;
static size_t nauditors;

void audit_append_set_auditors(const pubkey *list, size_t n)
{
    auditors = list;
    nauditors = list != NULL ? n : 0;
}

/* Who can read what an entry says: the auditors and the acting caseworker. */
typedef struct readers {
    unsigned char pks[32 * (PUBKEY_MAX_RECIPIENTS + 1)];
    size_t n;
} readers;

static void readers_for(const caseworker_key *k, readers *r)
{
    r->n = 0;
    for (size_t i = 0; i < nauditors && i < PUBKEY_MAX_RECIPIENTS; i++)
        memcpy(r->pks + 32 * r->n++, auditors[i].x25519, 32);
    memcpy(r->pks + 32 * r->n++, k->pub.x25519, 32);
}

/* The chain position an append continues from, and what it appends with. */
typedef struct chain {
    uint64_t seq;
    unsigned char hash[AUDIT_HASHBYTES];
    store *s;
    const caseworker_key *k;
    readers r;
    char now[AUDIT_TIME_MAX + 1];
} chain;

/* What an action entry says of its outcome (audit.h); NULL for entries that have none. */
typedef struct audit_outcome_of {
    int outcome;
    const unsigned char *attempt;
    const char *reason;
} audit_outcome_of;

/* Appends one entry of kind after c; piece is the old log's next piece (kind 3 only). */
static int append_kind(chain *c, int kind, const char *time_text, const char *action, const char *case_ref,
                       const char *details, const audit_outcome_of *oc, const unsigned char *piece,
                       size_t piece_len, char *err, size_t errlen)
{
    unsigned char *entry = NULL, hash[AUDIT_HASHBYTES];
    char pub_line[PUBKEY_LINE_MAX];
    audit_entry e;
    size_t len;
    int rc;

    memset(&e, 0, sizeof e);
    e.seq = c->seq + 1;
    memcpy(e.prev_hash, c->hash, AUDIT_HASHBYTES);
    snprintf(e.time, sizeof e.time, "%s", time_text);
    memcpy(e.key_id, c->k->pub.key_id, PUBKEY_IDBYTES);
    snprintf(e.action, sizeof e.action, "%s", action);
    snprintf(e.case_ref, sizeof e.case_ref, "%s", case_ref);
    snprintf(e.details, sizeof e.details, "%s", details);
    if (oc != NULL) {
        e.outcome = oc->outcome;
        memcpy(e.attempt, oc->attempt, AUDIT_ATTEMPT_BYTES);
        snprintf(e.reason, sizeof e.reason, "%s", oc->reason != NULL ? oc->reason : "");
    }
    pubkey_format(&c->k->pub, pub_line);
    pub_line[strcspn(pub_line, "\n")] = '\0';
    rc = audit_seal(&e, kind, kind == AUDIT_KIND_INTRO ? pub_line : NULL, c->r.pks, c->r.n, piece, piece_len,
                    &entry, &len, hash, err, errlen);
    sodium_memzero(&e, sizeof e);
    if (rc != 0)
        return rc;
    entry[len] = AUDIT_SIG_ED25519;
    key_sign(c->k, hash, AUDIT_HASHBYTES, entry + len + 1);
    rc = audit_store_insert(c->s, c->seq + 1, entry, len + 1 + AUDIT_SIGBYTES, err, errlen);
    free(entry);
    if (rc == 0) {
        c->seq++;
        memcpy(c->hash, hash, AUDIT_HASHBYTES);
    }
    return rc;
}

static int check_old_entry(void *ctx, const unsigned char *entry, size_t len)
{
    void **pair = ctx;

    return audit_verify_next(pair[0], entry, len, pair[1], 300);
}

static int append_one(chain *c, const char *time_text, const char *action, const char *case_ref,
                      const char *details, const audit_outcome_of *oc, char *err, size_t errlen)
{
    return append_kind(c, AUDIT_KIND_ACTION, time_text, action, case_ref, details, oc, NULL, 0, err, errlen);
}

/* The introduction of c's key, recorded where the store looks for it. */
static int append_introduction(chain *c, char *err, size_t errlen)
{
    int rc = append_kind(c, AUDIT_KIND_INTRO, c->now, "key-added", "", "", NULL, NULL, 0, err, errlen);

    return rc != 0 ? rc : store_audit_key_set(c->s, c->k->pub.key_id, c->seq, err, errlen);
}

/* 1 (which stops the walk) when the stored entry introduces the key in ctx. */
static int is_introduction(void *ctx, const unsigned char *entry, size_t len)
{
    const caseworker_key *k = ctx;
    audit_frame f;

    return audit_frame_parse(entry, len, &f) == 0 && f.version == AUDIT_V2 && f.kind == AUDIT_KIND_INTRO &&
           memcmp(f.key_id, k->pub.key_id, PUBKEY_IDBYTES) == 0;
}

/* An introduction, the first time this key acts on this database. */
static int introduce_key(chain *c, char *err, size_t errlen)
{
    /* The log itself decides: audit_keys only says where this key's entry should be. */
    int rc = store_audit_key_entry(c->s, c->k->pub.key_id, is_introduction, (void *)(uintptr_t)c->k, err, errlen);

    if (rc != 0)
        return rc == 1 ? 0 : rc;
    return append_introduction(c, err, errlen);
}

/* Checks the whole version-1 log before it is sealed: nobody could check it against its own
 * signatures afterwards without a key, so a damaged one is not sealed. */
static int check_old_log(store *s, char *err, size_t errlen)
{
    audit_verifier *v = audit_verify_new(NULL, 0, 0);
    char why[300] = "";
    void *pair[2] = {v, why};
    int rc;

    if (v == NULL)
        return err_set(err, errlen, ERR_NOMEM, "out of memory checking the old audit log");
    rc = audit_store_each(s, check_old_entry, pair, err, errlen);
    if (rc == 0)
        rc = audit_verify_finish(v, NULL, why, sizeof why);
    audit_verify_free(v);
    if (rc == ERR_AUTH)
        return err_set(err, errlen, ERR_AUTH, "the old audit log fails its check (%s), so it is not sealed; have an "
                       "auditor look at it (casework audit verify) before anyone works on this database", why);
    return rc;
}

/*
 * A log still in version 1 (everything readable) becomes: an introduction numbered after it,
 * chained to its last entry, then the export of the old entries in sealed pieces; the old
 * entries are deleted in the same transaction.
 */
static int seal_old_log(chain *c, char *err, size_t errlen)
{
    unsigned char *old = NULL;
    size_t old_len = 0;
    int version, rc;

    if ((rc = audit_store_version(c->s, &version, err, errlen)) != 0 || version != AUDIT_V1)
        return rc;
    if (nauditors == 0)
        return err_set(err, errlen, ERR_VERSION, "the audit log is still in the readable format of older versions; "
                       "give the auditors' public keys (--auditors FILE, made with casework keygen --auditor) "
                       "so that it can be sealed to them, then try again");
    if ((rc = check_old_log(c->s, err, errlen)) != 0 ||
        (rc = audit_store_export(c->s, &old, &old_len, err, errlen)) != 0)
        return rc;
    rc = audit_store_drop_v1(c->s, err, errlen);
    if (rc == 0)
        rc = append_introduction(c, err, errlen);
    for (size_t o = 0; rc == 0 && o < old_len; o += AUDIT_LEGACY_CHUNK) {
        size_t n = old_len - o < AUDIT_LEGACY_CHUNK ? old_len - o : AUDIT_LEGACY_CHUNK;
        rc = append_kind(c, AUDIT_KIND_LEGACY, c->now, "", "", "", NULL, old + o, n, err, errlen);
    }
    sodium_memzero(old, old_len);   /* readable before, but no longer once sealed */
    free(old);
    return rc;
}

typedef struct arrivals_ctx {
    chain *c;
    char *err;
    size_t errlen;
} arrivals_ctx;

static int log_arrival(void *ctx, const char *ref, const char *received)
{
    arrivals_ctx *a = ctx;

    static const unsigned char no_attempt[AUDIT_ATTEMPT_BYTES];
    audit_outcome_of oc = {AUDIT_OUTCOME_DONE, no_attempt, ""};

    return append_one(a->c, received, "received", ref, "", &oc, a->err, a->errlen);
}

/* A "received" entry, dated by day only, for every case the log does not hold yet. */
static int log_arrivals(chain *c, char *err, size_t errlen)
{
    arrivals_ctx a = {c, err, errlen};
    char today[DAY_TEXT_SIZE];
    int rc;

    /* Only cases that arrived before today: an entry for today's arrivals would sit between
     * caseworker entries timed to the second, and so time the reporter. */
    day_today(today);
    rc = store_arrivals_unlogged(c->s, today, log_arrival, &a, err, errlen);
    return rc != 0 ? rc : store_arrivals_mark_logged(c->s, today, err, errlen);
}

/* Appends, inside the caller's transaction, whatever must come first (the sealing of an old log,
 * the key's introduction, arrivals) and then the entry for action with outcome oc. */
static int append_in(store *s, const caseworker_key *k, const char *action, const char *case_ref,
                     const char *details, const audit_outcome_of *oc, char *cause, size_t causelen)
{
    time_t t = time(NULL);
    struct tm tm;
    chain c;
    int rc;

    memset(&c, 0, sizeof c);
    c.s = s;
    c.k = k;
    readers_for(k, &c.r);
    gmtime_r(&t, &tm);
    strftime(c.now, sizeof c.now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    rc = audit_store_head(s, &c.seq, c.hash, cause, causelen);
    if (rc == 0)
        rc = seal_old_log(&c, cause, causelen);
    if (rc == 0)
        rc = introduce_key(&c, cause, causelen);
    if (rc == 0)
        rc = log_arrivals(&c, cause, causelen);
    if (rc == 0)
        rc = append_one(&c, c.now, action, case_ref, details, oc, cause, causelen);
    return rc;
}

/* append_in in a committed transaction of its own. */
static int append_committed(store *s, const caseworker_key *k, const char *action, const char *case_ref,
                            const char *details, const audit_outcome_of *oc, char *err, size_t errlen)
{
    char cause[400] = "";
    int rc;

    if ((rc = store_begin(s, cause, sizeof cause)) == 0) {
        rc = append_in(s, k, action, case_ref, details, oc, cause, sizeof cause);
        if (rc == 0)
            rc = store_commit(s, cause, sizeof cause);
        else
            store_rollback(s);
    }
    if (rc != 0)
        return err_set(err, errlen, rc, "the audit entry cannot be written, so nothing was done: %s", cause);
    return 0;
}

int audit_append(store *s, const caseworker_key *k, const char *action, const char *case_ref,
                 const char *details, char *err, size_t errlen)
{
    unsigned char attempt[AUDIT_ATTEMPT_BYTES];
    audit_outcome_of oc = {AUDIT_OUTCOME_DONE, attempt, ""};

    randombytes_buf(attempt, sizeof attempt);
    return append_committed(s, k, action, case_ref, details, &oc, err, errlen);
}

int audit_append_refused(store *s, const caseworker_key *k, const char *action, const char *case_ref,
                         const char *details, const char *reason, char *err, size_t errlen)
{
    unsigned char attempt[AUDIT_ATTEMPT_BYTES];
    audit_outcome_of oc = {AUDIT_OUTCOME_REFUSED, attempt, reason};

    randombytes_buf(attempt, sizeof attempt);
    return append_committed(s, k, action, case_ref, details, &oc, err, errlen);
}

int audit_begin(store *s, const caseworker_key *k, const char *action, const char *case_ref,
                const char *details, audit_attempt *a, char *err, size_t errlen)
{
    audit_outcome_of oc = {AUDIT_OUTCOME_BEGUN, a->id, ""};
    int rc;

    memset(a, 0, sizeof *a);
    a->s = s;
    a->k = k;
    snprintf(a->action, sizeof a->action, "%s", action);
    snprintf(a->case_ref, sizeof a->case_ref, "%s", case_ref);
    randombytes_buf(a->id, sizeof a->id);
    rc = append_committed(s, k, action, case_ref, details, &oc, err, errlen);
    a->open = rc == 0;
    return rc;
}

int audit_end_done_in(audit_attempt *a, const char *details, char *err, size_t errlen)
{
    audit_outcome_of oc = {AUDIT_OUTCOME_DONE, a->id, ""};
    char cause[400] = "";
    int rc;

    if (!a->open)
        return err_set(err, errlen, ERR_INTERNAL, "no audit entry was begun");
    rc = append_in(a->s, a->k, a->action, a->case_ref, details != NULL ? details : "", &oc, cause, sizeof cause);
    if (rc != 0)
        return err_set(err, errlen, rc, "the audit entry cannot be written, so nothing was done: %s", cause);
    return 0;
}

int audit_end(audit_attempt *a, int done, const char *reason, const char *details, char *err, size_t errlen)
{
    audit_outcome_of oc = {done ? AUDIT_OUTCOME_DONE : AUDIT_OUTCOME_FAILED, a->id, done ? "" : reason};
    int rc;

    if (!a->open)
        return 0;
    rc = append_committed(a->s, a->k, a->action, a->case_ref, details != NULL ? details : "", &oc, err, errlen);
    a->open = 0;
    return rc;
}

const char *audit_reason_for(int code)
{
    switch (code) {
    case ERR_IO: return "input/output error";
    case ERR_FORMAT: return "malformed input";
    case ERR_AUTH: return "damaged or altered data";
    case ERR_NOMEM: return "out of memory";
    case ERR_EXISTS: return "would overwrite a file";
    case ERR_NOTFOUND: return "not found";
    case ERR_NOT_RECIPIENT: return "not sealed to this key";
    case ERR_TRUNCATED: return "truncated data";
    case ERR_FULL: return "no space left";
    case ERR_BUSY: return "database busy";
    case ERR_LIMIT: return "over a limit";
    case ERR_VERSION: return "written by a newer version";
    default: return "internal error";
    }
}
