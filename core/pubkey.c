/*
 * pubkey.c: formatting and strict parsing of caseworkers' and auditors' public key lines, and
 * reading a file of them (see pubkey.h).
 */
#include "pubkey.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "fileio.h"
#include "utf8.h"

#define KEYID_CONTEXT "sea-keyid-v1"
#define AUDITOR_KEYID_CONTEXT "sea-auditor-keyid-v1"
#define B64_VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define B64_KEY_LEN 43

void pubkey_compute_id(int role, const unsigned char x25519[32], const unsigned char ed25519[32],
                       unsigned char id[PUBKEY_IDBYTES])
{
    const char *context = role == PUBKEY_ROLE_AUDITOR ? AUDITOR_KEYID_CONTEXT : KEYID_CONTEXT;
    crypto_generichash_state st;
    unsigned char h[16];

    crypto_generichash_init(&st, NULL, 0, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)context, strlen(context));
    crypto_generichash_update(&st, x25519, 32);
    crypto_generichash_update(&st, ed25519, 32);
    crypto_generichash_final(&st, h, sizeof h);
    memcpy(id, h, PUBKEY_IDBYTES);
}

int pubkey_name_valid(const char *name)
{
    size_t len = strlen(name);

    if (len == 0 || len > PUBKEY_NAME_MAX || name[0] == ' ' || name[len - 1] == ' ')
        return 0;
    return utf8_valid(name, len, 0);
}

void pubkey_id_hex(const pubkey *pk, char out[2 * PUBKEY_IDBYTES + 1])
{
    sodium_bin2hex(out, 2 * PUBKEY_IDBYTES + 1, pk->key_id, PUBKEY_IDBYTES);
}

void pubkey_format(const pubkey *pk, char out[PUBKEY_LINE_MAX])
{
    char id[2 * PUBKEY_IDBYTES + 1];
    char x[B64_KEY_LEN + 1], ed[B64_KEY_LEN + 1];

    pubkey_id_hex(pk, id);
    sodium_bin2base64(x, sizeof x, pk->x25519, 32, B64_VARIANT);
    sodium_bin2base64(ed, sizeof ed, pk->ed25519, 32, B64_VARIANT);
    snprintf(out, PUBKEY_LINE_MAX, "%s %s %s %s %s\n",
             pk->role == PUBKEY_ROLE_AUDITOR ? PUBKEY_AUDITOR_TAG : PUBKEY_TAG, id, x, ed, pk->name);
}

/* Copies the next space-separated field of *p into out (of cap bytes) and advances *p. */
static int next_field(const char **p, char *out, size_t cap)
{
    const char *s = *p, *e = strchr(s, ' ');

    if (e == NULL || (size_t)(e - s) >= cap || e == s)
        return -1;
    memcpy(out, s, (size_t)(e - s));
    out[e - s] = '\0';
    *p = e + 1;
    return 0;
}

static int decode_key(const char *b64, unsigned char key[32])
{
    size_t len = 0;

    if (strlen(b64) != B64_KEY_LEN)
        return -1;
    if (sodium_base642bin(key, 32, b64, B64_KEY_LEN, NULL, &len, NULL, B64_VARIANT) != 0 || len != 32)
        return -1;
    return 0;
}

/* 1 when the X25519 key is not of small order (sealing to it would fail or leak) and the
 * Ed25519 key is a valid point of the main subgroup. */
static int keys_usable(const pubkey *pk)
{
    unsigned char scalar[crypto_scalarmult_SCALARBYTES], shared[crypto_scalarmult_BYTES];

    for (size_t i = 0; i < sizeof scalar; i++)
        scalar[i] = (unsigned char)(i + 1);
    if (crypto_scalarmult(shared, scalar, pk->x25519) != 0)
        return 0;
    return crypto_core_ed25519_is_valid_point(pk->ed25519);
}

int pubkey_parse(const char *line, pubkey *pk, char *err, size_t errlen)
{
    char tag[16], id_hex[2 * PUBKEY_IDBYTES + 1], x[B64_KEY_LEN + 1], ed[B64_KEY_LEN + 1];
    char name[PUBKEY_NAME_MAX + 2];
    unsigned char id[PUBKEY_IDBYTES];
    const char *p = line;
    size_t bin_len = 0, name_len;

    memset(pk, 0, sizeof *pk);
    if (next_field(&p, tag, sizeof tag) != 0 ||
        (strcmp(tag, PUBKEY_TAG) != 0 && strcmp(tag, PUBKEY_AUDITOR_TAG) != 0))
        return err_set(err, errlen, ERR_FORMAT,
                       "not a public key line (expected %s or %s at the start: a caseworker's or an auditor's .pub line)",
                       PUBKEY_TAG, PUBKEY_AUDITOR_TAG);
    pk->role = strcmp(tag, PUBKEY_AUDITOR_TAG) == 0 ? PUBKEY_ROLE_AUDITOR : PUBKEY_ROLE_CASEWORKER;
    if (next_field(&p, id_hex, sizeof id_hex) != 0 ||
        sodium_hex2bin(pk->key_id, PUBKEY_IDBYTES, id_hex, strlen(id_hex), NULL, &bin_len, NULL) != 0 ||
        bin_len != PUBKEY_IDBYTES)
        return err_set(err, errlen, ERR_FORMAT, "bad key id in public key line");
    if (next_field(&p, x, sizeof x) != 0 || decode_key(x, pk->x25519) != 0 ||
        next_field(&p, ed, sizeof ed) != 0 || decode_key(ed, pk->ed25519) != 0)
        return err_set(err, errlen, ERR_FORMAT, "bad public key in public key line");
    name_len = strcspn(p, "\r\n");
    if (name_len > PUBKEY_NAME_MAX || p[name_len + strspn(p + name_len, "\r\n")] != '\0')
        return err_set(err, errlen, ERR_FORMAT, "bad name in public key line (1 to %d bytes, one line)", PUBKEY_NAME_MAX);
    memcpy(name, p, name_len);
    name[name_len] = '\0';
    if (!pubkey_name_valid(name))
        return err_set(err, errlen, ERR_FORMAT, "bad name in public key line (1 to %d bytes of text, no control characters)", PUBKEY_NAME_MAX);
    if (!keys_usable(pk))
        return err_set(err, errlen, ERR_FORMAT, "the public keys are not usable (a weak or invalid point; create the key again with casework keygen)");
    pubkey_compute_id(pk->role, pk->x25519, pk->ed25519, id);
    if (sodium_memcmp(id, pk->key_id, PUBKEY_IDBYTES) != 0)
        return err_set(err, errlen, ERR_FORMAT,
                       "key id does not match the keys for a %s line (the line was altered, mistyped or retagged; copy the .pub file again)",
                       tag);
    memcpy(pk->name, name, name_len + 1);
    return 0;
}

/* 1 when a and b are the same key: the same key id, or the same two public keys (which a
 * caseworker's line and an auditor's line made from one key pair share under different ids). */
static int same_key(const pubkey *a, const pubkey *b)
{
    return memcmp(a->key_id, b->key_id, PUBKEY_IDBYTES) == 0 ||
           (memcmp(a->x25519, b->x25519, 32) == 0 && memcmp(a->ed25519, b->ed25519, 32) == 0);
}

/* pubkey_load_file without its "at least one key" check: *n may be 0 (with *out an array to
 * free all the same). Same failure contract. */
static int load_lines(const char *path, pubkey **out, size_t *n, char *err, size_t errlen)
{
    unsigned char *buf = NULL;
    size_t len, count = 0, lineno = 0;
    pubkey *keys = NULL;
    char msg[200];
    int rc;

    *out = NULL;
    *n = 0;
    rc = fileio_read_all(path, 64 * 1024, 0, &buf, &len, err, errlen);
    if (rc != 0)
        return rc;
    if (strlen((char *)buf) != len) {
        rc = err_set(err, errlen, ERR_FORMAT, "%s: holds a NUL byte; it must be text", path);
        goto out;
    }
    keys = calloc(PUBKEY_MAX_RECIPIENTS, sizeof *keys);
    if (keys == NULL) {
        rc = err_set(err, errlen, ERR_NOMEM, "out of memory");
        goto out;
    }
    for (char *line = (char *)buf, *next; line != NULL && *line != '\0'; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        lineno++;
        line[strcspn(line, "\r")] = '\0';
        if (line[strspn(line, " \t")] == '\0' || line[0] == '#')
            continue;
        if (count == PUBKEY_MAX_RECIPIENTS) {
            rc = err_set(err, errlen, ERR_LIMIT, "%s: more than %d keys (caseworkers and auditors together)", path, PUBKEY_MAX_RECIPIENTS);
            goto out;
        }
        rc = pubkey_parse(line, &keys[count], msg, sizeof msg);
        if (rc != 0) {
            err_set(err, errlen, rc, "%s line %zu: %s", path, lineno, msg);
            goto out;
        }
        for (size_t i = 0; i < count; i++) {
            if (same_key(&keys[i], &keys[count])) {
                rc = err_set(err, errlen, ERR_FORMAT, "%s line %zu: the same key is listed twice%s", path, lineno,
                             keys[i].role != keys[count].role ? " (once as a caseworker's, once as an auditor's)" : "");
                goto out;
            }
        }
        count++;
    }
    *out = keys;
    *n = count;
    keys = NULL;
out:
    free(keys);
    free(buf);
    return rc;
}

int pubkey_load_file(const char *path, pubkey **out, size_t *n, char *err, size_t errlen)
{
    int rc = load_lines(path, out, n, err, errlen);

    if (rc == 0 && *n == 0) {
        free(*out);
        *out = NULL;
        rc = err_set(err, errlen, ERR_FORMAT, "%s holds no recipient (add a caseworker's .pub line)", path);
    }
    return rc;
}

int pubkey_load_role(const char *path, int role, pubkey **out, size_t *n, char *err, size_t errlen)
{
    size_t kept = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (role != PUBKEY_ROLE_CASEWORKER && role != PUBKEY_ROLE_AUDITOR)
        return err_set(err, errlen, ERR_FORMAT, "unknown key role %d", role);
    rc = load_lines(path, out, n, err, errlen);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < *n; i++)
        if ((*out)[i].role == role)
            memmove(&(*out)[kept++], &(*out)[i], sizeof **out);
    if (kept == 0) {
        free(*out);
        *out = NULL;
        *n = 0;
        return role == PUBKEY_ROLE_AUDITOR
                   ? err_set(err, errlen, ERR_FORMAT, "%s lists no auditor key (make one with casework keygen --auditor and add its .pub line)", path)
                   : err_set(err, errlen, ERR_FORMAT, "%s lists no caseworker key (add a caseworker's .pub line)", path);
    }
    *n = kept;
    return 0;
}
