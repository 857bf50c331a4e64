/*
 * test_casework_keygen.c: `casework keygen` and the dispatcher, run as a caseworker would run
 * them: the real binary, its exit status, its files and what it prints.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    assert_string_equal(pk.name, "Alice Martin");
    /* The passphrase is the file's first line only. */
    assert_int_equal(keyfile_read(f->key, "tulip lantern orbit", 19, &k, err, sizeof err), 0);
    assert_memory_equal(&k->pub, &pk, sizeof pk);
    keyfile_free(k);
    free(line);
    ts_result_free(&r);
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

    ts_expect(no_out, NULL, 2, NULL, "--out");
    ts_expect(bad_name, NULL, 2, NULL, "--name");
    ts_expect(unknown, NULL, 2, NULL, "unknown command");
    ts_expect(prefix, NULL, 2, NULL, "unknown command");
    ts_expect(bare, NULL, 2, NULL, "usage: casework");
    ts_expect(help, NULL, 0, "keygen", NULL);
    ts_expect(cmd_help, NULL, 0, "usage: casework keygen --out PATH", NULL);
    assert_int_equal(ts_file_mode(f->key), -1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_keygen_writes_a_private_key_and_a_pub_line),
        T(test_keygen_never_overwrites_and_exits_1),
        T(test_keygen_takes_the_passphrase_file_from_the_environment),
        T(test_keygen_without_terminal_or_file_says_what_to_do),
        T(test_keygen_refuses_an_empty_or_missing_passphrase_file),
        T(test_usage_errors_exit_2_and_help_exits_0),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
