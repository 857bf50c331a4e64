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

#define PURGE_DAMAGED_NAMED 16

typedef struct purge_result {
    size_t erased;             /* cases erased */
    size_t changed;            /* due, but changed while purging (reopened, added to): kept */
    size_t not_mine;           /* closed cases this key cannot read: left alone */
    size_t unsynced;           /* on a replica, due but with changes not pushed yet: kept (the
                                  server could not check an erasure of what it never saw) */
    size_t ndamaged;           /* closed cases that could not be read: kept */
    purge_damaged damaged[PURGE_DAMAGED_NAMED];   /* the first of them, with why */
} purge_result;

/*
 * case_purge: writes the "purge" audit entry, reads every closed case k can read, writes one
 * audit entry per case due (closed before `before`, YYYY-MM-DD), then erases them in one
 * transaction. Returns 0 and fills *res (damaged cases are counted and the first named there;
 * they are not an error). On failure returns an error with its message and nothing was erased.
 * *res holds nothing to free.
 */
int case_purge(store *s, const caseworker_key *k, const char *before, purge_result *res,
               char *err, size_t errlen);

#endif
