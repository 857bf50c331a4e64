/*
 * test_sync.c: caseworkers working from their own replicas (casework sync / serve-sync). The real
 * intake takes reports on a server database; two caseworkers each sync a replica of it through a
 * local serve-sync child, work the same and different cases at the same time, push (the later
 * one is told to pull first and its entries are renumbered after the other's), and the reporter
 * reads both replies through the intake; every audit log verifies to the same head. Then pushes
 * that must be refused are tried, each leaving the server as it was: an unknown key, a forged
 * signature, a push made for another database, a replayed push, one cut short, and a serve-sync
 * killed in the middle of applying one (after which the push goes through).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pwd.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit.h"
#include "day.h"
#include "envelope.h"
#include "errors.h"
#include "fields.h"
#include "keyfile.h"
#include "store-sync.h"
#include "store.h"
#include "sync-push.h"
#include "sync-transport.h"
#include "test_support.h"

static const keyfile_kdf_limits fast = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};

enum { ALICE, BOB, CAROL, AUDITOR, NKEYS };

typedef struct fixture {
    char dir[PATH_MAX], server[PATH_MAX], pass[PATH_MAX], recipients[PATH_MAX];
    char key[NKEYS][PATH_MAX], replica[NKEYS][PATH_MAX];
    int port;
    pid_t intake, sshd;
    int ssh_port;
    char env_ssh[3 * PATH_MAX];   /* CASEWORK_SSH=..., when the test runs an sshd */
} fixture;

/* What the test does to the push as it leaves (through the wrapped functions below). */
static enum { AS_IS, FORGE_SIGNATURE, CUT_BEFORE_SIGNATURE, KILL_BEFORE_SIGNATURE } tamper;
static pid_t server_pid;

void __real_key_sign(const caseworker_key *k, const unsigned char *msg, size_t len, unsigned char sig[64]);
void __wrap_key_sign(const caseworker_key *k, const unsigned char *msg, size_t len, unsigned char sig[64]);
void __wrap_key_sign(const caseworker_key *k, const unsigned char *msg, size_t len, unsigned char sig[64])
{
    __real_key_sign(k, msg, len, sig);
    if (tamper == FORGE_SIGNATURE)
        sig[10] ^= 0x01;
}

int __real_wire_send(sync_wire *w, int type, const void *payload, size_t len, char *err, size_t errlen);
int __wrap_wire_send(sync_wire *w, int type, const void *payload, size_t len, char *err, size_t errlen);
int __wrap_wire_send(sync_wire *w, int type, const void *payload, size_t len, char *err, size_t errlen)
{
    if (type == SYNC_SIGN && (tamper == CUT_BEFORE_SIGNATURE || tamper == KILL_BEFORE_SIGNATURE)) {
        fflush(w->out);
        if (tamper == KILL_BEFORE_SIGNATURE) {
            usleep(300 * 1000);   /* serve-sync has applied every item, uncommitted */
            kill(server_pid, SIGKILL);
        }
        return err_set(err, errlen, ERR_IO, "cut short by the test");
    }
    return __real_wire_send(w, type, payload, len, err, errlen);
}

static int setup(void **state)
{
    static const char *const names[NKEYS] = {"Alice Martin", "Bob Ng", "Carol Diaz", "Audrey Kim"};
    fixture *f = calloc(1, sizeof *f);
    char listen[32], log[PATH_MAX], err[300], lines[4 * PUBKEY_LINE_MAX] = "";
    const char *argv[] = {INTAKE_BIN, "--db", f->server, "--recipients", f->recipients, "--listen", listen, NULL};

    ts_tmpdir(f->dir);
    ts_write_file(ts_path(f->pass, f->dir, "pass"), "pw\n", 3);
    for (int i = 0; i < NKEYS; i++) {
        caseworker_key *k = keyfile_generate(names[i], i == AUDITOR ? PUBKEY_ROLE_AUDITOR : PUBKEY_ROLE_CASEWORKER);
        char name[32], line[PUBKEY_LINE_MAX];
        snprintf(name, sizeof name, "key%d", i);
        assert_int_equal(keyfile_write(ts_path(f->key[i], f->dir, name), k, "pw", 2, fast, err, sizeof err), 0);
        snprintf(name, sizeof name, "replica%d.db", i);
        ts_path(f->replica[i], f->dir, name);
        pubkey_format(&k->pub, line);
        if (i != CAROL)   /* Carol is no recipient: the server does not know her */
            strcat(lines, line);
        keyfile_free(k);
    }
    ts_write_file(ts_path(f->recipients, f->dir, "recipients"), lines, strlen(lines));
    ts_path(f->server, f->dir, "reports.db");
    f->port = ts_free_port();
    snprintf(listen, sizeof listen, "127.0.0.1:%d", f->port);
    f->intake = ts_spawn(argv, ts_path(log, f->dir, "intake.log"));
    assert_int_equal(ts_wait_port(f->port, 10000), 0);
    tamper = AS_IS;
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
    if (f->sshd > 0) {
        kill(f->sshd, SIGTERM);
        ts_wait(f->sshd, 10000);
    }
    ts_rmtree(f->dir);
    free(f);
    return 0;
}

/* Runs casework as who on their replica (or on db when not NULL); checks the exit status and
 * that out_has (when not NULL) is in what it printed. */
static ts_result cw(const fixture *f, int who, const char *db, const char *const args[], int expect,
                    const char *out_has)
{
    char env_key[PATH_MAX + 16], env_pass[PATH_MAX + 32], env_aud[PATH_MAX + 32];
    const char *env[] = {env_key, env_pass, env_aud, f->env_ssh[0] ? f->env_ssh : NULL, NULL};
    const char *argv[20] = {CASEWORK_BIN, "--db", db != NULL ? db : f->replica[who]};
    size_t n = 3;
    ts_result r;

    snprintf(env_key, sizeof env_key, "CASEWORK_KEY=%s", f->key[who]);
    snprintf(env_pass, sizeof env_pass, "CASEWORK_PASSPHRASE_FILE=%s", f->pass);
    snprintf(env_aud, sizeof env_aud, "CASEWORK_AUDITORS=%s", f->recipients);
    for (size_t i = 0; args[i] != NULL && n < 19; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    r = ts_run(argv, env);
    if (r.status != expect)
        fail_msg("casework %s exited %d, expected %d: %s%s", args[0], r.status, expect, r.out, r.err);
    if (out_has != NULL && strstr(r.out, out_has) == NULL && strstr(r.err, out_has) == NULL)
        fail_msg("casework %s: no \"%s\" in: %s%s", args[0], out_has, r.out, r.err);
    return r;
}

static void run(const fixture *f, int who, const char *const args[], int expect, const char *out_has)
{
    ts_result r = cw(f, who, NULL, args, expect, out_has);

    ts_result_free(&r);
}

/* Tomorrow's purge (libfaketime: a day purge would refuse today as in the future) of every case
 * closed before tomorrow on who's replica, without asking. */
static void purge_tomorrow(const fixture *f, int who, int expect, const char *out_has)
{
    char env_key[PATH_MAX + 16], env_pass[PATH_MAX + 32], env_aud[PATH_MAX + 32];
    char today[DAY_TEXT_SIZE], tomorrow[DAY_TEXT_SIZE];
    const char *env[] = {env_key, env_pass, env_aud, NULL};
    const char *argv[] = {"/usr/bin/env", "LD_PRELOAD=" FAKETIME_LIB, "FAKETIME=+1d",
                          "ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1:abort_on_error=1", CASEWORK_BIN,
                          "--db", f->replica[who], "purge", "--closed-before", tomorrow, "--yes", NULL};
    ts_result r;

    day_today(today);
    day_add(today, 1, 0, tomorrow);
    snprintf(env_key, sizeof env_key, "CASEWORK_KEY=%s", f->key[who]);
    snprintf(env_pass, sizeof env_pass, "CASEWORK_PASSPHRASE_FILE=%s", f->pass);
    snprintf(env_aud, sizeof env_aud, "CASEWORK_AUDITORS=%s", f->recipients);
    r = ts_run(argv, env);
    if (r.status != expect)
        fail_msg("casework purge exited %d, expected %d: %s%s", r.status, expect, r.out, r.err);
    if (out_has != NULL && strstr(r.out, out_has) == NULL && strstr(r.err, out_has) == NULL)
        fail_msg("casework purge: no \"%s\" in: %s%s", out_has, r.out, r.err);
    ts_result_free(&r);
}

static void sync_as(const fixture *f, int who, int expect, const char *out_has)
{
    run(f, who, (const char *const[]){"sync", f->server, "--recipients", f->recipients, NULL}, expect, out_has);
}

/* The audit head of db as audit verify prints it (the whole line). */
static char *verified(const fixture *f, const char *db)
{
    ts_result r = cw(f, ALICE, db, (const char *const[]){"audit", "verify", NULL}, 0, "intact");
    char *line = strdup(r.out);

    ts_result_free(&r);
    return line;
}

/* The server's log and Alice's (and Bob's, with bob) verify to the same head. */
static void same_log(const fixture *f, int bob)
{
    char *server = verified(f, f->server), *alice = verified(f, f->replica[ALICE]);

    assert_string_equal(server, alice);
    free(alice);
    if (bob) {
        char *b = verified(f, f->replica[BOB]);
        assert_string_equal(server, b);
        free(b);
    }
    free(server);
}

static void file_report_at(int port, const char *description, int with_file, char ref[32], char receipt[64])
{
    ts_buf body = {0};
    char csrf[64];
    int status;
    char *page;

    ts_csrf(port, "/", csrf);
    ts_multipart_field(&body, "csrf", csrf);
    ts_multipart_field(&body, "category", "harassment");
    ts_multipart_field(&body, "description", description);
    if (with_file)
        ts_multipart_file(&body, "attachment", "photo.jpg", "image/jpeg", "\xff\xd8\xff not really a photo", 23);
    ts_multipart_end(&body);
    page = ts_post(port, NULL, "/report", "multipart/form-data; boundary=" TS_BOUNDARY, &body, NULL, &status);
    assert_int_equal(status, 200);
    assert_int_equal(ts_element_text(page, "case", ref, 32), 0);
    assert_int_equal(ts_element_text(page, "receipt", receipt, 64), 0);
    free(page);
    ts_buf_free(&body);
}

static void file_report(const fixture *f, const char *description, int with_file, char ref[32], char receipt[64])
{
    file_report_at(f->port, description, with_file, ref, receipt);
}

static void test_two_caseworkers_work_from_replicas_to_closure(void **state)
{
    fixture *f = *state;
    char a[32], b[32], receipt_a[64], receipt_b[64], out[PATH_MAX];
    char *page;
    ts_result r;

    file_report(f, "The driver makes remarks about my body every day.", 1, a, receipt_a);
    file_report(f, "Someone in logistics keeps sending me messages at night.", 0, b, receipt_b);
    sync_as(f, ALICE, 0, "replica made");
    sync_as(f, BOB, 0, "1 file(s)");
    /* Both work at once, offline from each other. */
    run(f, ALICE, (const char *const[]){"triage", a, "--category", "sexual-harassment", "--severity", "high", NULL}, 0, NULL);
    run(f, ALICE, (const char *const[]){"reply", a, "-m", "Alice here: we have read your report.", NULL}, 0, NULL);
    run(f, BOB, (const char *const[]){"note", a, "-m", "Bob: spoke to the depot manager", NULL}, 0, NULL);
    run(f, BOB, (const char *const[]){"reply", a, "-m", "Bob here: may we call you?", NULL}, 0, NULL);
    run(f, BOB, (const char *const[]){"status", b, "investigating", NULL}, 0, NULL);
    sync_as(f, ALICE, 0, "pushed");
    sync_as(f, BOB, 0, "pushed 4 change(s)");   /* told to pull first, then pushed on top of Alice's */
    sync_as(f, ALICE, 0, NULL);
    /* Each sees the other's work. */
    run(f, ALICE, (const char *const[]){"show", a, NULL}, 0, "Bob: spoke to the depot manager");
    run(f, BOB, (const char *const[]){"show", a, NULL}, 0, "Alice here: we have read your report.");
    run(f, ALICE, (const char *const[]){"list", NULL}, 0, "investigating");
    /* The attachment came with the pull, in full. */
    ts_path(out, f->dir, "files");
    run(f, BOB, (const char *const[]){"export", a, "--out", out, NULL}, 0, NULL);
    {
        char file[PATH_MAX + 16];
        size_t len;
        char *data;
        snprintf(file, sizeof file, "%s/01-photo.jpg", out);
        data = ts_read_file(file, &len);
        assert_non_null(data);
        assert_int_equal(len, 23);
        free(data);
    }
    run(f, ALICE, (const char *const[]){"close", a, "--outcome", "substantiated", "-m", "Measures taken.", NULL}, 0, NULL);
    sync_as(f, ALICE, 0, NULL);
    sync_as(f, BOB, 0, NULL);
    run(f, BOB, (const char *const[]){"list", "--status", "closed", NULL}, 0, a);
    sync_as(f, BOB, 0, "pushed 0 change(s)");   /* the list's audit entry, and nothing else */
    sync_as(f, ALICE, 0, NULL);
    /* The reporter reads both replies through the intake, and the case closed. */
    page = ts_status_page(f->port, receipt_a);
    assert_non_null(strstr(page, "Alice here: we have read your report."));
    assert_non_null(strstr(page, "Bob here: may we call you?"));
    free(page);
    /* One chain, everywhere. */
    same_log(f, 1);
    r = cw(f, AUDITOR, f->server, (const char *const[]){"audit", "log", NULL}, 0, "Bob Ng");
    assert_non_null(strstr(r.out, "close"));
    assert_null(strstr(r.out, "(sealed)"));
    ts_result_free(&r);

    /* A handover pushed from a replica: Bob shares b with Carol, who reads it from her own. */
    {
        char carol_pub[PATH_MAX + 8];
        snprintf(carol_pub, sizeof carol_pub, "%s.pub", f->key[CAROL]);
        run(f, BOB, (const char *const[]){"share", b, "--with", carol_pub, NULL}, 0, "resealed");
    }
    sync_as(f, BOB, 0, NULL);
    sync_as(f, CAROL, 0, "replica made");
    run(f, CAROL, (const char *const[]){"show", b, NULL}, 0, "messages at night");
    /* A purge pushed from a replica: the server and the other replica lose the case; the
     * figures stay. */
    purge_tomorrow(f, ALICE, 0, "purged 1");
    sync_as(f, ALICE, 0, NULL);
    assert_int_equal(ts_count_rows(f->server, "retained_figures"), 1);
    sync_as(f, BOB, 0, "removed erased cases");
    run(f, BOB, (const char *const[]){"show", a, NULL}, 1, "no case");
    run(f, BOB, (const char *const[]){"stats", NULL}, 0, NULL);
}

/* The server's audit head line, to show nothing changed. */
static char *server_head(const fixture *f)
{
    ts_result r = cw(f, ALICE, f->server, (const char *const[]){"audit", "head", NULL}, 0, NULL);
    char *line = strdup(r.out);

    ts_result_free(&r);
    return line;
}

static void server_intact(const fixture *f)
{
    sqlite3 *db;
    sqlite3_stmt *st;

    assert_int_equal(sqlite3_open_v2(f->server, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* Alice's replica and key, a connection to a local serve-sync, and the greeting done. */
typedef struct session {
    store *replica;
    caseworker_key *k;
    sync_peer peer;
    unsigned char server_id[16];
} session;

static void open_session(const fixture *f, session *s)
{
    const unsigned char *p;
    char err[300];
    size_t len;
    int type;

    assert_int_equal(store_open(f->replica[ALICE], &s->replica, err, sizeof err), 0);
    assert_int_equal(keyfile_read(f->key[ALICE], "pw", 2, &s->k, err, sizeof err), 0);
    assert_int_equal(sync_connect(f->server, f->recipients, CASEWORK_BIN, &s->peer, err, sizeof err), 0);
    server_pid = s->peer.pid;
    assert_int_equal(wire_send(&s->peer.w, SYNC_HELLO, SYNC_MAGIC, sizeof SYNC_MAGIC - 1, err, sizeof err), 0);
    assert_int_equal(wire_flush(&s->peer.w, err, sizeof err), 0);
    assert_int_equal(wire_recv(&s->peer.w, &type, &p, &len, err, sizeof err), 0);
    assert_int_equal(type, SYNC_INFO);
    memcpy(s->server_id, p, 16);
}

/* Pushes what Alice's replica holds; returns sync_push's result, its message in err. */
static int push(session *s, const unsigned char *server_id, char err[300])
{
    unsigned char base_hash[32], head_hash[32];
    uint64_t base, head;
    unsigned pushed, skipped;

    assert_int_equal(store_sync_base(s->replica, &base, base_hash, err, 300), 0);
    return sync_push(s->replica, s->k, &s->peer.w, server_id, base, base_hash, &pushed, &head, head_hash, &skipped,
                     err, 300);
}

static void close_session(session *s)
{
    sync_disconnect(&s->peer);
    store_close(s->replica);
    keyfile_free(s->k);
}

static void test_pushes_that_must_be_refused_apply_nothing(void **state)
{
    fixture *f = *state;
    char a[32], receipt[64], err[300], *before, *after;
    session s;

    file_report(f, "My team leader threatens to end my contract.", 0, a, receipt);
    /* before the first sync there is no replica, and casework does not make an empty one */
    run(f, ALICE, (const char *const[]){"list", NULL}, 1, "no database at");
    assert_int_equal(ts_file_mode(f->replica[ALICE]), -1);
    sync_as(f, ALICE, 0, NULL);
    run(f, ALICE, (const char *const[]){"list", NULL}, 0, NULL);
    sync_as(f, ALICE, 0, NULL);   /* (her first audit entries reach the server) */
    /* Carol, unknown to the server, may pull, but what she did is refused. */
    sync_as(f, CAROL, 0, "replica made");
    run(f, CAROL, (const char *const[]){"list", NULL}, 0, NULL);
    sync_as(f, CAROL, 1, "is not one of this server's caseworkers");
    run(f, ALICE, (const char *const[]){"reply", a, "-m", "We will call you tomorrow.", NULL}, 0, NULL);
    before = server_head(f);

    /* A forged signature. */
    open_session(f, &s);
    tamper = FORGE_SIGNATURE;
    assert_int_equal(push(&s, s.server_id, err), ERR_AUTH);
    assert_non_null(strstr(err, "signature does not verify"));
    tamper = AS_IS;
    /* A push made for another database. */
    {
        unsigned char other[16];
        randombytes_buf(other, sizeof other);
        assert_int_equal(push(&s, other, err), ERR_AUTH);
        assert_non_null(strstr(err, "another database"));
    }
    after = server_head(f);
    assert_string_equal(before, after);
    free(after);
    /* A genuine push, then the very same bytes again: the replay is refused. */
    assert_int_equal(push(&s, s.server_id, err), 0);
    after = server_head(f);
    assert_string_not_equal(before, after);
    assert_int_equal(push(&s, s.server_id, err), ERR_EXISTS);
    assert_non_null(strstr(err, "pull first"));
    free(before);
    before = server_head(f);
    assert_string_equal(before, after);
    free(after);
    close_session(&s);
    sync_as(f, ALICE, 0, NULL);   /* the replica sees its push was taken, and takes nothing twice */
    {
        char *page = ts_status_page(f->port, receipt);
        assert_int_equal(ts_count(page, "We will call you tomorrow."), 1);
        free(page);
    }

    /* A push cut short before its signature, and a serve-sync killed while applying one. */
    run(f, ALICE, (const char *const[]){"note", a, "-m", "Called; no answer.", NULL}, 0, NULL);
    free(before);
    before = server_head(f);
    open_session(f, &s);
    tamper = CUT_BEFORE_SIGNATURE;
    assert_int_not_equal(push(&s, s.server_id, err), 0);
    close_session(&s);
    server_intact(f);
    after = server_head(f);
    assert_string_equal(before, after);
    free(after);
    open_session(f, &s);
    tamper = KILL_BEFORE_SIGNATURE;
    assert_int_not_equal(push(&s, s.server_id, err), 0);
    close_session(&s);
    tamper = AS_IS;
    server_intact(f);
    after = server_head(f);
    assert_string_equal(before, after);
    free(after);
    free(before);
    /* The push goes through afterwards. */
    sync_as(f, ALICE, 0, "pushed 1 change(s)");
    run(f, BOB, (const char *const[]){"sync", f->server, "--recipients", f->recipients, NULL}, 0, NULL);
    run(f, BOB, (const char *const[]){"show", a, NULL}, 0, "Called; no answer.");
}

static void test_a_replica_refuses_a_server_whose_log_went_back(void **state)
{
    fixture *f = *state;
    char a[32], receipt[64], other[PATH_MAX];
    sqlite3 *db;

    file_report(f, "I was told to keep quiet about what happened at the party.", 0, a, receipt);
    run(f, ALICE, (const char *const[]){"sync", f->server, "--recipients", f->recipients, NULL}, 0, NULL);
    run(f, ALICE, (const char *const[]){"show", a, NULL}, 0, NULL);
    sync_as(f, ALICE, 0, NULL);
    /* Someone cuts the server's log back by its newest entry. */
    assert_int_equal(sqlite3_open(f->server, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    sync_as(f, ALICE, 1, "no longer holds entry");
    /* A replica of this server never syncs with another database unless told to add it. */
    ts_path(other, f->dir, "other.db");
    {
        store *s;
        char err[300];
        assert_int_equal(store_open(other, &s, err, sizeof err), 0);
        store_close(s);
    }
    run(f, ALICE, (const char *const[]){"sync", other, "--recipients", f->recipients, NULL}, 1, "another intake");
    run(f, ALICE, (const char *const[]){"sync", "ssh://host-without-path", NULL}, 1, "ssh://[user@]host[:port]/path");
    /* An ssh that fails says so, and leaves the replica as it was. */
    snprintf(f->env_ssh, sizeof f->env_ssh, "CASEWORK_SSH=/bin/false");
    run(f, ALICE, (const char *const[]){"sync", "ssh://127.0.0.1/srv/reports.db", NULL}, 1,
        "did not answer as casework serve-sync");
    f->env_ssh[0] = '\0';
    run(f, ALICE, (const char *const[]){"show", a, NULL}, 0, "keep quiet");
}

/* A server whose database holds a reference that is none (escape bytes, say) is refused: its
 * text never reaches the replica, nor a terminal. */
static void test_a_reference_that_is_none_is_refused_at_pull(void **state)
{
    fixture *f = *state;
    char a[32], receipt[64], q[256];
    sqlite3 *db;
    ts_result r;

    file_report(f, "A reference someone altered.", 0, a, receipt);
    assert_int_equal(sqlite3_open(f->server, &db), SQLITE_OK);
    snprintf(q, sizeof q, "UPDATE cases SET ref = '8R8R' || char(27) || '[2J' WHERE ref = '%s'", a);
    assert_int_equal(sqlite3_exec(db, q, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    r = cw(f, ALICE, NULL, (const char *const[]){"sync", f->server, "--recipients", f->recipients, NULL}, 1,
           "whose reference is not one");
    assert_null(strchr(r.err, '\033'));
    assert_null(strchr(r.out, '\033'));
    ts_result_free(&r);
}

static void test_an_air_gapped_workstation_exchanges_through_files(void **state)
{
    fixture *f = *state;
    char a[32], receipt[64], snap[PATH_MAX], snap2[PATH_MAX], pushfile[PATH_MAX], *page;
    ts_result r;

    file_report(f, "My supervisor asked for favours in exchange for a good review.", 1, a, receipt);
    /* On the server: a snapshot to carry (no key needed). */
    ts_path(snap, f->dir, "snapshot.db");
    r = cw(f, AUDITOR, f->server, (const char *const[]){"sync-snapshot", "--out", snap, NULL}, 0, "snapshot written");
    ts_result_free(&r);
    r = cw(f, AUDITOR, f->server, (const char *const[]){"sync-snapshot", "--out", snap, NULL}, 1, "exists already");
    ts_result_free(&r);
    assert_int_equal(ts_file_mode(snap), 0600);
    {
        /* the intake's csrf key stays on the server */
        sqlite3 *db;
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_open_v2(snap, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM settings WHERE name = 'csrf_key'", -1, &st, NULL),
                         SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 0);
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    /* On the workstation: sync from it, work, write the push. */
    ts_path(pushfile, f->dir, "push.sync");
    run(f, ALICE, (const char *const[]){"sync", snap, "--push-file", pushfile, NULL}, 0, "replica made");
    run(f, ALICE, (const char *const[]){"show", a, NULL}, 0, "favours");
    run(f, ALICE, (const char *const[]){"reply", a, "-m", "Thank you. We will act on this.", NULL}, 0, NULL);
    run(f, ALICE, (const char *const[]){"sync", snap, "--push-file", pushfile, NULL}, 0, "written to");
    /* On the server: apply it; the reporter reads the reply. A second time, it is refused. */
    r = cw(f, ALICE, f->server, (const char *const[]){"serve-sync", "--recipients", f->recipients, "--apply", pushfile,
                                                      NULL}, 0, "applied");
    ts_result_free(&r);
    page = ts_status_page(f->port, receipt);
    assert_non_null(strstr(page, "Thank you. We will act on this."));
    free(page);
    r = cw(f, ALICE, f->server, (const char *const[]){"serve-sync", "--recipients", f->recipients, "--apply", pushfile,
                                                      NULL}, 1, "moved on");
    ts_result_free(&r);
    /* Without the caseworkers it may take, or without the file, nothing is applied either. */
    r = cw(f, ALICE, f->server, (const char *const[]){"serve-sync", "--apply", pushfile, NULL}, 1, "needs --recipients");
    ts_result_free(&r);
    r = cw(f, ALICE, f->server, (const char *const[]){"serve-sync", "--recipients", f->recipients, "--apply", snap2,
                                                      NULL}, 1, "No such file");
    ts_result_free(&r);
    /* A cut push file applies nothing. */
    {
        size_t len;
        char *data = ts_read_file(pushfile, &len);
        char cut[PATH_MAX];
        ts_write_file(ts_path(cut, f->dir, "cut.sync"), data, len / 2);
        free(data);
        r = cw(f, ALICE, f->server, (const char *const[]){"serve-sync", "--recipients", f->recipients, "--apply", cut,
                                                          NULL}, 1, "cut short");
        ts_result_free(&r);
    }
    /* The next snapshot shows the workstation its push was taken: nothing is written again. */
    ts_path(snap2, f->dir, "snapshot2.db");
    r = cw(f, AUDITOR, f->server, (const char *const[]){"sync-snapshot", "--out", snap2, NULL}, 0, NULL);
    ts_result_free(&r);
    unlink(pushfile);
    run(f, ALICE, (const char *const[]){"sync", snap2, "--push-file", pushfile, NULL}, 0, "pushed 0 change(s)");
    assert_int_equal(ts_file_mode(pushfile), -1);
    same_log(f, 0);
}

/* A sync that runs between a command's audit entry and its change (written one after the other)
 * pushes the entry alone; the change, left behind, still goes with the next sync. */
static void test_a_change_whose_entry_went_earlier_is_not_stuck(void **state)
{
    fixture *f = *state;
    char a[32], receipt[64];
    sqlite3 *db;
    ts_result r;

    file_report(f, "Rumours about me are spread on purpose.", 0, a, receipt);
    sync_as(f, ALICE, 0, "replica made");
    run(f, ALICE, (const char *const[]){"show", a, NULL}, 0, NULL);
    sync_as(f, ALICE, 0, NULL);
    /* the change lands after its entry was pushed: as if the status command's entry had gone
     * with that sync */
    assert_int_equal(sqlite3_open(f->replica[ALICE], &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE cases SET status = 'investigating'", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    sync_as(f, ALICE, 0, "pushed 1 change(s)");
    r = cw(f, AUDITOR, f->server, (const char *const[]){"audit", "log", NULL}, 0, NULL);
    assert_non_null(strstr(r.out, "changes=1"));
    ts_result_free(&r);
    sync_as(f, BOB, 0, NULL);
    run(f, BOB, (const char *const[]){"list", NULL}, 0, "investigating");
}

/* A status change made on a stale replica does not undo another caseworker's newer one. */
static void test_a_stale_status_change_does_not_reopen_a_closed_case(void **state)
{
    fixture *f = *state;
    char a[32], receipt[64];

    file_report(f, "My line manager blocks my promotion since I complained.", 0, a, receipt);
    sync_as(f, ALICE, 0, "replica made");
    sync_as(f, BOB, 0, "replica made");
    run(f, BOB, (const char *const[]){"close", a, "--outcome", "no-action", "-m", "Handled by HR.", NULL}, 0, NULL);
    sync_as(f, BOB, 0, "pushed");
    run(f, ALICE, (const char *const[]){"status", a, "investigating", NULL}, 0, NULL);   /* she has not pulled */
    sync_as(f, ALICE, 0, "were not applied");
    run(f, ALICE, (const char *const[]){"list", "--status", "closed", NULL}, 0, a);
    sync_as(f, BOB, 0, NULL);
    run(f, BOB, (const char *const[]){"list", "--status", "closed", NULL}, 0, a);
    /* Bob writes a note on the closed case while Alice erases it: his sync says the note is gone. */
    run(f, BOB, (const char *const[]){"note", a, "-m", "One more thing for the file.", NULL}, 0, NULL);
    sync_as(f, ALICE, 0, NULL);
    purge_tomorrow(f, ALICE, 0, "purged 1");
    sync_as(f, ALICE, 0, NULL);
    sync_as(f, BOB, 0, "erased on the server before your changes reached it");
}

/* Runs a command line through /bin/sh; fails the test unless it exits 0. */
static void sh(const char *command)
{
    const char *argv[] = {"/bin/sh", "-c", command, NULL};
    ts_result r = ts_run(argv, NULL);

    if (r.status != 0)
        fail_msg("%s: %s", command, r.err);
    ts_result_free(&r);
}

/*
 * A real OpenSSH server on a loopback port, with a throwaway host key, that lets one throwaway
 * client key run nothing but serve-sync on the server's database (the authorized_keys line
 * docs/deployment.md gives). Fills f->env_ssh with the CASEWORK_SSH that reaches it and remote
 * with the REMOTE to give sync.
 */
static void start_sshd(fixture *f, char *remote, size_t cap)
{
    char dir[PATH_MAX], config[PATH_MAX], line[4 * PATH_MAX], *pub;
    char host_key[PATH_MAX], client_key[PATH_MAX], authorized[PATH_MAX], known[PATH_MAX], log[PATH_MAX];
    const struct passwd *me = getpwuid(geteuid());
    const char *argv[] = {SSHD_BIN, "-D", "-e", "-f", config, NULL};
    int port = ts_free_port();

    assert_non_null(me);
    ts_tmpdir(dir);
    ts_path(host_key, dir, "host_key");
    ts_path(client_key, dir, "client_key");
    snprintf(line, sizeof line, "ssh-keygen -q -t ed25519 -N '' -f %s && ssh-keygen -q -t ed25519 -N '' -f %s",
             host_key, client_key);
    sh(line);
    snprintf(line, sizeof line, "%s.pub", client_key);
    pub = ts_read_file(line, NULL);
    snprintf(line, sizeof line, "command=\"%s --db %s serve-sync --recipients %s\",restrict %s", CASEWORK_BIN, f->server,
             f->recipients, pub);
    free(pub);
    ts_write_file(ts_path(authorized, dir, "authorized_keys"), line, strlen(line));
    snprintf(line, sizeof line,
             "Port %d\nListenAddress 127.0.0.1\nHostKey %s\nAuthorizedKeysFile %s\nPidFile none\nStrictModes no\n"
             "UsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n"
             "PermitRootLogin prohibit-password\nLogLevel ERROR\n",
             port, host_key, authorized);
    ts_write_file(ts_path(config, dir, "sshd_config"), line, strlen(line));
    snprintf(line, sizeof line, "%s.pub", host_key);
    pub = ts_read_file(line, NULL);
    snprintf(line, sizeof line, "[127.0.0.1]:%d %s", port, pub);
    free(pub);
    ts_write_file(ts_path(known, dir, "known_hosts"), line, strlen(line));
    if (geteuid() == 0)
        mkdir("/run/sshd", 0755);   /* sshd run by root wants its privilege separation folder */
    f->sshd = ts_spawn(argv, ts_path(log, dir, "sshd.log"));
    assert_int_equal(ts_wait_port(port, 10000), 0);
    snprintf(f->env_ssh, sizeof f->env_ssh,
             "CASEWORK_SSH=ssh -F /dev/null -i %s -o UserKnownHostsFile=%s -o StrictHostKeyChecking=yes -o BatchMode=yes",
             client_key, known);
    snprintf(remote, cap, "ssh://%s@127.0.0.1:%d/the/forced/command/names/the/database", me->pw_name, port);
    f->ssh_port = port;
}

static void test_replicas_sync_through_a_real_sshd(void **state)
{
    fixture *f = *state;
    char remote[PATH_MAX], a[32], b[32], receipt[64], receipt_b[64], *page;

    start_sshd(f, remote, sizeof remote);
    file_report(f, "I was pushed against a wall in the store room.", 1, a, receipt);
    file_report(f, "A colleague shares pictures of me without asking.", 0, b, receipt_b);
    run(f, ALICE, (const char *const[]){"sync", remote, NULL}, 0, "replica made");
    run(f, BOB, (const char *const[]){"sync", remote, NULL}, 0, "1 file(s)");
    /* The same case and different ones, at once. */
    run(f, ALICE, (const char *const[]){"show", a, NULL}, 0, "store room");
    run(f, ALICE, (const char *const[]){"triage", a, "--category", "harassment", "--severity", "critical", NULL}, 0, NULL);
    run(f, ALICE, (const char *const[]){"reply", a, "-m", "Alice, over SSH: we are on it.", NULL}, 0, NULL);
    run(f, BOB, (const char *const[]){"reply", a, "-m", "Bob, over SSH: are you safe now?", NULL}, 0, NULL);
    run(f, BOB, (const char *const[]){"note", b, "-m", "Bob: asked IT to keep the logs", NULL}, 0, NULL);
    run(f, BOB, (const char *const[]){"close", b, "--outcome", "referred", "-m", "Referred to the police.", NULL}, 0, NULL);
    run(f, ALICE, (const char *const[]){"sync", remote, NULL}, 0, "pushed 3 change(s)");   /* triage: a record and a status */
    run(f, BOB, (const char *const[]){"sync", remote, NULL}, 0, "pushed");
    run(f, ALICE, (const char *const[]){"sync", remote, NULL}, 0, NULL);
    run(f, ALICE, (const char *const[]){"show", b, NULL}, 0, "Bob: asked IT to keep the logs");
    run(f, ALICE, (const char *const[]){"sync", remote, NULL}, 0, NULL);
    run(f, BOB, (const char *const[]){"sync", remote, NULL}, 0, NULL);
    page = ts_status_page(f->port, receipt_b);
    {
        char status[64];
        assert_int_equal(ts_element_text(page, "status", status, sizeof status), 0);
        assert_non_null(strstr(status, "Closed"));   /* closed on Bob's replica, pushed over SSH */
    }
    free(page);
    page = ts_status_page(f->port, receipt);
    assert_non_null(strstr(page, "Alice, over SSH: we are on it."));
    assert_non_null(strstr(page, "Bob, over SSH: are you safe now?"));
    free(page);
    same_log(f, 1);
    /* The key runs serve-sync and nothing else, whatever the client asks. */
    {
        char command[4 * PATH_MAX];
        ts_result r;
        const char *argv[] = {"/bin/sh", "-c", command, NULL};
        snprintf(command, sizeof command, "$CASEWORK_SSH -p %d %s@127.0.0.1 cat /etc/passwd </dev/null", f->ssh_port,
                 getpwuid(geteuid())->pw_name);
        r = ts_run(argv, (const char *const[]){f->env_ssh, NULL});
        assert_null(strstr(r.out, "root:"));
        ts_result_free(&r);
    }
}


/* A report filed at the intake of db that drew the reference ref (as the intake stores one),
 * sealed to Alice. */
static void same_ref_report(const fixture *f, const char *db, const char *ref, const char *description)
{
    unsigned char lookup[32], pk[32], *env, enc[1024];
    char err[300];
    pubkey *keys;
    size_t nkeys, env_len;
    int64_t record;
    store_case c;
    field fl[2];
    store *s;

    assert_int_equal(pubkey_load_role(f->recipients, PUBKEY_ROLE_CASEWORKER, &keys, &nkeys, err, sizeof err), 0);
    randombytes_buf(lookup, 32);
    randombytes_buf(pk, 32);
    assert_int_equal(store_open(db, &s, err, sizeof err), 0);
    assert_int_equal(store_case_insert(s, ref, lookup, pk, &c, err, sizeof err), 0);
    fields_set(&fl[0], "category", "other", 5);
    fields_set(&fl[1], "description", description, strlen(description));
    assert_true(fields_encoded_size(fl, 2) <= sizeof enc);
    assert_int_equal(fields_encode(fl, 2, enc), 0);
    assert_int_equal(envelope_seal(keys[ALICE].x25519, 1, NULL, ENVELOPE_KIND_REPORT, c.ref, enc,
                                   fields_encoded_size(fl, 2), &env, &env_len, err, sizeof err), 0);
    assert_int_equal(store_record_add(s, c.id, STORE_AUDIENCE_CASEWORKERS, env, env_len, &record, err, sizeof err), 0);
    free(env);
    store_close(s);
    free(keys);
}

/* One workstation, two intakes: a headquarters intake (the fixture's) and a mission intake.
 * One replica syncs with both; list shows where each case came from; replies reach each
 * reporter through their own intake; each origin keeps its own audit chain; a reference both
 * intakes gave is asked for as ORIGIN:REF. */
static void test_one_replica_syncs_with_two_intakes(void **state)
{
    fixture *f = *state;
    char mission[PATH_MAX], listen[32], log[PATH_MAX], folder[PATH_MAX + 16], file[PATH_MAX + 32];
    char a[32], b[32], receipt_a[64], receipt_b[64], qualified[64];
    const char *argv[] = {INTAKE_BIN, "--db", mission, "--recipients", f->recipients, "--listen", listen, NULL};
    int port = ts_free_port();
    pid_t intake;
    char *page, *server_line;
    ts_result r;

    ts_path(mission, f->dir, "mission.db");
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    intake = ts_spawn(argv, ts_path(log, f->dir, "mission.log"));
    assert_int_equal(ts_wait_port(port, 10000), 0);
    file_report(f, "At headquarters my manager blocks my leave unless I go out with him.", 0, a, receipt_a);
    file_report_at(port, "At the mission, a contractor asks for favours in exchange for water.", 1, b, receipt_b);

    run(f, ALICE, (const char *const[]){"sync", f->server, "--recipients", f->recipients, "--origin", "hq", NULL}, 0,
        "(origin hq)");
    /* a slip of REMOTE does not quietly add an intake; naming it does */
    run(f, ALICE, (const char *const[]){"sync", mission, "--recipients", f->recipients, NULL}, 1, "--origin NAME");
    run(f, ALICE, (const char *const[]){"sync", mission, "--recipients", f->recipients, "--origin", "hq", NULL}, 1,
        "another intake");
    run(f, ALICE, (const char *const[]){"sync", mission, "--recipients", f->recipients, "--origin", "Mission!", NULL}, 2,
        "--origin takes");
    run(f, ALICE, (const char *const[]){"sync", mission, "--recipients", f->recipients, "--origin", "mission", NULL}, 0,
        "new origin mission");
    snprintf(folder, sizeof folder, "%s.origins", f->replica[ALICE]);
    snprintf(file, sizeof file, "%s/mission.db", folder);
    assert_int_equal(ts_file_mode(folder), 0700);
    assert_int_equal(ts_file_mode(file), 0600);

    r = cw(f, ALICE, NULL, (const char *const[]){"list", NULL}, 0, "ORIGIN");
    assert_non_null(strstr(r.out, a));
    assert_non_null(strstr(r.out, b));
    assert_int_equal(ts_count(r.out, "ORIGIN hq\n"), 1);       /* each origin's cases under its name */
    assert_int_equal(ts_count(r.out, "ORIGIN mission\n"), 1);
    assert_true(strstr(r.out, "ORIGIN hq\n") < strstr(r.out, a));
    assert_true(strstr(r.out, "ORIGIN mission\n") < strstr(r.out, b));
    for (const char *line = r.out; *line != '\0';) {      /* and every line fits 80 columns */
        size_t len = strcspn(line, "\n");
        assert_true(len <= 80);
        line += len + (line[len] == '\n');
    }
    ts_result_free(&r);
    r = cw(f, ALICE, NULL, (const char *const[]){"list", "--json", NULL}, 0, "\"origin\": \"mission\"");
    assert_non_null(strstr(r.out, "\"origin\": \"hq\""));
    ts_result_free(&r);
    run(f, ALICE, (const char *const[]){"--origin", "mission", "list", NULL}, 0, b);
    r = cw(f, ALICE, NULL, (const char *const[]){"--origin", "mission", "list", NULL}, 0, NULL);
    assert_null(strstr(r.out, a));
    ts_result_free(&r);
    run(f, ALICE, (const char *const[]){"--origin", "field", "list", NULL}, 1, "no origin field here");

    /* Each case is worked where it came from, and the answer reaches its reporter. */
    run(f, ALICE, (const char *const[]){"show", b, NULL}, 0, "from: mission");
    run(f, ALICE, (const char *const[]){"reply", a, "-m", "HQ team: we are looking into this.", NULL}, 0, NULL);
    run(f, ALICE, (const char *const[]){"reply", b, "-m", "Mission team: you are safe to speak to us.", NULL}, 0, NULL);
    run(f, ALICE, (const char *const[]){"sync", f->server, "--recipients", f->recipients, NULL}, 0, "(origin hq)");
    run(f, ALICE, (const char *const[]){"sync", mission, "--recipients", f->recipients, NULL}, 0, "(origin mission)");
    page = ts_status_page(f->port, receipt_a);
    assert_non_null(strstr(page, "HQ team: we are looking into this."));
    assert_null(strstr(page, "Mission team"));
    free(page);
    page = ts_status_page(port, receipt_b);
    assert_non_null(strstr(page, "Mission team: you are safe to speak to us."));
    free(page);

    /* Two chains, each the same as its server's. */
    r = cw(f, ALICE, NULL, (const char *const[]){"audit", "verify", NULL}, 0, "hq: audit log intact");
    assert_non_null(strstr(r.out, "mission: audit log intact"));
    server_line = verified(f, mission);
    assert_non_null(strstr(r.out, server_line));
    free(server_line);
    ts_result_free(&r);
    run(f, ALICE, (const char *const[]){"audit", "head", NULL}, 2, "--origin NAME (one of hq, mission)");
    {
        ts_result mine = cw(f, ALICE, NULL, (const char *const[]){"--origin", "mission", "audit", "head", NULL}, 0, NULL);
        ts_result theirs = cw(f, ALICE, mission, (const char *const[]){"audit", "head", NULL}, 0, NULL);
        assert_string_equal(mine.out, theirs.out);
        ts_result_free(&mine);
        ts_result_free(&theirs);
    }
    run(f, ALICE, (const char *const[]){"stats", "--json", NULL}, 0, NULL);

    /* Should the mission intake ever give a reference headquarters gave, the reference alone is
     * not enough. */
    same_ref_report(f, mission, a, "A second report at the mission, about the same contractor.");
    run(f, ALICE, (const char *const[]){"sync", mission, "--recipients", f->recipients, NULL}, 0, NULL);
    run(f, ALICE, (const char *const[]){"show", a, NULL}, 1, "two intakes gave the reference");
    snprintf(qualified, sizeof qualified, "hq:%s", a);
    run(f, ALICE, (const char *const[]){"show", qualified, NULL}, 0, "my manager blocks my leave");
    snprintf(qualified, sizeof qualified, "mission:%s", a);
    run(f, ALICE, (const char *const[]){"show", qualified, NULL}, 0, "same contractor");
    snprintf(qualified, sizeof qualified, "hq:%s", a);
    run(f, ALICE, (const char *const[]){"note", qualified, "-m", "Same reference as a mission case.", NULL}, 0, NULL);
    run(f, ALICE, (const char *const[]){"sync", f->server, "--recipients", f->recipients, NULL}, 0, "pushed");
    run(f, ALICE, (const char *const[]){"show", qualified, NULL}, 0, "Same reference as a mission case.");
    snprintf(qualified, sizeof qualified, "field:%s", a);
    run(f, ALICE, (const char *const[]){"show", qualified, NULL}, 1, "no origin field");

    /* An origin's replica gone missing is said, not skipped; sync makes it again. */
    {
        char moved[PATH_MAX + 40];
        snprintf(moved, sizeof moved, "%s.moved", file);
        assert_int_equal(rename(file, moved), 0);
        run(f, ALICE, (const char *const[]){"list", NULL}, 1, "the replica of origin mission is missing");
        run(f, ALICE, (const char *const[]){"--origin", "hq", "list", NULL}, 0, a);   /* the other still works */
        run(f, ALICE, (const char *const[]){"sync", mission, "--recipients", f->recipients, "--origin", "mission", NULL},
            0, "(origin mission)");
        run(f, ALICE, (const char *const[]){"list", NULL}, 0, b);
        unlink(moved);
    }

    /* Purging goes through both; the log of a purged case is read by naming its intake. */
    snprintf(qualified, sizeof qualified, "hq:%s", a);
    run(f, ALICE, (const char *const[]){"close", qualified, "--outcome", "no-action", "-m", "Done.", NULL}, 0, NULL);
    run(f, ALICE, (const char *const[]){"close", b, "--outcome", "referred", "-m", "Referred.", NULL}, 0, NULL);
    /* a closing the servers have not seen yet is not erased: they could not check it */
    purge_tomorrow(f, ALICE, 0, "2 closed case(s) with changes not synced yet were kept");
    run(f, ALICE, (const char *const[]){"sync", f->server, "--recipients", f->recipients, NULL}, 0, NULL);
    run(f, ALICE, (const char *const[]){"sync", mission, "--recipients", f->recipients, NULL}, 0, NULL);
    purge_tomorrow(f, ALICE, 0, "purged 2");
    run(f, ALICE, (const char *const[]){"audit", "log", "--case", b, NULL}, 2, "--case ORIGIN:REF");
    snprintf(qualified, sizeof qualified, "mission:%s", b);
    run(f, ALICE, (const char *const[]){"audit", "log", "--case", qualified, NULL}, 0, "purge");
    run(f, ALICE, (const char *const[]){"sync", mission, "--recipients", f->recipients, NULL}, 0, NULL);
    assert_int_equal(ts_count_rows(mission, "retained_figures"), 1);

    /* Bob's replica was made before origins had names: it is named before another is added. */
    run(f, BOB, (const char *const[]){"sync", f->server, "--recipients", f->recipients, NULL}, 0, NULL);
    {
        sqlite3 *db;
        assert_int_equal(sqlite3_open(f->replica[BOB], &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, "DELETE FROM sync_state WHERE name = 'origin'", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
    }
    run(f, BOB, (const char *const[]){"sync", mission, "--recipients", f->recipients, "--origin", "mission", NULL}, 1,
        "has no name yet");
    /* a global --origin (or CASEWORK_ORIGIN) never adds an intake: only sync's own does */
    run(f, BOB, (const char *const[]){"--origin", "mission", "sync", mission, "--recipients", f->recipients, NULL}, 1,
        "name it");
    run(f, BOB, (const char *const[]){"sync", f->server, "--recipients", f->recipients, NULL}, 0, "(origin reports)");
    run(f, BOB, (const char *const[]){"sync", mission, "--recipients", f->recipients, "--origin", "mission", NULL}, 0,
        "new origin mission");
    /* What the home says of its origins is checked: it never makes casework open another database. */
    {
        sqlite3 *db;
        char sql[PATH_MAX + 128];
        assert_int_equal(sqlite3_open(f->replica[BOB], &db), SQLITE_OK);
        snprintf(sql, sizeof sql, "INSERT INTO sync_state VALUES ('origin-file:yy', 'reports.db')");
        assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
    }
    run(f, BOB, (const char *const[]){"list", NULL}, 1, "not well-formed");
    kill(intake, SIGTERM);
    ts_wait(intake, 10000);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_two_caseworkers_work_from_replicas_to_closure),
        T(test_pushes_that_must_be_refused_apply_nothing),
        T(test_a_replica_refuses_a_server_whose_log_went_back),
        T(test_a_reference_that_is_none_is_refused_at_pull),
        T(test_replicas_sync_through_a_real_sshd),
        T(test_an_air_gapped_workstation_exchanges_through_files),
        T(test_a_change_whose_entry_went_earlier_is_not_stuck),
        T(test_a_stale_status_change_does_not_reopen_a_closed_case),
        T(test_one_replica_syncs_with_two_intakes),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
