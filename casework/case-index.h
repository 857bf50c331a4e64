/*
 * case-index.h: a caseworker's case index. What `list` and `stats` need of each case (its state
 * as the fold leaves it, case-state.h) is decrypted once per record and kept on the caseworker's
 * own machine, never in the shared database: one file per key and database in the caseworker's
 * state folder, sealed with a key derived from the caseworker's X25519 secret key
 * (XChaCha20-Poly1305; the format is in SECURITY.md). Each use opens the file, decrypts only the
 * records (and the figures of purged cases) added since, and saves it back: list and stats do
 * not grow with the number of cases by more than reading them. The index is a cache: a missing,
 * damaged or stale file (the store's index generation moved on after a share or a purge, or the
 * database is older than the file) is rebuilt, and without a state folder it is built in memory.
 */
#ifndef SEA_CASEWORK_CASE_INDEX_H
#define SEA_CASEWORK_CASE_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "case-state.h"
#include "keyfile.h"
#include "store.h"

/* What the index keeps of a case: its state as the fold leaves it (case-state.h). For live
 * cases st.received is "" (the store's column is read instead); purged cases keep theirs. */
typedef struct index_entry {
    int64_t case_id;                     /* negative: -(id) of a purged case's figures */
    int64_t last_seq;                    /* the case's records folded in, up to this seq */
    int64_t last_id;                     /* the id of that last record (0: none) */
    int64_t item_id;                     /* the id of the newest record from the reporter that
                                            this key opens and believes: the report, a follow-up
                                            or a file's metadata (0: none); what `list` compares
                                            with the caseworker's seen marks (case-seen.h) */
    case_state st;                       /* st.readable: this key opens the case's report */
} index_entry;

typedef struct case_index case_index;

/*
 * case_index_update: opens k's index of this database in state_dir (NULL: none kept; the
 * folder is created 0700 when missing), or starts an empty one, brings it up to date with every
 * record added since it was saved, and saves it (a save that fails is not an error). Returns 0 and *out (free with
 * case_index_free); or an error with a message, and then *out is NULL and there is nothing to
 * free. Records this key cannot open are skipped.
 */
int case_index_update(store *s, const caseworker_key *k, const char *state_dir, case_index **out,
                      char *err, size_t errlen);

/* case_index_find: the entry of a case (every case with a record has one; st.readable says
 * whether this key opens its report), or NULL. */
const index_entry *case_index_find(const case_index *ix, int64_t case_id);

/* case_index_purged: the entries of purged cases' figures (case_id < 0), *n of them. */
const index_entry *case_index_purged(const case_index *ix, size_t *n);

/*
 * case_index_state_path: the path of k's file of the database with id db_id (16 bytes) in
 * state_dir, "KEYID-DBID.suffix", into out (cap bytes; "" when state_dir is NULL or empty, or
 * the path is too long). Creates state_dir (0700) when missing. Returns 0, or -1 when the folder
 * cannot be made or is not a real folder of this user's that only they may write to (out is
 * then "": nothing is to be kept there).
 */
int case_index_state_path(const char *state_dir, const caseworker_key *k, const unsigned char db_id[16],
                          const char *suffix, char *out, size_t cap);

/* case_index_free: wipes and frees ix; accepts NULL. */
void case_index_free(case_index *ix);

#endif
