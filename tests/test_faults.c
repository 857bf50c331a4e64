/*
 * test_faults.c: the intake under the faults a reporting channel meets: killed with SIGKILL while
 * reporters file (every receipt shown still opens its case; the database is intact), hundreds of
 * idle and slow connections (a real reporter still files within seconds, memory stays bounded),
 * the intake and two caseworkers on one database at once (no lost update, no "database busy"),
 * and a damaged database (a clear error, nothing else). Figures are printed for
 * docs/robustness.md.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "keyfile.h"
#include "test_support.h"

static const keyfile_kdf_limits fast = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};

typedef struct fixture {
    char dir[PATH_MAX], db[PATH_MAX], recipients[PATH_MAX], log[PATH_MAX], key[2][PATH_MAX], pass[PATH_MAX];
    int port;
    pid_t pid;
} fixture;

static void start(fixture *f)
{
    char listen[32];
    const char *argv[] = {INTAKE_BIN, "--db", f->db, "--recipients", f->recipients, "--listen", listen, NULL};

    f->port = ts_free_port();
    snprintf(listen, sizeof listen, "127.0.0.1:%d", f->port);
    f->pid = ts_spawn(argv, f->log);
    assert_int_equal(ts_wait_port(f->port, 10000), 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char all[2 * PUBKEY_LINE_MAX] = "", line[PUBKEY_LINE_MAX], err[300];

    ts_tmpdir(f->dir);
    ts_path(f->db, f->dir, "reports.db");
    ts_path(f->log, f->dir, "intake.log");
    ts_write_file(ts_path(f->pass, f->dir, "pass"), "pw\n", 3);
    for (int i = 0; i < 2; i++) {
        caseworker_key *k = keyfile_generate(i ? "Bob Ng" : "Alice Martin", PUBKEY_ROLE_CASEWORKER);
        ts_path(f->key[i], f->dir, i ? "bob.key" : "alice.key");
        assert_int_equal(keyfile_write(f->key[i], k, "pw", 2, fast, err, sizeof err), 0);
        pubkey_format(&k->pub, line);
        strcat(all, line);
        keyfile_free(k);
    }
    ts_write_file(ts_path(f->recipients, f->dir, "recipients"), all, strlen(all));
    start(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    if (f->pid > 0) {
        kill(f->pid, SIGKILL);
        ts_wait(f->pid, 10000);
    }
    ts_rmtree(f->dir);
    free(f);
    return 0;
}

/* Files one report; returns 1 and its receipt when the receipt page came back. */
static int file_one(int port, const char *text, char receipt[64])
{
    ts_buf body = {0};
    char csrf[64];
    int status = -1, ok;
    char *page = ts_http(port, "GET", "/", NULL, NULL, &status);
    const char *v = status == 200 ? strstr(page, "name=\"csrf\" value=\"") : NULL;

    if (v == NULL) {
        free(page);
        return 0;
    }
    v += 19;
    snprintf(csrf, sizeof csrf, "%.*s", (int)strcspn(v, "\""), v);
    free(page);
    ts_urlencode_add(&body, "csrf", csrf);
    ts_urlencode_add(&body, "category", "harassment");
    ts_urlencode_add(&body, "description", text);
    page = ts_post(port, NULL, "/report", "application/x-www-form-urlencoded", &body, NULL, &status);
    ok = status == 200 && ts_element_text(page, "receipt", receipt, 64) == 0;
    free(page);
    ts_buf_free(&body);
    return ok;
}

static int status_of(int port, const char *receipt)
{
    int status;

    free(ts_status_request(port, receipt, &status));
    return status;
}

static void integrity_ok(const fixture *f)
{
    sqlite3 *db;
    sqlite3_stmt *st;

    assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_sigkill_while_filing_loses_no_acknowledged_report(void **state)
{
    fixture *f = *state;
    char receipts_path[PATH_MAX];
    pid_t clients[4];
    int acknowledged = 0, lost = 0;
    char *data, *line;

    ts_path(receipts_path, f->dir, "receipts");
    for (int c = 0; c < 4; c++) {
        clients[c] = fork();
        assert_true(clients[c] >= 0);
        if (clients[c] == 0) {
            /* Each client files reports until the intake dies, noting every receipt shown. */
            int out = open(receipts_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
            for (int i = 0; i < 1000; i++) {
                char receipt[64], text[64], rec[80];
                snprintf(text, sizeof text, "client %d report %d", c, i);
                if (!file_one(f->port, text, receipt))
                    break;
                snprintf(rec, sizeof rec, "%s\n", receipt);
                if (write(out, rec, strlen(rec)) < 0)
                    break;
            }
            _exit(0);
        }
    }
    usleep(1500 * 1000);
    assert_int_equal(kill(f->pid, SIGKILL), 0);
    assert_int_equal(ts_wait(f->pid, 10000), 128 + SIGKILL);
    for (int c = 0; c < 4; c++)
        ts_wait(clients[c], 20000);
    integrity_ok(f);
    start(f);
    data = ts_read_file(receipts_path, NULL);
    assert_non_null(data);
    for (line = strtok(data, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        acknowledged++;
        if (status_of(f->port, line) != 200)
            lost++;
    }
    free(data);
    printf("kill test: %d receipts shown before SIGKILL, %d lost after restart, %d cases stored\n",
           acknowledged, lost, ts_count_rows(f->db, "cases"));
    assert_true(acknowledged > 0);
    assert_int_equal(lost, 0);
    assert_true(ts_count_rows(f->db, "cases") >= acknowledged);
}

static long rss_kb(pid_t pid)
{
    char path[64], *status, *p;
    long kb = -1;

    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    status = ts_read_file(path, NULL);
    if (status != NULL && (p = strstr(status, "VmRSS:")) != NULL)
        kb = strtol(p + 6, NULL, 10);
    free(status);
    return kb;
}

static int connect_to(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void test_idle_and_slow_connections_do_not_stop_a_reporter(void **state)
{
    fixture *f = *state;
    enum { IDLE = 250, SLOW = 100 };
    int fds[IDLE + SLOW], opened = 0;
    struct timespec t0, t1;
    char receipt[64];
    long before = rss_kb(f->pid), during;
    double seconds;

    for (int i = 0; i < IDLE + SLOW; i++) {
        fds[i] = connect_to(f->port);
        if (fds[i] < 0)
            continue;
        opened++;
        if (i >= IDLE) {
            /* slowloris: a request that never ends, a byte at a time */
            const char *start = "POST /report HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
                                "Content-Type: application/x-www-form-urlencoded\r\n\r\ncsrf=";
            if (write(fds[i], start, strlen(start)) < 0)
                continue;
        }
    }
    usleep(300 * 1000);
    for (int i = IDLE; i < IDLE + SLOW; i++)
        if (fds[i] >= 0 && write(fds[i], "a", 1) < 0)
            continue;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_true(file_one(f->port, "a real reporter gets through", receipt));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    during = rss_kb(f->pid);
    printf("overload test: %d connections held open (%d idle, %d slow); a reporter filed in %.3f s; "
           "intake RSS %ld KiB before, %ld KiB during\n", opened, IDLE, SLOW, seconds, before, during);
    assert_true(seconds < 5.0);
    assert_true(during < 64 * 1024);
    for (int i = 0; i < IDLE + SLOW; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    assert_int_equal(status_of(f->port, receipt), 200);
}

static void test_the_intake_and_two_caseworkers_at_once_lose_nothing(void **state)
{
    fixture *f = *state;
    char first[64], ref[32] = "", env_db[PATH_MAX + 16], env_pass[PATH_MAX + 32], env_key[2][PATH_MAX + 16];
    pid_t reporters, workers[2];
    int rounds = 8;

    assert_true(file_one(f->port, "the case two caseworkers work on", first));
    {
        char *page = NULL;
        int status;
        ts_buf body = {0};
        char csrf[64];
        ts_csrf(f->port, "/status", csrf);
        ts_urlencode_add(&body, "csrf", csrf);
        ts_urlencode_add(&body, "receipt", first);
        page = ts_post(f->port, NULL, "/status", "application/x-www-form-urlencoded", &body, NULL, &status);
        assert_int_equal(ts_element_text(page, "case", ref, sizeof ref), 0);
        free(page);
        ts_buf_free(&body);
    }
    snprintf(env_db, sizeof env_db, "CASEWORK_DB=%s", f->db);
    snprintf(env_pass, sizeof env_pass, "CASEWORK_PASSPHRASE_FILE=%s", f->pass);
    reporters = fork();
    assert_true(reporters >= 0);
    if (reporters == 0) {
        int filed = 0;
        char receipt[64];
        for (int i = 0; i < 30; i++)
            filed += file_one(f->port, "filed while caseworkers work", receipt);
        _exit(filed == 30 ? 0 : 1);
    }
    for (int w = 0; w < 2; w++) {
        snprintf(env_key[w], sizeof env_key[w], "CASEWORK_KEY=%s", f->key[w]);
        workers[w] = fork();
        assert_true(workers[w] >= 0);
        if (workers[w] == 0) {
            const char *env[] = {env_db, env_pass, env_key[w], NULL};
            for (int i = 0; i < rounds; i++) {
                char text[64];
                snprintf(text, sizeof text, "caseworker %d note %d", w, i);
                const char *note[] = {CASEWORK_BIN, "note", ref, "-m", text, NULL};
                ts_result r = ts_run(note, env);
                if (r.status != 0) {
                    fprintf(stderr, "note failed: %s", r.err);
                    _exit(1);
                }
                ts_result_free(&r);
            }
            _exit(0);
        }
    }
    assert_int_equal(ts_wait(reporters, 60000), 0);
    assert_int_equal(ts_wait(workers[0], 60000), 0);
    assert_int_equal(ts_wait(workers[1], 60000), 0);
    assert_int_equal(ts_count_rows(f->db, "cases"), 31);
    {
        const char *env[] = {env_db, env_pass, env_key[0], NULL};
        const char *show[] = {CASEWORK_BIN, "show", ref, NULL};
        ts_result r = ts_run(show, env);
        assert_int_equal(r.status, 0);
        for (int w = 0; w < 2; w++)
            for (int i = 0; i < rounds; i++) {
                char text[64];
                snprintf(text, sizeof text, "caseworker %d note %d", w, i);
                assert_non_null(strstr(r.out, text));
            }
        ts_result_free(&r);
        const char *verify[] = {CASEWORK_BIN, "audit", "verify", NULL};
        ts_expect(verify, env, 0, "intact", NULL);
    }
    integrity_ok(f);
}

static void test_a_truncated_database_is_a_clear_error(void **state)
{
    fixture *f = *state;
    char env_db[PATH_MAX + 16], env_pass[PATH_MAX + 32], env_key[PATH_MAX + 16], receipt[64];
    const char *env[] = {env_db, env_pass, env_key, NULL};
    const char *list[] = {CASEWORK_BIN, "list", NULL};
    const char *argv[] = {INTAKE_BIN, "--db", f->db, "--recipients", f->recipients, "--listen", "127.0.0.1:1", NULL};
    char *data;
    size_t len;

    for (int i = 0; i < 5; i++)
        assert_true(file_one(f->port, "soon damaged", receipt));
    kill(f->pid, SIGTERM);
    assert_int_equal(ts_wait(f->pid, 10000), 0);
    f->pid = 0;
    data = ts_read_file(f->db, &len);
    assert_true(len > 8192);
    ts_write_file(f->db, data, len / 3);
    free(data);
    snprintf(env_db, sizeof env_db, "CASEWORK_DB=%s", f->db);
    snprintf(env_pass, sizeof env_pass, "CASEWORK_PASSPHRASE_FILE=%s", f->pass);
    snprintf(env_key, sizeof env_key, "CASEWORK_KEY=%s", f->key[0]);
    ts_expect(argv, NULL, 1, NULL, "damaged");
    ts_expect(list, env, 1, NULL, "damaged");
}

static void post_with_file(const fixture *f, size_t file_bytes, int expect)
{
    unsigned char *big = calloc(1, file_bytes);
    ts_buf b = {0};
    char csrf[64];
    int status;
    char *page;

    ts_csrf(f->port, "/", csrf);
    ts_multipart_field(&b, "csrf", csrf);
    ts_multipart_field(&b, "category", "bullying");
    ts_multipart_field(&b, "description", "my typed words");
    ts_multipart_file(&b, "attachment", "video.mp4", "video/mp4", big, file_bytes);
    ts_multipart_end(&b);
    page = ts_post(f->port, NULL, "/report", "multipart/form-data; boundary=" TS_BOUNDARY, &b, NULL, &status);
    if (status != expect)
        fail_msg("answered %d, expected %d", status, expect);
    if (expect == 503) {
        char value[16];
        assert_non_null(strstr(page, "my typed words"));
        assert_int_equal(ts_header(page, "Retry-After", value, sizeof value), 0);
    }
    free(page);
    ts_buf_free(&b);
    free(big);
}

static void restart(fixture *f, const char *opt, const char *value)
{
    char listen[32];
    const char *argv[] = {INTAKE_BIN, "--db", f->db, "--recipients", f->recipients, "--listen", listen,
                          opt, value, NULL};

    if (f->pid > 0) {
        kill(f->pid, SIGTERM);
        assert_int_equal(ts_wait(f->pid, 10000), 0);
    }
    f->port = ts_free_port();
    snprintf(listen, sizeof listen, "127.0.0.1:%d", f->port);
    f->pid = ts_spawn(argv, f->log);
    assert_int_equal(ts_wait_port(f->port, 10000), 0);
}

static void test_a_full_database_answers_503_keeps_the_text_and_recovers(void **state)
{
    fixture *f = *state;
    char receipt[64];

    assert_true(file_one(f->port, "before the disk filled", receipt));
    restart(f, "--max-db-mb", "1");   /* stands in for a disk with about 1 MiB left */
    post_with_file(f, 3 * 1024 * 1024, 503);
    assert_int_equal(ts_count_rows(f->db, "cases"), 1);
    assert_int_equal(ts_count_rows(f->db, "attachment_chunks"), 0);
    integrity_ok(f);
    assert_int_equal(status_of(f->port, receipt), 200);   /* what was there still opens */
    restart(f, "--max-db-mb", "100");                       /* space returns */
    post_with_file(f, 3 * 1024 * 1024, 200);
    assert_int_equal(ts_count_rows(f->db, "cases"), 2);
    integrity_ok(f);
}

/* The intake keeps room on the disk for casework: past its floor it refuses new reports (503,
 * the text kept) while caseworkers still read and answer. The floor stands in for a nearly full
 * disk: no free space this machine has is above it. */
static void test_the_free_space_floor_refuses_reports_but_casework_goes_on(void **state)
{
    fixture *f = *state;
    char receipt[64], ref[32], env_db[PATH_MAX + 16], env_pass[PATH_MAX + 32], env_key[PATH_MAX + 16];
    const char *env[] = {env_db, env_pass, env_key, NULL};
    const char *show[] = {CASEWORK_BIN, "show", ref, NULL};
    const char *reply[] = {CASEWORK_BIN, "reply", ref, "-m", "We read your report.", NULL};
    sqlite3 *db;
    sqlite3_stmt *st;
    char *page;
    int status;

    assert_true(file_one(f->port, "before the disk filled up", receipt));
    assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT ref FROM cases", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(ref, sizeof ref, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    restart(f, "--min-free-mb", "1073741824");
    post_with_file(f, 64 * 1024, 503);
    {
        ts_buf b = {0};
        char csrf[64];
        ts_csrf(f->port, "/", csrf);
        ts_urlencode_add(&b, "csrf", csrf);
        ts_urlencode_add(&b, "category", "other");
        ts_urlencode_add(&b, "description", "words typed at 2 a.m.");
        page = ts_post(f->port, NULL, "/report", "application/x-www-form-urlencoded", &b, NULL, &status);
        assert_int_equal(status, 503);
        assert_non_null(strstr(page, "words typed at 2 a.m."));
        free(page);
        ts_buf_free(&b);
    }
    assert_int_equal(ts_count_rows(f->db, "cases"), 1);
    snprintf(env_db, sizeof env_db, "CASEWORK_DB=%s", f->db);
    snprintf(env_pass, sizeof env_pass, "CASEWORK_PASSPHRASE_FILE=%s", f->pass);
    snprintf(env_key, sizeof env_key, "CASEWORK_KEY=%s", f->key[0]);
    ts_expect(show, env, 0, "before the disk filled up", NULL);
    ts_expect(reply, env, 0, NULL, NULL);
    page = ts_status_page(f->port, receipt);   /* the reporter still reads the answer */
    assert_non_null(strstr(page, "We read your report."));
    free(page);
    restart(f, "--min-free-mb", "0");
    post_with_file(f, 64 * 1024, 200);
}

static void test_a_full_spool_answers_503_and_keeps_the_text(void **state)
{
    fixture *f = *state;

    restart(f, "--spool-max-mb", "1");
    post_with_file(f, 2 * 1024 * 1024, 503);
    assert_int_equal(ts_count_rows(f->db, "cases"), 0);
    post_with_file(f, 512 * 1024, 200);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_sigkill_while_filing_loses_no_acknowledged_report),
        T(test_idle_and_slow_connections_do_not_stop_a_reporter),
        T(test_the_intake_and_two_caseworkers_at_once_lose_nothing),
        T(test_a_truncated_database_is_a_clear_error),
        T(test_a_full_database_answers_503_keeps_the_text_and_recovers),
        T(test_a_full_spool_answers_503_and_keeps_the_text),
        T(test_the_free_space_floor_refuses_reports_but_casework_goes_on),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
