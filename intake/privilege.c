/*
 * privilege.c: dropping root for good (see privilege.h).
 */
#define _GNU_SOURCE 1   /* setgroups */
#include "privilege.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "errors.h"

int privilege_prepare(const char *user, privilege *p, char *err, size_t errlen)
{
    struct passwd *pw;

    memset(p, 0, sizeof *p);
    p->as_root = geteuid() == 0;
    if (user == NULL) {
        if (p->as_root)
            return err_set(err, errlen, -1, "refusing to serve as root: give --user NAME (an unprivileged user that owns the database folder)");
        return 0;
    }
    pw = getpwnam(user);
    if (pw == NULL)
        return err_set(err, errlen, -1, "no user '%s' on this machine (create it, or name another with --user)", user);
    if (pw->pw_uid == 0)
        return err_set(err, errlen, -1, "--user must name an unprivileged user, not root");
    if (!p->as_root && pw->pw_uid != geteuid())
        return err_set(err, errlen, -1, "--user %s needs the intake to be started as root (or as %s)", user, user);
    p->uid = pw->pw_uid;
    p->gid = pw->pw_gid;
    snprintf(p->name, sizeof p->name, "%s", user);
    return 0;
}

int privilege_own(const privilege *p, const char *db, char *err, size_t errlen)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    char path[4096];

    if (!p->as_root)
        return 0;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(path, sizeof path, "%s%s", db, suffixes[i]);
        if (lchown(path, p->uid, p->gid) != 0 && errno != ENOENT)
            return err_set(err, errlen, -1, "cannot give %s to %s: %s", path, p->name, strerror(errno));
    }
    return 0;
}

int privilege_drop(const privilege *p, const char *spool_dir, char *err, size_t errlen)
{
    if (!p->as_root)
        return 0;
    if (setgroups(0, NULL) != 0 || setgid(p->gid) != 0 || setuid(p->uid) != 0)
        return err_set(err, errlen, -1, "cannot drop to user %s: %s", p->name, strerror(errno));
    if (setuid(0) == 0 || geteuid() == 0)
        return err_set(err, errlen, -1, "root could be regained after dropping to %s: stopping", p->name);
    if (access(spool_dir, W_OK | X_OK) != 0)
        return err_set(err, errlen, -1, "%s cannot write to %s (give the database folder to %s, or use --spool-dir)",
                       p->name, spool_dir, p->name);
    return 0;
}
