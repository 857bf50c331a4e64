/*
 * test_support.c: scratch folders, child processes and loopback HTTP for the tests.
 */
#define _GNU_SOURCE 1   /* nftw, vasprintf */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_support.h"

#include "pubkey.h"
#include "store-internal.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <pwd.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <sqlite3.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

void ts_tmpdir(char out[PATH_MAX])
{
    const char *base = getenv("TMPDIR");

    snprintf(out, PATH_MAX, "%s/sea-test-XXXXXX", base != NULL ? base : "/tmp");
    assert_non_null(mkdtemp(out));
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void ts_rmtree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *ts_path(char *out, const char *dir, const char *name)
{
    snprintf(out, PATH_MAX, "%s/%s", dir, name);
    return out;
}

void ts_write_file(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    assert_int_equal(close(fd), 0);
}

char *ts_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;

    if (f == NULL)
        return NULL;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap * 2 + 8192;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t got = fread(buf + n, 1, 4096, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}

int ts_file_mode(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

/* Gives path to nobody (see test_support.h). */
static void give_to_nobody(const char *path)
{
    struct passwd *pw = getpwnam("nobody");

    if (pw != NULL && chown(path, pw->pw_uid, pw->pw_gid) != 0)
        fprintf(stderr, "test: cannot give %s to nobody\n", path);
}

/* The folder where the casework runs of this test process keep their case indexes (created on
 * first use, removed at exit), so that no test writes into the home folder. */
static char state_dir[PATH_MAX];

static void remove_state_dir(void)
{
    ts_rmtree(state_dir);
}

const char *ts_state_dir(void)
{
    if (state_dir[0] == '\0') {
        ts_tmpdir(state_dir);
        atexit(remove_state_dir);
    }
    return state_dir;
}

/* 1 when argv starts the intake, directly or through a wrapper such as faketime. */
static int starts_intake(const char *const argv[])
{
    for (size_t i = 0; argv[i] != NULL; i++) {
        size_t len = strlen(argv[i]);
        if (len >= 7 && strcmp(argv[i] + len - 7, "/intake") == 0)
            return 1;
    }
    return 0;
}

static void exec_child(const char *const argv[], const char *const env[])
{
    const char *args[64];
    size_t n = 0;

    if (geteuid() == 0 && starts_intake(argv)) {
        for (; argv[n] != NULL && n < 60; n++) {
            args[n] = argv[n];
            if (n > 0 && (strcmp(argv[n - 1], "--db") == 0 || strcmp(argv[n - 1], "--spool-dir") == 0)) {
                char copy[PATH_MAX];
                snprintf(copy, sizeof copy, "%s", argv[n]);
                give_to_nobody(strcmp(argv[n - 1], "--db") == 0 ? dirname(copy) : argv[n]);
                if (strcmp(argv[n - 1], "--db") == 0 && access(argv[n], F_OK) == 0)
                    give_to_nobody(argv[n]);
            }
        }
        args[n++] = "--user";
        args[n++] = "nobody";
        args[n] = NULL;
        argv = args;
    }
    /* Tests say exactly which of the programs' variables are set. */
    if (state_dir[0] != '\0')
        setenv("CASEWORK_STATE_DIR", state_dir, 1);
    unsetenv("CASEWORK_DB");
    unsetenv("CASEWORK_KEY");
    unsetenv("CASEWORK_PASSPHRASE_FILE");
    unsetenv("CASEWORK_AUDITORS");
    unsetenv("CASEWORK_ORIGIN");
    if (env != NULL)
        for (size_t i = 0; env[i] != NULL; i++)
            putenv((char *)(uintptr_t)env[i]);
    execv(argv[0], (char *const *)(uintptr_t)argv);
    _exit(127);
}

static int decode_status(int st)
{
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return -1;
}

ts_result ts_run(const char *const argv[], const char *const env[])
{
    char dir[PATH_MAX], out_path[PATH_MAX], err_path[PATH_MAX];
    ts_result r;
    pid_t pid;
    int st;

    ts_state_dir();
    ts_tmpdir(dir);
    ts_path(out_path, dir, "stdout");
    ts_path(err_path, dir, "stderr");
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        setsid();
        dup2(in, 0);
        dup2(o, 1);
        dup2(e, 2);
        exec_child(argv, env);
    }
    assert_int_equal(waitpid(pid, &st, 0), pid);
    r.status = decode_status(st);
    r.out = ts_read_file(out_path, NULL);
    r.err = ts_read_file(err_path, NULL);
    assert_non_null(r.out);
    assert_non_null(r.err);
    ts_rmtree(dir);
    return r;
}

void ts_result_free(ts_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

void ts_expect(const char *const argv[], const char *const env[], int status,
               const char *out_has, const char *err_has)
{
    ts_result r = ts_run(argv, env);

    if (r.status != status)
        fail_msg("%s %s exited %d, expected %d; stderr: %s", argv[0], argv[1] ? argv[1] : "",
                 r.status, status, r.err);
    if (out_has != NULL && strstr(r.out, out_has) == NULL)
        fail_msg("stdout lacks \"%s\": %s", out_has, r.out);
    if (err_has != NULL && strstr(r.err, err_has) == NULL)
        fail_msg("stderr lacks \"%s\": %s", err_has, r.err);
    ts_result_free(&r);
}

void ts_expect_exactly(const char *const argv[], const char *const env[], int status, const char *out,
                       const char *err)
{
    ts_result r = ts_run(argv, env);

    assert_int_equal(r.status, status);
    assert_string_equal(r.out, out);
    assert_string_equal(r.err, err);
    ts_result_free(&r);
}

pid_t ts_spawn(const char *const argv[], const char *err_path)
{
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        setsid();
        dup2(in, 0);
        dup2(e, 1);
        dup2(e, 2);
        exec_child(argv, NULL);
    }
    return pid;
}

int ts_wait(pid_t pid, int timeout_ms)
{
    for (int waited = 0; waited <= timeout_ms; waited += 10) {
        int st;
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            return decode_status(st);
        usleep(10 * 1000);
    }
    return -1;
}

static int connect_from(int port, const char *source)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    if (fd >= 0 && source != NULL) {
        struct sockaddr_in src;
        memset(&src, 0, sizeof src);
        src.sin_family = AF_INET;
        inet_pton(AF_INET, source, &src.sin_addr);
        if (bind(fd, (struct sockaddr *)&src, sizeof src) != 0) {
            close(fd);
            return -1;
        }
    }
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
        return fd;
    if (fd >= 0)
        close(fd);
    return -1;
}

static int connect_loopback(int port)
{
    return connect_from(port, NULL);
}

int ts_free_port(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), port;

    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    port = ntohs(a.sin_port);
    close(fd);
    return port;
}

int ts_wait_port(int port, int timeout_ms)
{
    for (int waited = 0; waited <= timeout_ms; waited += 20) {
        int fd = connect_loopback(port);
        if (fd >= 0) {
            close(fd);
            return 0;
        }
        usleep(20 * 1000);
    }
    return -1;
}

char *ts_http(int port, const char *method, const char *path, const char *content_type,
              const char *body, int *status)
{
    ts_buf req = {0};
    size_t body_len = body != NULL ? strlen(body) : 0;
    char *answer;

    ts_buf_addf(&req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n%s%s%s"
                      "Content-Length: %zu\r\n\r\n",
                method, path, port, content_type ? "Content-Type: " : "",
                content_type ? content_type : "", content_type ? "\r\n" : "", body_len);
    ts_buf_add(&req, body != NULL ? body : "", body_len);
    answer = ts_http_raw(port, NULL, req.data, req.len, status);
    ts_buf_free(&req);
    return answer;
}

int ts_header(const char *answer, const char *name, char *out, size_t cap)
{
    size_t nlen = strlen(name);
    const char *end = strstr(answer, "\r\n\r\n");

    for (const char *p = strstr(answer, "\r\n"); p != NULL && p < end; p = strstr(p + 2, "\r\n")) {
        const char *line = p + 2;
        if (strncasecmp(line, name, nlen) == 0 && line[nlen] == ':') {
            const char *v = line + nlen + 1, *e = strstr(v, "\r\n");
            while (*v == ' ')
                v++;
            snprintf(out, cap, "%.*s", (int)(e - v), v);
            return 0;
        }
    }
    return -1;
}

int ts_contains(const void *hay, size_t len, const char *needle)
{
    size_t nlen = strlen(needle);

    if (nlen == 0 || nlen > len)
        return nlen == 0;
    for (size_t i = 0; i + nlen <= len; i++)
        if (memcmp((const char *)hay + i, needle, nlen) == 0)
            return 1;
    return 0;
}

int ts_count_lines(const char *text)
{
    int n = 0;

    for (; *text != '\0'; text++)
        n += *text == '\n';
    return n;
}

/* Reads the whole answer from fd, closes it, and parses the status. */
static char *read_answer(int fd, int *status)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);

    assert_non_null(buf);
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 20000) <= 0)
            break;
        if (n + 65536 + 1 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        ssize_t got = read(fd, buf + n, 65536);
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    buf[n] = '\0';
    if (sscanf(buf, "HTTP/1.%*d %d", status) != 1)
        *status = -1;
    return buf;
}

char *ts_http_raw(int port, const char *source, const void *request, size_t len, int *status)
{
    const char *p = request;
    int fd = connect_from(port, source);

    *status = -1;
    if (fd < 0) {
        char *empty = calloc(1, 1);
        assert_non_null(empty);
        return empty;
    }
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n <= 0)
            break;   /* the server may answer and close before reading everything */
        p += n;
        len -= (size_t)n;
    }
    return read_answer(fd, status);
}

void ts_buf_add(ts_buf *b, const void *data, size_t len)
{
    b->data = realloc(b->data, b->len + len + 1);
    assert_non_null(b->data);
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void ts_buf_addf(ts_buf *b, const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;
    int n;

    va_start(ap, fmt);
    n = vasprintf(&s, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    ts_buf_add(b, s, (size_t)n);
    free(s);
}

void ts_buf_free(ts_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
}

void ts_multipart_field(ts_buf *b, const char *name, const char *value)
{
    ts_buf_addf(b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n", TS_BOUNDARY, name);
    ts_buf_add(b, value, strlen(value));
    ts_buf_add(b, "\r\n", 2);
}

void ts_multipart_file(ts_buf *b, const char *name, const char *filename, const char *type,
                       const void *data, size_t len)
{
    ts_buf_addf(b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                   "Content-Type: %s\r\n\r\n", TS_BOUNDARY, name, filename, type);
    ts_buf_add(b, data, len);
    ts_buf_add(b, "\r\n", 2);
}

void ts_multipart_end(ts_buf *b)
{
    ts_buf_addf(b, "--%s--\r\n", TS_BOUNDARY);
}

void ts_urlencode_add(ts_buf *b, const char *name, const char *value)
{
    const char *parts[2] = {name, value};

    if (b->len > 0)
        ts_buf_add(b, "&", 1);
    for (int k = 0; k < 2; k++) {
        for (const unsigned char *p = (const unsigned char *)parts[k]; *p; p++) {
            if (isalnum(*p) || strchr("-_.~", *p))
                ts_buf_add(b, p, 1);
            else
                ts_buf_addf(b, "%%%02X", *p);
        }
        if (k == 0)
            ts_buf_add(b, "=", 1);
    }
}

char *ts_post(int port, const char *source, const char *path, const char *content_type,
              const ts_buf *body, const char *extra_headers, int *status)
{
    ts_buf req = {0};
    char *answer;

    ts_buf_addf(&req, "POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
                      "Content-Type: %s\r\nContent-Length: %zu\r\n%s\r\n",
                path, port, content_type, body->len, extra_headers ? extra_headers : "");
    ts_buf_add(&req, body->data ? body->data : "", body->len);
    answer = ts_http_raw(port, source, req.data, req.len, status);
    ts_buf_free(&req);
    return answer;
}

int ts_element_text(const char *html, const char *id, char *out, size_t cap)
{
    char attr[128];
    const char *p, *start, *end;

    snprintf(attr, sizeof attr, "id=\"%s\"", id);
    p = strstr(html, attr);
    if (p == NULL || (start = strchr(p, '>')) == NULL || (end = strchr(start, '<')) == NULL)
        return -1;
    start++;
    snprintf(out, cap, "%.*s", (int)(end - start), start);
    return 0;
}

int ts_count(const char *hay, const char *needle)
{
    int n = 0;

    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

int ts_hidden(const char *page, const char *name, char *out, size_t cap)
{
    char pattern[128];
    const char *v;

    snprintf(pattern, sizeof pattern, "type=\"hidden\" name=\"%s\" value=\"", name);
    if ((v = strstr(page, pattern)) == NULL)
        return -1;
    v += strlen(pattern);
    snprintf(out, cap, "%.*s", (int)strcspn(v, "\""), v);
    return 0;
}

void ts_csrf(int port, const char *path, char out[64])
{
    int status;
    char *page = ts_http(port, "GET", path, NULL, NULL, &status);
    const char *v = strstr(page, "name=\"csrf\" value=\"");

    assert_int_equal(status, 200);
    assert_non_null(v);
    v += strlen("name=\"csrf\" value=\"");
    snprintf(out, 64, "%.*s", (int)strcspn(v, "\""), v);
    free(page);
}

int ts_count_rows(const char *db_path, const char *table)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char sql[128];
    int n = -1;

    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

struct sqlite3 *ts_store_db(struct store *s)
{
    return s->db;
}

char *ts_status_request(int port, const char *receipt, int *status)
{
    ts_buf body = {0};
    char csrf[64];
    char *page;

    ts_csrf(port, "/status", csrf);
    ts_urlencode_add(&body, "csrf", csrf);
    ts_urlencode_add(&body, "receipt", receipt);
    page = ts_post(port, NULL, "/status", "application/x-www-form-urlencoded", &body, NULL, status);
    ts_buf_free(&body);
    return page;
}

char *ts_status_page(int port, const char *receipt)
{
    int status;
    char *page = ts_status_request(port, receipt, &status);

    if (status != 200)
        fail_msg("the status page answered %d for receipt %s", status, receipt);
    return page;
}

void ts_write_recipient(const char *path)
{
    unsigned char sk[64];
    char line[PUBKEY_LINE_MAX];
    pubkey pk;

    memset(&pk, 0, sizeof pk);
    crypto_box_keypair(pk.x25519, sk);
    crypto_sign_keypair(pk.ed25519, sk);
    sodium_memzero(sk, sizeof sk);
    pubkey_compute_id(PUBKEY_ROLE_CASEWORKER, pk.x25519, pk.ed25519, pk.key_id);
    snprintf(pk.name, sizeof pk.name, "alice");
    pubkey_format(&pk, line);
    ts_write_file(path, line, strlen(line));
}
