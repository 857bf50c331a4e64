/*
 * fuzz_envelope.c: the record decoder: envelope_open (a report), envelope_open_any,
 * envelope_open_key and envelope_add_recipient, with the fixed caseworker 0 as the reader and
 * the fixed case reference. Records come from the database, which an attacker may have written
 * to. What opens must open the same way through every entry point, and a record re-sealed for
 * one more reader must open for that reader to the same plaintext.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "envelope.h"
#include "errors.h"
#include "fuzz.h"

static fuzz_identity reader, newcomer;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    fuzz_identity_make(0, "Reader", &reader);
    fuzz_identity_make(1, "Newcomer", &newcomer);
    return 0;
}

static int known_error(int rc)
{
    return rc == ERR_FORMAT || rc == ERR_NOT_RECIPIENT || rc == ERR_AUTH;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const unsigned char *pk = reader.pub.x25519, *sk = reader.x25519_sk;
    unsigned char *plain = NULL, *any = NULL, *again = NULL, *shared = NULL, key[ENVELOPE_KEYBYTES];
    size_t plain_len = 0, any_len = 0, again_len = 0, shared_len = 0;
    enum envelope_kind kind = 0, kind2 = 0;
    char err[256];
    int rc, rc_any, rc_key;

    rc = envelope_open(pk, sk, ENVELOPE_KIND_REPORT, FUZZ_CASE_REF, data, size, &plain, &plain_len, err, sizeof err);
    FUZZ_CHECK(rc == 0 || known_error(rc));
    rc_any = envelope_open_any(pk, sk, FUZZ_CASE_REF, data, size, &kind, &any, &any_len, err, sizeof err);
    FUZZ_CHECK(rc_any == 0 || known_error(rc_any));
    rc_key = envelope_open_key(pk, sk, data, size, key, err, sizeof err);
    FUZZ_CHECK(rc_key == 0 || known_error(rc_key));
    if (rc == 0) {
        FUZZ_CHECK(plain != NULL && plain_len < size && plain[plain_len] == '\0');
        FUZZ_CHECK(rc_any == 0 && kind == ENVELOPE_KIND_REPORT);
        FUZZ_CHECK(any_len == plain_len && memcmp(any, plain, plain_len) == 0);
    } else {
        FUZZ_CHECK(plain == NULL && plain_len == 0);
    }
    if (rc_any == 0) {
        FUZZ_CHECK(any != NULL && any[any_len] == '\0');
        FUZZ_CHECK(rc_key == 0);
        rc = envelope_add_recipient(pk, sk, FUZZ_CASE_REF, data, size, newcomer.pub.x25519,
                                    &shared, &shared_len, err, sizeof err);
        FUZZ_CHECK(rc == 0 || rc == ERR_LIMIT);
        if (rc == 0) {
            rc = envelope_open_any(newcomer.pub.x25519, newcomer.x25519_sk, FUZZ_CASE_REF, shared,
                                   shared_len, &kind2, &again, &again_len, err, sizeof err);
            FUZZ_CHECK(rc == 0 && kind2 == kind);
            FUZZ_CHECK(again_len == any_len && memcmp(again, any, any_len) == 0);
        }
    }
    sodium_free(plain);
    sodium_free(any);
    sodium_free(again);
    free(shared);
    sodium_memzero(key, sizeof key);
    return 0;
}
