/*
 * term-layout.c: widths, cells and wrapping for casework's text output (see term-layout.h).
 */
#define _GNU_SOURCE
#include "term-layout.h"

#include <locale.h>
#include <sodium.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include "errors.h"
#include "term.h"

size_t term_width(void)
{
    struct winsize ws;

    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col < 20 ? 20 : ws.ws_col;
    return TERM_DEFAULT_WIDTH;
}

/* The length of the UTF-8 character at p (len bytes left) and its code point, or 0 when the
 * bytes are no well-formed character. */
static size_t utf8_char(const unsigned char *p, size_t len, uint32_t *cp)
{
    size_t n;
    uint32_t c, min;

    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if ((p[0] & 0xe0) == 0xc0) { n = 2; c = p[0] & 0x1fu; min = 0x80; }
    else if ((p[0] & 0xf0) == 0xe0) { n = 3; c = p[0] & 0x0fu; min = 0x800; }
    else if ((p[0] & 0xf8) == 0xf0) { n = 4; c = p[0] & 0x07u; min = 0x10000; }
    else
        return 0;
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3fu);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return n;
}

/* The columns code point cp takes: wcwidth under C.UTF-8 (0 for combining marks, 2 for wide
 * characters), one when that locale is missing or the character is not printable. */
static size_t cp_width(uint32_t cp)
{
    static locale_t utf8 = (locale_t)0;
    static int tried;
    locale_t old;
    int w;

    if (cp < 0x80)
        return 1;
    if (!tried) {
        tried = 1;
        utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    }
    if (utf8 == (locale_t)0)
        return 1;
    old = uselocale(utf8);
    w = wcwidth((wchar_t)cp);
    uselocale(old);
    return w < 0 ? 1 : (size_t)w;
}

/* The bytes and the columns of the character at p: a byte that is not UTF-8 is one of each. */
static size_t char_at(const char *p, size_t len, size_t *cols)
{
    uint32_t cp;
    size_t n = utf8_char((const unsigned char *)p, len, &cp);

    if (n == 0) {
        *cols = 1;
        return 1;
    }
    *cols = cp_width(cp);
    return n;
}

size_t term_text_width(const char *text, size_t len)
{
    size_t w = 0, cols;

    for (size_t i = 0; i < len; i += char_at(text + i, len - i, &cols), w += cols)
        ;
    return w;
}

void term_cell(FILE *f, const char *text, size_t cols)
{
    size_t len = strlen(text), used = 0, i = 0, c;

    if (cols == 0)
        return;
    if (term_text_width(text, len) <= cols) {
        fputs(text, f);
        used = term_text_width(text, len);
    } else {
        while (i < len) {
            size_t n = char_at(text + i, len - i, &c);
            if (used + c > cols - 1)
                break;
            fwrite(text + i, 1, n, f);
            used += c;
            i += n;
        }
        fputs("\xe2\x80\xa6", f);   /* … */
        used++;
    }
    for (; used < cols; used++)
        fputc(' ', f);
}

int term_wrap(FILE *f, const char *text, size_t len, size_t first_used, size_t indent, size_t width)
{
    size_t cap = 3 * len + 1, n, i = 0, col = first_used, c;
    char *safe;

    if (width <= indent + 1)
        width = indent + 2;
    if ((safe = sodium_malloc(cap)) == NULL)
        return ERR_NOMEM;
    term_safe_copy(safe, cap, text, len);
    n = strlen(safe);
    while (i < n) {
        size_t word_end = i, word_cols = 0;
        if (safe[i] == '\n') {
            fprintf(f, "\n%*s", (int)indent, "");
            col = indent;
            i++;
            continue;
        }
        if (safe[i] == ' ' || safe[i] == '\t') {
            /* a space at the end of a line becomes the line break */
            size_t next = i + 1, next_cols = 0;
            while (next < n && safe[next] != ' ' && safe[next] != '\t' && safe[next] != '\n')
                next += char_at(safe + next, n - next, &c), next_cols += c;
            if (col + 1 + next_cols > width && col > indent && next_cols <= width - indent) {
                fprintf(f, "\n%*s", (int)indent, "");
                col = indent;
            } else if (col + 1 > width) {
                fprintf(f, "\n%*s", (int)indent, "");
                col = indent;
            } else {
                fputc(' ', f);
                col++;
            }
            i++;
            continue;
        }
        /* a word: written whole when it fits, else character by character across lines */
        while (word_end < n && safe[word_end] != ' ' && safe[word_end] != '\t' && safe[word_end] != '\n')
            word_end += char_at(safe + word_end, n - word_end, &c), word_cols += c;
        if (col + word_cols > width && col > indent && word_cols <= width - indent) {
            fprintf(f, "\n%*s", (int)indent, "");
            col = indent;
        }
        while (i < word_end) {
            size_t k = char_at(safe + i, word_end - i, &c);
            if (col + c > width && col > indent) {
                fprintf(f, "\n%*s", (int)indent, "");
                col = indent;
            }
            fwrite(safe + i, 1, k, f);
            col += c;
            i += k;
        }
    }
    sodium_free(safe);   /* wipes */
    return 0;
}
