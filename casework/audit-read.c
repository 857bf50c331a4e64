/*
 * audit-read.c: verifies and opens audit entries for whoever holds a reader's key (see
 * audit-read.h).
 */
#include "audit-read.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envelope.h"
#include "errors.h"

struct audit_reader {
    const caseworker_key *k;
    audit_verifier *v;              /* the log as stored; checks no head (done here) */
    const pubkey *trusted;
    size_t ntrusted;
    uint64_t head_seq;
    unsigned char head_hash[AUDIT_HASHBYTES];
    int head_checked;
    audit_item_fn fn;
    void *ctx;
    /* a log whose version-1 entries were sealed: its first entry waits until the old log's
     * pieces (the entries after it) are read, so that items come in seq order */
    audit_item first;
    int first_waiting;
    uint64_t first_seq;
    unsigned char old_head[AUDIT_HASHBYTES];   /* the first entry's prev_hash */
    unsigned char *old;                        /* the old log's export, piece by piece (secret) */
    size_t old_len;
    int old_seen, old_sealed;
    /* begun entries whose outcome has not come yet: signer, attempt id, seq */
    struct begun {
        unsigned char key_id[PUBKEY_IDBYTES];
        unsigned char attempt[AUDIT_ATTEMPT_BYTES];
        char action[AUDIT_ACTION_MAX + 1];
        char case_ref[CASEREF_TEXT_SIZE];
        uint64_t seq;
    } *begun;
    size_t nbegun, capbegun;
    int mark_failures;
    unsigned long failures;
};

audit_reader *audit_reader_new(const caseworker_key *k, const pubkey *trusted, size_t ntrusted,
                               uint64_t head_seq, const unsigned char head_hash[AUDIT_HASHBYTES],
                               audit_item_fn fn, void *ctx)
{
    audit_reader *r = calloc(1, sizeof *r);

    if (r == NULL)
        return NULL;
    r->k = k;
    r->fn = fn;
    r->ctx = ctx;
    r->trusted = trusted;
    r->ntrusted = ntrusted;
    r->head_seq = head_seq;
    if (head_seq > 0)
        memcpy(r->head_hash, head_hash, AUDIT_HASHBYTES);
    r->v = audit_verify_new(trusted, ntrusted, 0);
    if (r->v == NULL) {
        free(r);
        return NULL;
    }
    return r;
}

/* Compares the hash of entry seq with the recorded head, when seq is the head's. */
static int check_head(audit_reader *r, uint64_t seq, const unsigned char hash[AUDIT_HASHBYTES], char *err,
                      size_t errlen)
{
    if (r->head_seq == 0 || seq != r->head_seq)
        return 0;
    r->head_checked = 1;
    if (sodium_memcmp(hash, r->head_hash, AUDIT_HASHBYTES) != 0)
        return err_set(err, errlen, ERR_AUTH, "audit entry %llu: differs from the recorded head: the log was "
                       "rewritten from there on", (unsigned long long)seq);
    return 0;
}

/* The items of the old log: each of its entries, checked as a version-1 chain ending at the
 * hash the sealed log begins from. */
typedef struct old_walk {
    audit_reader *r;
    audit_verifier *v;
    char *err;
    size_t errlen;
} old_walk;

static int old_entry(void *vctx, const unsigned char *entry, size_t len)
{
    old_walk *w = vctx;
    audit_frame f;
    audit_item it;
    size_t body_len;
    int rc;

    if (audit_verify_next(w->v, entry, len, w->err, w->errlen) != 0)
        return ERR_AUTH;
    memset(&it, 0, sizeof it);
    if (audit_frame_parse(entry, len, &f) != 0 || audit_decode(entry, len, &it.e, &body_len) != 0)
        return err_set(w->err, w->errlen, ERR_AUTH, "an entry is damaged");
    if ((rc = check_head(w->r, f.seq, f.hash, w->err, w->errlen)) != 0)
        return rc;
    it.old = 1;
    rc = w->r->fn(w->r->ctx, &it);
    sodium_memzero(&it, sizeof it);
    return rc;
}

static int flush_old(audit_reader *r, char *err, size_t errlen)
{
    unsigned char last[AUDIT_HASHBYTES];
    char why[300] = "";
    old_walk w = {r, NULL, why, sizeof why};
    int rc;

    if (!r->old_seen)
        return 0;
    r->old_seen = 0;
    if (r->old_sealed) {
        audit_item it;
        memset(&it, 0, sizeof it);
        it.sealed = it.old = 1;
        it.e.seq = r->first_seq - 1;
        if (r->head_seq > 0 && r->head_seq < r->first_seq)
            return err_set(err, errlen, ERR_AUTH, "the recorded head %llu is in the old log, which is not sealed to "
                           "this key (an auditor's key checks it)", (unsigned long long)r->head_seq);
        return r->fn(r->ctx, &it);
    }
    if ((w.v = audit_verify_new(r->trusted, r->ntrusted, 0)) == NULL)
        return err_set(err, errlen, ERR_NOMEM, "out of memory reading the old audit log");
    rc = audit_export_each(r->old, r->old_len, old_entry, &w, why, sizeof why);
    if (rc == ERR_AUTH)
        rc = err_set(err, errlen, ERR_AUTH, "the old audit log sealed at entry %llu fails: %s",
                     (unsigned long long)r->first_seq, why);
    else if (rc == ERR_FORMAT)
        rc = err_set(err, errlen, ERR_AUTH, "the old audit log sealed at entry %llu %s", (unsigned long long)r->first_seq,
                     why);
    else if (rc != 0 && why[0] != '\0')
        err_set(err, errlen, rc, "%s", why);
    if (rc == 0 && (audit_verify_last(w.v, last) != r->first_seq - 1 ||
                    sodium_memcmp(last, r->old_head, AUDIT_HASHBYTES) != 0))
        rc = err_set(err, errlen, ERR_AUTH, "the old audit log sealed at entry %llu does not end where the log goes on "
                     "(it was swapped or cut)", (unsigned long long)r->first_seq);
    audit_verify_free(w.v);
    return rc;
}

/* Hands on what waits (the old log, then the entry that sealed it) before anything later. */
static int flush_waiting(audit_reader *r, char *err, size_t errlen)
{
    int rc = flush_old(r, err, errlen);

    if (rc == 0 && r->first_waiting) {
        r->first_waiting = 0;
        rc = r->fn(r->ctx, &r->first);
        sodium_memzero(&r->first, sizeof r->first);
    }
    return rc;
}

/* Appends the next piece of the old log; the buffer it grows from is wiped, not just freed. */
static int add_piece(audit_reader *r, const audit_frame *f, char *err, size_t errlen)
{
    unsigned char *piece = NULL, *bigger;
    size_t len = 0;
    char why[200];
    int rc;

    r->old_seen = 1;
    if (r->old_sealed)
        return 0;
    rc = audit_open_legacy(f, r->k->pub.x25519, r->k->x25519_sk, &piece, &len, why, sizeof why);
    if (rc == ERR_NOT_RECIPIENT) {
        r->old_sealed = 1;
        return 0;
    }
    if (rc != 0)
        return err_set(err, errlen, ERR_AUTH, "audit entry %llu: its sealed old log does not open (%s)",
                       (unsigned long long)f->seq, why);
    bigger = malloc(r->old_len + len);
    if (bigger != NULL) {
        if (r->old_len > 0)
            memcpy(bigger, r->old, r->old_len);
        memcpy(bigger + r->old_len, piece, len);
        if (r->old != NULL)
            sodium_memzero(r->old, r->old_len);
        free(r->old);
        r->old = bigger;
        r->old_len += len;
    }
    sodium_free(piece);
    return bigger == NULL ? err_set(err, errlen, ERR_NOMEM, "out of memory reading the old audit log") : 0;
}

/* Pairs an outcome with the begun entry it answers (same signer, attempt id, action and case), and
 * remembers begun entries for their outcomes. Returns 0 or ERR_NOMEM. */
static int pair_outcome(audit_reader *r, audit_item *it)
{
    const audit_entry *e = &it->e;

    if (it->sealed || it->old)
        return 0;
    if (e->outcome == AUDIT_OUTCOME_BEGUN) {
        if (r->nbegun == r->capbegun) {
            size_t cap = r->capbegun ? 2 * r->capbegun : 16;
            struct begun *bigger = realloc(r->begun, cap * sizeof *bigger);
            if (bigger == NULL)
                return ERR_NOMEM;
            r->begun = bigger;
            r->capbegun = cap;
        }
        memcpy(r->begun[r->nbegun].key_id, e->key_id, PUBKEY_IDBYTES);
        memcpy(r->begun[r->nbegun].attempt, e->attempt, AUDIT_ATTEMPT_BYTES);
        memcpy(r->begun[r->nbegun].action, e->action, sizeof e->action);
        memcpy(r->begun[r->nbegun].case_ref, e->case_ref, sizeof e->case_ref);
        r->begun[r->nbegun++].seq = e->seq;
        return 0;
    }
    if (e->outcome != AUDIT_OUTCOME_DONE && e->outcome != AUDIT_OUTCOME_FAILED)
        return 0;
    for (size_t i = r->nbegun; i-- > 0;)
        if (memcmp(r->begun[i].key_id, e->key_id, PUBKEY_IDBYTES) == 0 &&
            memcmp(r->begun[i].attempt, e->attempt, AUDIT_ATTEMPT_BYTES) == 0 &&
            strcmp(r->begun[i].action, e->action) == 0 && strcmp(r->begun[i].case_ref, e->case_ref) == 0) {
            it->outcome_of = r->begun[i].seq;
            r->begun[i] = r->begun[--r->nbegun];
            break;
        }
    return 0;
}

/* An entry that failed verification (why), handed on marked, with what it says when it opens. */
static int hand_on_failed(audit_reader *r, const unsigned char *entry, size_t len, const char *why)
{
    audit_frame f;
    audit_item it;
    size_t body_len;
    char ignored[200];
    int rc;

    memset(&it, 0, sizeof it);
    it.failed = 1;
    snprintf(it.why, sizeof it.why, "%s", why);
    it.sealed = 1;
    r->failures++;
    {
        unsigned char last[AUDIT_HASHBYTES];
        it.e.seq = audit_verify_last(r->v, last) + 1;   /* where it stands, when it does not parse */
    }
    if (audit_frame_parse(entry, len, &f) == 0) {
        it.e.seq = f.seq;
        memcpy(it.e.key_id, f.key_id, PUBKEY_IDBYTES);
        if (f.version == AUDIT_V1) {
            it.sealed = audit_decode(entry, len, &it.e, &body_len) != 0;
            it.e.actor[0] = '\0';   /* a name it claims is not to be believed */
        } else if (f.kind != AUDIT_KIND_LEGACY) {
            it.readers = (int)envelope_slot_count(f.sealed, f.sealed_len);
            if (audit_open(&f, r->k->pub.x25519, r->k->x25519_sk, &it.e, ignored, sizeof ignored) == 0)
                it.sealed = 0;
            else {
                memset(&it.e, 0, sizeof it.e);
                it.e.seq = f.seq;
                memcpy(it.e.key_id, f.key_id, PUBKEY_IDBYTES);
            }
        }
    }
    audit_verify_resume(r->v, entry, len);
    rc = r->fn(r->ctx, &it);
    sodium_memzero(&it, sizeof it);
    return rc;
}

void audit_reader_mark_failures(audit_reader *r)
{
    r->mark_failures = 1;
}

unsigned long audit_reader_failures(const audit_reader *r)
{
    return r->failures;
}

const pubkey *audit_reader_keys(const audit_reader *r, size_t *n)
{
    return audit_verify_keys(r->v, n);
}

int audit_reader_next(audit_reader *r, const unsigned char *entry, size_t len, char *err, size_t errlen)
{
    const pubkey *signer;
    audit_frame f;
    audit_item it;
    size_t body_len;
    char why[200];
    int rc;

    if (audit_verify_next(r->v, entry, len, err, errlen) != 0) {
        if (!r->mark_failures)
            return ERR_AUTH;
        if ((rc = flush_waiting(r, err, errlen)) != 0)
            return rc;
        snprintf(why, sizeof why, "%s", err);
        err[0] = '\0';
        return hand_on_failed(r, entry, len, why);
    }
    if (audit_frame_parse(entry, len, &f) != 0)
        return err_set(err, errlen, ERR_AUTH, "an audit entry is malformed");
    if ((rc = check_head(r, f.seq, f.hash, err, errlen)) != 0)
        return rc;
    if (f.kind == AUDIT_KIND_LEGACY)
        return add_piece(r, &f, err, errlen);
    if ((rc = flush_waiting(r, err, errlen)) != 0)
        return rc;
    signer = audit_verify_signer(r->v);
    memset(&it, 0, sizeof it);
    if (f.version == AUDIT_V1) {
        if (audit_decode(entry, len, &it.e, &body_len) != 0)
            return err_set(err, errlen, ERR_AUTH, "audit entry %llu is malformed", (unsigned long long)f.seq);
    } else {
        it.readers = (int)envelope_slot_count(f.sealed, f.sealed_len);
        rc = audit_open(&f, r->k->pub.x25519, r->k->x25519_sk, &it.e, why, sizeof why);
        if (rc == ERR_NOT_RECIPIENT) {
            it.sealed = 1;
            it.e.seq = f.seq;
            memcpy(it.e.key_id, f.key_id, PUBKEY_IDBYTES);
        } else if (rc != 0) {
            return err_set(err, errlen, ERR_AUTH, "audit entry %llu: what it says does not open (%s)",
                           (unsigned long long)f.seq, why);
        }
        snprintf(it.e.actor, sizeof it.e.actor, "%s", signer != NULL ? signer->name : "");
    }
    if (f.version == AUDIT_V2 && f.seq > 1 && r->first_seq == 0) {
        r->first_seq = f.seq;
        memcpy(r->old_head, f.prev_hash, AUDIT_HASHBYTES);
        r->first = it;
        r->first_waiting = 1;
        sodium_memzero(&it, sizeof it);
        return 0;
    }
    if (r->first_seq == 0)
        r->first_seq = f.seq;
    if (pair_outcome(r, &it) != 0) {
        sodium_memzero(&it, sizeof it);
        return err_set(err, errlen, ERR_NOMEM, "out of memory reading the audit log");
    }
    rc = r->fn(r->ctx, &it);
    sodium_memzero(&it, sizeof it);
    return rc;
}

int audit_reader_finish(audit_reader *r, char *err, size_t errlen)
{
    int rc = flush_waiting(r, err, errlen);

    if (rc == 0)
        rc = audit_verify_finish(r->v, NULL, err, errlen);
    if (rc == 0 && r->head_seq > 0 && !r->head_checked)
        rc = err_set(err, errlen, ERR_AUTH, "audit entry %llu: is missing: the log was truncated at or before the "
                     "recorded head", (unsigned long long)r->head_seq);
    return rc;
}

void audit_reader_free(audit_reader *r)
{
    if (r == NULL)
        return;
    audit_verify_free(r->v);
    if (r->old != NULL)
        sodium_memzero(r->old, r->old_len);
    free(r->old);
    sodium_memzero(&r->first, sizeof r->first);
    free(r->begun);
    free(r);
}
