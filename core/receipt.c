/*
 * receipt.c: receipt generation, display, forgiving parsing and key derivation (see receipt.h).
 */
#include "receipt.h"

#include <sodium.h>

#include "base32.h"

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
    unsigned char *master = sodium_malloc(crypto_kdf_KEYBYTES);
    unsigned char *seed = sodium_malloc(crypto_box_SEEDBYTES);
    receipt_keys *k = sodium_malloc(sizeof *k);
    crypto_generichash_state st;

    if (master == NULL || seed == NULL || k == NULL) {
        sodium_free(k);
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
    sodium_free(master);
    sodium_free(seed);
    return k;
}

void receipt_keys_free(receipt_keys *k)
{
    sodium_free(k);
}
