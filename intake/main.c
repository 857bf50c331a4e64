/*
 * main.c: the intake program. Parses the contract's options, loads the recipients' public keys
 * (caseworkers' only, skipping auditors' lines; never a secret key), opens the store, serves until SIGINT or SIGTERM, then stops accepting,
 * lets requests in flight finish and exits 0. It prints start, stop and aggregate counters only:
 * never a client address, a receipt, a User-Agent, a time of a report or any text of one.
 */
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "errors.h"
#include "fileio.h"
#include "privilege.h"
#include "pages.h"
#include "profile.h"
#include "recent.h"
#include "pubkey.h"
#include "server.h"
#include "store.h"

#define WRITE_WAIT_MS 3000

static void usage(FILE *f)
{
    fprintf(f, "usage: intake --db DB --recipients FILE [--listen ADDR:PORT] [--tls-cert C --tls-key K]\n"
               "  --db DB                 the database (created when missing)\n"
               "  --recipients FILE       caseworkers' .pub lines, one per line (# comments allowed;\n"
               "                          auditors' cwaud1 lines are skipped)\n"
               "  --listen ADDR:PORT      where to listen (default 127.0.0.1:8080; IPv6 as [::1]:8080)\n"
               "  --tls-cert C, --tls-key K  serve HTTPS with this PEM certificate and key\n"
               "  --max-attachments N     files per report or follow-up (default 10)\n"
               "  --max-attachment-mb N   size of each file in MiB (default 100)\n"
               "  --max-connections N     open connections (default 512)\n"
               "  --max-active N          saves queued for the database before answering 503 (default 256)\n"
               "  --spool-max-mb N        what all uploads in progress may spool together (default 4096)\n"
               "  --max-db-mb N           refuse new reports (503) once the database reaches N MiB\n"
               "  --min-free-mb N         refuse new reports (503) that would leave less than N MiB free\n"
               "                          beside the database, for casework (default 256; 0: no floor)\n"
               "  --grace-seconds N       on SIGTERM, how long requests in flight may take to finish (default 30)\n"
               "  --header-seconds N      a request's headers must all arrive within N s (default 10)\n"
               "  --request-seconds N     its body within N s more (default 3600)\n"
               "  --min-upload-rate B     a body must bring B bytes/s or more over every window (default 1024; 0: none)\n"
               "  --rate-window-seconds N\n"
               "                          that window (default 20); slower connections are closed\n"
               "  --user NAME             started as root: bind, open the database, then serve as NAME\n"
               "                          (required as root: the intake never serves as root)\n"
               "  --spool-dir DIR         where uploads wait, encrypted, while a form arrives\n"
               "                          (default: the database's folder)\n"
               "  --profile FILE          the organisation profile shown to reporters: who reads, how else\n"
               "                          to reach them, support, timeline, retention (deploy/organisation.ini)\n"
               "  --help, --version       print this usage, or the version, and exit\n");
}

/* Splits "ADDR:PORT" or "[ADDR]:PORT" into addr (of cap bytes) and port. */
static int parse_listen(const char *text, char *addr, size_t cap, uint16_t *port)
{
    const char *colon = strrchr(text, ':'), *start = text, *end;
    char *stop;
    long p;

    if (colon == NULL)
        return -1;
    end = colon;
    if (text[0] == '[') {
        start = text + 1;
        if (colon == text || colon[-1] != ']')
            return -1;
        end = colon - 1;
    }
    if (end <= start || (size_t)(end - start) >= cap)
        return -1;
    memcpy(addr, start, (size_t)(end - start));
    addr[end - start] = '\0';
    p = strtol(colon + 1, &stop, 10);
    if (*stop != '\0' || colon[1] == '\0' || p < 1 || p > 65535)
        return -1;
    *port = (uint16_t)p;
    return 0;
}

static int parse_count(const char *text, unsigned long min, unsigned long max, unsigned long *out)
{
    char *stop;
    unsigned long v = strtoul(text, &stop, 10);

    if (*text == '\0' || *stop != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static char *read_pem(const char *path, const char *what)
{
    unsigned char *buf;
    size_t len;
    char err[300];

    if (fileio_read_all(path, 1024 * 1024, FILEIO_SECRET, &buf, &len, err, sizeof err) != 0) {
        fprintf(stderr, "intake: cannot read the TLS %s: %s\n", what, err);
        return NULL;
    }
    return (char *)buf;
}

/*
 * Each connection takes two descriptors (its socket, and the duplicate its deadlines are kept
 * with: deadline.h) and one per attachment being received (its spool), plus the database's and
 * the listener's: raises the soft limit on open files as far as needed and allowed, and serves
 * fewer connections (saying so) when it cannot be raised enough. Returns 0 when even a few
 * connections cannot be served.
 */
static unsigned long fit_connections(unsigned long conns, unsigned long files)
{
    rlim_t per = (rlim_t)(2 + files), need = per * conns + 64;
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return conns;
    if (rl.rlim_cur < need && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur >= need)
        return conns;
    if (rl.rlim_cur < 64 + 4 * per) {
        fprintf(stderr, "intake: only %lu open files allowed; it needs %lu (raise LimitNOFILE, or ulimit -n)\n",
                (unsigned long)rl.rlim_cur, (unsigned long)need);
        return 0;
    }
    fprintf(stderr, "intake: %lu open files allowed: serving at most %lu connections, not %lu "
                    "(raise LimitNOFILE, or ulimit -n, to %lu)\n",
            (unsigned long)rl.rlim_cur, (unsigned long)((rl.rlim_cur - 64) / per), conns, (unsigned long)need);
    return (unsigned long)((rl.rlim_cur - 64) / per);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"recipients", required_argument, NULL, 'r'},
        {"listen", required_argument, NULL, 'l'},
        {"tls-cert", required_argument, NULL, 'c'},
        {"tls-key", required_argument, NULL, 'k'},
        {"max-attachments", required_argument, NULL, 'a'},
        {"max-attachment-mb", required_argument, NULL, 'm'},
        {"max-connections", required_argument, NULL, 'n'},
        {"max-active", required_argument, NULL, 'A'},
        {"spool-dir", required_argument, NULL, 's'},
        {"spool-max-mb", required_argument, NULL, 'S'},
        {"max-db-mb", required_argument, NULL, 'D'},
        {"user", required_argument, NULL, 'u'},
        {"min-free-mb", required_argument, NULL, 'F'},
        {"grace-seconds", required_argument, NULL, 'G'},
        {"header-seconds", required_argument, NULL, 'H'},
        {"request-seconds", required_argument, NULL, 'R'},
        {"min-upload-rate", required_argument, NULL, 'M'},
        {"rate-window-seconds", required_argument, NULL, 'W'},
        {"profile", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}
    };
    const char *db_path = NULL, *recipients_path = NULL, *listen = "127.0.0.1:8080";
    const char *cert_path = NULL, *key_path = NULL, *spool_dir = NULL, *user = NULL, *profile_path = NULL;
    org_profile *profile = NULL;
    privilege priv;
    intake_config cfg = {.max_connections = 512, .timeout_seconds = 30, .threads = 4};
    intake_app app;
    unsigned long files = 10, file_mb = 100, conns = 512, active = 256, spool_mb = 4096, db_mb = 0;
    const deadline_limits deadline_defaults = DEADLINE_DEFAULTS;
    unsigned long header_s = deadline_defaults.header_seconds, request_s = deadline_defaults.request_seconds;
    unsigned long min_rate = deadline_defaults.min_rate, window_s = deadline_defaults.window_seconds;
    unsigned long free_mb = 256, grace = 30;
    char addr[64], err[512], db_dir[PATH_MAX];
    pubkey *recipients = NULL;
    intake_server *server = NULL;
    char *cert = NULL, *key = NULL;
    sigset_t stop_signals;
    int c, sig, rc = 1, listen_fd = -1;

    memset(&app, 0, sizeof app);
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 'd': db_path = optarg; break;
        case 'r': recipients_path = optarg; break;
        case 'l': listen = optarg; break;
        case 'c': cert_path = optarg; break;
        case 'k': key_path = optarg; break;
        case 's': spool_dir = optarg; break;
        case 'u': user = optarg; break;
        case 'P': profile_path = optarg; break;
        case 'a': bad = parse_count(optarg, 0, FORM_MAX_FILES, &files); break;
        case 'm': bad = parse_count(optarg, 1, 4096, &file_mb); break;
        case 'n': bad = parse_count(optarg, 4, 65536, &conns); break;
        case 'A': bad = parse_count(optarg, 1, 65536, &active); break;
        case 'S': bad = parse_count(optarg, 1, 1024 * 1024, &spool_mb); break;
        case 'D': bad = parse_count(optarg, 1, 1024 * 1024 * 1024, &db_mb); break;
        case 'F': bad = parse_count(optarg, 0, 1024UL * 1024 * 1024, &free_mb); break;
        case 'G': bad = parse_count(optarg, 0, 3600, &grace); break;
        case 'H': bad = parse_count(optarg, 1, 3600, &header_s); break;
        case 'R': bad = parse_count(optarg, 1, 7 * 24 * 3600, &request_s); break;
        case 'M': bad = parse_count(optarg, 0, 1024 * 1024 * 1024, &min_rate); break;
        case 'W': bad = parse_count(optarg, 1, 3600, &window_s); break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("intake %s\n", SEA_VERSION); return 0;
        default:
            fprintf(stderr, "intake: %s %s\n", c == ':' ? "option needs a value:" : "unknown option:", argv[optind - 1]);
            usage(stderr);
            return 2;
        }
        if (bad) {
            fprintf(stderr, "intake: %s %s is out of range (see intake --help)\n", argv[optind - 2], optarg);
            return 2;
        }
    }
    if (optind != argc || db_path == NULL || recipients_path == NULL ||
        (cert_path == NULL) != (key_path == NULL)) {
        fprintf(stderr, "intake: %s\n", optind != argc ? "unexpected argument"
                        : (cert_path == NULL) != (key_path == NULL) ? "--tls-cert and --tls-key go together"
                        : "--db and --recipients are required");
        usage(stderr);
        return 2;
    }
    if (parse_listen(listen, addr, sizeof addr, &cfg.port) != 0 ||
        server_address_valid(addr, err, sizeof err) != 0) {
        fprintf(stderr, "intake: --listen needs ADDR:PORT with a numeric address, e.g. 127.0.0.1:8080 or [::1]:8080\n");
        return 2;
    }
    if (privilege_prepare(user, &priv, err, sizeof err) != 0) {
        fprintf(stderr, "intake: %s\n", err);
        return 2;
    }
    cfg.listen_addr = addr;
    if ((conns = fit_connections(conns, files)) == 0)
        return 1;
    cfg.max_connections = (unsigned)conns;
    cfg.deadlines = (deadline_limits){(unsigned)header_s, (unsigned)request_s, (unsigned)min_rate, (unsigned)window_s};
    app.limits.max_files = (unsigned)files;
    app.limits.max_file_bytes = (uint64_t)file_mb * 1024 * 1024;
    app.max_active = (unsigned)active;
    app.limits.spool_budget = (uint64_t)spool_mb * 1024 * 1024;
    app.limits.spool_used = &app.spool_used;
    snprintf(db_dir, sizeof db_dir, "%s", db_path);
    app.db_dir = dirname(db_dir);   /* (once: dirname may change its argument) */
    app.spool_dir = spool_dir != NULL ? spool_dir : app.db_dir;
    app.min_free = (uint64_t)free_mb * 1024 * 1024;
    umask(077);
    if (sodium_init() < 0) {
        fprintf(stderr, "intake: cannot initialise libsodium\n");
        return 1;
    }
    /* Caseworkers only: an auditor listed in the file is never offered to reporters, never
     * sealed to and never trusted to sign a reply. */
    if (pubkey_load_role(recipients_path, PUBKEY_ROLE_CASEWORKER, &recipients, &app.nrecipients, err, sizeof err) != 0) {
        fprintf(stderr, "intake: %s\n", err);
        return 1;
    }
    app.recipients = recipients;
    /* The organisation profile is read once, before anything is served, and checked whole. */
    if (profile_path != NULL && profile_load(profile_path, &profile, err, sizeof err) != 0) {
        fprintf(stderr, "intake: %s\n", err);
        goto out;
    }
    pages_set_profile(profile);
    app.recipient_pks = malloc(32 * app.nrecipients);
    app.recipient_signers = malloc(32 * app.nrecipients);
    if (app.recipient_pks == NULL || app.recipient_signers == NULL)
        goto out;
    for (size_t i = 0; i < app.nrecipients; i++) {
        memcpy(app.recipient_pks + 32 * i, recipients[i].x25519, 32);
        memcpy(app.recipient_signers + 32 * i, recipients[i].ed25519, 32);
    }
    if (cert_path != NULL) {
        cert = read_pem(cert_path, "certificate");
        key = read_pem(key_path, "key");
        if (cert == NULL || key == NULL)
            goto out;
        cfg.tls_cert_pem = cert;
        cfg.tls_key_pem = key;
    }
    if (store_open(db_path, &app.db, err, sizeof err) != 0 ||
        store_open(db_path, &app.db_read, err, sizeof err) != 0 ||
        store_open(db_path, &app.db_checkpoint, err, sizeof err) != 0 ||
        store_secret_setting(app.db, "csrf_key", app.csrf_key, sizeof app.csrf_key, err, sizeof err) != 0) {
        fprintf(stderr, "intake: %s: %s\n", db_path, err);
        goto out;
    }
    /* A save waits a little for a caseworker's write, then says "busy" rather than queueing. */
    store_set_busy_timeout(app.db, WRITE_WAIT_MS);
    store_set_max_size(app.db, db_mb);
    store_tune_for_writes(app.db);
    pthread_mutex_init(&app.read_lock, NULL);
    if ((app.recent = recent_new()) == NULL) {
        fprintf(stderr, "intake: out of memory\n");
        goto out;
    }
    /* Block the stop signals in every thread; this one waits for them with sigwait. */
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* Bind and open as whoever started us; serve only after dropping root for good. */
    if (privilege_own(&priv, db_path, err, sizeof err) != 0 ||
        (listen_fd = server_bind(&cfg, err, sizeof err)) < 0 ||
        privilege_drop(&priv, app.spool_dir, err, sizeof err) != 0) {
        fprintf(stderr, "intake: %s\n", err);
        if (listen_fd >= 0)
            close(listen_fd);
        goto out;
    }
    /* server_start owns the socket from here, and closes it when it fails. */
    if (server_start(&cfg, listen_fd, &app, &server, err, sizeof err) != 0) {
        fprintf(stderr, "intake: %s\n", err);
        goto out;
    }
    fprintf(stderr, "intake: listening on %s://%s/ for %zu recipient(s)\n",
            cert ? "https" : "http", listen, app.nrecipients);
    sigwait(&stop_signals, &sig);
    fprintf(stderr, "intake: stopping (finishing requests in flight)\n");
    server_stop(server, (unsigned)grace);
    server = NULL;
    fprintf(stderr, "intake: stopped; %lu report(s) and %lu follow-up(s) saved, %lu request(s) refused\n",
            atomic_load(&app.reports_saved), atomic_load(&app.followups_saved),
            atomic_load(&app.requests_refused));
    rc = 0;
out:
    server_stop(server, 0);
    store_close(app.db);
    store_close(app.db_read);
    store_close(app.db_checkpoint);
    recent_free(app.recent);
    pages_set_profile(NULL);
    profile_free(profile);
    free(app.recipient_pks);
    free(app.recipient_signers);
    free(recipients);
    sodium_free(cert);
    sodium_free(key);
    return rc;
}
