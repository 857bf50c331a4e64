/*
 * term.h: terminal niceties for casework's readable output: colour only when stdout is a
 * terminal and NO_COLOR is not set.
 */
#ifndef SEA_CASEWORK_TERM_H
#define SEA_CASEWORK_TERM_H

/* term_bold, term_warn, term_reset: escape sequences, or "" when colour is off. */
const char *term_bold(void);
const char *term_warn(void);
const char *term_reset(void);

#endif
