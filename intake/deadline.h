/*
 * deadline.h: deadlines for every connection, not averages. libmicrohttpd times a connection out
 * only when it is idle for a whole timeout, so a client sending one byte every few seconds holds
 * a connection (and its share of the spool) for ever. The keeper follows each connection through
 * its stages (waiting for a request's headers; receiving its body; answering) and cuts it (shuts
 * its socket down, so libmicrohttpd sees it close and cleans up as for any client that left) when:
 *
 * - its request's headers have not all arrived header_seconds after it started waiting for them
 *   (after it connected, or after its previous answer);
 * - its request's body has not all arrived request_seconds after its headers did;
 * - while a body arrives, fewer than min_rate bytes a second arrived over the last window_seconds.
 *
 * A request being answered (saved, then sent) is never cut by the keeper. One thread checks
 * every connection twice a second.
 */
#ifndef SEA_INTAKE_DEADLINE_H
#define SEA_INTAKE_DEADLINE_H

#include <stddef.h>
#include <stdint.h>

/* The limits; a time left 0 is its default; min_rate 0 is no minimum. */
typedef struct deadline_limits {
    unsigned header_seconds;    /* default 10 */
    unsigned request_seconds;   /* default 3600 */
    unsigned min_rate;          /* bytes a second; default 1024 */
    unsigned window_seconds;    /* default 20 */
} deadline_limits;

#define DEADLINE_DEFAULTS {10, 3600, 1024, 20}

typedef struct deadline_keeper deadline_keeper;
typedef struct deadline_conn deadline_conn;

/* deadline_start: starts the keeper's thread. Returns NULL (with err) when it cannot. */
deadline_keeper *deadline_start(const deadline_limits *lim, char *err, size_t errlen);

/* deadline_stop: stops the thread and frees the keeper (after every connection is untracked). */
void deadline_stop(deadline_keeper *k);

/*
 * deadline_track: follows the connection on socket fd, which starts waiting for headers. Keeps
 * a duplicate of fd, so that a cut never reaches a descriptor the number of which was reused.
 * Returns NULL when out of memory or descriptors (the connection is then simply not followed).
 */
deadline_conn *deadline_track(deadline_keeper *k, int fd);

/* deadline_untrack: the connection closed. Accepts NULL. */
void deadline_untrack(deadline_keeper *k, deadline_conn *c);

/* The connection's stages, from the server's callbacks (each accepts NULL). */
void deadline_body_started(deadline_conn *c);             /* headers in; a body follows */
void deadline_body_bytes(deadline_conn *c, size_t n);      /* n more bytes of the body */
/* The request is in and is answered now: never cut from here on. Returns 1 when the keeper cut
 * the connection already (the request must then be dropped, not saved: its answer could not be
 * sent), else 0. */
int deadline_answering(deadline_conn *c);
void deadline_waiting(deadline_conn *c);                   /* answered; waits for the next one */


#endif
