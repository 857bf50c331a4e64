/*
 * sync-client.h: one exchange of a caseworker's replica with its server (`casework sync`):
 * greets the server, makes the local database its replica on the first exchange (or refuses
 * a replica of another database), pulls, then pushes what the replica did; when another
 * caseworker pushed in between, pulls again (its own entries are renumbered after theirs) and
 * pushes again, a few times at most.
 */
#ifndef SEA_CASEWORK_SYNC_CLIENT_H
#define SEA_CASEWORK_SYNC_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "keyfile.h"
#include "store.h"
#include "sync-pull.h"
#include "sync-wire.h"

typedef struct sync_result {
    sync_counts pulled;
    unsigned pushed;        /* changes pushed (besides audit entries) */
    unsigned skipped;       /* of those, left out by the server: the case had changed meanwhile */
    int created;            /* the replica was made by this exchange */
    int push_written;       /* the push went to a file, to be applied on the server */
    uint64_t head_seq;      /* the server's audit head afterwards */
    unsigned char head_hash[32];
} sync_result;

/* What the server says when greeted. */
typedef struct sync_server_info {
    unsigned char id[16];              /* its database-id */
    uint64_t head_seq;                 /* its audit head */
    unsigned char head_hash[32];
    int takes_pushes;
} sync_server_info;

/* sync_greet: opens the exchange over w; in says which server answered (so that the caller
 * picks the replica of that server: replica-set.h). Returns 0 or an error. */
int sync_greet(sync_wire *w, sync_server_info *in, char *err, size_t errlen);

/*
 * sync_session: the rest of the exchange over w, after sync_greet, with the replica local. With push_file (not NULL), what the replica did is
 * written to that new file (mode 0600) instead of pushed: an air-gapped workstation's exchange,
 * where w serves a snapshot of the server's database. Returns 0, or an error with a one-line
 * message.
 */
int sync_session(store *local, const caseworker_key *k, sync_wire *w, const sync_server_info *in,
                 const char *push_file, sync_result *res, char *err, size_t errlen);

#endif
