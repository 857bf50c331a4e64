/*
 * test_casework_cases.c: casework on real cases filed through the real intake, taken to closure
 * with the real CLI by two caseworkers (Alice and Bob receive reports; Carol gets a case only
 * when it is shared with her): show (text and JSON) with its audit entry written first; a failed
 * audit append shows nothing; the whole workflow with the reporter reading the reply; illegal
 * transitions; a case sealed to one caseworker only; sharing; hostile attachment names; the
 * $EDITOR flow; concurrent updates; unknown cases, non-recipients and a tampered record.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caseref.h"
#include "day.h"
#include "keyfile.h"
#include "store.h"
#include "pubkey.h"
#include "fields.h"
#include "envelope.h"
#include "term.h"
#include "test_support.h"
#include "utf8.h"

static const keyfile_kdf_limits fast = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};

typedef struct fixture {
    char dir[PATH_MAX], db[PATH_MAX], pass[PATH_MAX], key[3][PATH_MAX], recipients[PATH_MAX];
    char env_db[PATH_MAX + 16], env_key[PATH_MAX + 16], env_pass[PATH_MAX + 32];
    int port;
    pid_t intake;
} fixture;

/* Strong enough for keygen (libpwquality), which makes the auditor's key in one test. */
#define PASSPHRASE "quiet harbour lantern seventy"

static void make_key(fixture *f, int i, const char *name)
{
    caseworker_key *k = keyfile_generate(name, PUBKEY_ROLE_CASEWORKER);
    char err[300];

    ts_path(f->key[i], f->dir, i == 0 ? "alice.key" : i == 1 ? "bob.key" : "carol.key");
    assert_int_equal(keyfile_write(f->key[i], k, PASSPHRASE, strlen(PASSPHRASE), fast, err, sizeof err), 0);
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
    ts_write_file(ts_path(f->pass, f->dir, "pass"), PASSPHRASE "\n", strlen(PASSPHRASE) + 1);
    make_key(f, 0, "Alice Martin");
    make_key(f, 1, "Bob Ng");
    make_key(f, 2, "Carol Diaz");
    /* Alice and Bob receive reports; Carol does not. */
    {
        char both[2 * PUBKEY_LINE_MAX] = "";
        for (int i = 0; i < 2; i++) {
            snprintf(pub, sizeof pub, "%s.pub", f->key[i]);
            line = ts_read_file(pub, NULL);
            strcat(both, line);
            free(line);
        }
        ts_write_file(ts_path(f->recipients, f->dir, "recipients"), both, strlen(both));
    }
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

    if (f->intake > 0) {
        kill(f->intake, SIGTERM);
        ts_wait(f->intake, 10000);
    }
    ts_rmtree(f->dir);
    free(f);
    return 0;
}

/* Files a multipart report with one attachment through the intake, leaving out exclude (a key
 * file's path, or NULL); returns the case reference and, when receipt is not NULL, the receipt. */
static void file_report_full(const fixture *f, const char *description, const char *exclude,
                             char ref[32], char receipt[64])
{
    ts_buf body = {0};
    char csrf[64];
    int status;
    char *page;

    ts_csrf(f->port, "/", csrf);
    ts_multipart_field(&body, "csrf", csrf);
    ts_multipart_field(&body, "category", "discrimination");
    ts_multipart_field(&body, "description", description);
    ts_multipart_field(&body, "where", "Building 4");
    if (exclude != NULL) {
        char pub[PATH_MAX + 8], id[17];
        snprintf(pub, sizeof pub, "%s.pub", exclude);
        char *line = ts_read_file(pub, NULL);
        snprintf(id, sizeof id, "%.16s", line + 7);
        ts_multipart_field(&body, "exclude", id);
        free(line);
    }
    ts_multipart_file(&body, "attachment", "letter.pdf", "application/pdf", "%PDF-1.4 fake", 13);
    ts_multipart_file(&body, "attachment", "../../.bashrc[31m", "text/plain", "echo owned", 10);
    ts_multipart_end(&body);
    page = ts_post(f->port, NULL, "/report", "multipart/form-data; boundary=" TS_BOUNDARY, &body, NULL, &status);
    assert_int_equal(status, 200);
    assert_int_equal(ts_element_text(page, "case", ref, 32), 0);
    if (receipt != NULL)
        assert_int_equal(ts_element_text(page, "receipt", receipt, 64), 0);
    free(page);
    ts_buf_free(&body);
}

static void file_report(const fixture *f, const char *description, char ref[32])
{
    file_report_full(f, description, f->key[1], ref, NULL);   /* Alice only */
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

static int sql_count(const fixture *f, const char *q)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int n = -1;

    assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
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
    assert_non_null(strstr(r.out, "(restricted by the reporter)"));
    assert_non_null(strstr(r.out, "Acknowledge by:"));
    assert_null(strstr(r.out, "\033["));   /* no colour when not on a terminal */
    ts_result_free(&r);
    /* key-added, show (its arrival is logged on a later day, so it cannot be timed) */
    assert_int_equal(audit_entries(f), 2);
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
    assert_int_equal(audit_entries(f), 3);
    {
        /* Options before or after the case, as getopt allowed; never an abbreviation. */
        const char *json_first[] = {CASEWORK_BIN, "show", "--json", ref, NULL};
        const char *abbreviated[] = {CASEWORK_BIN, "show", ref, "--js", NULL};
        ts_expect(json_first, env, 0, "\"category\": \"discrimination\"", NULL);
        ts_expect(abbreviated, env, 2, NULL, "unknown option --js");
    }
    assert_int_equal(audit_entries(f), 4);   /* the refused one logged nothing */
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

/* `keygen --auditor` makes a key that casework refuses for every case command (before anything
 * is read or logged), and that no caseworker can share a case with. */
static void test_an_auditors_key_opens_no_case_and_no_case_is_shared_with_it(void **state)
{
    fixture *f = *state;
    char aud[PATH_MAX], aud_pub[PATH_MAX + 8], env_aud[PATH_MAX + 16], ref[32], expect[PATH_MAX + 128];
    const char *keygen[] = {CASEWORK_BIN, "keygen", "--auditor", "--out", aud, "--name", "Inès Audit",
                            "--passphrase-file", f->pass, NULL};
    const char *as_auditor[] = {f->env_db, env_aud, f->env_pass, NULL};
    const char *env[] = {f->env_db, f->env_key, f->env_pass, NULL};
    const char *list[] = {CASEWORK_BIN, "list", NULL};
    const char *show[] = {CASEWORK_BIN, "show", ref, NULL};
    const char *note[] = {CASEWORK_BIN, "note", ref, "-m", "an auditor's note", NULL};
    const char *share[] = {CASEWORK_BIN, "share", ref, "--with", aud_pub, NULL};
    ts_result r;
    char *line;
    int entries;

    file_report(f, "Auditors must never read this 7731", ref);
    ts_path(aud, f->dir, "ines.key");
    snprintf(aud_pub, sizeof aud_pub, "%s.pub", aud);
    snprintf(env_aud, sizeof env_aud, "CASEWORK_KEY=%s", aud);
    r = ts_run(keygen, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "an auditor's key"));
    assert_non_null(strstr(r.out, "casework --auditors FILE"));
    ts_result_free(&r);
    line = ts_read_file(aud_pub, NULL);
    assert_int_equal(strncmp(line, "cwaud1 ", 7), 0);
    free(line);

    entries = audit_entries(f);
    snprintf(expect, sizeof expect, "%s is an auditor's key: it reads the audit log (casework audit log) and no case; use a caseworker's key", aud);
    r = ts_run(list, as_auditor);
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, expect));
    assert_int_equal(ts_count_lines(r.err), 1);
    ts_result_free(&r);
    r = ts_run(show, as_auditor);
    assert_int_equal(r.status, 1);
    assert_null(strstr(r.out, "7731"));
    assert_non_null(strstr(r.err, "is an auditor's key"));
    ts_result_free(&r);
    ts_expect(note, as_auditor, 1, NULL, "is an auditor's key");
    assert_int_equal(audit_entries(f), entries);

    /* A caseworker cannot seal the case to it either. */
    r = ts_run(share, env);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "Inès Audit"));
    assert_non_null(strstr(r.err, "is an auditor's key"));
    ts_result_free(&r);
    assert_int_equal(audit_entries(f), entries);   /* refused before anything was logged */
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

/* Runs casework as the caseworker with key index who and checks the exit status. */
static ts_result as(const fixture *f, int who, const char *const args[], int expect)
{
    char env_key[PATH_MAX + 16];
    const char *env[] = {f->env_db, env_key, f->env_pass, NULL};
    const char *argv[16] = {CASEWORK_BIN};
    ts_result r;
    size_t n = 1;

    snprintf(env_key, sizeof env_key, "CASEWORK_KEY=%s", f->key[who]);
    for (size_t i = 0; args[i] != NULL && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    r = ts_run(argv, env);
    if (r.status != expect)
        fail_msg("casework %s exited %d, expected %d: %s", args[0], r.status, expect, r.err);
    return r;
}

static void run_as(const fixture *f, int who, const char *const args[], int expect, const char *out_has)
{
    ts_result r = as(f, who, args, expect);

    if (out_has != NULL && strstr(r.out, out_has) == NULL && strstr(r.err, out_has) == NULL)
        fail_msg("casework %s: no \"%s\" in: %s%s", args[0], out_has, r.out, r.err);
    ts_result_free(&r);
}

/* Runs casework as caseworker who on the clock of FAKETIME value clock (libfaketime): so a case
 * closed today can be purged "tomorrow", a day purge does not refuse as in the future. */
static ts_result as_on(const fixture *f, int who, const char *clock, const char *const args[], int expect)
{
    char env_key[PATH_MAX + 16], faketime[64];
    const char *env[] = {f->env_db, env_key, f->env_pass, NULL};
    const char *argv[24] = {"/usr/bin/env", "LD_PRELOAD=" FAKETIME_LIB, faketime,
                            "ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1:abort_on_error=1", CASEWORK_BIN};
    ts_result r;
    size_t n = 5;

    snprintf(faketime, sizeof faketime, "FAKETIME=%s", clock);
    snprintf(env_key, sizeof env_key, "CASEWORK_KEY=%s", f->key[who]);
    for (size_t i = 0; args[i] != NULL && n < 23; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    r = ts_run(argv, env);
    if (r.status != expect)
        fail_msg("casework %s (at %s) exited %d, expected %d: %s", args[0], clock, r.status, expect, r.err);
    return r;
}

/* Tomorrow's purge of every case closed before tomorrow (today's too), without asking. */
static void purge_tomorrow(const fixture *f, int who, int expect, const char *out_has)
{
    char today[DAY_TEXT_SIZE], tomorrow[DAY_TEXT_SIZE];
    ts_result r;

    day_today(today);
    day_add(today, 1, 0, tomorrow);
    r = as_on(f, who, "+1d", (const char *const[]){"purge", "--closed-before", tomorrow, "--yes", NULL}, expect);
    if (out_has != NULL && strstr(r.out, out_has) == NULL && strstr(r.err, out_has) == NULL)
        fail_msg("purge: no \"%s\" in: %s%s", out_has, r.out, r.err);
    ts_result_free(&r);
}

static void test_a_case_taken_to_closure_by_two_caseworkers(void **state)
{
    fixture *f = *state;
    char ref[32], receipt[64], status[64];
    char *page;
    ts_result r;

    file_report_full(f, "My team leader keeps my passport.", NULL, ref, receipt);
    run_as(f, 0, (const char *const[]){"list", NULL}, 0, ref);
    run_as(f, 1, (const char *const[]){"list", "--json", NULL}, 0, "\"status\": \"new\"");
    run_as(f, 0, (const char *const[]){"triage", ref, "--category", "sexual-exploitation-abuse", "--severity", "critical", NULL}, 0, "triaged");
    run_as(f, 1, (const char *const[]){"assign", ref, "--to", "Bob Ng", NULL}, 0, "assigned to Bob Ng");
    run_as(f, 1, (const char *const[]){"status", ref, "investigating", NULL}, 0, "investigating");
    run_as(f, 1, (const char *const[]){"note", ref, "-m", "Spoke to HR; passport policy checked.", NULL}, 0, NULL);
    run_as(f, 0, (const char *const[]){"reply", ref, "-m", "We received your report and are acting on it.", NULL}, 0, NULL);

    /* The reporter reads the reply with the receipt; the note stays with the caseworkers. */
    page = ts_status_page(f->port, receipt);
    assert_non_null(strstr(page, "We received your report and are acting on it."));
    assert_null(strstr(page, "passport policy"));
    assert_int_equal(ts_element_text(page, "status", status, sizeof status), 0);
    assert_string_equal(status, "Being looked into");
    free(page);

    run_as(f, 0, (const char *const[]){"list", "--status", "investigating", "--json", NULL}, 0, "\"severity\": \"critical\"");
    run_as(f, 1, (const char *const[]){"close", ref, "--outcome", "substantiated", "-m", "Passport returned; disciplinary action.", NULL}, 0, "closed");
    r = as(f, 0, (const char *const[]){"show", ref, "--json", NULL}, 0);
    assert_non_null(strstr(r.out, "\"status\": \"closed\""));
    assert_non_null(strstr(r.out, "\"category\": \"sexual-exploitation-abuse\""));
    assert_non_null(strstr(r.out, "\"assignee\": \"Bob Ng\""));
    assert_non_null(strstr(r.out, "{\"from\": \"caseworker\""));
    assert_non_null(strstr(r.out, "Spoke to HR"));
    assert_non_null(strstr(r.out, "\"outcome\": \"substantiated\""));
    assert_non_null(strstr(r.out, "\"acknowledged\": \""));
    ts_result_free(&r);
    run_as(f, 0, (const char *const[]){"list", "--status", "closed", NULL}, 0, ref);
    run_as(f, 0, (const char *const[]){"audit", "verify", NULL}, 0, "intact");
}

static void test_list_shows_what_is_overdue(void **state)
{
    fixture *f = *state;
    char late[32], fresh[32], q[160];
    ts_result r;

    file_report(f, "an old report", late);
    file_report(f, "a new report", fresh);
    snprintf(q, sizeof q, "UPDATE cases SET received = '2026-01-05' WHERE ref = '%s'", late);
    sql(f, q);
    r = as(f, 0, (const char *const[]){"list", "--overdue", NULL}, 0);
    assert_non_null(strstr(r.out, late));
    assert_non_null(strstr(r.out, "2026-01-12 OVERDUE"));
    assert_null(strstr(r.out, fresh));
    ts_result_free(&r);
    /* A reply acknowledges the case: feedback is then due three months later. */
    run_as(f, 0, (const char *const[]){"reply", late, "-m", "We are on it.", NULL}, 0, NULL);
    r = as(f, 0, (const char *const[]){"list", "--json", NULL}, 0);
    assert_non_null(strstr(r.out, "\"overdue\": false"));
    assert_null(strstr(r.out, "\"overdue\": true"));
    ts_result_free(&r);
}

static void test_illegal_transitions_are_refused_and_reopening_needs_a_reason(void **state)
{
    fixture *f = *state;
    char ref[32];

    file_report(f, "transitions", ref);
    run_as(f, 0, (const char *const[]){"status", ref, "new", NULL}, 1, "already");
    run_as(f, 0, (const char *const[]){"status", ref, "investigating", NULL}, 0, NULL);
    run_as(f, 0, (const char *const[]){"status", ref, "new", NULL}, 1, "cannot go back to new");
    run_as(f, 0, (const char *const[]){"status", ref, "closed", NULL}, 1, "casework close");
    run_as(f, 0, (const char *const[]){"status", ref, "paused", NULL}, 2,
           "unknown status 'paused' (new, triaged, investigating, referred, closed)");
    run_as(f, 0, (const char *const[]){"close", ref, "--outcome", "maybe", "-m", "x", NULL}, 2,
           "unknown outcome 'maybe' (substantiated, unsubstantiated, referred, withdrawn, no-action)");
    run_as(f, 0, (const char *const[]){"triage", ref, "--category", "gossip", "--severity", "low", NULL}, 2,
           "unknown category 'gossip' (harassment, sexual-harassment, bullying, discrimination, sexual-exploitation-abuse, other)");
    run_as(f, 0, (const char *const[]){"triage", ref, "--category", "other", "--severity", "dire", NULL}, 2,
           "unknown severity 'dire' (low, medium, high, critical)");
    run_as(f, 0, (const char *const[]){"list", "--status", "paused", NULL}, 2,
           "unknown status 'paused' (new, triaged, investigating, referred, closed)");
    run_as(f, 0, (const char *const[]){"close", ref, "--outcome", "withdrawn", "-m", "reporter withdrew", NULL}, 0, NULL);
    run_as(f, 0, (const char *const[]){"close", ref, "--outcome", "withdrawn", "-m", "again", NULL}, 1, "closed already");
    run_as(f, 0, (const char *const[]){"assign", ref, "--to", "Alice", NULL}, 1, "closed");
    run_as(f, 0, (const char *const[]){"status", ref, "investigating", NULL}, 1, "give a reason with -m");
    run_as(f, 0, (const char *const[]){"status", ref, "investigating", "-m", "new evidence arrived", NULL}, 0, NULL);
}

static void test_a_case_sealed_to_one_caseworker_and_shared(void **state)
{
    fixture *f = *state;
    char ref[32], carol_pub[PATH_MAX + 8], bob_pub[PATH_MAX + 8];
    ts_result r;

    snprintf(carol_pub, sizeof carol_pub, "%s.pub", f->key[2]);
    snprintf(bob_pub, sizeof bob_pub, "%s.pub", f->key[1]);
    file_report(f, "about Bob's friend", ref);   /* Bob left out */
    r = as(f, 1, (const char *const[]){"show", ref, NULL}, 1);
    assert_non_null(strstr(r.err, "not a recipient"));
    assert_null(strstr(r.out, "Bob's friend"));
    ts_result_free(&r);
    run_as(f, 1, (const char *const[]){"note", ref, "-m", "let me in", NULL}, 1, "not a recipient");
    run_as(f, 1, (const char *const[]){"list", NULL}, 0, "(not yours)");
    r = as(f, 0, (const char *const[]){"list", NULL}, 0);
    {
        /* the case's line ends with the R (restricted) mark */
        const char *line = strstr(r.out, ref), *end = line != NULL ? strchr(line, '\n') : NULL;
        assert_non_null(end);
        assert_memory_equal(end - 2, " R", 2);
    }
    ts_result_free(&r);
    run_as(f, 0, (const char *const[]){"share", ref, "--with", bob_pub, NULL}, 1, "left Bob Ng");
    run_as(f, 2, (const char *const[]){"show", ref, NULL}, 1, "not a recipient");
    run_as(f, 0, (const char *const[]){"share", ref, "--with", carol_pub, NULL}, 0, "shared with Carol Diaz");
    run_as(f, 0, (const char *const[]){"share", ref, "--with", carol_pub, NULL}, 1, "already");
    run_as(f, 2, (const char *const[]){"show", ref, NULL}, 0, "about Bob's friend");
    /* Later records reach Carol too, and still not Bob. */
    run_as(f, 0, (const char *const[]){"note", ref, "-m", "handover to Carol", NULL}, 0, NULL);
    run_as(f, 2, (const char *const[]){"show", ref, NULL}, 0, "handover to Carol");
    run_as(f, 1, (const char *const[]){"show", ref, NULL}, 1, "not a recipient");
}

/* Runs python3's json module on text with a check script (which reads the parsed value as `v`
 * and raises on failure); fails the test with python's message when it does not parse or the
 * check fails. What a user does with `casework show CASE --json | python3 -m json.tool`. */
static void check_json(const fixture *f, const char *text, const char *check)
{
    char path[PATH_MAX], script[2048];
    ts_result r;

    ts_write_file(ts_path(path, f->dir, "out.json"), text, strlen(text));
    snprintf(script, sizeof script, "import json, sys\nv = json.load(open(sys.argv[1], encoding='utf-8'))\n%s\n", check);
    r = ts_run((const char *const[]){PYTHON3_BIN, "-c", script, path, NULL}, NULL);
    if (r.status != 0)
        fail_msg("JSON check failed (%s):\n%s\non: %s", check, r.err, text);
    ts_result_free(&r);
}

static void test_show_and_list_json_parse_and_agree_with_the_text(void **state)
{
    fixture *f = *state;
    char ref[32], carol_pub[PATH_MAX + 8];
    ts_result r;

    snprintf(carol_pub, sizeof carol_pub, "%s.pub", f->key[2]);
    file_report(f, "Caf\xc3\xa9 \"incident\"\tafter the \xe2\x80\x9cparty\xe2\x80\x9d", ref);   /* Bob left out */
    run_as(f, 0, (const char *const[]){"triage", ref, "--category", "bullying", "--severity", "high", NULL}, 0, NULL);
    run_as(f, 0, (const char *const[]){"share", ref, "--with", carol_pub, NULL}, 0, NULL);
    run_as(f, 0, (const char *const[]){"reply", ref, "-m", "We have your report.", NULL}, 0, NULL);
    run_as(f, 2, (const char *const[]){"note", ref, "-m", "Carol read it", NULL}, 0, NULL);
    for (int who = 0; who <= 2; who += 2) {
        r = as(f, who, (const char *const[]){"show", ref, "--json", NULL}, 0);
        check_json(f, r.out,
                   "assert v['category'] == 'bullying' and v['severity'] == 'high' and v['restricted'] is True\n"
                   "assert 'recipient' not in v['report'] and 'reporter_pk' not in v['report']\n"
                   "assert v['report']['description'] == 'Caf\\u00e9 \"incident\"\\tafter the \\u201cparty\\u201d'\n"
                   "assert len(v['left_out']) == 1 and len(v['left_out'][0]) == 16\n"
                   "shares = [h for h in v['history'] if h.get('action') == 'share']\n"
                   "assert len(shares) == 1 and shares[0]['name'] == 'Carol Diaz' and shares[0]['by'] == 'Alice Martin', v['history']\n"
                   "assert 'x25519' not in shares[0]\n"
                   "assert [h['action'] for h in v['history']] == ['triage', 'share']\n"
                   "replies = [m for m in v['messages'] if m['from'] == 'caseworker']\n"
                   "assert len(replies) == 1 and replies[0]['by'] == 'Alice Martin' and replies[0]['text'] == 'We have your report.'\n"
                   "assert v['notes'][0]['by'] == 'Carol Diaz'\n"
                   "assert [a['name'] for a in v['attachments']][0] == 'letter.pdf'");
        ts_result_free(&r);
    }
    /* The text lists the same share. */
    run_as(f, 0, (const char *const[]){"show", ref, NULL}, 0, "Alice Martin shared the case with name=Carol Diaz");
    for (int who = 0; who <= 2; who++) {
        r = as(f, who, (const char *const[]){"list", "--json", NULL}, 0);
        check_json(f, r.out, who == 1 ? "assert [c['readable'] for c in v] == [False]"
                                      : "assert [c['category'] for c in v] == ['bullying'] and v[0]['restricted'] is True");
        ts_result_free(&r);
    }
}

/* The one file in the state folder whose name starts with prefix, into path; 1 when found. */
static int index_file(const char *prefix, char path[PATH_MAX])
{
    DIR *d = opendir(ts_state_dir());
    struct dirent *e;
    int found = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 && strstr(e->d_name, ".index") != NULL) {
            snprintf(path, PATH_MAX, "%s/%s", ts_state_dir(), e->d_name);
            found++;
        }
    closedir(d);
    return found == 1;
}

static void test_the_list_index_stays_on_the_caseworkers_machine(void **state)
{
    fixture *f = *state;
    char ref[32], path[PATH_MAX], pub[PATH_MAX + 8], id[17], *line, *blob;
    size_t len;

    snprintf(pub, sizeof pub, "%s.pub", f->key[0]);
    line = ts_read_file(pub, NULL);
    snprintf(id, sizeof id, "%.16s", line + 7);
    free(line);
    file_report(f, "about the index", ref);
    run_as(f, 0, (const char *const[]){"list", NULL}, 0, ref);
    /* Nothing of it in the shared database: the table is gone. */
    assert_int_equal(sql_count(f, "SELECT count(*) FROM sqlite_schema WHERE name = 'caseworker_index'"), 0);
    /* Alice's index of this database is a private file of hers. */
    assert_true(index_file(id, path));
    assert_int_equal(ts_file_mode(path), 0600);
    assert_int_equal(ts_file_mode(ts_state_dir()), 0700);
    /* A damaged file is rebuilt, and list still shows everything. */
    blob = ts_read_file(path, &len);
    blob[len / 2] ^= 1;
    ts_write_file(path, blob, len);
    free(blob);
    run_as(f, 0, (const char *const[]){"triage", ref, "--category", "bullying", "--severity", "low", NULL}, 0, NULL);
    run_as(f, 0, (const char *const[]){"list", NULL}, 0, "bullying");
    blob = ts_read_file(path, &len);
    assert_true(len > 41);
    free(blob);
    /* Without any state folder, list builds the index in memory and keeps nothing. */
    {
        const char *env[] = {f->env_db, f->env_key, f->env_pass, "CASEWORK_STATE_DIR=", "XDG_STATE_HOME=", "HOME=/nonexistent", NULL};
        const char *argv[] = {CASEWORK_BIN, "list", NULL};
        ts_result r = ts_run(argv, env);
        assert_int_equal(r.status, 0);
        assert_non_null(strstr(r.out, "bullying"));
        ts_result_free(&r);
    }
}

static void test_slot_counts_do_not_tell_who_was_left_out(void **state)
{
    fixture *f = *state;
    char restricted[32], open_case[32], q[256];

    file_report(f, "Bob left out", restricted);
    file_report_full(f, "nobody left out", NULL, open_case, NULL);
    for (int i = 0; i < 2; i++) {
        const char *ref = i == 0 ? restricted : open_case;
        run_as(f, 0, (const char *const[]){"note", ref, "-m", "a note", NULL}, 0, NULL);
        run_as(f, 0, (const char *const[]){"triage", ref, "--category", "bullying", "--severity", "low", NULL}, 0, NULL);
        run_as(f, 0, (const char *const[]){"reply", ref, "-m", "a reply", NULL}, 0, NULL);
        /* Two recipients are configured: every record has two slots, replies one more for the
         * reporter, whether or not the reporter left Bob out. */
        snprintf(q, sizeof q, "SELECT count(*) FROM records r JOIN cases c ON c.id = r.case_id WHERE c.ref = '%s'"
                              " AND r.audience IN (1, 2) AND substr(r.envelope, 5, 2) != (CASE r.audience WHEN 1 THEN x'0200' ELSE x'0300' END)",
                 ref);
        assert_int_equal(sql_count(f, q), 0);
        snprintf(q, sizeof q, "SELECT count(*) FROM records r JOIN cases c ON c.id = r.case_id WHERE c.ref = '%s'", ref);
        assert_true(sql_count(f, q) >= 7);   /* report, 2 attachment metadata, box, note, triage, reply */
    }
}

typedef struct intruder_check {
    unsigned char pk[32], sk[32];
    const char *ref;
    int opened;
} intruder_check;

static int try_intruder(void *ctx, const store_record *r)
{
    intruder_check *ic = ctx;
    enum envelope_kind kind;
    unsigned char *plain = NULL;
    size_t len;

    if (envelope_open_any(ic->pk, ic->sk, ic->ref, r->envelope, r->envelope_len, &kind, &plain, &len, NULL, 0) == 0) {
        ic->opened++;
        sodium_free(plain);
    }
    return 0;
}

static void test_a_forged_share_is_flagged_and_never_sealed_to(void **state)
{
    fixture *f = *state;
    intruder_check ic = {.opened = 0};
    char ref[32], id[17], err[300];
    pubkey *recipients = NULL;
    size_t nrecipients = 0, len, env_len;
    unsigned char pks[64], *plain, *env;
    field fl[4];
    store_case c;
    store *s;
    ts_result r;

    file_report_full(f, "about the depot", NULL, ref, NULL);
    /* What anyone who can write the database can do: seal a share record naming their own key
     * to the case's caseworkers (whose public keys are no secret), and add it. */
    crypto_box_keypair(ic.pk, ic.sk);
    ic.ref = ref;
    assert_int_equal(pubkey_load_file(f->recipients, &recipients, &nrecipients, err, sizeof err), 0);
    memcpy(pks, recipients[0].x25519, 32);
    memcpy(pks + 32, recipients[1].x25519, 32);
    free(recipients);
    memset(id, 'a', 16);
    id[16] = '\0';
    fields_set(&fl[0], "x25519", ic.pk, 32);
    fields_set(&fl[1], "name", "Helpdesk", 8);
    fields_set(&fl[2], "key_id", id, 16);
    fields_set(&fl[3], "by", "Alice Martin", 12);
    len = fields_encoded_size(fl, 4);
    plain = malloc(len);
    assert_int_equal(fields_encode(fl, 4, plain), 0);
    assert_int_equal(envelope_seal(pks, 2, NULL, ENVELOPE_KIND_SHARE, ref, plain, len, &env, &env_len, err, sizeof err), 0);
    free(plain);
    assert_int_equal(store_open(f->db, &s, err, sizeof err), 0);
    assert_int_equal(store_case_by_ref(s, ref, &c, err, sizeof err), 0);
    assert_int_equal(store_record_add(s, c.id, STORE_AUDIENCE_CASEWORKERS, env, env_len, NULL, err, sizeof err), 0);
    free(env);
    /* show flags it and does not list it as a share. */
    r = as(f, 0, (const char *const[]){"show", ref, NULL}, 0);
    assert_non_null(strstr(r.out, "WARNING"));
    assert_non_null(strstr(r.out, "signed by none of its caseworkers"));
    assert_null(strstr(r.out, "shared the case with"));
    ts_result_free(&r);
    r = as(f, 0, (const char *const[]){"show", ref, "--json", NULL}, 0);
    check_json(f, r.out, "assert [x['kind'] for x in v['forged']] == ['share'] and v['history'] == []");
    ts_result_free(&r);
    /* What the caseworkers write next is not sealed to the intruder's key. */
    run_as(f, 0, (const char *const[]){"note", ref, "-m", "handover notes", NULL}, 0, NULL);
    run_as(f, 0, (const char *const[]){"reply", ref, "-m", "we are on it", NULL}, 0, NULL);
    run_as(f, 0, (const char *const[]){"triage", ref, "--category", "bullying", "--severity", "high", NULL}, 0, NULL);
    assert_int_equal(store_records_each(s, c.id, 0, try_intruder, &ic, err, sizeof err), 0);
    assert_int_equal(ic.opened, 0);
    store_close(s);
    /* And list still reads the case as its caseworkers wrote it. */
    run_as(f, 0, (const char *const[]){"list", NULL}, 0, "bullying");
}

/* Seals a report naming no signer, to both caseworkers and the intruder's key, as a thief
 * would; adds it to case ref and returns its record id. */
static int64_t forge_report(const fixture *f, const char *ref, const unsigned char intruder_pk[32])
{
    pubkey *recipients = NULL;
    size_t nrecipients = 0, len, env_len;
    unsigned char pks[96], *plain, *env;
    field fl[4];
    store_case c;
    int64_t id;
    char err[300];
    store *s;

    assert_int_equal(pubkey_load_file(f->recipients, &recipients, &nrecipients, err, sizeof err), 0);
    memcpy(pks, recipients[0].x25519, 32);
    memcpy(pks + 32, recipients[1].x25519, 32);
    memcpy(pks + 64, intruder_pk, 32);
    fields_set(&fl[0], "category", "other", 5);
    fields_set(&fl[1], "description", "Please add the helpdesk to this case.", 37);
    fields_set(&fl[2], "recipient", recipients[0].x25519, 32);
    fields_set(&fl[3], "recipient", intruder_pk, 32);
    len = fields_encoded_size(fl, 4);
    plain = malloc(len);
    assert_int_equal(fields_encode(fl, 4, plain), 0);
    free(recipients);   /* fl pointed into it */
    assert_int_equal(envelope_seal(pks, 3, NULL, ENVELOPE_KIND_REPORT, ref, plain, len, &env, &env_len, err, sizeof err), 0);
    free(plain);
    assert_int_equal(store_open(f->db, &s, err, sizeof err), 0);
    assert_int_equal(store_case_by_ref(s, ref, &c, err, sizeof err), 0);
    assert_int_equal(store_record_add(s, c.id, STORE_AUDIENCE_CASEWORKERS, env, env_len, &id, err, sizeof err), 0);
    store_close(s);
    free(env);
    return id;
}

static void test_a_report_added_or_replaced_stops_all_writing(void **state)
{
    fixture *f = *state;
    intruder_check ic = {.opened = 0};
    char first[32], second[32], q[160], err[300];
    int64_t forged;
    store_case c;
    store *s;
    ts_result r;

    crypto_box_keypair(ic.pk, ic.sk);
    /* A forged report put first: the case holds two reports. */
    file_report_full(f, "the real report", NULL, first, NULL);
    forged = forge_report(f, first, ic.pk);
    snprintf(q, sizeof q, "UPDATE records SET seq = -1 WHERE id = %lld", (long long)forged);
    sql(f, q);
    r = as(f, 0, (const char *const[]){"show", first, NULL}, 0);
    assert_non_null(strstr(r.out, "tampered with"));
    ts_result_free(&r);
    run_as(f, 0, (const char *const[]){"note", first, "-m", "a note", NULL}, 1, "tampered with");
    run_as(f, 0, (const char *const[]){"reply", first, "-m", "a reply", NULL}, 1, "tampered with");
    /* The real report replaced by the forged one, after a caseworker wrote to the case. */
    file_report_full(f, "another real report", NULL, second, NULL);
    run_as(f, 0, (const char *const[]){"note", second, "-m", "first note", NULL}, 0, NULL);
    forged = forge_report(f, second, ic.pk);
    snprintf(q, sizeof q, "DELETE FROM records WHERE seq = 1 AND case_id = (SELECT id FROM cases WHERE ref = '%s')", second);
    sql(f, q);
    snprintf(q, sizeof q, "UPDATE records SET seq = 1 WHERE id = %lld", (long long)forged);
    sql(f, q);
    r = as(f, 0, (const char *const[]){"show", second, "--json", NULL}, 0);
    check_json(f, r.out, "assert v['tampered'] is True");
    ts_result_free(&r);
    run_as(f, 0, (const char *const[]){"reply", second, "-m", "a reply", NULL}, 1, "tampered with");
    /* Nothing casework wrote opens with the intruder's key. */
    assert_int_equal(store_open(f->db, &s, err, sizeof err), 0);
    ic.ref = first;
    assert_int_equal(store_case_by_ref(s, first, &c, err, sizeof err), 0);
    assert_int_equal(store_records_each(s, c.id, 0, try_intruder, &ic, err, sizeof err), 0);
    ic.ref = second;
    assert_int_equal(store_case_by_ref(s, second, &c, err, sizeof err), 0);
    assert_int_equal(store_records_each(s, c.id, 0, try_intruder, &ic, err, sizeof err), 0);
    store_close(s);
    assert_int_equal(ic.opened, 2);   /* the two forged reports themselves, and nothing else */
}

static void test_export_makes_hostile_names_safe_and_never_overwrites(void **state)
{
    fixture *f = *state;
    char ref[32], out[PATH_MAX], path[PATH_MAX + 64];
    char *data;

    file_report(f, "with files", ref);
    ts_path(out, f->dir, "exported");
    run_as(f, 0, (const char *const[]){"export", ref, "--out", out, NULL}, 0, "01-letter.pdf");
    assert_int_equal(ts_file_mode(out), 0700);
    snprintf(path, sizeof path, "%s/01-letter.pdf", out);
    assert_int_equal(ts_file_mode(path), 0600);
    data = ts_read_file(path, NULL);
    assert_string_equal(data, "%PDF-1.4 fake");
    free(data);
    /* "../../.bashrc" with control characters: no separators, no leading dot, no controls */
    snprintf(path, sizeof path, "%s/02-_______bashrc[31m", out);
    data = ts_read_file(path, NULL);
    assert_non_null(data);
    assert_string_equal(data, "echo owned");
    free(data);
    run_as(f, 0, (const char *const[]){"export", ref, "--out", out, NULL}, 1, "never overwritten");
}

/* term_safe_copy of the C string in, into a buffer of cap bytes. */
static void expect_filtered(const char *in, size_t cap, const char *want)
{
    char out[64];

    assert_true(cap <= sizeof out);
    term_safe_copy(out, cap, in, strlen(in));
    assert_string_equal(out, want);
}

static void test_one_terminal_filter_for_every_kind_of_control(void **state)
{
    (void)state;
    expect_filtered("plain é text\twith\ttabs\nand lines", 64, "plain é text\twith\ttabs\nand lines");
    expect_filtered("a\x1b[31mred", 64, "a?[31mred");            /* C0: ESC */
    expect_filtered("over\rwrite", 64, "over?write");            /* C0: CR */
    expect_filtered("del\x7f", 64, "del?");                      /* DEL */
    expect_filtered("csi\x9b" "31m", 64, "csi?31m");             /* C1 as one raw byte */
    expect_filtered("csi\xc2\x9b" "31m", 64, "csi?31m");         /* C1 as UTF-8 */
    expect_filtered("gpj.\xe2\x80\xae" "exe", 64, "gpj.?exe");   /* bidi override */
    expect_filtered("bad\xff\xfe", 64, "bad??");                 /* not UTF-8 at all */
    expect_filtered("cut\xc3", 64, "cut?");                      /* a character cut short */
    expect_filtered("\xc0\xaf", 64, "??");                       /* overlong '/' */
    expect_filtered("\xed\xa0\x80", 64, "???");                  /* a surrogate */
    expect_filtered("aé", 3, "a");                               /* é does not fit whole: left out */
    expect_filtered("aé", 4, "aé");
}

/* Files a report whose one attachment is called name (as the browser sends it); returns its case. */
static void file_report_with_file_named(const fixture *f, const char *name, char ref[32])
{
    ts_buf body = {0};
    char csrf[64];
    int status;
    char *page;

    ts_csrf(f->port, "/", csrf);
    ts_multipart_field(&body, "csrf", csrf);
    ts_multipart_field(&body, "category", "discrimination");
    ts_multipart_field(&body, "description", "a file with a hostile name");
    ts_multipart_file(&body, "attachment", name, "text/plain", "contents", 8);
    ts_multipart_end(&body);
    page = ts_post(f->port, NULL, "/report", "multipart/form-data; boundary=" TS_BOUNDARY, &body, NULL, &status);
    assert_int_equal(status, 200);
    assert_int_equal(ts_element_text(page, "case", ref, 32), 0);
    free(page);
    ts_buf_free(&body);
}

static void test_raw_c1_bytes_and_cut_characters_never_reach_the_terminal_or_a_file_name(void **state)
{
    fixture *f = *state;
    char ref[32], out[PATH_MAX], name[300];
    size_t n = 0, found = 0;
    ts_result r;
    DIR *d;
    struct dirent *e;

    /* 0x9b is the one-byte CSI; the intake keeps 255 bytes of a name, which cuts the last é */
    n += (size_t)snprintf(name, sizeof name, "\x9b" "31mred-");
    for (int i = 0; i < 124; i++)
        n += (size_t)snprintf(name + n, sizeof name - n, "é");
    file_report_with_file_named(f, name, ref);

    r = as(f, 0, (const char *const[]){"show", ref, NULL}, 0);
    assert_null(memchr(r.out, 0x9b, strlen(r.out)));
    assert_true(utf8_valid(r.out, strlen(r.out), 1));
    assert_non_null(strstr(r.out, "?31mred-éé"));
    ts_result_free(&r);

    ts_path(out, f->dir, "exported-c1");
    run_as(f, 0, (const char *const[]){"export", ref, "--out", out, NULL}, 0, "01-_31mred");
    d = opendir(out);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.')
            continue;
        found++;
        assert_true(utf8_valid(e->d_name, len, 0));      /* valid UTF-8, no character cut */
        assert_true(len <= 120);
        assert_int_equal(strncmp(e->d_name, "01-_31mred-éé", strlen("01-_31mred-éé")), 0);
    }
    closedir(d);
    assert_int_equal(found, 1);
}

static void test_notes_from_the_editor_and_an_empty_text_aborts(void **state)
{
    fixture *f = *state;
    char ref[32], editor[PATH_MAX], env_editor[PATH_MAX + 16], env_key[PATH_MAX + 16];
    const char *env[] = {f->env_db, env_key, f->env_pass, env_editor, NULL};
    char line[PATH_MAX + 64];
    /* on a terminal (script(1) gives the command a pseudo-terminal, as a caseworker's is) */
    const char *note[] = {"/usr/bin/script", "-qec", line, "/dev/null", NULL};
    const char *blind[] = {CASEWORK_BIN, "note", ref, NULL};
    const char *show[] = {CASEWORK_BIN, "show", ref, NULL};
    ts_result r;

    file_report(f, "editor", ref);
    snprintf(line, sizeof line, "%s note %s", CASEWORK_BIN, ref);
    snprintf(env_key, sizeof env_key, "CASEWORK_KEY=%s", f->key[0]);
    ts_path(editor, f->dir, "editor.sh");
    {
        static const char script[] = "#!/bin/sh\nprintf 'Written in the editor.\\n# a comment line\\n' > \"$1\"\n";
        ts_write_file(editor, script, strlen(script));
    }
    assert_int_equal(chmod(editor, 0700), 0);
    snprintf(env_editor, sizeof env_editor, "EDITOR=%s", editor);
    r = ts_run(note, env);
    if (r.status != 0)
        fail_msg("note with the editor failed: %s", r.err);
    ts_result_free(&r);
    r = ts_run(show, env);
    assert_non_null(strstr(r.out, "Written in the editor."));
    assert_null(strstr(r.out, "a comment line"));
    ts_result_free(&r);
    /* An editor that leaves only the comments: nothing is added. */
    ts_write_file(editor, "#!/bin/sh\ntrue\n", strlen("#!/bin/sh\ntrue\n"));
    r = ts_run(note, env);
    assert_int_equal(r.status, 1);
    assert_true(strstr(r.out, "empty") != NULL);   /* (on the terminal: script's output) */
    ts_result_free(&r);
    /* A failing editor: nothing is added either. */
    ts_write_file(editor, "#!/bin/sh\nexit 3\n", strlen("#!/bin/sh\nexit 3\n"));
    r = ts_run(note, env);
    assert_int_equal(r.status, 1);
    assert_true(strstr(r.out, "editor") != NULL);
    ts_result_free(&r);
    r = ts_run(show, env);
    assert_int_equal(ts_count(r.out, "Written in the editor."), 1);
    ts_result_free(&r);
    /* without a terminal and without -m, no editor is started: a usage error, nothing added */
    ts_write_file(editor, "#!/bin/sh\necho started > \"$1.started\"\n", strlen("#!/bin/sh\necho started > \"$1.started\"\n"));
    r = ts_run(blind, env);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "no terminal"));
    assert_non_null(strstr(r.err, "-F FILE"));
    ts_result_free(&r);
    r = ts_run(show, env);
    assert_int_equal(ts_count(r.out, "Written in the editor."), 1);
    ts_result_free(&r);
}

/* The "Max core file size" line of /proc/PID/limits, as the editor (a child of casework) read it
 * from its parent while casework held the unlocked key. */
static void test_casework_runs_without_core_dumps(void **state)
{
    fixture *f = *state;
    char ref[32], editor[PATH_MAX], seen[PATH_MAX], env_editor[PATH_MAX + 16], env_key[PATH_MAX + 16];
    const char *env[] = {f->env_db, env_key, f->env_pass, env_editor, NULL};
    char line[PATH_MAX + 64], script[2 * PATH_MAX];
    const char *note[] = {"/usr/bin/script", "-qec", line, "/dev/null", NULL};
    char *limits;
    ts_result r;

    file_report(f, "core", ref);
    snprintf(line, sizeof line, "%s note %s", CASEWORK_BIN, ref);
    snprintf(env_key, sizeof env_key, "CASEWORK_KEY=%s", f->key[0]);
    ts_path(editor, f->dir, "limits-editor.sh");
    ts_path(seen, f->dir, "parent-limits");
    snprintf(script, sizeof script, "#!/bin/sh\ngrep 'Max core file size' /proc/$PPID/limits > '%s'\n"
             "echo 'A note.' > \"$1\"\n", seen);
    ts_write_file(editor, script, strlen(script));
    assert_int_equal(chmod(editor, 0700), 0);
    snprintf(env_editor, sizeof env_editor, "EDITOR=%s", editor);
    r = ts_run(note, env);
    if (r.status != 0)
        fail_msg("note with the editor failed: %s", r.out);
    ts_result_free(&r);
    limits = ts_read_file(seen, NULL);
    assert_non_null(limits);
    /* "Max core file size        0                    0                    bytes" */
    if (strstr(limits, " 0 ") == NULL || strstr(limits, "unlimited") != NULL)
        fail_msg("casework allows core dumps: %s", limits);
    free(limits);
}

/* Runs a shell command line with casework as caseworker who, and checks its exit status. */
static ts_result sh_as(const fixture *f, int who, const char *cmdline, int expect)
{
    char env_key[PATH_MAX + 16];
    const char *env[] = {f->env_db, env_key, f->env_pass, NULL};
    const char *argv[] = {"/bin/sh", "-c", cmdline, NULL};
    ts_result r;

    snprintf(env_key, sizeof env_key, "CASEWORK_KEY=%s", f->key[who]);
    r = ts_run(argv, env);
    if (r.status != expect)
        fail_msg("%s exited %d, expected %d: %s", cmdline, r.status, expect, r.err);
    return r;
}

static void test_texts_from_a_file_or_standard_input_never_the_command_line(void **state)
{
    fixture *f = *state;
    char ref[32], text[PATH_MAX], cmdline[3 * PATH_MAX];
    ts_result r;

    file_report(f, "texts", ref);
    ts_path(text, f->dir, "note.txt");
    ts_write_file(text, "From a file.\n# not a comment here\n", strlen("From a file.\n# not a comment here\n"));
    run_as(f, 0, (const char *const[]){"note", ref, "-F", text, NULL}, 0, "note added");
    snprintf(cmdline, sizeof cmdline, "printf 'From standard input.\\n' | %s reply %s -F -", CASEWORK_BIN, ref);
    r = sh_as(f, 0, cmdline, 0);
    ts_result_free(&r);
    snprintf(cmdline, sizeof cmdline, "printf 'Closing reason from a pipe.' | %s close %s --outcome no-action -F -",
             CASEWORK_BIN, ref);
    r = sh_as(f, 0, cmdline, 0);
    ts_result_free(&r);
    r = as(f, 0, (const char *const[]){"show", ref, NULL}, 0);
    assert_non_null(strstr(r.out, "From a file."));
    assert_non_null(strstr(r.out, "# not a comment here"));   /* a file is taken as it is */
    assert_non_null(strstr(r.out, "From standard input."));
    assert_non_null(strstr(r.out, "Closing reason from a pipe."));
    ts_result_free(&r);
    /* both -m and -F: a usage error; a missing file and an empty one: nothing is done */
    run_as(f, 0, (const char *const[]){"note", ref, "-F", text, "-m", "twice", NULL}, 2, "not both");
    run_as(f, 0, (const char *const[]){"note", ref, "-F", "/nonexistent/note.txt", NULL}, 1, "does not exist");
    ts_write_file(text, "\n\n", 2);
    run_as(f, 0, (const char *const[]){"note", ref, "-F", text, NULL}, 1, "empty");
    r = as(f, 0, (const char *const[]){"show", ref, NULL}, 0);
    assert_int_equal(ts_count(r.out, "From a file."), 1);
    assert_null(strstr(r.out, "twice"));
    ts_result_free(&r);
    /* -m is still there, with a warning in its help */
    r = as(f, 0, (const char *const[]){"note", "--help", NULL}, 0);
    assert_non_null(strstr(r.out, "not for anything sensitive"));
    ts_result_free(&r);
}

static void test_key_and_passphrase_files_open_to_others_are_refused(void **state)
{
    fixture *f = *state;
    char ref[32], chmod_hint[PATH_MAX + 32];
    ts_result r;

    file_report(f, "modes", ref);
    assert_int_equal(chmod(f->key[0], 0644), 0);
    r = as(f, 0, (const char *const[]){"show", ref, NULL}, 1);
    snprintf(chmod_hint, sizeof chmod_hint, "chmod 600 %s", f->key[0]);
    assert_non_null(strstr(r.err, chmod_hint));
    assert_non_null(strstr(r.err, "0644"));
    assert_null(strstr(r.out, "Building 4"));
    ts_result_free(&r);
    assert_int_equal(chmod(f->key[0], 0640), 0);   /* group-readable is open too */
    run_as(f, 0, (const char *const[]){"show", ref, NULL}, 1, "chmod 600");
    assert_int_equal(chmod(f->key[0], 0600), 0);
    assert_int_equal(chmod(f->pass, 0604), 0);
    snprintf(chmod_hint, sizeof chmod_hint, "chmod 600 %s", f->pass);
    run_as(f, 0, (const char *const[]){"show", ref, NULL}, 1, chmod_hint);
    assert_int_equal(chmod(f->pass, 0600), 0);
    run_as(f, 0, (const char *const[]){"show", ref, NULL}, 0, "Building 4");
}

static void test_a_mistyped_command_gets_a_suggestion(void **state)
{
    (void)state;
    ts_expect((const char *const[]){CASEWORK_BIN, "lsit", NULL}, NULL, 2, NULL, "did you mean 'list'?");
    ts_expect((const char *const[]){CASEWORK_BIN, "tirage", NULL}, NULL, 2, NULL, "did you mean 'triage'?");
    ts_expect((const char *const[]){CASEWORK_BIN, "pur", NULL}, NULL, 2, NULL, "did you mean 'purge'?");
    ts_expect((const char *const[]){CASEWORK_BIN, "audit", "verfy", NULL}, NULL, 2, NULL, "did you mean 'verify'?");
    /* nothing near: no guess */
    ts_result r = ts_run((const char *const[]){CASEWORK_BIN, "frobnicate", NULL}, NULL);
    assert_int_equal(r.status, 2);
    assert_null(strstr(r.err, "did you mean"));
    ts_result_free(&r);
    /* "s" begins show, share, stats, sync...: no single guess */
    r = ts_run((const char *const[]){CASEWORK_BIN, "s", NULL}, NULL);
    assert_null(strstr(r.err, "did you mean"));
    ts_result_free(&r);
}

static void test_concurrent_updates_lose_nothing(void **state)
{
    fixture *f = *state;
    char ref[32], env_a[PATH_MAX + 16], env_b[PATH_MAX + 16], log[PATH_MAX];
    pid_t pids[6];
    ts_result r;

    file_report_full(f, "busy case", NULL, ref, NULL);
    snprintf(env_a, sizeof env_a, "CASEWORK_KEY=%s", f->key[0]);
    snprintf(env_b, sizeof env_b, "CASEWORK_KEY=%s", f->key[1]);
    for (int i = 0; i < 6; i++) {
        char text[32];
        snprintf(text, sizeof text, "concurrent note %d", i);
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            putenv(f->env_db);
            putenv(f->env_pass);
            putenv(i % 2 ? env_b : env_a);
            int fd = open(ts_path(log, f->dir, "note.log"), O_WRONLY | O_CREAT | O_APPEND, 0600);
            dup2(fd, 1);
            dup2(fd, 2);
            execl(CASEWORK_BIN, CASEWORK_BIN, "note", ref, "-m", text, (char *)NULL);
            _exit(127);
        }
    }
    for (int i = 0; i < 6; i++)
        assert_int_equal(ts_wait(pids[i], 60000), 0);
    r = as(f, 0, (const char *const[]){"show", ref, NULL}, 0);
    for (int i = 0; i < 6; i++) {
        char text[32];
        snprintf(text, sizeof text, "concurrent note %d", i);
        assert_non_null(strstr(r.out, text));
    }
    ts_result_free(&r);
    run_as(f, 1, (const char *const[]){"audit", "verify", NULL}, 0, "intact");
}

static int count_rows(const fixture *f, const char *table)
{
    return ts_count_rows(f->db, table);
}

static void test_purge_erases_closed_cases_and_keeps_only_their_figures(void **state)
{
    fixture *f = *state;
    char gone[32], open_ref[32], today[DAY_TEXT_SIZE], tomorrow[DAY_TEXT_SIZE], wal[PATH_MAX + 8];
    char sealed[24];
    const char *paths[2] = {f->db, wal};

    file_report_full(f, "Purge-me-text-4471 about a closed matter", NULL, gone, NULL);
    file_report_full(f, "still open", NULL, open_ref, NULL);
    run_as(f, 0, (const char *const[]){"close", gone, "--outcome", "no-action", "-m", "done", NULL}, 0, NULL);
    day_today(today);
    day_add(today, 1, 0, tomorrow);
    /* A stretch of the case's sealed report, to look for on disk afterwards. */
    {
        sqlite3 *db;
        sqlite3_stmt *st;
        char q[256];
        assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        snprintf(q, sizeof q, "SELECT hex(substr(envelope, 100, 24)) FROM records WHERE case_id ="
                              " (SELECT id FROM cases WHERE ref = '%s') ORDER BY id LIMIT 1", gone);
        assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        for (int i = 0; i < 24; i++) {
            unsigned v;
            sscanf((const char *)sqlite3_column_text(st, 0) + 2 * i, "%2x", &v);
            sealed[i] = (char)v;
        }
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    run_as(f, 0, (const char *const[]){"purge", "--closed-before", today, "--yes", NULL}, 0, "purged 0");
    run_as(f, 0, (const char *const[]){"purge", "--closed-before", "2026-02-30", "--yes", NULL}, 2, "YYYY-MM-DD");
    /* a day in the future is refused: it would erase cases closed today, or later */
    run_as(f, 0, (const char *const[]){"purge", "--closed-before", tomorrow, "--yes", NULL}, 2, "in the future");
    /* without a terminal, purge does not erase without --yes; --dry-run lists and erases nothing */
    {
        ts_result r = as_on(f, 0, "+1d", (const char *const[]){"purge", "--closed-before", tomorrow, NULL}, 2);
        assert_non_null(strstr(r.err, "--yes"));
        ts_result_free(&r);
        r = as_on(f, 0, "+1d", (const char *const[]){"purge", "--closed-before", tomorrow, "--dry-run", NULL}, 0);
        assert_non_null(strstr(r.out, gone));
        assert_non_null(strstr(r.out, "would be erased"));
        assert_non_null(strstr(r.out, "dry run: nothing was erased"));
        assert_null(strstr(r.out, open_ref));
        ts_result_free(&r);
        run_as(f, 0, (const char *const[]){"show", gone, NULL}, 0, "Purge-me-text-4471");
    }
    purge_tomorrow(f, 0, 0, "purged 1");
    run_as(f, 0, (const char *const[]){"show", gone, NULL}, 1, "no case");
    run_as(f, 0, (const char *const[]){"show", open_ref, NULL}, 0, "still open");
    assert_int_equal(count_rows(f, "retained_figures"), 1);
    assert_int_equal(count_rows(f, "attachment_chunks"), 2);   /* the open case's two files */
    /* Stop the intake so nothing else holds the file, then look for the erased text on disk. */
    kill(f->intake, SIGTERM);
    assert_int_equal(ts_wait(f->intake, 10000), 0);
    f->intake = 0;
    snprintf(wal, sizeof wal, "%s-wal", f->db);
    for (int i = 0; i < 2; i++) {
        size_t len;
        char *data = ts_read_file(paths[i], &len);
        if (data == NULL)
            continue;
        for (size_t j = 0; j + sizeof sealed <= len; j++)
            if (memcmp(data + j, sealed, sizeof sealed) == 0)
                fail_msg("the purged case's ciphertext is still in %s", paths[i]);
        free(data);
    }
    run_as(f, 0, (const char *const[]){"audit", "log", NULL}, 0, "closed-before=");
    {   /* the erasure's entry says it took effect */
        ts_result r = as(f, 0, (const char *const[]){"audit", "log", "--case", gone, "--json", NULL}, 0);
        check_json(f, r.out, "p = [e for e in (v['entries'] if isinstance(v, dict) else v) if e['action'] == 'purge']\n"
                             "assert [e['outcome'] for e in p] == ['begun', 'done'], p");
        ts_result_free(&r);
    }
    run_as(f, 0, (const char *const[]){"audit", "verify", NULL}, 0, "intact");
}


/* What the reporter's status page says as the case moves: a reply marks it handled; closing
 * with --reply shows the closing message and still takes follow-ups; after a purge the receipt
 * is told the case was closed and erased, not that it is wrong. */
static void test_the_status_page_follows_the_case_to_its_erasure(void **state)
{
    fixture *f = *state;
    char ref[32], receipt[64], status[96];
    char *page;

    file_report_full(f, "Status words", NULL, ref, receipt);
    page = ts_status_page(f->port, receipt);
    assert_int_equal(ts_element_text(page, "status", status, sizeof status), 0);
    assert_string_equal(status, "Received, waiting to be read");
    free(page);
    run_as(f, 0, (const char *const[]){"reply", ref, "-m", "We have read your report.", NULL}, 0, NULL);
    page = ts_status_page(f->port, receipt);
    assert_int_equal(ts_element_text(page, "status", status, sizeof status), 0);
    assert_string_equal(status, "Read by a caseworker, being handled");
    assert_null(strstr(page, "id=\"closed\""));
    free(page);
    run_as(f, 0, (const char *const[]){"close", ref, "--outcome", "referred", "--reply", "", NULL}, 2, "--reply takes");
    run_as(f, 0, (const char *const[]){"close", ref, "--outcome", "referred", "-m", "internal reason",
                                       "--reply", "We passed your report to the inspector general.", NULL}, 0, "closed");
    page = ts_status_page(f->port, receipt);
    assert_int_equal(ts_element_text(page, "status", status, sizeof status), 0);
    assert_string_equal(status, "Closed");
    assert_non_null(strstr(page, "id=\"closed\""));
    assert_int_equal(ts_element_text(page, "closing-message", status, sizeof status), 0);
    assert_string_equal(status, "We passed your report to the inspector general.");
    assert_non_null(strstr(page, "You can still add information"));
    assert_non_null(strstr(page, "action=\"/status/followup\""));
    assert_null(strstr(page, "internal reason"));   /* the reason stays with the caseworkers */
    free(page);
    purge_tomorrow(f, 0, 0, "purged 1");
    page = ts_status_page(f->port, receipt);
    assert_int_equal(ts_element_text(page, "status", status, sizeof status), 0);
    assert_string_equal(status, "Closed and erased");
    assert_non_null(strstr(page, "Your receipt is right."));
    assert_null(strstr(page, ref));   /* nothing of the case is left to show */
    free(page);
    assert_int_equal(count_rows(f, "erased_lookups"), 1);
    /* a receipt that was never a case is still told to check what was typed */
    {
        int code;
        page = ts_status_request(f->port, "0000-0000-0000-0000-0000-0000", &code);
        assert_int_equal(code, 404);
        assert_non_null(strstr(page, "No report has this receipt"));
        free(page);
    }
}


/* Runs a purge due tomorrow on a terminal (script(1)), typing answer at its question. */
static ts_result purge_on_a_terminal(const fixture *f, const char *answer)
{
    char today[DAY_TEXT_SIZE], tomorrow[DAY_TEXT_SIZE], line[3 * PATH_MAX], env_key[PATH_MAX + 16];
    const char *env[] = {f->env_db, env_key, f->env_pass, NULL};
    const char *argv[] = {"/bin/sh", "-c", line, NULL};

    day_today(today);
    day_add(today, 1, 0, tomorrow);
    snprintf(env_key, sizeof env_key, "CASEWORK_KEY=%s", f->key[0]);
    /* the answer comes a moment after the start, and standard input stays open until it is read */
    snprintf(line, sizeof line, "{ sleep 1; printf '%s\\n'; sleep 3; } | /usr/bin/script -qec "
             "'env LD_PRELOAD=%s FAKETIME=+1d ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1:abort_on_error=1 "
             "%s purge --closed-before %s' /dev/null", answer, FAKETIME_LIB, CASEWORK_BIN, tomorrow);
    return ts_run(argv, env);
}

static void test_purge_lists_and_asks_on_a_terminal(void **state)
{
    fixture *f = *state;
    char ref[32];
    ts_result r;

    file_report_full(f, "asked before erasing", NULL, ref, NULL);
    run_as(f, 0, (const char *const[]){"close", ref, "--outcome", "no-action", "-m", "done", NULL}, 0, NULL);
    r = purge_on_a_terminal(f, "no");
    assert_non_null(strstr(r.out, ref));                  /* the list, on the terminal */
    assert_non_null(strstr(r.out, "Type yes to erase"));
    assert_non_null(strstr(r.out, "nothing was erased"));
    ts_result_free(&r);
    run_as(f, 0, (const char *const[]){"show", ref, NULL}, 0, "asked before erasing");
    r = purge_on_a_terminal(f, "yes");
    assert_non_null(strstr(r.out, "purged 1"));
    ts_result_free(&r);
    run_as(f, 0, (const char *const[]){"show", ref, NULL}, 1, "no case");
}

/* A reader in the middle of a transaction keeps the erased pages in the -wal: purge says so and
 * fails, and running it again once the reader is gone finishes the job. */
static void test_a_purge_held_up_by_a_reader_says_so_and_finishes_when_run_again(void **state)
{
    fixture *f = *state;
    char ref[32];
    sqlite3 *reader;
    ts_result r;

    file_report_full(f, "held up by a reader", NULL, ref, NULL);
    run_as(f, 0, (const char *const[]){"close", ref, "--outcome", "no-action", "-m", "done", NULL}, 0, NULL);
    assert_int_equal(sqlite3_open_v2(f->db, &reader, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM records;", NULL, NULL, NULL), SQLITE_OK);
    {
        char today[DAY_TEXT_SIZE], tomorrow[DAY_TEXT_SIZE];
        day_today(today);
        day_add(today, 1, 0, tomorrow);
        r = as_on(f, 0, "+1d", (const char *const[]){"purge", "--closed-before", tomorrow, "--yes", NULL}, 1);
    }
    assert_non_null(strstr(r.out, "purged 1"));
    assert_non_null(strstr(r.err, "write-ahead log"));
    assert_non_null(strstr(r.err, "run the same purge again"));
    ts_result_free(&r);
    assert_int_equal(sqlite3_exec(reader, "COMMIT;", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(reader);
    purge_tomorrow(f, 0, 0, "purged 0");
    {
        char wal[PATH_MAX + 8];
        snprintf(wal, sizeof wal, "%s-wal", f->db);
        struct stat st;
        assert_true(stat(wal, &st) != 0 || st.st_size == 0);
    }
}

static void test_less_typing_prefixes_one_triage_option_and_checked_assignees(void **state)
{
    fixture *f = *state;
    char ref[32], prefix[16], twin[CASEREF_TEXT_SIZE];
    ts_result r;

    file_report_full(f, "less typing", NULL, ref, NULL);   /* Alice and Bob read it */
    /* a unique start of the reference, in any case, without the dash */
    snprintf(prefix, sizeof prefix, "%c%c%c%c%c%c", ref[0], ref[1], ref[2], ref[3], ref[4], ref[6]);
    for (char *p = prefix; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    run_as(f, 0, (const char *const[]){"show", prefix, NULL}, 0, "less typing");
    prefix[4] = '\0';
    run_as(f, 0, (const char *const[]){"show", prefix, NULL}, 0, "less typing");
    prefix[3] = '\0';   /* three symbols are too few to be taken as a start */
    run_as(f, 0, (const char *const[]){"show", prefix, NULL}, 1, "first 4 or more symbols");
    /* another case whose reference starts the same: the start is no longer enough */
    {
        store *s;
        store_case c;
        unsigned char lookup[32], pk[32];
        char err[300];
        snprintf(twin, sizeof twin, "%.5s-%s", ref, ref[6] == 'Z' ? "YYYYY" : "ZZZZZ");
        randombytes_buf(lookup, sizeof lookup);
        randombytes_buf(pk, sizeof pk);
        assert_int_equal(store_open(f->db, &s, err, sizeof err), 0);
        assert_int_equal(store_case_insert(s, twin, lookup, pk, &c, err, sizeof err), 0);
        store_close(s);
    }
    snprintf(prefix, sizeof prefix, "%.5s", ref);
    r = as(f, 0, (const char *const[]){"show", prefix, NULL}, 1);
    assert_non_null(strstr(r.err, ref));
    assert_non_null(strstr(r.err, twin));
    assert_non_null(strstr(r.err, "type more"));
    ts_result_free(&r);
    run_as(f, 0, (const char *const[]){"show", "ZZZZ0", NULL}, 1, "no case starts with ZZZZ0");

    /* triage with one option keeps the other */
    run_as(f, 0, (const char *const[]){"triage", ref, "--category", "bullying", "--severity", "high", NULL}, 0, "triaged");
    run_as(f, 0, (const char *const[]){"triage", ref, "--severity", "critical", NULL}, 0, "severity critical");
    r = as(f, 0, (const char *const[]){"show", ref, "--json", NULL}, 0);
    assert_non_null(strstr(r.out, "\"category\": \"bullying\""));
    assert_non_null(strstr(r.out, "\"severity\": \"critical\""));
    ts_result_free(&r);
    run_as(f, 0, (const char *const[]){"triage", ref, NULL}, 2, "--category C, --severity S or both");

    /* an assignee is one of the case's readers, by name */
    r = as(f, 0, (const char *const[]){"assign", ref, "--to", "Alice Martn", NULL}, 1);
    assert_non_null(strstr(r.err, "no caseworker who can read this case is called 'Alice Martn'"));
    assert_non_null(strstr(r.err, "Alice Martin"));
    ts_result_free(&r);
    run_as(f, 0, (const char *const[]){"assign", ref, "--to", "Alice Martin", NULL}, 0, "assigned to Alice Martin");
    /* Bob reads the case but has not acted on this database: his name comes from the recipients file */
    run_as(f, 0, (const char *const[]){"assign", ref, "--to", "Bob Ng", NULL}, 1, "without a known name");
    {
        /* the intake's recipients file with the auditor's line, as the README suggests */
        caseworker_key *k = keyfile_generate("Audrey Kim", PUBKEY_ROLE_AUDITOR);
        char aud[PATH_MAX + 16], path[PATH_MAX], line[PUBKEY_LINE_MAX], *all;
        size_t len;
        char *recipients = ts_read_file(f->recipients, &len);
        pubkey_format(&k->pub, line);
        keyfile_free(k);
        all = malloc(len + sizeof line);
        memcpy(all, recipients, len);
        memcpy(all + len, line, strlen(line) + 1);
        ts_write_file(ts_path(path, f->dir, "recipients-and-auditor"), all, strlen(all));
        free(all);
        free(recipients);
        snprintf(aud, sizeof aud, "--auditors=%s", path);
        run_as(f, 0, (const char *const[]){aud, "assign", ref, "--to", "Bob Ng", NULL}, 0, "assigned to Bob Ng");
    }
    /* Carol cannot read it until it is shared with her */
    run_as(f, 0, (const char *const[]){"assign", ref, "--to", "Carol Diaz", NULL}, 1, "share it first");
    {
        char carol_pub[PATH_MAX + 8];
        snprintf(carol_pub, sizeof carol_pub, "%s.pub", f->key[2]);
        run_as(f, 0, (const char *const[]){"share", ref, "--with", carol_pub, NULL}, 0, NULL);
    }
    run_as(f, 0, (const char *const[]){"assign", ref, "--to", "Carol Diaz", NULL}, 0, "assigned to Carol Diaz");
    r = as(f, 0, (const char *const[]){"show", ref, "--json", NULL}, 0);
    assert_non_null(strstr(r.out, "\"assignee\": \"Carol Diaz\""));
    ts_result_free(&r);
}

/* A typo in --db is an error that names the path, never an empty database that looks like "no
 * cases" (issue 17). */
static void test_a_mistyped_database_path_is_an_error_not_an_empty_database(void **state)
{
    fixture *f = *state;
    char typo[PATH_MAX + 8], path[PATH_MAX];
    ts_result r;

    ts_path(path, f->dir, "reprots.db");
    snprintf(typo, sizeof typo, "--db=%s", path);
    r = as(f, 0, (const char *const[]){typo, "list", NULL}, 1);
    assert_non_null(strstr(r.err, "no database at"));
    assert_non_null(strstr(r.err, "reprots.db"));
    ts_result_free(&r);
    assert_int_equal(ts_file_mode(path), -1);   /* nothing was created */
}

static void test_purged_cases_still_count_in_the_statistics(void **state)
{
    fixture *f = *state;
    char refs[5][32];
    ts_result r;

    for (int i = 0; i < 5; i++) {
        file_report_full(f, "to be purged", NULL, refs[i], NULL);
        run_as(f, 0, (const char *const[]){"close", refs[i], "--outcome", "no-action", "-m", "done", NULL}, 0, NULL);
    }
    /* the statistician's view (--audit) gives every figure's true value, shown or not */
    run_as(f, 0, (const char *const[]){"stats", "--audit", "--json", "--k", "3", NULL}, 0,
           "{\"figure\": \"outcomes/total/no-action\", \"value\": 5,");
    purge_tomorrow(f, 0, 0, "purged 5");
    r = as(f, 0, (const char *const[]){"stats", "--audit", "--json", "--k", "3", NULL}, 0);
    assert_non_null(strstr(r.out, "{\"figure\": \"total\", \"value\": 5,"));
    assert_non_null(strstr(r.out, "{\"figure\": \"by_category/discrimination\", \"value\": 5,"));
    assert_non_null(strstr(r.out, "{\"figure\": \"outcomes/total/no-action\", \"value\": 5,"));
    assert_non_null(strstr(r.out, "\"failing\": 0,"));
    ts_result_free(&r);
    /* Bob's index learns of the purged cases too. */
    run_as(f, 1, (const char *const[]){"stats", "--audit", "--json", "--k", "3", NULL}, 0,
           "{\"figure\": \"total\", \"value\": 5,");
}

/* Files an urlencoded report with the given demographics through the intake. */
static void file_simple(const fixture *f, const char *category, const char *sex, const char *age)
{
    ts_buf body = {0};
    char csrf[64];
    int status;
    char *page;

    ts_csrf(f->port, "/", csrf);
    ts_urlencode_add(&body, "csrf", csrf);
    ts_urlencode_add(&body, "category", category);
    ts_urlencode_add(&body, "description", "for the statistics");
    ts_urlencode_add(&body, "sex", sex);
    ts_urlencode_add(&body, "age_band", age);
    page = ts_post(f->port, NULL, "/report", "application/x-www-form-urlencoded", &body, NULL, &status);
    assert_int_equal(status, 200);
    free(page);
    ts_buf_free(&body);
}

/* 1 when html's elements nest properly (void elements and <x/> allowed), else 0. */
static int well_formed(const char *html)
{
    static const char *const void_elements[] = {"meta", "br", "link", "img", "input", "hr", NULL};
    char stack[64][16];
    int depth = 0;

    for (const char *p = strchr(html, '<'); p != NULL; p = strchr(p + 1, '<')) {
        char name[16];
        size_t n;
        int closing = p[1] == '/', is_void = 0;
        const char *end = strchr(p, '>');
        if (end == NULL)
            return 0;
        if (p[1] == '!')
            continue;
        n = strcspn(p + 1 + closing, " \t\n/>");
        if (n == 0 || n >= sizeof name)
            return 0;
        memcpy(name, p + 1 + closing, n);
        name[n] = '\0';
        for (size_t i = 0; void_elements[i]; i++)
            is_void |= strcmp(name, void_elements[i]) == 0;
        if (closing) {
            if (depth == 0 || strcmp(stack[depth - 1], name) != 0)
                return 0;
            depth--;
        } else if (!is_void && end[-1] != '/') {
            if (depth == 64)
                return 0;
            snprintf(stack[depth++], sizeof stack[0], "%s", name);
        }
    }
    return depth == 0;
}

static void test_stats_counts_reports_filed_through_the_intake(void **state)
{
    fixture *f = *state;
    char html[PATH_MAX], html_fr[PATH_MAX], year[8], today[DAY_TEXT_SIZE];
    char *page;
    ts_result r;

    for (int i = 0; i < 6; i++)
        file_simple(f, "harassment", "female", "25-34");
    for (int i = 0; i < 5; i++)
        file_simple(f, "bullying", "male", "35-44");
    file_simple(f, "other", "", "");
    day_today(today);
    snprintf(year, sizeof year, "%.4s", today);
    /* the statistician's view: every count as the intake received it */
    r = as(f, 0, (const char *const[]){"stats", "--year", year, "--audit", "--json", NULL}, 0);
    assert_non_null(strstr(r.out, "{\"figure\": \"total\", \"value\": 12,"));
    assert_non_null(strstr(r.out, "{\"figure\": \"by_category/harassment\", \"value\": 6,"));
    assert_non_null(strstr(r.out, "{\"figure\": \"by_category/bullying\", \"value\": 5,"));
    assert_non_null(strstr(r.out, "{\"figure\": \"by_sex/male\", \"value\": 5,"));
    assert_non_null(strstr(r.out, "{\"figure\": \"by_sex/not-given\", \"value\": 1,"));
    assert_non_null(strstr(r.out, "{\"figure\": \"by_age_band/25-34\", \"value\": 6,"));
    assert_non_null(strstr(r.out, "{\"figure\": \"open_by_status/new\", \"value\": 12,"));
    assert_non_null(strstr(r.out, "\"failing\": 0,"));
    check_json(f, r.out, "assert all(x['passes'] and x['low'] < v['k'] and (x['high'] is None or x['high'] - x['low'] >= v['k'])"
                         " for x in v['figures'] if not x['published'])");
    ts_result_free(&r);
    run_as(f, 0, (const char *const[]){"stats", "--audit", NULL}, 0, "Every suppressed figure passes");
    run_as(f, 0, (const char *const[]){"stats", "--audit", "--csv", NULL}, 2, "--audit prints");
    /* what is published: twelve reports are too few to show much, and nothing shows its size */
    r = as(f, 0, (const char *const[]){"stats", "--year", year, "--json", NULL}, 0);
    assert_null(strstr(r.out, "<"));
    check_json(f, r.out, "assert v['k'] == 5 and v['not_published'].startswith('x: ')\n"
                         "assert v['by_category']['harassment'] in (6, None) and v['by_category']['other'] is None\n"
                         "assert v['by_sex']['not-given'] is None and v['total'] in (12, None)");
    ts_result_free(&r);
    r = as(f, 0, (const char *const[]){"stats", "--csv", NULL}, 0);
    assert_int_equal(strncmp(r.out, "table,row,column,value\n", 23), 0);
    assert_true(strstr(r.out, "category_by_sex,harassment,female,x\n") || strstr(r.out, "category_by_sex,harassment,female,6\n"));
    assert_non_null(strstr(r.out, "category_by_sex,other,not-given,x\n"));
    ts_result_free(&r);
    ts_path(html, f->dir, "report.html");
    ts_path(html_fr, f->dir, "rapport.html");
    run_as(f, 0, (const char *const[]){"stats", "--html", html, NULL}, 0, "wrote");
    run_as(f, 0, (const char *const[]){"stats", "--html", html_fr, "--lang", "fr", NULL}, 0, NULL);
    run_as(f, 0, (const char *const[]){"stats", "--html", html, NULL}, 1, "never overwritten");
    page = ts_read_file(html, NULL);
    assert_true(well_formed(page));
    assert_int_equal(ts_count(page, "<svg "), 5);
    assert_int_equal(ts_count(page, "<table>"), 6);   /* five tables and the timing */
    assert_null(strstr(page, "<script"));
    assert_null(strstr(page, "src="));   /* nothing loaded from anywhere */
    assert_null(strstr(page, "href="));
    assert_non_null(strstr(page, "<html lang=\"en\">"));
    free(page);
    page = ts_read_file(html_fr, NULL);
    assert_true(well_formed(page));
    assert_non_null(strstr(page, "<html lang=\"fr\">"));
    assert_non_null(strstr(page, "Harcèlement"));
    free(page);
    run_as(f, 0, (const char *const[]){"stats", "--k", "2", NULL}, 2, "at least 3");
    {
        int logged = audit_entries(f);
        run_as(f, 0, (const char *const[]){"stats", "--k", "5x", NULL}, 2, "--k takes a whole number");
        run_as(f, 0, (const char *const[]){"stats", "--k", "", NULL}, 2, "--k takes a whole number");
        run_as(f, 0, (const char *const[]){"stats", "--k", "99999999999999999999", NULL}, 2, "at most 1000");
        run_as(f, 0, (const char *const[]){"stats", "--jso", NULL}, 2, "unknown option --jso");
        run_as(f, 0, (const char *const[]){"list", "--stat", "new", NULL}, 2, "write --status");
        assert_int_equal(audit_entries(f), logged);   /* refused before anything was logged */
    }
    run_as(f, 0, (const char *const[]){"stats", "--from", "2026-05-01", "--to", "2026-04-01", NULL}, 2, "in order");
    run_as(f, 0, (const char *const[]){"audit", "log", "--json", NULL}, 0, "\"action\": \"stats\"");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_show_decrypts_the_case_after_writing_its_audit_entry),
        T(test_a_failed_audit_append_shows_nothing),
        T(test_wrong_passphrase_unknown_case_and_non_recipient),
        T(test_an_auditors_key_opens_no_case_and_no_case_is_shared_with_it),
        T(test_a_tampered_record_names_itself_and_other_cases_still_open),
        T(test_a_case_taken_to_closure_by_two_caseworkers),
        T(test_list_shows_what_is_overdue),
        T(test_illegal_transitions_are_refused_and_reopening_needs_a_reason),
        T(test_a_case_sealed_to_one_caseworker_and_shared),
        T(test_show_and_list_json_parse_and_agree_with_the_text),
        T(test_the_list_index_stays_on_the_caseworkers_machine),
        T(test_slot_counts_do_not_tell_who_was_left_out),
        T(test_a_forged_share_is_flagged_and_never_sealed_to),
        T(test_a_report_added_or_replaced_stops_all_writing),
        T(test_export_makes_hostile_names_safe_and_never_overwrites),
        cmocka_unit_test(test_one_terminal_filter_for_every_kind_of_control),
        T(test_raw_c1_bytes_and_cut_characters_never_reach_the_terminal_or_a_file_name),
        T(test_casework_runs_without_core_dumps),
        T(test_texts_from_a_file_or_standard_input_never_the_command_line),
        T(test_key_and_passphrase_files_open_to_others_are_refused),
        cmocka_unit_test(test_a_mistyped_command_gets_a_suggestion),
        T(test_notes_from_the_editor_and_an_empty_text_aborts),
        T(test_concurrent_updates_lose_nothing),
        T(test_purge_erases_closed_cases_and_keeps_only_their_figures),
        T(test_stats_counts_reports_filed_through_the_intake),
        T(test_purged_cases_still_count_in_the_statistics),
        T(test_the_status_page_follows_the_case_to_its_erasure),
        T(test_a_mistyped_database_path_is_an_error_not_an_empty_database),
        T(test_purge_lists_and_asks_on_a_terminal),
        T(test_less_typing_prefixes_one_triage_option_and_checked_assignees),
        T(test_a_purge_held_up_by_a_reader_says_so_and_finishes_when_run_again),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
