/*
 * test_intake_start.c: starting and stopping the real intake binary on a loopback port: its
 * options, a bad recipients file or one of auditors only, /healthz with the security headers, a
 * clean exit on SIGTERM.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pubkey.h"
#include "test_support.h"

typedef struct fixture {
    char dir[PATH_MAX];
    char db[PATH_MAX];
    char recipients[PATH_MAX];
    char log[PATH_MAX];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);

    ts_tmpdir(f->dir);
    ts_path(f->db, f->dir, "reports.db");
    ts_path(f->log, f->dir, "intake.log");
    ts_write_recipient(ts_path(f->recipients, f->dir, "recipients"));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    ts_rmtree(f->dir);
    free(f);
    return 0;
}

static void test_serves_healthz_with_security_headers_and_stops_on_sigterm(void **state)
{
    fixture *f = *state;
    int port = ts_free_port(), status;
    char listen[32], value[512];
    const char *argv[] = {INTAKE_BIN, "--db", f->db, "--recipients", f->recipients, "--listen", listen, NULL};
    pid_t pid;
    char *answer, *log;

    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    pid = ts_spawn(argv, f->log);
    assert_int_equal(ts_wait_port(port, 10000), 0);

    answer = ts_http(port, "GET", "/healthz", NULL, NULL, &status);
    assert_int_equal(status, 200);
    assert_int_equal(ts_header(answer, "Content-Security-Policy", value, sizeof value), 0);
    assert_int_equal(strncmp(value, "default-src 'none'", 18), 0);
    assert_non_null(strstr(value, "frame-ancestors 'none'"));
    assert_non_null(strstr(value, "form-action 'self'"));
    assert_int_equal(ts_header(answer, "Referrer-Policy", value, sizeof value), 0);
    assert_string_equal(value, "no-referrer");
    assert_int_equal(ts_header(answer, "X-Content-Type-Options", value, sizeof value), 0);
    assert_string_equal(value, "nosniff");
    assert_int_equal(ts_header(answer, "Cache-Control", value, sizeof value), 0);
    assert_string_equal(value, "no-store");
    assert_int_equal(ts_header(answer, "Cross-Origin-Opener-Policy", value, sizeof value), 0);
    assert_int_equal(ts_header(answer, "Cross-Origin-Resource-Policy", value, sizeof value), 0);
    assert_int_equal(ts_header(answer, "Permissions-Policy", value, sizeof value), 0);
    assert_int_not_equal(ts_header(answer, "Server", value, sizeof value), 0);
    free(answer);

    /* Errors carry the headers too. */
    answer = ts_http(port, "GET", "/no-such-page", NULL, NULL, &status);
    assert_int_equal(status, 404);
    assert_int_equal(ts_header(answer, "Content-Security-Policy", value, sizeof value), 0);
    free(answer);
    answer = ts_http(port, "POST", "/healthz", "text/plain", "x", &status);
    assert_int_equal(status, 405);
    free(answer);

    assert_int_equal(kill(pid, SIGTERM), 0);
    assert_int_equal(ts_wait(pid, 10000), 0);
    assert_int_equal(ts_file_mode(f->db), 0600);
    /* It said it started and stopped, and nothing about its clients. */
    log = ts_read_file(f->log, NULL);
    assert_non_null(strstr(log, "intake: listening on http://127.0.0.1:"));
    assert_non_null(strstr(log, "intake: stopping"));
    assert_non_null(strstr(log, "intake: stopped; 0 report(s) and 0 follow-up(s) saved, 2 request(s) refused"));
    assert_int_equal(ts_count_lines(log), 3);
    free(log);
}

static void test_refuses_a_malformed_recipients_file_naming_the_line(void **state)
{
    fixture *f = *state;
    const char *argv[] = {INTAKE_BIN, "--db", f->db, "--recipients", f->recipients, "--listen", "127.0.0.1:1", NULL};
    ts_result r;

    ts_write_file(f->recipients, "# team\ncwpub1 broken line\n", 26);
    r = ts_run(argv, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "line 2"));
    assert_int_equal(ts_file_mode(f->db), -1);
    ts_result_free(&r);
}

/* Auditors' lines are skipped, so a file of auditors only lists no recipient at all. */
static void test_refuses_a_recipients_file_with_only_an_auditor(void **state)
{
    fixture *f = *state;
    const char *argv[] = {INTAKE_BIN, "--db", f->db, "--recipients", f->recipients, "--listen", "127.0.0.1:1", NULL};
    pubkey pk;
    unsigned char sk[64];
    char line[PUBKEY_LINE_MAX + 32];
    ts_result r;

    memset(&pk, 0, sizeof pk);
    crypto_box_keypair(pk.x25519, sk);
    crypto_sign_keypair(pk.ed25519, sk);
    pk.role = PUBKEY_ROLE_AUDITOR;
    pubkey_compute_id(PUBKEY_ROLE_AUDITOR, pk.x25519, pk.ed25519, pk.key_id);
    snprintf(pk.name, sizeof pk.name, "ines");
    strcpy(line, "# the auditor\n");
    pubkey_format(&pk, line + strlen(line));
    ts_write_file(f->recipients, line, strlen(line));
    r = ts_run(argv, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, f->recipients));
    assert_non_null(strstr(r.err, "lists no caseworker key (add a caseworker's .pub line"));
    assert_int_equal(ts_count_lines(r.err), 1);
    assert_int_equal(ts_file_mode(f->db), -1);
    ts_result_free(&r);
}

static void test_usage_errors_exit_2(void **state)
{
    fixture *f = *state;
    const char *no_db[] = {INTAKE_BIN, "--recipients", f->recipients, NULL};
    const char *bad_listen[] = {INTAKE_BIN, "--db", f->db, "--recipients", f->recipients, "--listen", "localhost", NULL};
    const char *half_tls[] = {INTAKE_BIN, "--db", f->db, "--recipients", f->recipients, "--tls-cert", "c.pem", NULL};
    const char *help[] = {INTAKE_BIN, "--help", NULL};

    ts_expect(no_db, NULL, 2, NULL, "--db and --recipients are required");
    ts_expect(bad_listen, NULL, 2, NULL, "ADDR:PORT");
    ts_expect(half_tls, NULL, 2, NULL, "go together");
    ts_expect(help, NULL, 0, "--recipients", NULL);
}

/* --version: one line, the project's version, on stdout; exit 0; nothing else is needed. */
static void test_version_prints_one_line_and_exits_0(void **state)
{
    const char *version[] = {INTAKE_BIN, "--version", NULL};
    const char *help[] = {INTAKE_BIN, "--help", NULL};

    (void)state;
    ts_expect_exactly(version, NULL, 0, "intake " SEA_VERSION "\n", "");
    ts_expect(help, NULL, 0, "--version", NULL);
}

static void test_a_port_in_use_is_a_clear_error(void **state)
{
    fixture *f = *state;
    int port = ts_free_port();
    char listen[32], log2[PATH_MAX];
    const char *argv[] = {INTAKE_BIN, "--db", f->db, "--recipients", f->recipients, "--listen", listen, NULL};
    pid_t first;
    ts_result r;

    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    first = ts_spawn(argv, ts_path(log2, f->dir, "first.log"));
    assert_int_equal(ts_wait_port(port, 10000), 0);
    r = ts_run(argv, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "cannot listen"));
    ts_result_free(&r);
    kill(first, SIGINT);
    assert_int_equal(ts_wait(first, 10000), 0);
}

/* 1 when openssl s_client completes a handshake with the intake on port, with version (an
 * s_client flag such as -tls1_2) and, when not NULL, only the cipher suites ciphers. */
static int tls_handshake(int port, const char *version, const char *ciphers)
{
    char connect[32];
    const char *argv[] = {"/usr/bin/openssl", "s_client", "-connect", connect, version,
                          ciphers != NULL ? "-cipher" : NULL, ciphers, NULL};
    ts_result r;
    int ok;

    snprintf(connect, sizeof connect, "127.0.0.1:%d", port);
    r = ts_run(argv, NULL);   /* stdin is empty: it closes once the handshake is done */
    ok = strstr(r.out, "Cipher is ") != NULL && strstr(r.out, "Cipher is (NONE)") == NULL;
    ts_result_free(&r);
    return ok;
}

static void test_serves_https_with_the_given_certificate(void **state)
{
    fixture *f = *state;
    int port = ts_free_port();
    char listen[32], cert[PATH_MAX], key[PATH_MAX], url[64], log2[PATH_MAX];
    /* an RSA key, so that static RSA key exchange could be offered at all */
    const char *mk[] = {"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert, NULL};
    const char *argv[] = {INTAKE_BIN, "--db", f->db, "--recipients", f->recipients, "--listen", listen,
                          "--tls-cert", cert, "--tls-key", key, NULL};
    const char *get[] = {"/usr/bin/curl", "-sk", "-D", "-", url, NULL};
    const char *plain[] = {"/usr/bin/curl", "-s", "-o", "/dev/null", "--max-time", "3",
                           "-w", "%{http_code}", url + 1, NULL};
    pid_t pid;
    ts_result r;

    ts_path(cert, f->dir, "cert.pem");
    ts_path(key, f->dir, "key.pem");
    r = ts_run(mk, NULL);
    assert_int_equal(r.status, 0);
    ts_result_free(&r);
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    snprintf(url, sizeof url, "https://127.0.0.1:%d/healthz", port);
    pid = ts_spawn(argv, ts_path(log2, f->dir, "tls.log"));
    assert_int_equal(ts_wait_port(port, 10000), 0);
    r = ts_run(get, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "HTTP/1.1 200"));
    assert_non_null(strstr(r.out, "Content-Security-Policy: default-src 'none'"));
    ts_result_free(&r);
    /* TLS 1.2 with ECDHE and an AEAD cipher, and TLS 1.3, are spoken; TLS 1.1, static RSA key
     * exchange, finite-field DHE and CBC ciphers are not (the client is told to allow them). */
    assert_true(tls_handshake(port, "-tls1_2", "ECDHE-RSA-AES128-GCM-SHA256"));
    assert_true(tls_handshake(port, "-tls1_3", NULL));
    assert_false(tls_handshake(port, "-tls1_1", "DEFAULT:@SECLEVEL=0"));
    assert_false(tls_handshake(port, "-tls1_2", "AES128-GCM-SHA256:@SECLEVEL=0"));
    assert_false(tls_handshake(port, "-tls1_2", "DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0"));
    assert_false(tls_handshake(port, "-tls1_2", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0"));
    /* Plain HTTP to the TLS port gets no page. */
    memcpy(url + 1, "http", 4);
    r = ts_run(plain, NULL);
    assert_null(strstr(r.out, "200"));
    ts_result_free(&r);
    kill(pid, SIGTERM);
    assert_int_equal(ts_wait(pid, 10000), 0);
}

static void test_a_missing_certificate_is_a_clear_error(void **state)
{
    fixture *f = *state;
    const char *argv[] = {INTAKE_BIN, "--db", f->db, "--recipients", f->recipients, "--listen", "127.0.0.1:1",
                          "--tls-cert", "/nonexistent/cert.pem", "--tls-key", "/nonexistent/key.pem", NULL};

    ts_expect(argv, NULL, 1, NULL, "cannot read the TLS certificate");
}


/* The organisation profile: the sample loads and is shown; a profile missing a required key,
 * with text that is not UTF-8, or with too many items, stops the start with the key named. */
static void test_the_organisation_profile_is_checked_at_start(void **state)
{
    fixture *f = *state;
    char profile[PATH_MAX], listen[32];
    const char *bad[] = {INTAKE_BIN, "--db", f->db, "--recipients", f->recipients, "--listen", "127.0.0.1:1",
                         "--profile", profile, NULL};
    const char *missing[] = {INTAKE_BIN, "--db", f->db, "--recipients", f->recipients, "--listen", "127.0.0.1:1",
                             "--profile", "/nonexistent/organisation.ini", NULL};
    const char *sample[] = {INTAKE_BIN, "--db", f->db, "--recipients", f->recipients, "--listen", listen,
                            "--profile", SAMPLE_PROFILE, NULL};
    static const char no_timeline[] = "[Organisation]\nName=Office\n";
    static const char not_utf8[] = "[Organisation]\nName=Off\xff\xfeice\nTimeline=7 days\n";
    static const char too_many[] = "[Organisation]\nName=O\nTimeline=T\nSupport=1;2;3;4;5;6;7;8;9\n";
    static const char no_group[] = "[Other]\nName=O\n";
    static const char bad_translation[] = "[Organisation]\nName=O\nTimeline=T\nRetention=Kept\nRetention[fr]=Gard\xe9\n";
    static const char bad_list[] = "[Organisation]\nName=O\nTimeline=T\nSupport=a;b\nSupport[fr]=ok;\xff\xfe\n";
    char *page;
    int status;
    pid_t pid;

    ts_path(profile, f->dir, "organisation.ini");
    ts_write_file(profile, no_timeline, sizeof no_timeline - 1);
    ts_expect(bad, NULL, 1, NULL, "needs Timeline=");
    ts_write_file(profile, not_utf8, sizeof not_utf8 - 1);
    ts_expect(bad, NULL, 1, NULL, "organisation.ini");
    ts_write_file(profile, bad_translation, sizeof bad_translation - 1);
    ts_expect(bad, NULL, 1, NULL, "Retention[fr] is not UTF-8");   /* never the English instead */
    ts_write_file(profile, bad_list, sizeof bad_list - 1);
    ts_expect(bad, NULL, 1, NULL, "Support[fr] is not UTF-8");
    ts_write_file(profile, too_many, sizeof too_many - 1);
    ts_expect(bad, NULL, 1, NULL, "at most 8");
    ts_write_file(profile, no_group, sizeof no_group - 1);
    ts_expect(bad, NULL, 1, NULL, "no [Organisation] group");
    ts_expect(missing, NULL, 1, NULL, "/nonexistent/organisation.ini");
    assert_int_equal(ts_file_mode(f->db), -1);   /* refused before anything was created */
    /* the sample the demo uses loads, and the form shows it, in each language */
    {
        int port = ts_free_port();
        char log[PATH_MAX];
        snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
        pid = ts_spawn(sample, ts_path(log, f->dir, "profile.log"));
        assert_int_equal(ts_wait_port(port, 10000), 0);
        page = ts_http(port, "GET", "/?lang=en", NULL, NULL, &status);
        assert_int_equal(status, 200);
        assert_non_null(strstr(page, "Office of Ethics and Conduct"));
        assert_non_null(strstr(page, "within 7 days"));
        assert_non_null(strstr(page, "Psychological support"));
        free(page);
        page = ts_http(port, "GET", "/?lang=fr", NULL, NULL, &status);
        assert_non_null(strstr(page, "Bureau de l"));
        assert_non_null(strstr(page, "Soutien psychologique"));
        free(page);
        kill(pid, SIGTERM);
        assert_int_equal(ts_wait(pid, 10000), 0);
    }
}

/* Under a small limit on open files (two per connection and one per attachment being received
 * are needed), the intake serves fewer connections and says so; under a tiny one it refuses to
 * start, saying what to raise. */
static void test_too_few_open_files_is_said(void **state)
{
    fixture *f = *state;
    char listen[32], log2[PATH_MAX];
    const char *tiny[] = {"/bin/sh", "-c", "ulimit -n 100 && exec \"$0\" \"$@\"", INTAKE_BIN, "--db", f->db,
                          "--recipients", f->recipients, "--listen", "127.0.0.1:1", NULL};
    const char *small[] = {"/bin/sh", "-c", "ulimit -n 300 && exec \"$0\" \"$@\"", INTAKE_BIN, "--db", f->db,
                           "--recipients", f->recipients, "--listen", listen, NULL};
    int port = ts_free_port(), status;
    char *log, *answer;
    pid_t pid;

    ts_expect(tiny, NULL, 1, NULL, "only 100 open files allowed");
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    pid = ts_spawn(small, ts_path(log2, f->dir, "small.log"));
    assert_int_equal(ts_wait_port(port, 10000), 0);
    answer = ts_http(port, "GET", "/healthz", NULL, NULL, &status);
    assert_int_equal(status, 200);
    free(answer);
    kill(pid, SIGTERM);
    assert_int_equal(ts_wait(pid, 10000), 0);
    log = ts_read_file(log2, NULL);
    assert_non_null(strstr(log, "300 open files allowed: serving at most 19 connections, not 512"));
    free(log);
}

static void test_as_root_it_serves_only_as_the_given_user(void **state)
{
    fixture *f = *state;
    char direct[PATH_MAX], listen[32], path[64], log2[PATH_MAX];
    const char *bare[] = {direct, "--db", f->db, "--recipients", f->recipients, NULL};
    const char *as_root[] = {direct, "--db", f->db, "--recipients", f->recipients, "--user", "root", NULL};
    const char *unknown[] = {direct, "--db", f->db, "--recipients", f->recipients, "--user", "no-such-user-x", NULL};
    const char *argv[] = {direct, "--db", f->db, "--recipients", f->recipients, "--listen", listen,
                          "--user", "nobody", NULL};
    struct passwd *nobody = getpwnam("nobody");
    char *status;
    pid_t pid;
    int port = ts_free_port();

    if (geteuid() != 0 || nobody == NULL)
        skip();
    /* A name other than "intake", so the test helpers add no --user of their own. */
    ts_path(direct, f->dir, "intake-direct");
    assert_int_equal(symlink(INTAKE_BIN, direct), 0);
    ts_expect(bare, NULL, 2, NULL, "refusing to serve as root");
    ts_expect(as_root, NULL, 2, NULL, "unprivileged");
    ts_expect(unknown, NULL, 2, NULL, "no user");
    assert_int_equal(ts_file_mode(f->db), -1);

    assert_int_equal(chown(f->dir, nobody->pw_uid, nobody->pw_gid), 0);
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    pid = ts_spawn(argv, ts_path(log2, f->dir, "root.log"));
    assert_int_equal(ts_wait_port(port, 10000), 0);
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    {   /* it listens before it drops to nobody: on a busy machine the port may open first */
        char expect[64];
        snprintf(expect, sizeof expect, "Uid:\t%u\t%u\t%u\t%u", nobody->pw_uid, nobody->pw_uid, nobody->pw_uid, nobody->pw_uid);
        for (int tries = 0;; tries++) {
            status = ts_read_file(path, NULL);
            assert_non_null(status);
            if (strstr(status, expect) != NULL || tries == 100)
                break;
            free(status);
            usleep(50 * 1000);
        }
        assert_non_null(strstr(status, expect));
    }
    free(status);
    {
        struct stat st;
        assert_int_equal(stat(f->db, &st), 0);
        assert_int_equal(st.st_uid, nobody->pw_uid);
    }
    {
        int code;
        char *answer = ts_http(port, "GET", "/healthz", NULL, NULL, &code);
        assert_int_equal(code, 200);
        free(answer);
    }
    kill(pid, SIGTERM);
    assert_int_equal(ts_wait(pid, 10000), 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_serves_healthz_with_security_headers_and_stops_on_sigterm),
        T(test_refuses_a_malformed_recipients_file_naming_the_line),
        T(test_refuses_a_recipients_file_with_only_an_auditor),
        T(test_usage_errors_exit_2),
        T(test_version_prints_one_line_and_exits_0),
        T(test_a_port_in_use_is_a_clear_error),
        T(test_serves_https_with_the_given_certificate),
        T(test_a_missing_certificate_is_a_clear_error),
        T(test_the_organisation_profile_is_checked_at_start),
        T(test_too_few_open_files_is_said),
        T(test_as_root_it_serves_only_as_the_given_user),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
