/*
 * test_support.c: scratch folders, child processes and loopback HTTP for the tests.
 */
#define _XOPEN_SOURCE 700   /* nftw */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_support.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
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

static void exec_child(const char *const argv[], const char *const env[])
{
    /* Tests say exactly which of the programs' variables are set. */
    unsetenv("CASEWORK_DB");
    unsetenv("CASEWORK_KEY");
    unsetenv("CASEWORK_PASSPHRASE_FILE");
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

static int connect_loopback(int port)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

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
    char head[1024];
    size_t body_len = body != NULL ? strlen(body) : 0, cap = 65536, n = 0;
    char *buf = malloc(cap);
    int fd = connect_loopback(port);

    *status = -1;
    assert_non_null(buf);
    buf[0] = '\0';
    if (fd < 0)
        return buf;
    snprintf(head, sizeof head,
             "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n%s%s%s"
             "Content-Length: %zu\r\n\r\n",
             method, path, port, content_type ? "Content-Type: " : "",
             content_type ? content_type : "", content_type ? "\r\n" : "", body_len);
    if (write(fd, head, strlen(head)) < 0 || (body_len > 0 && write(fd, body, body_len) < 0)) {
        close(fd);
        return buf;
    }
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 10000) <= 0)
            break;
        if (n + 4096 + 1 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        ssize_t got = read(fd, buf + n, 4096);
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
