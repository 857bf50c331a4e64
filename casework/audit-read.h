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

/* audit_reader_free: frees r, wiping what it held; accepts NULL. */
void audit_reader_free(audit_reader *r);

#endif
