/*
 * audit-append.h: writing the audit log, which only casework can do, since every entry is signed
 * with the acting caseworker's Ed25519 key. Every command that decrypts or changes a case calls
 * audit_append first and goes on only when it returned 0 (fail closed).
 */
#ifndef SEA_CASEWORK_AUDIT_APPEND_H
#define SEA_CASEWORK_AUDIT_APPEND_H

#include <stddef.h>

#include "keyfile.h"
#include "store.h"

/*
 * audit_append: in one committed transaction of its own: introduces k's public keys with a
 * "key-added" entry the first time k acts on this database; records the arrival (day only) of
 * every case the log does not hold yet; then appends the entry for action on case_ref (may be
 * "" for actions on no case) with details (non-sensitive "key=value" pairs, may be ""), timed to
 * the second in UTC. Returns 0, or an error with a message, in which case nothing was written
 * and the caller must not act.
 */
int audit_append(store *s, const caseworker_key *k, const char *action, const char *case_ref,
                 const char *details, char *err, size_t errlen);

#endif
