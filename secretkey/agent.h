/*
 * agent.h: the per-user key agent of `casework unlock` / `casework lock`, and how casework
 * talks to it. The agent is a background process of the user's that holds one unlocked key in
 * guarded, locked memory and hands its secret keys, over a UNIX socket that only its own user
 * can reach, to casework commands run for the same key file. It forgets the key (wipes it and
 * exits, removing its socket) after an idle time, on `casework lock`, on SIGTERM, SIGHUP or
 * SIGINT, when its socket or its folder disappears (logout removes $XDG_RUNTIME_DIR), and when
 * the session leader of the terminal session it was started from ends.
 *
 * Where: the socket is SOCKET_DIR/agent, SOCKET_DIR being $XDG_RUNTIME_DIR/casework when
 * XDG_RUNTIME_DIR is set to an absolute path, else /tmp/casework-UID. The folder must be a real
 * folder (no symlink) owned by the user with no permission for group or others (0700); the
 * socket is made 0600. Both ends check the other's uid (SO_PEERCRED) and talk only to their own.
 *
 * The wire format (version 1; one request and one answer per connection, then the agent closes):
 *
 *     request, 16 bytes                      answer, 16 bytes (+ 96)
 *     0   4  magic "CWAG"                    0   4  magic "CWAG"
 *     4   1  version (1)                     4   1  version (1)
 *     5   1  op (AGENT_OP_*)                 5   1  status (AGENT_ST_*)
 *     6   2  reserved, 0                     6   2  reserved, 0
 *     8   8  key id asked for (GET_KEY;      8   8  key id the agent holds (zeros with
 *            zeros for the other ops)               REFUSED and BAD_REQUEST)
 *                                            16  96 only with OK to GET_KEY: X25519 secret (32)
 *                                                   || Ed25519 secret (64), as the key file wraps
 *
 * Nothing on the wire is encrypted or signed: the socket's folder, its mode and the peer's uid
 * are the protection; the receiver of a key recomputes its public keys and checks them against
 * the key id in its own key file (keyfile_decode_secret).
 */
#ifndef SEA_AGENT_H
#define SEA_AGENT_H

#include <stddef.h>
#include <sys/types.h>

#include "keyfile.h"

#define AGENT_MAGIC "CWAG"
#define AGENT_VERSION 1
#define AGENT_HEADERBYTES 16
#define AGENT_SOCKET_NAME "agent"
#define AGENT_PATH_MAX 108   /* sizeof sun_path on Linux */

enum agent_op {
    AGENT_OP_GET_KEY = 1,   /* hand over the key whose id is in the request */
    AGENT_OP_LOCK = 2,      /* forget the key and exit; answered after the wipe */
    AGENT_OP_STATUS = 3     /* say which key is held, and nothing else */
};

enum agent_status {
    AGENT_ST_OK = 0,
    AGENT_ST_OTHER_KEY = 1,    /* GET_KEY for an id the agent does not hold */
    AGENT_ST_REFUSED = 2,      /* the peer is not the agent's user */
    AGENT_ST_BAD_REQUEST = 3   /* not a request of this version */
};

/* agent_encode: writes a 16-byte request or answer (code: op or status) into out. id may be NULL
 * (zeros). */
void agent_encode(unsigned char out[AGENT_HEADERBYTES], int code, const unsigned char *id);

/* agent_decode: checks magic, version and reserved bytes of a 16-byte frame; returns its op or
 * status byte and copies its key id into id, or -1 when the frame is not of this version. */
int agent_decode(const unsigned char in[AGENT_HEADERBYTES], unsigned char id[PUBKEY_IDBYTES]);

/*
 * agent_socket_path: writes the agent's socket path into out (AGENT_PATH_MAX bytes). With create,
 * makes its folder (0700) when missing. Then checks the folder: a folder, not a symlink, owned by
 * this user, without permissions for group or others. Returns 0; ERR_NOTFOUND when the folder
 * does not exist and create is 0; ERR_AUTH (a folder owned by someone else, or open to others:
 * the message says what to do); ERR_LIMIT (path too long); ERR_IO.
 */
int agent_socket_path(int create, char out[AGENT_PATH_MAX], char *err, size_t errlen);

/*
 * agent_connect: connects to the agent at path and checks that it runs as this user. Returns a
 * connected socket, or -1 with errno (ECONNREFUSED or ENOENT: no agent; EPERM: another user's).
 */
int agent_connect(const char *path);

/*
 * agent_fetch_key: the key of the key file at key_path from this user's agent, when one runs
 * and holds that key (same key id). Returns 0 and *out (free with keyfile_free); ERR_NOTFOUND
 * when there is no agent, or it holds another key, or its folder fails agent_socket_path's
 * checks (then note says so, for the caller to show);
 * ERR_PERM (err set) when the key file is open to others or another user's, as without an agent;
 * another error (with err set) when the agent or the key file misbehaves. On failure *out is
 * NULL and nothing is left to wipe. note and err may be the same size; note is "" unless set.
 */
int agent_fetch_key(const char *key_path, caseworker_key **out, char *note, size_t notelen,
                    char *err, size_t errlen);

/*
 * agent_request: sends op (AGENT_OP_STATUS or AGENT_OP_LOCK) to the agent at path and returns
 * its status (AGENT_ST_*), with the id of the key it holds in id; or ERR_NOTFOUND when no agent
 * answers there, or ERR_IO / ERR_FORMAT with err set.
 */
int agent_request(const char *path, int op, unsigned char id[PUBKEY_IDBYTES], char *err, size_t errlen);

/*
 * agent_listen: binds and listens on path (mode 0600), replacing a stale socket that nobody
 * answers on. Returns the listening socket, or -1 with err set (ERR_EXISTS when an agent answers
 * there already).
 */
int agent_listen(const char *path, char *err, size_t errlen);

/*
 * agent_start: forks the agent, which serves k's secret keys on listen_fd (from agent_listen,
 * at path) until it forgets them (see the top of this file) after idle_seconds without a key
 * handed over. The agent copies k into its own locked memory, turns off core dumps and
 * ptrace by others of its user (PR_SET_DUMPABLE 0, RLIMIT_CORE 0), leaves the session, and
 * never returns. In the caller, returns the agent's pid (and closes listen_fd), or -1 with err
 * set (then the socket at path is removed). The caller still owns and frees k (the agent wipes its own copy of it).
 */
pid_t agent_start(caseworker_key *k, int listen_fd, const char *path, long idle_seconds,
                  char *err, size_t errlen);

#endif
