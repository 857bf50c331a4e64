/*
 * case-write.h: the one path every command that changes a case takes: find the case, write the
 * audit entry (fail closed), decrypt the case, seal the new record to the case's recipients
 * (and, for replies, to the reporter's receipt key from inside the sealed report, never the
 * clear column), then, in one transaction, re-read the case, check the change against its
 * current state (so of two caseworkers acting at once, the later one sees the earlier), store
 * the record and the new status.
 */
#ifndef SEA_CASEWORK_CASE_WRITE_H
#define SEA_CASEWORK_CASE_WRITE_H

#include <stddef.h>

#include "case-read.h"
#include "keyfile.h"
#include "store.h"

#define CASE_CHANGE_FIELDS 16

typedef struct case_change {
    const char *action;                 /* the audit action */
    char details[256];                  /* audit details: non-sensitive key=value pairs */
    enum envelope_kind kind;            /* the record written */
    int to_reporter;                    /* seal it to the reporter's receipt key too */
    field fields[CASE_CHANGE_FIELDS];   /* its content ("by" is added) */
    size_t nfields;
    const char *new_status;             /* NULL: unchanged */
    /* Checked before the audit entry against the stored status (d NULL), and again inside the
     * transaction against the current status; 0 to go on. Decides by the status alone. */
    int (*check)(struct case_change *ch, const case_data *d, const char *status,
                 char *err, size_t errlen);
    const char *reason;                 /* for check: the text given with the change, may be "" */
    int check_needs_case;               /* 1: check reads d, so it runs only in the transaction */
    const char *refusal;                /* check may set it: the audit reason for refusing (fixed
                                           text); else the reason is the status it was in */
    const unsigned char *also_to;       /* one more X25519 key to seal the record to, or NULL */
    /* Run inside the transaction after check, before the record is stored; 0 to go on, else
     * an error code with its message in err. */
    int (*in_transaction)(struct case_change *ch, store *s, const caseworker_key *k,
                          const store_case *c, char *err, size_t errlen);
    void *user;                         /* the command's own data for its hooks */
} case_change;

/*
 * case_apply: applies ch to the case typed as typed_ref, acting with k. ch->check runs twice
 * (unless check_needs_case): first on the status stored now, before anything is written or
 * decrypted (with d NULL): a
 * refusal appends an entry marked refused, with the status as its reason; then inside the
 * transaction, against the status as it is by then. Between them, a begun entry is appended
 * before the case is decrypted, and its outcome "done" is appended in the transaction that
 * writes the change, or "failed" with a reason when the change is not written. Returns 0; or
 * an error code with its message in err, and then nothing was changed.
 */
int case_apply(store *s, const caseworker_key *k, const char *typed_ref, case_change *ch,
               char *err, size_t errlen);

/*
 * case_recipients: the X25519 keys a case's new records are sealed to: the report's recipients
 * and the caseworkers it was shared with. On success returns 0, *pks a new malloc'd array of
 * *n 32-byte keys with room for two more (free it), *n > 0. On failure returns ERR_NOMEM, or
 * ERR_FORMAT when the report names no recipient; then *pks is NULL, *n 0, nothing to free.
 */
int case_recipients(const case_data *d, unsigned char **pks, size_t *n);

/*
 * case_seal: seals the n fields as a record of kind bound to ref (the case's reference, or
 * "figures"), to the case's readers (case_recipients), also_to when not NULL, and, with
 * to_reporter, the reporter's receipt key from inside the sealed report; padded with dummy
 * slots to the report's slot count (plus one for also_to, one for the reporter), so that no
 * record tells how many caseworkers were left out. The record ends with k's "signer" and "sig"
 * entries (record-sig.h). Returns 0 and *env
 * (malloc'd, *env_len bytes; free it); on failure an error with its message, *env NULL and
 * *env_len 0, nothing to free.
 */
int case_seal(const caseworker_key *k, const case_data *d, enum envelope_kind kind, const char *ref,
              const field *f, size_t n, const unsigned char *also_to, int to_reporter,
              unsigned char **env, size_t *env_len, char *err, size_t errlen);

#endif
