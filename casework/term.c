/*
 * term.c: colour on a terminal only, and never with NO_COLOR (see term.h).
 */
#include "term.h"

#include <stdlib.h>
#include <unistd.h>

static int colour(void)
{
    static int decided = -1;

    if (decided < 0) {
        const char *no = getenv("NO_COLOR");
        decided = isatty(STDOUT_FILENO) && (no == NULL || no[0] == '\0');
    }
    return decided;
}

const char *term_bold(void)
{
    return colour() ? "\033[1m" : "";
}

const char *term_warn(void)
{
    return colour() ? "\033[1;31m" : "";
}

const char *term_reset(void)
{
    return colour() ? "\033[0m" : "";
}

/* How many bytes at p (len left) form a sequence to hide, or 0 when the byte is fine. */
static size_t hidden_at(const unsigned char *p, size_t len)
{
    if ((p[0] < 0x20 && p[0] != '\n' && p[0] != '\t') || p[0] == 0x7f)
        return 1;
    if (len >= 2 && p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
        return 2;                                           /* C1 controls */
    if (len >= 3 && p[0] == 0xe2 && ((p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) ||
                                     (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9) ||
                                     (p[1] == 0x80 && (p[2] == 0x8e || p[2] == 0x8f))))
        return 3;                                           /* bidi overrides and marks */
    return 0;
}

void term_safe(FILE *f, const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text;

    for (size_t i = 0; i < len;) {
        size_t h = hidden_at(p + i, len - i);
        fputc(h ? '?' : p[i], f);
        i += h ? h : 1;
    }
}

void term_safe_copy(char *out, size_t cap, const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t o = 0;

    for (size_t i = 0; i < len && o + 1 < cap;) {
        size_t h = hidden_at(p + i, len - i);
        out[o++] = h ? '?' : (char)p[i];
        i += h ? h : 1;
    }
    out[o] = '\0';
}
