/*
 * csrf.c: issuing and checking stateless csrf tokens (see csrf.h).
 */
#include "csrf.h"

#include <sodium.h>
#include <string.h>

#include "bytes.h"

#define CONTEXT "sea-csrf-v1"
#define MACBYTES 16
#define SKEW_MINUTES 5

static void mac(const unsigned char key[CSRF_KEYBYTES], const unsigned char minute[8],
                unsigned char out[MACBYTES])
{
    crypto_auth_hmacsha512256_state st;
    unsigned char full[crypto_auth_hmacsha512256_BYTES];

    crypto_auth_hmacsha512256_init(&st, key, CSRF_KEYBYTES);
    crypto_auth_hmacsha512256_update(&st, (const unsigned char *)CONTEXT, sizeof CONTEXT - 1);
    crypto_auth_hmacsha512256_update(&st, minute, 8);
    crypto_auth_hmacsha512256_final(&st, full);
    memcpy(out, full, MACBYTES);
}

void csrf_issue(const unsigned char key[CSRF_KEYBYTES], uint64_t now_minute, char out[CSRF_TOKEN_SIZE])
{
    unsigned char raw[8 + MACBYTES];

    bytes_store64_le(raw, now_minute);
    mac(key, raw, raw + 8);
    sodium_bin2base64(out, CSRF_TOKEN_SIZE, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int csrf_check(const unsigned char key[CSRF_KEYBYTES], uint64_t now_minute, const char *token)
{
    unsigned char raw[8 + MACBYTES], expect[MACBYTES];
    size_t len = 0;
    uint64_t minute;

    if (token == NULL || strlen(token) != 32 ||
        sodium_base642bin(raw, sizeof raw, token, 32, NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || len != sizeof raw)
        return -1;
    mac(key, raw, expect);
    if (sodium_memcmp(expect, raw + 8, MACBYTES) != 0)
        return -1;
    minute = bytes_load64_le(raw);
    if (minute > now_minute)
        return minute - now_minute <= SKEW_MINUTES ? 0 : -1;
    return now_minute - minute <= CSRF_VALID_MINUTES ? 0 : -1;
}

#define RECEIPT_CONTEXT "sea-receipt-form-v1"

void csrf_receipt_mac(const unsigned char key[CSRF_KEYBYTES], const unsigned char *raw, size_t raw_len,
                      char out[CSRF_RECEIPT_MAC_SIZE])
{
    crypto_auth_hmacsha512256_state st;
    unsigned char full[crypto_auth_hmacsha512256_BYTES];

    crypto_auth_hmacsha512256_init(&st, key, CSRF_KEYBYTES);
    crypto_auth_hmacsha512256_update(&st, (const unsigned char *)RECEIPT_CONTEXT, sizeof RECEIPT_CONTEXT - 1);
    crypto_auth_hmacsha512256_update(&st, raw, raw_len);
    crypto_auth_hmacsha512256_final(&st, full);
    sodium_bin2hex(out, CSRF_RECEIPT_MAC_SIZE, full, 16);
    sodium_memzero(full, sizeof full);
}

int csrf_receipt_check(const unsigned char key[CSRF_KEYBYTES], const unsigned char *raw, size_t raw_len,
                       const char *text)
{
    char expect[CSRF_RECEIPT_MAC_SIZE];
    int rc;

    if (text == NULL || strlen(text) != CSRF_RECEIPT_MAC_SIZE - 1)
        return -1;
    csrf_receipt_mac(key, raw, raw_len, expect);
    rc = sodium_memcmp(expect, text, CSRF_RECEIPT_MAC_SIZE - 1) == 0 ? 0 : -1;
    sodium_memzero(expect, sizeof expect);
    return rc;
}
