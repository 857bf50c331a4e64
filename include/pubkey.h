/*
 * pubkey.h: a caseworker's public identity, as written in the one-line `.pub` file and in the
 * intake's recipients file:
 *
 *     cwpub1 KEYID X25519 ED25519 NAME
 *
 * KEYID is 16 hex digits: the first 8 bytes of an unkeyed BLAKE2b with a 16-byte output over
 * "sea-keyid-v1" || x25519 || ed25519;
 * X25519 and ED25519 are the two 32-byte public keys in unpadded URL-safe base64; NAME is the rest
 * of the line (1 to 64 bytes of UTF-8, no control characters). Parsing checks the key id against
 * the keys, so a mistyped or mixed-up line is refused.
 */
#ifndef SEA_PUBKEY_H
#define SEA_PUBKEY_H

#include <stddef.h>

#define PUBKEY_TAG "cwpub1"
#define PUBKEY_IDBYTES 8
#define PUBKEY_NAME_MAX 64
#define PUBKEY_LINE_MAX 256
#define PUBKEY_MAX_RECIPIENTS 32

typedef struct pubkey {
    unsigned char x25519[32];      /* opens sealed boxes: report key slots */
    unsigned char ed25519[32];     /* verifies audit signatures */
    unsigned char key_id[PUBKEY_IDBYTES];
    char name[PUBKEY_NAME_MAX + 1];
} pubkey;

/* pubkey_compute_id: fills id from the two public keys (see the file comment). */
void pubkey_compute_id(const unsigned char x25519[32], const unsigned char ed25519[32],
                       unsigned char id[PUBKEY_IDBYTES]);

/*
 * pubkey_name_valid: 1 when name is 1..64 bytes of valid UTF-8 with no control characters and
 * neither starts nor ends with a space, else 0.
 */
int pubkey_name_valid(const char *name);

/* pubkey_format: writes the `.pub` line for pk, with a trailing newline, into out. */
void pubkey_format(const pubkey *pk, char out[PUBKEY_LINE_MAX]);

/* pubkey_id_hex: writes the 16 hex digits of pk's key id and a NUL into out. */
void pubkey_id_hex(const pubkey *pk, char out[2 * PUBKEY_IDBYTES + 1]);

/*
 * pubkey_parse: reads one line (with or without its newline) into pk. Returns 0, or ERR_FORMAT
 * with a message naming what is wrong.
 */
int pubkey_parse(const char *line, pubkey *pk, char *err, size_t errlen);

/*
 * pubkey_load_file: reads a file of `.pub` lines, skipping blank lines and lines starting with
 * '#'. Returns 0, the keys in a new array *out (free with free) and their count in *n; at least
 * one, at most PUBKEY_MAX_RECIPIENTS, no key id twice. Or ERR_NOTFOUND, ERR_IO, ERR_LIMIT (too
 * large, too many keys), ERR_FORMAT or ERR_NOMEM, with a message naming the file and the line;
 * then *out is NULL and *n 0, and there is nothing to free.
 */
int pubkey_load_file(const char *path, pubkey **out, size_t *n, char *err, size_t errlen);

#endif
