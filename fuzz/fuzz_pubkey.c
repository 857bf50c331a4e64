/*
 * fuzz_pubkey.c: pubkey_parse, the reader of a caseworker's or an auditor's `.pub` line (copied
 * around by people, and inside audit "key-added" entries). The input is parsed as a
 * NUL-terminated line; a line it accepts must format back into a line that parses to the very
 * same key and role, and the same line under the other role's tag must be refused.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pubkey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = fuzz_cstring(data, size);
    char err[256], again[PUBKEY_LINE_MAX];
    pubkey pk, pk2;

    if (pubkey_parse(line, &pk, err, sizeof err) == 0) {
        FUZZ_CHECK(pubkey_name_valid(pk.name));
        pubkey_format(&pk, again);
        FUZZ_CHECK(strlen(again) < PUBKEY_LINE_MAX - 1);
        FUZZ_CHECK(pubkey_parse(again, &pk2, err, sizeof err) == 0);
        FUZZ_CHECK(memcmp(&pk, &pk2, sizeof pk) == 0);
        memcpy(again, pk.role == PUBKEY_ROLE_AUDITOR ? PUBKEY_TAG : PUBKEY_AUDITOR_TAG, 6);
        FUZZ_CHECK(pubkey_parse(again, &pk2, err, sizeof err) != 0);
    } else {
        FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL && err[0] != '\0');
    }
    free(line);
    return 0;
}
