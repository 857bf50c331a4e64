/*
 * case-readers.h: the names of the caseworkers who can read a case, for checking an assignee.
 * A case names its readers' keys (the report's `recipient` and `signer_key` pairs, and each
 * share's key and name); a name comes from the share record, from the key's introduction in the
 * audit log (its `.pub` line, written the first time the key acted on this database), or from a
 * list of known `.pub` lines (the intake's recipients file).
 */
#ifndef SEA_CASEWORK_CASE_READERS_H
#define SEA_CASEWORK_CASE_READERS_H

#include <stddef.h>

#include "case-read.h"
#include "pubkey.h"
#include "store.h"

#define CASE_READERS_MAX 64

typedef struct case_readers {
    char names[CASE_READERS_MAX][PUBKEY_NAME_MAX + 1];
    size_t n;            /* readers whose name is known */
    size_t unnamed;      /* readers whose name nothing here tells */
} case_readers;

/*
 * case_readers_of: fills *out with the names of d's readers (forged records ignored), each once,
 * looking names up in the share records, in s's audit log introductions and in known (nknown
 * `.pub` lines, may be NULL). Returns 0, or an error of the store with its message.
 */
int case_readers_of(store *s, const case_data *d, const pubkey *known, size_t nknown, case_readers *out,
                    char *err, size_t errlen);

/*
 * case_readers_check: 0 when name is one of the readers' names; else ERR_NOTFOUND with a message
 * that lists the names there are (and says how many readers are unnamed) and what to do.
 */
int case_readers_check(const case_readers *r, const char *name, char *err, size_t errlen);

#endif
