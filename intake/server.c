/*
 * server.c: the intake's libmicrohttpd daemon (see server.h). Every answer, errors included,
 * carries the security headers; nothing about the client (address, User-Agent) is read or kept,
 * and libmicrohttpd's own error log stays off so it cannot print one either.
 */
#include "server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errors.h"

struct intake_server {
    struct MHD_Daemon *daemon;
    store *db;
    pubkey *recipients;
    size_t nrecipients;
};

static const char *const security_headers[][2] = {
    {"Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; "
                                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Content-Type-Options", "nosniff"},
    {"Cache-Control", "no-store"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Cross-Origin-Resource-Policy", "same-origin"},
    {"Permissions-Policy", "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
                           "magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()"},
    {"X-Frame-Options", "DENY"},
};

/* Queues body (copied) with status and every security header. */
static enum MHD_Result answer(struct MHD_Connection *conn, unsigned status, const char *type,
                              const char *body)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)(uintptr_t)body,
                                                             MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ok;

    if (r == NULL)
        return MHD_NO;
    for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
        MHD_add_response_header(r, security_headers[i][0], security_headers[i][1]);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    ok = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    intake_server *s = cls;

    (void)version;
    (void)upload;
    if (*con_cls == NULL) {
        *con_cls = s;   /* first call: headers only */
        return MHD_YES;
    }
    if (*upload_size != 0) {
        *upload_size = 0;   /* no page takes a body yet: discard it */
        return MHD_YES;
    }
    if (strcmp(url, "/healthz") == 0) {
        if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
            return answer(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", "method not allowed\n");
        if (store_writable(s->db, NULL, 0) != 0)
            return answer(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", "database not writable\n");
        return answer(conn, MHD_HTTP_OK, "text/plain; charset=utf-8", "ok\n");
    }
    return answer(conn, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", "not found\n");
}

static int make_address(const intake_config *cfg, struct sockaddr_storage *ss, char *err, size_t errlen)
{
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

    memset(ss, 0, sizeof *ss);
    if (inet_pton(AF_INET, cfg->listen_addr, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons(cfg->port);
        return 0;
    }
    if (inet_pton(AF_INET6, cfg->listen_addr, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(cfg->port);
        return 0;
    }
    return err_set(err, errlen, ERR_FORMAT, "--listen needs a numeric address, e.g. 127.0.0.1:8080 or [::1]:8080");
}

int server_start(const intake_config *cfg, store *db, const pubkey *recipients, size_t nrecipients,
                 intake_server **out, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
    intake_server *s;
    int rc;

    *out = NULL;
    if ((rc = make_address(cfg, &ss, err, errlen)) != 0)
        return rc;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (cfg->tls_cert_pem != NULL)
        flags |= MHD_USE_TLS;
    s = calloc(1, sizeof *s);
    if (s == NULL || (s->recipients = calloc(nrecipients, sizeof *recipients)) == NULL) {
        free(s);
        return err_set(err, errlen, ERR_NOMEM, "out of memory");
    }
    memcpy(s->recipients, recipients, nrecipients * sizeof *recipients);
    s->nrecipients = nrecipients;
    s->db = db;
    s->daemon = MHD_start_daemon(flags, cfg->port, NULL, NULL, on_request, s,
                                 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                                 MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
                                 MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_seconds,
                                 MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
                                 MHD_OPTION_PER_IP_CONNECTION_LIMIT, 0u,
                                 cfg->tls_cert_pem ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END,
                                 cfg->tls_cert_pem, MHD_OPTION_HTTPS_MEM_KEY, cfg->tls_key_pem,
                                 MHD_OPTION_END);
    if (s->daemon == NULL) {
        free(s->recipients);
        free(s);
        return err_set(err, errlen, ERR_IO, "cannot listen on %s port %u (in use, or not an address of this machine?)",
                       cfg->listen_addr, (unsigned)cfg->port);
    }
    *out = s;
    return 0;
}

void server_stop(intake_server *s, unsigned grace_seconds)
{
    if (s == NULL)
        return;
    MHD_quiesce_daemon(s->daemon);
    for (unsigned i = 0; i < grace_seconds * 10; i++) {
        const union MHD_DaemonInfo *info =
            MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (info == NULL || info->num_connections == 0)
            break;
        usleep(100 * 1000);
    }
    MHD_stop_daemon(s->daemon);
    free(s->recipients);
    free(s);
}
