/*
 * case-share.h: a recipient hands a case over to another caseworker (absence, handover): every
 * record of the case that the sharer can open gets one more key slot, for the new caseworker,
 * and a share record names them, so later notes and replies reach them too. A caseworker the
 * reporter left out is refused, and so is one who can read the case already, and so is an
 * auditor's key (an auditor reads no case).
 */
#ifndef SEA_CASEWORK_CASE_SHARE_H
#define SEA_CASEWORK_CASE_SHARE_H

#include <stddef.h>

#include "keyfile.h"
#include "pubkey.h"
#include "store.h"

typedef struct share_result {
    const pubkey *to;                   /* who the case was shared with */
    char id[2 * PUBKEY_IDBYTES + 1];    /* their key id in hex */
    int restricted;                     /* the reporter restricted the case */
    size_t resealed;                    /* records given a slot for them */
} share_result;

/*
 * case_share: shares the case typed as typed_ref with the caseworker whose public key is to,
 * acting with k (the audit entry is written first). Returns 0 and fills *res; or an error code
 * with its message in err (ERR_FORMAT: to is an auditor's key, or the reporter left them out;
 * ERR_EXISTS: they can read it already; case_apply's errors), and nothing was changed (an
 * auditor's key is refused before anything is read or logged). *res holds nothing to free.
 */
int case_share(store *s, const caseworker_key *k, const char *typed_ref, const pubkey *to,
               share_result *res, char *err, size_t errlen);

#endif
