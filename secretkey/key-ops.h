/*
 * key-ops.h: what casework does with an unlocked caseworker key besides opening envelopes:
 * signing (audit entries) and deriving keys for the caseworker's own use (the sealed case
 * index). With keyfile.c and passphrase.c it makes the secret-key library, the only code that
 * touches a secret key; intake never links it (a ctest derives the forbidden symbols from it).
 */
#ifndef SEA_CASEWORK_KEY_OPS_H
#define SEA_CASEWORK_KEY_OPS_H

#include <stddef.h>

#include "keyfile.h"

#define KEY_SIGBYTES 64

/* key_sign: the Ed25519 signature of the len bytes at msg under k's signing key, into sig. */
void key_sign(const caseworker_key *k, const unsigned char *msg, size_t len,
              unsigned char sig[KEY_SIGBYTES]);

/*
 * key_derive: a 32-byte key for context (a label such as "sea-index-v1") derived from k's
 * X25519 secret key with BLAKE2b keyed by the label. The caller wipes out after use.
 */
void key_derive(const caseworker_key *k, const char *context, unsigned char out[32]);

#endif
