/*
 * case-actions.h: what a caseworker does to a case, one function per action: triage, assign,
 * move along (status), close, note and reply. Each writes its audit entry first (fail closed),
 * seals one record to the case's readers (replies to the reporter's receipt key too) and checks
 * the change against the case's status inside the transaction that stores it (case-write.h).
 *
 * Every function takes the store, the acting caseworker's key, the case reference as typed and
 * an error buffer, and returns 0, or an error code with its message in err and nothing changed.
 * Values from a vocabulary (category, severity, status, outcome) must be in it: the caller
 * checks them and says what is valid (vocab.h); one that is not is refused with ERR_FORMAT.
 * None of them prints.
 */
#ifndef SEA_CASEWORK_CASE_ACTIONS_H
#define SEA_CASEWORK_CASE_ACTIONS_H

#include <stddef.h>

#include "keyfile.h"
#include "store.h"

/* case_triage: sets category and severity; a new case becomes triaged. Refused when closed. */
int case_triage(store *s, const caseworker_key *k, const char *ref, const char *category,
                const char *severity, char *err, size_t errlen);

/*
 * case_assign: names who handles the case: one of the caseworkers who can read it, by the exact
 * name case-readers.h finds for them (known: nknown `.pub` lines that may name readers the log
 * does not, may be NULL). Refused, naming the readers, for any other name; refused when closed.
 */
int case_assign(store *s, const caseworker_key *k, const char *ref, const char *to, const pubkey *known,
                size_t nknown, char *err, size_t errlen);

/*
 * case_set_status: moves the case to status (workflow.h says which moves are allowed: reopening
 * a closed case needs a reason; reason may be "" otherwise).
 */
int case_set_status(store *s, const caseworker_key *k, const char *ref, const char *status,
                    const char *reason, char *err, size_t errlen);

/* case_close: closes the case with outcome and the reason for it. */
int case_close(store *s, const caseworker_key *k, const char *ref, const char *outcome,
               const char *reason, char *err, size_t errlen);

/* case_note: adds a note for caseworkers only. */
int case_note(store *s, const caseworker_key *k, const char *ref, const char *text,
              char *err, size_t errlen);

/* case_reply: sends the reporter a message, read with the receipt; the first one acknowledges. */
int case_reply(store *s, const caseworker_key *k, const char *ref, const char *text,
               char *err, size_t errlen);

#endif
