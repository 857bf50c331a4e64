/*
 * sync-serve.h: the server end of the exchange (`casework serve-sync`), which needs no secret
 * key: it answers a replica's pulls from the database as it is, and applies a push only when it
 * is signed by a caseworker key it was given, chains onto its audit log as it stands, and holds
 * an audit entry for every change; otherwise it refuses the push whole and applies nothing
 * (SECURITY.md, "Replicas").
 */
#ifndef SEA_CASEWORK_SYNC_SERVE_H
#define SEA_CASEWORK_SYNC_SERVE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pubkey.h"
#include "store.h"
#include "sync-wire.h"

/*
 * sync_serve: answers one client on w for the database s until it says goodbye or closes the
 * stream between messages (0). known (nknown keys, caseworkers') are the keys whose pushes it
 * applies; with none it refuses every push. Returns 0, or an error with a message (a broken
 * stream, a database error); a refused push is not an error (the client is told why).
 */
int sync_serve(store *s, sync_wire *w, const pubkey *known, size_t nknown, char *err, size_t errlen);

/*
 * sync_serve_apply_file: applies the push held in a file written by `casework sync --push-file`
 * (an air-gapped workstation's), under the same rules. Returns 0 with the new audit head in
 * *head_seq; ERR_EXISTS when the database moved on since the snapshot the push was made from;
 * another error when it is refused or damaged (err says why); nothing is applied then.
 */
int sync_serve_apply_file(store *s, FILE *in, const pubkey *known, size_t nknown, uint64_t *head_seq,
                          char *err, size_t errlen);

#endif
