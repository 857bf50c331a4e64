/*
 * caseref.h: case references, the random public names of cases ("K7QM3-XH9A2"). Ten Crockford
 * base32 symbols (50 random bits) in two groups of five; never sequential, so a reference says
 * nothing about when a case arrived or how many came before it. Not a secret: knowing a
 * reference gives no access to a case. Case-insensitive on input, like receipts.
 */
#ifndef SEA_CASEREF_H
#define SEA_CASEREF_H

#define CASEREF_SYMBOLS 10
#define CASEREF_TEXT_SIZE 12   /* 10 symbols, 1 dash, NUL */

/* caseref_generate: writes a fresh random case reference, in its canonical form, into out. */
void caseref_generate(char out[CASEREF_TEXT_SIZE]);

/*
 * caseref_normalize: reads a typed reference (any case, with or without the dash) and writes
 * its canonical form into out. Returns 0, or ERR_FORMAT when it is not a case reference.
 */
int caseref_normalize(const char *text, char out[CASEREF_TEXT_SIZE]);

/* The fewest symbols of a reference casework takes as a prefix of one. */
#define CASEREF_PREFIX_MIN 4

/*
 * caseref_prefix: reads the start of a typed reference (CASEREF_PREFIX_MIN to
 * CASEREF_SYMBOLS - 1 symbols, any case, dash optional) and writes the canonical form of that
 * start into out, with the dash where a full reference has it ("k7qm3x" gives "K7QM3-X"). Returns
 * 0, or ERR_FORMAT when it is no such start (too short, a full reference, or not base32).
 */
int caseref_prefix(const char *text, char out[CASEREF_TEXT_SIZE]);

#endif
