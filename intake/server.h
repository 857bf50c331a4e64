/*
 * server.h: the intake's HTTP server on libmicrohttpd: limits, security headers on every
 * answer, and the routing of requests to pages (see ../shared/contract.md, "intake").
 */
#ifndef SEA_INTAKE_SERVER_H
#define SEA_INTAKE_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "deadline.h"

typedef struct intake_config {
    const char *listen_addr;   /* numeric IPv4 or IPv6 address */
    uint16_t port;
    const char *tls_cert_pem;  /* NULL for plain HTTP */
    const char *tls_key_pem;
    unsigned max_connections;  /* open connections; more are refused by the server */
    unsigned timeout_seconds;  /* an idle connection is closed after this */
    unsigned threads;
    deadline_limits deadlines; /* absolute deadlines and a minimum upload rate (deadline.h) */
} intake_config;

typedef struct intake_server intake_server;

/*
 * server_address_valid: 0 when addr is a numeric IPv4 or IPv6 address, else ERR_FORMAT with a
 * message saying what to write instead.
 */
int server_address_valid(const char *addr, char *err, size_t errlen);

/*
 * server_bind: binds and listens on cfg's address (as root, before dropping privileges) and
 * returns the socket, or -1 with a message (in use, not an address of this machine).
 */
int server_bind(const intake_config *cfg, char *err, size_t errlen);

/*
 * server_start: starts serving app (which must outlive the server) on the socket from
 * server_bind, which it then owns whether it starts or not. Returns 0 and *out, a server to
 * stop with server_stop; ERR_FORMAT (a bad address), ERR_NOMEM or ERR_IO. On failure *out is
 * NULL, listen_fd is closed, and there is nothing to free.
 */
int server_start(const intake_config *cfg, int listen_fd, intake_app *app, intake_server **out,
                 char *err, size_t errlen);

/*
 * server_stop: stops accepting new connections at once, waits up to grace_seconds for requests
 * in flight to finish (idle keep-alive connections do not count), then stops and frees the
 * server. Accepts NULL.
 */
void server_stop(intake_server *s, unsigned grace_seconds);

#endif
