/*
 * test_thief_view.c: what a thief learns from the shared database alone. Two databases are filled
 * through the real intake and the real casework with scenarios that differ only in secrets (the
 * category, who was left out, the severity, the assignee and the length of their name, the
 * outcome, the hour the report arrived: the intake runs under faketime) and compared as a thief
 * would compare them: every table's row count, the clear columns, the slot count and length of
 * every record, every audit entry's clear part and length, and the sizes of the database and
 * -wal files (to within a page: random record ids make the page layout vary by one).
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

#include "keyfile.h"
#include "test_support.h"

typedef struct scenario {
    const char *category, *severity, *assignee, *outcome;
    int leave_bob_out;
    const char *arrival;   /* the intake's clock, for faketime */
} scenario;

typedef struct fixture {
    char dir[PATH_MAX], pass[PATH_MAX], key[4][PATH_MAX], recipients[PATH_MAX], auditors[PATH_MAX];
} fixture;

static int setup(void **state)
{
    static const keyfile_kdf_limits fast = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
    fixture *f = calloc(1, sizeof *f);
    char both[4 * PUBKEY_LINE_MAX] = "", pub[PATH_MAX + 8], err[300];

    ts_tmpdir(f->dir);
    ts_write_file(ts_path(f->pass, f->dir, "pass"), "pw\n", 3);
    /* Alice acts, Bob may be left out, and the case is assigned to Jo or to Josephine, the
     * caseworkers of the shortest and a long name (an assignee must be one of the readers). */
    for (int i = 0; i < 4; i++) {
        static const char *const names[] = {"Alice Martin", "Bob Ng", "Jo", "Josephine Ngozi-Adeyemi"};
        static const char *const files[] = {"alice.key", "bob.key", "jo.key", "josephine.key"};
        caseworker_key *k = keyfile_generate(names[i], PUBKEY_ROLE_CASEWORKER);
        char *line;
        ts_path(f->key[i], f->dir, files[i]);
        assert_int_equal(keyfile_write(f->key[i], k, "pw", 2, fast, err, sizeof err), 0);
        keyfile_free(k);
        snprintf(pub, sizeof pub, "%s.pub", f->key[i]);
        line = ts_read_file(pub, NULL);
        strcat(both, line);
        free(line);
    }
    ts_write_file(ts_path(f->recipients, f->dir, "recipients"), both, strlen(both));
    {
        caseworker_key *k = keyfile_generate("Audrey Kim", PUBKEY_ROLE_AUDITOR);
        char line[PUBKEY_LINE_MAX];
        char all[5 * PUBKEY_LINE_MAX];
        pubkey_format(&k->pub, line);
        /* the intake's recipients file with the auditor's line: it also names the caseworkers */
        snprintf(all, sizeof all, "%s%s", both, line);
        ts_write_file(ts_path(f->auditors, f->dir, "auditors"), all, strlen(all));
        keyfile_free(k);
    }
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

/* Runs casework as Alice on db; fails the test unless it exits 0. */
static void alice(const fixture *f, const char *db, const char *const args[])
{
    char env_db[PATH_MAX + 16], env_key[PATH_MAX + 16], env_pass[PATH_MAX + 32], env_aud[PATH_MAX + 32];
    const char *env[] = {env_db, env_key, env_pass, env_aud, NULL};
    const char *argv[16] = {CASEWORK_BIN};
    size_t n = 1;
    ts_result r;

    snprintf(env_db, sizeof env_db, "CASEWORK_DB=%s", db);
    snprintf(env_key, sizeof env_key, "CASEWORK_KEY=%s", f->key[0]);
    snprintf(env_pass, sizeof env_pass, "CASEWORK_PASSPHRASE_FILE=%s", f->pass);
    snprintf(env_aud, sizeof env_aud, "CASEWORK_AUDITORS=%s", f->auditors);
    for (size_t i = 0; args[i] != NULL && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    r = ts_run(argv, env);
    if (r.status != 0)
        fail_msg("casework %s: %s", args[0], r.err);
    ts_result_free(&r);
}

/* The size of db's -wal file (0 when there is none). */
static size_t wal_size(const char *db)
{
    char wal[PATH_MAX + 8];
    size_t len = 0;
    char *data;

    snprintf(wal, sizeof wal, "%s-wal", db);
    data = ts_read_file(wal, &len);
    free(data);
    return data != NULL ? len : 0;
}

/* Files the scenario's report through a real intake on db, then works the case as Alice. The
 * -wal's size while the intake still runs, with the report just committed, goes to *live_wal. */
static void play(const fixture *f, const scenario *sc, const char *db, size_t *live_wal)
{
    char listen[32], log[PATH_MAX], csrf[64], ref[32];
    /* libfaketime, preloaded, sets the intake's clock (AddressSanitizer must be told to accept a
     * library loaded before it); env execs the intake in place, so signals reach it */
    char faketime[64];
    const char *argv[] = {"/usr/bin/env", "LD_PRELOAD=" FAKETIME_LIB, faketime,
                          "ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1:abort_on_error=1", INTAKE_BIN, "--db", db, "--recipients", f->recipients,
                          "--listen", listen, NULL};
    int port = ts_free_port(), status;
    ts_buf body = {0};
    pid_t intake;
    char *page;

    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    snprintf(faketime, sizeof faketime, "FAKETIME=@%s", sc->arrival);
    intake = ts_spawn(argv, ts_path(log, f->dir, "intake.log"));
    assert_int_equal(ts_wait_port(port, 10000), 0);
    ts_csrf(port, "/", csrf);
    ts_urlencode_add(&body, "csrf", csrf);
    ts_urlencode_add(&body, "category", sc->category);
    ts_urlencode_add(&body, "description", "Something happened at the depot that I need to report to someone I can trust.");
    if (sc->leave_bob_out) {
        char pub[PATH_MAX + 8], id[17], *line;
        snprintf(pub, sizeof pub, "%s.pub", f->key[1]);
        line = ts_read_file(pub, NULL);
        snprintf(id, sizeof id, "%.16s", line + 7);
        free(line);
        ts_urlencode_add(&body, "exclude", id);
    }
    page = ts_post(port, NULL, "/report", "application/x-www-form-urlencoded", &body, NULL, &status);
    assert_int_equal(status, 200);
    assert_int_equal(ts_element_text(page, "case", ref, sizeof ref), 0);
    free(page);
    ts_buf_free(&body);
    *live_wal = wal_size(db);
    kill(intake, SIGTERM);
    assert_int_equal(ts_wait(intake, 10000), 0);
    alice(f, db, (const char *const[]){"triage", ref, "--category", sc->category, "--severity", sc->severity, NULL});
    alice(f, db, (const char *const[]){"assign", ref, "--to", sc->assignee, NULL});
    alice(f, db, (const char *const[]){"note", ref, "-m", "Spoke to the depot manager.", NULL});
    alice(f, db, (const char *const[]){"reply", ref, "-m", "Thank you: we are looking into it.", NULL});
    alice(f, db, (const char *const[]){"close", ref, "--outcome", sc->outcome, "-m", "Done.", NULL});
    alice(f, db, (const char *const[]){"list", NULL});
}

/* What a thief sees of one database, as text: one line per query result, in a stable order. */
static char *thief_view(const char *db)
{
    static const char *const queries[] = {
        "SELECT name, type FROM sqlite_schema WHERE name NOT LIKE 'sqlite_autoindex%' ORDER BY name",
        "SELECT count(*), max(length(ref)), min(received) = max(received), group_concat(status) FROM cases",
        "SELECT audience, seq, length(envelope), CASE audience WHEN 3 THEN '' ELSE hex(substr(envelope, 1, 6)) END"
        " FROM records ORDER BY audience, seq, length(envelope)",
        "SELECT count(*), min(length(envelope)), max(length(envelope)) FROM retained_figures",
        "SELECT count(*) FROM attachments",
        "SELECT name, length(value) FROM settings ORDER BY name",
        "SELECT group_concat(arrival_logged), group_concat(received) FROM cases",
        /* the audit log: each entry's length, and its clear part (version, seq, signer, kind,
         * the introductions' .pub lines); prev_hash, the sealed part and the signature differ */
        "SELECT seq, length(entry), hex(substr(entry, 1, 9)), hex(substr(entry, 42, 9)),"
        " hex(substr(entry, 51, 2)), CAST(substr(entry, 53, (instr('0123456789ABCDEF', substr(hex(substr(entry, 51, 1)), 1, 1)) - 1) * 16"
        " + instr('0123456789ABCDEF', substr(hex(substr(entry, 51, 1)), 2, 1)) - 1) AS TEXT)"
        " FROM audit_log ORDER BY seq",
        "SELECT hex(key_id), seq FROM audit_keys ORDER BY key_id",
    };
    ts_buf out = {0};
    sqlite3 *s;

    assert_int_equal(sqlite3_open_v2(db, &s, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(s, queries[q], -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const unsigned char *t = sqlite3_column_text(st, c);
                ts_buf_addf(&out, "%s%s", c ? "|" : "", t != NULL ? (const char *)t : "NULL");
            }
            ts_buf_add(&out, "\n", 1);
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(s);
    ts_buf_add(&out, "", 1);
    return out.data;
}

/*
 * The sizes of the database and its -wal file, in whole pages of 4 KiB, as lines. Record ids
 * are random (they must not order arrivals), so where SQLite splits a table's pages, and so the
 * file's page count, can differ by a page between two runs of the very same scenario: the sizes
 * are compared to within one page (every record's own length is compared exactly above).
 */
static void file_pages(const char *db, size_t pages[2])
{
    char wal[PATH_MAX + 8];
    size_t len;

    snprintf(wal, sizeof wal, "%s-wal", db);
    for (int i = 0; i < 2; i++) {
        char *data = ts_read_file(i == 0 ? db : wal, &len);
        pages[i] = data != NULL ? (len + 4095) / 4096 : 0;
        free(data);
    }
}

static void test_two_databases_that_differ_in_secrets_look_the_same(void **state)
{
    fixture *f = *state;
    static const scenario a = {"bullying", "low", "Jo", "withdrawn", 0, "2026-03-02 02:10:00"};
    static const scenario b = {"sexual-exploitation-abuse", "critical", "Josephine Ngozi-Adeyemi", "substantiated", 1,
                               "2026-03-02 21:45:00"};
    char db_a[PATH_MAX], db_b[PATH_MAX], *view_a, *view_b;
    size_t live_a, live_b;

    play(f, &a, ts_path(db_a, f->dir, "a.db"), &live_a);
    play(f, &b, ts_path(db_b, f->dir, "b.db"), &live_b);
    assert_true(live_a > 0);   /* the report was in the -wal... */
    assert_int_equal(live_a, live_b);   /* ...and took the same room in both */
    view_a = thief_view(db_a);
    view_b = thief_view(db_b);
    {
        size_t pa[2], pb[2];
        file_pages(db_a, pa);
        file_pages(db_b, pb);
        for (int i = 0; i < 2; i++)
            if (pa[i] + 1 < pb[i] || pb[i] + 1 < pa[i])
                fail_msg("a thief can tell the databases apart by the %s's size: %zu pages against %zu",
                         i == 0 ? "database" : "-wal", pa[i], pb[i]);
    }
    if (strcmp(view_a, view_b) != 0) {
        /* the lines that differ, first (the whole views can be longer than a message) */
        const char *p = view_a, *q = view_b;
        while (*p && *q) {
            size_t lp = strcspn(p, "\n"), lq = strcspn(q, "\n");
            if (lp != lq || memcmp(p, q, lp) != 0)
                print_error("differs: a: %.*s\n         b: %.*s\n", (int)lp, p, (int)lq, q);
            p += lp + (p[lp] != '\0');
            q += lq + (q[lq] != '\0');
        }
        fail_msg("a thief can tell the databases apart (the differing lines are above)");
    }
    /* And the view is not empty: the comparison saw the records, the audit entries and the
     * day the intake's clock said (the hours differed). */
    assert_true(ts_count_lines(view_a) >= 20);
    assert_non_null(strstr(view_a, "|2026-03-02\n"));
    if (getenv("THIEF_VIEW_PRINT") != NULL)
        print_message("%s", view_a);
    free(view_a);
    free(view_b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_two_databases_that_differ_in_secrets_look_the_same, setup, teardown),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
