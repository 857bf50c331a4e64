/*
 * server.h: the intake's HTTP server on libmicrohttpd: limits, security headers on every answer,
 * and the routing of requests to pages.
 */
#ifndef SEA_INTAKE_SERVER_H
#define SEA_INTAKE_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "pubkey.h"
#include "store.h"

typedef struct intake_config {
    const char *listen_addr;   /* numeric IPv4 or IPv6 address */
    uint16_t port;
    const char *tls_cert_pem;  /* NULL for plain HTTP */
    const char *tls_key_pem;
    unsigned max_connections;
    unsigned timeout_seconds;
} intake_config;

typedef struct intake_server intake_server;

/*
 * server_start: starts serving with the given store (which must outlive the server) and the
 * recipients' public keys (copied). Returns 0 and a server to stop with server_stop; ERR_IO
 * when the address cannot be bound.
 */
int server_start(const intake_config *cfg, store *db, const pubkey *recipients, size_t nrecipients,
                 intake_server **out, char *err, size_t errlen);

/*
 * server_stop: stops accepting, waits up to grace_seconds for requests in flight to finish,
 * then stops and frees the server. Accepts NULL.
 */
void server_stop(intake_server *s, unsigned grace_seconds);

#endif
