/*
 * test_casework_cases.c: casework on real cases filed through the real intake: show (text and
 * JSON) with its audit entry written first; a failed audit append shows nothing; unknown cases,
 * non-recipients and a tampered record fail with exit 1 and one line, and other cases still open.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keyfile.h"
#include "test_support.h"

static const keyfile_kdf_limits fast = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};

typedef struct fixture {
    char dir[PATH_MAX], db[PATH_MAX], pass[PATH_MAX], key[2][PATH_MAX], recipients[PATH_MAX];
    char env_db[PATH_MAX + 16], env_key[PATH_MAX + 16], env_pass[PATH_MAX + 32];
    int port;
    pid_t intake;
} fixture;

static void make_key(fixture *f, int i, const char *name)
{
    caseworker_key *k = keyfile_generate(name);
    char err[300];

    ts_path(f->key[i], f->dir, i == 0 ? "alice.key" : "bob.key");
    assert_int_equal(keyfile_write(f->key[i], k, "pw", 2, fast, err, sizeof err), 0);
    keyfile_free(k);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char listen[32], log[PATH_MAX], pub[PATH_MAX + 8];
    char *line;
    const char *argv[] = {INTAKE_BIN, "--db", f->db, "--recipients", f->recipients, "--listen", listen, NULL};

    ts_tmpdir(f->dir);
    ts_path(f->db, f->dir, "reports.db");
    ts_write_file(ts_path(f->pass, f->dir, "pass"), "pw\n", 3);
    make_key(f, 0, "Alice Martin");
    make_key(f, 1, "Bob Ng");
    /* Only Alice receives reports; Bob is a caseworker who is not a recipient. */
    snprintf(pub, sizeof pub, "%s.pub", f->key[0]);
    line = ts_read_file(pub, NULL);
    ts_write_file(ts_path(f->recipients, f->dir, "recipients"), line, strlen(line));
    free(line);
    snprintf(f->env_db, sizeof f->env_db, "CASEWORK_DB=%s", f->db);
    snprintf(f->env_key, sizeof f->env_key, "CASEWORK_KEY=%s", f->key[0]);
    snprintf(f->env_pass, sizeof f->env_pass, "CASEWORK_PASSPHRASE_FILE=%s", f->pass);
    f->port = ts_free_port();
    snprintf(listen, sizeof listen, "127.0.0.1:%d", f->port);
    f->intake = ts_spawn(argv, ts_path(log, f->dir, "intake.log"));
    assert_int_equal(ts_wait_port(f->port, 10000), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    kill(f->intake, SIGTERM);
    ts_wait(f->intake, 10000);
    ts_rmtree(f->dir);
    free(f);
    return 0;
}

/* Files a multipart report with one attachment through the intake; returns the case reference. */
static void file_report(const fixture *f, const char *description, char ref[32])
{
    ts_buf body = {0};
    char csrf[64];
    int status;
    char *page = ts_http(f->port, "GET", "/", NULL, NULL, &status);
    const char *v = strstr(page, "name=\"csrf\" value=\"") + 19;

    snprintf(csrf, sizeof csrf, "%.*s", (int)strcspn(v, "\""), v);
    free(page);
    ts_multipart_field(&body, "csrf", csrf);
    ts_multipart_field(&body, "category", "discrimination");
    ts_multipart_field(&body, "description", description);
    ts_multipart_field(&body, "where", "Building 4");
    ts_multipart_file(&body, "attachment", "letter.pdf", "application/pdf", "%PDF-1.4 fake", 13);
    ts_multipart_end(&body);
    page = ts_post(f->port, NULL, "/report", "multipart/form-data; boundary=" TS_BOUNDARY, &body, NULL, &status);
    assert_int_equal(status, 200);
    assert_int_equal(ts_element_text(page, "case", ref, 32), 0);
    free(page);
    ts_buf_free(&body);
}

static int audit_entries(const fixture *f)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int n = -1;

    assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM audit_log", -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void sql(const fixture *f, const char *q)
{
    sqlite3 *db;

    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_exec(db, q, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void test_show_decrypts_the_case_after_writing_its_audit_entry(void **state)
{
    fixture *f = *state;
    const char *env[] = {f->env_db, f->env_key, f->env_pass, NULL};
    char ref[32], lower[32];
    ts_result r;

    file_report(f, "Passed over for promotion twice, told \"people like you\" don't lead.", ref);
    for (size_t i = 0; i <= strlen(ref); i++)
        lower[i] = (char)(ref[i] >= 'A' && ref[i] <= 'Z' ? ref[i] + 32 : ref[i]);
    {
        const char *show[] = {CASEWORK_BIN, "show", lower, NULL};
        r = ts_run(show, env);
    }
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, ref));
    assert_non_null(strstr(r.out, "Passed over for promotion twice"));
    assert_non_null(strstr(r.out, "Building 4"));
    assert_non_null(strstr(r.out, "letter.pdf (application/pdf, 13 bytes)"));
    assert_non_null(strstr(r.out, "Acknowledge by:"));
    assert_null(strstr(r.out, "\033["));   /* no colour when not on a terminal */
    ts_result_free(&r);
    /* key-added, received, show */
    assert_int_equal(audit_entries(f), 3);
    {
        const char *json[] = {CASEWORK_BIN, "show", ref, "--json", NULL};
        r = ts_run(json, env);
    }
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"category\": \"discrimination\""));
    assert_non_null(strstr(r.out, "\"description\": \"Passed over for promotion twice, told \\\"people like you\\\" don't lead.\""));
    assert_non_null(strstr(r.out, "\"messages\": []"));
    assert_non_null(strstr(r.out, "\"status\": \"new\""));
    ts_result_free(&r);
    assert_int_equal(audit_entries(f), 4);
}

static void test_a_failed_audit_append_shows_nothing(void **state)
{
    fixture *f = *state;
    const char *env[] = {f->env_db, f->env_key, f->env_pass, NULL};
    char ref[32];
    ts_result r;

    file_report(f, "Secret words that must not be shown 5521", ref);
    /* The log cannot take a new entry (as on a read-only or full database). */
    sql(f, "CREATE TRIGGER refuse BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk refused'); END");
    {
        const char *show[] = {CASEWORK_BIN, "show", ref, NULL};
        r = ts_run(show, env);
    }
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    assert_null(strstr(r.err, "Secret words"));
    assert_non_null(strstr(r.err, "audit"));
    assert_non_null(strstr(r.err, "nothing was done"));
    assert_int_equal(ts_count_lines(r.err), 1);
    ts_result_free(&r);
    assert_int_equal(audit_entries(f), 0);
}

static void test_wrong_passphrase_unknown_case_and_non_recipient(void **state)
{
    fixture *f = *state;
    char wrong[PATH_MAX], env_wrong[PATH_MAX + 32], env_bob[PATH_MAX + 16], ref[32];
    const char *bad_pass[] = {f->env_db, f->env_key, env_wrong, NULL};
    const char *as_bob[] = {f->env_db, env_bob, f->env_pass, NULL};
    const char *env[] = {f->env_db, f->env_key, f->env_pass, NULL};
    const char *show_unknown[] = {CASEWORK_BIN, "show", "00000-00000", NULL};
    const char *show_garbage[] = {CASEWORK_BIN, "show", "not-a-ref!", NULL};
    ts_result r;

    file_report(f, "for Alice only", ref);
    ts_write_file(ts_path(wrong, f->dir, "wrong"), "nope\n", 5);
    snprintf(env_wrong, sizeof env_wrong, "CASEWORK_PASSPHRASE_FILE=%s", wrong);
    snprintf(env_bob, sizeof env_bob, "CASEWORK_KEY=%s", f->key[1]);
    {
        const char *show[] = {CASEWORK_BIN, "show", ref, NULL};
        r = ts_run(show, bad_pass);
        assert_int_equal(r.status, 1);
        assert_non_null(strstr(r.err, "wrong passphrase"));
        assert_string_equal(r.out, "");
        ts_result_free(&r);
        r = ts_run(show, as_bob);
        assert_int_equal(r.status, 1);
        assert_non_null(strstr(r.err, "not a recipient"));
        assert_null(strstr(r.out, "for Alice only"));
        ts_result_free(&r);
    }
    ts_expect(show_unknown, env, 1, NULL, "no case 00000-00000");
    ts_expect(show_garbage, env, 1, NULL, "not a case reference");
    {
        const char *show[] = {CASEWORK_BIN, "show", NULL};
        ts_expect(show, env, 2, NULL, "which case");
    }
}

static void test_a_tampered_record_names_itself_and_other_cases_still_open(void **state)
{
    fixture *f = *state;
    const char *env[] = {f->env_db, f->env_key, f->env_pass, NULL};
    char bad[32], good[32], q[256];

    file_report(f, "this one gets damaged", bad);
    file_report(f, "this one stays fine", good);
    snprintf(q, sizeof q, "UPDATE records SET envelope = substr(envelope, 1, 200) || x'00' || substr(envelope, 202)"
                          " WHERE case_id = (SELECT id FROM cases WHERE ref = '%s') AND audience = 1", bad);
    sql(f, q);
    {
        const char *show[] = {CASEWORK_BIN, "show", bad, NULL};
        ts_expect(show, env, 1, NULL, "is damaged or was altered");
    }
    {
        const char *show[] = {CASEWORK_BIN, "show", good, NULL};
        ts_expect(show, env, 0, "this one stays fine", NULL);
    }
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_show_decrypts_the_case_after_writing_its_audit_entry),
        T(test_a_failed_audit_append_shows_nothing),
        T(test_wrong_passphrase_unknown_case_and_non_recipient),
        T(test_a_tampered_record_names_itself_and_other_cases_still_open),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
