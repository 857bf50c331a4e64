/*
 * term.h: terminal niceties for casework's readable output: colour only when stdout is a
 * terminal and NO_COLOR is not set.
 */
#ifndef SEA_CASEWORK_TERM_H
#define SEA_CASEWORK_TERM_H

#include <stddef.h>
#include <stdio.h>

/*
 * term_safe: writes len bytes of text that came from a reporter, a sealed record or any other
 * file, through casework's one terminal filter: well-formed UTF-8 is written as it is, except
 * that every control character (C0 but newline and tab, DEL, C1 whether written as UTF-8 or as a
 * raw byte such as 0x9b), every bidirectional override or mark, and every byte that is not part
 * of a well-formed character is shown as '?'. So no text can move the cursor, recolour the
 * terminal or disguise itself, and what is written is always valid UTF-8.
 */
void term_safe(FILE *f, const char *text, size_t len);

/*
 * term_safe_copy: the same filter into out (cap > 0 bytes, always NUL-terminated), stopping
 * before a character that would not fit whole, so the copy is valid UTF-8 and no character is
 * cut. Returns the bytes written before the NUL.
 */
size_t term_safe_copy(char *out, size_t cap, const char *text, size_t len);

/* term_safe_line: one line: prefix (casework's own words, written as they are), then the
 * NUL-terminated text through the filter above (a message that may quote what a database or a
 * file holds), then a newline. */
void term_safe_line(FILE *f, const char *prefix, const char *text);

/* term_bold, term_warn, term_reset: escape sequences, or "" when colour is off. */
const char *term_bold(void);
const char *term_warn(void);
const char *term_reset(void);

#endif
