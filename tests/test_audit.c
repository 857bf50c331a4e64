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
#include <sys/stat.h>

#include "audit-append.h"
#include "audit-read.h"
#include "audit.h"
#include "envelope.h"
#include "errors.h"
#include "keyfile.h"
#include "store.h"
#include "../core/store_schema.h"
#include "test_support.h"

#define ENTRY_BUF 8192

typedef struct fixture {
    char dir[PATH_MAX], db_path[PATH_MAX];
    store *s;
    caseworker_key *alice, *bob, *auditor;
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
    f->auditor = keyfile_generate("Audrey Kim", PUBKEY_ROLE_AUDITOR);
    audit_append_set_auditors(&f->auditor->pub, 1);
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
    audit_append_set_auditors(NULL, 0);
    keyfile_free(f->alice);
    keyfile_free(f->bob);
    keyfile_free(f->auditor);
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
static size_t get_entry_in(store *s, int seq, unsigned char *out)
{
    sqlite3_stmt *st;
    size_t len;

    assert_int_equal(sqlite3_prepare_v2(ts_store_db(s), "SELECT entry FROM audit_log WHERE seq = ?", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int(st, 1, seq);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    len = (size_t)sqlite3_column_bytes(st, 0);
    memcpy(out, sqlite3_column_blob(st, 0), len);
    sqlite3_finalize(st);
    return len;
}

static size_t get_entry(fixture *f, int seq, unsigned char *out)
{
    return get_entry_in(f->s, seq, out);
}

static void put_entry_in(store *s, int seq, const unsigned char *entry, size_t len)
{
    sqlite3_stmt *st;

    assert_int_equal(sqlite3_prepare_v2(ts_store_db(s), "INSERT OR REPLACE INTO audit_log(seq, entry) VALUES (?, ?)", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int(st, 1, seq);
    sqlite3_bind_blob(st, 2, entry, (int)len, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

static void put_entry(fixture *f, int seq, const unsigned char *entry, size_t len)
{
    put_entry_in(f->s, seq, entry, len);
}

/* Opens stored entry seq with k; returns what audit_open returned. */
static int open_entry(fixture *f, int seq, const caseworker_key *k, audit_entry *e)
{
    unsigned char buf[ENTRY_BUF];
    size_t len = get_entry(f, seq, buf);
    audit_frame fr;
    char err[300];

    assert_int_equal(audit_frame_parse(buf, len, &fr), 0);
    return audit_open(&fr, k->pub.x25519, k->x25519_sk, e, err, sizeof err);
}

static void test_an_untouched_log_verifies_and_records_arrivals_by_day(void **state)
{
    fixture *f = *state;
    unsigned char buf[ENTRY_BUF], hash[32];
    audit_entry e;
    size_t body_len, len;
    uint64_t seq;
    char msg[300];

    assert_int_equal(verify(f, 0, NULL, NULL, 0, msg), 0);
    assert_int_equal(audit_store_head(f->s, &seq, hash, msg, sizeof msg), 0);
    assert_int_equal(seq, 9);
    assert_int_equal(open_entry(f, 1, f->auditor, &e), 0);
    assert_string_equal(e.action, "key-added");
    for (int i = 2; i <= 4; i++) {
        assert_int_equal(open_entry(f, i, f->auditor, &e), 0);
        assert_string_equal(e.action, "received");
        assert_string_equal(e.case_ref, f->refs[i - 2]);
        assert_int_equal(strlen(e.time), 10);   /* a day, never a time */
    }
    assert_int_equal(open_entry(f, 5, f->auditor, &e), 0);
    assert_string_equal(e.action, "show");
    assert_int_equal(strlen(e.time), 20);   /* to the second: 2026-11-28T21:00:00Z */
    assert_int_equal(e.time[19], 'Z');
    len = get_entry(f, 5, buf);
    (void)body_len;
    assert_null(memmem(buf, len, "show", 4));   /* what it says is sealed */
    assert_null(memmem(buf, len, f->refs[0], strlen(f->refs[0])));
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
    unsigned char buf[ENTRY_BUF];
    size_t len;

    unlock_log(f);
    len = get_entry(f, 7, buf);
    /* one bit of the sealed part (what the triage said) changes */
    buf[len - 1 - AUDIT_SIGBYTES - 40] ^= 0x01;
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
    unsigned char buf[ENTRY_BUF];
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
    unsigned char a[ENTRY_BUF], b[ENTRY_BUF];
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
    unsigned char buf[ENTRY_BUF];
    size_t len;

    unlock_log(f);
    len = get_entry(f, 8, buf);
    buf[len - 10] ^= 0x01;
    put_entry(f, 8, buf, len);
    expect_bad(f, "audit entry 8:", "bad signature");
}

/* Rewrites entry seq (same position in the chain, same sealed part) as signed by signer and
 * claiming the key id of claimed. */
static void forge(fixture *f, int seq, const caseworker_key *claimed, const caseworker_key *signer)
{
    unsigned char buf[ENTRY_BUF], hash[32];
    size_t len = get_entry(f, seq, buf);
    audit_frame fr;

    memcpy(buf + 1 + 8 + 32, claimed->pub.key_id, PUBKEY_IDBYTES);
    assert_int_equal(audit_frame_parse(buf, len, &fr), 0);
    memcpy(hash, fr.hash, 32);
    crypto_sign_detached(buf + fr.body_len + 1, NULL, hash, 32, signer->ed25519_sk);
    put_entry(f, seq, buf, len);
}

static void test_an_entry_in_another_caseworkers_name_is_named(void **state)
{
    fixture *f = *state;

    unlock_log(f);
    /* Bob writes the last entry as if Alice had done it. */
    forge(f, 9, f->alice, f->bob);
    expect_bad(f, "audit entry 9:", "bad signature");
}

static void test_a_sealed_part_moved_to_another_entry_does_not_open(void **state)
{
    fixture *f = *state;
    unsigned char mine[ENTRY_BUF], theirs[ENTRY_BUF], hash[32];
    size_t mine_len, theirs_len;
    audit_frame a, b;
    audit_entry e;
    char msg[300];

    unlock_log(f);
    /* Bob puts the sealed part of Alice's entry 8 into his entry 9 and signs it himself: the
     * chain and signature hold, but the sealed part names entry 8 and Alice's key. */
    theirs_len = get_entry(f, 8, theirs);
    mine_len = get_entry(f, 9, mine);
    assert_int_equal(audit_frame_parse(theirs, theirs_len, &a), 0);
    assert_int_equal(audit_frame_parse(mine, mine_len, &b), 0);
    assert_int_equal(a.sealed_len, b.sealed_len);
    memcpy((unsigned char *)(uintptr_t)b.sealed, a.sealed, a.sealed_len);
    assert_int_equal(audit_frame_parse(mine, mine_len, &b), 0);
    memcpy(hash, b.hash, 32);
    crypto_sign_detached(mine + b.body_len + 1, NULL, hash, 32, f->bob->ed25519_sk);
    put_entry(f, 9, mine, mine_len);
    assert_int_equal(verify(f, 0, NULL, NULL, 0, msg), 0);
    assert_int_equal(audit_open(&b, f->auditor->pub.x25519, f->auditor->x25519_sk, &e, msg, sizeof msg), ERR_AUTH);
    assert_non_null(strstr(msg, "another entry"));
}

static void test_each_entry_opens_for_the_auditors_and_its_actor_only(void **state)
{
    fixture *f = *state;
    audit_entry e;

    /* 7 is Bob's triage, 8 Alice's note */
    assert_int_equal(open_entry(f, 7, f->auditor, &e), 0);
    assert_string_equal(e.details, "category=bullying;severity=high");
    assert_int_equal(open_entry(f, 7, f->bob, &e), 0);
    assert_int_equal(open_entry(f, 7, f->alice, &e), ERR_NOT_RECIPIENT);
    assert_int_equal(open_entry(f, 8, f->alice, &e), 0);
    assert_string_equal(e.action, "note");
    assert_int_equal(open_entry(f, 8, f->bob, &e), ERR_NOT_RECIPIENT);
}

static void test_every_action_entry_has_the_same_length(void **state)
{
    fixture *f = *state;
    unsigned char buf[ENTRY_BUF];
    size_t first = 0;
    audit_frame fr;

    /* a long assignee name, a short one, no details: no length tells them apart */
    append(f, f->alice, "assign", f->refs[1], "to=Maximiliana Alexandrovna Konstantinopolskaya-Smith");
    append(f, f->alice, "assign", f->refs[1], "to=Jo");
    for (int seq = 2; seq <= 11; seq++) {
        size_t len = get_entry(f, seq, buf);
        assert_int_equal(audit_frame_parse(buf, len, &fr), 0);
        if (fr.kind != AUDIT_KIND_ACTION)
            continue;
        if (first == 0)
            first = len;
        assert_int_equal(len, first);
    }
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

/* Writes a version-1 entry (as versions before schema 7 did) after prev into db's audit_log, and
 * leaves its hash in prev. */
static void put_v1_raw(sqlite3 *db, const caseworker_key *k, uint64_t seq, unsigned char prev[32], const char *action,
                       const char *ref, const char *details)
{
    unsigned char body[ENTRY_BUF];
    sqlite3_stmt *st;
    audit_entry e;
    size_t len;

    memset(&e, 0, sizeof e);
    e.seq = seq;
    memcpy(e.prev_hash, prev, 32);
    snprintf(e.time, sizeof e.time, "2026-01-06T10:00:0%dZ", (int)seq);
    memcpy(e.key_id, k->pub.key_id, PUBKEY_IDBYTES);
    snprintf(e.actor, sizeof e.actor, "%s", k->pub.name);
    snprintf(e.action, sizeof e.action, "%s", action);
    snprintf(e.case_ref, sizeof e.case_ref, "%s", ref);
    snprintf(e.details, sizeof e.details, "%s", details);
    assert_int_equal(audit_encode_body(&e, body, &len), 0);
    audit_hash(body, len, prev);
    body[len] = AUDIT_SIG_ED25519;
    crypto_sign_detached(body + len + 1, NULL, prev, 32, k->ed25519_sk);
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO audit_log(seq, entry) VALUES (?, ?)", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
    sqlite3_bind_blob(st, 2, body, (int)(len + 1 + AUDIT_SIGBYTES), SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

static void put_v1(store *s, const caseworker_key *k, uint64_t seq, unsigned char prev[32], const char *action,
                   const char *ref, const char *details)
{
    put_v1_raw(ts_store_db(s), k, seq, prev, action, ref, details);
}

/* "pub=" and k's .pub line: the details of a version-1 key-added entry. */
static void v1_pub_details(const caseworker_key *k, char out[300])
{
    char line[PUBKEY_LINE_MAX];

    pubkey_format(&k->pub, line);
    line[strcspn(line, "\n")] = '\0';
    snprintf(out, 300, "pub=%s", line);
}

typedef struct seen {
    int n;
    uint64_t seq[16];
    int old[16], sealed[16];
    char action[16][AUDIT_ACTION_MAX + 1];
} seen;

static int see(void *ctx, const audit_item *it)
{
    seen *w = ctx;

    if (w->n < 16) {
        w->seq[w->n] = it->e.seq;
        w->old[w->n] = it->old;
        w->sealed[w->n] = it->sealed;
        snprintf(w->action[w->n], sizeof w->action[0], "%s", it->e.action);
        w->n++;
    }
    return 0;
}

static char reader_err[300];

static int feed_reader(void *ctx, const unsigned char *entry, size_t len)
{
    return audit_reader_next(ctx, entry, len, reader_err, sizeof reader_err);
}

static void read_all(store *s, const caseworker_key *k, seen *w)
{
    audit_reader *r = audit_reader_new(k, NULL, 0, 0, NULL, see, w);
    char err[300];

    memset(w, 0, sizeof *w);
    if (audit_store_each(s, feed_reader, r, err, sizeof err) != 0 || audit_reader_finish(r, err, sizeof err) != 0)
        fail_msg("reading the log: %s %s", reader_err, err);
    audit_reader_free(r);
}

static int holds_text(void *ctx, const unsigned char *entry, size_t len)
{
    return memmem(entry, len, ctx, strlen(ctx)) != NULL || entry[0] == AUDIT_V1;
}

/* A new store "old.db" whose log is Alice's introduction and one action of hers, in version 1,
 * as older versions wrote it; prev is left holding the hash of the last entry. */
static store *old_log(fixture *f, unsigned char prev[32], const char *action, const char *details)
{
    char path[PATH_MAX], pub[300], err[300];
    store *s;

    ts_path(path, f->dir, "old.db");
    assert_int_equal(store_open(path, &s, err, sizeof err), 0);
    v1_pub_details(f->alice, pub);
    put_v1(s, f->alice, 1, prev, "key-added", "", pub);
    put_v1(s, f->alice, 2, prev, action, "K7QM3-XH9A2", details);
    return s;
}

static void test_an_old_readable_log_is_sealed_on_the_first_append(void **state)
{
    fixture *f = *state;
    unsigned char prev[32] = {0}, old_head[32], head[32];
    char err[300];
    uint64_t seq;
    store *s;
    seen w;

    s = old_log(f, prev, "close", "outcome=substantiated");
    memcpy(old_head, prev, 32);

    /* Without auditors the old log cannot be sealed: nothing is written. */
    audit_append_set_auditors(NULL, 0);
    assert_int_not_equal(audit_append(s, f->bob, "show", "", "", err, sizeof err), 0);
    assert_non_null(strstr(err, "--auditors"));
    assert_int_equal(audit_store_head(s, &seq, head, err, sizeof err), 0);
    assert_int_equal(seq, 2);

    audit_append_set_auditors(&f->auditor->pub, 1);
    assert_int_equal(audit_append(s, f->bob, "show", "", "", err, sizeof err), 0);
    /* 3 Bob's introduction, chained to the old head; 4 the old log, sealed; 5 the show */
    assert_int_equal(audit_store_head(s, &seq, head, err, sizeof err), 0);
    assert_int_equal(seq, 5);
    {
        char alice_name[] = "Alice", outcome[] = "substantiated";
        assert_int_equal(audit_store_each(s, holds_text, alice_name, err, sizeof err), 0);
        assert_int_equal(audit_store_each(s, holds_text, outcome, err, sizeof err), 0);
    }
    {
        /* Without a key, the log checks from entry 3 on; a head recorded inside the old log
         * cannot be checked (its hash is sealed), and verify says who can. */
        feed fd = {.v = audit_verify_new(NULL, 0, 0)};
        assert_int_equal(audit_store_each(s, feed_one, &fd, fd.err, sizeof fd.err), 0);
        assert_int_equal(audit_verify_finish(fd.v, NULL, fd.err, sizeof fd.err), 0);
        assert_int_equal(audit_verify_first(fd.v), 3);
        audit_verify_free(fd.v);
        fd.v = audit_verify_new(NULL, 0, 2);
        assert_int_equal(audit_store_each(s, feed_one, &fd, fd.err, sizeof fd.err), 0);
        assert_int_equal(audit_verify_finish(fd.v, old_head, fd.err, sizeof fd.err), ERR_AUTH);
        assert_non_null(strstr(fd.err, "auditor's key"));
        audit_verify_free(fd.v);
    }
    /* The auditor reads the old entries in their place, then the new ones. */
    read_all(s, f->auditor, &w);
    assert_int_equal(w.n, 4);
    assert_int_equal(w.seq[0], 1);
    assert_true(w.old[0] && w.old[1] && !w.old[2]);
    assert_string_equal(w.action[1], "close");
    assert_int_equal(w.seq[2], 3);
    assert_string_equal(w.action[2], "key-added");
    assert_int_equal(w.seq[3], 5);
    assert_string_equal(w.action[3], "show");
    /* Alice, a caseworker, reads neither the old log nor Bob's entries. */
    read_all(s, f->alice, &w);
    assert_int_equal(w.n, 3);
    assert_true(w.old[0] && w.sealed[0] && w.sealed[1] && w.sealed[2]);
    store_close(s);
}

/* Reads s with k, trusting nothing, checking the head (seq, hash) when seq is not 0; returns
 * the result, with the message in reader_err. */
static int read_with_head(store *s, const caseworker_key *k, uint64_t seq, const unsigned char hash[32])
{
    audit_reader *r = audit_reader_new(k, NULL, 0, seq, hash, see, &(seen){0});
    char err[300];
    int rc;

    reader_err[0] = '\0';
    rc = audit_store_each(s, feed_reader, r, err, sizeof err);
    if (rc == 0)
        rc = audit_reader_finish(r, reader_err, sizeof reader_err);
    audit_reader_free(r);
    return rc;
}

static void test_a_log_cut_down_to_a_later_introduction_fails(void **state)
{
    fixture *f = *state;
    unsigned char head[32];
    uint64_t seq;
    char msg[300];

    assert_int_equal(audit_store_head(f->s, &seq, head, msg, sizeof msg), 0);
    unlock_log(f);
    /* Entry 6 is Bob's introduction: left first, it must not pass for a sealed log's start. */
    sql(f->s, "DELETE FROM audit_log WHERE seq < 6");
    expect_bad(f, "audit entry 7:", "sealed old log, which is missing");
    sql(f->s, "DELETE FROM audit_log WHERE seq > 6");
    expect_bad(f, "audit entry 5:", "missing");
}

static void test_a_forged_log_cannot_pass_a_recorded_head_through_a_claimed_old_log(void **state)
{
    fixture *f = *state;
    caseworker_key *mallory = keyfile_generate("Alice Martin", PUBKEY_ROLE_CASEWORKER);
    unsigned char head[32], prev[32], *entry, hash[32];
    char line[PUBKEY_LINE_MAX], msg[300];
    size_t body_len;
    audit_entry e;
    uint64_t seq;

    assert_int_equal(audit_store_head(f->s, &seq, head, msg, sizeof msg), 0);
    unlock_log(f);
    sql(f->s, "DELETE FROM audit_log");
    /* Mallory claims an old log ending at the recorded head, under a key of her own. */
    memcpy(prev, head, 32);
    pubkey_format(&mallory->pub, line);
    line[strcspn(line, "\n")] = '\0';
    for (int kind = AUDIT_KIND_INTRO, i = 0; i < 3; i++, kind = i == 1 ? AUDIT_KIND_LEGACY : AUDIT_KIND_ACTION) {
        memset(&e, 0, sizeof e);
        e.seq = seq + 1 + (uint64_t)i;
        memcpy(e.prev_hash, prev, 32);
        memcpy(e.key_id, mallory->pub.key_id, PUBKEY_IDBYTES);
        snprintf(e.action, sizeof e.action, "show");
        assert_int_equal(audit_seal(&e, kind, kind == AUDIT_KIND_INTRO ? line : NULL, mallory->pub.x25519, 1,
                                    (const unsigned char *)"junk", 4, &entry, &body_len, hash, msg, sizeof msg), 0);
        entry[body_len] = AUDIT_SIG_ED25519;
        crypto_sign_detached(entry + body_len + 1, NULL, hash, 32, mallory->ed25519_sk);
        put_entry(f, (int)e.seq, entry, body_len + 1 + AUDIT_SIGBYTES);
        free(entry);
        memcpy(prev, hash, 32);
    }
    /* Without a key, the recorded head cannot be vouched for through the claim... */
    assert_int_equal(verify(f, seq, head, NULL, 0, msg), ERR_AUTH);
    assert_non_null(strstr(msg, "auditor's key"));
    /* ...and the auditor, who cannot open Mallory's "old log", is told so. */
    assert_int_equal(read_with_head(f->s, f->auditor, seq, head), ERR_AUTH);
    assert_non_null(strstr(reader_err, "not sealed to this key"));
    keyfile_free(mallory);
}

static void test_a_damaged_old_log_is_not_sealed(void **state)
{
    fixture *f = *state;
    unsigned char prev[32] = {0}, head[32];
    char err[400];
    uint64_t seq;
    store *s;

    s = old_log(f, prev, "show", "");
    /* Someone rewrites entry 2 chained to the wrong entry before the upgrade. */
    sql(s, "DELETE FROM audit_log WHERE seq = 2");
    put_v1(s, f->alice, 2, prev, "show", "K7QM3-XH9A2", "");
    assert_int_not_equal(audit_append(s, f->bob, "show", "", "", err, sizeof err), 0);
    assert_non_null(strstr(err, "old audit log fails its check"));
    assert_non_null(strstr(err, "audit entry 2"));
    assert_int_equal(audit_store_head(s, &seq, head, err, sizeof err), 0);
    assert_int_equal(seq, 2);   /* nothing written, nothing sealed */
    store_close(s);
}

static void test_an_old_log_swapped_after_sealing_is_named_by_the_auditor(void **state)
{
    fixture *f = *state;
    unsigned char prev[32] = {0}, first_hash[32], *entry, hash[32], buf[ENTRY_BUF];
    size_t body_len;
    audit_frame fr;
    audit_entry e;
    char err[300];
    store *s;

    s = old_log(f, prev, "show", "");
    assert_int_equal(audit_frame_parse(buf, get_entry_in(s, 1, buf), &fr), 0);
    memcpy(first_hash, fr.hash, 32);   /* a head an auditor wrote down before the upgrade */
    assert_int_equal(audit_append(s, f->bob, "show", "", "", err, sizeof err), 0);
    /* The auditor checks a head recorded before the upgrade, inside the old log. */
    assert_int_equal(read_with_head(s, f->auditor, 1, first_hash), 0);
    first_hash[0] ^= 1;
    assert_int_equal(read_with_head(s, f->auditor, 1, first_hash), ERR_AUTH);
    assert_non_null(strstr(reader_err, "differs from the recorded head"));
    /* A caseworker who cannot open the old log cannot check it either. */
    assert_int_equal(read_with_head(s, f->alice, 1, first_hash), ERR_AUTH);
    assert_non_null(strstr(reader_err, "not sealed to this key"));
    /* Bob (who holds a key) reseals entry 4 with an old log of one entry: chain and signature
     * hold (Bob drops his later entry 5, a truncation no head was recorded for), but the old
     * log no longer ends where the log goes on. */
    assert_int_equal(audit_frame_parse(buf, get_entry_in(s, 4, buf), &fr), 0);
    memset(&e, 0, sizeof e);
    e.seq = 4;
    memcpy(e.prev_hash, fr.prev_hash, 32);
    memcpy(e.key_id, f->bob->pub.key_id, PUBKEY_IDBYTES);
    {
        unsigned char piece[64];
        memcpy(piece, AUDIT_EXPORT_MAGIC, sizeof AUDIT_EXPORT_MAGIC - 1);
        assert_int_equal(audit_seal(&e, AUDIT_KIND_LEGACY, NULL, f->auditor->pub.x25519, 1, piece,
                                    sizeof AUDIT_EXPORT_MAGIC - 1, &entry, &body_len, hash, err, sizeof err), 0);
    }
    entry[body_len] = AUDIT_SIG_ED25519;
    crypto_sign_detached(entry + body_len + 1, NULL, hash, 32, f->bob->ed25519_sk);
    sql(s, "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq >= 4");
    put_entry_in(s, 4, entry, body_len + 1 + AUDIT_SIGBYTES);
    free(entry);
    assert_int_equal(read_with_head(s, f->auditor, 0, NULL), ERR_AUTH);
    if (strstr(reader_err, "does not end where the log goes on") == NULL)
        fail_msg("%s", reader_err);
    store_close(s);
}

static void hex_to(const char *hex, unsigned char *out, size_t *len)
{
    assert_int_equal(sodium_hex2bin(out, ENTRY_BUF, hex, strlen(hex), NULL, len, NULL), 0);
}

/* The vectors in SECURITY.md ("The audit log"): an entry's hash, and the readable part's bytes. */
static void test_the_entry_hash_and_the_sealed_layout_match_the_vectors(void **state)
{
    fixture *f = *state;
    unsigned char buf[ENTRY_BUF], want[ENTRY_BUF], hash[32], *entry, *plain;
    size_t len, want_len, body_len, plain_len;
    audit_frame fr;
    audit_entry e;
    char hex[65], err[300];

    hex_to("0201000000000000000000000000000000000000000000000000000000000000000000000000000000"
           "010203040506070801000004000000aabbccdd", buf, &len);
    buf[len] = AUDIT_SIG_ED25519;
    memset(buf + len + 1, 0, AUDIT_SIGBYTES);
    assert_int_equal(audit_frame_parse(buf, len + 1 + AUDIT_SIGBYTES, &fr), 0);
    assert_int_equal(fr.body_len, len);
    sodium_bin2hex(hex, sizeof hex, fr.hash, 32);
    assert_string_equal(hex, "45cf062753b5de4179dd21ef7f03ad9f69a40238ba4632af46f50369e1066dea");

    memset(&e, 0, sizeof e);
    e.seq = 7;
    for (int i = 0; i < PUBKEY_IDBYTES; i++)
        e.key_id[i] = (unsigned char)(i + 1);
    snprintf(e.time, sizeof e.time, "2026-11-30T09:15:00Z");
    snprintf(e.action, sizeof e.action, "assign");
    snprintf(e.case_ref, sizeof e.case_ref, "K7QM3-XH9A2");
    snprintf(e.details, sizeof e.details, "to=Jo");
    assert_int_equal(audit_seal(&e, AUDIT_KIND_ACTION, NULL, f->auditor->pub.x25519, 1, NULL, 0, &entry, &body_len,
                                hash, err, sizeof err), 0);
    memset(entry + body_len, 0, 1 + AUDIT_SIGBYTES);
    entry[body_len] = AUDIT_SIG_ED25519;
    assert_int_equal(audit_frame_parse(entry, body_len + 1 + AUDIT_SIGBYTES, &fr), 0);
    assert_memory_equal(fr.hash, hash, 32);
    assert_int_equal(fr.sealed_len, 62 + 80 + 512 + 16);
    assert_int_equal(envelope_open(f->auditor->pub.x25519, f->auditor->x25519_sk, ENVELOPE_KIND_AUDIT, "audit",
                                   fr.sealed, fr.sealed_len, &plain, &plain_len, err, sizeof err), 0);
    hex_to("0700000000000000010203040506070814323032362d31312d33305430393a31353a30305a0661737369676e"
           "0b4b37514d332d58483941320500746f3d4a6f", want, &want_len);
    assert_int_equal(plain_len, AUDIT_SEALED_PLAIN);
    assert_memory_equal(plain, want, want_len);
    for (size_t i = want_len; i < plain_len; i++)
        assert_int_equal(plain[i], 0);
    sodium_free(plain);
    free(entry);
}

/* The vector in SECURITY.md ("The audit log", outcome): the readable part of a refused entry,
 * and an entry without an outcome (as written before) that still reads as "not recorded". */
static void test_the_outcome_layout_matches_the_vector(void **state)
{
    fixture *f = *state;
    unsigned char want[ENTRY_BUF], hash[32], *entry, *plain;
    size_t want_len, body_len, plain_len;
    audit_frame fr;
    audit_entry e, back;
    char err[300];

    memset(&e, 0, sizeof e);
    e.seq = 8;
    for (int i = 0; i < PUBKEY_IDBYTES; i++)
        e.key_id[i] = (unsigned char)(i + 1);
    snprintf(e.time, sizeof e.time, "2026-11-30T09:16:00Z");
    snprintf(e.action, sizeof e.action, "close");
    snprintf(e.case_ref, sizeof e.case_ref, "K7QM3-XH9A2");
    snprintf(e.details, sizeof e.details, "outcome=withdrawn");
    e.outcome = AUDIT_OUTCOME_REFUSED;
    for (int i = 0; i < AUDIT_ATTEMPT_BYTES; i++)
        e.attempt[i] = (unsigned char)(0xa0 + i);
    snprintf(e.reason, sizeof e.reason, "the case was closed");
    assert_int_equal(audit_seal(&e, AUDIT_KIND_ACTION, NULL, f->auditor->pub.x25519, 1, NULL, 0, &entry, &body_len,
                                hash, err, sizeof err), 0);
    memset(entry + body_len, 0, 1 + AUDIT_SIGBYTES);
    entry[body_len] = AUDIT_SIG_ED25519;
    assert_int_equal(audit_frame_parse(entry, body_len + 1 + AUDIT_SIGBYTES, &fr), 0);
    assert_int_equal(fr.sealed_len, 62 + 80 + 512 + 16);   /* the same length as every action entry */
    assert_int_equal(envelope_open(f->auditor->pub.x25519, f->auditor->x25519_sk, ENVELOPE_KIND_AUDIT, "audit",
                                   fr.sealed, fr.sealed_len, &plain, &plain_len, err, sizeof err), 0);
    hex_to("0800000000000000010203040506070814323032362d31312d33305430393a31363a30305a05636c6f7365"
           "0b4b37514d332d584839413211006f7574636f6d653d77697468647261776e"
           "02a0a1a2a3a4a5a6a713746865206361736520776173"
           "20636c6f736564", want, &want_len);
    assert_int_equal(plain_len, AUDIT_SEALED_PLAIN);
    assert_memory_equal(plain, want, want_len);
    for (size_t i = want_len; i < plain_len; i++)
        assert_int_equal(plain[i], 0);
    sodium_free(plain);
    assert_int_equal(audit_open(&fr, f->auditor->pub.x25519, f->auditor->x25519_sk, &back, err, sizeof err), 0);
    assert_int_equal(back.outcome, AUDIT_OUTCOME_REFUSED);
    assert_memory_equal(back.attempt, e.attempt, AUDIT_ATTEMPT_BYTES);
    assert_string_equal(back.reason, "the case was closed");
    free(entry);

    /* no outcome: the bytes of before, which read back as not recorded */
    e.outcome = AUDIT_OUTCOME_NONE;
    assert_int_equal(audit_seal(&e, AUDIT_KIND_ACTION, NULL, f->auditor->pub.x25519, 1, NULL, 0, &entry, &body_len,
                                hash, err, sizeof err), 0);
    memset(entry + body_len, 0, 1 + AUDIT_SIGBYTES);
    entry[body_len] = AUDIT_SIG_ED25519;
    assert_int_equal(audit_frame_parse(entry, body_len + 1 + AUDIT_SIGBYTES, &fr), 0);
    assert_int_equal(audit_open(&fr, f->auditor->pub.x25519, f->auditor->x25519_sk, &back, err, sizeof err), 0);
    assert_int_equal(back.outcome, AUDIT_OUTCOME_NONE);
    assert_string_equal(audit_outcome_name(back.outcome), "not recorded");
    assert_string_equal(back.reason, "");
    free(entry);
}

/* A database of schema 6 with a readable log, as older versions left it, is upgraded by opening
 * it (schema 7) and sealed by the first append; nothing else could delete its entries. */
static void test_a_schema_6_database_with_a_readable_log_is_upgraded_and_sealed(void **state)
{
    fixture *f = *state;
    unsigned char prev[32] = {0};
    char path[PATH_MAX], details[300], err[300];
    sqlite3 *db;
    store *s;
    seen w;

    ts_path(path, f->dir, "v6.db");
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (int v = 1; v <= 6; v++)
        assert_int_equal(sqlite3_exec(db, store_schema_migration(v), NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 6; PRAGMA application_id = 1397047601;", NULL, NULL, NULL),
                     SQLITE_OK);
    v1_pub_details(f->alice, details);
    put_v1_raw(db, f->alice, 1, prev, "key-added", "", details);
    put_v1_raw(db, f->alice, 2, prev, "assign", "K7QM3-XH9A2", "to=Jo");
    /* schema 6 refuses to delete any entry */
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit_log WHERE seq = 2", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    chmod(path, 0600);
    assert_int_equal(store_open(path, &s, err, sizeof err), 0);
    assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
    assert_int_equal(audit_append(s, f->bob, "show", "", "", err, sizeof err), 0);
    read_all(s, f->auditor, &w);
    assert_int_equal(w.n, 4);
    assert_string_equal(w.action[1], "assign");
    assert_true(w.old[1]);
    /* and a sealed entry cannot be deleted by accident either */
    assert_int_not_equal(sqlite3_exec(ts_store_db(s), "DELETE FROM audit_log WHERE seq = 3", NULL, NULL, NULL), SQLITE_OK);
    store_close(s);
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
        T(test_a_sealed_part_moved_to_another_entry_does_not_open),
        T(test_each_entry_opens_for_the_auditors_and_its_actor_only),
        T(test_every_action_entry_has_the_same_length),
        T(test_a_key_the_auditor_does_not_trust_is_named),
        T(test_a_log_of_ten_thousand_entries_verifies),
        T(test_a_planted_key_marker_does_not_skip_the_key_entry),
        T(test_append_fails_closed_when_the_database_is_read_only),
        T(test_an_old_readable_log_is_sealed_on_the_first_append),
        T(test_a_log_cut_down_to_a_later_introduction_fails),
        T(test_a_forged_log_cannot_pass_a_recorded_head_through_a_claimed_old_log),
        T(test_a_damaged_old_log_is_not_sealed),
        T(test_an_old_log_swapped_after_sealing_is_named_by_the_auditor),
        T(test_the_entry_hash_and_the_sealed_layout_match_the_vectors),
        T(test_the_outcome_layout_matches_the_vector),
        T(test_a_schema_6_database_with_a_readable_log_is_upgraded_and_sealed),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
