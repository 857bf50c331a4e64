/*
 * test_audit.c: the audit log. Entries are appended with real caseworker keys; then the log is
 * tampered with in every way an administrator with write access could (a changed field, entries
 * deleted at the start, middle and end, inserted, reordered, a forged signature, an entry
 * signed by another key, a key nobody trusts) and verify must name the right entry each time.
 * An untouched log of 10,000 entries verifies.
 */
#define _GNU_SOURCE 1   /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-append.h"
#include "audit.h"
#include "errors.h"
#include "keyfile.h"
#include "store.h"
#include "test_support.h"

typedef struct fixture {
    char dir[PATH_MAX], db_path[PATH_MAX];
    store *s;
    caseworker_key *alice, *bob;
    char refs[3][CASEREF_TEXT_SIZE];
} fixture;

static void sql(store *s, const char *q)
{
    char *msg = NULL;

    if (sqlite3_exec(ts_store_db(s), q, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", q, msg);
}

static void append(fixture *f, caseworker_key *k, const char *action, const char *ref, const char *details)
{
    char err[300];

    if (audit_append(f->s, k, action, ref, details, err, sizeof err) != 0)
        fail_msg("append failed: %s", err);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[300];

    ts_tmpdir(f->dir);
    ts_path(f->db_path, f->dir, "reports.db");
    assert_int_equal(store_open(f->db_path, &f->s, err, sizeof err), 0);
    sql(f->s, "PRAGMA synchronous = OFF");   /* speed only: durability is not under test here */
    f->alice = keyfile_generate("Alice Martin", PUBKEY_ROLE_CASEWORKER);
    f->bob = keyfile_generate("Bob Ng", PUBKEY_ROLE_CASEWORKER);
    for (int i = 0; i < 3; i++) {
        unsigned char lookup[32], pk[32];
        store_case c;
        randombytes_buf(lookup, 32);
        randombytes_buf(pk, 32);
        assert_int_equal(store_case_insert(f->s, NULL, lookup, pk, &c, err, sizeof err), 0);
        snprintf(f->refs[i], sizeof f->refs[i], "%s", c.ref);
    }
    /* Arrivals are logged only once their day is over: these arrived on an earlier day. */
    sql(f->s, "UPDATE cases SET received = '2026-01-05'");
    /* 1 key-added alice, 2-4 received, 5 show, 6 key-added bob, 7 triage, 8 note, 9 close */
    append(f, f->alice, "show", f->refs[0], "");
    append(f, f->bob, "triage", f->refs[0], "category=bullying;severity=high");
    append(f, f->alice, "note", f->refs[1], "");
    append(f, f->bob, "close", f->refs[0], "outcome=substantiated");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    store_close(f->s);
    keyfile_free(f->alice);
    keyfile_free(f->bob);
    ts_rmtree(f->dir);
    free(f);
    return 0;
}

typedef struct feed {
    audit_verifier *v;
    char err[300];
} feed;

static int feed_one(void *ctx, const unsigned char *entry, size_t len)
{
    feed *fd = ctx;

    return audit_verify_next(fd->v, entry, len, fd->err, sizeof fd->err);
}

/* Verifies the stored log; returns 0 or the failure, with its message in msg. */
static int verify(fixture *f, uint64_t head_seq, const unsigned char *head_hash,
                  const pubkey *trusted, size_t ntrusted, char msg[300])
{
    feed fd = {.v = audit_verify_new(trusted, ntrusted, head_seq)};
    int rc = audit_store_each(f->s, feed_one, &fd, fd.err, sizeof fd.err);

    if (rc == 0)
        rc = audit_verify_finish(fd.v, head_hash, fd.err, sizeof fd.err);
    snprintf(msg, 300, "%s", rc ? fd.err : "");
    audit_verify_free(fd.v);
    return rc;
}

static void expect_bad(fixture *f, const char *entry_text, const char *why)
{
    char msg[300];

    assert_int_equal(verify(f, 0, NULL, NULL, 0, msg), ERR_AUTH);
    if (strstr(msg, entry_text) == NULL || strstr(msg, why) == NULL)
        fail_msg("expected \"%s ... %s\", got \"%s\"", entry_text, why, msg);
}

static void unlock_log(fixture *f)
{
    sql(f->s, "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;");
}

/* Reads, and rewrites, one stored entry. */
static size_t get_entry(fixture *f, int seq, unsigned char *out)
{
    sqlite3_stmt *st;
    size_t len;

    assert_int_equal(sqlite3_prepare_v2(ts_store_db(f->s), "SELECT entry FROM audit_log WHERE seq = ?", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int(st, 1, seq);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    len = (size_t)sqlite3_column_bytes(st, 0);
    memcpy(out, sqlite3_column_blob(st, 0), len);
    sqlite3_finalize(st);
    return len;
}

static void put_entry(fixture *f, int seq, const unsigned char *entry, size_t len)
{
    sqlite3_stmt *st;

    assert_int_equal(sqlite3_prepare_v2(ts_store_db(f->s), "INSERT OR REPLACE INTO audit_log(seq, entry) VALUES (?, ?)", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int(st, 1, seq);
    sqlite3_bind_blob(st, 2, entry, (int)len, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

static void test_an_untouched_log_verifies_and_records_arrivals_by_day(void **state)
{
    fixture *f = *state;
    unsigned char buf[AUDIT_ENTRY_MAX + 80], hash[32];
    audit_entry e;
    size_t body_len, len;
    uint64_t seq;
    char msg[300];

    assert_int_equal(verify(f, 0, NULL, NULL, 0, msg), 0);
    assert_int_equal(audit_store_head(f->s, &seq, hash, msg, sizeof msg), 0);
    assert_int_equal(seq, 9);
    len = get_entry(f, 1, buf);
    assert_int_equal(audit_decode(buf, len, &e, &body_len), 0);
    assert_string_equal(e.action, "key-added");
    for (int i = 2; i <= 4; i++) {
        len = get_entry(f, i, buf);
        assert_int_equal(audit_decode(buf, len, &e, &body_len), 0);
        assert_string_equal(e.action, "received");
        assert_string_equal(e.case_ref, f->refs[i - 2]);
        assert_int_equal(strlen(e.time), 10);   /* a day, never a time */
    }
    len = get_entry(f, 5, buf);
    assert_int_equal(audit_decode(buf, len, &e, &body_len), 0);
    assert_string_equal(e.action, "show");
    assert_string_equal(e.actor, "Alice Martin");
    assert_int_equal(strlen(e.time), 20);   /* to the second: 2026-11-28T21:00:00Z */
    assert_int_equal(e.time[19], 'Z');
    /* arrivals are recorded once, and not on the day they happen */
    append(f, f->alice, "show", f->refs[2], "");
    {
        unsigned char lookup[32], pk[32];
        store_case today_case;
        randombytes_buf(lookup, 32);
        randombytes_buf(pk, 32);
        assert_int_equal(store_case_insert(f->s, NULL, lookup, pk, &today_case, msg, sizeof msg), 0);
        append(f, f->alice, "show", today_case.ref, "");
    }
    assert_int_equal(audit_store_head(f->s, &seq, hash, msg, sizeof msg), 0);
    assert_int_equal(seq, 11);   /* two shows, no "received" for the case that arrived today */
}

static void test_the_log_refuses_updates_and_deletes_by_accident(void **state)
{
    fixture *f = *state;

    assert_int_not_equal(sqlite3_exec(ts_store_db(f->s), "DELETE FROM audit_log WHERE seq = 9", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(ts_store_db(f->s), "UPDATE audit_log SET entry = x'00' WHERE seq = 9", NULL, NULL, NULL), SQLITE_OK);
}

static void test_a_changed_field_is_named(void **state)
{
    fixture *f = *state;
    unsigned char buf[AUDIT_ENTRY_MAX + 80];
    size_t len;

    unlock_log(f);
    len = get_entry(f, 7, buf);
    /* "severity=high" becomes "severity=low!" (same length, so only the signature can tell) */
    {
        unsigned char *p = (unsigned char *)memmem(buf, len, "severity=high", 13);
        assert_non_null(p);
        memcpy(p, "severity=low!", 13);
    }
    put_entry(f, 7, buf, len);
    expect_bad(f, "audit entry 7:", "bad signature");
}

static void test_deleting_the_first_entry_is_named(void **state)
{
    fixture *f = *state;

    unlock_log(f);
    sql(f->s, "DELETE FROM audit_log WHERE seq = 1");
    expect_bad(f, "audit entry 1:", "missing");
}

static void test_deleting_a_middle_entry_is_named(void **state)
{
    fixture *f = *state;

    unlock_log(f);
    sql(f->s, "DELETE FROM audit_log WHERE seq = 5");
    expect_bad(f, "audit entry 5:", "missing");
}

static void test_deleting_the_newest_entries_is_caught_by_a_recorded_head(void **state)
{
    fixture *f = *state;
    unsigned char head[32];
    uint64_t seq;
    char msg[300];

    assert_int_equal(audit_store_head(f->s, &seq, head, msg, sizeof msg), 0);
    assert_int_equal(verify(f, seq, head, NULL, 0, msg), 0);
    unlock_log(f);
    sql(f->s, "DELETE FROM audit_log WHERE seq >= 8");
    /* From the log alone, a truncation cannot be seen... */
    assert_int_equal(verify(f, 0, NULL, NULL, 0, msg), 0);
    /* ...but the head recorded earlier is gone. */
    assert_int_equal(verify(f, seq, head, NULL, 0, msg), ERR_AUTH);
    assert_non_null(strstr(msg, "audit entry 9:"));
    assert_non_null(strstr(msg, "truncated"));
}

static void test_rewriting_the_log_after_a_recorded_head_is_caught(void **state)
{
    fixture *f = *state;
    unsigned char head[32];
    uint64_t seq;
    char msg[300];

    assert_int_equal(audit_store_head(f->s, &seq, head, msg, sizeof msg), 0);
    unlock_log(f);
    /* Bob, holding his own key, throws away entries 8 and 9 and writes new ones in their place. */
    sql(f->s, "DELETE FROM audit_log WHERE seq >= 8");
    append(f, f->bob, "note", f->refs[1], "");
    append(f, f->bob, "note", f->refs[1], "");
    assert_int_equal(verify(f, 0, NULL, NULL, 0, msg), 0);
    assert_int_equal(verify(f, seq, head, NULL, 0, msg), ERR_AUTH);
    assert_non_null(strstr(msg, "audit entry 9:"));
    assert_non_null(strstr(msg, "differs from the recorded head"));
}

static void test_an_inserted_entry_is_named(void **state)
{
    fixture *f = *state;
    unsigned char buf[AUDIT_ENTRY_MAX + 80];
    size_t len;

    unlock_log(f);
    /* Make room after entry 5 and copy a genuine entry into the gap. */
    sql(f->s, "UPDATE audit_log SET seq = seq + 100 WHERE seq >= 6; UPDATE audit_log SET seq = seq - 99 WHERE seq >= 106");
    len = get_entry(f, 5, buf);
    put_entry(f, 6, buf, len);
    expect_bad(f, "audit entry 6:", "out of order");
}

static void test_reordered_entries_are_named(void **state)
{
    fixture *f = *state;
    unsigned char a[AUDIT_ENTRY_MAX + 80], b[AUDIT_ENTRY_MAX + 80];
    size_t alen, blen;

    unlock_log(f);
    alen = get_entry(f, 7, a);
    blen = get_entry(f, 8, b);
    put_entry(f, 7, b, blen);
    put_entry(f, 8, a, alen);
    expect_bad(f, "audit entry 7:", "reordered");
}

static void test_a_forged_signature_is_named(void **state)
{
    fixture *f = *state;
    unsigned char buf[AUDIT_ENTRY_MAX + 80];
    size_t len;

    unlock_log(f);
    len = get_entry(f, 8, buf);
    buf[len - 10] ^= 0x01;
    put_entry(f, 8, buf, len);
    expect_bad(f, "audit entry 8:", "bad signature");
}

/* Rewrites entry seq (same position in the chain) as written by actor/key_id, signed by signer. */
static void forge(fixture *f, int seq, const caseworker_key *claimed, const caseworker_key *signer,
                  const char *actor_name)
{
    unsigned char buf[AUDIT_ENTRY_MAX + 80], hash[32];
    audit_entry e;
    size_t len = get_entry(f, seq, buf), body_len;

    assert_int_equal(audit_decode(buf, len, &e, &body_len), 0);
    memcpy(e.key_id, claimed->pub.key_id, PUBKEY_IDBYTES);
    snprintf(e.actor, sizeof e.actor, "%s", actor_name);
    assert_int_equal(audit_encode_body(&e, buf, &body_len), 0);
    audit_hash(buf, body_len, hash);
    buf[body_len] = AUDIT_SIG_ED25519;
    crypto_sign_detached(buf + body_len + 1, NULL, hash, 32, signer->ed25519_sk);
    put_entry(f, seq, buf, body_len + 1 + AUDIT_SIGBYTES);
}

static void test_an_entry_in_another_caseworkers_name_is_named(void **state)
{
    fixture *f = *state;

    unlock_log(f);
    /* Bob writes the last entry as if Alice had done it. */
    forge(f, 9, f->alice, f->bob, "Alice Martin");
    expect_bad(f, "audit entry 9:", "bad signature");
}

static void test_an_entry_with_a_borrowed_name_is_named(void **state)
{
    fixture *f = *state;

    unlock_log(f);
    /* Bob signs with his own key but puts Alice's name on it. */
    forge(f, 9, f->bob, f->bob, "Alice Martin");
    expect_bad(f, "audit entry 9:", "actor other than the key's owner");
}

static void test_a_key_the_auditor_does_not_trust_is_named(void **state)
{
    fixture *f = *state;
    char msg[300];

    assert_int_equal(verify(f, 0, NULL, &f->alice->pub, 1, msg), ERR_AUTH);
    assert_non_null(strstr(msg, "audit entry 6:"));
    assert_non_null(strstr(msg, "not among the trusted keys"));
    {
        pubkey both[2] = {f->alice->pub, f->bob->pub};
        assert_int_equal(verify(f, 0, NULL, both, 2, msg), 0);
    }
}

static void test_a_log_of_ten_thousand_entries_verifies(void **state)
{
    fixture *f = *state;
    unsigned char head[32];
    uint64_t seq;
    char msg[300];

    for (int i = 0; i < 10000 - 9; i++)
        append(f, i % 2 ? f->alice : f->bob, "show", f->refs[i % 3], "");
    assert_int_equal(audit_store_head(f->s, &seq, head, msg, sizeof msg), 0);
    assert_int_equal(seq, 10000);
    {
        unsigned char zero[32] = {0};
        assert_int_equal(verify(f, 5000, zero, NULL, 0, msg), ERR_AUTH);   /* a wrong head hash */
        assert_int_equal(verify(f, seq, zero, NULL, 0, msg), ERR_AUTH);
    }
    assert_int_equal(verify(f, seq, head, NULL, 0, msg), 0);
}

static void test_a_planted_key_marker_does_not_skip_the_key_entry(void **state)
{
    fixture *f = *state;
    caseworker_key *carol = keyfile_generate("Carol Diaz", PUBKEY_ROLE_CASEWORKER);
    sqlite3_stmt *st;
    char msg[300];

    /* Someone marks Carol's key as introduced (pointing at Alice's entry) before she acts. */
    assert_int_equal(sqlite3_prepare_v2(ts_store_db(f->s), "INSERT INTO audit_keys(key_id, seq) VALUES (?, 1)", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, carol->pub.key_id, PUBKEY_IDBYTES, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    append(f, carol, "show", f->refs[0], "");
    assert_int_equal(verify(f, 0, NULL, NULL, 0, msg), 0);
    keyfile_free(carol);
}

static void test_append_fails_closed_when_the_database_is_read_only(void **state)
{
    fixture *f = *state;
    unsigned char head[32];
    uint64_t seq;
    char err[300];

    sql(f->s, "PRAGMA query_only = 1");
    assert_int_not_equal(audit_append(f->s, f->alice, "show", f->refs[0], "", err, sizeof err), 0);
    assert_non_null(strstr(err, "nothing was done"));
    sql(f->s, "PRAGMA query_only = 0");
    assert_int_equal(audit_store_head(f->s, &seq, head, err, sizeof err), 0);
    assert_int_equal(seq, 9);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_an_untouched_log_verifies_and_records_arrivals_by_day),
        T(test_the_log_refuses_updates_and_deletes_by_accident),
        T(test_a_changed_field_is_named),
        T(test_deleting_the_first_entry_is_named),
        T(test_deleting_a_middle_entry_is_named),
        T(test_deleting_the_newest_entries_is_caught_by_a_recorded_head),
        T(test_rewriting_the_log_after_a_recorded_head_is_caught),
        T(test_an_inserted_entry_is_named),
        T(test_reordered_entries_are_named),
        T(test_a_forged_signature_is_named),
        T(test_an_entry_in_another_caseworkers_name_is_named),
        T(test_an_entry_with_a_borrowed_name_is_named),
        T(test_a_key_the_auditor_does_not_trust_is_named),
        T(test_a_log_of_ten_thousand_entries_verifies),
        T(test_a_planted_key_marker_does_not_skip_the_key_entry),
        T(test_append_fails_closed_when_the_database_is_read_only),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
