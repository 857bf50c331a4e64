/*
 * keyfile.c: creating, wrapping and unwrapping caseworkers' and auditors' secret key files (see
 * keyfile.h).
 */
#include "keyfile.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bytes.h"
#include "errors.h"
#include "fileio.h"

#define MAGIC "CWSK"
#define KDF_ARGON2ID13 1
#define AEAD_XCHACHA20POLY1305 1
#define OFF_OPS 8
#define OFF_MEM 16
#define OFF_SALT 24
#define OFF_KEYID 40
#define OFF_NONCE 48
#define OPSLIMIT_CAP 64ULL
#define MEMLIMIT_CAP (4ULL << 30)

keyfile_kdf_limits keyfile_default_limits(void)
{
    keyfile_kdf_limits l = {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
    return l;
}

/* Fills the public half of k (both public keys, and the key id for k->pub.role) from its
 * secret keys. */
static void derive_public(caseworker_key *k)
{
    crypto_scalarmult_base(k->pub.x25519, k->x25519_sk);
    crypto_sign_ed25519_sk_to_pk(k->pub.ed25519, k->ed25519_sk);
    pubkey_compute_id(k->pub.role, k->pub.x25519, k->pub.ed25519, k->pub.key_id);
}

caseworker_key *keyfile_generate(const char *name, int role)
{
    caseworker_key *k;
    unsigned char ed_pk[32];

    if (!pubkey_name_valid(name) || (role != PUBKEY_ROLE_CASEWORKER && role != PUBKEY_ROLE_AUDITOR))
        return NULL;
    k = sodium_malloc(sizeof *k);
    if (k == NULL)
        return NULL;
    memset(k, 0, sizeof *k);
    k->pub.role = role;
    crypto_box_keypair(k->pub.x25519, k->x25519_sk);
    crypto_sign_keypair(ed_pk, k->ed25519_sk);
    derive_public(k);
    snprintf(k->pub.name, sizeof k->pub.name, "%s", name);
    return k;
}

void keyfile_free(caseworker_key *k)
{
    sodium_free(k);
}

/* Derives the wrapping key into new guarded memory, or returns NULL. */
static unsigned char *wrapping_key(const char *passphrase, size_t pass_len, const unsigned char *salt,
                                   unsigned long long ops, size_t mem)
{
    unsigned char *key = sodium_malloc(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);

    if (key == NULL)
        return NULL;
    if (crypto_pwhash(key, crypto_aead_xchacha20poly1305_ietf_KEYBYTES, passphrase, pass_len, salt,
                      ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        sodium_free(key);
        return NULL;
    }
    return key;
}

int keyfile_encode(const caseworker_key *k, const char *passphrase, size_t pass_len,
                   keyfile_kdf_limits limits, unsigned char **out, size_t *out_len,
                   char *err, size_t errlen)
{
    size_t name_len = strlen(k->pub.name);
    size_t total = KEYFILE_HEADERBYTES + name_len + KEYFILE_SECRETBYTES +
                   crypto_aead_xchacha20poly1305_ietf_ABYTES;
    unsigned char *buf, *secret = NULL, *key = NULL;
    int rc = 0;

    *out = NULL;
    *out_len = 0;
    buf = malloc(total);
    secret = sodium_malloc(KEYFILE_SECRETBYTES);
    if (buf == NULL || secret == NULL) {
        rc = err_set(err, errlen, ERR_NOMEM, "out of memory writing a key file");
        goto out;
    }
    memcpy(buf, MAGIC, 4);
    buf[4] = KEYFILE_VERSION;
    buf[5] = KDF_ARGON2ID13;
    buf[6] = AEAD_XCHACHA20POLY1305;
    buf[7] = (unsigned char)name_len;
    bytes_store64_le(buf + OFF_OPS, limits.opslimit);
    bytes_store64_le(buf + OFF_MEM, limits.memlimit);
    randombytes_buf(buf + OFF_SALT, crypto_pwhash_SALTBYTES);
    memcpy(buf + OFF_KEYID, k->pub.key_id, PUBKEY_IDBYTES);
    randombytes_buf(buf + OFF_NONCE, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    memcpy(buf + KEYFILE_HEADERBYTES, k->pub.name, name_len);

    key = wrapping_key(passphrase, pass_len, buf + OFF_SALT, limits.opslimit, limits.memlimit);
    if (key == NULL) {
        rc = err_set(err, errlen, ERR_NOMEM, "not enough memory to derive the key from the passphrase");
        goto out;
    }
    memcpy(secret, k->x25519_sk, 32);
    memcpy(secret + 32, k->ed25519_sk, 64);
    crypto_aead_xchacha20poly1305_ietf_encrypt(buf + KEYFILE_HEADERBYTES + name_len, NULL, secret,
                                               KEYFILE_SECRETBYTES, buf,
                                               KEYFILE_HEADERBYTES + name_len, NULL,
                                               buf + OFF_NONCE, key);
    *out = buf;
    *out_len = total;
    buf = NULL;
out:
    free(buf);
    sodium_free(secret);
    sodium_free(key);
    return rc;
}

/* Checks the header of a key file's len bytes at buf (everything that can be checked before
 * any crypto runs) and sets *name_len. Returns 0, ERR_FORMAT or ERR_VERSION with a message. */
static int check_header(const unsigned char *buf, size_t len, size_t *name_len, char *err, size_t errlen)
{
    unsigned long long ops;
    uint64_t mem;

    if (len < KEYFILE_HEADERBYTES || memcmp(buf, MAGIC, 4) != 0)
        return err_set(err, errlen, ERR_FORMAT, "not a caseworker key file");
    if (buf[4] > KEYFILE_VERSION)
        return err_set(err, errlen, ERR_VERSION, "key file version %u is newer than this casework (upgrade casework)", buf[4]);
    if (buf[4] != KEYFILE_VERSION)
        return err_set(err, errlen, ERR_FORMAT, "key file is damaged (bad version)");
    if (buf[5] != KDF_ARGON2ID13 || buf[6] != AEAD_XCHACHA20POLY1305)
        return err_set(err, errlen, ERR_FORMAT, "key file uses an unknown algorithm");
    *name_len = buf[7];
    if (*name_len == 0 || *name_len > PUBKEY_NAME_MAX)
        return err_set(err, errlen, ERR_FORMAT, "key file is damaged (bad name length)");
    if (len != KEYFILE_HEADERBYTES + *name_len + KEYFILE_SECRETBYTES +
                   crypto_aead_xchacha20poly1305_ietf_ABYTES)
        return err_set(err, errlen, ERR_FORMAT, "key file is truncated or has extra bytes");
    ops = bytes_load64_le(buf + OFF_OPS);
    mem = bytes_load64_le(buf + OFF_MEM);
    if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > OPSLIMIT_CAP ||
        mem < crypto_pwhash_MEMLIMIT_MIN || mem > MEMLIMIT_CAP)
        return err_set(err, errlen, ERR_FORMAT, "key file is damaged (KDF limits out of range)");
    return 0;
}

/* A new key in guarded memory named as the key file at buf (checked by check_header), or NULL
 * with a message (ERR_NOMEM or ERR_FORMAT in *rc). */
static caseworker_key *new_named_key(const unsigned char *buf, size_t name_len, int *rc, char *err, size_t errlen)
{
    caseworker_key *k = sodium_malloc(sizeof *k);

    if (k == NULL) {
        *rc = err_set(err, errlen, ERR_NOMEM, "out of memory reading a key file");
        return NULL;
    }
    memset(k, 0, sizeof *k);
    memcpy(k->pub.name, buf + KEYFILE_HEADERBYTES, name_len);
    k->pub.name[name_len] = '\0';
    if (!pubkey_name_valid(k->pub.name)) {
        *rc = err_set(err, errlen, ERR_FORMAT, "key file is damaged (bad name)");
        keyfile_free(k);
        return NULL;
    }
    return k;
}

/* Puts secret (X25519 || Ed25519, KEYFILE_SECRETBYTES) into k, recomputes the public keys and
 * checks them against the key id stored in the key file at buf, which also gives the role.
 * Returns 0 or ERR_AUTH. */
static int set_secret(caseworker_key *k, const unsigned char *buf, const unsigned char *secret, char *err, size_t errlen)
{
    memcpy(k->x25519_sk, secret, 32);
    memcpy(k->ed25519_sk, secret + 32, 64);
    /* The stored key id says the role: a caseworker's id, else an auditor's, else neither. */
    k->pub.role = PUBKEY_ROLE_CASEWORKER;
    derive_public(k);
    if (sodium_memcmp(k->pub.key_id, buf + OFF_KEYID, PUBKEY_IDBYTES) != 0) {
        k->pub.role = PUBKEY_ROLE_AUDITOR;
        derive_public(k);
    }
    if (sodium_memcmp(k->pub.key_id, buf + OFF_KEYID, PUBKEY_IDBYTES) != 0)
        return err_set(err, errlen, ERR_AUTH, "key file is damaged (keys do not match the key id)");
    return 0;
}

int keyfile_decode(const unsigned char *buf, size_t len, const char *passphrase, size_t pass_len,
                   caseworker_key **out, char *err, size_t errlen)
{
    unsigned char *key = NULL, *secret = NULL;
    size_t name_len;
    caseworker_key *k = NULL;
    int rc;

    *out = NULL;
    if ((rc = check_header(buf, len, &name_len, err, errlen)) != 0)
        return rc;
    if ((k = new_named_key(buf, name_len, &rc, err, errlen)) == NULL)
        return rc;
    secret = sodium_malloc(KEYFILE_SECRETBYTES);
    if (secret == NULL) {
        rc = err_set(err, errlen, ERR_NOMEM, "out of memory reading a key file");
        goto out;
    }
    key = wrapping_key(passphrase, pass_len, buf + OFF_SALT, bytes_load64_le(buf + OFF_OPS),
                       (size_t)bytes_load64_le(buf + OFF_MEM));
    if (key == NULL) {
        rc = err_set(err, errlen, ERR_NOMEM, "not enough memory to derive the key from the passphrase");
        goto out;
    }
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(secret, NULL, NULL,
                                                   buf + KEYFILE_HEADERBYTES + name_len,
                                                   KEYFILE_SECRETBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES,
                                                   buf, KEYFILE_HEADERBYTES + name_len,
                                                   buf + OFF_NONCE, key) != 0) {
        rc = err_set(err, errlen, ERR_AUTH, "wrong passphrase, or the key file was altered");
        goto out;
    }
    if ((rc = set_secret(k, buf, secret, err, errlen)) != 0)
        goto out;
    *out = k;
    k = NULL;
out:
    keyfile_free(k);
    sodium_free(secret);
    sodium_free(key);
    return rc;
}

int keyfile_key_id(const unsigned char *buf, size_t len, unsigned char id[PUBKEY_IDBYTES], char *err, size_t errlen)
{
    size_t name_len;
    int rc = check_header(buf, len, &name_len, err, errlen);

    if (rc == 0)
        memcpy(id, buf + OFF_KEYID, PUBKEY_IDBYTES);
    return rc;
}

int keyfile_decode_secret(const unsigned char *buf, size_t len, const unsigned char secret[KEYFILE_SECRETBYTES],
                          caseworker_key **out, char *err, size_t errlen)
{
    size_t name_len;
    caseworker_key *k;
    int rc;

    *out = NULL;
    if ((rc = check_header(buf, len, &name_len, err, errlen)) != 0)
        return rc;
    if ((k = new_named_key(buf, name_len, &rc, err, errlen)) == NULL)
        return rc;
    if ((rc = set_secret(k, buf, secret, err, errlen)) != 0) {
        keyfile_free(k);
        return rc;
    }
    *out = k;
    return 0;
}

/* Writes path + ".pub" into out; ERR_IO when it does not fit. */
static int pub_path_of(const char *path, char out[4096], char *err, size_t errlen)
{
    if ((size_t)snprintf(out, 4096, "%s.pub", path) >= 4096)
        return err_set(err, errlen, ERR_IO, "path too long: %s", path);
    return 0;
}

int keyfile_check_free(const char *path, char *err, size_t errlen)
{
    char pub_path[4096];
    int rc = pub_path_of(path, pub_path, err, errlen);

    if (rc != 0)
        return rc;
    if (fileio_exists(path) || fileio_exists(pub_path))
        return err_set(err, errlen, ERR_EXISTS, "%s already exists (a key is never overwritten; choose another --out)",
                       fileio_exists(path) ? path : pub_path);
    return 0;
}

int keyfile_write(const char *path, const caseworker_key *k, const char *passphrase,
                  size_t pass_len, keyfile_kdf_limits limits, char *err, size_t errlen)
{
    char pub_path[4096], line[PUBKEY_LINE_MAX];
    unsigned char *buf = NULL;
    size_t len;
    int rc;

    if ((rc = keyfile_check_free(path, err, errlen)) != 0 ||
        (rc = pub_path_of(path, pub_path, err, errlen)) != 0)
        return rc;
    rc = keyfile_encode(k, passphrase, pass_len, limits, &buf, &len, err, errlen);
    if (rc != 0)
        return rc;
    rc = fileio_create_exclusive(path, 0600, buf, len, err, errlen);
    free(buf);
    if (rc != 0)
        return rc;
    pubkey_format(&k->pub, line);
    rc = fileio_create_exclusive(pub_path, 0644, line, strlen(line), err, errlen);
    if (rc != 0)
        unlink(path);
    return rc;
}

int keyfile_read(const char *path, const char *passphrase, size_t pass_len,
                 caseworker_key **out, char *err, size_t errlen)
{
    unsigned char *buf;
    size_t len;
    char msg[200];
    int rc;

    *out = NULL;
    rc = fileio_read_all(path, KEYFILE_MAX_SIZE, FILEIO_PRIVATE, &buf, &len, msg, sizeof msg);
    if (rc == ERR_LIMIT)
        return err_set(err, errlen, ERR_FORMAT, "%s is not a caseworker key file (too large)", path);
    if (rc != 0)
        return err_set(err, errlen, rc, "%s", msg);
    rc = keyfile_decode(buf, len, passphrase, pass_len, out, msg, sizeof msg);
    free(buf);
    if (rc != 0)
        return err_set(err, errlen, rc, "%s: %s", path, msg);
    return 0;
}
