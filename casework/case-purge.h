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

/* The closed cases a purge would erase, read and sealed for their figures, not yet erased. */
typedef struct purge_plan purge_plan;

/*
 * case_purge_plan: refuses a `before` (YYYY-MM-DD) that is malformed or after today (ERR_FORMAT,
 * nothing written); writes the "purge" audit entry (its details say "dry-run" when dry_run:
 * reading the cases is an action of its own); reads every closed case k can read, and makes
 * *out the plan of those closed before `before`, each with its figures sealed. Fills the
 * not_mine, unsynced and damaged counts of *res (damaged cases are counted and the first named,
 * not an error). Returns 0, or an error with its message and *out NULL. Erases nothing.
 */
int case_purge_plan(store *s, const caseworker_key *k, const char *before, int dry_run, purge_plan **out,
                    purge_result *res, char *err, size_t errlen);

/* purge_plan_count: how many cases the plan erases (0 for NULL). */
size_t purge_plan_count(const purge_plan *plan);

/* purge_plan_case: the reference and closing day (YYYY-MM-DD) of the plan's case i. */
void purge_plan_case(const purge_plan *plan, size_t i, const char **ref, const char **closed);

/*
 * case_purge_apply: writes one audit entry per case of the plan (begun), then erases them in one
 * transaction with the outcome "done" of each erased case (a case changed since the plan was
 * made is kept: res->changed, its outcome "failed"; when the erasing fails, every case's outcome
 * is "failed"), and finally
 * empties the write-ahead log of what was erased, which it does even when the plan is empty (so
 * that running purge again finishes what a reader held up). Returns 0 with res->erased and
 * res->changed set; ERR_BUSY when the cases were erased but another program holding the
 * database open kept their pages in the write-ahead log (the message says what to do); or
 * another error with nothing erased.
 */
int case_purge_apply(store *s, const caseworker_key *k, const purge_plan *plan, purge_result *res,
                     char *err, size_t errlen);

/* purge_plan_free: frees the plan; accepts NULL. */
void purge_plan_free(purge_plan *plan);

#endif
