/*
 * key-ops.h: what casework does with an unlocked caseworker key besides opening envelopes:
 * signing (audit entries) and deriving keys for the caseworker's own use (the sealed case
 * index). With keyfile.c and passphrase.c it makes the secret-key library: the only code that
 * unlocks a secret key, reads a passphrase, signs or derives from a secret key. intake never
 * links it (a ctest derives the forbidden symbols from it). Opening an envelope also uses the
 * unlocked X25519 secret key: casework hands it to core's envelope functions, which take a key
 * and never look for one.
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
 * key_derive: a 32-byte key for context (a label such as "sea-index-v1"): BLAKE2b-256 of the
 * label, keyed with k's X25519 secret key. The caller wipes out after use.
 */
void key_derive(const caseworker_key *k, const char *context, unsigned char out[32]);

#endif
