/*
 * test_casework_view.c: what a caseworker sees at a glance, through the real intake and the real
 * casework binary (issue 17): what is new (the report, a follow-up, a file the caseworker has
 * not shown yet) is marked in list and show, listed by `list --new`, and no longer new after the
 * next show, per caseworker; list fits 80 columns with its longest values and a header over
 * every column, names the kind of deadline, and writes colour only on a terminal without
 * NO_COLOR; show wraps long text at 80 columns without cutting a character, gives a closed
 * case's outcome and hides deadlines that no longer apply; `list --mine` and `--assignee`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <pty.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bytes.h"
#include "case-seen.h"
#include "keyfile.h"
#include "pubkey.h"
#include "store.h"
#include "test_support.h"

/* SECURITY.md's test vector of the seen marks: X25519 secret 32 x 0x01, key id
 * 0001020304050607, database id 16 x 0xaa, nonce 24 x 0x00, one entry: case 1, item 2. */
#define SEEN_VECTOR_HEX \
    "01000000000000000000000000000000000000000000000000524312cbb9639bca97" \
    "d53edf5c641cb1d778c7b9154c7835c93d3e55c652bf74308429de"

static const keyfile_kdf_limits fast = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};

typedef struct fixture {
    char dir[PATH_MAX], db[PATH_MAX], pass[PATH_MAX], key[3][PATH_MAX], recipients[PATH_MAX];
    char env_db[PATH_MAX + 16], env_pass[PATH_MAX + 32], state[PATH_MAX], env_state[PATH_MAX + 32];
    char auditors[PATH_MAX], env_auditors[PATH_MAX + 32];
    int port;
    pid_t intake;
} fixture;

/* The third caseworker has the longest name a list row must fit (an assignee is a reader). */
static const char *const names[3] = {"Alice Martin", "Bob Ng", "Maximilian Alexander Featherstonehaugh-Smythe"};

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char listen[32], log[PATH_MAX], pub[PATH_MAX + 8], both[4 * PUBKEY_LINE_MAX] = "", err[300];
    const char *argv[] = {INTAKE_BIN, "--db", f->db, "--recipients", f->recipients, "--listen", listen, NULL};

    ts_tmpdir(f->dir);
    ts_path(f->db, f->dir, "reports.db");
    ts_write_file(ts_path(f->pass, f->dir, "pass"), "pw\n", 3);
    for (int i = 0; i < 3; i++) {
        caseworker_key *k = keyfile_generate(names[i], PUBKEY_ROLE_CASEWORKER);
        char *line;
        ts_path(f->key[i], f->dir, i == 0 ? "alice.key" : i == 1 ? "bob.key" : "max.key");
        assert_int_equal(keyfile_write(f->key[i], k, "pw", 2, fast, err, sizeof err), 0);
        keyfile_free(k);
        snprintf(pub, sizeof pub, "%s.pub", f->key[i]);
        line = ts_read_file(pub, NULL);
        strcat(both, line);
        free(line);
    }
    ts_write_file(ts_path(f->recipients, f->dir, "recipients"), both, strlen(both));
    {   /* the recipients file and an auditor's line: it names every caseworker for assign */
        caseworker_key *k = keyfile_generate("Audrey Kim", PUBKEY_ROLE_AUDITOR);
        char line[PUBKEY_LINE_MAX];
        pubkey_format(&k->pub, line);
        keyfile_free(k);
        strcat(both, line);
        ts_write_file(ts_path(f->auditors, f->dir, "auditors"), both, strlen(both));
        snprintf(f->env_auditors, sizeof f->env_auditors, "CASEWORK_AUDITORS=%s", f->auditors);
    }
    snprintf(f->env_db, sizeof f->env_db, "CASEWORK_DB=%s", f->db);
    snprintf(f->env_pass, sizeof f->env_pass, "CASEWORK_PASSPHRASE_FILE=%s", f->pass);
    /* each test's own state folder, for its caseworkers' indexes and seen marks */
    snprintf(f->env_state, sizeof f->env_state, "CASEWORK_STATE_DIR=%s", ts_path(f->state, f->dir, "state"));
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

/* Runs one SQL statement on the intake's database, as a test that moves a case in time. */
static void sql(const fixture *f, const char *q)
{
    sqlite3 *db;

    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_exec(db, q, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* Files a report (with one file) through the intake; its reference and receipt. */
static void file_report(const fixture *f, const char *description, char ref[32], char receipt[64])
{
    ts_buf body = {0};
    char csrf[64];
    int status;
    char *page;

    ts_csrf(f->port, "/", csrf);
    ts_multipart_field(&body, "csrf", csrf);
    ts_multipart_field(&body, "category", "harassment");
    ts_multipart_field(&body, "description", description);
    ts_multipart_file(&body, "attachment", "first.pdf", "application/pdf", "%PDF-1.4 fake", 13);
    ts_multipart_end(&body);
    page = ts_post(f->port, NULL, "/report", "multipart/form-data; boundary=" TS_BOUNDARY, &body, NULL, &status);
    assert_int_equal(status, 200);
    assert_int_equal(ts_element_text(page, "case", ref, 32), 0);
    assert_int_equal(ts_element_text(page, "receipt", receipt, 64), 0);
    free(page);
    ts_buf_free(&body);
}

/* The reporter sends a follow-up, with a file when file_name is not NULL. */
static void follow_up(const fixture *f, const char *receipt, const char *message, const char *file_name)
{
    ts_buf body = {0};
    char csrf[64];
    int status;
    char *page;

    ts_csrf(f->port, "/", csrf);
    ts_multipart_field(&body, "csrf", csrf);
    ts_multipart_field(&body, "receipt", receipt);
    ts_multipart_field(&body, "message", message);
    if (file_name != NULL)
        ts_multipart_file(&body, "attachment", file_name, "text/plain", "more", 4);
    ts_multipart_end(&body);
    page = ts_post(f->port, NULL, "/status/followup", "multipart/form-data; boundary=" TS_BOUNDARY, &body, NULL,
                   &status);
    if (status != 200)
        fail_msg("follow-up answered %d: %s", status, page);
    free(page);
    ts_buf_free(&body);
}

/* Runs casework as caseworker who (0 Alice, 1 Bob) with extra environment entries; checks the
 * exit status. */
static ts_result run_env(const fixture *f, int who, const char *const args[], const char *const extra[], int expect)
{
    char env_key[PATH_MAX + 16];
    const char *env[12] = {f->env_db, env_key, f->env_pass, f->env_state, f->env_auditors};
    const char *argv[16] = {CASEWORK_BIN};
    size_t n = 1, e = 5;
    ts_result r;

    snprintf(env_key, sizeof env_key, "CASEWORK_KEY=%s", f->key[who]);
    for (size_t i = 0; extra != NULL && extra[i] != NULL && e < 11; i++)
        env[e++] = extra[i];   /* (ts_run: the later entry wins) */
    env[e] = NULL;
    for (size_t i = 0; args[i] != NULL && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    r = ts_run(argv, env);
    if (r.status != expect)
        fail_msg("casework %s exited %d, expected %d: %s%s", args[0], r.status, expect, r.out, r.err);
    return r;
}

static ts_result as(const fixture *f, int who, const char *const args[], int expect)
{
    return run_env(f, who, args, NULL, expect);
}

/* The line of text that holds needle, copied into out; 0 when there is one. */
static int line_with(const char *text, const char *needle, char *out, size_t cap)
{
    const char *p = strstr(text, needle), *start, *end;

    if (p == NULL)
        return -1;
    for (start = p; start > text && start[-1] != '\n'; start--)
        ;
    end = strchr(p, '\n');
    if (end == NULL)
        end = p + strlen(p);
    snprintf(out, cap, "%.*s", (int)(end - start), start);
    return 0;
}

/* The widest line of text, in characters (UTF-8 continuation bytes do not count). */
static size_t widest_line(const char *text)
{
    size_t widest = 0, cols = 0;

    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '\n') {
            cols = 0;
            continue;
        }
        if ((*p & 0xc0) != 0x80 && ++cols > widest)
            widest = cols;
    }
    return widest;
}

/* 1 when the whole text is well-formed UTF-8. */
static int valid_utf8(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;

    while (*p) {
        size_t n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
        if (n == 0)
            return 0;
        for (size_t i = 1; i < n; i++)
            if ((p[i] & 0xc0) != 0x80)
                return 0;
        p += n;
    }
    return 1;
}

/* 1 when the line of list's text naming ref marks the case new. */
static int listed_new(const char *out, const char *ref)
{
    char line[256];

    if (line_with(out, ref, line, sizeof line) != 0)
        fail_msg("%s not listed: %s", ref, out);
    /* the NEW column comes right after the reference (the status may be "new" too) */
    return strncmp(strstr(line, ref) + strlen(ref), " new ", 5) == 0;
}

static void test_what_the_reporter_sent_is_new_until_shown(void **state)
{
    fixture *f = *state;
    char ref[32], receipt[64], other[32], other_receipt[64];
    ts_result r;

    file_report(f, "My manager comments on my clothes every day.", ref, receipt);
    file_report(f, "A second case nobody opens.", other, other_receipt);

    /* A case never shown is new, in the text, in --new and in the JSON. */
    r = as(f, 0, (const char *const[]){"list", NULL}, 0);
    assert_non_null(strstr(r.out, "NEW"));
    assert_true(listed_new(r.out, ref));
    assert_true(listed_new(r.out, other));
    ts_result_free(&r);
    r = as(f, 0, (const char *const[]){"list", "--json", NULL}, 0);
    assert_int_equal(ts_count(r.out, "\"new\": true"), 2);
    ts_result_free(&r);

    /* show marks the report and its file new, and then they are seen. */
    r = as(f, 0, (const char *const[]){"show", ref, NULL}, 0);
    assert_non_null(strstr(r.out, "Report [new]"));
    assert_non_null(strstr(r.out, "first.pdf (application/pdf, 13 bytes) [new]"));
    ts_result_free(&r);
    r = as(f, 0, (const char *const[]){"list", "--new", NULL}, 0);
    assert_null(strstr(r.out, ref));
    assert_non_null(strstr(r.out, other));
    ts_result_free(&r);
    r = as(f, 0, (const char *const[]){"list", NULL}, 0);
    assert_false(listed_new(r.out, ref));
    ts_result_free(&r);
    r = as(f, 0, (const char *const[]){"show", ref, NULL}, 0);
    assert_null(strstr(r.out, "[new]"));
    ts_result_free(&r);

    /* Bob has seen nothing: his marks are his own. */
    r = as(f, 1, (const char *const[]){"list", "--new", NULL}, 0);
    assert_non_null(strstr(r.out, ref));
    ts_result_free(&r);

    /* Alice's own reply is nothing new to her. */
    ts_result_free((r = as(f, 0, (const char *const[]){"reply", ref, "-m", "We have your report.", NULL}, 0), &r));
    r = as(f, 0, (const char *const[]){"list", "--new", NULL}, 0);
    assert_null(strstr(r.out, ref));
    ts_result_free(&r);

    /* A follow-up with a file makes the case new again; show marks those two only. */
    follow_up(f, receipt, "It happened again on Monday.", "monday.txt");
    r = as(f, 0, (const char *const[]){"list", "--new", NULL}, 0);
    assert_non_null(strstr(r.out, ref));
    ts_result_free(&r);
    r = as(f, 0, (const char *const[]){"list", "--json", NULL}, 0);
    {
        char line[1024];
        assert_int_equal(line_with(r.out, ref, line, sizeof line), 0);
        assert_non_null(strstr(line, "\"new\": true"));
    }
    ts_result_free(&r);
    r = as(f, 0, (const char *const[]){"show", ref, NULL}, 0);
    assert_null(strstr(r.out, "Report [new]"));
    assert_non_null(strstr(r.out, "first.pdf (application/pdf, 13 bytes)\n"));
    assert_non_null(strstr(r.out, "monday.txt (text/plain, 4 bytes) [new]"));
    assert_non_null(strstr(r.out, "reporter [new]:\n    It happened again on Monday."));
    assert_int_equal(ts_count(r.out, "[new]"), 2);
    ts_result_free(&r);
    r = as(f, 0, (const char *const[]){"list", "--new", NULL}, 0);
    assert_null(strstr(r.out, ref));
    ts_result_free(&r);

    /* A follow-up without a file, on a closed case, is new too; show --json says which. */
    ts_result_free((r = as(f, 0, (const char *const[]){"close", ref, "--outcome", "no-action", "-m", "done", NULL}, 0), &r));
    follow_up(f, receipt, "Why was it closed?", NULL);
    r = as(f, 0, (const char *const[]){"list", "--new", "--status", "closed", NULL}, 0);
    assert_non_null(strstr(r.out, ref));
    ts_result_free(&r);
    r = as(f, 0, (const char *const[]){"show", ref, "--json", NULL}, 0);
    assert_non_null(strstr(r.out, "\"text\": \"Why was it closed?\", \"new\": true}"));
    assert_non_null(strstr(r.out, "\"text\": \"It happened again on Monday.\", \"new\": false}"));
    assert_non_null(strstr(r.out, "\"report_new\": false"));
    ts_result_free(&r);
    r = as(f, 0, (const char *const[]){"list", "--new", NULL}, 0);
    assert_null(strstr(r.out, ref));
    ts_result_free(&r);
    /* once the other case is shown too, the list says there is nothing new, not just nothing */
    ts_result_free((r = as(f, 0, (const char *const[]){"show", other, NULL}, 0), &r));
    r = as(f, 0, (const char *const[]){"list", "--new", NULL}, 0);
    assert_non_null(strstr(r.out, "(nothing new: every report, follow-up and file has been shown to you)"));
    ts_result_free(&r);
}

/* The seen marks are a private sealed file; a damaged one, or none at all, errs on "new". */
static void test_seen_marks_stay_private_and_err_on_the_side_of_new(void **state)
{
    fixture *f = *state;
    char ref[32], receipt[64], path[PATH_MAX], open_dir[PATH_MAX], extra_env[PATH_MAX + 32];
    char *blob;
    size_t len;
    ts_result r;
    int found = 0;

    file_report(f, "seen marks", ref, receipt);
    ts_result_free((r = as(f, 0, (const char *const[]){"show", ref, NULL}, 0), &r));
    /* one file, 0600, that holds nothing in the clear */
    {
        DIR *d = opendir(f->state);
        struct dirent *e;
        assert_non_null(d);
        while ((e = readdir(d)) != NULL)
            if (strstr(e->d_name, ".seen") != NULL && strstr(e->d_name, ".tmp") == NULL) {
                assert_true((size_t)snprintf(path, sizeof path, "%s/%.200s", f->state, e->d_name) < sizeof path);
                found++;
            }
        closedir(d);
    }
    assert_int_equal(found, 1);
    assert_int_equal(ts_file_mode(path), 0600);
    blob = ts_read_file(path, &len);
    assert_int_equal(blob[0], 1);                 /* version */
    assert_int_equal(len, 1 + 24 + 4 + 16 + 16);  /* one entry */
    /* damaged: everything is new again, and nothing fails */
    blob[len - 1] ^= 1;
    ts_write_file(path, blob, len);
    free(blob);
    r = as(f, 0, (const char *const[]){"list", "--new", NULL}, 0);
    assert_non_null(strstr(r.out, ref));
    ts_result_free(&r);
    ts_result_free((r = as(f, 0, (const char *const[]){"show", ref, NULL}, 0), &r));
    r = as(f, 0, (const char *const[]){"list", "--new", NULL}, 0);
    assert_null(strstr(r.out, ref));
    ts_result_free(&r);
    /* A state folder others may write to keeps nothing: show still works, and says so. */
    ts_path(open_dir, f->dir, "open-state");
    assert_int_equal(mkdir(open_dir, 0700), 0);
    assert_int_equal(chmod(open_dir, 0777), 0);
    snprintf(extra_env, sizeof extra_env, "CASEWORK_STATE_DIR=%s", open_dir);
    r = run_env(f, 0, (const char *const[]){"show", ref, NULL}, (const char *const[]){extra_env, NULL}, 0);
    assert_non_null(strstr(r.out, "Report [new]"));
    assert_non_null(strstr(r.err, "will be marked new again"));
    ts_result_free(&r);
    r = run_env(f, 0, (const char *const[]){"list", "--new", NULL}, (const char *const[]){extra_env, NULL}, 0);
    assert_non_null(strstr(r.out, ref));
    ts_result_free(&r);
}

/* Runs casework as Alice with stdout on a terminal (a pseudo-terminal 200 columns wide), with
 * NO_COLOR set when no_color; returns what it wrote there. */
static char *on_a_terminal(const fixture *f, const char *const args[], int no_color)
{
    struct winsize ws = {.ws_row = 50, .ws_col = 200};
    int master;
    pid_t pid = forkpty(&master, NULL, NULL, &ws);
    ts_buf out = {0};
    char buf[4096];
    ssize_t n;
    int status;

    assert_true(pid >= 0);
    if (pid == 0) {
        char *argv[16] = {strdup(CASEWORK_BIN)};
        size_t k = 1;
        for (size_t i = 0; args[i] != NULL && k < 15; i++)
            argv[k++] = strdup(args[i]);
        argv[k] = NULL;
        setenv("CASEWORK_DB", f->db, 1);
        setenv("CASEWORK_KEY", f->key[0], 1);
        setenv("CASEWORK_PASSPHRASE_FILE", f->pass, 1);
        setenv("CASEWORK_STATE_DIR", f->state, 1);
        if (no_color)
            setenv("NO_COLOR", "1", 1);
        else
            unsetenv("NO_COLOR");
        execv(CASEWORK_BIN, argv);
        _exit(127);
    }
    while ((n = read(master, buf, sizeof buf)) > 0)
        ts_buf_add(&out, buf, (size_t)n);
    close(master);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ts_buf_add(&out, "", 1);
    return out.data;
}

static void test_list_fits_80_columns_with_a_header_for_every_column(void **state)
{
    fixture *f = *state;
    char ref[32], receipt[64], late[32], late_receipt[64], line[512], q[256];
    char *tty;
    ts_result r;

    file_report(f, "longest values", ref, receipt);
    file_report(f, "an old one", late, late_receipt);
    ts_result_free((r = as(f, 0, (const char *const[]){"triage", ref, "--category", "sexual-exploitation-abuse",
                                                        "--severity", "critical", NULL}, 0), &r));
    ts_result_free((r = as(f, 0, (const char *const[]){"assign", ref, "--to",
                                                        "Maximilian Alexander Featherstonehaugh-Smythe", NULL}, 0), &r));
    ts_result_free((r = as(f, 0, (const char *const[]){"status", ref, "investigating", NULL}, 0), &r));
    /* the other case came in long ago: its acknowledgement is late */
    snprintf(q, sizeof q, "UPDATE cases SET received = '2026-01-05' WHERE ref = '%s'", late);
    sql(f, q);

    r = as(f, 0, (const char *const[]){"list", NULL}, 0);
    if (widest_line(r.out) > 80)
        fail_msg("a line of list is %zu columns wide:\n%s", widest_line(r.out), r.out);
    /* a header over every column, OVERDUE included */
    assert_int_equal(line_with(r.out, "CASE", line, sizeof line), 0);
    for (const char *const *h = (const char *const[]){"NEW", "STATUS", "CATEGORY", "SEV", "ASSIGNEE", "DUE",
                                                        "OVERDUE", NULL}; *h != NULL; h++)
        if (strstr(line, *h) == NULL)
            fail_msg("no %s in the header: %s", *h, line);
    /* the longest values, cut with an ellipsis where they must be */
    assert_int_equal(line_with(r.out, ref, line, sizeof line), 0);
    assert_non_null(strstr(line, "investigating"));
    assert_non_null(strstr(line, "sexual-exp\xe2\x80\xa6"));
    assert_non_null(strstr(line, "crit"));
    assert_non_null(strstr(line, "Maximil\xe2\x80\xa6"));
    assert_non_null(strstr(line, "ack 20"));        /* the kind of deadline */
    assert_null(strstr(line, "OVERDUE"));
    assert_int_equal(line_with(r.out, late, line, sizeof line), 0);
    assert_non_null(strstr(line, "ack 2026-01-12 OVERDUE"));
    /* not a terminal: no escape byte */
    assert_null(strchr(r.out, '\033'));
    ts_result_free(&r);

    /* acknowledged: the feedback deadline is next, three months on */
    ts_result_free((r = as(f, 0, (const char *const[]){"reply", late, "-m", "Received.", NULL}, 0), &r));
    r = as(f, 0, (const char *const[]){"list", NULL}, 0);
    assert_int_equal(line_with(r.out, late, line, sizeof line), 0);
    assert_non_null(strstr(line, "fbk 20"));
    ts_result_free(&r);
    r = as(f, 0, (const char *const[]){"list", "--json", NULL}, 0);
    assert_non_null(strstr(r.out, "\"due_kind\": \"feedback\""));
    assert_non_null(strstr(r.out, "\"due_kind\": \"acknowledgement\""));
    ts_result_free(&r);

    /* On a terminal the overdue deadline is in colour; with NO_COLOR it is not. */
    snprintf(q, sizeof q, "UPDATE cases SET received = '2026-01-05' WHERE ref = '%s'", ref);
    sql(f, q);
    tty = on_a_terminal(f, (const char *const[]){"list", NULL}, 0);
    assert_non_null(strstr(tty, "\033[1;31mack 2026-01-12"));
    free(tty);
    tty = on_a_terminal(f, (const char *const[]){"list", NULL}, 1);
    assert_non_null(strstr(tty, "ack 2026-01-12"));
    assert_null(strchr(tty, '\033'));
    free(tty);
}

static void test_show_hides_deadlines_that_no_longer_apply_and_gives_the_outcome(void **state)
{
    fixture *f = *state;
    char ref[32], receipt[64];
    ts_result r;

    file_report(f, "deadlines", ref, receipt);
    r = as(f, 0, (const char *const[]){"show", ref, NULL}, 0);
    assert_non_null(strstr(r.out, "Acknowledge by: "));
    assert_null(strstr(r.out, "Feedback by"));
    assert_null(strstr(r.out, "Outcome"));
    ts_result_free(&r);
    ts_result_free((r = as(f, 0, (const char *const[]){"reply", ref, "-m", "We read it.", NULL}, 0), &r));
    r = as(f, 0, (const char *const[]){"show", ref, NULL}, 0);
    assert_null(strstr(r.out, "Acknowledge by"));
    assert_non_null(strstr(r.out, "Acknowledged: "));
    assert_non_null(strstr(r.out, "Feedback by: "));
    ts_result_free(&r);
    ts_result_free((r = as(f, 0, (const char *const[]){"close", ref, "--outcome", "substantiated", "-m", "Done.",
                                                        NULL}, 0), &r));
    r = as(f, 0, (const char *const[]){"show", ref, NULL}, 0);
    assert_non_null(strstr(r.out, "Outcome: substantiated   closed: "));
    assert_null(strstr(r.out, "Feedback by"));
    assert_null(strstr(r.out, "Acknowledge by"));
    ts_result_free(&r);
    r = as(f, 0, (const char *const[]){"show", ref, "--json", NULL}, 0);
    assert_non_null(strstr(r.out, "\"outcome\": \"substantiated\""));
    assert_non_null(strstr(r.out, "\"feedback_by\": \""));   /* the JSON keeps every field */
    ts_result_free(&r);
}

static void test_show_wraps_long_text_at_80_columns_between_characters(void **state)
{
    fixture *f = *state;
    char ref[32], receipt[64], text[2048] = "", joined[4096];
    size_t o = 0;
    ts_result r;

    /* words, then one word of 150 two-byte characters longer than any line */
    for (int i = 0; i < 30; i++)
        strcat(text, "harassment ");
    for (int i = 0; i < 150; i++)
        strcat(text, "\xc3\xa9");
    strcat(text, " end.");
    file_report(f, text, ref, receipt);
    follow_up(f, receipt, text, NULL);
    r = as(f, 0, (const char *const[]){"show", ref, NULL}, 0);
    if (widest_line(r.out) > 80)
        fail_msg("a line of show is %zu columns wide:\n%s", widest_line(r.out), r.out);
    assert_true(valid_utf8(r.out));
    /* nothing is lost: the description's lines, joined, give the text back */
    {
        const char *p = strstr(r.out, "What happened: ");
        assert_non_null(p);
        p += strlen("What happened: ");
        while (*p && o + 1 < sizeof joined) {
            if (p[0] == '\n' && strncmp(p + 1, "    ", 4) == 0 && p[5] != ' ') {
                /* a continuation line: a break at a space, or inside the long word */
                int in_word = o > 0 && (unsigned char)joined[o - 1] >= 0x80 && (unsigned char)p[5] >= 0x80;
                if (!in_word)
                    joined[o++] = ' ';
                p += 5;
                continue;
            }
            if (p[0] == '\n')
                break;
            joined[o++] = *p++;
        }
        joined[o] = '\0';
        assert_string_equal(joined, text);
    }
    assert_true(ts_count(r.out, "\n    harassment") >= 2);   /* the message is wrapped too */
    ts_result_free(&r);
}

static void test_list_mine_and_assignee(void **state)
{
    fixture *f = *state;
    char a[32], b[32], none[32], receipt[64];
    ts_result r;

    file_report(f, "for Alice", a, receipt);
    file_report(f, "for Bob", b, receipt);
    file_report(f, "for nobody yet", none, receipt);
    ts_result_free((r = as(f, 0, (const char *const[]){"assign", a, "--to", "Alice Martin", NULL}, 0), &r));
    ts_result_free((r = as(f, 0, (const char *const[]){"assign", b, "--to", "Bob Ng", NULL}, 0), &r));

    r = as(f, 0, (const char *const[]){"list", "--mine", NULL}, 0);
    assert_non_null(strstr(r.out, a));
    assert_null(strstr(r.out, b));
    assert_null(strstr(r.out, none));
    ts_result_free(&r);
    r = as(f, 1, (const char *const[]){"list", "--mine", "--json", NULL}, 0);
    assert_null(strstr(r.out, a));
    assert_non_null(strstr(r.out, b));
    ts_result_free(&r);
    r = as(f, 0, (const char *const[]){"list", "--assignee", "bob ng", NULL}, 0);
    assert_null(strstr(r.out, a));
    assert_non_null(strstr(r.out, b));
    assert_null(strstr(r.out, none));
    ts_result_free(&r);
    r = as(f, 0, (const char *const[]){"list", "--assignee", "Carol", NULL}, 0);
    assert_null(strstr(r.out, a));
    assert_null(strstr(r.out, b));
    ts_result_free(&r);
    r = as(f, 0, (const char *const[]){"list", "--mine", "--assignee", "Bob Ng", NULL}, 2);
    assert_non_null(strstr(r.err, "not both"));
    ts_result_free(&r);
    r = as(f, 0, (const char *const[]){"list", "--assignee", NULL}, 2);
    ts_result_free(&r);
}

/* The seen marks file as SECURITY.md specifies it: the vector reads, and what the code writes
 * opens with the specification's key and associated data. */
static void test_the_seen_marks_follow_the_specification(void **state)
{
    char dir[PATH_MAX], db[PATH_MAX], folder[PATH_MAX], file[PATH_MAX], err[300];
    unsigned char db_id[16], vector[61], key[32], ad[35], plain[64];
    unsigned long long plain_len;
    caseworker_key k;
    case_seen *m = NULL;
    sqlite3_stmt *st;
    store *s;
    char *back;
    size_t len;

    (void)state;
    memset(&k, 0, sizeof k);
    memset(k.x25519_sk, 0x01, 32);
    for (int i = 0; i < 8; i++)
        k.pub.key_id[i] = (unsigned char)i;
    ts_tmpdir(dir);
    assert_int_equal(store_open(ts_path(db, dir, "reports.db"), &s, err, sizeof err), 0);
    memset(db_id, 0xaa, sizeof db_id);
    assert_int_equal(sqlite3_prepare_v2(ts_store_db(s), "INSERT OR REPLACE INTO settings(name, value) VALUES ('database-id', ?)",
                                        -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, db_id, sizeof db_id, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    ts_path(folder, dir, "state");
    assert_int_equal(mkdir(folder, 0700), 0);
    ts_path(file, folder, "0001020304050607-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.seen");
    assert_int_equal(sodium_hex2bin(vector, sizeof vector, SEEN_VECTOR_HEX, strlen(SEEN_VECTOR_HEX), NULL, &len, NULL), 0);
    assert_int_equal(len, 61);
    ts_write_file(file, vector, len);
    assert_int_equal(case_seen_open(s, &k, folder, &m, err, sizeof err), 0);
    assert_int_equal(case_seen_item(m, 1), 2);
    assert_int_equal(case_seen_item(m, 3), 0);
    assert_false(case_seen_is_new(m, 1, 2));
    assert_true(case_seen_is_new(m, 1, 5));
    assert_true(case_seen_is_new(m, 3, 5));
    assert_false(case_seen_is_new(m, 3, 0));   /* nothing from the reporter: nothing new */
    /* a second entry, written in order of case id */
    assert_int_equal(case_seen_record(m, &k, -7, 9, err, sizeof err), 0);
    case_seen_free(m);
    assert_int_equal(ts_file_mode(file), 0600);
    back = ts_read_file(file, &len);
    assert_int_equal(len, 1 + 24 + 4 + 2 * 16 + 16);
    assert_int_equal(back[0], 1);
    crypto_generichash(key, 32, (const unsigned char *)"sea-seen-v1", 11, k.x25519_sk, 32);
    memcpy(ad, "sea-seen-v1", 11);
    memcpy(ad + 11, k.pub.key_id, 8);
    memset(ad + 19, 0xaa, 16);
    assert_int_equal(crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &plain_len, NULL, (unsigned char *)back + 25,
                                                                len - 25, ad, sizeof ad, (unsigned char *)back + 1, key), 0);
    assert_int_equal(plain_len, 4 + 2 * 16);
    assert_int_equal(bytes_load32_le(plain), 2);
    assert_int_equal((int64_t)bytes_load64_le(plain + 4), -7);
    assert_int_equal(bytes_load64_le(plain + 12), 9);
    assert_int_equal(bytes_load64_le(plain + 20), 1);
    assert_int_equal(bytes_load64_le(plain + 28), 2);
    free(back);
    store_close(s);
    ts_rmtree(dir);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_seen_marks_follow_the_specification),
        T(test_what_the_reporter_sent_is_new_until_shown),
        T(test_seen_marks_stay_private_and_err_on_the_side_of_new),
        T(test_list_fits_80_columns_with_a_header_for_every_column),
        T(test_show_hides_deadlines_that_no_longer_apply_and_gives_the_outcome),
        T(test_show_wraps_long_text_at_80_columns_between_characters),
        T(test_list_mine_and_assignee),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
