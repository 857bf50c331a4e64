/*
 * csrf.h: stateless anti-forgery tokens for the intake's forms. A token is the minute it was
 * issued and a MAC over it under a key shared through the database, in URL-safe base64:
 *
 *     token = base64url(minute (8 bytes LE) || HMAC-SHA-512-256(key, "sea-csrf-v1" || minute)[0..15])
 *
 * Valid for CSRF_VALID_MINUTES after issue (and up to 5 minutes "early", for clock skew), and
 * reusable, so a reporter can take hours to write and may send the form again after an error.
 * Nothing is stored per token.
 */
#ifndef SEA_INTAKE_CSRF_H
#define SEA_INTAKE_CSRF_H

#include <stddef.h>
#include <stdint.h>

#define CSRF_KEYBYTES 32
#define CSRF_TOKEN_SIZE 40       /* 24 bytes in base64url, 32 characters, and a NUL */
#define CSRF_VALID_MINUTES (12 * 60)

/* csrf_issue: writes a token for the minute now_minute (unix time / 60). */
void csrf_issue(const unsigned char key[CSRF_KEYBYTES], uint64_t now_minute, char out[CSRF_TOKEN_SIZE]);

/* csrf_check: 0 when token is a valid, unexpired token at now_minute, else -1. */
int csrf_check(const unsigned char key[CSRF_KEYBYTES], uint64_t now_minute, const char *token);

#endif
