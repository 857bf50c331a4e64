/*
 * audit.c: encoding, hashing, verification and storage of audit entries (see audit.h). Nothing
 * here needs a secret key: signing lives in casework.
 */
#include "audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "errors.h"

#define HASH_CONTEXT "sea-audit-v1"

struct audit_verifier {
    uint64_t expect_seq;
    unsigned char prev_hash[AUDIT_HASHBYTES];
    pubkey *keys;              /* introduced by key-added entries */
    size_t nkeys, cap;
    const pubkey *trusted;
    size_t ntrusted;
    int failed;
    /* the hash of the entry the auditor recorded as head, when one was given */
    uint64_t want_seq;
    int want_found;
    unsigned char want_hash[AUDIT_HASHBYTES];
};

static int put_str(unsigned char *out, size_t *o, const char *s, size_t max, int wide)
{
    size_t n = strlen(s);

    if (n > max || *o + n + 2 > AUDIT_ENTRY_MAX)
        return ERR_LIMIT;
    if (wide) {
        bytes_store16_le(out + *o, (uint16_t)n);
        *o += 2;
    } else {
        out[(*o)++] = (unsigned char)n;
    }
    memcpy(out + *o, s, n);
    *o += n;
    return 0;
}

int audit_encode_body(const audit_entry *e, unsigned char *out, size_t *len)
{
    size_t o = 0;

    out[o++] = AUDIT_VERSION;
    bytes_store64_le(out + o, e->seq);
    o += 8;
    memcpy(out + o, e->prev_hash, AUDIT_HASHBYTES);
    o += AUDIT_HASHBYTES;
    if (put_str(out, &o, e->time, AUDIT_TIME_MAX, 0) != 0)
        return ERR_LIMIT;
    memcpy(out + o, e->key_id, PUBKEY_IDBYTES);
    o += PUBKEY_IDBYTES;
    if (put_str(out, &o, e->actor, PUBKEY_NAME_MAX, 0) != 0 ||
        put_str(out, &o, e->action, AUDIT_ACTION_MAX, 0) != 0 ||
        put_str(out, &o, e->case_ref, CASEREF_TEXT_SIZE - 1, 0) != 0 ||
        put_str(out, &o, e->details, AUDIT_DETAILS_MAX, 1) != 0)
        return ERR_LIMIT;
    *len = o;
    return 0;
}

void audit_hash(const unsigned char *body, size_t len, unsigned char hash[AUDIT_HASHBYTES])
{
    crypto_generichash_state st;

    crypto_generichash_init(&st, NULL, 0, AUDIT_HASHBYTES);
    crypto_generichash_update(&st, (const unsigned char *)HASH_CONTEXT, sizeof HASH_CONTEXT - 1);
    crypto_generichash_update(&st, body, len);
    crypto_generichash_final(&st, hash, AUDIT_HASHBYTES);
}

static int get_str(const unsigned char *buf, size_t len, size_t *o, char *out, size_t max, int wide)
{
    size_t n;

    if (*o + (wide ? 2u : 1u) > len)
        return ERR_FORMAT;
    n = wide ? bytes_load16_le(buf + *o) : buf[*o];
    *o += wide ? 2 : 1;
    if (n > max || *o + n > len || memchr(buf + *o, 0, n) != NULL)
        return ERR_FORMAT;
    memcpy(out, buf + *o, n);
    out[n] = '\0';
    *o += n;
    return 0;
}

int audit_decode(const unsigned char *buf, size_t len, audit_entry *e, size_t *body_len)
{
    size_t o = 0;

    memset(e, 0, sizeof *e);
    if (len < 1 + 8 + AUDIT_HASHBYTES || buf[0] != AUDIT_VERSION)
        return ERR_FORMAT;
    o = 1;
    e->seq = bytes_load64_le(buf + o);
    o += 8;
    memcpy(e->prev_hash, buf + o, AUDIT_HASHBYTES);
    o += AUDIT_HASHBYTES;
    if (get_str(buf, len, &o, e->time, AUDIT_TIME_MAX, 0) != 0 || o + PUBKEY_IDBYTES > len)
        return ERR_FORMAT;
    memcpy(e->key_id, buf + o, PUBKEY_IDBYTES);
    o += PUBKEY_IDBYTES;
    if (get_str(buf, len, &o, e->actor, PUBKEY_NAME_MAX, 0) != 0 ||
        get_str(buf, len, &o, e->action, AUDIT_ACTION_MAX, 0) != 0 ||
        get_str(buf, len, &o, e->case_ref, CASEREF_TEXT_SIZE - 1, 0) != 0 ||
        get_str(buf, len, &o, e->details, AUDIT_DETAILS_MAX, 1) != 0)
        return ERR_FORMAT;
    *body_len = o;
    if (len != o + 1 + AUDIT_SIGBYTES || buf[o] != AUDIT_SIG_ED25519)
        return ERR_FORMAT;
    memcpy(e->sig, buf + o + 1, AUDIT_SIGBYTES);
    return 0;
}

audit_verifier *audit_verify_new(const pubkey *trusted, size_t ntrusted, uint64_t head_seq)
{
    audit_verifier *v = calloc(1, sizeof *v);

    if (v == NULL)
        return NULL;
    v->expect_seq = 1;
    v->trusted = trusted;
    v->ntrusted = ntrusted;
    v->want_seq = head_seq;
    return v;
}

static const pubkey *find_key(const pubkey *keys, size_t n, const unsigned char *id)
{
    for (size_t i = 0; i < n; i++)
        if (memcmp(keys[i].key_id, id, PUBKEY_IDBYTES) == 0)
            return &keys[i];
    return NULL;
}

static int fail(audit_verifier *v, char *err, size_t errlen, uint64_t seq, const char *what)
{
    v->failed = 1;
    return err_set(err, errlen, ERR_AUTH, "audit entry %llu: %s", (unsigned long long)seq, what);
}

/* A key-added entry: registers the key it introduces (checked against trusted keys). */
static int add_key(audit_verifier *v, const audit_entry *e, pubkey *pk, char *err, size_t errlen)
{
    char msg[200];

    if (strncmp(e->details, "pub=", 4) != 0 || pubkey_parse(e->details + 4, pk, msg, sizeof msg) != 0 ||
        memcmp(pk->key_id, e->key_id, PUBKEY_IDBYTES) != 0)
        return fail(v, err, errlen, e->seq, "a key-added entry whose key is malformed or not the actor's");
    if (v->trusted != NULL && find_key(v->trusted, v->ntrusted, pk->key_id) == NULL)
        return fail(v, err, errlen, e->seq, "adds a key that is not among the trusted keys (--keys)");
    return 0;
}

int audit_verify_next(audit_verifier *v, const unsigned char *entry, size_t len,
                      char *err, size_t errlen)
{
    unsigned char hash[AUDIT_HASHBYTES];
    audit_entry e;
    size_t body_len;
    const pubkey *signer;
    pubkey introduced;
    int is_key_added;

    if (v->failed)
        return ERR_AUTH;
    if (audit_decode(entry, len, &e, &body_len) != 0)
        return fail(v, err, errlen, v->expect_seq, "is malformed (damaged or altered)");
    if (e.seq != v->expect_seq)
        return fail(v, err, errlen, v->expect_seq,
                    e.seq > v->expect_seq ? "is missing (deleted), or entries were reordered"
                                          : "appears out of order (an entry was inserted or reordered)");
    if (sodium_memcmp(e.prev_hash, v->prev_hash, AUDIT_HASHBYTES) != 0)
        return fail(v, err, errlen, e.seq, "does not follow the entry before it (that entry was changed, or one was removed or inserted)");
    is_key_added = strcmp(e.action, "key-added") == 0;
    if (is_key_added) {
        if (add_key(v, &e, &introduced, err, errlen) != 0)
            return ERR_AUTH;
        signer = &introduced;
    } else {
        signer = find_key(v->keys, v->nkeys, e.key_id);
        if (signer == NULL)
            return fail(v, err, errlen, e.seq, "is signed by a key the log never introduced");
        if (strcmp(signer->name, e.actor) != 0)
            return fail(v, err, errlen, e.seq, "names an actor other than the key's owner");
    }
    audit_hash(entry, body_len, hash);
    if (crypto_sign_verify_detached(e.sig, hash, AUDIT_HASHBYTES, signer->ed25519) != 0)
        return fail(v, err, errlen, e.seq, "has a bad signature (a field was changed, or it was signed by another key)");
    if (is_key_added && find_key(v->keys, v->nkeys, introduced.key_id) == NULL) {
        if (v->nkeys == v->cap) {
            size_t cap = v->cap ? 2 * v->cap : 8;
            pubkey *bigger = realloc(v->keys, cap * sizeof *bigger);
            if (bigger == NULL)
                return fail(v, err, errlen, e.seq, "cannot be checked (out of memory)");
            v->keys = bigger;
            v->cap = cap;
        }
        v->keys[v->nkeys++] = introduced;
    }
    if (e.seq == v->want_seq) {
        v->want_found = 1;
        memcpy(v->want_hash, hash, AUDIT_HASHBYTES);
    }
    memcpy(v->prev_hash, hash, AUDIT_HASHBYTES);
    v->expect_seq++;
    return 0;
}

int audit_verify_finish(audit_verifier *v, const unsigned char *head_hash, char *err, size_t errlen)
{
    if (v->failed)
        return ERR_AUTH;
    if (v->want_seq == 0)
        return 0;
    if (!v->want_found)
        return fail(v, err, errlen, v->want_seq, "is missing: the log was truncated at or before the recorded head");
    if (sodium_memcmp(v->want_hash, head_hash, AUDIT_HASHBYTES) != 0)
        return fail(v, err, errlen, v->want_seq, "differs from the recorded head: the log was rewritten from there on");
    return 0;
}

uint64_t audit_verify_last(const audit_verifier *v, unsigned char hash[AUDIT_HASHBYTES])
{
    memcpy(hash, v->prev_hash, AUDIT_HASHBYTES);
    return v->expect_seq - 1;
}

void audit_verify_free(audit_verifier *v)
{
    if (v == NULL)
        return;
    free(v->keys);
    free(v);
}

int audit_hash_parse(const char *hex, unsigned char hash[AUDIT_HASHBYTES])
{
    size_t len = 0;

    if (strlen(hex) != 2 * AUDIT_HASHBYTES ||
        sodium_hex2bin(hash, AUDIT_HASHBYTES, hex, strlen(hex), NULL, &len, NULL) != 0 ||
        len != AUDIT_HASHBYTES)
        return ERR_FORMAT;
    return 0;
}

int audit_export_each(const unsigned char *buf, size_t len,
                      int (*fn)(void *ctx, const unsigned char *entry, size_t len), void *ctx,
                      char *err, size_t errlen)
{
    size_t o = sizeof AUDIT_EXPORT_MAGIC - 1;
    int rc = 0;

    if (len < o || memcmp(buf, AUDIT_EXPORT_MAGIC, o) != 0)
        return err_set(err, errlen, ERR_FORMAT, "is not an audit export (make one with casework audit export)");
    while (rc == 0 && o < len) {
        uint32_t n;
        if (len - o < 4 || (n = bytes_load32_le(buf + o), len - o - 4 < n))
            return err_set(err, errlen, ERR_FORMAT, "is truncated");
        rc = fn(ctx, buf + o + 4, n);
        o += 4 + n;
    }
    return rc;
}
