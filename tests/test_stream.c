/*
 * test_stream.c: attachments encrypted in chunks: round trips at every chunk boundary, and
 * truncation, reordering, dropping, altering and moving chunks all detected.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "stream.h"

static const char ref[] = "K7QM3-XH9A2";

/* The encrypted chunks of one attachment, as the store would keep them. */
typedef struct chunks {
    unsigned char *data[64];
    size_t len[64];
    size_t n;
} chunks;

static int collect(void *ctx, const unsigned char *chunk, size_t len)
{
    chunks *c = ctx;

    assert_true(c->n < 64);
    c->data[c->n] = malloc(len);
    memcpy(c->data[c->n], chunk, len);
    c->len[c->n++] = len;
    return 0;
}

static void chunks_free(chunks *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->data[i]);
    c->n = 0;
}

static unsigned char key[STREAM_KEYBYTES];

/* Encrypts len bytes of a pattern, written in pieces of `piece` bytes. */
static void encrypt(size_t len, size_t piece, unsigned char header[STREAM_HEADERBYTES], chunks *out)
{
    unsigned char *data = malloc(len + 1);
    stream_writer *w = stream_writer_new(key, ref, header);

    assert_non_null(w);
    for (size_t i = 0; i < len; i++)
        data[i] = (unsigned char)(i * 7 + i / 251);
    memset(out, 0, sizeof *out);
    for (size_t off = 0; off < len; off += piece)
        assert_int_equal(stream_writer_write(w, data + off, len - off < piece ? len - off : piece, collect, out), 0);
    assert_int_equal(stream_writer_finish(w, collect, out), 0);
    stream_writer_free(w);
    free(data);
}

/* Decrypts chunks; returns the first error, or 0 and checks the pattern of len bytes. */
static int decrypt(const unsigned char header[STREAM_HEADERBYTES], const char *case_ref,
                   const chunks *c, size_t expect_len)
{
    static unsigned char out[STREAM_MAX_CT];
    stream_reader *r = stream_reader_new(key, case_ref, header);
    size_t total = 0, got;
    int rc = 0;

    assert_non_null(r);
    for (size_t i = 0; i < c->n && rc == 0; i++) {
        rc = stream_reader_pull(r, c->data[i], c->len[i], out, &got);
        for (size_t j = 0; rc == 0 && j < got; j++, total++)
            if (out[j] != (unsigned char)(total * 7 + total / 251))
                fail_msg("byte %zu differs", total);
    }
    if (rc == 0)
        rc = stream_reader_finish(r);
    if (rc == 0)
        assert_int_equal(total, expect_len);
    stream_reader_free(r);
    return rc;
}

static void test_round_trip_at_every_chunk_boundary(void **state)
{
    const size_t sizes[] = {0, 1, 255, 256, STREAM_CHUNK - 1, STREAM_CHUNK, STREAM_CHUNK + 1,
                            3 * STREAM_CHUNK + 5, 4 * STREAM_CHUNK};
    unsigned char header[STREAM_HEADERBYTES];
    chunks c;

    (void)state;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        encrypt(sizes[i], 1000, header, &c);
        assert_int_equal(c.n, sizes[i] == 0 ? 1 : (sizes[i] + STREAM_CHUNK - 1) / STREAM_CHUNK);
        assert_int_equal(decrypt(header, ref, &c, sizes[i]), 0);
        chunks_free(&c);
    }
}

static void test_the_way_data_is_fed_does_not_change_the_chunking(void **state)
{
    unsigned char header[STREAM_HEADERBYTES];
    chunks a, b;

    (void)state;
    encrypt(2 * STREAM_CHUNK + 100, 1, header, &a);
    encrypt(2 * STREAM_CHUNK + 100, 3 * STREAM_CHUNK, header, &b);
    assert_int_equal(a.n, 3);
    assert_int_equal(b.n, 3);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(a.len[i], b.len[i]);
    chunks_free(&a);
    chunks_free(&b);
}

static void test_last_chunk_is_padded(void **state)
{
    unsigned char header[STREAM_HEADERBYTES];
    chunks a, b;

    (void)state;
    encrypt(STREAM_CHUNK + 1000, 4096, header, &a);
    encrypt(STREAM_CHUNK + 1020, 4096, header, &b);
    assert_int_equal(a.len[1], b.len[1]);
    assert_int_equal(a.len[1], 1024 + STREAM_ABYTES);
    chunks_free(&a);
    chunks_free(&b);
}

static void test_dropping_the_final_chunk_is_detected_as_truncation(void **state)
{
    unsigned char header[STREAM_HEADERBYTES];
    chunks c;

    (void)state;
    encrypt(3 * STREAM_CHUNK + 5, 8192, header, &c);
    free(c.data[--c.n]);
    assert_int_equal(decrypt(header, ref, &c, 0), ERR_TRUNCATED);
    {
        chunks none = {.n = 0};
        assert_int_equal(decrypt(header, ref, &none, 0), ERR_TRUNCATED);
    }
    chunks_free(&c);
}

static void test_dropped_or_reordered_chunks_fail(void **state)
{
    unsigned char header[STREAM_HEADERBYTES], *tmp;
    size_t tl;
    chunks c;

    (void)state;
    encrypt(3 * STREAM_CHUNK + 5, 8192, header, &c);
    tmp = c.data[1]; tl = c.len[1];
    c.data[1] = c.data[2]; c.len[1] = c.len[2];
    c.data[2] = tmp; c.len[2] = tl;
    assert_int_equal(decrypt(header, ref, &c, 0), ERR_AUTH);
    c.data[2] = c.data[1]; c.len[2] = c.len[1];
    c.data[1] = tmp; c.len[1] = tl;
    assert_int_equal(decrypt(header, ref, &c, 3 * STREAM_CHUNK + 5), 0);

    /* Drop chunk 1. */
    tmp = c.data[1];
    memmove(&c.data[1], &c.data[2], 2 * sizeof c.data[0]);
    memmove(&c.len[1], &c.len[2], 2 * sizeof c.len[0]);
    c.n--;
    assert_int_equal(decrypt(header, ref, &c, 0), ERR_AUTH);
    free(tmp);
    chunks_free(&c);
}

static void test_altered_chunk_wrong_case_or_wrong_header_fails(void **state)
{
    unsigned char header[STREAM_HEADERBYTES], other[STREAM_HEADERBYTES];
    chunks c, d;

    (void)state;
    encrypt(STREAM_CHUNK + 5, 8192, header, &c);
    c.data[1][c.len[1] / 2] ^= 1;
    assert_int_equal(decrypt(header, ref, &c, 0), ERR_AUTH);
    c.data[1][c.len[1] / 2] ^= 1;
    assert_int_equal(decrypt(header, "K7QM3-XH9A3", &c, 0), ERR_AUTH);
    encrypt(STREAM_CHUNK + 5, 8192, other, &d);
    assert_int_equal(decrypt(other, ref, &c, 0), ERR_AUTH);
    /* A chunk from another attachment of the same case, same key, is refused too. */
    free(c.data[1]);
    c.data[1] = d.data[1];
    c.len[1] = d.len[1];
    d.data[1] = NULL;
    assert_int_equal(decrypt(header, ref, &c, 0), ERR_AUTH);
    chunks_free(&c);
    chunks_free(&d);
}

static void test_a_chunk_after_the_final_one_is_refused(void **state)
{
    unsigned char header[STREAM_HEADERBYTES];
    chunks c;

    (void)state;
    encrypt(10, 10, header, &c);
    c.data[1] = malloc(c.len[0]);
    memcpy(c.data[1], c.data[0], c.len[0]);
    c.len[1] = c.len[0];
    c.n = 2;
    assert_int_equal(decrypt(header, ref, &c, 0), ERR_FORMAT);
    chunks_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_at_every_chunk_boundary),
        cmocka_unit_test(test_the_way_data_is_fed_does_not_change_the_chunking),
        cmocka_unit_test(test_last_chunk_is_padded),
        cmocka_unit_test(test_dropping_the_final_chunk_is_detected_as_truncation),
        cmocka_unit_test(test_dropped_or_reordered_chunks_fail),
        cmocka_unit_test(test_altered_chunk_wrong_case_or_wrong_header_fails),
        cmocka_unit_test(test_a_chunk_after_the_final_one_is_refused),
    };

    if (sodium_init() < 0)
        return 1;
    randombytes_buf(key, sizeof key);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
