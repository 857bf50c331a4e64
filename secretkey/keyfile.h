/*
 * keyfile.h: a caseworker's or an auditor's secret key file, which only `casework` links.
 *
 * The file (version 1, integers little-endian) is:
 *
 *     offset  size  field
 *     0       4     magic "CWSK"
 *     4       1     version (1)
 *     5       1     KDF (1: Argon2id v1.3, crypto_pwhash_ALG_ARGON2ID13)
 *     6       1     AEAD (1: XChaCha20-Poly1305-IETF)
 *     7       1     name length n (1..64)
 *     8       8     KDF opslimit
 *     16      8     KDF memlimit (bytes)
 *     24      16    KDF salt
 *     40      8     key id (see pubkey.h); it also tells the key's role
 *     48      24    AEAD nonce
 *     72      n     name (UTF-8)
 *     72+n    112   AEAD ciphertext of X25519 secret (32) || Ed25519 secret (64), with its tag
 *
 * The wrapping key is crypto_pwhash(passphrase, salt, opslimit, memlimit, Argon2id); the AEAD's
 * associated data is every byte before the ciphertext, so no header field can be changed
 * unnoticed. After decryption the public keys are recomputed and must match the key id.
 *
 * The role (caseworker or auditor) has no field of its own, and the format is the same version 1
 * for both: the key id says it. A caseworker's key id is computed with the caseworker's context
 * ("sea-keyid-v1"), an auditor's with the auditor's ("sea-auditor-keyid-v1"); on opening, the
 * key id stored at offset 40 must equal the id of the recomputed public keys under one of the two
 * contexts, and that context gives the role (k->pub.role). Under neither, the file is refused
 * (ERR_AUTH) as before. The key id is in the associated data, so the role cannot be changed
 * without the passphrase, and key files written before roles existed open as caseworkers' keys.
 */
#ifndef SEA_KEYFILE_H
#define SEA_KEYFILE_H

#include <stddef.h>

#include "pubkey.h"

#define KEYFILE_VERSION 1
#define KEYFILE_HEADERBYTES 72
#define KEYFILE_SECRETBYTES 96
#define KEYFILE_MAX_SIZE (KEYFILE_HEADERBYTES + PUBKEY_NAME_MAX + KEYFILE_SECRETBYTES + 16)

/* A caseworker's or an auditor's keys (pub.role says which). Lives only in sodium_malloc
 * memory: create with keyfile_generate or keyfile_decode, release with keyfile_free. */
typedef struct caseworker_key {
    unsigned char x25519_sk[32];
    unsigned char ed25519_sk[64];
    pubkey pub;
} caseworker_key;

/* Argon2id cost of new key files: libsodium's "moderate" (256 MiB, about a second). */
typedef struct keyfile_kdf_limits {
    unsigned long long opslimit;
    size_t memlimit;
} keyfile_kdf_limits;

/* keyfile_default_limits: the limits `casework keygen` uses. */
keyfile_kdf_limits keyfile_default_limits(void);

/*
 * keyfile_generate: new random X25519 and Ed25519 keys for a caseworker or an auditor (role, an
 * enum pubkey_role) called name (checked with pubkey_name_valid), with the key id of that role,
 * in guarded memory to free with keyfile_free. Returns NULL when name is invalid, role is
 * neither PUBKEY_ROLE_CASEWORKER nor PUBKEY_ROLE_AUDITOR, or memory is short, and then there is
 * nothing to free.
 */
caseworker_key *keyfile_generate(const char *name, int role);

/*
 * keyfile_encode: wraps k under passphrase into a new malloc'd buffer (*out, *out_len; the
 * caller frees it with free). Returns 0 or ERR_NOMEM. On failure *out is NULL and *out_len 0,
 * and there is nothing to free (the copy of the secret keys and the wrapping key were wiped).
 */
int keyfile_encode(const caseworker_key *k, const char *passphrase, size_t pass_len,
                   keyfile_kdf_limits limits, unsigned char **out, size_t *out_len,
                   char *err, size_t errlen);

/*
 * keyfile_decode: unwraps a key file's bytes. Returns 0 and *out (free with keyfile_free), its
 * pub.role the role the key id was computed for (see the format comment);
 * ERR_FORMAT when the bytes are not a key file we know (truncated, bad magic, algorithm tag or
 * limits) and ERR_VERSION for a newer version, both checked before any crypto runs; ERR_AUTH when the passphrase is wrong or the file was
 * altered; ERR_NOMEM. On failure *out is NULL and there is nothing to free (whatever was
 * decrypted was wiped).
 */
int keyfile_decode(const unsigned char *buf, size_t len, const char *passphrase, size_t pass_len,
                   caseworker_key **out, char *err, size_t errlen);

/*
 * keyfile_key_id: the key id stored in a key file's len bytes at buf (offset 40), after the
 * same header checks as keyfile_decode and without a passphrase. Returns 0, ERR_FORMAT or
 * ERR_VERSION (id untouched).
 */
int keyfile_key_id(const unsigned char *buf, size_t len, unsigned char id[PUBKEY_IDBYTES], char *err, size_t errlen);

/*
 * keyfile_decode_secret: like keyfile_decode, but with the decrypted secret keys given
 * (X25519 secret (32) || Ed25519 secret (64), as they were wrapped: the key agent's answer)
 * instead of a passphrase. The public keys are recomputed and must match the file's key id
 * (ERR_AUTH otherwise), which also gives the role; the name comes from the file. Returns 0 and
 * *out (free with keyfile_free), or ERR_FORMAT, ERR_VERSION, ERR_AUTH, ERR_NOMEM with *out NULL
 * and nothing to free. secret is not wiped: the caller does.
 */
int keyfile_decode_secret(const unsigned char *buf, size_t len, const unsigned char secret[KEYFILE_SECRETBYTES],
                          caseworker_key **out, char *err, size_t errlen);

/*
 * keyfile_write: writes k's secret file at path (mode 0600) and its public line at path.pub
 * (mode 0644), never overwriting either: ERR_EXISTS when either exists. On failure neither
 * file is left behind.
 */
int keyfile_write(const char *path, const caseworker_key *k, const char *passphrase,
                  size_t pass_len, keyfile_kdf_limits limits, char *err, size_t errlen);

/* keyfile_check_free: 0 when neither path nor path.pub exists; else ERR_EXISTS naming it. */
int keyfile_check_free(const char *path, char *err, size_t errlen);

/*
 * keyfile_read: reads and decodes the file at path. Returns 0 and *out (free with
 * keyfile_free); or an error as fileio_read_all or keyfile_decode (ERR_FORMAT for a file too
 * large to be a key file), with a message naming the path; then *out is NULL and there is
 * nothing to free.
 */
int keyfile_read(const char *path, const char *passphrase, size_t pass_len,
                 caseworker_key **out, char *err, size_t errlen);

/* keyfile_free: wipes and frees k; accepts NULL. */
void keyfile_free(caseworker_key *k);

#endif
