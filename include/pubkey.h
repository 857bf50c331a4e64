/*
 * pubkey.h: a caseworker's or an auditor's public identity, as written in the one-line `.pub`
 * file and in the intake's recipients file:
 *
 *     cwpub1 KEYID X25519 ED25519 NAME      a caseworker: reads and changes cases
 *     cwaud1 KEYID X25519 ED25519 NAME      an auditor: reads the audit log and no case
 *
 * KEYID is 16 hex digits: the first 8 bytes of an unkeyed BLAKE2b with a 16-byte output over
 * CONTEXT || x25519 || ed25519, where CONTEXT is the 12 bytes "sea-keyid-v1" for a caseworker
 * and the 20 bytes "sea-auditor-keyid-v1" for an auditor (no NUL in either);
 * X25519 and ED25519 are the two 32-byte public keys in unpadded URL-safe base64; NAME is the rest
 * of the line (1 to 64 bytes of UTF-8, no control characters). Parsing checks the key id against
 * the keys with the context of the line's tag, so a mistyped or mixed-up line is refused, and so
 * is a caseworker's line retagged as an auditor's (or the reverse): the role is bound to the id.
 */
#ifndef SEA_PUBKEY_H
#define SEA_PUBKEY_H

#include <stddef.h>

enum pubkey_role { PUBKEY_ROLE_CASEWORKER = 0, PUBKEY_ROLE_AUDITOR = 1 };

#define PUBKEY_TAG "cwpub1"          /* caseworker lines */
#define PUBKEY_AUDITOR_TAG "cwaud1"  /* auditor lines */
#define PUBKEY_IDBYTES 8
#define PUBKEY_NAME_MAX 64
#define PUBKEY_LINE_MAX 256
#define PUBKEY_MAX_RECIPIENTS 32

typedef struct pubkey {
    unsigned char x25519[32];      /* opens sealed boxes: report key slots */
    unsigned char ed25519[32];     /* verifies audit signatures */
    unsigned char key_id[PUBKEY_IDBYTES];
    char name[PUBKEY_NAME_MAX + 1];
    int role;                      /* enum pubkey_role */
} pubkey;

/*
 * pubkey_compute_id: fills id from the two public keys with the context of role (see the file
 * comment): PUBKEY_ROLE_AUDITOR uses the auditor's context, any other value the caseworker's.
 */
void pubkey_compute_id(int role, const unsigned char x25519[32], const unsigned char ed25519[32],
                       unsigned char id[PUBKEY_IDBYTES]);

/*
 * pubkey_name_valid: 1 when name is 1..64 bytes of valid UTF-8 with no control characters and
 * neither starts nor ends with a space, else 0.
 */
int pubkey_name_valid(const char *name);

/*
 * pubkey_format: writes the `.pub` line for pk, with a trailing newline, into out: tagged
 * cwaud1 when pk->role is PUBKEY_ROLE_AUDITOR, else cwpub1. It writes pk->key_id as it is; the
 * caller computed it with pubkey_compute_id for the same role.
 */
void pubkey_format(const pubkey *pk, char out[PUBKEY_LINE_MAX]);

/* pubkey_id_hex: writes the 16 hex digits of pk's key id and a NUL into out. */
void pubkey_id_hex(const pubkey *pk, char out[2 * PUBKEY_IDBYTES + 1]);

/*
 * pubkey_parse: reads one line (with or without its newline), of either tag, into pk and sets
 * pk->role from the tag. Returns 0, or ERR_FORMAT with a message naming what is wrong (then pk
 * holds nothing to rely on).
 */
int pubkey_parse(const char *line, pubkey *pk, char *err, size_t errlen);

/*
 * pubkey_load_file: reads a file of `.pub` lines of both roles (each key's role set), skipping
 * blank lines and lines starting with '#'. Returns 0, the keys in file order in a new array *out
 * (free with free) and their count in *n; at least one, at most PUBKEY_MAX_RECIPIENTS, no key
 * twice (the same key id, or the same pair of public keys under both tags). Or ERR_NOTFOUND,
 * ERR_IO, ERR_LIMIT (too large, too many keys), ERR_FORMAT or ERR_NOMEM, with a message naming
 * the file and the line; then *out is NULL and *n 0, and there is nothing to free.
 */
int pubkey_load_file(const char *path, pubkey **out, size_t *n, char *err, size_t errlen);

/*
 * pubkey_load_role: reads the file as pubkey_load_file does, with the same checks over all its
 * lines (at most PUBKEY_MAX_RECIPIENTS in all, no key twice, every line well formed), and keeps
 * only the keys of role (an enum pubkey_role), in file order. Returns 0, *out and *n as
 * pubkey_load_file (free *out with free); ERR_FORMAT naming the file and what to add when no key
 * of role is left, or when role is neither PUBKEY_ROLE_CASEWORKER nor PUBKEY_ROLE_AUDITOR; or
 * any error of pubkey_load_file. On failure *out is NULL and *n 0, and there is nothing to free.
 */
int pubkey_load_role(const char *path, int role, pubkey **out, size_t *n, char *err, size_t errlen);

#endif
