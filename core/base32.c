/*
 * base32.c: Crockford base32 encoding and forgiving decoding for human-typed codes (see base32.h).
 */
#include "base32.h"

#include <string.h>

#include "errors.h"

static const char symbols[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static int symbol_value(char c)
{
    if (c >= 'a' && c <= 'z')
        c = (char)(c - 'a' + 'A');
    if (c == 'O')
        return 0;
    if (c == 'I' || c == 'L')
        return 1;
    const char *p = c != '\0' ? strchr(symbols, c) : NULL;
    return p != NULL ? (int)(p - symbols) : -1;
}

void base32_encode(const unsigned char *in, size_t nsym, size_t group, char *out)
{
    size_t o = 0;

    for (size_t s = 0; s < nsym; s++) {
        unsigned v = 0;
        for (size_t b = 0; b < 5; b++) {
            size_t bit = s * 5 + b;
            v = (v << 1) | ((in[bit / 8] >> (7 - bit % 8)) & 1u);
        }
        if (group > 0 && s > 0 && s % group == 0)
            out[o++] = '-';
        out[o++] = symbols[v];
    }
    out[o] = '\0';
}

int base32_decode(const char *text, size_t nsym, unsigned char *out)
{
    size_t nbytes = (nsym * 5 + 7) / 8;
    size_t s = 0;

    memset(out, 0, nbytes);
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == ' ' || *p == '-' || *p == '\t')
            continue;
        int v = symbol_value(*p);
        if (v < 0 || s >= nsym)
            return ERR_FORMAT;
        for (int b = 4; b >= 0; b--) {
            size_t bit = s * 5 + (size_t)(4 - b);
            if ((v >> b) & 1)
                out[bit / 8] |= (unsigned char)(1u << (7 - bit % 8));
        }
        s++;
    }
    return s == nsym ? 0 : ERR_FORMAT;
}
