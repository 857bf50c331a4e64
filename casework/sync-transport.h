/*
 * sync-transport.h: how `casework sync REMOTE` reaches the server end: REMOTE
 * `ssh://[user@]host[:port]/path/to/reports.db` runs `casework --db PATH serve-sync` on host
 * through OpenSSH's ssh (the program in CASEWORK_SSH, run by /bin/sh, when set: for options
 * such as -F or -i); any other REMOTE is the path of a database on this machine, served by a
 * `serve-sync` child of this very program. Either way the exchange runs over the child's
 * standard input and output.
 */
#ifndef SEA_CASEWORK_SYNC_TRANSPORT_H
#define SEA_CASEWORK_SYNC_TRANSPORT_H

#include <stddef.h>
#include <sys/types.h>

#include "sync-wire.h"

typedef struct sync_peer {
    pid_t pid;
    sync_wire w;
} sync_peer;

/*
 * sync_connect: starts the server end for remote; a local one is program's serve-sync (NULL:
 * this very program), given recipients (may be NULL) as --recipients. Returns 0 with peer
 * ready, or an error (a malformed REMOTE: ERR_FORMAT).
 */
int sync_connect(const char *remote, const char *recipients, const char *program, sync_peer *peer, char *err,
                 size_t errlen);

/* sync_disconnect: closes the streams and waits for the child; 0 when it exited 0. */
int sync_disconnect(sync_peer *peer);

#endif
