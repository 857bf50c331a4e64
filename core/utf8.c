/*
 * utf8.c: strict UTF-8 validation (see utf8.h).
 */
#include "utf8.h"

/* Length of the valid, non-control UTF-8 sequence at s (n bytes available), or 0. */
static size_t char_len(const unsigned char *s, size_t avail, int multiline)
{
    unsigned c = s[0], cp;
    size_t n;

    if (c < 0x20 || c == 0x7f)
        return multiline && (c == '\t' || c == '\n' || c == '\r') ? 1 : 0;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) { n = 2; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { n = 3; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 4; cp = c & 0x07; }
    else return 0;
    if (n > avail)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
        return 0;
    return n;
}

int utf8_valid(const void *s, size_t len, int multiline)
{
    const unsigned char *p = s;

    for (size_t i = 0; i < len;) {
        size_t n = char_len(p + i, len - i, multiline);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

size_t utf8_char_len(const void *s, size_t avail)
{
    return avail == 0 ? 0 : char_len(s, avail, 1);
}
