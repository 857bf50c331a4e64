/*
 * replica-set.h: one workstation, several intakes. A caseworker's replica (--db) copies one
 * server; it may also name the replicas of other servers (the files DB.origins/NAME.db beside
 * it, each a replica of its own, with its own audit chain and base). Each origin has a name,
 * which `list` shows. Commands see the set: `list`, `stats`, `purge`, `audit verify` and `audit
 * log` go through every origin; a command on one case works in the origin that holds it (a
 * reference that two origins hold must be written ORIGIN:REF); `--origin NAME` narrows the set
 * to one. A database that is not a replica is a set of one, without a name.
 */
#ifndef SEA_CASEWORK_REPLICA_SET_H
#define SEA_CASEWORK_REPLICA_SET_H

#include <limits.h>
#include <stddef.h>

#include "store-sync.h"

#define REPLICA_SET_MAX 16

typedef struct replica_origin {
    char name[STORE_ORIGIN_NAME_MAX + 1];   /* "" when none (not a replica, or not named yet) */
    store *db;
    int owned;                              /* opened by the set; closed by replica_set_close */
    char file[PATH_MAX];                    /* an origin made by replica_set_for_server, not yet
                                               recorded in the home: its file, relative to the
                                               home's folder; else "" */
    char missing[2 * PATH_MAX];             /* its file is missing (db NULL): the path it had */
} replica_origin;

typedef struct replica_set {
    char home_path[PATH_MAX];   /* the --db file */
    int readonly;
    replica_origin o[REPLICA_SET_MAX];
    size_t n;
    replica_origin dropped[REPLICA_SET_MAX];   /* set aside by replica_set_narrow, closed at the end */
    size_t ndropped;
} replica_set;

/*
 * replica_set_open: the set whose first origin is home (opened by the caller from home_path, and
 * still the caller's to close), with the other origins it names, each opened (read-only with
 * readonly). An origin whose file is missing is in the set with db NULL (see
 * replica_set_complete). Returns 0 or an error (a name or file the home holds that is not
 * well-formed, a file that cannot be opened).
 */
int replica_set_open(replica_set *set, store *home, const char *home_path, int readonly, char *err, size_t errlen);

/* replica_set_complete: 0 when every origin of the set has its file; else ERR_NOTFOUND naming
 * the first missing one and what to do (the set is never silently smaller than it was). */
int replica_set_complete(const replica_set *set, char *err, size_t errlen);

/* replica_set_close: closes what the set opened. */
void replica_set_close(replica_set *set);

/* replica_set_narrow: keeps only the origin named name (`--origin`). ERR_NOTFOUND naming the
 * origins there are. */
int replica_set_narrow(replica_set *set, const char *name, char *err, size_t errlen);

/*
 * replica_set_find_case: the origin (*which) holding the case typed (a reference, or
 * ORIGIN:REFERENCE) and its canonical reference. ERR_FORMAT when typed is no reference,
 * ERR_NOTFOUND when no origin holds it, ERR_EXISTS when two do (the message names the
 * ORIGIN:REF forms to use).
 */
int replica_set_find_case(const replica_set *set, const char *typed, size_t *which, char ref[CASEREF_TEXT_SIZE],
                          char *err, size_t errlen);

/*
 * replica_set_for_server: the origin that is the replica of the server whose database id is id,
 * for `sync`: the home when it is (or is not yet) one; another origin that is; else, only when
 * name is given and may_add (a new intake added on purpose, on the command line), a new origin
 * file made for it, or the missing file of the origin of that name made again (*created 1),
 * which
 * replica_set_register records once the exchange has made it a replica. A name the set uses
 * for another server is refused (ERR_EXISTS).
 */
int replica_set_for_server(replica_set *set, const unsigned char id[16], const char *name, int may_add,
                           const char *remote, size_t *which, int *created, char *err, size_t errlen);

/*
 * replica_set_register: after an exchange with origin which: gives it name (or one made from
 * remote) when it has none, and records a new origin's file in the home when it has become a
 * replica. Returns 0 or a store error.
 */
int replica_set_register(replica_set *set, size_t which, const char *name, const char *remote, char *err,
                         size_t errlen);

/* replica_set_names: the origins' names, ", " between them, into out (cap bytes), for messages. */
void replica_set_names(const replica_set *set, char *out, size_t cap);

/* replica_set_store_named: the database of the origin named name, or NULL. */
store *replica_set_store_named(const replica_set *set, const char *name);

/* replica_set_name_of: the name of the origin whose database is db, or NULL when it has none. */
const char *replica_set_name_of(const replica_set *set, const store *db);

/* origin_name_valid: 1 when name is 1 to STORE_ORIGIN_NAME_MAX of a-z, 0-9 and '-', not first. */
int origin_name_valid(const char *name);

/* origin_name_from_remote: a name made from a REMOTE (its host, or its file name without .db). */
void origin_name_from_remote(const char *remote, char name[STORE_ORIGIN_NAME_MAX + 1]);

#endif
