/*
 * test_intake_load.c: the real intake under load it must stand. Clients that keep their
 * connections alive and post report after report while the intake is told to stop, and one whose
 * report is still arriving when the grace ends: it stops cleanly (exit 0, no crash), and every
 * report answered 200 is in the database. A flood of
 * /healthz requests beside honest reporters: every report is still saved (the probe runs once a
 * second at most, whatever the number of requests).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_support.h"

#define CLIENTS 8

typedef struct fixture {
    char dir[PATH_MAX], db[PATH_MAX], recipients[PATH_MAX], log[PATH_MAX];
    int port;
    pid_t intake;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char listen[32];
    const char *argv[] = {INTAKE_BIN, "--db", f->db, "--recipients", f->recipients, "--listen", listen, NULL};

    ts_tmpdir(f->dir);
    ts_path(f->db, f->dir, "reports.db");
    ts_write_recipient(ts_path(f->recipients, f->dir, "recipients"));
    f->port = ts_free_port();
    snprintf(listen, sizeof listen, "127.0.0.1:%d", f->port);
    f->intake = ts_spawn(argv, ts_path(f->log, f->dir, "intake.log"));
    assert_int_equal(ts_wait_port(f->port, 10000), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    if (f->intake > 0) {
        kill(f->intake, SIGKILL);
        ts_wait(f->intake, 10000);
    }
    ts_rmtree(f->dir);
    free(f);
    return 0;
}

static int connect_to(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads one answer on a kept-alive connection; returns its status, or -1 when it closed. */
static int read_answer(int fd)
{
    char buf[65536];
    size_t have = 0;
    char *end, *length;
    long body;

    for (;;) {
        ssize_t got = recv(fd, buf + have, sizeof buf - 1 - have, 0);
        if (got <= 0)
            return -1;
        have += (size_t)got;
        buf[have] = '\0';
        if ((end = strstr(buf, "\r\n\r\n")) != NULL)
            break;
        if (have == sizeof buf - 1)
            return -1;
    }
    length = strstr(buf, "Content-Length: ");
    body = length != NULL && length < end ? strtol(length + 16, NULL, 10) : 0;
    for (size_t want = (size_t)(end + 4 - buf) + (size_t)body; have < want;) {
        char rest[65536];
        ssize_t got = recv(fd, rest, sizeof rest < want - have ? sizeof rest : want - have, 0);
        if (got <= 0)
            return -1;
        have += (size_t)got;
    }
    return atoi(buf + 9);
}

/* A client that posts reports on one kept-alive connection (opened again when closed) until
 * the intake stops answering; writes to count_path how many were answered 200. */
static void keep_posting(int port, const char *csrf, const char *count_path)
{
    char body[512], request[1024];
    int ok = 0, fd = -1, failures = 0;

    snprintf(body, sizeof body, "csrf=%s&category=harassment&description=%s", csrf,
             "a report sent again and again on one connection");
    snprintf(request, sizeof request,
             "POST /report HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
             "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
    while (failures < 20) {
        int status;
        if (fd < 0 && (fd = connect_to(port)) < 0) {
            failures++;
            usleep(50 * 1000);
            continue;
        }
        if (send(fd, request, strlen(request), MSG_NOSIGNAL) != (ssize_t)strlen(request) ||
            (status = read_answer(fd)) < 0) {
            close(fd);
            fd = -1;
            failures++;
            continue;
        }
        ok += status == 200;
    }
    {
        char text[32];
        snprintf(text, sizeof text, "%d", ok);
        ts_write_file(count_path, text, strlen(text));
    }
    _exit(0);
}

/* A report whose body arrives at about 2 KiB/s (above the intake's floor) for about 4 s: still
 * in flight when a 2 s grace ends. */
static void post_slowly(int port, const char *csrf)
{
    char body[8192], head[512];
    int fd = connect_to(port);
    size_t at;

    if (fd < 0)
        _exit(1);
    memset(body, 'x', sizeof body);
    at = (size_t)snprintf(body, sizeof body, "csrf=%s&category=other&description=", csrf);
    body[at] = 'x';
    snprintf(head, sizeof head, "POST /report HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                "Content-Length: %zu\r\n\r\n", sizeof body);
    if (send(fd, head, strlen(head), MSG_NOSIGNAL) < 0)
        _exit(1);
    for (size_t sent = 0; sent < sizeof body; sent += 512) {
        if (send(fd, body + sent, 512, MSG_NOSIGNAL) != 512)
            _exit(0);   /* closed by the stopping intake: fine */
        usleep(250 * 1000);
    }
    read_answer(fd);   /* a 503 (too late to be saved), or the connection closed */
    _exit(0);
}

static void restart_with_grace(fixture *f, const char *grace)
{
    char listen[32];
    const char *argv[] = {INTAKE_BIN, "--db", f->db, "--recipients", f->recipients, "--listen", listen,
                          "--grace-seconds", grace, NULL};

    kill(f->intake, SIGTERM);
    assert_int_equal(ts_wait(f->intake, 10000), 0);
    f->port = ts_free_port();
    snprintf(listen, sizeof listen, "127.0.0.1:%d", f->port);
    f->intake = ts_spawn(argv, f->log);
    assert_int_equal(ts_wait_port(f->port, 10000), 0);
}

static void test_stopping_under_keep_alive_load_loses_nothing_and_exits_cleanly(void **state)
{
    fixture *f = *state;
    pid_t clients[CLIENTS], slow;
    char csrf[64];
    int answered = 0, status;

    restart_with_grace(f, "2");
    ts_csrf(f->port, "/", csrf);
    slow = fork();
    assert_true(slow >= 0);
    if (slow == 0)
        post_slowly(f->port, csrf);
    for (int i = 0; i < CLIENTS; i++) {
        clients[i] = fork();
        assert_true(clients[i] >= 0);
        if (clients[i] == 0) {
            char name[32], path[PATH_MAX];
            snprintf(name, sizeof name, "count-%d", i);
            keep_posting(f->port, csrf, ts_path(path, f->dir, name));
        }
    }
    usleep(700 * 1000);
    kill(f->intake, SIGTERM);
    /* exit 0: it stopped, and did not crash when the slow report came in past the grace */
    assert_int_equal(ts_wait(f->intake, 40000), 0);
    f->intake = 0;
    assert_int_equal(waitpid(slow, &status, 0), slow);
    for (int i = 0; i < CLIENTS; i++) {
        char name[32], path[PATH_MAX], *count;
        assert_int_equal(waitpid(clients[i], &status, 0), clients[i]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        snprintf(name, sizeof name, "count-%d", i);
        count = ts_read_file(ts_path(path, f->dir, name), NULL);
        assert_non_null(count);
        answered += atoi(count);
        free(count);
    }
    assert_true(answered > 0);
    /* every receipt shown is a report stored (some may be stored whose answer was not read) */
    assert_true(ts_count_rows(f->db, "cases") >= answered);
}

static void test_a_healthz_flood_does_not_starve_reporters(void **state)
{
    fixture *f = *state;
    pid_t flood[4];
    char receipt[64], csrf[64];

    for (int i = 0; i < 4; i++) {
        flood[i] = fork();
        assert_true(flood[i] >= 0);
        if (flood[i] == 0) {
            for (int n = 0; n < 300; n++) {
                int status;
                free(ts_http(f->port, "GET", "/healthz", NULL, NULL, &status));
                if (status != 200)
                    _exit(1);
            }
            _exit(0);
        }
    }
    ts_csrf(f->port, "/", csrf);
    for (int n = 0; n < 30; n++) {
        ts_buf b = {0};
        int status;
        char *page;
        ts_urlencode_add(&b, "csrf", csrf);
        ts_urlencode_add(&b, "category", "bullying");
        ts_urlencode_add(&b, "description", "filed while /healthz is asked again and again");
        page = ts_post(f->port, NULL, "/report", "application/x-www-form-urlencoded", &b, NULL, &status);
        assert_int_equal(status, 200);
        assert_int_equal(ts_element_text(page, "receipt", receipt, sizeof receipt), 0);
        free(page);
        ts_buf_free(&b);
    }
    for (int i = 0; i < 4; i++) {
        int status;
        assert_int_equal(waitpid(flood[i], &status, 0), flood[i]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);   /* every /healthz said ok */
    }
    assert_int_equal(ts_count_rows(f->db, "cases"), 30);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_stopping_under_keep_alive_load_loses_nothing_and_exits_cleanly),
        T(test_a_healthz_flood_does_not_starve_reporters),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
