/*
 * sync-transport.c: the server end of an exchange, as a child process (see sync-transport.h).
 */
#include "sync-transport.h"

#include <errno.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errors.h"

#define SSH_PREFIX "ssh://"

/* Single-quotes s for a POSIX shell (the remote command line ssh hands to the server's shell). */
static int shell_quote(const char *s, char *out, size_t cap)
{
    size_t o = 0;

    if (cap < 3)
        return -1;
    out[o++] = '\'';
    for (; *s != '\0'; s++) {
        const char *piece = *s == '\'' ? "'\\''" : NULL;
        size_t n = piece != NULL ? strlen(piece) : 1;
        if (o + n + 2 > cap)
            return -1;
        if (piece != NULL)
            memcpy(out + o, piece, n);
        else
            out[o] = *s;
        o += n;
    }
    out[o++] = '\'';
    out[o] = '\0';
    return 0;
}

/* Splits ssh://[user@]host[:port]/path into the ssh destination, the port ("" for none) and
 * the path. */
static int parse_ssh(const char *remote, char *dest, size_t dcap, char *port, size_t pcap, char *path, size_t cap)
{
    const char *hostpart = remote + strlen(SSH_PREFIX), *slash = strchr(hostpart, '/');
    const char *at, *colon;
    size_t hlen;

    if (slash == NULL || slash == hostpart || slash[1] == '\0')
        return -1;
    hlen = (size_t)(slash - hostpart);
    at = memchr(hostpart, '@', hlen);
    colon = memchr(at != NULL ? at : hostpart, ':', hlen - (size_t)((at != NULL ? at : hostpart) - hostpart));
    if (colon != NULL) {
        size_t n = (size_t)(slash - colon - 1);
        if (n == 0 || n >= pcap || strspn(colon + 1, "0123456789") < n)
            return -1;
        memcpy(port, colon + 1, n);
        port[n] = '\0';
        hlen = (size_t)(colon - hostpart);
    } else {
        port[0] = '\0';
    }
    if (hlen == 0 || hlen >= dcap || hostpart[0] == '-' || memchr(hostpart, ' ', hlen) != NULL)
        return -1;
    memcpy(dest, hostpart, hlen);
    dest[hlen] = '\0';
    return snprintf(path, cap, "%s", slash) < (int)cap ? 0 : -1;
}

static int spawn(const char *const argv[], sync_peer *peer, char *err, size_t errlen)
{
    int to_child[2], from_child[2];

    if (pipe(to_child) != 0)
        return err_set(err, errlen, ERR_IO, "cannot start the server end: %s", strerror(errno));
    if (pipe(from_child) != 0) {
        close(to_child[0]);
        close(to_child[1]);
        return err_set(err, errlen, ERR_IO, "cannot start the server end: %s", strerror(errno));
    }
    peer->pid = fork();
    if (peer->pid < 0) {
        close(to_child[0]);
        close(to_child[1]);
        close(from_child[0]);
        close(from_child[1]);
        return err_set(err, errlen, ERR_IO, "cannot start the server end: %s", strerror(errno));
    }
    if (peer->pid == 0) {
        dup2(to_child[0], 0);
        dup2(from_child[1], 1);
        close(to_child[0]);
        close(to_child[1]);
        close(from_child[0]);
        close(from_child[1]);
        execvp(argv[0], (char *const *)(uintptr_t)argv);
        fprintf(stderr, "casework sync: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(to_child[0]);
    close(from_child[1]);
    peer->w.out = fdopen(to_child[1], "w");
    peer->w.in = fdopen(from_child[0], "r");
    if (peer->w.out == NULL || peer->w.in == NULL) {
        sync_disconnect(peer);
        return err_set(err, errlen, ERR_NOMEM, "cannot start the server end: out of memory");
    }
    return 0;
}

int sync_connect(const char *remote, const char *recipients, const char *program, sync_peer *peer, char *err,
                 size_t errlen)
{
    char self[4096], dest[256], port[8], path[2048], quoted[4200], command[4400];
    ssize_t n;

    memset(peer, 0, sizeof *peer);
    signal(SIGPIPE, SIG_IGN);   /* a server end that dies is an error to report, not a kill */
    if (strncmp(remote, SSH_PREFIX, strlen(SSH_PREFIX)) == 0) {
        const char *ssh = getenv("CASEWORK_SSH");
        if (parse_ssh(remote, dest, sizeof dest, port, sizeof port, path, sizeof path) != 0 ||
            shell_quote(path, quoted, sizeof quoted) != 0)
            return err_set(err, errlen, ERR_FORMAT, "%s is not ssh://[user@]host[:port]/path/to/reports.db", remote);
        snprintf(command, sizeof command, "casework --db %s serve-sync", quoted);
        if (ssh != NULL && ssh[0] != '\0') {
            /* sh -c 'CASEWORK_SSH "$@"' sh [-p PORT] DEST COMMAND */
            char script[4096];
            const char *argv[9];
            int a = 0;
            snprintf(script, sizeof script, "%s \"$@\"", ssh);
            argv[a++] = "/bin/sh";
            argv[a++] = "-c";
            argv[a++] = script;
            argv[a++] = "casework-ssh";
            if (port[0] != '\0') {
                argv[a++] = "-p";
                argv[a++] = port;
            }
            argv[a++] = dest;
            argv[a++] = command;
            argv[a] = NULL;
            return spawn(argv, peer, err, errlen);
        } else {
            const char *argv[8];
            int a = 0;
            argv[a++] = "ssh";
            if (port[0] != '\0') {
                argv[a++] = "-p";
                argv[a++] = port;
            }
            argv[a++] = "--";
            argv[a++] = dest;
            argv[a++] = command;
            argv[a] = NULL;
            return spawn(argv, peer, err, errlen);
        }
    }
    if (program != NULL) {
        snprintf(self, sizeof self, "%s", program);
    } else {
        n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n <= 0)
            return err_set(err, errlen, ERR_IO, "cannot find this program to serve %s", remote);
        self[n] = '\0';
    }
    {
        const char *argv[] = {self, "--db", remote, "serve-sync", recipients != NULL ? "--recipients" : NULL,
                              recipients, NULL};
        if (access(remote, F_OK) != 0)
            return err_set(err, errlen, ERR_NOTFOUND, "there is no database at %s (REMOTE is a path here, or "
                           "ssh://host/path)", remote);
        return spawn(argv, peer, err, errlen);
    }
}

int sync_disconnect(sync_peer *peer)
{
    int status = 0;

    if (peer->w.out != NULL)
        fclose(peer->w.out);
    if (peer->w.in != NULL)
        fclose(peer->w.in);
    peer->w.out = peer->w.in = NULL;
    wire_free(&peer->w);
    if (peer->pid > 0) {
        while (waitpid(peer->pid, &status, 0) < 0 && errno == EINTR)
            ;
        peer->pid = 0;
        return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
    }
    return 0;
}
