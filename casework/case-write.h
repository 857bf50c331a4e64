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
#include "command.h"

#define CASE_CHANGE_FIELDS 16

typedef struct case_change {
    const char *action;                 /* the audit action */
    char details[256];                  /* audit details: non-sensitive key=value pairs */
    enum envelope_kind kind;            /* the record written */
    int to_reporter;                    /* seal it to the reporter's receipt key too */
    field fields[CASE_CHANGE_FIELDS];   /* its content ("by" is added) */
    size_t nfields;
    const char *new_status;             /* NULL: unchanged */
    /* Checked inside the transaction against the current status; 0 to go on. */
    int (*check)(struct case_change *ch, const case_data *d, const char *status,
                 char *err, size_t errlen);
    const char *reason;                 /* for check: the text given with the change, may be "" */
    const unsigned char *also_to;       /* one more X25519 key to seal the record to, or NULL */
    /* Run inside the transaction after check, before the record is stored; 0 to go on. */
    int (*in_transaction)(struct case_change *ch, casework_ctx *ctx, const store_case *c);
    void *user;                         /* the command's own data for its hooks */
} case_change;

/*
 * case_apply: applies ch to the case typed as typed_ref. Returns EXIT_DONE, or EXIT_FAILED with
 * the message in ctx->err (nothing changed).
 */
int case_apply(casework_ctx *ctx, const char *typed_ref, case_change *ch);

/*
 * case_recipients: the X25519 keys a case's new records are sealed to: the report's recipients
 * and the caseworkers it was shared with, in a new malloc'd array of 32-byte keys.
 */
int case_recipients(const case_data *d, unsigned char **pks, size_t *n);

#endif
