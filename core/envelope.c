/*
 * envelope.c: multi-recipient sealed records (see envelope.h for the format).
 */
#include "envelope.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "errors.h"
#include "secmem.h"

#define AD_CONTEXT "sea-envelope-v1"
#define COMMIT_CONTEXT "sea-envelope-commit-v1"
#define CASE_REF_MAX 64
#define PAD_LIMIT ((size_t)1 << 40)

size_t envelope_pad_bucket(size_t len)
{
    size_t bucket = ENVELOPE_MIN_BUCKET;

    if (len > PAD_LIMIT)
        return 0;
    while (bucket <= len)
        bucket *= 2;
    return bucket;
}

/* Offset of the commitment, which follows the header and the slots. */
static size_t commit_offset(size_t nslots)
{
    return ENVELOPE_HEADERBYTES + nslots * ENVELOPE_SLOTBYTES;
}

size_t envelope_sealed_size(size_t nslots, size_t plain_len)
{
    if (plain_len > ENVELOPE_MAX_PLAIN)
        return 0;
    return commit_offset(nslots) + ENVELOPE_COMMITBYTES + ENVELOPE_NONCEBYTES +
           envelope_pad_bucket(plain_len + 1) + ENVELOPE_TAGBYTES;
}

/*
 * Builds the associated data: context || len(case ref) || case ref || header, slots and
 * commitment. Returns a new malloc'd buffer and its length in *len, or NULL when out of memory.
 */
static unsigned char *build_ad(const unsigned char *env, size_t nslots, const char *case_ref,
                               size_t *len)
{
    size_t ctx = strlen(AD_CONTEXT), ref = strlen(case_ref);
    size_t head = commit_offset(nslots) + ENVELOPE_COMMITBYTES;
    unsigned char *ad = malloc(ctx + 1 + ref + head);

    if (ad == NULL)
        return NULL;
    memcpy(ad, AD_CONTEXT, ctx);
    ad[ctx] = (unsigned char)ref;
    memcpy(ad + ctx + 1, case_ref, ref);
    memcpy(ad + ctx + 1 + ref, env, head);
    *len = ctx + 1 + ref + head;
    return ad;
}

static void commitment(const unsigned char *key, unsigned char out[ENVELOPE_COMMITBYTES])
{
    crypto_generichash(out, ENVELOPE_COMMITBYTES, (const unsigned char *)COMMIT_CONTEXT,
                       sizeof COMMIT_CONTEXT - 1, key, ENVELOPE_KEYBYTES);
}

/* A slot sealed to a throwaway key: the same shape as a real one, openable by nobody. */
static int dummy_slot(unsigned char *slot)
{
    unsigned char pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
    unsigned char junk[ENVELOPE_KEYBYTES];
    int rc;

    crypto_box_keypair(pk, sk);
    randombytes_buf(junk, sizeof junk);
    rc = crypto_box_seal(slot, junk, sizeof junk, pk);
    sodium_memzero(sk, sizeof sk);
    sodium_memzero(junk, sizeof junk);
    return rc;
}

/* Fills the slots in a shuffled order: a working one for each included recipient. */
static int fill_slots(unsigned char *buf, const unsigned char *recipients, size_t n,
                      const unsigned char *include, const unsigned char *key)
{
    unsigned char order[ENVELOPE_MAX_SLOTS];

    for (size_t i = 0; i < n; i++)
        order[i] = (unsigned char)i;
    for (size_t i = n - 1; i > 0; i--) {   /* Fisher-Yates */
        size_t j = randombytes_uniform((uint32_t)(i + 1));
        unsigned char t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (size_t i = 0; i < n; i++) {
        size_t r = order[i];
        unsigned char *slot = buf + ENVELOPE_HEADERBYTES + i * ENVELOPE_SLOTBYTES;
        int rc = (include == NULL || include[r])
                     ? crypto_box_seal(slot, key, ENVELOPE_KEYBYTES, recipients + 32 * r)
                     : dummy_slot(slot);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/*
 * Encrypts pad(kind || plain) under key into buf, whose header and nslots slots are written
 * already: writes the commitment, a fresh nonce and the ciphertext. buf holds
 * envelope_sealed_size(nslots, plain_len) bytes. Returns 0, ERR_NOMEM or ERR_INTERNAL.
 */
static int encrypt_content(unsigned char *buf, size_t nslots, const char *case_ref, const unsigned char *key,
                           enum envelope_kind kind, const unsigned char *plain, size_t plain_len,
                           char *err, size_t errlen)
{
    size_t bucket = envelope_pad_bucket(plain_len + 1), padded_len, ad_len;
    unsigned char *padded = secmem_alloc(bucket), *ad, *nonce;
    int rc = 0;

    commitment(key, buf + commit_offset(nslots));
    ad = build_ad(buf, nslots, case_ref, &ad_len);
    if (padded == NULL || ad == NULL) {
        rc = err_set(err, errlen, ERR_NOMEM, "out of memory sealing a record");
        goto out;
    }
    padded[0] = (unsigned char)kind;
    if (plain_len > 0)
        memcpy(padded + 1, plain, plain_len);
    if (sodium_pad(&padded_len, padded, plain_len + 1, bucket, bucket) != 0 || padded_len != bucket) {
        rc = err_set(err, errlen, ERR_INTERNAL, "padding failed");
        goto out;
    }
    nonce = buf + commit_offset(nslots) + ENVELOPE_COMMITBYTES;
    randombytes_buf(nonce, ENVELOPE_NONCEBYTES);
    crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + ENVELOPE_NONCEBYTES, NULL, padded, padded_len,
                                               ad, ad_len, NULL, nonce, key);
out:
    free(ad);
    secmem_free(padded, bucket);
    return rc;
}

int envelope_seal(const unsigned char *recipients, size_t nrecipients, const unsigned char *include,
                  enum envelope_kind kind, const char *case_ref,
                  const unsigned char *plain, size_t plain_len,
                  unsigned char **out, size_t *out_len, char *err, size_t errlen)
{
    unsigned char *buf = NULL, *key = NULL;
    size_t total, included = 0;
    int rc = 0;

    *out = NULL;
    *out_len = 0;
    if (nrecipients == 0 || nrecipients > ENVELOPE_MAX_SLOTS)
        return err_set(err, errlen, ERR_LIMIT, "between 1 and %d recipients are needed", ENVELOPE_MAX_SLOTS);
    for (size_t i = 0; i < nrecipients; i++)
        included += include == NULL || include[i];
    if (included == 0)
        return err_set(err, errlen, ERR_LIMIT, "at least one recipient must be able to read the record");
    if (plain_len > ENVELOPE_MAX_PLAIN)
        return err_set(err, errlen, ERR_LIMIT, "record too large (%zu bytes, at most %d)", plain_len, ENVELOPE_MAX_PLAIN);
    if (strlen(case_ref) > CASE_REF_MAX)
        return err_set(err, errlen, ERR_LIMIT, "case reference too long");

    total = envelope_sealed_size(nrecipients, plain_len);
    buf = malloc(total);
    key = secmem_alloc(ENVELOPE_KEYBYTES);
    if (buf == NULL || key == NULL) {
        rc = err_set(err, errlen, ERR_NOMEM, "out of memory sealing a record");
        goto out;
    }
    buf[0] = ENVELOPE_VERSION;
    buf[1] = ENVELOPE_ALG_SEALBOX_XCHACHA;
    buf[2] = 0;
    buf[3] = 0;
    bytes_store16_le(buf + 4, (uint16_t)nrecipients);
    crypto_aead_xchacha20poly1305_ietf_keygen(key);
    if (fill_slots(buf, recipients, nrecipients, include, key) != 0) {
        rc = err_set(err, errlen, ERR_INTERNAL, "sealing a key slot failed (is a recipient key valid?)");
        goto out;
    }
    if ((rc = encrypt_content(buf, nrecipients, case_ref, key, kind, plain, plain_len, err, errlen)) != 0)
        goto out;
    *out = buf;
    *out_len = total;
    buf = NULL;
out:
    free(buf);
    secmem_free(key, ENVELOPE_KEYBYTES);   /* wiped before it is kept or freed */
    return rc;
}

/* Checks env's header (version, algorithm, slot count, length) and sets *nslots. */
static int parse_header(const unsigned char *env, size_t env_len, size_t *nslots, char *err, size_t errlen)
{
    if (env_len < ENVELOPE_HEADERBYTES)
        return err_set(err, errlen, ERR_FORMAT, "record is truncated");
    if (env[0] != ENVELOPE_VERSION || env[1] != ENVELOPE_ALG_SEALBOX_XCHACHA || env[2] != 0 || env[3] != 0)
        return err_set(err, errlen, ERR_FORMAT, "record has an unknown version or algorithm");
    *nslots = bytes_load16_le(env + 4);
    if (*nslots == 0 || *nslots > ENVELOPE_MAX_SLOTS)
        return err_set(err, errlen, ERR_FORMAT, "record has a bad slot count");
    if (env_len < envelope_sealed_size(*nslots, 0))
        return err_set(err, errlen, ERR_FORMAT, "record is truncated");
    return 0;
}

size_t envelope_slot_count(const unsigned char *env, size_t len)
{
    size_t nslots = 0;

    return parse_header(env, len, &nslots, NULL, 0) == 0 ? nslots : 0;
}

/* Opens the first of env's nslots slots that (pk, sk) can open into key; 1 when one did. */
static int open_slot(const unsigned char pk[32], const unsigned char sk[32], const unsigned char *env,
                     size_t nslots, unsigned char *key)
{
    for (size_t i = 0; i < nslots; i++)
        if (crypto_box_seal_open(key, env + ENVELOPE_HEADERBYTES + i * ENVELOPE_SLOTBYTES,
                                 ENVELOPE_SLOTBYTES, pk, sk) == 0)
            return 1;
    return 0;
}

/* Opens env; kind 0 accepts any kind and reports it in *kind_out. */
static int open_record(const unsigned char pk[32], const unsigned char sk[32], int kind,
                       const char *case_ref, const unsigned char *env, size_t env_len,
                       enum envelope_kind *kind_out, unsigned char **plain, size_t *plain_len,
                       char *err, size_t errlen)
{
    unsigned char *ad = NULL, *key = NULL, *padded = NULL, commit[ENVELOPE_COMMITBYTES];
    size_t nslots, ad_len, ct_len, unpadded;
    const unsigned char *nonce, *ct;
    int rc;

    *plain = NULL;
    *plain_len = 0;
    if ((rc = parse_header(env, env_len, &nslots, err, errlen)) != 0)
        return rc;
    if (strlen(case_ref) > CASE_REF_MAX)
        return err_set(err, errlen, ERR_AUTH, "record belongs to another case");
    nonce = env + commit_offset(nslots) + ENVELOPE_COMMITBYTES;
    ct = nonce + ENVELOPE_NONCEBYTES;
    ct_len = env_len - (size_t)(ct - env);

    ad = build_ad(env, nslots, case_ref, &ad_len);
    key = secmem_alloc(ENVELOPE_KEYBYTES);
    padded = sodium_malloc(ct_len - ENVELOPE_TAGBYTES + 1);   /* handed back: sodium_free */
    if (ad == NULL || key == NULL || padded == NULL) {
        rc = err_set(err, errlen, ERR_NOMEM, "out of memory opening a record");
        goto out;
    }
    if (!open_slot(pk, sk, env, nslots, key)) {
        rc = err_set(err, errlen, ERR_NOT_RECIPIENT, "this key is not a recipient of the record");
        goto out;
    }
    commitment(key, commit);
    if (sodium_memcmp(commit, env + commit_offset(nslots), ENVELOPE_COMMITBYTES) != 0 ||
        crypto_aead_xchacha20poly1305_ietf_decrypt(padded, NULL, NULL, ct, ct_len, ad, ad_len,
                                                   nonce, key) != 0) {
        rc = err_set(err, errlen, ERR_AUTH, "record was altered, or belongs to another case");
        goto out;
    }
    if (sodium_unpad(&unpadded, padded, ct_len - ENVELOPE_TAGBYTES, ct_len - ENVELOPE_TAGBYTES) != 0 ||
        unpadded == 0) {
        rc = err_set(err, errlen, ERR_FORMAT, "record has bad padding");
        goto out;
    }
    if (kind != 0 && padded[0] != (unsigned char)kind) {
        rc = err_set(err, errlen, ERR_AUTH, "record is of another kind than expected");
        goto out;
    }
    if (kind_out != NULL)
        *kind_out = (enum envelope_kind)padded[0];
    /* Hand back the plaintext after the kind byte, NUL-terminated, in the same guarded buffer. */
    memmove(padded, padded + 1, unpadded - 1);
    padded[unpadded - 1] = '\0';
    *plain = padded;
    *plain_len = unpadded - 1;
    padded = NULL;
out:
    free(ad);
    secmem_free(key, ENVELOPE_KEYBYTES);
    sodium_free(padded);
    return rc;
}

int envelope_open(const unsigned char pk[32], const unsigned char sk[32],
                  enum envelope_kind kind, const char *case_ref,
                  const unsigned char *env, size_t env_len,
                  unsigned char **plain, size_t *plain_len, char *err, size_t errlen)
{
    return open_record(pk, sk, (int)kind, case_ref, env, env_len, NULL, plain, plain_len, err, errlen);
}

int envelope_open_any(const unsigned char pk[32], const unsigned char sk[32], const char *case_ref,
                      const unsigned char *env, size_t env_len, enum envelope_kind *kind,
                      unsigned char **plain, size_t *plain_len, char *err, size_t errlen)
{
    return open_record(pk, sk, 0, case_ref, env, env_len, kind, plain, plain_len, err, errlen);
}

int envelope_open_key(const unsigned char pk[32], const unsigned char sk[32],
                      const unsigned char *env, size_t env_len, unsigned char *key,
                      char *err, size_t errlen)
{
    unsigned char commit[ENVELOPE_COMMITBYTES];
    size_t nslots;
    int rc;

    if ((rc = parse_header(env, env_len, &nslots, err, errlen)) != 0)
        return rc;
    if (!open_slot(pk, sk, env, nslots, key))
        return err_set(err, errlen, ERR_NOT_RECIPIENT, "this key is not a recipient of the record");
    commitment(key, commit);
    if (sodium_memcmp(commit, env + commit_offset(nslots), ENVELOPE_COMMITBYTES) != 0) {
        sodium_memzero(key, ENVELOPE_KEYBYTES);
        return err_set(err, errlen, ERR_AUTH, "record was altered");
    }
    return 0;
}

int envelope_add_recipient(const unsigned char pk[32], const unsigned char sk[32],
                           const char *case_ref, const unsigned char *env, size_t env_len,
                           const unsigned char new_pk[32], unsigned char **out, size_t *out_len,
                           char *err, size_t errlen)
{
    unsigned char *key = sodium_malloc(ENVELOPE_KEYBYTES), *plain = NULL, *buf = NULL;
    enum envelope_kind kind;
    size_t plain_len, nslots, pos, total;
    int rc;

    *out = NULL;
    *out_len = 0;
    if (key == NULL)
        return err_set(err, errlen, ERR_NOMEM, "out of memory");
    rc = envelope_open_key(pk, sk, env, env_len, key, err, errlen);
    if (rc == 0)
        rc = envelope_open_any(pk, sk, case_ref, env, env_len, &kind, &plain, &plain_len, err, errlen);
    if (rc != 0)
        goto out;
    nslots = bytes_load16_le(env + 4);
    if (nslots >= ENVELOPE_MAX_SLOTS) {
        rc = err_set(err, errlen, ERR_LIMIT, "the record has as many readers as it can hold");
        goto out;
    }
    total = envelope_sealed_size(nslots + 1, plain_len);
    if ((buf = malloc(total)) == NULL) {
        rc = err_set(err, errlen, ERR_NOMEM, "out of memory");
        goto out;
    }
    memcpy(buf, env, ENVELOPE_HEADERBYTES);
    bytes_store16_le(buf + 4, (uint16_t)(nslots + 1));
    pos = randombytes_uniform((uint32_t)(nslots + 1));
    for (size_t i = 0, from = 0; i < nslots + 1; i++) {
        unsigned char *slot = buf + ENVELOPE_HEADERBYTES + i * ENVELOPE_SLOTBYTES;
        if (i == pos) {
            if (crypto_box_seal(slot, key, ENVELOPE_KEYBYTES, new_pk) != 0) {
                rc = err_set(err, errlen, ERR_INTERNAL, "sealing a key slot failed (is the key valid?)");
                goto out;
            }
        } else {
            memcpy(slot, env + ENVELOPE_HEADERBYTES + from++ * ENVELOPE_SLOTBYTES, ENVELOPE_SLOTBYTES);
        }
    }
    if ((rc = encrypt_content(buf, nslots + 1, case_ref, key, kind, plain, plain_len, err, errlen)) != 0)
        goto out;
    *out = buf;
    *out_len = total;
    buf = NULL;
out:
    free(buf);
    sodium_free(plain);
    sodium_free(key);
    return rc;
}

int envelope_reseal(const unsigned char pk[32], const unsigned char sk[32], enum envelope_kind kind,
                    const char *case_ref, const unsigned char *env, size_t env_len,
                    const unsigned char *plain, size_t plain_len, unsigned char **out, size_t *out_len,
                    char *err, size_t errlen)
{
    unsigned char *key = sodium_malloc(ENVELOPE_KEYBYTES), *old = NULL, *buf = NULL;
    size_t old_len, nslots, total;
    int rc;

    *out = NULL;
    *out_len = 0;
    if (key == NULL)
        return err_set(err, errlen, ERR_NOMEM, "out of memory");
    if (plain_len > ENVELOPE_MAX_PLAIN) {
        rc = err_set(err, errlen, ERR_LIMIT, "record too large");
        goto out;
    }
    /* Only whoever can open the record, as the kind it claims, may give it new content. */
    rc = envelope_open_key(pk, sk, env, env_len, key, err, errlen);
    if (rc == 0)
        rc = envelope_open(pk, sk, kind, case_ref, env, env_len, &old, &old_len, err, errlen);
    if (rc != 0)
        goto out;
    nslots = bytes_load16_le(env + 4);
    total = envelope_sealed_size(nslots, plain_len);
    if ((buf = malloc(total)) == NULL) {
        rc = err_set(err, errlen, ERR_NOMEM, "out of memory");
        goto out;
    }
    memcpy(buf, env, commit_offset(nslots));
    if ((rc = encrypt_content(buf, nslots, case_ref, key, kind, plain, plain_len, err, errlen)) != 0)
        goto out;
    *out = buf;
    *out_len = total;
    buf = NULL;
out:
    free(buf);
    sodium_free(old);
    sodium_free(key);
    return rc;
}
