/*
 * term.h: terminal niceties for casework's readable output: colour only when stdout is a
 * terminal and NO_COLOR is not set.
 */
#ifndef SEA_CASEWORK_TERM_H
#define SEA_CASEWORK_TERM_H

#include <stddef.h>
#include <stdio.h>

/*
 * term_safe: writes len bytes of text that came from a reporter or a sealed record, with every
 * control character (C0 but newline and tab, DEL, C1) and every bidirectional override shown as
 * '?', so that no text can move the cursor, recolour the terminal or disguise itself.
 */
void term_safe(FILE *f, const char *text, size_t len);

/* term_safe_copy: the same filtering into out (cap bytes, NUL-terminated), for file names. */
void term_safe_copy(char *out, size_t cap, const char *text, size_t len);

/* term_bold, term_warn, term_reset: escape sequences, or "" when colour is off. */
const char *term_bold(void);
const char *term_warn(void);
const char *term_reset(void);

#endif
