/*
 * fuzz_form.c: the intake's form handling, urlencoded and multipart, driven through the real
 * server: libmicrohttpd's post processor, intake/form.c (text values, encrypted spooled files,
 * binding a follow-up's files to its case), validation, the pages that show a refused form back,
 * and saving. LLVMFuzzerInitialize starts the intake's server once (server_bind and
 * server_start, set up as intake/main.c does) on a free loopback port, with a scratch
 * database, two generated recipients and one case filed; each input is then POSTed to it over
 * a new loopback connection, and the answer's status must be one the intake means to give:
 * 200, 400, 403, 413, 415 or 503 (and 404, an unknown receipt, on the status routes). A crash
 * or sanitizer report in the server's thread ends this process like one in the harness.
 * With FUZZ_FORM_VERBOSE=1 in the environment, each input's route and status are printed.
 *
 * An input is one selector byte, then the body:
 *   bit 0 of the selector: 0 application/x-www-form-urlencoded, 1 multipart/form-data with
 *     boundary "XX" (libmicrohttpd refuses a one-character boundary);
 *   bits 1-2: 0 or 1 POST /report, 2 POST /status, 3 POST /status/followup.
 * In the body, @CSRF@ becomes a valid anti-forgery token and @RCPT@ the receipt of the case
 * filed at start, so that inputs get past those checks to validation and saving.
 *
 * Every RESET_EVERY (or $FUZZ_FORM_RESET_EVERY) saved reports or follow-ups, the server and
 * database are started afresh, so that a run of hours does not fill the disk. The scratch folder is made in $TMPDIR, else
 * in /dev/shm when there is one (saving syncs the database), else in /tmp.
 *
 * Debian's libmicrohttpd is not instrumented, so coverage guides the fuzzer through the
 * intake's own code only: the post processor's parsing is exercised, not explored.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "csrf.h"
#include "fuzz.h"
#include "receipt.h"
#include "server.h"
#include "store.h"

#define NRECIPIENTS 2
#define MAX_FILES 3
#define MAX_FILE_BYTES (64 * 1024)
#define SPOOL_BUDGET (1024 * 1024)
#define RESET_EVERY 2000
#define ANSWER_TIMEOUT_MS 20000   /* under fuzz/run's -timeout=30, so this message comes first */

static struct {
    char dir[PATH_MAX];
    char db[PATH_MAX];
    fuzz_identity ids[NRECIPIENTS];
    pubkey recipients[NRECIPIENTS];
    unsigned char recipient_pks[32 * NRECIPIENTS];
    unsigned char recipient_signers[32 * NRECIPIENTS];
    intake_app app;
    intake_server *server;
    uint16_t port;
    char receipt[RECEIPT_TEXT_SIZE];
    unsigned long saved;
    unsigned long reset_every;
} w;

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Sends one request to the server and reads the whole answer (the server closes the
 * connection after it). Returns the HTTP status, or -1 when no answer came; the answer's text
 * goes into a new malloc'd *answer when answer is not NULL.
 */
static int exchange(const char *head, size_t head_len, const char *body, size_t body_len,
                    char **answer)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(w.port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    size_t cap = 16384, n = 0;
    int64_t deadline = now_ms() + ANSWER_TIMEOUT_MS;
    char *buf = malloc(cap);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), status = -1;

    FUZZ_CHECK(buf != NULL && fd >= 0);
    /* libFuzzer's -timeout timer (SIGALRM) may interrupt any of the calls below: EINTR is
     * not a failure. An interrupted connect goes on in the background. */
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        struct pollfd pfd = {.fd = fd, .events = POLLOUT};
        int soerr = -1;
        socklen_t soerr_len = sizeof soerr;
        FUZZ_CHECK(errno == EINTR);
        while (poll(&pfd, 1, ANSWER_TIMEOUT_MS) < 0 && errno == EINTR)
            continue;
        FUZZ_CHECK(getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &soerr_len) == 0 && soerr == 0);
    }
    for (int part = 0; part < 2; part++) {
        const char *p = part == 0 ? head : body;
        size_t left = part == 0 ? head_len : body_len;
        while (left > 0) {
            ssize_t sent = send(fd, p, left, MSG_NOSIGNAL);
            if (sent < 0 && errno == EINTR)
                continue;
            if (sent <= 0)
                break;   /* the server may answer and close before reading everything */
            p += sent;
            left -= (size_t)sent;
        }
    }
    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        ssize_t got;
        int64_t left = deadline - now_ms();
        int ready = poll(&pfd, 1, left > 0 ? (int)left : 0);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0 && now_ms() >= deadline)
            fuzz_fail(__FILE__, __LINE__, "the intake did not answer within 20 s");
        FUZZ_CHECK(ready > 0);
        if (n + 4096 + 1 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            FUZZ_CHECK(buf != NULL);
        }
        got = recv(fd, buf + n, 4096, 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    buf[n] = '\0';
    if (n > 12 && strncmp(buf, "HTTP/1.", 7) == 0 && buf[8] == ' ')
        status = atoi(buf + 9);
    if (answer != NULL)
        *answer = buf;
    else
        free(buf);
    return status;
}

static int post(const char *path, const char *type, const char *body, size_t len, char **answer)
{
    char head[512];
    int head_len = snprintf(head, sizeof head,
                            "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                            "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n", path, type, len);

    FUZZ_CHECK(head_len > 0 && (size_t)head_len < sizeof head);
    return exchange(head, (size_t)head_len, body, len, answer);
}

static void current_csrf(char out[CSRF_TOKEN_SIZE])
{
    csrf_issue(w.app.csrf_key, (uint64_t)time(NULL) / 60, out);
}

/* Opens the database, starts the server and files the case that @RCPT@ names. */
static void open_world(void)
{
    intake_app *app = &w.app;
    intake_config cfg = {.listen_addr = "127.0.0.1", .port = 0, .max_connections = 64,
                         .timeout_seconds = 30, .threads = 1, .deadlines = DEADLINE_DEFAULTS};
    struct sockaddr_in bound;
    socklen_t bound_len = sizeof bound;
    char err[512], csrf[CSRF_TOKEN_SIZE], body[256], *answer = NULL, *p;
    int fd, status;

    FUZZ_CHECK(store_open(w.db, &app->db, err, sizeof err) == 0);
    FUZZ_CHECK(store_open(w.db, &app->db_read, err, sizeof err) == 0);
    FUZZ_CHECK(store_open(w.db, &app->db_checkpoint, err, sizeof err) == 0);
    FUZZ_CHECK(store_secret_setting(app->db, "csrf_key", app->csrf_key, sizeof app->csrf_key,
                                    err, sizeof err) == 0);
    store_set_busy_timeout(app->db, 3000);
    /* Port 0: the system picks a free port, read back from the bound socket. */
    fd = server_bind(&cfg, err, sizeof err);
    FUZZ_CHECK(fd >= 0);
    FUZZ_CHECK(getsockname(fd, (struct sockaddr *)&bound, &bound_len) == 0);
    w.port = ntohs(bound.sin_port);
    if (server_start(&cfg, fd, app, &w.server, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        fuzz_fail(__FILE__, __LINE__, "cannot start the intake's server");
    }

    current_csrf(csrf);
    snprintf(body, sizeof body, "csrf=%s&category=other&description=The+case+follow-ups+go+to", csrf);
    status = post("/report", "application/x-www-form-urlencoded", body, strlen(body), &answer);
    FUZZ_CHECK(status == 200);
    p = strstr(answer, "id=\"receipt\">");
    FUZZ_CHECK(p != NULL);
    p += strlen("id=\"receipt\">");
    FUZZ_CHECK(strcspn(p, "<") == RECEIPT_TEXT_SIZE - 1);
    memcpy(w.receipt, p, RECEIPT_TEXT_SIZE - 1);
    w.receipt[RECEIPT_TEXT_SIZE - 1] = '\0';
    free(answer);
    w.saved = 0;
}

/* Stops the server and deletes the database. */
static void close_world(void)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char path[PATH_MAX + 16];

    server_stop(w.server, 5);
    w.server = NULL;
    store_close(w.app.db);
    store_close(w.app.db_read);
    w.app.db = NULL;
    w.app.db_read = NULL;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(path, sizeof path, "%s%s", w.db, suffixes[i]);
        unlink(path);
    }
}

static void at_exit(void)
{
    close_world();
    rmdir(w.dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *tmp = getenv("TMPDIR");
    intake_app *app = &w.app;

    (void)argc;
    (void)argv;
    fuzz_init();
    signal(SIGPIPE, SIG_IGN);
    w.reset_every = getenv("FUZZ_FORM_RESET_EVERY") != NULL ? strtoul(getenv("FUZZ_FORM_RESET_EVERY"), NULL, 10) : 0;
    if (w.reset_every == 0)
        w.reset_every = RESET_EVERY;
    if (tmp == NULL || *tmp == '\0')
        tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(w.dir, sizeof w.dir, "%s/sea-fuzz-form-XXXXXX", tmp);
    FUZZ_CHECK(mkdtemp(w.dir) != NULL);
    snprintf(w.db, sizeof w.db, "%s/intake.db", w.dir);

    for (unsigned i = 0; i < NRECIPIENTS; i++) {
        fuzz_identity_make(i, i == 0 ? "Caseworker One" : "Caseworker Two", &w.ids[i]);
        w.recipients[i] = w.ids[i].pub;
        memcpy(w.recipient_pks + 32 * i, w.ids[i].pub.x25519, 32);
        memcpy(w.recipient_signers + 32 * i, w.ids[i].pub.ed25519, 32);
    }
    memset(app, 0, sizeof *app);
    app->recipients = w.recipients;
    app->nrecipients = NRECIPIENTS;
    app->recipient_pks = w.recipient_pks;
    app->recipient_signers = w.recipient_signers;
    app->limits.max_files = MAX_FILES;
    app->limits.max_file_bytes = MAX_FILE_BYTES;
    app->limits.spool_budget = SPOOL_BUDGET;
    app->limits.spool_used = &app->spool_used;
    app->spool_dir = w.dir;
    app->max_active = 4;
    pthread_mutex_init(&app->read_lock, NULL);
    open_world();
    atexit(at_exit);
    return 0;
}

/* Appends len bytes to the growing buffer *buf (of *n bytes, capacity *cap). */
static void append(char **buf, size_t *n, size_t *cap, const void *data, size_t len)
{
    if (*n + len > *cap) {
        while (*n + len > *cap)
            *cap *= 2;
        *buf = realloc(*buf, *cap);
        FUZZ_CHECK(*buf != NULL);
    }
    memcpy(*buf + *n, data, len);
    *n += len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const paths[] = {"/report", "/report", "/status", "/status/followup"};
    const char *path, *type, *text;
    char csrf[CSRF_TOKEN_SIZE], *body, *answer = NULL;
    size_t n = 0, cap = 256;
    int status, saving, is_status_route;

    if (size == 0)
        return 0;
    type = (data[0] & 1) ? "multipart/form-data; boundary=XX" : "application/x-www-form-urlencoded";
    path = paths[(data[0] >> 1) & 3];
    is_status_route = strncmp(path, "/status", 7) == 0;
    saving = strcmp(path, "/status") != 0;
    current_csrf(csrf);

    body = malloc(cap);
    FUZZ_CHECK(body != NULL);
    for (size_t i = 1; i < size; i++) {
        text = NULL;
        if (size - i >= 6 && memcmp(data + i, "@CSRF@", 6) == 0)
            text = csrf;
        else if (size - i >= 6 && memcmp(data + i, "@RCPT@", 6) == 0)
            text = w.receipt;
        if (text != NULL) {
            append(&body, &n, &cap, text, strlen(text));
            i += 5;
        } else {
            append(&body, &n, &cap, data + i, 1);
        }
    }

    status = post(path, type, body, n, &answer);
    if (!(status == 200 || status == 400 || status == 403 || status == 413 || status == 415 ||
          status == 503 || (status == 404 && is_status_route))) {
        fprintf(stderr, "POST %s (%s) got status %d; the answer began:\n%.600s\n", path, type,
                status, answer);
        fuzz_fail(__FILE__, __LINE__, "the intake gave a status it never means to give");
    }
    if (getenv("FUZZ_FORM_VERBOSE") != NULL)
        fprintf(stderr, "fuzz_form: POST %s (%s): %d\n", path, type, status);
    if (status == 200 && strcmp(path, "/report") == 0)
        FUZZ_CHECK(strstr(answer, "id=\"receipt\">") != NULL);
    free(answer);
    free(body);
    if (status == 200 && saving && ++w.saved >= w.reset_every) {
        close_world();
        open_world();
    }
    return 0;
}
