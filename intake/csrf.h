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

/*
 * The receipt a report form shows first is posted back with a MAC of it, so that only a receipt
 * this intake drew can file a report (nobody can fix a receipt of their choosing for someone
 * else's report, nor file first under a receipt read off a screen: the MAC is never shown):
 *
 *     receipt_mac = hex(HMAC-SHA-512-256(key, "sea-receipt-form-v1" || receipt (15 bytes))[0..15])
 */
#define CSRF_RECEIPT_MAC_SIZE 33

/* csrf_receipt_mac: the MAC of raw (RECEIPT_BYTES) as hex text. */
void csrf_receipt_mac(const unsigned char key[CSRF_KEYBYTES], const unsigned char *raw, size_t raw_len,
                      char out[CSRF_RECEIPT_MAC_SIZE]);

/* csrf_receipt_check: 0 when text is raw's MAC, else -1. */
int csrf_receipt_check(const unsigned char key[CSRF_KEYBYTES], const unsigned char *raw, size_t raw_len,
                       const char *text);

#endif
