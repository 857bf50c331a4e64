/*
 * key-ops.c: signing and key derivation with an unlocked caseworker key (see key-ops.h).
 */
#include "key-ops.h"

#include <sodium.h>
#include <string.h>

void key_sign(const caseworker_key *k, const unsigned char *msg, size_t len,
              unsigned char sig[KEY_SIGBYTES])
{
    crypto_sign_detached(sig, NULL, msg, len, k->ed25519_sk);
}

void key_derive(const caseworker_key *k, const char *context, unsigned char out[32])
{
    crypto_generichash(out, 32, (const unsigned char *)context, strlen(context),
                       k->x25519_sk, sizeof k->x25519_sk);
}
