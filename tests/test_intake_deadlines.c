/*
 * test_intake_deadlines.c: slow clients cost bounded time. The real intake runs with short
 * deadlines (headers within 2 s; a body at 1 KiB/s or more over every 2 s window); a client
 * that sends its headers one byte at a time, one that sends a burst of its upload and then
 * trickles, and a GET that announces a body and trickles it, are each cut off although neither is ever idle for libmicrohttpd's own timeout,
 * while an honest client is served meanwhile and nothing is stored.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "test_support.h"

typedef struct fixture {
    char dir[PATH_MAX], db[PATH_MAX], recipients[PATH_MAX], log[PATH_MAX];
    int port;
    pid_t intake;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char listen[32];
    const char *argv[] = {INTAKE_BIN, "--db", f->db, "--recipients", f->recipients, "--listen", listen,
                          "--header-seconds", "2", "--min-upload-rate", "1024", "--rate-window-seconds", "2", NULL};

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

    kill(f->intake, SIGTERM);
    assert_int_equal(ts_wait(f->intake, 10000), 0);
    ts_rmtree(f->dir);
    free(f);
    return 0;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static int connect_to(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    assert_true(fd >= 0);
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

/* Sends start at once, then one byte of drip every 300 ms, until the server closes the
 * connection (or limit seconds pass); returns the seconds it took, from the first byte. */
static double trickle_until_cut(int port, const void *start, size_t start_len, double limit)
{
    struct timespec t0;
    int fd = connect_to(port);
    char buf[4096];

    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(send(fd, start, start_len, MSG_NOSIGNAL), (ssize_t)start_len);
    while (seconds_since(&t0) < limit) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 300) > 0) {
            ssize_t got = recv(fd, buf, sizeof buf, 0);
            if (got <= 0)
                break;   /* closed: cut */
            continue;    /* an answer: read on until the close */
        }
        if (send(fd, "a", 1, MSG_NOSIGNAL) != 1)
            break;
    }
    close(fd);
    return seconds_since(&t0);
}

static void test_headers_sent_a_byte_at_a_time_are_cut_at_their_deadline(void **state)
{
    fixture *f = *state;
    static const char start[] = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    double took = trickle_until_cut(f->port, start, strlen(start), 20);
    int status;
    char *page;

    if (took < 1.5 || took > 6)
        fail_msg("a client sending its headers a byte at a time was cut after %.1f s (deadline 2 s)", took);
    page = ts_http(f->port, "GET", "/", NULL, NULL, &status);   /* an honest client is served */
    assert_int_equal(status, 200);
    free(page);
}

static void test_an_upload_that_trickles_after_a_burst_is_cut_and_stores_nothing(void **state)
{
    fixture *f = *state;
    size_t burst = 200 * 1024, len;
    char head[512], *start;
    double took;

    snprintf(head, sizeof head,
             "POST /report HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=" TS_BOUNDARY
             "\r\nContent-Length: %d\r\n\r\n--" TS_BOUNDARY "\r\nContent-Disposition: form-data; name=\"attachment\"; "
             "filename=\"a.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n", 1024 * 1024);
    len = strlen(head) + burst;
    start = malloc(len);
    assert_non_null(start);
    memcpy(start, head, strlen(head));
    memset(start + strlen(head), 'x', burst);
    took = trickle_until_cut(f->port, start, len, 30);
    free(start);
    /* the burst meets the first window; the trickle fails the next */
    if (took < 1.5 || took > 9)
        fail_msg("an upload trickling at 3 bytes/s after its burst was cut after %.1f s (windows of 2 s)", took);
    assert_int_equal(ts_count_rows(f->db, "cases"), 0);
    assert_int_equal(ts_count_rows(f->db, "attachments"), 0);
}

/* A GET that announces a body and trickles it is held to the body's deadlines as a form is. */
static void test_a_get_with_a_trickling_body_is_cut_too(void **state)
{
    fixture *f = *state;
    static const char start[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n";
    double took = trickle_until_cut(f->port, start, strlen(start), 20);

    if (took < 1.5 || took > 9)
        fail_msg("a GET trickling its body at 3 bytes/s was cut after %.1f s (windows of 2 s)", took);
}

static void test_a_steady_upload_is_not_cut(void **state)
{
    fixture *f = *state;
    static const char head[] = "POST /status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                               "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 4800\r\n\r\n";
    struct timespec t0;
    int fd = connect_to(f->port);
    char body[600], answer[4096];
    ssize_t got;

    /* 4,800 bytes over about 3.2 s: about 1,500 bytes/s, above the floor of 1,024 */
    memset(body, 'x', sizeof body);
    memcpy(body, "receipt=", 8);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(send(fd, head, strlen(head), MSG_NOSIGNAL), (ssize_t)strlen(head));
    for (int i = 0; i < 8; i++) {
        assert_int_equal(send(fd, body, sizeof body, MSG_NOSIGNAL), (ssize_t)sizeof body);
        memset(body, 'x', 8);
        usleep(400 * 1000);
    }
    got = recv(fd, answer, sizeof answer - 1, 0);
    close(fd);
    assert_true(got > 0);
    answer[got] = '\0';
    assert_non_null(strstr(answer, "HTTP/1.1 4"));   /* answered (a bad receipt), not cut */
    assert_true(seconds_since(&t0) > 3);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_headers_sent_a_byte_at_a_time_are_cut_at_their_deadline),
        T(test_an_upload_that_trickles_after_a_burst_is_cut_and_stores_nothing),
        T(test_a_get_with_a_trickling_body_is_cut_too),
        T(test_a_steady_upload_is_not_cut),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
