/*
 * test_case_index.c: the caseworker's own case index file, checked against SECURITY.md's
 * specification by an independent implementation of it here (libsodium directly): the test
 * vector, a file written from the text alone is read, a file the code writes decrypts and reads
 * as the text says, and a stale generation, another database or a damaged file are rebuilt.
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

#include "bytes.h"
#include "case-index.h"
#include "envelope.h"
#include "errors.h"
#include "fields.h"
#include "test_support.h"

/* SECURITY.md's test vector: X25519 secret 32 × 0x01, key id 0001020304050607, database id
 * 16 × 0xaa, nonce 24 × 0x00, generation 5, no entry, last figures 0. */
#define SPEC_VECTOR_HEX \
    "0500000000000000000000000000000000000000000000000078d277e3aba31753d2" \
    "5d298929c1176c1c9106d20215bace22dc3d997050c0c2b5ba839e"

typedef struct fixture {
    char dir[PATH_MAX], db[PATH_MAX], state[PATH_MAX], file[PATH_MAX];
    store *s;
    caseworker_key k;
} fixture;

static void set_setting(fixture *f, const char *name, const unsigned char *value, size_t len)
{
    sqlite3_stmt *st;

    assert_int_equal(sqlite3_prepare_v2(ts_store_db(f->s), "INSERT OR REPLACE INTO settings(name, value) VALUES (?, ?)",
                                        -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, value, (int)len, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    unsigned char db_id[16], generation[8];
    char err[300];

    ts_tmpdir(f->dir);
    ts_path(f->db, f->dir, "reports.db");
    ts_path(f->state, f->dir, "state");
    ts_path(f->file, f->state, "0001020304050607-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.index");
    assert_int_equal(store_open(f->db, &f->s, err, sizeof err), 0);
    memset(db_id, 0xaa, sizeof db_id);
    bytes_store64_le(generation, 5);
    set_setting(f, "database-id", db_id, sizeof db_id);
    set_setting(f, "index-generation", generation, sizeof generation);
    memset(f->k.x25519_sk, 0x01, 32);
    crypto_scalarmult_base(f->k.pub.x25519, f->k.x25519_sk);
    for (int i = 0; i < 8; i++)
        f->k.pub.key_id[i] = (unsigned char)i;
    snprintf(f->k.pub.name, sizeof f->k.pub.name, "Test Worker");
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

/* The spec's key and associated data. */
static void spec_key_ad(const fixture *f, unsigned char key[32], unsigned char ad[36])
{
    crypto_generichash(key, 32, (const unsigned char *)"sea-index-v1", 12, f->k.x25519_sk, 32);
    memcpy(ad, "sea-index-v5", 12);
    memcpy(ad + 12, f->k.pub.key_id, 8);
    memset(ad + 20, 0xaa, 16);
}

/* Seals plaintext as a spec file with the given nonce; returns its length. */
static size_t spec_seal(const fixture *f, const unsigned char *plain, size_t len, const unsigned char nonce[24],
                        unsigned char *out)
{
    unsigned char key[32], ad[36];

    spec_key_ad(f, key, ad);
    out[0] = 5;
    memcpy(out + 1, nonce, 24);
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + 25, NULL, plain, len, ad, sizeof ad, NULL, nonce, key);
    return 25 + len + 16;
}

static void test_the_specification_vector(void **state)
{
    fixture *f = *state;
    unsigned char plain[20] = {0}, nonce[24] = {0}, file[128];
    char hex[2 * sizeof file + 1];
    size_t len;

    bytes_store64_le(plain, 5);
    len = spec_seal(f, plain, sizeof plain, nonce, file);
    assert_int_equal(len, 61);
    sodium_bin2hex(hex, sizeof hex, file, len);
    assert_string_equal(hex, SPEC_VECTOR_HEX);
    /* The code reads the vector as an up-to-date empty index and leaves it as it is. */
    {
        case_index *ix = NULL;
        size_t npurged, back_len;
        char err[300], *back;
        assert_int_equal(mkdir(f->state, 0700), 0);
        ts_write_file(f->file, file, len);
        assert_int_equal(case_index_update(f->s, &f->k, f->state, &ix, err, sizeof err), 0);
        case_index_purged(ix, &npurged);
        assert_int_equal(npurged, 0);
        case_index_free(ix);
        back = ts_read_file(f->file, &back_len);
        assert_int_equal(back_len, len);
        assert_memory_equal(back, file, len);
        free(back);
    }
}

static void test_a_file_written_from_the_specification_is_read(void **state)
{
    fixture *f = *state;
    unsigned char plain[256] = {0}, nonce[24], file[512];
    size_t o = 20, n, npurged;
    const index_entry *purged;
    case_index *ix = NULL;
    char err[300];
    static const char *const texts[9] = {"2025-03-02", "2025-03-04", "2025-04-01", "bullying", "", "", "female", "25-34", "withdrawn"};

    bytes_store64_le(plain, 5);                  /* generation */
    bytes_store64_le(plain + 8, 3);              /* last figures */
    bytes_store32_le(plain + 16, 1);
    bytes_store64_le(plain + o, (uint64_t)-3);   /* the figures of purged case 3 */
    bytes_store64_le(plain + o + 8, 0);          /* last seq: none (figures) */
    bytes_store64_le(plain + o + 16, 0);         /* last record id: none */
    bytes_store64_le(plain + o + 24, 0);         /* newest item from the reporter: none */
    plain[o + 32] = 1;
    o += 33;
    for (int t = 0; t < 9; t++) {
        plain[o] = (unsigned char)strlen(texts[t]);
        memcpy(plain + o + 1, texts[t], strlen(texts[t]));
        o += 1 + strlen(texts[t]);
    }
    randombytes_buf(nonce, sizeof nonce);
    n = spec_seal(f, plain, o, nonce, file);
    /* The database holds the figures the file has seen (ids 1 to 3). */
    assert_int_equal(sqlite3_exec(ts_store_db(f->s), "INSERT INTO retained_figures(envelope) VALUES (x'00'), (x'00'), (x'00')",
                                  NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(mkdir(f->state, 0700), 0);
    ts_write_file(f->file, file, n);
    assert_int_equal(case_index_update(f->s, &f->k, f->state, &ix, err, sizeof err), 0);
    purged = case_index_purged(ix, &npurged);
    assert_int_equal(npurged, 1);
    assert_int_equal(purged[0].case_id, -3);
    assert_string_equal(purged[0].st.category, "bullying");
    assert_string_equal(purged[0].st.closed, "2025-04-01");
    assert_string_equal(purged[0].st.outcome, "withdrawn");
    case_index_free(ix);
    /* Nothing new: the file is left as it was. */
    {
        size_t len;
        char *back = ts_read_file(f->file, &len);
        assert_int_equal(len, n);
        assert_memory_equal(back, file, n);
        free(back);
    }
    /* After a share or a purge (the generation moves on), it is not believed any more. */
    {
        uint64_t generation;
        assert_int_equal(store_index_generation(f->s, 1, &generation, err, sizeof err), 0);
        assert_true(generation != 5);   /* drawn again at random */
        assert_int_equal(case_index_update(f->s, &f->k, f->state, &ix, err, sizeof err), 0);
        purged = case_index_purged(ix, &npurged);
        assert_int_equal(npurged, 0);
        case_index_free(ix);
    }
}

static void test_the_file_the_code_writes_reads_as_specified(void **state)
{
    fixture *f = *state;
    unsigned char key[32], ad[36], *plain, *env;
    field fl[2];
    size_t len, env_len, plain_len;
    unsigned char enc[64];
    store_case c;
    unsigned char lookup[32], pk[32];
    int64_t record;
    case_index *ix = NULL;
    char err[300], *file;

    /* One case whose report this key opens. */
    randombytes_buf(lookup, 32);
    randombytes_buf(pk, 32);
    assert_int_equal(store_case_insert(f->s, NULL, lookup, pk, &c, err, sizeof err), 0);
    fields_set(&fl[0], "category", "discrimination", 14);
    fields_set(&fl[1], "severity", "", 0);
    assert_int_equal(fields_encode(fl, 1, enc), 0);
    assert_int_equal(envelope_seal(f->k.pub.x25519, 1, NULL, ENVELOPE_KIND_REPORT, c.ref, enc,
                                   fields_encoded_size(fl, 1), &env, &env_len, err, sizeof err), 0);
    assert_int_equal(store_record_add(f->s, c.id, STORE_AUDIENCE_CASEWORKERS, env, env_len, &record, err, sizeof err), 0);
    free(env);
    assert_int_equal(case_index_update(f->s, &f->k, f->state, &ix, err, sizeof err), 0);
    case_index_free(ix);
    assert_int_equal(ts_file_mode(f->file), 0600);
    assert_int_equal(ts_file_mode(f->state), 0700);
    /* Open it as the specification says. */
    file = ts_read_file(f->file, &len);
    assert_non_null(file);
    assert_int_equal(file[0], 5);
    spec_key_ad(f, key, ad);
    plain = malloc(len);
    assert_int_equal(crypto_aead_xchacha20poly1305_ietf_decrypt(plain, NULL, NULL, (unsigned char *)file + 25,
                                                                len - 25, ad, sizeof ad, (unsigned char *)file + 1, key), 0);
    plain_len = len - 25 - 16;
    assert_int_equal(bytes_load64_le(plain), 5);          /* generation */
    assert_int_equal(bytes_load64_le(plain + 8), 0);      /* last figures */
    assert_int_equal(bytes_load32_le(plain + 16), 1);     /* one entry */
    assert_int_equal((int64_t)bytes_load64_le(plain + 20), c.id);
    assert_int_equal(bytes_load64_le(plain + 28), 1);     /* its one record, seq 1 */
    assert_int_equal((int64_t)bytes_load64_le(plain + 36), record);
    assert_int_equal((int64_t)bytes_load64_le(plain + 44), record);   /* the report: the newest item */
    assert_int_equal(plain[52], 1);                       /* readable, not restricted */
    assert_int_equal(plain[53], 0);                       /* received: empty for a live case */
    assert_int_equal(plain[54], 0);                       /* no reply */
    assert_int_equal(plain[55], 0);                       /* not closed */
    assert_int_equal(plain[56], 14);
    assert_memory_equal(plain + 57, "discrimination", 14);
    assert_int_equal(plain_len, 20 + 33 + 9 + 14);
    free(plain);
    /* A damaged file is rebuilt, not trusted and not an error. */
    file[len - 1] ^= 1;
    ts_write_file(f->file, file, len);
    free(file);
    assert_int_equal(case_index_update(f->s, &f->k, f->state, &ix, err, sizeof err), 0);
    assert_non_null(case_index_find(ix, c.id));
    assert_string_equal(case_index_find(ix, c.id)->st.category, "discrimination");
    case_index_free(ix);
    /* A state folder that others may write to is not used: the index is built in memory. */
    assert_int_equal(unlink(f->file), 0);
    assert_int_equal(chmod(f->state, 0777), 0);
    assert_int_equal(case_index_update(f->s, &f->k, f->state, &ix, err, sizeof err), 0);
    assert_string_equal(case_index_find(ix, c.id)->st.category, "discrimination");
    case_index_free(ix);
    assert_int_equal(access(f->file, F_OK), -1);
    chmod(f->state, 0700);
}

/* Seals a report of category to the fixture's key and adds it to case c; returns its id. */
static int64_t add_report(fixture *f, const store_case *c, const char *category)
{
    unsigned char enc[64], *env;
    size_t env_len;
    field fl[1];
    int64_t id;
    char err[300];

    fields_set(&fl[0], "category", category, strlen(category));
    assert_int_equal(fields_encode(fl, 1, enc), 0);
    assert_int_equal(envelope_seal(f->k.pub.x25519, 1, NULL, ENVELOPE_KIND_REPORT, c->ref, enc,
                                   fields_encoded_size(fl, 1), &env, &env_len, err, sizeof err), 0);
    assert_int_equal(store_record_add(f->s, c->id, STORE_AUDIENCE_CASEWORKERS, env, env_len, &id, err, sizeof err), 0);
    free(env);
    return id;
}

static void test_a_database_that_went_back_and_grew_again_is_read_again(void **state)
{
    fixture *f = *state;
    unsigned char lookup[32], pk[32];
    store_case c;
    case_index *ix = NULL;
    char err[300], sql[128];
    int64_t first;

    randombytes_buf(lookup, 32);
    randombytes_buf(pk, 32);
    assert_int_equal(store_case_insert(f->s, NULL, lookup, pk, &c, err, sizeof err), 0);
    first = add_report(f, &c, "discrimination");
    assert_int_equal(case_index_update(f->s, &f->k, f->state, &ix, err, sizeof err), 0);
    assert_string_equal(case_index_find(ix, c.id)->st.category, "discrimination");
    case_index_free(ix);
    /* As after restoring an older backup: the record the index saw is gone, and another one now
     * holds the same seq. */
    snprintf(sql, sizeof sql, "DELETE FROM records WHERE id = %lld", (long long)first);
    assert_int_equal(sqlite3_exec(ts_store_db(f->s), sql, NULL, NULL, NULL), SQLITE_OK);
    add_report(f, &c, "bullying");
    assert_int_equal(case_index_update(f->s, &f->k, f->state, &ix, err, sizeof err), 0);
    assert_string_equal(case_index_find(ix, c.id)->st.category, "bullying");
    case_index_free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_the_specification_vector, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_file_written_from_the_specification_is_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_file_the_code_writes_reads_as_specified, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_database_that_went_back_and_grew_again_is_read_again, setup, teardown),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
