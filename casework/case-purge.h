/*
 * case-purge.h: erasing closed cases for good. A case closed (by its last closing, see
 * case-state.h) before a given day loses its records, attachments and their chunks
 * (secure_delete zeroes the freed pages, which are then given back to the file system, and the
 * WAL is truncated) and leaves one sealed record of the figures the annual statistics need (day
 * of arrival, category, sex and age band as given, outcome, days of acknowledgement and
 * closing), sealed to the case's readers and the purging caseworker, and nothing else.
 */
#ifndef SEA_CASEWORK_CASE_PURGE_H
#define SEA_CASEWORK_CASE_PURGE_H

#include <stddef.h>

#include "caseref.h"
#include "keyfile.h"
#include "store.h"

/* A closed case that could not be read, and so was kept. */
typedef struct purge_damaged {
    char ref[CASEREF_TEXT_SIZE];
    char why[512];
} purge_damaged;

typedef struct purge_result {
    size_t erased;             /* cases erased */
    size_t changed;            /* due, but changed while purging (reopened, added to): kept */
    size_t not_mine;           /* closed cases this key cannot read: left alone */
    purge_damaged *damaged;    /* closed cases that could not be read: kept */
    size_t ndamaged;
} purge_result;

/*
 * case_purge: writes the "purge" audit entry, reads every closed case k can read, writes one
 * audit entry per case due (closed before `before`, YYYY-MM-DD), then erases them in one
 * transaction. Returns 0 and fills *res (release with case_purge_result_free; damaged cases are
 * listed there, not an error). On failure returns an error with its message, nothing was
 * erased, and *res is empty with nothing to free.
 */
int case_purge(store *s, const caseworker_key *k, const char *before, purge_result *res,
               char *err, size_t errlen);

/* case_purge_result_free: frees what res holds and empties it; accepts NULL. */
void case_purge_result_free(purge_result *res);

#endif
