/*
 * term.c: colour on a terminal only, and never with NO_COLOR (see term.h).
 */
#include "term.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "utf8.h"

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

/* Bidirectional overrides, isolates and marks (U+202A-202E, U+2066-2069, U+200E-200F) at p, a
 * well-formed n-byte character. */
static int bidi_control(const unsigned char *p, size_t n)
{
    return n == 3 && p[0] == 0xe2 &&
           ((p[1] == 0x80 && ((p[2] >= 0xaa && p[2] <= 0xae) || p[2] == 0x8e || p[2] == 0x8f)) ||
            (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9));
}

/* The one decision every filtered byte goes through. At p (len > 0 bytes left): sets *step to the
 * bytes consumed and returns 1 when they are shown as they are, 0 when they are replaced by one
 * '?'. A well-formed character other than a control or bidi character is shown; C0 but tab and
 * newline, DEL, C1 (U+0080-009F as UTF-8), a raw byte 0x80-0xff that does not begin a well-formed
 * character (0x9b, the one-byte CSI, among them), a cut or overlong sequence and a surrogate are
 * each replaced, one '?' per offending byte or character. */
static int shown_at(const unsigned char *p, size_t len, size_t *step)
{
    size_t n;

    if (p[0] == '\n' || p[0] == '\t') {
        *step = 1;
        return 1;
    }
    if (len >= 2 && p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
        *step = 2;                  /* C1 written as UTF-8: one character, one '?' */
        return 0;
    }
    n = utf8_char_len(p, len);     /* 0: malformed, or any control (CR too, here) */
    if (n == 0 || p[0] == '\r') {
        *step = 1;
        return 0;
    }
    *step = n;
    return !bidi_control(p, n);
}

void term_safe(FILE *f, const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text;

    for (size_t i = 0, step; i < len; i += step) {
        if (shown_at(p + i, len - i, &step))
            fwrite(p + i, 1, step, f);
        else
            fputc('?', f);
    }
}

void term_safe_line(FILE *f, const char *prefix, const char *text)
{
    fputs(prefix, f);
    term_safe(f, text, strlen(text));
    fputc('\n', f);
}

size_t term_safe_copy(char *out, size_t cap, const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t o = 0;

    if (cap == 0)
        return 0;
    for (size_t i = 0, step; i < len; i += step) {
        int shown = shown_at(p + i, len - i, &step);
        size_t need = shown ? step : 1;
        if (o + need + 1 > cap)
            break;                          /* never cut a character */
        if (shown)
            memcpy(out + o, p + i, step);
        else
            out[o] = '?';
        o += need;
    }
    out[o] = '\0';
    return o;
}
