/*
 * audit-verify.c: the audit log's verifier (see audit.h). It needs no secret key: it follows
 * the chain, learns each caseworker's key from its introduction, and checks every signature.
 */
#include "audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"

struct audit_verifier {
    uint64_t expect_seq;                     /* 0 until the first entry */
    unsigned char prev_hash[AUDIT_HASHBYTES];
    int version;                             /* of the log, from its first entry */
    uint64_t first_seq;                      /* over 1 when older entries were sealed */
    int old_log_open;                        /* old-log entries may follow */
    int old_log_seen;                        /* some did */
    pubkey *keys;                            /* introduced so far */
    size_t nkeys, cap;
    const pubkey *signer;                    /* of the last entry verified */
    const pubkey *trusted;
    size_t ntrusted;
    int failed;
    /* the hash of the entry the auditor recorded as head, when one was given */
    uint64_t want_seq;
    int want_found;
    unsigned char want_hash[AUDIT_HASHBYTES];
};

audit_verifier *audit_verify_new(const pubkey *trusted, size_t ntrusted, uint64_t head_seq)
{
    audit_verifier *v = calloc(1, sizeof *v);

    if (v == NULL)
        return NULL;
    v->trusted = trusted;
    v->ntrusted = ntrusted;
    v->want_seq = head_seq;
    return v;
}

static pubkey *find_key(const pubkey *keys, size_t n, const unsigned char *id)
{
    for (size_t i = 0; i < n; i++)
        if (memcmp(keys[i].key_id, id, PUBKEY_IDBYTES) == 0)
            return (pubkey *)(uintptr_t)&keys[i];
    return NULL;
}

static int fail(audit_verifier *v, char *err, size_t errlen, uint64_t seq, const char *what)
{
    v->failed = 1;
    return err_set(err, errlen, ERR_AUTH, "audit entry %llu: %s", (unsigned long long)seq, what);
}

/* Where the entry sits: its number, the chain before it, the version and the old log's place. */
static int check_position(audit_verifier *v, const audit_frame *f, char *err, size_t errlen)
{
    static const unsigned char zero[AUDIT_HASHBYTES];

    if (v->expect_seq == 0) {
        v->version = f->version;
        if (f->seq > 1 && f->version == AUDIT_V2 && f->kind == AUDIT_KIND_INTRO) {
            v->first_seq = f->seq;       /* entries 1..seq-1 were sealed into the old log */
            v->old_log_open = 1;
            return 0;
        }
        if (f->seq != 1)
            return fail(v, err, errlen, 1, "is missing (deleted), or entries were reordered");
        v->first_seq = 1;
        if (sodium_memcmp(f->prev_hash, zero, AUDIT_HASHBYTES) != 0)
            return fail(v, err, errlen, 1, "does not start the chain (it was changed, or entries before it were removed)");
        return 0;
    }
    if (f->seq != v->expect_seq)
        return fail(v, err, errlen, v->expect_seq,
                    f->seq > v->expect_seq ? "is missing (deleted), or entries were reordered"
                                           : "appears out of order (an entry was inserted or reordered)");
    if (f->version != v->version)
        return fail(v, err, errlen, f->seq, "is in another format than the entries before it (it was inserted)");
    if (sodium_memcmp(f->prev_hash, v->prev_hash, AUDIT_HASHBYTES) != 0)
        return fail(v, err, errlen, f->seq, "does not follow the entry before it (that entry was changed, or one was removed or inserted)");
    if (f->kind == AUDIT_KIND_LEGACY && !v->old_log_open)
        return fail(v, err, errlen, f->seq, "holds an old log where none can be (it was inserted)");
    if (v->old_log_open && f->seq == v->first_seq + 1 && f->kind != AUDIT_KIND_LEGACY)
        return fail(v, err, errlen, f->seq, "should hold the sealed old log, which is missing");
    if (f->kind != AUDIT_KIND_LEGACY)
        v->old_log_open = 0;
    else
        v->old_log_seen = 1;
    return 0;
}

/* The key that signed f: introduced by f itself (checked against the trusted keys), or earlier. */
static int find_signer(audit_verifier *v, const audit_frame *f, const unsigned char *entry, size_t len,
                       pubkey *introduced, const pubkey **signer, char *err, size_t errlen)
{
    char msg[200];

    if (f->kind == AUDIT_KIND_INTRO) {
        if (pubkey_parse(f->pub, introduced, msg, sizeof msg) != 0 ||
            memcmp(introduced->key_id, f->key_id, PUBKEY_IDBYTES) != 0)
            return fail(v, err, errlen, f->seq, "introduces a key that is malformed or not the signer's");
        if (introduced->role != PUBKEY_ROLE_CASEWORKER)
            return fail(v, err, errlen, f->seq, "introduces an auditor's key, which never signs the log");
        if (v->trusted != NULL && find_key(v->trusted, v->ntrusted, introduced->key_id) == NULL)
            return fail(v, err, errlen, f->seq, "adds a key that is not among the trusted keys (--keys)");
        *signer = introduced;
        return 0;
    }
    *signer = find_key(v->keys, v->nkeys, f->key_id);
    if (*signer == NULL)
        return fail(v, err, errlen, f->seq, "is signed by a key the log never introduced");
    if (f->version == AUDIT_V1) {
        /* Version 1 named the actor in the clear: it must be the key's owner. */
        audit_entry e;
        size_t body_len;
        int other = audit_decode(entry, len, &e, &body_len) != 0 || strcmp((*signer)->name, e.actor) != 0;
        sodium_memzero(&e, sizeof e);
        if (other)
            return fail(v, err, errlen, f->seq, "names an actor other than the key's owner");
    }
    return 0;
}

static int remember_key(audit_verifier *v, const pubkey *introduced, char *err, size_t errlen, uint64_t seq)
{
    pubkey *known = find_key(v->keys, v->nkeys, introduced->key_id);

    if (known != NULL) {
        v->signer = known;
        return 0;
    }
    if (v->nkeys == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 8;
        pubkey *bigger = realloc(v->keys, cap * sizeof *bigger);
        if (bigger == NULL)
            return fail(v, err, errlen, seq, "cannot be checked (out of memory)");
        v->keys = bigger;
        v->cap = cap;
    }
    v->keys[v->nkeys] = *introduced;
    v->signer = &v->keys[v->nkeys++];
    return 0;
}

int audit_verify_next(audit_verifier *v, const unsigned char *entry, size_t len,
                      char *err, size_t errlen)
{
    audit_frame f;
    const pubkey *signer = NULL;
    pubkey introduced;

    if (v->failed)
        return ERR_AUTH;
    v->signer = NULL;
    if (audit_frame_parse(entry, len, &f) != 0)
        return fail(v, err, errlen, v->expect_seq ? v->expect_seq : 1, "is malformed (damaged or altered)");
    if (check_position(v, &f, err, errlen) != 0 ||
        find_signer(v, &f, entry, len, &introduced, &signer, err, errlen) != 0)
        return ERR_AUTH;
    if (crypto_sign_verify_detached(f.sig, f.hash, AUDIT_HASHBYTES, signer->ed25519) != 0)
        return fail(v, err, errlen, f.seq, "has a bad signature (a field was changed, or it was signed by another key)");
    if (f.kind == AUDIT_KIND_INTRO) {
        if (remember_key(v, &introduced, err, errlen, f.seq) != 0)
            return ERR_AUTH;
    } else {
        v->signer = signer;
    }
    if (f.seq == v->want_seq) {
        v->want_found = 1;
        memcpy(v->want_hash, f.hash, AUDIT_HASHBYTES);
    }
    memcpy(v->prev_hash, f.hash, AUDIT_HASHBYTES);
    v->expect_seq = f.seq + 1;
    return 0;
}

int audit_verify_finish(audit_verifier *v, const unsigned char *head_hash, char *err, size_t errlen)
{
    if (v->failed)
        return ERR_AUTH;
    /* A log that starts past entry 1 must go on with the sealed old log: without it, its start
     * was cut away and an introduction of some later entry left first. */
    if (v->first_seq > 1 && !v->old_log_seen)
        return fail(v, err, errlen, v->first_seq - 1,
                    "and every entry before it are missing (the log starts later, without the sealed old log)");
    if (v->want_seq == 0)
        return 0;
    /* An entry sealed in the old log: only its readers can check it (its hash is not in the clear). */
    if (v->want_seq < v->first_seq)
        return fail(v, err, errlen, v->want_seq,
                    "is in the old log sealed when the database was upgraded: check this head with an auditor's "
                    "key (casework audit log --head SEQ:HASH)");
    if (!v->want_found)
        return fail(v, err, errlen, v->want_seq, "is missing: the log was truncated at or before the recorded head");
    if (sodium_memcmp(v->want_hash, head_hash, AUDIT_HASHBYTES) != 0)
        return fail(v, err, errlen, v->want_seq, "differs from the recorded head: the log was rewritten from there on");
    return 0;
}

uint64_t audit_verify_first(const audit_verifier *v)
{
    return v->first_seq;
}

uint64_t audit_verify_last(const audit_verifier *v, unsigned char hash[AUDIT_HASHBYTES])
{
    memcpy(hash, v->prev_hash, AUDIT_HASHBYTES);
    return v->expect_seq ? v->expect_seq - 1 : 0;
}

const pubkey *audit_verify_signer(const audit_verifier *v)
{
    return v->signer;
}

void audit_verify_resume(audit_verifier *v, const unsigned char *entry, size_t len)
{
    audit_frame f;

    v->failed = 0;
    v->signer = NULL;
    if (audit_frame_parse(entry, len, &f) == 0) {
        if (v->expect_seq == 0) {
            v->version = f.version;
            v->first_seq = f.seq;
        }
        memcpy(v->prev_hash, f.hash, AUDIT_HASHBYTES);
        v->expect_seq = f.seq + 1;
        if (f.kind != AUDIT_KIND_LEGACY)
            v->old_log_open = 0;
    } else {
        v->expect_seq = v->expect_seq ? v->expect_seq + 1 : 2;
        memset(v->prev_hash, 0xff, AUDIT_HASHBYTES);   /* nothing can follow an unreadable entry */
    }
}

const pubkey *audit_verify_keys(const audit_verifier *v, size_t *n)
{
    *n = v->nkeys;
    return v->keys;
}

void audit_verify_free(audit_verifier *v)
{
    if (v == NULL)
        return;
    free(v->keys);
    free(v);
}
