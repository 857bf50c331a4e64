/*
 * html.h: a growing page buffer in guarded memory (pages may repeat what a reporter typed, so
 * they are wiped when freed), with HTML escaping. Appending never fails visibly: on out of memory
 * the buffer is marked failed and html_take returns NULL.
 */
#ifndef SEA_INTAKE_HTML_H
#define SEA_INTAKE_HTML_H

#include <stddef.h>

typedef struct html {
    char *buf;       /* sodium_malloc memory */
    size_t len;
    size_t cap;
    int failed;
} html;

/* html_init: an empty buffer. */
void html_init(html *h);

/* html_raw: appends s as markup (trusted text from the catalogue or the code). */
void html_raw(html *h, const char *s);

/* html_rawf: appends printf-formatted trusted markup. */
void html_rawf(html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* html_text: appends len bytes of untrusted text, escaping & < > " ' for element or attribute use. */
void html_text(html *h, const void *text, size_t len);

/* html_str: html_text for a NUL-terminated string (NULL appends nothing). */
void html_str(html *h, const char *s);

/* html_free: wipes and frees the buffer; safe to call twice. */
void html_free(html *h);

#endif
