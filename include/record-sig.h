/*
 * record-sig.h: the signature a caseworker puts inside every record casework writes (reply,
 * note, triage, share, figures), so that whoever can write the shared database cannot put words
 * in a caseworker's mouth or add a reader to a case. The last two entries of the record's
 * plaintext (fields.h) are
 *
 *     "signer": the caseworker's Ed25519 public key (32 bytes)
 *     "sig":    Ed25519 signature (64 bytes) of
 *               BLAKE2b-256("sea-record-v1" || len(ref) (1 byte) || ref || kind (1 byte) ||
 *                           every byte of the plaintext before the "sig" entry)
 *
 * ref is the case reference the record is sealed with ("figures" for figures), kind its
 * envelope kind. Checking needs only public keys, so the intake checks replies too.
 */
#ifndef SEA_RECORD_SIG_H
#define SEA_RECORD_SIG_H

#include <stddef.h>

#include "envelope.h"

#define RECORD_SIG_ENTRY_BYTES (1 + 3 + 4 + 64)   /* the encoded "sig" entry */

/* record_sig_hash: the 32 bytes signed for the signed_len bytes at plain (everything before "sig"). */
void record_sig_hash(const char *ref, enum envelope_kind kind, const unsigned char *plain, size_t signed_len,
                     unsigned char hash[32]);

/*
 * record_sig_check: checks the signature of the record plaintext plain (len bytes) of kind,
 * sealed with ref, against the nkeys Ed25519 public keys in keys (32 bytes each). Returns 0 and
 * *signer (the index of the key that signed) when the record ends with a "signer" among keys and
 * a "sig" that verifies; ERR_NOTFOUND when it carries no signature; ERR_AUTH otherwise (a
 * signer not among keys, a bad signature, a malformed record).
 */
int record_sig_check(const unsigned char *plain, size_t len, enum envelope_kind kind, const char *ref,
                     const unsigned char *keys, size_t nkeys, size_t *signer);

#endif
