/*
 * agent-serve.c: the key agent itself (agent.h): started by `casework unlock`, it holds one key
 * in locked memory and answers its own user over its socket until it forgets the key.
 *
 * What ends it, all watched by one poll(): the idle timer (a CLOCK_BOOTTIME timerfd, so that
 * time asleep counts as idle), re-armed each time a key is handed over; a LOCK request;
 * SIGTERM, SIGHUP, SIGINT, SIGQUIT (a signalfd); its socket or folder deleted, moved or
 * unmounted (inotify: logout removes $XDG_RUNTIME_DIR); and the end of the session leader of
 * the session unlock ran in (a pidfd), when that leader was not unlock itself.
 */
#define _GNU_SOURCE
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <unistd.h>

#include "errors.h"

typedef struct agent {
    caseworker_key *key;    /* sodium_malloc'd, mlocked in this process */
    int listen_fd, signal_fd, watch_fd, timer_fd, session_fd;
    const char *path;
    struct stat sock;       /* the socket we made, to remove it only if it is still ours */
    long idle;
} agent;

/* Forgets the key, removes the socket when it is still ours, and exits. */
static void __attribute__((noreturn)) forget(agent *a)
{
    struct stat st;

    keyfile_free(a->key);   /* sodium_memzero, then sodium_free */
    a->key = NULL;
    if (stat(a->path, &st) == 0 && st.st_ino == a->sock.st_ino && st.st_dev == a->sock.st_dev)
        unlink(a->path);
    _exit(0);
}

static void arm_timer(const agent *a)
{
    struct itimerspec t = {.it_value = {.tv_sec = a->idle}};

    timerfd_settime(a->timer_fd, 0, &t, NULL);
}

/* 1 when the inotify events waiting on watch_fd concern the socket or its folder. */
static int socket_gone(int watch_fd)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t n = read(watch_fd, buf, sizeof buf);

    if (n <= 0)
        return n == 0;
    for (char *p = buf; p < buf + n;) {
        const struct inotify_event *e = (const struct inotify_event *)(void *)p;
        if (e->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT | IN_IGNORED))
            return 1;
        if (e->len > 0 && strcmp(e->name, AGENT_SOCKET_NAME) == 0)
            return 1;
        p += sizeof *e + e->len;
    }
    return 0;
}

/* Sends the answer header, and with secret the key's secret keys after it. */
static void answer(int fd, int status, const unsigned char *id, const caseworker_key *secret)
{
    unsigned char frame[AGENT_HEADERBYTES];
    struct iovec iov[3] = {{frame, sizeof frame}, {NULL, 0}, {NULL, 0}};
    struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 1};

    agent_encode(frame, status, id);
    if (secret != NULL) {
        iov[1].iov_base = (void *)(uintptr_t)secret->x25519_sk;
        iov[1].iov_len = sizeof secret->x25519_sk;
        iov[2].iov_base = (void *)(uintptr_t)secret->ed25519_sk;
        iov[2].iov_len = sizeof secret->ed25519_sk;
        msg.msg_iovlen = 3;
    }
    (void)sendmsg(fd, &msg, MSG_NOSIGNAL);
}

/* Serves one connection. */
static void serve_one(agent *a, int fd)
{
    const struct timeval limit = {.tv_sec = 5};
    unsigned char req[AGENT_HEADERBYTES], id[PUBKEY_IDBYTES];
    struct ucred peer;
    socklen_t len = sizeof peer;
    size_t got = 0;
    int op;

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);   /* a stalled client cannot hold the agent */
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    /* The request is read first, whoever sends it (16 bytes at most), so that the answer never
     * meets a request still being sent. */
    while (got < sizeof req) {
        ssize_t r = recv(fd, req + got, sizeof req - got, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) != 0 || peer.uid != geteuid()) {
        answer(fd, AGENT_ST_REFUSED, NULL, NULL);
        return;
    }
    op = got == sizeof req ? agent_decode(req, id) : -1;
    if (op == AGENT_OP_GET_KEY) {
        int same = sodium_memcmp(id, a->key->pub.key_id, PUBKEY_IDBYTES) == 0;
        answer(fd, same ? AGENT_ST_OK : AGENT_ST_OTHER_KEY, a->key->pub.key_id, same ? a->key : NULL);
        if (same)
            arm_timer(a);
    } else if (op == AGENT_OP_STATUS && sodium_is_zero(id, sizeof id)) {
        answer(fd, AGENT_ST_OK, a->key->pub.key_id, NULL);
    } else if (op == AGENT_OP_LOCK && sodium_is_zero(id, sizeof id)) {
        memcpy(id, a->key->pub.key_id, sizeof id);
        keyfile_free(a->key);
        a->key = NULL;
        unlink(a->path);
        answer(fd, AGENT_ST_OK, id, NULL);   /* after the wipe: lock returns when the key is gone */
        close(fd);
        forget(a);
    } else {
        answer(fd, AGENT_ST_BAD_REQUEST, NULL, NULL);
    }
}

/* Closes every descriptor but 0, 1, 2 and the n in keep. */
static void close_others(const int *keep, size_t n)
{
    unsigned lo = 3;

    for (;;) {
        unsigned next = UINT_MAX;
        for (size_t i = 0; i < n; i++)
            if (keep[i] >= (int)lo && (unsigned)keep[i] < next)
                next = (unsigned)keep[i];
        if (next > lo)
            close_range(lo, next - 1, 0);
        if (next == UINT_MAX)
            return;
        lo = next + 1;
    }
}

/* The signals that make the agent forget. */
static void ending_signals(sigset_t *sigs)
{
    sigemptyset(sigs);
    sigaddset(sigs, SIGTERM);
    sigaddset(sigs, SIGHUP);
    sigaddset(sigs, SIGINT);
    sigaddset(sigs, SIGQUIT);
}

static void __attribute__((noreturn)) run(agent *a, caseworker_key *inherited)
{
    const struct rlimit none = {0, 0};
    char dir[AGENT_PATH_MAX];
    sigset_t sigs;
    int null, keep[2];

    prctl(PR_SET_DUMPABLE, 0);   /* no ptrace or /proc/PID/mem by other processes of this user */
    setrlimit(RLIMIT_CORE, &none);
    a->key = sodium_malloc(sizeof *a->key);   /* mlock is not inherited across fork */
    if (a->key != NULL)
        memcpy(a->key, inherited, sizeof *a->key);
    keyfile_free(inherited);   /* this process's copy of unlock's memory */
    if (a->key == NULL)
        forget(a);
    setsid();
    if (chdir("/") != 0)
        forget(a);
    null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
        forget(a);   /* never keep the caller's pipes open */
    keep[0] = a->listen_fd;
    keep[1] = a->session_fd;   /* -1 when none: nothing kept */
    close_others(keep, 2);
    signal(SIGPIPE, SIG_IGN);
    ending_signals(&sigs);   /* blocked since before the fork (agent_start): none is lost */
    snprintf(dir, sizeof dir, "%s", a->path);
    *strrchr(dir, '/') = '\0';
    a->signal_fd = signalfd(-1, &sigs, SFD_CLOEXEC);
    a->watch_fd = inotify_init1(IN_CLOEXEC);
    a->timer_fd = timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC);
    if (a->signal_fd < 0 || a->watch_fd < 0 || a->timer_fd < 0 ||
        inotify_add_watch(a->watch_fd, dir, IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF | IN_MOVE_SELF) < 0 ||
        stat(a->path, &a->sock) != 0)
        forget(a);
    arm_timer(a);
    for (;;) {
        struct pollfd p[5] = {
            {a->listen_fd, POLLIN, 0}, {a->signal_fd, POLLIN, 0}, {a->watch_fd, POLLIN, 0},
            {a->timer_fd, POLLIN, 0}, {a->session_fd, POLLIN, 0}
        };
        if (poll(p, a->session_fd >= 0 ? 5 : 4, -1) < 0) {
            if (errno == EINTR)
                continue;
            forget(a);
        }
        if (p[1].revents || p[3].revents || p[4].revents || (p[2].revents && socket_gone(a->watch_fd)))
            forget(a);
        if (p[0].revents & POLLIN) {
            int fd = accept4(a->listen_fd, NULL, NULL, SOCK_CLOEXEC);
            if (fd >= 0) {
                serve_one(a, fd);
                close(fd);
            }
        }
    }
}

pid_t agent_start(caseworker_key *k, int listen_fd, const char *path, long idle_seconds,
                  char *err, size_t errlen)
{
    agent a = {.listen_fd = listen_fd, .signal_fd = -1, .watch_fd = -1, .timer_fd = -1, .session_fd = -1,
               .path = path, .idle = idle_seconds};
    const struct rlimit none = {0, 0};
    pid_t sid = getsid(0), pid;
    sigset_t sigs, old;

    if (sid > 1 && sid != getpid())
        a.session_fd = pidfd_open(sid, 0);   /* -1 (old kernel): the other watches remain */
    /* Inherited across fork: the agent is never dumpable, not even before run() sets it again. */
    prctl(PR_SET_DUMPABLE, 0);
    setrlimit(RLIMIT_CORE, &none);
    fflush(stdout);
    fflush(stderr);
    ending_signals(&sigs);
    sigprocmask(SIG_BLOCK, &sigs, &old);   /* a SIGTERM right after unlock returns waits for the signalfd */
    pid = fork();
    if (pid == 0)
        run(&a, k);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (a.session_fd >= 0)
        close(a.session_fd);
    close(listen_fd);
    if (pid < 0) {
        unlink(path);
        err_set(err, errlen, ERR_IO, "cannot start the agent: %s", strerror(errno));
    }
    return pid;
}
