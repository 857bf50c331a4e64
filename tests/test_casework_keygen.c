/*
 * test_casework_keygen.c: `casework keygen` and the dispatcher, run as a caseworker would run
 * them: the real binary, its exit status, its files and what it prints.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "keyfile.h"
#include "test_support.h"

typedef struct fixture {
    char dir[PATH_MAX];
    char key[PATH_MAX];
    char pub[PATH_MAX + 8];
    char pass[PATH_MAX];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);

    ts_tmpdir(f->dir);
    ts_path(f->key, f->dir, "worker.key");
    snprintf(f->pub, sizeof f->pub, "%s.pub", f->key);
    ts_write_file(ts_path(f->pass, f->dir, "passphrase"), "tulip lantern orbit\nsecond line\n", 32);
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

static void test_keygen_writes_a_private_key_and_a_pub_line(void **state)
{
    fixture *f = *state;
    const char *argv[] = {CASEWORK_BIN, "keygen", "--out", f->key, "--name", "Alice Martin",
                          "--passphrase-file", f->pass, NULL};
    ts_result r = ts_run(argv, NULL);
    caseworker_key *k;
    pubkey pk;
    char err[300], *line;

    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    assert_int_equal(ts_file_mode(f->key), 0600);
    line = ts_read_file(f->pub, NULL);
    assert_int_equal(pubkey_parse(line, &pk, err, sizeof err), 0);
    assert_int_equal(strncmp(line, "cwpub1 ", 7), 0);
    assert_int_equal(pk.role, PUBKEY_ROLE_CASEWORKER);
    assert_string_equal(pk.name, "Alice Martin");
    /* The passphrase is the file's first line only. */
    assert_int_equal(keyfile_read(f->key, "tulip lantern orbit", 19, &k, err, sizeof err), 0);
    assert_memory_equal(&k->pub, &pk, sizeof pk);
    keyfile_free(k);
    free(line);
    ts_result_free(&r);
}

static void test_keygen_auditor_writes_an_auditors_key_and_says_so(void **state)
{
    fixture *f = *state;
    const char *argv[] = {CASEWORK_BIN, "keygen", "--auditor", "--out", f->key, "--name", "Inès Audit",
                          "--passphrase-file", f->pass, NULL};
    const char *help[] = {CASEWORK_BIN, "keygen", "--help", NULL};
    ts_result r = ts_run(argv, NULL);
    caseworker_key *k;
    pubkey pk;
    char err[300], *line;

    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    assert_non_null(strstr(r.out, "an auditor's key: it reads the audit log (casework audit log) and no case"));
    assert_non_null(strstr(r.out, "give it to the caseworkers (casework --auditors FILE)"));
    assert_null(strstr(r.out, "whoever runs the intake"));
    assert_int_equal(ts_file_mode(f->key), 0600);
    line = ts_read_file(f->pub, NULL);
    assert_int_equal(strncmp(line, "cwaud1 ", 7), 0);
    assert_int_equal(pubkey_parse(line, &pk, err, sizeof err), 0);
    assert_int_equal(pk.role, PUBKEY_ROLE_AUDITOR);
    assert_string_equal(pk.name, "Inès Audit");
    assert_int_equal(keyfile_read(f->key, "tulip lantern orbit", 19, &k, err, sizeof err), 0);
    assert_int_equal(k->pub.role, PUBKEY_ROLE_AUDITOR);
    assert_memory_equal(k->pub.key_id, pk.key_id, PUBKEY_IDBYTES);
    keyfile_free(k);
    free(line);
    ts_result_free(&r);
    ts_expect(help, NULL, 0, "[--auditor]", NULL);
}

static void test_keygen_never_overwrites_and_exits_1(void **state)
{
    fixture *f = *state;
    const char *argv[] = {CASEWORK_BIN, "keygen", "--out", f->key, "--passphrase-file", f->pass, NULL};
    ts_result r = ts_run(argv, NULL);
    char *before, *after;

    assert_int_equal(r.status, 0);
    ts_result_free(&r);
    before = ts_read_file(f->key, NULL);
    r = ts_run(argv, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "already exists"));
    assert_int_equal(ts_count_lines(r.err), 1);
    after = ts_read_file(f->key, NULL);
    assert_memory_equal(before, after, 100);
    free(before);
    free(after);
    ts_result_free(&r);
}

static void test_keygen_takes_the_passphrase_file_from_the_environment(void **state)
{
    fixture *f = *state;
    const char *argv[] = {CASEWORK_BIN, "keygen", "--out", f->key, NULL};
    char env_pass[PATH_MAX + 40];
    const char *env[] = {env_pass, "USER=bob", NULL};
    ts_result r;
    char *line;

    snprintf(env_pass, sizeof env_pass, "CASEWORK_PASSPHRASE_FILE=%s", f->pass);
    r = ts_run(argv, env);
    assert_int_equal(r.status, 0);
    line = ts_read_file(f->pub, NULL);
    assert_non_null(strstr(line, " bob\n"));
    free(line);
    ts_result_free(&r);
}

static void test_keygen_without_terminal_or_file_says_what_to_do(void **state)
{
    fixture *f = *state;
    const char *argv[] = {CASEWORK_BIN, "keygen", "--out", f->key, NULL};
    ts_result r = ts_run(argv, NULL);

    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "--passphrase-file"));
    assert_int_equal(ts_file_mode(f->key), -1);
    ts_result_free(&r);
}

static void test_keygen_refuses_an_empty_or_missing_passphrase_file(void **state)
{
    fixture *f = *state;
    char empty[PATH_MAX], missing[PATH_MAX];
    const char *argv[] = {CASEWORK_BIN, "keygen", "--out", f->key, "--passphrase-file", empty, NULL};
    ts_result r;

    ts_write_file(ts_path(empty, f->dir, "empty"), "\n", 1);
    r = ts_run(argv, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "empty"));
    ts_result_free(&r);
    argv[5] = ts_path(missing, f->dir, "missing");
    r = ts_run(argv, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "missing"));
    assert_int_equal(ts_file_mode(f->key), -1);
    assert_int_equal(ts_file_mode(f->pub), -1);
    ts_result_free(&r);
}

/* Reads from the pty until text appears (or 10 s pass); returns 1 when it did. */
static int pty_wait_for(int master, const char *text)
{
    char buf[4096];
    size_t n = 0;

    for (int waited = 0; waited < 10000; waited += 20) {
        struct pollfd p = {.fd = master, .events = POLLIN};
        if (poll(&p, 1, 20) > 0) {
            ssize_t got = read(master, buf + n, sizeof buf - 1 - n);
            if (got <= 0)
                return 0;
            n += (size_t)got;
            buf[n] = '\0';
            if (strstr(buf, text) != NULL)
                return 1;
        }
    }
    return 0;
}

static int pty_echo_on(int master)
{
    struct termios t;

    assert_int_equal(tcgetattr(master, &t), 0);
    return (t.c_lflag & ECHO) != 0;
}

static void test_keygen_refuses_a_weak_passphrase_and_says_what_to_choose(void **state)
{
    fixture *f = *state;
    const char *weak[] = {"a", "short1!", "password12345", "aaaaaaaaaaaaaaaaaa", "qwertyuiopasdf", "iloveyou123456",
                          "summer2024summer"};
    const char *argv[] = {CASEWORK_BIN, "keygen", "--out", f->key, "--passphrase-file", f->pass, NULL};

    for (size_t i = 0; i < sizeof weak / sizeof weak[0]; i++) {
        char line[64];
        ts_result r;
        snprintf(line, sizeof line, "%s\n", weak[i]);
        ts_write_file(f->pass, line, strlen(line));
        r = ts_run(argv, NULL);
        if (r.status != 1 || strstr(r.err, "too weak") == NULL || strstr(r.err, "unrelated words") == NULL)
            fail_msg("keygen took the passphrase \"%s\" (exit %d): %s", weak[i], r.status, r.err);
        assert_int_equal(access(f->key, F_OK), -1);   /* nothing written */
        assert_int_equal(access(f->pub, F_OK), -1);
        ts_result_free(&r);
    }
    ts_write_file(f->pass, "tulip lantern orbit\n", 20);
    ts_expect(argv, NULL, 0, "key id:", NULL);
}

static void test_keygen_asks_twice_on_the_terminal_without_echo(void **state)
{
    fixture *f = *state;
    caseworker_key *k;
    char err[300];
    int master;
    pid_t pid = forkpty(&master, NULL, NULL, NULL);

    assert_true(pid >= 0);
    if (pid == 0) {
        execl(CASEWORK_BIN, CASEWORK_BIN, "keygen", "--out", f->key, "--name", "tty", (char *)NULL);
        _exit(127);
    }
    assert_true(pty_wait_for(master, "Passphrase for the new key:"));
    assert_false(pty_echo_on(master));
    assert_int_equal(write(master, "quiet harbour lanterns\n", 23), 23);
    assert_true(pty_wait_for(master, "Repeat the passphrase:"));
    assert_int_equal(write(master, "quiet harbour lanterns\n", 23), 23);
    assert_true(pty_wait_for(master, "key id:"));
    assert_int_equal(ts_wait(pid, 20000), 0);
    assert_true(pty_echo_on(master));
    assert_int_equal(keyfile_read(f->key, "quiet harbour lanterns", 22, &k, err, sizeof err), 0);
    keyfile_free(k);
    close(master);
}

static void test_different_passphrases_on_the_terminal_create_nothing(void **state)
{
    fixture *f = *state;
    int master;
    pid_t pid = forkpty(&master, NULL, NULL, NULL);

    assert_true(pid >= 0);
    if (pid == 0) {
        execl(CASEWORK_BIN, CASEWORK_BIN, "keygen", "--out", f->key, (char *)NULL);
        _exit(127);
    }
    assert_true(pty_wait_for(master, "Passphrase for the new key:"));
    assert_int_equal(write(master, "one\n", 4), 4);
    assert_true(pty_wait_for(master, "Repeat the passphrase:"));
    assert_int_equal(write(master, "two\n", 4), 4);
    assert_true(pty_wait_for(master, "differ"));
    assert_int_equal(ts_wait(pid, 20000), 1);
    assert_int_equal(ts_file_mode(f->key), -1);
    close(master);
}

static void test_interrupt_at_the_prompt_restores_echo(void **state)
{
    fixture *f = *state;
    int master;
    pid_t pid = forkpty(&master, NULL, NULL, NULL);

    assert_true(pid >= 0);
    if (pid == 0) {
        execl(CASEWORK_BIN, CASEWORK_BIN, "keygen", "--out", f->key, (char *)NULL);
        _exit(127);
    }
    assert_true(pty_wait_for(master, "Passphrase for the new key:"));
    assert_false(pty_echo_on(master));
    assert_int_equal(kill(pid, SIGINT), 0);
    assert_int_equal(ts_wait(pid, 10000), 128 + SIGINT);
    assert_true(pty_echo_on(master));
    assert_int_equal(ts_file_mode(f->key), -1);
    close(master);
}

static void test_usage_errors_exit_2_and_help_exits_0(void **state)
{
    fixture *f = *state;
    const char *no_out[] = {CASEWORK_BIN, "keygen", "--passphrase-file", f->pass, NULL};
    const char *bad_name[] = {CASEWORK_BIN, "keygen", "--out", f->key, "--name", "", "--passphrase-file", f->pass, NULL};
    const char *unknown[] = {CASEWORK_BIN, "keygenerate", NULL};
    const char *prefix[] = {CASEWORK_BIN, "keyg", NULL};
    const char *bare[] = {CASEWORK_BIN, NULL};
    const char *help[] = {CASEWORK_BIN, "--help", NULL};
    const char *cmd_help[] = {CASEWORK_BIN, "keygen", "--help", NULL};
    const char *no_value[] = {CASEWORK_BIN, "keygen", "--out", NULL};
    const char *bogus[] = {CASEWORK_BIN, "keygen", "--out", f->key, "--bogus", NULL};
    const char *extra[] = {CASEWORK_BIN, "keygen", "extra", "--out", f->key, NULL};
    const char *bogus_global[] = {CASEWORK_BIN, "--bogus", "keygen", NULL};

    ts_expect(no_out, NULL, 2, NULL, "--out");
    ts_expect(bad_name, NULL, 2, NULL, "--name");
    ts_expect(unknown, NULL, 2, NULL, "unknown command");
    ts_expect(prefix, NULL, 2, NULL, "unknown command");
    ts_expect(bare, NULL, 2, NULL, "usage: casework");
    ts_expect(help, NULL, 0, "keygen", NULL);
    ts_expect(cmd_help, NULL, 0, "usage: casework keygen --out PATH", NULL);
    ts_expect(no_value, NULL, 2, NULL, "option --out needs a value");
    ts_expect(bogus, NULL, 2, NULL, "unknown option --bogus");
    ts_expect(extra, NULL, 2, NULL, "unexpected argument extra");
    ts_expect(bogus_global, NULL, 2, NULL, "unknown option: --bogus");
    assert_int_equal(ts_file_mode(f->key), -1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_keygen_writes_a_private_key_and_a_pub_line),
        T(test_keygen_auditor_writes_an_auditors_key_and_says_so),
        T(test_keygen_never_overwrites_and_exits_1),
        T(test_keygen_takes_the_passphrase_file_from_the_environment),
        T(test_keygen_without_terminal_or_file_says_what_to_do),
        T(test_keygen_refuses_an_empty_or_missing_passphrase_file),
        T(test_keygen_refuses_a_weak_passphrase_and_says_what_to_choose),
        T(test_keygen_asks_twice_on_the_terminal_without_echo),
        T(test_different_passphrases_on_the_terminal_create_nothing),
        T(test_interrupt_at_the_prompt_restores_echo),
        T(test_usage_errors_exit_2_and_help_exits_0),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
