/*
 * html.c: page buffers in guarded memory with escaping (see html.h).
 */
#include "html.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "secmem.h"

void html_init(html *h)
{
    memset(h, 0, sizeof *h);
}

static int reserve(html *h, size_t more)
{
    char *bigger;
    size_t cap;

    if (h->failed)
        return -1;
    if (h->len + more + 1 <= h->cap)
        return 0;
    cap = h->cap ? h->cap : 8192;
    while (cap < h->len + more + 1)
        cap *= 2;
    bigger = secmem_alloc(cap);
    if (bigger == NULL) {
        h->failed = 1;
        return -1;
    }
    if (h->buf != NULL) {
        memcpy(bigger, h->buf, h->len + 1);
        secmem_free(h->buf, h->cap);
    }
    h->buf = bigger;
    h->cap = cap;
    return 0;
}

static void append(html *h, const char *s, size_t n)
{
    if (reserve(h, n) != 0)
        return;
    memcpy(h->buf + h->len, s, n);
    h->len += n;
    h->buf[h->len] = '\0';
}

void html_raw(html *h, const char *s)
{
    append(h, s, strlen(s));
}

void html_rawf(html *h, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        h->failed = 1;
        return;
    }
    if (reserve(h, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(h->buf + h->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    h->len += (size_t)n;
}

void html_text(html *h, const void *text, size_t len)
{
    const char *t = text;
    size_t start = 0;

    for (size_t i = 0; i < len; i++) {
        const char *rep = NULL;
        switch (t[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: break;
        }
        if (rep != NULL) {
            append(h, t + start, i - start);
            html_raw(h, rep);
            start = i + 1;
        }
    }
    append(h, t + start, len - start);
}

void html_str(html *h, const char *s)
{
    if (s != NULL)
        html_text(h, s, strlen(s));
}

void html_free(html *h)
{
    secmem_free(h->buf, h->cap);
    html_init(h);
}
