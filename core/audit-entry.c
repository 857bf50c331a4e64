/*
 * audit-entry.c: the audit entry formats (see audit.h): version 2's frame, sealing and opening,
 * version 1's encoding, the entry hashes, and the export framing. Signing lives in casework.
 */
#include "audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "envelope.h"
#include "errors.h"

#define HASH_CONTEXT "sea-audit-v1"
#define HASH_CONTEXT_V2 "sea-audit-v2"
#define SEAL_REF "audit"
#define LEGACY_REF "audit-legacy"

/* Writes s as its length (1 byte, or 2 when wide) and its bytes at out + *o, within cap bytes. */
static int put_str_in(unsigned char *out, size_t cap, size_t *o, const char *s, size_t max, int wide)
{
    size_t n = strlen(s);

    if (n > max || *o + n + 2 > cap)
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

static int put_str(unsigned char *out, size_t *o, const char *s, size_t max, int wide)
{
    return put_str_in(out, AUDIT_ENTRY_MAX, o, s, max, wide);
}

int audit_encode_body(const audit_entry *e, unsigned char *out, size_t *len)
{
    size_t o = 0;

    out[o++] = AUDIT_V1;
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
    if (len < 1 + 8 + AUDIT_HASHBYTES || buf[0] != AUDIT_V1)
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

/* Offsets of a version-2 frame's fixed fields. */
enum {
    V2_SEQ = 1,
    V2_PREV = V2_SEQ + 8,
    V2_KEYID = V2_PREV + AUDIT_HASHBYTES,
    V2_KIND = V2_KEYID + PUBKEY_IDBYTES,
    V2_CLEAR_LEN = V2_KIND + 1,
    V2_CLEAR = V2_CLEAR_LEN + 2
};

static void hash_with(const char *context, const unsigned char *body, size_t len,
                      unsigned char hash[AUDIT_HASHBYTES])
{
    crypto_generichash_state st;

    crypto_generichash_init(&st, NULL, 0, AUDIT_HASHBYTES);
    crypto_generichash_update(&st, (const unsigned char *)context, strlen(context));
    crypto_generichash_update(&st, body, len);
    crypto_generichash_final(&st, hash, AUDIT_HASHBYTES);
}

/* A version-1 entry seen as a frame: its key-added entries introduce keys. */
static int parse_v1(const unsigned char *buf, size_t len, audit_frame *f)
{
    audit_entry e;

    if (audit_decode(buf, len, &e, &f->body_len) != 0)
        return ERR_FORMAT;
    f->version = AUDIT_V1;
    f->seq = e.seq;
    memcpy(f->prev_hash, e.prev_hash, AUDIT_HASHBYTES);
    memcpy(f->key_id, e.key_id, PUBKEY_IDBYTES);
    f->kind = AUDIT_KIND_ACTION;
    if (strcmp(e.action, "key-added") == 0) {
        f->kind = AUDIT_KIND_INTRO;
        size_t n = strlen(e.details);
        if (strncmp(e.details, "pub=", 4) == 0 && n - 4 < sizeof f->pub)   /* else "": not a key */
            memcpy(f->pub, e.details + 4, n - 4 + 1);
    }
    memcpy(f->sig, e.sig, AUDIT_SIGBYTES);
    audit_hash(buf, f->body_len, f->hash);
    sodium_memzero(&e, sizeof e);   /* an old entry's fields are secret once sealed */
    return 0;
}

int audit_frame_parse(const unsigned char *buf, size_t len, audit_frame *f)
{
    size_t clear_len, o;

    memset(f, 0, sizeof *f);
    if (len > 0 && buf[0] == AUDIT_V1)
        return parse_v1(buf, len, f);
    if (len < V2_CLEAR || buf[0] != AUDIT_V2)
        return ERR_FORMAT;
    f->version = AUDIT_V2;
    f->seq = bytes_load64_le(buf + V2_SEQ);
    memcpy(f->prev_hash, buf + V2_PREV, AUDIT_HASHBYTES);
    memcpy(f->key_id, buf + V2_KEYID, PUBKEY_IDBYTES);
    f->kind = buf[V2_KIND];
    clear_len = bytes_load16_le(buf + V2_CLEAR_LEN);
    if (f->kind < AUDIT_KIND_ACTION || f->kind > AUDIT_KIND_LEGACY ||
        (f->kind == AUDIT_KIND_INTRO) != (clear_len > 0) || clear_len >= sizeof f->pub ||
        len - V2_CLEAR < clear_len + 4)
        return ERR_FORMAT;
    memcpy(f->pub, buf + V2_CLEAR, clear_len);
    if (memchr(f->pub, 0, clear_len) != NULL)
        return ERR_FORMAT;
    o = V2_CLEAR + clear_len;
    f->sealed_len = bytes_load32_le(buf + o);
    o += 4;
    if (len - o < f->sealed_len || len - o - f->sealed_len != 1 + AUDIT_SIGBYTES)
        return ERR_FORMAT;
    f->sealed = buf + o;
    f->body_len = o + f->sealed_len;
    if (buf[f->body_len] != AUDIT_SIG_ED25519)
        return ERR_FORMAT;
    memcpy(f->sig, buf + f->body_len + 1, AUDIT_SIGBYTES);
    hash_with(HASH_CONTEXT_V2, buf, f->body_len, f->hash);
    return 0;
}

/* The readable part of a kind 1 or 2 entry, padded with zeros to AUDIT_SEALED_PLAIN bytes. */
static int encode_readable(const audit_entry *e, unsigned char out[AUDIT_SEALED_PLAIN])
{
    size_t o = 0;

    memset(out, 0, AUDIT_SEALED_PLAIN);
    bytes_store64_le(out, e->seq);
    memcpy(out + 8, e->key_id, PUBKEY_IDBYTES);
    o = 8 + PUBKEY_IDBYTES;
    if (put_str_in(out, AUDIT_SEALED_PLAIN, &o, e->time, AUDIT_TIME_MAX, 0) != 0 ||
        put_str_in(out, AUDIT_SEALED_PLAIN, &o, e->action, AUDIT_ACTION_MAX, 0) != 0 ||
        put_str_in(out, AUDIT_SEALED_PLAIN, &o, e->case_ref, CASEREF_TEXT_SIZE - 1, 0) != 0 ||
        put_str_in(out, AUDIT_SEALED_PLAIN, &o, e->details, AUDIT_DETAILS_MAX, 1) != 0)
        return ERR_LIMIT;
    if (e->outcome == AUDIT_OUTCOME_NONE)
        return 0;   /* the zero padding says "not recorded", as in entries written before */
    if (e->outcome < AUDIT_OUTCOME_DONE || e->outcome > AUDIT_OUTCOME_FAILED ||
        o + 1 + AUDIT_ATTEMPT_BYTES > AUDIT_SEALED_PLAIN)
        return ERR_LIMIT;
    out[o++] = (unsigned char)e->outcome;
    memcpy(out + o, e->attempt, AUDIT_ATTEMPT_BYTES);
    o += AUDIT_ATTEMPT_BYTES;
    return put_str_in(out, AUDIT_SEALED_PLAIN, &o, e->reason, AUDIT_REASON_MAX, 0) != 0 ? ERR_LIMIT : 0;
}

const char *audit_outcome_name(int outcome)
{
    switch (outcome) {
    case AUDIT_OUTCOME_DONE: return "done";
    case AUDIT_OUTCOME_REFUSED: return "refused";
    case AUDIT_OUTCOME_BEGUN: return "begun";
    case AUDIT_OUTCOME_FAILED: return "failed";
    default: return "not recorded";
    }
}

/* Lays out a version-2 body around sealed (see audit.h) in a new buffer with room for the
 * algorithm byte and the signature, and hashes it. */
static int build_frame(uint64_t seq, const unsigned char prev_hash[AUDIT_HASHBYTES],
                       const unsigned char key_id[PUBKEY_IDBYTES], int kind, const char *pub_line, size_t clear_len,
                       const unsigned char *sealed, size_t sealed_len, unsigned char **out, size_t *body_len,
                       unsigned char hash[AUDIT_HASHBYTES], char *err, size_t errlen)
{
    unsigned char *buf;
    size_t o;

    *body_len = V2_CLEAR + clear_len + 4 + sealed_len;
    buf = malloc(*body_len + 1 + AUDIT_SIGBYTES);
    if (buf == NULL) {
        *body_len = 0;
        return err_set(err, errlen, ERR_NOMEM, "out of memory sealing an audit entry");
    }
    buf[0] = AUDIT_V2;
    bytes_store64_le(buf + V2_SEQ, seq);
    memcpy(buf + V2_PREV, prev_hash, AUDIT_HASHBYTES);
    memcpy(buf + V2_KEYID, key_id, PUBKEY_IDBYTES);
    buf[V2_KIND] = (unsigned char)kind;
    bytes_store16_le(buf + V2_CLEAR_LEN, (uint16_t)clear_len);
    memcpy(buf + V2_CLEAR, pub_line != NULL ? pub_line : "", clear_len);
    o = V2_CLEAR + clear_len;
    bytes_store32_le(buf + o, (uint32_t)sealed_len);
    memcpy(buf + o + 4, sealed, sealed_len);
    hash_with(HASH_CONTEXT_V2, buf, *body_len, hash);
    *out = buf;
    return 0;
}

int audit_seal(const audit_entry *e, int kind, const char *pub_line,
               const unsigned char *readers, size_t nreaders,
               const unsigned char *piece, size_t piece_len,
               unsigned char **out, size_t *body_len, unsigned char hash[AUDIT_HASHBYTES],
               char *err, size_t errlen)
{
    unsigned char *plain = NULL, *sealed = NULL;
    size_t clear_len = kind == AUDIT_KIND_INTRO && pub_line != NULL ? strlen(pub_line) : 0;
    size_t sealed_len = 0;
    int rc;

    *out = NULL;
    *body_len = 0;
    if ((kind == AUDIT_KIND_INTRO) != (clear_len > 0) || clear_len >= PUBKEY_LINE_MAX ||
        (kind == AUDIT_KIND_LEGACY && (piece == NULL || piece_len > AUDIT_LEGACY_CHUNK)))
        return err_set(err, errlen, ERR_INTERNAL, "an audit entry of kind %d was built wrongly", kind);
    if (kind == AUDIT_KIND_LEGACY) {
        rc = envelope_seal(readers, nreaders, NULL, ENVELOPE_KIND_AUDIT_LEGACY, LEGACY_REF, piece, piece_len,
                           &sealed, &sealed_len, err, errlen);
    } else {
        if ((plain = sodium_malloc(AUDIT_SEALED_PLAIN)) == NULL)
            return err_set(err, errlen, ERR_NOMEM, "out of memory sealing an audit entry");
        rc = encode_readable(e, plain);
        if (rc != 0)
            err_set(err, errlen, rc, "an audit entry's details are too long");
        else
            rc = envelope_seal(readers, nreaders, NULL, ENVELOPE_KIND_AUDIT, SEAL_REF, plain, AUDIT_SEALED_PLAIN,
                               &sealed, &sealed_len, err, errlen);
        sodium_free(plain);
    }
    if (rc != 0)
        return rc;
    rc = build_frame(e->seq, e->prev_hash, e->key_id, kind, pub_line, clear_len, sealed, sealed_len, out, body_len,
                     hash, err, errlen);
    free(sealed);
    return rc;
}

/* Reads the readable part back; every byte after the fields must be zero. */
static int decode_readable(const unsigned char *p, size_t len, audit_entry *e)
{
    size_t o = 8 + PUBKEY_IDBYTES;

    if (len != AUDIT_SEALED_PLAIN)
        return ERR_FORMAT;
    e->seq = bytes_load64_le(p);
    memcpy(e->key_id, p + 8, PUBKEY_IDBYTES);
    if (get_str(p, len, &o, e->time, AUDIT_TIME_MAX, 0) != 0 ||
        get_str(p, len, &o, e->action, AUDIT_ACTION_MAX, 0) != 0 ||
        get_str(p, len, &o, e->case_ref, CASEREF_TEXT_SIZE - 1, 0) != 0 ||
        get_str(p, len, &o, e->details, AUDIT_DETAILS_MAX, 1) != 0)
        return ERR_FORMAT;
    if (o < len && p[o] != AUDIT_OUTCOME_NONE) {
        e->outcome = p[o++];
        if (e->outcome > AUDIT_OUTCOME_FAILED || len - o < AUDIT_ATTEMPT_BYTES)
            return ERR_FORMAT;
        memcpy(e->attempt, p + o, AUDIT_ATTEMPT_BYTES);
        o += AUDIT_ATTEMPT_BYTES;
        if (get_str(p, len, &o, e->reason, AUDIT_REASON_MAX, 0) != 0)
            return ERR_FORMAT;
    }
    for (; o < len; o++)
        if (p[o] != 0)
            return ERR_FORMAT;
    return 0;
}

int audit_open(const audit_frame *f, const unsigned char pk[32], const unsigned char sk[32],
               audit_entry *e, char *err, size_t errlen)
{
    unsigned char *plain = NULL;
    size_t plain_len = 0;
    int rc;

    memset(e, 0, sizeof *e);
    if (f->version != AUDIT_V2 || f->kind == AUDIT_KIND_LEGACY)
        return err_set(err, errlen, ERR_FORMAT, "audit entry %llu holds no sealed action", (unsigned long long)f->seq);
    rc = envelope_open(pk, sk, ENVELOPE_KIND_AUDIT, SEAL_REF, f->sealed, f->sealed_len, &plain, &plain_len,
                       err, errlen);
    if (rc != 0)
        return rc;
    rc = decode_readable(plain, plain_len, e);
    sodium_free(plain);
    if (rc != 0) {
        memset(e, 0, sizeof *e);
        return err_set(err, errlen, ERR_FORMAT, "audit entry %llu is sealed but malformed inside", (unsigned long long)f->seq);
    }
    if (e->seq != f->seq || sodium_memcmp(e->key_id, f->key_id, PUBKEY_IDBYTES) != 0) {
        memset(e, 0, sizeof *e);
        return err_set(err, errlen, ERR_AUTH, "audit entry %llu holds the sealed part of another entry", (unsigned long long)f->seq);
    }
    memcpy(e->prev_hash, f->prev_hash, AUDIT_HASHBYTES);
    return 0;
}

int audit_open_legacy(const audit_frame *f, const unsigned char pk[32], const unsigned char sk[32],
                      unsigned char **piece, size_t *piece_len, char *err, size_t errlen)
{
    *piece = NULL;
    *piece_len = 0;
    if (f->version != AUDIT_V2 || f->kind != AUDIT_KIND_LEGACY)
        return err_set(err, errlen, ERR_FORMAT, "audit entry %llu holds no old log", (unsigned long long)f->seq);
    return envelope_open(pk, sk, ENVELOPE_KIND_AUDIT_LEGACY, LEGACY_REF, f->sealed, f->sealed_len, piece, piece_len,
                         err, errlen);
}

int audit_relink(const audit_frame *f, const unsigned char pk[32], const unsigned char sk[32], uint64_t seq,
                 const unsigned char prev_hash[AUDIT_HASHBYTES], unsigned char **out, size_t *body_len,
                 unsigned char hash[AUDIT_HASHBYTES], char *err, size_t errlen)
{
    unsigned char *plain = NULL, *sealed = NULL;
    size_t sealed_len = 0;
    audit_entry e;
    int rc;

    *out = NULL;
    *body_len = 0;
    if (f->version != AUDIT_V2 || f->kind == AUDIT_KIND_LEGACY)
        return err_set(err, errlen, ERR_FORMAT, "audit entry %llu cannot be renumbered", (unsigned long long)f->seq);
    if ((rc = audit_open(f, pk, sk, &e, err, errlen)) != 0)
        return rc;
    e.seq = seq;
    if ((plain = sodium_malloc(AUDIT_SEALED_PLAIN)) == NULL) {
        rc = err_set(err, errlen, ERR_NOMEM, "out of memory renumbering an audit entry");
        goto out;
    }
    if ((rc = encode_readable(&e, plain)) != 0) {
        err_set(err, errlen, rc, "an audit entry's details are too long");
        goto out;
    }
    rc = envelope_reseal(pk, sk, ENVELOPE_KIND_AUDIT, SEAL_REF, f->sealed, f->sealed_len, plain, AUDIT_SEALED_PLAIN,
                         &sealed, &sealed_len, err, errlen);
    if (rc == 0)
        rc = build_frame(seq, prev_hash, f->key_id, f->kind, f->pub, strlen(f->pub), sealed, sealed_len, out, body_len,
                         hash, err, errlen);
out:
    free(sealed);
    sodium_free(plain);
    sodium_memzero(&e, sizeof e);
    return rc;
}
