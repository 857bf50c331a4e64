/*
 * agent-client.c: casework's side of the key agent (agent.h): fetching the key of a key file
 * from it, asking which key it holds, telling it to forget.
 */
#include "agent.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errors.h"
#include "fileio.h"

/* Reads exactly n bytes from fd; 0, or -1 on an error or an early end. */
static int read_exact(int fd, unsigned char *buf, size_t n)
{
    while (n > 0) {
        ssize_t r = recv(fd, buf, n, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        buf += r;
        n -= (size_t)r;
    }
    return 0;
}

/* Sends a request (op, id) on fd and reads the answer's header; returns its status, or -1. */
static int exchange(int fd, int op, const unsigned char *id, unsigned char held[PUBKEY_IDBYTES])
{
    unsigned char frame[AGENT_HEADERBYTES];

    agent_encode(frame, op, id);
    if (send(fd, frame, sizeof frame, MSG_NOSIGNAL) != (ssize_t)sizeof frame || read_exact(fd, frame, sizeof frame) != 0)
        return -1;
    return agent_decode(frame, held);
}

int agent_request(const char *path, int op, unsigned char id[PUBKEY_IDBYTES], char *err, size_t errlen)
{
    int fd = agent_connect(path), st;

    if (fd < 0) {
        if (errno == ENOENT || errno == ECONNREFUSED)
            return err_set(err, errlen, ERR_NOTFOUND, "no agent is running");
        return err_set(err, errlen, ERR_IO, "cannot reach the agent at %s: %s", path, strerror(errno));
    }
    st = exchange(fd, op, NULL, id);
    close(fd);
    if (st < 0)
        return err_set(err, errlen, ERR_FORMAT, "the agent at %s did not answer as expected (casework lock, then unlock again)", path);
    return st;
}

int agent_fetch_key(const char *key_path, caseworker_key **out, char *note, size_t notelen,
                    char *err, size_t errlen)
{
    char path[AGENT_PATH_MAX], why[300];
    unsigned char *file = NULL, *secret = NULL, want[PUBKEY_IDBYTES], held[PUBKEY_IDBYTES];
    size_t len;
    int fd = -1, st, rc;

    *out = NULL;
    if (notelen > 0)
        note[0] = '\0';
    if ((rc = agent_socket_path(0, path, why, sizeof why)) != 0) {
        if (rc != ERR_NOTFOUND)
            snprintf(note, notelen, "not asking the agent: %s", why);
        return ERR_NOTFOUND;
    }
    if (!fileio_exists(path))
        return ERR_NOTFOUND;
    rc = fileio_read_all(key_path, KEYFILE_MAX_SIZE, FILEIO_PRIVATE, &file, &len, why, sizeof why);
    if (rc == ERR_PERM)   /* a key file open to others is refused with an agent too */
        return err_set(err, errlen, rc, "%s", why);
    if (rc != 0 || keyfile_key_id(file, len, want, why, sizeof why) != 0) {
        free(file);
        return ERR_NOTFOUND;   /* the passphrase path reads the file again and says what is wrong */
    }
    fd = agent_connect(path);
    if (fd < 0) {
        rc = errno == ENOENT || errno == ECONNREFUSED
                 ? ERR_NOTFOUND
                 : err_set(err, errlen, ERR_IO, "cannot reach the agent at %s: %s", path, strerror(errno));
        goto out;
    }
    st = exchange(fd, AGENT_OP_GET_KEY, want, held);
    if (st == AGENT_ST_OTHER_KEY) {
        char hex[2 * PUBKEY_IDBYTES + 1];
        sodium_bin2hex(hex, sizeof hex, held, PUBKEY_IDBYTES);
        snprintf(note, notelen, "the agent holds key %s, not the key of %s: asking for its passphrase", hex, key_path);
        rc = ERR_NOTFOUND;
        goto out;
    }
    if (st != AGENT_ST_OK || sodium_memcmp(held, want, PUBKEY_IDBYTES) != 0) {
        rc = err_set(err, errlen, ERR_FORMAT, "the agent at %s did not answer as expected (casework lock, then unlock again)", path);
        goto out;
    }
    secret = sodium_malloc(KEYFILE_SECRETBYTES);
    if (secret == NULL) {
        rc = err_set(err, errlen, ERR_NOMEM, "out of locked memory for the key");
        goto out;
    }
    if (read_exact(fd, secret, KEYFILE_SECRETBYTES) != 0) {
        rc = err_set(err, errlen, ERR_FORMAT, "the agent at %s sent a short answer (casework lock, then unlock again)", path);
        goto out;
    }
    rc = keyfile_decode_secret(file, len, secret, out, why, sizeof why);
    if (rc != 0)
        err_set(err, errlen, rc, "the key from the agent does not fit %s: %s", key_path, why);
out:
    if (fd >= 0)
        close(fd);
    sodium_free(secret);   /* wipes */
    free(file);
    return rc;
}
