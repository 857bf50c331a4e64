/*
 * record-sig.c: checking the caseworker signatures inside records (see record-sig.h).
 */
#include "record-sig.h"

#include <sodium.h>
#include <string.h>

#include "errors.h"
#include "fields.h"

#define CONTEXT "sea-record-v1"

void record_sig_hash(const char *ref, enum envelope_kind kind, const unsigned char *plain, size_t signed_len,
                     unsigned char hash[32])
{
    crypto_generichash_state st;
    unsigned char ref_len = (unsigned char)strlen(ref), k = (unsigned char)kind;

    crypto_generichash_init(&st, NULL, 0, 32);
    crypto_generichash_update(&st, (const unsigned char *)CONTEXT, sizeof CONTEXT - 1);
    crypto_generichash_update(&st, &ref_len, 1);
    crypto_generichash_update(&st, (const unsigned char *)ref, ref_len);
    crypto_generichash_update(&st, &k, 1);
    crypto_generichash_update(&st, plain, signed_len);
    crypto_generichash_final(&st, hash, 32);
}

int record_sig_check(const unsigned char *plain, size_t len, enum envelope_kind kind, const char *ref,
                     const unsigned char *keys, size_t nkeys, size_t *signer)
{
    field f[FIELDS_MAX];
    unsigned char hash[32];
    size_t n = 0;

    *signer = 0;
    if (fields_decode(plain, len, f, FIELDS_MAX, &n) != 0)
        return ERR_AUTH;
    if (n == 0 || strcmp(f[n - 1].name, "sig") != 0)
        return fields_find(f, n, "sig") != NULL || fields_find(f, n, "signer") != NULL ? ERR_AUTH : ERR_NOTFOUND;
    if (f[n - 1].len != 64 || n < 2 || strcmp(f[n - 2].name, "signer") != 0 || f[n - 2].len != 32 ||
        len < RECORD_SIG_ENTRY_BYTES)
        return ERR_AUTH;
    for (size_t i = 0; i < nkeys; i++) {
        if (sodium_memcmp(keys + 32 * i, f[n - 2].value, 32) != 0)
            continue;
        record_sig_hash(ref, kind, plain, len - RECORD_SIG_ENTRY_BYTES, hash);
        if (crypto_sign_verify_detached(f[n - 1].value, hash, 32, keys + 32 * i) != 0)
            return ERR_AUTH;
        *signer = i;
        return 0;
    }
    return ERR_AUTH;
}
