/*
 * case-read.h: a case as a caseworker sees it: every record their key opens, decrypted into
 * guarded memory and decoded into named fields, in arrival order. Loading never writes; the
 * command that loads a case writes its audit entry first.
 */
#ifndef SEA_CASEWORK_CASE_READ_H
#define SEA_CASEWORK_CASE_READ_H

#include <stddef.h>
#include <stdint.h>

#include "case-state.h"
#include "envelope.h"
#include "fields.h"
#include "keyfile.h"
#include "store.h"

typedef struct case_record {
    int64_t id;
    enum envelope_kind kind;
    char day[DAY_TEXT_SIZE];
    unsigned char *plain;        /* sodium_malloc */
    size_t len;
    field fields[FIELDS_MAX];    /* point into plain */
    size_t nfields;
    int forged;                  /* not signed by any of the case's caseworkers (case-trust.h) */
} case_record;

typedef struct case_attachment {
    int64_t id;                  /* attachments.id */
    const case_record *meta;     /* its sealed metadata: name, type, size, key */
} case_attachment;

typedef struct case_data {
    store_case c;
    case_record *records;
    size_t nrecords;
    case_attachment *attachments;
    size_t nattachments;
    size_t not_for_me;           /* records sealed to others only (e.g. shared later) */
    size_t report_slots;         /* the report's slot count: what casework pads its records to */
    size_t forged;               /* records ignored as forged (case-trust.h) */
    size_t reports;              /* reports the case holds: more than one means a forged one */
    int tampered;                /* its report was added to or replaced (case-trust.h) */
} case_data;

/*
 * case_find: looks a case up by a reference typed in any case, with or without its dash. Fills
 * c. Returns 0, ERR_FORMAT (not a reference) or ERR_NOTFOUND, with a message saying what to do.
 */
int case_find(store *s, const char *typed_ref, store_case *c, char *err, size_t errlen);

/*
 * case_load: decrypts case c with k. Returns 0 and *out (free with case_free); ERR_NOT_RECIPIENT
 * when k opens not even the report; ERR_AUTH or ERR_FORMAT naming the record when one is
 * damaged or altered; ERR_IO; ERR_BUSY; ERR_NOMEM. On failure *out is NULL and there is nothing
 * to free (every record decrypted so far was wiped).
 */
int case_load(store *s, const caseworker_key *k, const store_case *c, case_data **out,
              char *err, size_t errlen);

/* case_free: wipes and frees everything case_load returned; accepts NULL. */
void case_free(case_data *d);

/* case_first: the first record of kind, or NULL. */
const case_record *case_first(const case_data *d, enum envelope_kind kind);

/*
 * case_value: the value of name in r (pointing into r's guarded buffer, not NUL-terminated) and
 * its length in *len; "" and 0 when r is NULL or has no such field.
 */
const char *case_value(const case_record *r, const char *name, size_t *len);


/* case_state_of: d's state: the one fold (case-state.h) over every record this key opens and
 * believes (forged ones are left out). */
void case_state_of(const case_data *d, case_state *st);

#endif
