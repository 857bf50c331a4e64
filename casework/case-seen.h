/*
 * case-seen.h: what a caseworker has seen of each case ("what is new"). For each case it keeps
 * the id of the newest item from the reporter (the report, a follow-up, a file's metadata) that
 * `show` has shown this caseworker; `list` marks a case whose index entry names a newer item
 * (case-index.h, item_id), and `show` marks the items after it. Like the case index it lives on
 * the caseworker's own machine, never in the shared database: one file per key and database in
 * the state folder, sealed with a key derived from the caseworker's X25519 secret key
 * (XChaCha20-Poly1305; the bytes are in SECURITY.md). Unlike the index it is no cache: a
 * missing or damaged file means that everything counts as unseen, which errs on the safe side.
 * Items seen on another machine count as unseen here.
 */
#ifndef SEA_CASEWORK_CASE_SEEN_H
#define SEA_CASEWORK_CASE_SEEN_H

#include <stddef.h>
#include <stdint.h>

#include "case-read.h"
#include "keyfile.h"
#include "store.h"

typedef struct case_seen case_seen;

/*
 * case_seen_open: k's seen marks of this database, read from state_dir (NULL or unusable: none
 * are kept, and everything counts as unseen). A file that does not open (damaged, another key's
 * or database's, an unknown version) is taken as empty. Returns 0 and *out (free with
 * case_seen_free); or an error with a message (the database's id cannot be read, memory), and
 * then *out is NULL and there is nothing to free.
 */
int case_seen_open(store *s, const caseworker_key *k, const char *state_dir, case_seen **out,
                   char *err, size_t errlen);

/* case_seen_item: the id of the newest item of case_id this caseworker has seen, 0 for none. */
int64_t case_seen_item(const case_seen *m, int64_t case_id);

/* case_seen_is_new: 1 when a case whose newest item is item_id (0: none) holds anything unseen. */
int case_seen_is_new(const case_seen *m, int64_t case_id, int64_t item_id);

/*
 * case_seen_record: notes that the items of case_id up to item_id have been seen, and saves the
 * marks (a new private file beside the old one, renamed over it). Returns 0; ERR_IO when no
 * state folder can keep them or the file cannot be written; ERR_NOMEM. On failure the marks in
 * memory may hold the new one; the file is as it was.
 */
int case_seen_record(case_seen *m, const caseworker_key *k, int64_t case_id, int64_t item_id,
                     char *err, size_t errlen);

/* case_seen_free: frees m; accepts NULL. */
void case_seen_free(case_seen *m);

/* case_item: 1 when r is an item from the reporter (report, follow-up, file), believed. */
int case_item(const case_record *r);

/*
 * case_first_unseen: the index in d->records of the first item the caseworker has not seen,
 * given the id of the newest item seen (0: none): the first item after the record with that id,
 * or the first item of all when no record has it. d->nrecords when every item was seen.
 * *newest gets the id of the case's newest item (0: none), what to record once shown.
 */
size_t case_first_unseen(const case_data *d, int64_t seen_item, int64_t *newest);

#endif
