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

/*
 * utf8_char_len: the length (1 to 4) of the well-formed UTF-8 character at s, of the avail bytes
 * there, or 0 when it is malformed, cut short, or a control character other than tab, LF, CR.
 */
size_t utf8_char_len(const void *s, size_t avail);

#endif
