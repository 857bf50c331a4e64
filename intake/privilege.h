/*
 * privilege.h: the intake never serves as root. Started as root, it needs --user NAME: it binds
 * and opens the database as root, hands the database files to that user, then drops to it for
 * good (groups, gid, uid) before answering anyone. Started as anyone else, --user may only name
 * that same user.
 */
#ifndef SEA_INTAKE_PRIVILEGE_H
#define SEA_INTAKE_PRIVILEGE_H

#include <stddef.h>
#include <sys/types.h>

typedef struct privilege {
    int as_root;
    uid_t uid;
    gid_t gid;
    char name[64];
} privilege;

/*
 * privilege_prepare: checks the user (NULL when --user was not given) against who is running.
 * Returns 0, or -1 with a message: root without --user, an unknown user, --user root, or
 * another user than the one running.
 */
int privilege_prepare(const char *user, privilege *p, char *err, size_t errlen);

/* privilege_own: as root, gives db and its -wal and -shm to the user. Returns 0 or -1. */
int privilege_own(const privilege *p, const char *db, char *err, size_t errlen);

/*
 * privilege_drop: as root, drops to the user for good and checks that root cannot be regained
 * and that spool_dir is writable by the user. Returns 0 or -1 with a message.
 */
int privilege_drop(const privilege *p, const char *spool_dir, char *err, size_t errlen);

#endif
