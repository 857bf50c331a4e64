/*
 * term-layout.h: laying text out for a terminal of a given width: the width to use, a table
 * cell cut with an ellipsis, and a paragraph wrapped at spaces. Widths are counted in terminal
 * columns (wcwidth under a UTF-8 locale; a byte that is not UTF-8 counts one), and text is only
 * ever cut between characters, never inside a UTF-8 sequence. Text that came from a reporter or
 * a record must have passed term_safe (term.h) first; term_wrap does that itself.
 */
#ifndef SEA_CASEWORK_TERM_LAYOUT_H
#define SEA_CASEWORK_TERM_LAYOUT_H

#include <stddef.h>
#include <stdio.h>

#define TERM_DEFAULT_WIDTH 80

/* term_width: stdout's width in columns (TIOCGWINSZ) on a terminal, else TERM_DEFAULT_WIDTH;
 * never less than 20. */
size_t term_width(void);

/* term_text_width: how many columns the len bytes of text take. */
size_t term_text_width(const char *text, size_t len);

/*
 * term_cell: writes the NUL-terminated text in exactly cols columns: padded with spaces, or
 * cut to cols - 1 columns and ended with "…" when it is wider. cols 0 writes nothing.
 */
void term_cell(FILE *f, const char *text, size_t cols);

/*
 * term_wrap: writes len bytes of text (filtered by term_safe_copy, term.h) as lines of at most
 * width columns, each but the first starting with indent spaces (the caller has written the
 * first line's start, which takes first_used columns). Lines break at spaces, or inside a word
 * longer than a line (between characters); the text's own newlines start new lines; tabs are
 * written as a space. Ends without a newline. Returns 0, or ERR_NOMEM (nothing written).
 */
int term_wrap(FILE *f, const char *text, size_t len, size_t first_used, size_t indent, size_t width);

#endif
