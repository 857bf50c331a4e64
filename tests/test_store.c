/*
 * test_store.c: the SQLite store: creation and migrations, connection settings, cases and
 * records, attachments through the stream, refusing foreign or newer files, a full database,
 * and no plaintext on disk.
 */
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
#include <unistd.h>

#include "envelope.h"
#include "errors.h"
#include "receipt.h"
#include "store.h"
#include "../core/store_schema.h"
#include "stream.h"
#include "test_support.h"

typedef struct fixture {
    char dir[PATH_MAX];
    char db_path[PATH_MAX];
    store *s;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[300];

    ts_tmpdir(f->dir);
    ts_path(f->db_path, f->dir, "reports.db");
    assert_int_equal(store_open(f->db_path, &f->s, err, sizeof err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    store_close(f->s);
    ts_rmtree(f->dir);
    free(f);
    return 0;
}

static int pragma(store *s, const char *sql)
{
    sqlite3_stmt *st;
    int v = -1;

    assert_int_equal(sqlite3_prepare_v2(ts_store_db(s), sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void new_case(store *s, store_case *c, unsigned char lookup[32])
{
    unsigned char pk[32];
    char err[300];

    randombytes_buf(lookup, 32);
    randombytes_buf(pk, 32);
    assert_int_equal(store_case_insert(s, NULL, lookup, pk, c, err, sizeof err), 0);
}

static void test_new_database_is_migrated_private_and_configured(void **state)
{
    fixture *f = *state;
    sqlite3_stmt *st;
    char mode[16] = "";

    assert_int_equal(store_schema_version(f->s), STORE_SCHEMA_VERSION);
    assert_int_equal(ts_file_mode(f->db_path), 0600);
    assert_int_equal(pragma(f->s, "PRAGMA foreign_keys"), 1);
    assert_int_equal(pragma(f->s, "PRAGMA secure_delete"), 1);
    assert_int_equal(pragma(f->s, "PRAGMA trusted_schema"), 0);
    assert_int_equal(pragma(f->s, "PRAGMA synchronous"), 2);
    assert_int_equal(sqlite3_prepare_v2(ts_store_db(f->s), "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(mode, sizeof mode, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    assert_string_equal(mode, "wal");
}

static void test_reopen_keeps_cases_and_version(void **state)
{
    fixture *f = *state;
    unsigned char lookup[32];
    store_case c, back;
    char err[300];

    new_case(f->s, &c, lookup);
    store_close(f->s);
    assert_int_equal(store_open(f->db_path, &f->s, err, sizeof err), 0);
    assert_int_equal(store_schema_version(f->s), STORE_SCHEMA_VERSION);
    assert_int_equal(store_case_by_lookup(f->s, lookup, &back, err, sizeof err), 0);
    assert_string_equal(back.ref, c.ref);
    assert_string_equal(back.status, "new");
}

static void test_an_empty_file_is_migrated_from_scratch(void **state)
{
    fixture *f = *state;
    char path[PATH_MAX], err[300];
    store *s = NULL;

    ts_write_file(ts_path(path, f->dir, "empty.db"), "", 0);
    assert_int_equal(store_open(path, &s, err, sizeof err), 0);
    assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
    store_close(s);
    assert_int_equal(store_open(path, &s, err, sizeof err), 0);
    assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
    store_close(s);
}

static void test_a_second_writer_waits_for_the_first_instead_of_failing(void **state)
{
    fixture *f = *state;
    unsigned char lookup[32], pk[32];
    store_case c;
    char err[300];
    int ready[2];
    pid_t child;

    assert_int_equal(pipe(ready), 0);
    child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        /* Another program holds the write lock for a moment, then commits. */
        store *other;
        char e[300], byte = 1;
        if (store_open(f->db_path, &other, e, sizeof e) != 0 || store_begin(other, e, sizeof e) != 0)
            _exit(1);
        randombytes_buf(lookup, 32);
        randombytes_buf(pk, 32);
        if (store_case_insert(other, NULL, lookup, pk, &c, e, sizeof e) != 0 || write(ready[1], &byte, 1) != 1)
            _exit(1);
        usleep(500 * 1000);
        _exit(store_commit(other, e, sizeof e) == 0 ? 0 : 1);
    }
    {
        char byte;
        assert_int_equal(read(ready[0], &byte, 1), 1);
    }
    assert_int_equal(store_begin(f->s, err, sizeof err), 0);
    new_case(f->s, &c, lookup);
    assert_int_equal(store_commit(f->s, err, sizeof err), 0);
    assert_int_equal(ts_wait(child, 10000), 0);
    assert_int_equal(pragma(f->s, "SELECT count(*) FROM cases"), 2);
    close(ready[0]);
    close(ready[1]);
}

static void test_open_refuses_a_database_others_can_read(void **state)
{
    fixture *f = *state;
    store *s = NULL;
    char err[300];

    assert_int_equal(chmod(f->db_path, 0644), 0);
    assert_int_equal(store_open(f->db_path, &s, err, sizeof err), ERR_IO);
    assert_null(s);
    assert_non_null(strstr(err, "chmod 600"));
    assert_int_equal(chmod(f->db_path, 0600), 0);
    assert_int_equal(store_open(f->db_path, &s, err, sizeof err), 0);
    store_close(s);
}

static void test_open_refuses_a_newer_schema(void **state)
{
    fixture *f = *state;
    store *s = NULL;
    char err[300];

    assert_int_equal(sqlite3_exec(ts_store_db(f->s), "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(store_open(f->db_path, &s, err, sizeof err), ERR_VERSION);
    assert_null(s);
    assert_non_null(strstr(err, "newer"));
}

static void test_open_refuses_foreign_databases_and_garbage(void **state)
{
    fixture *f = *state;
    char path[PATH_MAX], err[300];
    sqlite3 *db;
    store *s = NULL;
    unsigned char junk[8192];

    ts_path(path, f->dir, "other.db");
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE music(title TEXT)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(store_open(path, &s, err, sizeof err), ERR_FORMAT);
    assert_null(s);

    randombytes_buf(junk, sizeof junk);
    ts_write_file(ts_path(path, f->dir, "junk.db"), junk, sizeof junk);
    assert_int_equal(store_open(path, &s, err, sizeof err), ERR_FORMAT);
    assert_null(s);
    assert_int_equal(store_open(ts_path(path, f->dir, "no/such/folder.db"), &s, err, sizeof err), ERR_IO);
}

static void test_cases_are_found_by_lookup_and_reference_only(void **state)
{
    fixture *f = *state;
    unsigned char lookup[32], other[32], pk[32];
    store_case a, b, back;
    char err[300], day[DAY_TEXT_SIZE];

    new_case(f->s, &a, lookup);
    new_case(f->s, &b, other);
    assert_string_not_equal(a.ref, b.ref);
    day_today(day);
    assert_string_equal(a.received, day);
    assert_int_equal(store_case_by_ref(f->s, b.ref, &back, err, sizeof err), 0);
    assert_int_equal(back.id, b.id);
    assert_memory_equal(back.reporter_pk, b.reporter_pk, 32);
    assert_int_equal(store_case_by_lookup(f->s, lookup, &back, err, sizeof err), 0);
    assert_int_equal(back.id, a.id);
    other[0] ^= 1;
    assert_int_equal(store_case_by_lookup(f->s, other, &back, err, sizeof err), ERR_NOTFOUND);
    assert_int_equal(store_case_by_ref(f->s, "00000-00000", &back, err, sizeof err), ERR_NOTFOUND);
    randombytes_buf(pk, 32);
    assert_int_equal(store_case_insert(f->s, NULL, lookup, pk, &back, err, sizeof err), ERR_EXISTS);
}

static void test_a_case_can_take_a_reference_drawn_in_advance(void **state)
{
    fixture *f = *state;
    unsigned char lookup[32], pk[32];
    char ref[CASEREF_TEXT_SIZE], err[300];
    store_case c, dup;

    caseref_generate(ref);
    randombytes_buf(lookup, 32);
    randombytes_buf(pk, 32);
    assert_int_equal(store_case_insert(f->s, ref, lookup, pk, &c, err, sizeof err), 0);
    assert_string_equal(c.ref, ref);
    lookup[0] ^= 1;
    assert_int_equal(store_case_insert(f->s, ref, lookup, pk, &dup, err, sizeof err), ERR_EXISTS);
}

static void test_secret_settings_are_created_once_and_shared(void **state)
{
    fixture *f = *state;
    unsigned char a[32], b[32], zero[32] = {0};
    store *other;
    char err[300];

    assert_int_equal(store_secret_setting(f->s, "csrf_key", a, sizeof a, err, sizeof err), 0);
    assert_memory_not_equal(a, zero, 32);
    assert_int_equal(store_open(f->db_path, &other, err, sizeof err), 0);
    assert_int_equal(store_secret_setting(other, "csrf_key", b, sizeof b, err, sizeof err), 0);
    assert_memory_equal(a, b, 32);
    assert_int_equal(store_secret_setting(other, "another", b, sizeof b, err, sizeof err), 0);
    assert_memory_not_equal(a, b, 32);
    store_close(other);
}

static void test_status_changes_and_rejects_unknown_values(void **state)
{
    fixture *f = *state;
    unsigned char lookup[32];
    store_case c, back;
    char err[300];

    new_case(f->s, &c, lookup);
    assert_int_equal(store_case_set_status(f->s, c.id, "investigating", err, sizeof err), 0);
    assert_int_equal(store_case_by_ref(f->s, c.ref, &back, err, sizeof err), 0);
    assert_string_equal(back.status, "investigating");
    assert_int_equal(store_case_set_status(f->s, c.id, "lost", err, sizeof err), ERR_FORMAT);
    assert_int_equal(store_case_set_status(f->s, c.id + 1000, "closed", err, sizeof err), ERR_NOTFOUND);
}

typedef struct seen {
    int64_t ids[8];
    int audiences[8];
    int n;
} seen;

static int remember(void *ctx, const store_record *r)
{
    seen *s = ctx;

    s->ids[s->n] = r->id;
    s->audiences[s->n++] = r->audience;
    return 0;
}

static void test_records_come_back_in_order_and_by_kind(void **state)
{
    fixture *f = *state;
    unsigned char lookup[32], env[40] = {1};
    store_case c;
    int64_t id1, id2, id3;
    seen all = {0}, replies = {0};
    char err[300];

    new_case(f->s, &c, lookup);
    assert_int_equal(store_record_add(f->s, c.id, STORE_AUDIENCE_CASEWORKERS, env, sizeof env, &id1, err, sizeof err), 0);
    assert_int_equal(store_record_add(f->s, c.id, STORE_AUDIENCE_REPORTER, env, sizeof env, &id2, err, sizeof err), 0);
    assert_int_equal(store_record_add(f->s, c.id, STORE_AUDIENCE_RECEIPT_BOX, env, sizeof env, &id3, err, sizeof err), 0);
    assert_int_equal(store_records_each(f->s, c.id, 0, remember, &all, err, sizeof err), 0);
    assert_int_equal(all.n, 3);
    assert_true(all.ids[0] == id1 && all.ids[1] == id2 && all.ids[2] == id3);
    assert_int_equal(store_records_each(f->s, c.id, STORE_AUDIENCE_REPORTER, remember, &replies, err, sizeof err), 0);
    assert_int_equal(replies.n, 1);
    assert_int_equal(replies.ids[0], id2);
    assert_int_equal(all.audiences[2], STORE_AUDIENCE_RECEIPT_BOX);
    /* A record for a case that does not exist is refused by the foreign key. */
    assert_int_equal(store_record_add(f->s, c.id + 1000, STORE_AUDIENCE_CASEWORKERS, env, sizeof env, NULL, err, sizeof err), ERR_NOTFOUND);
    /* No audience outside the three. */
    assert_int_equal(store_record_add(f->s, c.id, (enum store_audience)7, env, sizeof env, NULL, err, sizeof err), ERR_FORMAT);
}

typedef struct sink_ctx {
    store *s;
    int64_t attachment;
    int64_t seq;
} sink_ctx;

static int to_store(void *ctx, const unsigned char *chunk, size_t len)
{
    sink_ctx *c = ctx;
    char err[300];

    return store_attachment_chunk_add(c->s, c->attachment, c->seq++, chunk, len, err, sizeof err);
}

typedef struct pull_ctx {
    stream_reader *r;
    size_t total;
    unsigned char out[STREAM_MAX_CT];
} pull_ctx;

static int from_store(void *ctx, const unsigned char *chunk, size_t len)
{
    pull_ctx *p = ctx;
    size_t got;
    int rc = stream_reader_pull(p->r, chunk, len, p->out, &got);

    for (size_t i = 0; rc == 0 && i < got; i++, p->total++)
        assert_int_equal(p->out[i], (unsigned char)p->total);
    return rc;
}

static void test_attachment_streams_through_the_store(void **state)
{
    fixture *f = *state;
    unsigned char lookup[32], key[STREAM_KEYBYTES], header[24], back[24], piece[10000];
    store_case c;
    int64_t meta, back_meta;
    sink_ctx sink = {.s = f->s};
    pull_ctx *pull = calloc(1, sizeof *pull);
    stream_writer *w;
    char err[300];
    const size_t size = 3 * STREAM_CHUNK + 1234;

    new_case(f->s, &c, lookup);
    assert_int_equal(store_begin(f->s, err, sizeof err), 0);
    assert_int_equal(store_record_add(f->s, c.id, STORE_AUDIENCE_CASEWORKERS, key, 8, &meta, err, sizeof err), 0);
    randombytes_buf(key, sizeof key);
    w = stream_writer_new(key, c.ref, header);
    assert_int_equal(store_attachment_add(f->s, c.id, meta, header, &sink.attachment, err, sizeof err), 0);
    for (size_t off = 0; off < size; off += sizeof piece) {
        size_t n = size - off < sizeof piece ? size - off : sizeof piece;
        for (size_t i = 0; i < n; i++)
            piece[i] = (unsigned char)(off + i);
        assert_int_equal(stream_writer_write(w, piece, n, to_store, &sink), 0);
    }
    assert_int_equal(stream_writer_finish(w, to_store, &sink), 0);
    stream_writer_free(w);
    assert_int_equal(store_commit(f->s, err, sizeof err), 0);
    assert_int_equal(sink.seq, 4);

    assert_int_equal(store_attachment_header(f->s, sink.attachment, back, &back_meta, err, sizeof err), 0);
    assert_memory_equal(back, header, 24);
    assert_int_equal(back_meta, meta);
    pull->r = stream_reader_new(key, c.ref, back);
    assert_int_equal(store_attachment_chunks_each(f->s, sink.attachment, from_store, pull, err, sizeof err), 0);
    assert_int_equal(stream_reader_finish(pull->r), 0);
    assert_int_equal(pull->total, size);
    stream_reader_free(pull->r);
    free(pull);
    assert_int_equal(store_attachment_header(f->s, sink.attachment + 99, back, &back_meta, err, sizeof err), ERR_NOTFOUND);
}

static void test_rolled_back_transaction_leaves_nothing(void **state)
{
    fixture *f = *state;
    unsigned char lookup[32];
    store_case c, back;
    char err[300];

    assert_int_equal(store_begin(f->s, err, sizeof err), 0);
    new_case(f->s, &c, lookup);
    store_rollback(f->s);
    assert_int_equal(store_case_by_lookup(f->s, lookup, &back, err, sizeof err), ERR_NOTFOUND);
    store_rollback(f->s);   /* harmless with no transaction open */
}

static void test_a_full_database_reports_full_and_keeps_earlier_data(void **state)
{
    fixture *f = *state;
    unsigned char lookup[32], *big = calloc(1, 512 * 1024);
    store_case c, back;
    char err[300];
    int pages = pragma(f->s, "PRAGMA page_count"), rc;
    char sql[64];

    new_case(f->s, &c, lookup);
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %d", pages + 4);
    assert_int_equal(sqlite3_exec(ts_store_db(f->s), sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(store_begin(f->s, err, sizeof err), 0);
    rc = store_record_add(f->s, c.id, STORE_AUDIENCE_CASEWORKERS, big, 512 * 1024, NULL, err, sizeof err);
    assert_int_equal(rc, ERR_FULL);
    assert_non_null(strstr(err, "full"));
    store_rollback(f->s);
    assert_int_equal(store_case_by_lookup(f->s, lookup, &back, err, sizeof err), 0);
    free(big);
}

static void test_no_report_text_or_receipt_reaches_the_disk(void **state)
{
    fixture *f = *state;
    static const char secret_text[] = "the-distinctive-words-of-a-report-8842";
    unsigned char pk[32], sk[32], raw[RECEIPT_BYTES], *env;
    char receipt[RECEIPT_TEXT_SIZE], path[PATH_MAX], err[300];
    receipt_keys *rk;
    store_case c;
    size_t len, file_len;
    char *file;

    crypto_box_keypair(pk, sk);
    receipt_generate(raw);
    receipt_format(raw, receipt);
    rk = receipt_keys_derive(raw);
    assert_int_equal(store_begin(f->s, err, sizeof err), 0);
    assert_int_equal(store_case_insert(f->s, NULL, rk->lookup, rk->box_pk, &c, err, sizeof err), 0);
    assert_int_equal(envelope_seal(pk, 1, NULL, ENVELOPE_KIND_REPORT, c.ref, (const unsigned char *)secret_text,
                                   strlen(secret_text), &env, &len, err, sizeof err), 0);
    assert_int_equal(store_record_add(f->s, c.id, STORE_AUDIENCE_CASEWORKERS, env, len, NULL, err, sizeof err), 0);
    assert_int_equal(store_commit(f->s, err, sizeof err), 0);
    free(env);
    receipt_keys_free(rk);

    const char *files[] = {f->db_path, strcat(strcpy(path, f->db_path), "-wal")};
    for (size_t i = 0; i < 2; i++) {
        file = ts_read_file(files[i], &file_len);
        assert_non_null(file);
        assert_true(file_len > 0 || i == 0);
        assert_false(ts_contains(file, file_len, secret_text));
        assert_false(ts_contains(file, file_len, receipt));
        assert_false(ts_contains(file, file_len, "distinctive"));
        free(file);
    }
}

static void test_a_version_4_database_is_migrated(void **state)
{
    fixture *f = *state;
    char path[PATH_MAX], err[300];
    sqlite3 *db;
    store *s = NULL;

    ts_path(path, f->dir, "old.db");
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (int v = 1; v <= 4; v++)
        assert_int_equal(sqlite3_exec(db, store_schema_migration(v), NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 4; PRAGMA application_id = 1397047601;"
                                      "INSERT INTO caseworker_index VALUES (x'0011223344556677', x'02deadbeef');"
                                      "INSERT INTO cases(id, ref, received, lookup, reporter_pk) VALUES"
                                      " (1, 'AAAAA-AAAAA', '2026-01-01', zeroblob(32), zeroblob(32)),"
                                      " (2, 'BBBBB-BBBBB', '2026-01-01', randomblob(32), zeroblob(32));"
                                      "INSERT INTO records(id, case_id, audience, day, envelope) VALUES"
                                      " (1, 1, 1, '2026-01-01', x'01'), (2, 2, 1, '2026-01-01', x'02'),"
                                      " (3, 1, 1, '2026-01-01', x'03'), (4, 1, 2, '2026-01-02', x'04');"
                                      "INSERT INTO attachments(id, case_id, meta_record, header) VALUES (1, 1, 3, zeroblob(24));"
                                      "INSERT INTO attachment_chunks VALUES (1, 0, x'00');",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    chmod(path, 0600);
    assert_int_equal(store_open(path, &s, err, sizeof err), 0);
    assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
    /* 5: the shared indexes are gone. */
    assert_int_equal(pragma(s, "SELECT count(*) FROM sqlite_schema WHERE name = 'caseworker_index'"), 0);
    /* 6: record ids no longer order arrivals; the order within each case is kept in seq, and the
     * attachment still points at its metadata record. */
    assert_int_equal(pragma(s, "SELECT count(*) FROM records WHERE id <= 4"), 0);
    assert_int_equal(pragma(s, "SELECT count(*) FROM records WHERE case_id = 1 AND seq = 1 AND envelope = x'01'"), 1);
    assert_int_equal(pragma(s, "SELECT count(*) FROM records WHERE case_id = 1 AND seq = 2 AND envelope = x'03'"), 1);
    assert_int_equal(pragma(s, "SELECT count(*) FROM records WHERE case_id = 1 AND seq = 3 AND envelope = x'04'"), 1);
    assert_int_equal(pragma(s, "SELECT count(*) FROM records WHERE case_id = 2 AND seq = 1"), 1);
    assert_int_equal(pragma(s, "SELECT count(*) FROM attachments a JOIN records r ON r.id = a.meta_record WHERE r.envelope = x'03'"), 1);
    assert_int_equal(pragma(s, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    assert_int_equal(pragma(s, "SELECT count(*) FROM sqlite_sequence WHERE name = 'records'"), 0);
    /* An intake of schema 5 still running inserts without seq or id: its record still gets the
     * case's next seq. */
    assert_int_equal(sqlite3_exec(ts_store_db(s), "INSERT INTO records(case_id, audience, day, envelope) VALUES (1, 1, '2026-01-03', x'05');"
                                                  "INSERT INTO records(case_id, audience, day, envelope) VALUES (1, 1, '2026-01-03', x'06')",
                                  NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(pragma(s, "SELECT count(*) FROM records WHERE case_id = 1 AND seq = 5 AND envelope = x'06'"), 1);
    store_close(s);
}

typedef struct seq_walk {
    int64_t ids[32], seqs[32];
    size_t n;
} seq_walk;

static int keep_seq(void *ctx, const store_record *r)
{
    seq_walk *w = ctx;

    w->ids[w->n] = r->id;
    w->seqs[w->n++] = r->seq;
    return 0;
}

static void test_record_ids_order_nothing_and_seq_orders_each_case(void **state)
{
    fixture *f = *state;
    unsigned char lookup[32], env[16] = {0};
    store_case a, b;
    int64_t ids[20];
    seq_walk w = {.n = 0};
    int increasing = 1;
    char err[300];

    new_case(f->s, &a, lookup);
    new_case(f->s, &b, lookup);
    for (int i = 0; i < 20; i++) {
        env[0] = (unsigned char)i;
        assert_int_equal(store_record_add(f->s, i % 2 ? b.id : a.id, STORE_AUDIENCE_CASEWORKERS, env, sizeof env,
                                          &ids[i], err, sizeof err), 0);
        assert_true(ids[i] > 0);
        increasing &= i == 0 || ids[i] > ids[i - 1];
    }
    /* 20 random ids come out in the order of arrival once in 20! tries. */
    assert_false(increasing);
    assert_int_equal(store_records_each(f->s, a.id, 0, keep_seq, &w, err, sizeof err), 0);
    assert_int_equal(w.n, 10);
    for (size_t i = 0; i < w.n; i++) {
        assert_int_equal(w.seqs[i], (int64_t)i + 1);
        assert_int_equal(w.ids[i], ids[2 * i]);   /* in the case's own order of arrival */
    }
}

typedef struct walk {
    store *s;
    int seen, nested_rc;
    char err[300];
} walk;

/* Stops after the first case. */
static int stop_at_first(void *ctx, const store_case *c)
{
    walk *w = ctx;

    (void)c;
    w->seen++;
    return 7;
}

/* Runs the same query again from inside its own walk. */
static int walk_again(void *ctx, const store_case *c)
{
    walk *w = ctx;

    (void)c;
    w->nested_rc = store_cases_each(w->s, NULL, stop_at_first, w, w->err, sizeof w->err);
    return 1;
}

static void test_a_walk_stopped_early_leaves_no_reader_and_a_nested_walk_is_refused(void **state)
{
    fixture *f = *state;
    unsigned char lookup[32];
    store_case c;
    walk w = {.s = f->s};
    char err[300];
    sqlite3 *other;
    int log_frames = -1, checkpointed = -1;

    for (int i = 0; i < 3; i++)
        new_case(f->s, &c, lookup);
    /* The callback's own code comes back, and the statement is reset: no read transaction stays
     * open, so another connection can checkpoint the whole log. */
    assert_int_equal(store_cases_each(f->s, NULL, stop_at_first, &w, err, sizeof err), 7);
    assert_int_equal(w.seen, 1);
    assert_int_equal(sqlite3_open(f->db_path, &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "SELECT count(*) FROM cases", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_wal_checkpoint_v2(other, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log_frames, &checkpointed), SQLITE_OK);
    assert_int_equal(log_frames, 0);
    sqlite3_close(other);
    /* The same query reached from its own callback is refused, not silently reset under it. */
    assert_int_equal(store_cases_each(f->s, NULL, walk_again, &w, err, sizeof err), 1);
    assert_int_equal(w.nested_rc, ERR_INTERNAL);
    assert_non_null(strstr(w.err, "a bug"));
    /* And the store goes on working. */
    w.seen = 0;
    assert_int_equal(store_cases_each(f->s, NULL, stop_at_first, &w, err, sizeof err), 7);
    assert_int_equal(w.seen, 1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_new_database_is_migrated_private_and_configured),
        T(test_reopen_keeps_cases_and_version),
        T(test_an_empty_file_is_migrated_from_scratch),
        T(test_a_second_writer_waits_for_the_first_instead_of_failing),
        T(test_open_refuses_a_database_others_can_read),
        T(test_open_refuses_a_newer_schema),
        T(test_open_refuses_foreign_databases_and_garbage),
        T(test_cases_are_found_by_lookup_and_reference_only),
        T(test_a_case_can_take_a_reference_drawn_in_advance),
        T(test_secret_settings_are_created_once_and_shared),
        T(test_status_changes_and_rejects_unknown_values),
        T(test_records_come_back_in_order_and_by_kind),
        T(test_attachment_streams_through_the_store),
        T(test_rolled_back_transaction_leaves_nothing),
        T(test_a_full_database_reports_full_and_keeps_earlier_data),
        T(test_no_report_text_or_receipt_reaches_the_disk),
        T(test_a_walk_stopped_early_leaves_no_reader_and_a_nested_walk_is_refused),
        T(test_a_version_4_database_is_migrated),
        T(test_record_ids_order_nothing_and_seq_orders_each_case),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
