/*
 * sync-pull.h: bringing a replica up to its server's state, over an exchange already greeted
 * (sync-wire.h): the server's new audit entries (checked to chain on from the newest one the
 * replica saw, which must still be there), every case's clear columns, the records that are
 * new or changed, purged cases' figures, in one transaction; then each attachment the replica
 * lacks, one transaction each, so that an interrupted pull goes on where it stopped. The
 * replica's own audit entries that the server has not taken yet are renumbered after the
 * server's new ones (their introductions and arrivals dropped when the server has them), and its
 * own records after the server's.
 */
#ifndef SEA_CASEWORK_SYNC_PULL_H
#define SEA_CASEWORK_SYNC_PULL_H

#include <stddef.h>
#include <stdint.h>

#include "keyfile.h"
#include "store.h"
#include "sync-wire.h"

/* What a pull brought. */
typedef struct sync_counts {
    unsigned entries, cases, records, files, erased, relinked;
    unsigned lost;   /* cases erased on the server that held work not pushed from here */
} sync_counts;

/*
 * sync_pull: pulls into the replica local (already a replica of this server), whose own
 * entries k can reopen. Returns 0; ERR_AUTH when the server's log no longer holds what the
 * replica saw, or fails its check (nothing applied); or another error with a message.
 */
int sync_pull(store *local, const caseworker_key *k, sync_wire *w, sync_counts *counts, char *err, size_t errlen);

#endif
