/*
 * utf8.h: strict UTF-8 validation of text that people type (report fields, names).
 */
#ifndef SEA_UTF8_H
#define SEA_UTF8_H

#include <stddef.h>

/*
 * utf8_valid: 1 when the len bytes at s are well-formed UTF-8 (no overlong forms, surrogates or
 * code points above U+10FFFF) with no control characters (C0, DEL, C1). With multiline, tab,
 * line feed and carriage return are allowed. Else 0.
 */
int utf8_valid(const void *s, size_t len, int multiline);

#endif
