/*
 * receipt.c: receipt generation, display, forgiving parsing and key derivation (see receipt.h).
 */
#include "receipt.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base32.h"
#include "errors.h"
#include "secmem.h"

#define KDF_CONTEXT "sea-rcpt"
#define MASTER_CONTEXT "sea-receipt-master-v1"

enum { SUBKEY_LOOKUP = 1, SUBKEY_BOX_SEED = 2, SUBKEY_SECRET = 3 };

void receipt_generate(unsigned char raw[RECEIPT_BYTES])
{
    randombytes_buf(raw, RECEIPT_BYTES);
}

void receipt_format(const unsigned char raw[RECEIPT_BYTES], char out[RECEIPT_TEXT_SIZE])
{
    base32_encode(raw, RECEIPT_SYMBOLS, RECEIPT_GROUP, out);
}

int receipt_parse(const char *text, unsigned char raw[RECEIPT_BYTES])
{
    return base32_decode(text, RECEIPT_SYMBOLS, raw);
}

receipt_keys *receipt_keys_derive(const unsigned char raw[RECEIPT_BYTES])
{
    unsigned char *master = secmem_alloc(crypto_kdf_KEYBYTES);
    unsigned char *seed = secmem_alloc(crypto_box_SEEDBYTES);
    receipt_keys *k = secmem_alloc(sizeof *k);
    crypto_generichash_state st;

    if (master == NULL || seed == NULL || k == NULL) {
        secmem_free(k, sizeof *k);
        k = NULL;
        goto out;
    }
    crypto_generichash_init(&st, NULL, 0, crypto_kdf_KEYBYTES);
    crypto_generichash_update(&st, (const unsigned char *)MASTER_CONTEXT, sizeof MASTER_CONTEXT - 1);
    crypto_generichash_update(&st, raw, RECEIPT_BYTES);
    crypto_generichash_final(&st, master, crypto_kdf_KEYBYTES);
    sodium_memzero(&st, sizeof st);

    crypto_kdf_derive_from_key(k->lookup, sizeof k->lookup, SUBKEY_LOOKUP, KDF_CONTEXT, master);
    crypto_kdf_derive_from_key(seed, crypto_box_SEEDBYTES, SUBKEY_BOX_SEED, KDF_CONTEXT, master);
    crypto_box_seed_keypair(k->box_pk, k->box_sk, seed);
    crypto_kdf_derive_from_key(k->secret, sizeof k->secret, SUBKEY_SECRET, KDF_CONTEXT, master);
out:
    secmem_free(master, crypto_kdf_KEYBYTES);
    secmem_free(seed, crypto_box_SEEDBYTES);
    return k;
}

void receipt_keys_free(receipt_keys *k)
{
    secmem_free(k, sizeof *k);
}

#define BOX_CONTEXT "sea-receipt-box-v1"
#define BOX_VERSION 1
#define BOX_REF_MAX 64
#define BOX_PLAIN_MAX (1024 * 1024)

/* Builds the box's associated data into ad (at least sizeof BOX_CONTEXT + BOX_REF_MAX bytes). */
static size_t box_ad(unsigned char *ad, const char *case_ref)
{
    size_t ctx = sizeof BOX_CONTEXT - 1, ref = strlen(case_ref);

    memcpy(ad, BOX_CONTEXT, ctx);
    ad[ctx] = (unsigned char)ref;
    memcpy(ad + ctx + 1, case_ref, ref);
    return ctx + 1 + ref;
}

int receipt_box_seal(const receipt_keys *k, const char *case_ref, const unsigned char *plain,
                     size_t len, unsigned char **out, size_t *out_len)
{
    unsigned char ad[sizeof BOX_CONTEXT + BOX_REF_MAX], *box, *padded;
    size_t ad_len, bucket = RECEIPT_BOX_MIN_PAD, padded_len;

    *out = NULL;
    *out_len = 0;
    if (strlen(case_ref) > BOX_REF_MAX || len > BOX_PLAIN_MAX)
        return ERR_LIMIT;
    while (bucket <= len)
        bucket *= 2;
    box = malloc(bucket + RECEIPT_BOX_OVERHEAD);
    padded = secmem_alloc(bucket);
    if (box == NULL || padded == NULL) {
        free(box);
        secmem_free(padded, bucket);
        return ERR_NOMEM;
    }
    if (len > 0)
        memcpy(padded, plain, len);
    sodium_pad(&padded_len, padded, len, bucket, bucket);
    ad_len = box_ad(ad, case_ref);
    box[0] = BOX_VERSION;
    randombytes_buf(box + 1, 24);
    crypto_aead_xchacha20poly1305_ietf_encrypt(box + 25, NULL, padded, padded_len, ad, ad_len,
                                               NULL, box + 1, k->secret);
    secmem_free(padded, bucket);
    *out = box;
    *out_len = padded_len + RECEIPT_BOX_OVERHEAD;
    return 0;
}

int receipt_box_open(const receipt_keys *k, const char *case_ref, const unsigned char *box,
                     size_t box_len, unsigned char **plain, size_t *len)
{
    unsigned char ad[sizeof BOX_CONTEXT + BOX_REF_MAX], *p;
    size_t ad_len, unpadded;

    *plain = NULL;
    *len = 0;
    if (box_len < RECEIPT_BOX_OVERHEAD + 1 || box_len > RECEIPT_BOX_OVERHEAD + 2 * BOX_PLAIN_MAX ||
        box[0] != BOX_VERSION)
        return ERR_FORMAT;
    if (strlen(case_ref) > BOX_REF_MAX)
        return ERR_AUTH;
    p = sodium_malloc(box_len - RECEIPT_BOX_OVERHEAD + 1);
    if (p == NULL)
        return ERR_NOMEM;
    ad_len = box_ad(ad, case_ref);
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(p, NULL, NULL, box + 25, box_len - 25, ad,
                                                   ad_len, box + 1, k->secret) != 0) {
        sodium_free(p);
        return ERR_AUTH;
    }
    if (sodium_unpad(&unpadded, p, box_len - RECEIPT_BOX_OVERHEAD, box_len - RECEIPT_BOX_OVERHEAD) != 0) {
        sodium_free(p);
        return ERR_FORMAT;
    }
    p[unpadded] = 0;
    *plain = p;
    *len = unpadded;
    return 0;
}
