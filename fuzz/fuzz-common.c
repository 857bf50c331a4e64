/*
 * fuzz-common.c: the fixed identities and helpers of fuzz.h.
 */
#include "fuzz.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fuzz_init(void)
{
    if (sodium_init() < 0)
        fuzz_fail(__FILE__, __LINE__, "sodium_init failed");
}

void fuzz_identity_make(unsigned which, const char *name, fuzz_identity *id)
{
    unsigned char seed[32];

    memset(id, 0, sizeof *id);
    memset(seed, (int)(0x40 + 2 * which), sizeof seed);
    crypto_box_seed_keypair(id->pub.x25519, id->x25519_sk, seed);
    memset(seed, (int)(0x41 + 2 * which), sizeof seed);
    crypto_sign_seed_keypair(id->pub.ed25519, id->ed25519_sk, seed);
    pubkey_compute_id(PUBKEY_ROLE_CASEWORKER, id->pub.x25519, id->pub.ed25519, id->pub.key_id);
    snprintf(id->pub.name, sizeof id->pub.name, "%s", name);
}

void fuzz_stream_key(unsigned char key[32])
{
    memset(key, 0x5a, 32);
}

char *fuzz_cstring(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    if (s == NULL)
        fuzz_fail(__FILE__, __LINE__, "out of memory");
    if (size > 0)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: fuzz check failed: %s\n", file, line, what);
    abort();
}
