/*
 * caseref.c: random case references (see caseref.h).
 */
#include "caseref.h"

#include <sodium.h>

#include "base32.h"

#define CASEREF_BYTES 7   /* 56 bits drawn; the low 6 bits are cleared, leaving 50 */
#define CASEREF_GROUP 5

void caseref_generate(char out[CASEREF_TEXT_SIZE])
{
    unsigned char raw[CASEREF_BYTES];

    randombytes_buf(raw, sizeof raw);
    raw[CASEREF_BYTES - 1] &= 0xc0;
    base32_encode(raw, CASEREF_SYMBOLS, CASEREF_GROUP, out);
}

int caseref_normalize(const char *text, char out[CASEREF_TEXT_SIZE])
{
    unsigned char raw[CASEREF_BYTES];
    int rc = base32_decode(text, CASEREF_SYMBOLS, raw);

    if (rc != 0)
        return rc;
    base32_encode(raw, CASEREF_SYMBOLS, CASEREF_GROUP, out);
    return 0;
}
