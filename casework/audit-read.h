/*
 * audit-read.h: reading the audit log with a key (an auditor's, or a caseworker's for the
 * entries of their own actions). Entries are fed in order; each is verified (audit.h) before
 * it is opened, and handed on as an item: what it says, or only who signed it when it is sealed
 * to other readers. The old log sealed at an upgrade is opened, verified as a chain of its own
 * (under the same trusted keys) that must end where the sealed log begins, and handed on in
 * place, before the entry that sealed it. A recorded head is checked wherever it falls, in the
 * old log too, which audit verify cannot do without a key.
 */
#ifndef SEA_CASEWORK_AUDIT_READ_H
#define SEA_CASEWORK_AUDIT_READ_H

#include <stddef.h>

#include "audit.h"
#include "keyfile.h"

typedef struct audit_item {
    audit_entry e;   /* what it says; actor is the name on the signer's key */
    int sealed;      /* 1: sealed to other readers: only seq, actor and key_id are filled */
    int old;         /* 1: from the old log sealed at the upgrade */
    int readers;     /* how many readers it is sealed to (its slot count; 0 for old entries) */
    uint64_t outcome_of;   /* an outcome entry (done or failed after begun): the begun entry's
                              seq, when the reader saw it (0: not seen, or not an outcome) */
    int failed;      /* only with audit_reader_mark_failures: 1 when the entry fails
                        verification; why says how, and what e holds is not to be believed
                        (actor is then empty: the signer is unknown) */
    char why[200];
} audit_item;

typedef int (*audit_item_fn)(void *ctx, const audit_item *it);

typedef struct audit_reader audit_reader;

/*
 * audit_reader_new: a reader that opens entries with k and calls fn for each item (fn's
 * non-zero return stops the reading and is returned). trusted and ntrusted are as for
 * audit_verify_new (both logs); head_seq (0: none) and head_hash a head recorded earlier,
 * checked by audit_reader_finish. Returns NULL when memory is short.
 */
audit_reader *audit_reader_new(const caseworker_key *k, const pubkey *trusted, size_t ntrusted,
                               uint64_t head_seq, const unsigned char head_hash[AUDIT_HASHBYTES],
                               audit_item_fn fn, void *ctx);

/* audit_reader_next: verifies, opens and hands on the next stored entry. Returns 0, fn's
 * return, or ERR_AUTH (the entry fails verification, or its sealed part does not open) with a
 * message naming it. */
int audit_reader_next(audit_reader *r, const unsigned char *entry, size_t len, char *err, size_t errlen);

/* audit_reader_finish: hands on what is still held, then checks what only the end can tell
 * (audit_verify_finish) and the recorded head. Returns 0, fn's return, or ERR_AUTH. */
int audit_reader_finish(audit_reader *r, char *err, size_t errlen);

/*
 * audit_reader_mark_failures: from now on an entry that fails verification does not stop the
 * reading: it is handed on as an item with failed set (and what it says, when its sealed part
 * still opens with the key), and the reading goes on from it (audit_verify_resume).
 * audit_reader_failures counts such entries. A damaged old log, or a recorded head that does
 * not match, still stops the reading.
 */
void audit_reader_mark_failures(audit_reader *r);
unsigned long audit_reader_failures(const audit_reader *r);

/* audit_reader_keys: the caseworker keys the log introduced so far (*n of them); valid until
 * the next call on r. */
const pubkey *audit_reader_keys(const audit_reader *r, size_t *n);

/* audit_reader_free: frees r, wiping what it held; accepts NULL. */
void audit_reader_free(audit_reader *r);

#endif
