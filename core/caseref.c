/*
 * caseref.c: random case references (see caseref.h).
 */
#include "caseref.h"

#include <sodium.h>

#include "base32.h"
#include "errors.h"

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

int caseref_prefix(const char *text, char out[CASEREF_TEXT_SIZE])
{
    unsigned char raw[CASEREF_BYTES];
    size_t n = 0;

    for (const char *p = text; *p != '\0'; p++)
        if (*p != ' ' && *p != '-' && *p != '\t')
            n++;
    if (n < CASEREF_PREFIX_MIN || n >= CASEREF_SYMBOLS || base32_decode(text, n, raw) != 0)
        return ERR_FORMAT;
    base32_encode(raw, n, CASEREF_GROUP, out);
    return 0;
}
