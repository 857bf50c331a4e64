/*
 * test_casework_audit.c: the auditor's commands on the real casework binary: verify (with a
 * recorded head, trusted keys, an export file and no database), head, log (table, filters,
 * JSON, with an auditor's key, a caseworker's, or none) and export; a tampered log fails with
 * exit 1 and one line naming the entry. Only log needs a key.
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

#include "audit-append.h"
#include "audit.h"
#include "keyfile.h"
#include "store.h"
#include "test_support.h"

static const keyfile_kdf_limits fast = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};

typedef struct fixture {
    char dir[PATH_MAX], db[PATH_MAX], env_db[PATH_MAX + 16];
    char ref[CASEREF_TEXT_SIZE];
    char pass[PATH_MAX], auditor_key[PATH_MAX], alice_key[PATH_MAX];
    caseworker_key *alice, *bob, *auditor;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    unsigned char lookup[32], pk[32];
    store_case c;
    store *s;
    char err[300];

    ts_tmpdir(f->dir);
    ts_path(f->db, f->dir, "reports.db");
    snprintf(f->env_db, sizeof f->env_db, "CASEWORK_DB=%s", f->db);
    assert_int_equal(store_open(f->db, &s, err, sizeof err), 0);
    randombytes_buf(lookup, 32);
    randombytes_buf(pk, 32);
    assert_int_equal(store_case_insert(s, NULL, lookup, pk, &c, err, sizeof err), 0);
    snprintf(f->ref, sizeof f->ref, "%s", c.ref);
    assert_int_equal(sqlite3_exec(ts_store_db(s), "UPDATE cases SET received = '2026-01-05'", NULL, NULL, NULL), SQLITE_OK);
    f->alice = keyfile_generate("Alice Martin", PUBKEY_ROLE_CASEWORKER);
    f->bob = keyfile_generate("Bob Ng", PUBKEY_ROLE_CASEWORKER);
    f->auditor = keyfile_generate("Audrey Kim", PUBKEY_ROLE_AUDITOR);
    ts_write_file(ts_path(f->pass, f->dir, "pass"), "pw\n", 3);
    ts_path(f->auditor_key, f->dir, "auditor.key");
    ts_path(f->alice_key, f->dir, "alice.key");
    assert_int_equal(keyfile_write(f->auditor_key, f->auditor, "pw", 2, fast, err, sizeof err), 0);
    assert_int_equal(keyfile_write(f->alice_key, f->alice, "pw", 2, fast, err, sizeof err), 0);
    audit_append_set_auditors(&f->auditor->pub, 1);
    assert_int_equal(audit_append(s, f->alice, "show", c.ref, "", err, sizeof err), 0);
    assert_int_equal(audit_append(s, f->bob, "status", c.ref, "status=investigating", err, sizeof err), 0);
    assert_int_equal(audit_append(s, f->alice, "stats", "", "year=2026", err, sizeof err), 0);
    audit_append_set_auditors(NULL, 0);
    store_close(s);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    ts_rmtree(f->dir);
    keyfile_free(f->alice);
    keyfile_free(f->bob);
    keyfile_free(f->auditor);
    free(f);
    return 0;
}

static void test_verify_and_head_on_an_intact_log(void **state)
{
    fixture *f = *state;
    const char *verify[] = {CASEWORK_BIN, "audit", "verify", NULL};
    const char *head[] = {CASEWORK_BIN, "--db", f->db, "audit", "head", NULL};
    const char *env[] = {f->env_db, NULL};
    char recorded[128], with_head[160];
    ts_result r;

    ts_expect(verify, env, 0, "audit log intact: 6 entries", NULL);
    r = ts_run(head, NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(strlen(r.out), 2 + 64 + 1);   /* "6:" + 64 hex digits + newline */
    snprintf(recorded, sizeof recorded, "%.*s", (int)strcspn(r.out, "\n"), r.out);
    ts_result_free(&r);
    snprintf(with_head, sizeof with_head, "--head=%s", recorded);
    {
        const char *v2[] = {CASEWORK_BIN, "--db", f->db, "audit", "verify", with_head, NULL};
        ts_expect(v2, NULL, 0, "recorded head 6 still present", NULL);
    }
    {
        const char *bad[] = {CASEWORK_BIN, "--db", f->db, "audit", "verify", "--head", "6:abc", NULL};
        ts_expect(bad, NULL, 2, NULL, "--head takes SEQ:HASH");
    }
}

static void test_a_tampered_log_fails_with_one_line_naming_the_entry(void **state)
{
    fixture *f = *state;
    const char *verify[] = {CASEWORK_BIN, "--db", f->db, "audit", "verify", NULL};
    sqlite3 *db;
    ts_result r;

    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 3", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    r = ts_run(verify, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "audit entry 3:"));
    assert_int_equal(ts_count_lines(r.err), 1);
    assert_string_equal(r.out, "");
    ts_result_free(&r);
}

static void test_verify_checks_the_keys_the_auditor_trusts(void **state)
{
    fixture *f = *state;
    char keys[PATH_MAX], line[PUBKEY_LINE_MAX], both[2 * PUBKEY_LINE_MAX];
    const char *verify[] = {CASEWORK_BIN, "--db", f->db, "audit", "verify", "--keys", keys, NULL};

    ts_path(keys, f->dir, "trusted");
    pubkey_format(&f->alice->pub, line);
    ts_write_file(keys, line, strlen(line));
    ts_expect(verify, NULL, 1, NULL, "not among the trusted keys");
    pubkey_format(&f->bob->pub, both);
    strcat(both, line);
    ts_write_file(keys, both, strlen(both));
    ts_expect(verify, NULL, 0, "intact", NULL);
}

static void test_log_lists_who_did_what_with_filters_and_json(void **state)
{
    fixture *f = *state;
    const char *all[] = {CASEWORK_BIN, "--db", f->db, "--key", f->auditor_key, "--passphrase-file", f->pass,
                         "audit", "log", NULL};
    const char *by_case[] = {CASEWORK_BIN, "--db", f->db, "--key", f->auditor_key, "--passphrase-file", f->pass,
                             "audit", "log", "--case", f->ref, "--actor", "Bob Ng", NULL};
    const char *json[] = {CASEWORK_BIN, "--db", f->db, "--key", f->auditor_key, "--passphrase-file", f->pass,
                          "audit", "log", "--json", NULL};
    const char *bad_since[] = {CASEWORK_BIN, "--db", f->db, "audit", "log", "--since", "yesterday", NULL};
    ts_result r;

    r = ts_run(all, NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(ts_count_lines(r.out), 1 + 6);
    assert_non_null(strstr(r.out, "received"));
    assert_non_null(strstr(r.out, "status=investigating"));
    assert_null(strstr(r.out, "cwpub1"));   /* key-added shows the key id, not the whole line */
    assert_null(strstr(r.out, "(sealed)"));
    ts_result_free(&r);
    r = ts_run(by_case, NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(ts_count_lines(r.out), 1 + 1);
    assert_non_null(strstr(r.out, "Bob Ng"));
    ts_result_free(&r);
    r = ts_run(json, NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.out[0], '[');
    assert_int_equal(ts_count(r.out, "\"seq\":"), 6);
    assert_non_null(strstr(r.out, "\"action\": \"stats\""));
    assert_non_null(strstr(r.out, "\"case\": null"));
    assert_int_equal(ts_count(r.out, "\"sealed\": false"), 6);
    ts_result_free(&r);
    ts_expect(bad_since, NULL, 2, NULL, "YYYY-MM-DD");
}

static void test_log_needs_a_key_and_a_caseworker_reads_only_their_own_entries(void **state)
{
    fixture *f = *state;
    const char *no_key[] = {CASEWORK_BIN, "--db", f->db, "audit", "log", NULL};
    const char *alice[] = {CASEWORK_BIN, "--db", f->db, "--key", f->alice_key, "--passphrase-file", f->pass,
                           "audit", "log", NULL};
    const char *auditor_list[] = {CASEWORK_BIN, "--db", f->db, "--key", f->auditor_key, "--passphrase-file", f->pass,
                                  "list", NULL};
    ts_result r;
    size_t len;
    char *db;

    ts_expect(no_key, NULL, 2, NULL, "no key given");
    r = ts_run(alice, NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(ts_count_lines(r.out), 1 + 6);
    assert_non_null(strstr(r.out, "stats"));            /* hers */
    assert_null(strstr(r.out, "status=investigating")); /* Bob's */
    assert_int_equal(ts_count(r.out, "(sealed)"), 2 * 2);   /* Bob's two entries */
    assert_non_null(strstr(r.err, "2 entries are sealed to other readers"));
    ts_result_free(&r);
    /* an auditor's key reads the log and no case */
    ts_expect(auditor_list, NULL, 1, NULL, "auditor");
    /* the database itself holds none of it in the clear */
    db = ts_read_file(f->db, &len);
    assert_false(ts_contains(db, len, "status=investigating"));
    assert_false(ts_contains(db, len, "year=2026"));
    free(db);
}

static void test_a_bad_auditors_file_is_named_with_its_option(void **state)
{
    fixture *f = *state;
    char missing[PATH_MAX], only_caseworkers[PATH_MAX], pub[PATH_MAX + 8], *line;
    const char *list_missing[] = {CASEWORK_BIN, "--db", f->db, "--key", f->alice_key, "--passphrase-file", f->pass,
                                  "--auditors", missing, "list", NULL};
    const char *list_wrong[] = {CASEWORK_BIN, "--db", f->db, "--key", f->alice_key, "--passphrase-file", f->pass,
                                "--auditors", only_caseworkers, "list", NULL};

    ts_path(missing, f->dir, "no-such-auditors");
    ts_expect(list_missing, NULL, 1, NULL, "the auditors' file (--auditors or CASEWORK_AUDITORS)");
    snprintf(pub, sizeof pub, "%s.pub", f->alice_key);
    line = ts_read_file(pub, NULL);
    ts_write_file(ts_path(only_caseworkers, f->dir, "caseworkers-only"), line, strlen(line));
    free(line);
    ts_expect(list_wrong, NULL, 1, NULL, "lists no auditor key (make one with casework keygen --auditor");
}

/* A database whose log is still readable (version 1, as before schema 7), as older versions
 * left it: the first command needs the auditors, then seals it; verify then says which entries
 * it checked, and the auditor reads the old ones too. */
static void test_an_old_readable_log_is_sealed_by_the_first_command_given_auditors(void **state)
{
    fixture *f = *state;
    char db[PATH_MAX], env_db[PATH_MAX + 16], auditors[PATH_MAX], pub[PATH_MAX + 8], *line;
    const char *no_auditors[] = {CASEWORK_BIN, "--key", f->alice_key, "--passphrase-file", f->pass, "list", NULL};
    const char *with_auditors[] = {CASEWORK_BIN, "--key", f->alice_key, "--passphrase-file", f->pass, "--auditors",
                                   auditors, "list", NULL};
    const char *verify[] = {CASEWORK_BIN, "audit", "verify", NULL};
    const char *read[] = {CASEWORK_BIN, "--key", f->auditor_key, "--passphrase-file", f->pass, "audit", "log", "--json",
                          NULL};
    const char *env[] = {env_db, NULL};
    unsigned char prev[32] = {0}, body[AUDIT_ENTRY_MAX + 80];
    char err[300];
    store *s;
    ts_result r;

    ts_path(db, f->dir, "old.db");
    snprintf(env_db, sizeof env_db, "CASEWORK_DB=%s", db);
    assert_int_equal(store_open(db, &s, err, sizeof err), 0);
    for (uint64_t seq = 1; seq <= 2; seq++) {
        audit_entry e;
        size_t len;
        memset(&e, 0, sizeof e);
        e.seq = seq;
        memcpy(e.prev_hash, prev, 32);
        snprintf(e.time, sizeof e.time, "2026-01-06T10:00:00Z");
        memcpy(e.key_id, f->alice->pub.key_id, PUBKEY_IDBYTES);
        snprintf(e.actor, sizeof e.actor, "%s", f->alice->pub.name);
        snprintf(e.action, sizeof e.action, "%s", seq == 1 ? "key-added" : "close");
        if (seq == 1) {
            char pl[PUBKEY_LINE_MAX];
            pubkey_format(&f->alice->pub, pl);
            pl[strcspn(pl, "\n")] = '\0';
            snprintf(e.details, sizeof e.details, "pub=%s", pl);
        } else {
            snprintf(e.details, sizeof e.details, "outcome=substantiated");
        }
        assert_int_equal(audit_encode_body(&e, body, &len), 0);
        audit_hash(body, len, prev);
        body[len] = AUDIT_SIG_ED25519;
        crypto_sign_detached(body + len + 1, NULL, prev, 32, f->alice->ed25519_sk);
        assert_int_equal(audit_store_insert(s, seq, body, len + 1 + AUDIT_SIGBYTES, err, sizeof err), 0);
    }
    store_close(s);
    snprintf(pub, sizeof pub, "%s.pub", f->auditor_key);
    line = ts_read_file(pub, NULL);
    ts_write_file(ts_path(auditors, f->dir, "auditors"), line, strlen(line));
    free(line);
    ts_expect(no_auditors, env, 1, NULL, "give the auditors' public keys (--auditors FILE");
    ts_expect(with_auditors, env, 0, NULL, NULL);
    ts_expect(verify, env, 0, "entries 3 to 5 (1 to 2 are sealed in the old log", NULL);
    r = ts_run(read, env);
    assert_int_equal(r.status, 0);
    assert_int_equal(ts_count(r.out, "\"old\": true"), 2);
    assert_non_null(strstr(r.out, "outcome=substantiated"));
    ts_result_free(&r);
    {
        size_t len;
        char *data = ts_read_file(db, &len);
        assert_false(ts_contains(data, len, "outcome=substantiated"));   /* sealed, and zeroed where it was */
        free(data);
    }
}

static void test_an_export_verifies_offline_without_the_database(void **state)
{
    fixture *f = *state;
    char out[PATH_MAX];
    const char *exp[] = {CASEWORK_BIN, "--db", f->db, "audit", "export", "--out", out, NULL};
    const char *verify[] = {CASEWORK_BIN, "audit", "verify", "--file", out, NULL};
    char *data;
    size_t len;

    ts_path(out, f->dir, "audit.export");
    ts_expect(exp, NULL, 0, "exported", NULL);
    ts_expect(exp, NULL, 1, NULL, "already exists");
    ts_rmtree(f->db);   /* the database is gone: the export stands alone */
    ts_expect(verify, NULL, 0, "audit log intact: 6 entries", NULL);
    {
        const char *read[] = {CASEWORK_BIN, "--key", f->auditor_key, "--passphrase-file", f->pass,
                              "audit", "log", "--file", out, NULL};
        ts_expect(read, NULL, 0, "status=investigating", NULL);
    }
    data = ts_read_file(out, &len);
    data[len - 5] ^= 0x01;
    ts_write_file(out, data, len);
    ts_expect(verify, NULL, 1, NULL, "audit entry 6:");
    ts_write_file(out, data, len / 2);
    ts_expect(verify, NULL, 1, NULL, "truncated");
    ts_write_file(out, "not an export", 13);
    ts_expect(verify, NULL, 1, NULL, "not an audit export");
    free(data);
}

/* Runs casework with the auditor's key on f's database: audit log and the extra arguments. */
static ts_result audit_log_run(const fixture *f, const char *a1, const char *a2, const char *a3, const char *a4)
{
    const char *argv[] = {CASEWORK_BIN, "--db", f->db, "--key", f->auditor_key, "--passphrase-file", f->pass,
                          "audit", "log", a1, a2, a3, a4, NULL};

    return ts_run(argv, NULL);
}

/* Appends entries to f's log as caseworker k (sealed to the auditor too). */
static void append_as(const fixture *f, const caseworker_key *k, const char *action, const char *ref,
                      const char *details)
{
    char err[300];
    store *s;

    assert_int_equal(store_open(f->db, &s, err, sizeof err), 0);
    audit_append_set_auditors(&f->auditor->pub, 1);
    assert_int_equal(audit_append(s, k, action, ref, details, err, sizeof err), 0);
    audit_append_set_auditors(NULL, 0);
    store_close(s);
}

static void test_an_edited_entry_is_marked_and_the_log_exits_1(void **state)
{
    fixture *f = *state;
    sqlite3 *db;
    ts_result r;

    sqlite3_stmt *st;
    unsigned char *entry;
    int len;

    /* entry 4 (Bob's status change) has one byte of its sealed part changed */
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_log_no_update", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT entry FROM audit_log WHERE seq = 4", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    len = sqlite3_column_bytes(st, 0);
    entry = malloc((size_t)len);
    memcpy(entry, sqlite3_column_blob(st, 0), (size_t)len);
    sqlite3_finalize(st);
    entry[len - 100] ^= 0x01;
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE audit_log SET entry = ? WHERE seq = 4", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, entry, len, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(entry);
    r = audit_log_run(f, NULL, NULL, NULL, NULL);
    assert_int_equal(r.status, 1);
    if (strstr(r.out, "^ entry 4 FAILS VERIFICATION") == NULL)
        fail_msg("out: %s\nerr: %s", r.out, r.err);
    assert_non_null(strstr(r.out, "stats"));   /* the entries after it are still shown */
    assert_non_null(strstr(r.err, "FAIL"));
    assert_non_null(strstr(r.err, "verification"));
    ts_result_free(&r);
    {
        const char *json[] = {CASEWORK_BIN, "--db", f->db, "--key", f->auditor_key, "--passphrase-file", f->pass,
                              "audit", "log", "--json", NULL};
        r = ts_run(json, NULL);
        assert_int_equal(r.status, 1);
        assert_int_equal(ts_count(r.out, "\"verified\": false"), 2);   /* 4, and 5 which no longer follows it */
        ts_result_free(&r);
    }
}

static void test_fields_with_escape_bytes_reach_the_terminal_filtered(void **state)
{
    fixture *f = *state;
    ts_result r;

    append_as(f, f->alice, "show\033[2J\033]0;owned\007", "", "x=\302\233" "31m;y=\033[1A;z=\233" "2J\377");
    r = audit_log_run(f, NULL, NULL, NULL, NULL);
    assert_int_equal(r.status, 0);
    assert_null(strchr(r.out, '\033'));
    assert_null(strchr(r.out, '\007'));
    assert_null(strstr(r.out, "\302\233"));
    assert_null(strchr(r.out, '\233'));   /* the one-byte CSI, raw */
    assert_null(strchr(r.out, '\377'));   /* not UTF-8 at all */
    assert_non_null(strstr(r.out, "show?[2J"));
    ts_result_free(&r);
}

static void test_keys_are_shown_and_shared_names_and_missing_keys_are_warned_of(void **state)
{
    fixture *f = *state;
    caseworker_key *rogue = keyfile_generate("alice martin", PUBKEY_ROLE_CASEWORKER);
    char keys[PATH_MAX], line[PUBKEY_LINE_MAX], both[2 * PUBKEY_LINE_MAX], id[17], rogue_id[17];
    ts_result r;

    sodium_bin2hex(id, sizeof id, f->alice->pub.key_id, PUBKEY_IDBYTES);
    sodium_bin2hex(rogue_id, sizeof rogue_id, rogue->pub.key_id, PUBKEY_IDBYTES);
    append_as(f, rogue, "show", f->ref, "");
    r = audit_log_run(f, NULL, NULL, NULL, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, id));
    assert_non_null(strstr(r.out, rogue_id));
    assert_non_null(strstr(r.err, "no --keys given"));
    assert_non_null(strstr(r.err, "both carry the name"));
    ts_result_free(&r);
    /* with the caseworkers' keys, the rogue key's entries fail, each marked */
    ts_path(keys, f->dir, "trusted");
    pubkey_format(&f->alice->pub, both);
    pubkey_format(&f->bob->pub, line);
    strcat(both, line);
    ts_write_file(keys, both, strlen(both));
    r = audit_log_run(f, "--keys", keys, NULL, NULL);
    assert_int_equal(r.status, 1);
    assert_null(strstr(r.err, "no --keys given"));
    assert_int_equal(ts_count(r.out, "FAILS VERIFICATION"), 2);   /* its introduction and its entry */
    assert_non_null(strstr(r.out, "not among the trusted keys"));
    ts_result_free(&r);
    keyfile_free(rogue);
}

static void test_log_filters_by_action_actor_and_dates(void **state)
{
    fixture *f = *state;
    ts_result r;

    r = audit_log_run(f, "--action", "status", NULL, NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(ts_count_lines(r.out), 1 + 1);
    assert_non_null(strstr(r.out, "status=investigating"));
    ts_result_free(&r);
    r = audit_log_run(f, "--actor", "bOB", NULL, NULL);   /* a substring, any case */
    assert_int_equal(r.status, 0);
    assert_int_equal(ts_count_lines(r.out), 1 + 2);      /* Bob's introduction and status change */
    ts_result_free(&r);
    r = audit_log_run(f, "--since", "2026-01-05", "--until", "2026-01-05");
    assert_int_equal(r.status, 0);
    assert_int_equal(ts_count_lines(r.out), 1 + 1);      /* the arrival, dated by its day */
    assert_non_null(strstr(r.out, "received"));
    ts_result_free(&r);
    r = audit_log_run(f, "--since", "2026-01-06", NULL, NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(ts_count_lines(r.out), 1 + 5);
    assert_null(strstr(r.out, "received"));
    ts_result_free(&r);
    r = audit_log_run(f, "--until", "2026-01-04", NULL, NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(ts_count_lines(r.out), 1);
    ts_result_free(&r);
    r = audit_log_run(f, "--since", "2026-02-01", "--until", "2026-01-01");
    assert_int_equal(r.status, 2);
    ts_result_free(&r);
}

static void test_log_reads_an_export_with_or_without_a_database(void **state)
{
    fixture *f = *state;
    char out[PATH_MAX], missing[PATH_MAX], env_missing[PATH_MAX + 16];
    const char *exp[] = {CASEWORK_BIN, "--db", f->db, "audit", "export", "--out", out, NULL};
    const char *with_db[] = {CASEWORK_BIN, "--key", f->auditor_key, "--passphrase-file", f->pass,
                             "audit", "log", "--file", out, "--action", "stats", NULL};
    const char *env[] = {f->env_db, NULL};
    const char *env_gone[] = {env_missing, NULL};
    ts_result r;

    ts_path(out, f->dir, "audit.export");
    ts_path(missing, f->dir, "gone.db");
    snprintf(env_missing, sizeof env_missing, "CASEWORK_DB=%s", missing);
    ts_expect(exp, NULL, 0, "exported", NULL);
    r = ts_run(with_db, env);   /* CASEWORK_DB set: the export is read, not the database */
    assert_int_equal(r.status, 0);
    assert_int_equal(ts_count_lines(r.out), 1 + 1);
    assert_non_null(strstr(r.out, "year=2026"));
    ts_result_free(&r);
    r = ts_run(with_db, env_gone);   /* a CASEWORK_DB that is not there does not matter either */
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "year=2026"));
    ts_result_free(&r);
    assert_int_equal(ts_file_mode(missing), -1);
}

static void test_usage_errors_and_a_missing_database(void **state)
{
    fixture *f = *state;
    char missing[PATH_MAX];
    const char *no_sub[] = {CASEWORK_BIN, "--db", f->db, "audit", NULL};
    const char *bad_sub[] = {CASEWORK_BIN, "--db", f->db, "audit", "erase", NULL};
    const char *no_db[] = {CASEWORK_BIN, "audit", "head", NULL};
    const char *gone[] = {CASEWORK_BIN, "--db", missing, "audit", "verify", NULL};
    const char *help[] = {CASEWORK_BIN, "audit", "--help", NULL};

    ts_path(missing, f->dir, "nothing.db");
    ts_expect(no_sub, NULL, 2, NULL, "verify, head, log, export");
    ts_expect(bad_sub, NULL, 2, NULL, "unknown audit command");
    ts_expect(no_db, NULL, 2, NULL, "CASEWORK_DB");
    ts_expect(gone, NULL, 1, NULL, "no database at");
    assert_int_equal(ts_file_mode(missing), -1);   /* an auditor's command creates nothing */
    ts_expect(help, NULL, 0, "casework audit log", NULL);
}

/* A case filed through the real intake, sealed to Alice: the refused and failed actions. */
typedef struct intake_fixture {
    fixture *f;
    char recipients[PATH_MAX];
    int port;
    pid_t intake;
} intake_fixture;

static int setup_intake(void **state)
{
    intake_fixture *x = calloc(1, sizeof *x);
    char listen[32], log[PATH_MAX], pub[PATH_MAX + 8], *line;
    const char *argv[] = {INTAKE_BIN, "--db", NULL, "--recipients", x->recipients, "--listen", listen, NULL};

    setup((void **)&x->f);
    ts_rmtree(x->f->db);   /* the intake makes its own */
    argv[2] = x->f->db;
    snprintf(pub, sizeof pub, "%s.pub", x->f->alice_key);
    line = ts_read_file(pub, NULL);
    ts_write_file(ts_path(x->recipients, x->f->dir, "recipients"), line, strlen(line));
    free(line);
    x->port = ts_free_port();
    snprintf(listen, sizeof listen, "127.0.0.1:%d", x->port);
    x->intake = ts_spawn(argv, ts_path(log, x->f->dir, "intake.log"));
    assert_int_equal(ts_wait_port(x->port, 10000), 0);
    *state = x;
    return 0;
}

static int teardown_intake(void **state)
{
    intake_fixture *x = *state;

    if (x->intake > 0) {
        kill(x->intake, SIGTERM);
        ts_wait(x->intake, 10000);
    }
    teardown((void **)&x->f);
    free(x);
    return 0;
}

static void file_a_report(const intake_fixture *x, char ref[32])
{
    ts_buf body = {0};
    char csrf[64];
    int status;
    char *page;

    ts_csrf(x->port, "/", csrf);
    ts_multipart_field(&body, "csrf", csrf);
    ts_multipart_field(&body, "category", "bullying");
    ts_multipart_field(&body, "description", "Shouted at in every team meeting.");
    ts_multipart_file(&body, "attachment", "notes.txt", "text/plain", "dates", 5);
    ts_multipart_end(&body);
    page = ts_post(x->port, NULL, "/report", "multipart/form-data; boundary=" TS_BOUNDARY, &body, NULL, &status);
    assert_int_equal(status, 200);
    assert_int_equal(ts_element_text(page, "case", ref, 32), 0);
    free(page);
    ts_buf_free(&body);
}

static void test_refused_and_failed_actions_are_logged_as_not_taking_effect(void **state)
{
    intake_fixture *x = *state;
    fixture *f = x->f;
    char ref[32], out[PATH_MAX], env_db[PATH_MAX + 16], env_key[PATH_MAX + 16], env_pass[PATH_MAX + 32];
    const char *env[] = {env_db, env_key, env_pass, NULL};
    const char *close[] = {CASEWORK_BIN, "close", ref, "--outcome", "unsubstantiated", "-m", "no witnesses", NULL};
    const char *reopen[] = {CASEWORK_BIN, "status", ref, "investigating", NULL};
    const char *back[] = {CASEWORK_BIN, "status", ref, "new", NULL};
    const char *exp[] = {CASEWORK_BIN, "export", ref, "--out", out, NULL};
    const char *log[] = {CASEWORK_BIN, "audit", "log", "--case", ref, NULL};
    const char *json[] = {CASEWORK_BIN, "audit", "log", "--case", ref, "--json", NULL};
    ts_result r;

    snprintf(env_db, sizeof env_db, "CASEWORK_DB=%s", f->db);
    snprintf(env_key, sizeof env_key, "CASEWORK_KEY=%s", f->alice_key);
    snprintf(env_pass, sizeof env_pass, "CASEWORK_PASSPHRASE_FILE=%s", f->pass);
    ts_path(out, f->dir, "exported");
    file_a_report(x, ref);
    ts_expect(exp, env, 0, "notes.txt", NULL);
    ts_expect(exp, env, 1, NULL, "never overwritten");   /* the file is there: a failed export */
    ts_expect(close, env, 0, "closed", NULL);
    ts_expect(close, env, 1, NULL, NULL);                 /* closed already */
    ts_expect(reopen, env, 1, NULL, "give a reason");     /* reopening needs -m */
    ts_expect(back, env, 1, NULL, "cannot go back to new");
    r = ts_run(log, env);
    assert_int_equal(r.status, 0);
    /* export: begun, done; begun, failed */
    assert_int_equal(ts_count(r.out, "begun (its outcome follows)"), 3);
    assert_non_null(strstr(r.out, "failed (of "));
    assert_non_null(strstr(r.out, "would overwrite a file"));
    /* the first close, done with its change; the second close and both status changes refused */
    assert_int_equal(ts_count(r.out, "done (of "), 2);
    assert_int_equal(ts_count(r.out, "refused: the case was closed"), 3);
    ts_result_free(&r);
    r = ts_run(json, env);
    assert_int_equal(r.status, 0);
    assert_int_equal(ts_count(r.out, "\"outcome\": \"refused\""), 3);
    assert_int_equal(ts_count(r.out, "\"outcome\": \"failed\""), 1);
    assert_int_equal(ts_count(r.out, "\"outcome_of\": null"), ts_count(r.out, "\"seq\":") - 3);
    ts_result_free(&r);
    /* the refused close changed nothing: one closing record, and the case stays closed */
    {
        const char *show[] = {CASEWORK_BIN, "show", ref, "--json", NULL};
        r = ts_run(show, env);
        assert_int_equal(r.status, 0);
        assert_non_null(strstr(r.out, "\"status\": \"closed\""));
        ts_result_free(&r);
    }
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_verify_and_head_on_an_intact_log),
        T(test_a_tampered_log_fails_with_one_line_naming_the_entry),
        T(test_verify_checks_the_keys_the_auditor_trusts),
        T(test_log_lists_who_did_what_with_filters_and_json),
        T(test_log_needs_a_key_and_a_caseworker_reads_only_their_own_entries),
        T(test_a_bad_auditors_file_is_named_with_its_option),
        T(test_an_old_readable_log_is_sealed_by_the_first_command_given_auditors),
        T(test_an_export_verifies_offline_without_the_database),
        T(test_usage_errors_and_a_missing_database),
        T(test_an_edited_entry_is_marked_and_the_log_exits_1),
        T(test_fields_with_escape_bytes_reach_the_terminal_filtered),
        T(test_keys_are_shown_and_shared_names_and_missing_keys_are_warned_of),
        T(test_log_filters_by_action_actor_and_dates),
        T(test_log_reads_an_export_with_or_without_a_database),
        cmocka_unit_test_setup_teardown(test_refused_and_failed_actions_are_logged_as_not_taking_effect,
                                        setup_intake, teardown_intake),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
