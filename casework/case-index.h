/*
 * case-index.h: a caseworker's case index. What `list` and `stats` need of each case (category,
 * severity, assignee, restricted, sex and age band as given, outcome, the days of the first reply
 * and of closing) is decrypted once per record and kept in the database as one blob sealed with
 * a key derived from the caseworker's X25519 secret key (XChaCha20-Poly1305, associated data
 * "sea-index-v1" || key id). Each use opens the blob, decrypts only the records (and the
 * figures of purged cases) added since, and saves the blob back: list and stats do not grow with
 * the number of cases by more than reading them. A missing or damaged blob is rebuilt.
 */
#ifndef SEA_CASEWORK_CASE_INDEX_H
#define SEA_CASEWORK_CASE_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "keyfile.h"
#include "store.h"

#define INDEX_TEXT_MAX 64

typedef struct index_entry {
    int64_t case_id;                     /* negative: -(id) of a purged case's figures */
    int readable;                        /* this key opens the case's report */
    int restricted;                      /* the reporter left someone out */
    char received[DAY_TEXT_SIZE];        /* kept for purged cases; live ones read cases.received */
    char acknowledged[DAY_TEXT_SIZE];    /* "" until the first reply */
    char closed[DAY_TEXT_SIZE];          /* "" unless closed (the last close) */
    char category[INDEX_TEXT_MAX + 1];
    char severity[INDEX_TEXT_MAX + 1];
    char assignee[INDEX_TEXT_MAX + 1];
    char sex[INDEX_TEXT_MAX + 1];        /* "" when not given */
    char age_band[INDEX_TEXT_MAX + 1];
    char outcome[INDEX_TEXT_MAX + 1];
} index_entry;

typedef struct case_index case_index;

/*
 * case_index_update: opens k's index (or starts an empty one), brings it up to date with every
 * record added since it was saved, and saves it. Returns 0 and *out (free with
 * case_index_free); ERR_IO or ERR_NOMEM. Records this key cannot open are skipped.
 */
int case_index_update(store *s, const caseworker_key *k, case_index **out, char *err, size_t errlen);

/* case_index_find: the entry of a case, or NULL when no record of it opens with this key. */
const index_entry *case_index_find(const case_index *ix, int64_t case_id);

/* case_index_purged: the entries of purged cases' figures (case_id < 0), *n of them. */
const index_entry *case_index_purged(const case_index *ix, size_t *n);

/*
 * case_index_forget: drops the saved index of the caseworker with key_id (NULL: of every
 * caseworker), so that the next update starts again from the first record. Returns 0 or ERR_IO.
 */
int case_index_forget(store *s, const unsigned char *key_id);

/* case_index_free: wipes and frees ix; accepts NULL. */
void case_index_free(case_index *ix);

#endif
