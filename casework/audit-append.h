/*
 * audit-append.h: writing the audit log, which only casework can do, since every entry is signed
 * with the acting caseworker's Ed25519 key. Every command that decrypts or changes a case calls
 * audit_append first and goes on only when it returned 0 (fail closed). What each entry says is
 * sealed to the auditors set here and to the acting caseworker (audit.h).
 */
#ifndef SEA_CASEWORK_AUDIT_APPEND_H
#define SEA_CASEWORK_AUDIT_APPEND_H

#include <stddef.h>

#include "audit.h"
#include "caseref.h"
#include "keyfile.h"
#include "pubkey.h"
#include "store.h"

/*
 * audit_append_set_auditors: the auditors (keys of role PUBKEY_ROLE_AUDITOR, at most
 * PUBKEY_MAX_RECIPIENTS) every later entry of this process is sealed to, besides the acting
 * caseworker; NULL and 0 for none. The array must outlive the appends (it is not copied).
 */
void audit_append_set_auditors(const pubkey *auditors, size_t n);

/*
 * Whether an action took effect (audit.h, enum audit_outcome): a read appends one entry marked
 * done with audit_append (the access it records is its effect); an action refused by a check
 * made before acting appends one entry with audit_append_refused; an action that can fail
 * after its entry is written appends a begun entry with audit_begin, and then its outcome with
 * audit_end (in a transaction of its own) or audit_end_done_in (inside the transaction that
 * makes the change, so that "done" is written if and only if the change is).
 */
typedef struct audit_attempt {
    store *s;
    const caseworker_key *k;
    char action[AUDIT_ACTION_MAX + 1];
    char case_ref[CASEREF_TEXT_SIZE];
    unsigned char id[AUDIT_ATTEMPT_BYTES];   /* random: pairs the begun entry and its outcome */
    int open;                                /* 1 between audit_begin and audit_end */
} audit_attempt;

/*
 * audit_append: in one committed transaction of its own: seals a version-1 log into old-log
 * entries (refused with ERR_VERSION when no auditor is set: they would lose it); introduces k's
 * public keys the first time k acts on this database; records the arrival (day only) of every
 * case the log does not hold yet; then appends the entry for action on case_ref (may be "" for
 * actions on no case) with details (non-sensitive "key=value" pairs, may be ""), timed to the
 * second in UTC, marked done. Returns 0, or an error with a message, in which case nothing was
 * written and the caller must not act.
 */
int audit_append(store *s, const caseworker_key *k, const char *action, const char *case_ref,
                 const char *details, char *err, size_t errlen);

/* audit_append_refused: as audit_append, for an action refused before it did anything; reason
 * (at most AUDIT_REASON_MAX bytes, fixed text, never what a person wrote) says why. */
int audit_append_refused(store *s, const caseworker_key *k, const char *action, const char *case_ref,
                         const char *details, const char *reason, char *err, size_t errlen);

/* audit_begin: as audit_append, marked begun, and fills a for the outcome. Returns 0 (then the
 * caller acts and must record the outcome) or an error (nothing written: do not act). */
int audit_begin(store *s, const caseworker_key *k, const char *action, const char *case_ref,
                const char *details, audit_attempt *a, char *err, size_t errlen);

/* audit_end: appends a's outcome in a committed transaction of its own: done, or failed with
 * reason (fixed text: audit_reason_for); details (may be NULL) are as audit_append's. Once
 * only: a later call, or a call for an attempt that was not begun, does nothing and returns 0.
 * Returns 0 or an error with a message (the outcome is then not recorded). */
int audit_end(audit_attempt *a, int done, const char *reason, const char *details, char *err, size_t errlen);

/* audit_end_done_in: appends a's outcome "done" inside the caller's open transaction, with the
 * change it records; if that transaction rolls back, so does the entry (call audit_end then).
 * Returns 0 or an error with a message. */
int audit_end_done_in(audit_attempt *a, const char *details, char *err, size_t errlen);

/* audit_reason_for: a short fixed text for an error code (errors.h), for an outcome's reason. */
const char *audit_reason_for(int code);

#endif
