/*
 * audit-append.h: writing the audit log, which only casework can do, since every entry is signed
 * with the acting caseworker's Ed25519 key. Every command that decrypts or changes a case calls
 * audit_append first and goes on only when it returned 0 (fail closed). What each entry says is
 * sealed to the auditors set here and to the acting caseworker (audit.h).
 */
#ifndef SEA_CASEWORK_AUDIT_APPEND_H
#define SEA_CASEWORK_AUDIT_APPEND_H

#include <stddef.h>

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
 * audit_append: in one committed transaction of its own: seals a version-1 log into old-log
 * entries (refused with ERR_VERSION when no auditor is set: they would lose it); introduces k's
 * public keys the first time k acts on this database; records the arrival (day only) of every
 * case the log does not hold yet; then appends the entry for action on case_ref (may be "" for
 * actions on no case) with details (non-sensitive "key=value" pairs, may be ""), timed to the
 * second in UTC. Returns 0, or an error with a message, in which case nothing was written and
 * the caller must not act.
 */
int audit_append(store *s, const caseworker_key *k, const char *action, const char *case_ref,
                 const char *details, char *err, size_t errlen);

#endif
