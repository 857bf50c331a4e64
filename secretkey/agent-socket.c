/*
 * agent-socket.c: where the key agent's socket lives, and connecting and listening there with
 * the checks agent.h describes (folder owner and mode, socket mode, the peer's uid).
 */
#define _GNU_SOURCE
#include "agent.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "errors.h"

int agent_socket_path(int create, char out[AGENT_PATH_MAX], char *err, size_t errlen)
{
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    char dir[AGENT_PATH_MAX];
    struct stat st;
    int n;

    if (xdg != NULL && xdg[0] == '/')
        n = snprintf(dir, sizeof dir, "%s/casework", xdg);
    else
        n = snprintf(dir, sizeof dir, "/tmp/casework-%lu", (unsigned long)geteuid());
    if (n < 0 || (size_t)n + sizeof "/" AGENT_SOCKET_NAME > sizeof dir)
        return err_set(err, errlen, ERR_LIMIT, "the agent's folder name is too long (shorten XDG_RUNTIME_DIR)");
    if (create && mkdir(dir, 0700) != 0 && errno != EEXIST)
        return err_set(err, errlen, ERR_IO, "cannot make the agent's folder %s: %s", dir, strerror(errno));
    if (lstat(dir, &st) != 0) {
        if (errno == ENOENT)
            return err_set(err, errlen, ERR_NOTFOUND, "no agent folder %s", dir);
        return err_set(err, errlen, ERR_IO, "cannot look at the agent's folder %s: %s", dir, strerror(errno));
    }
    if (!S_ISDIR(st.st_mode))
        return err_set(err, errlen, ERR_AUTH, "%s is not a folder (remove it; casework makes its agent's folder itself)", dir);
    if (st.st_uid != geteuid())
        return err_set(err, errlen, ERR_AUTH, "the agent's folder %s belongs to uid %lu, not to you: someone may be "
                       "waiting for your key there (remove it, or set XDG_RUNTIME_DIR to a folder of yours)",
                       dir, (unsigned long)st.st_uid);
    if ((st.st_mode & 077) != 0)
        return err_set(err, errlen, ERR_AUTH, "the agent's folder %s is open to others (mode %04o): run chmod 700 %s",
                       dir, (unsigned)(st.st_mode & 07777), dir);
    if ((size_t)snprintf(out, AGENT_PATH_MAX, "%.*s/" AGENT_SOCKET_NAME, (int)(AGENT_PATH_MAX - sizeof "/" AGENT_SOCKET_NAME), dir) >= AGENT_PATH_MAX)
        return err_set(err, errlen, ERR_LIMIT, "the agent's folder name is too long (shorten XDG_RUNTIME_DIR)");
    return 0;
}

/* Fills addr for path; -1 (ENAMETOOLONG) when it does not fit. */
static int address(struct sockaddr_un *addr, const char *path)
{
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof addr->sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(addr->sun_path, path, strlen(path) + 1);
    return 0;
}

int agent_connect(const char *path)
{
    struct sockaddr_un addr;
    struct ucred peer;
    socklen_t len = sizeof peer;
    int fd, saved;

    if (address(&addr, path) != 0)
        return -1;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (const struct sockaddr *)&addr, sizeof addr) != 0)
        goto fail;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) != 0)
        goto fail;
    if (peer.uid != geteuid()) {
        errno = EPERM;
        goto fail;
    }
    return fd;
fail:
    saved = errno;
    close(fd);
    errno = saved;
    return -1;
}

int agent_listen(const char *path, char *err, size_t errlen)
{
    struct sockaddr_un addr;
    mode_t old;
    int fd, rc;

    if (address(&addr, path) != 0)
        return err_set(err, errlen, ERR_LIMIT, "the agent's socket path is too long: %s", path), -1;
    fd = agent_connect(path);
    if (fd >= 0) {
        close(fd);
        return err_set(err, errlen, ERR_EXISTS, "an agent already answers at %s", path), -1;
    }
    if (errno == ECONNREFUSED || errno == EPERM)
        unlink(path);   /* a stale socket: its agent is gone (the folder is ours, checked) */
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return err_set(err, errlen, ERR_IO, "cannot make a socket: %s", strerror(errno)), -1;
    old = umask(0177);
    rc = bind(fd, (const struct sockaddr *)&addr, sizeof addr);
    umask(old);
    if (rc != 0 || chmod(path, 0600) != 0 || listen(fd, 8) != 0) {
        err_set(err, errlen, ERR_IO, "cannot listen at %s: %s", path, strerror(errno));
        if (rc == 0)
            unlink(path);
        close(fd);
        return -1;
    }
    return fd;
}
