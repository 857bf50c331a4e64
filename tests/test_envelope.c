/*
 * test_envelope.c: sealed records for one and several caseworkers, and every way a stored
 * record can be altered, moved or mislabelled.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "envelope.h"
#include "errors.h"
#include "test_support.h"

#define NKEYS 4
static unsigned char pks[NKEYS][32], sks[NKEYS][32];
static const char text[] = "On 3 March my supervisor said that my contract depended on ...";
static const char ref[] = "K7QM3-XH9A2";

static unsigned char *seal(size_t n, const unsigned char *include, size_t *len)
{
    unsigned char *env;
    char err[200];

    assert_int_equal(envelope_seal(&pks[0][0], n, include, ENVELOPE_KIND_REPORT, ref,
                                   (const unsigned char *)text, strlen(text), &env, len, err, sizeof err), 0);
    return env;
}

static int open_as(int who, enum envelope_kind kind, const char *case_ref,
                   const unsigned char *env, size_t len)
{
    unsigned char *plain;
    size_t plain_len;
    char err[200];
    int rc = envelope_open(pks[who], sks[who], kind, case_ref, env, len, &plain, &plain_len, err, sizeof err);

    if (rc == 0) {
        assert_int_equal(plain_len, strlen(text));
        assert_memory_equal(plain, text, plain_len);
        assert_int_equal(plain[plain_len], '\0');
        sodium_free(plain);
    } else {
        assert_null(plain);
    }
    return rc;
}

static void test_one_recipient_round_trip(void **state)
{
    size_t len;
    unsigned char *env = seal(1, NULL, &len);

    (void)state;
    assert_int_equal(len, envelope_sealed_size(1, strlen(text)));
    assert_int_equal(bytes_load16_le(env + 4), 1);
    assert_int_equal(open_as(0, ENVELOPE_KIND_REPORT, ref, env, len), 0);
    assert_false(ts_contains(env, len, "supervisor"));
    free(env);
}

static void test_three_recipients_each_open_and_a_fourth_cannot(void **state)
{
    size_t len;
    unsigned char *env = seal(3, NULL, &len);

    (void)state;
    assert_int_equal(bytes_load16_le(env + 4), 3);
    for (int who = 0; who < 3; who++)
        assert_int_equal(open_as(who, ENVELOPE_KIND_REPORT, ref, env, len), 0);
    assert_int_equal(open_as(3, ENVELOPE_KIND_REPORT, ref, env, len), ERR_NOT_RECIPIENT);
    free(env);
}

static void test_left_out_recipient_cannot_open_yet_slot_count_is_unchanged(void **state)
{
    const unsigned char include[3] = {1, 0, 1};
    size_t len, full_len;
    unsigned char *env = seal(3, include, &len), *full = seal(3, NULL, &full_len);

    (void)state;
    assert_int_equal(len, full_len);
    assert_int_equal(bytes_load16_le(env + 4), 3);
    assert_int_equal(open_as(0, ENVELOPE_KIND_REPORT, ref, env, len), 0);
    assert_int_equal(open_as(1, ENVELOPE_KIND_REPORT, ref, env, len), ERR_NOT_RECIPIENT);
    assert_int_equal(open_as(2, ENVELOPE_KIND_REPORT, ref, env, len), 0);
    free(env);
    free(full);
}

static void test_dummy_slots_have_the_shape_of_real_ones(void **state)
{
    const unsigned char include[3] = {0, 1, 0};

    (void)state;
    /* A sealed box starts with an X25519 public key, whose top bit is always clear. Random
     * bytes would set it half the time and give a left-out recipient's dummy slot away. */
    for (int i = 0; i < 64; i++) {
        size_t len;
        unsigned char *env = seal(3, include, &len);
        for (int s = 0; s < 3; s++)
            assert_int_equal(env[ENVELOPE_HEADERBYTES + s * ENVELOPE_SLOTBYTES + 31] & 0x80, 0);
        free(env);
    }
}

static void test_slot_positions_are_shuffled(void **state)
{
    const unsigned char include[3] = {1, 0, 0};
    int seen[3] = {0, 0, 0};

    (void)state;
    for (int i = 0; i < 60; i++) {
        size_t len;
        unsigned char *env = seal(3, include, &len);
        /* Which position opens with recipient 0's key? Try each slot alone. */
        for (int s = 0; s < 3; s++) {
            unsigned char key[32];
            if (crypto_box_seal_open(key, env + ENVELOPE_HEADERBYTES + s * ENVELOPE_SLOTBYTES,
                                     ENVELOPE_SLOTBYTES, pks[0], sks[0]) == 0)
                seen[s]++;
        }
        free(env);
    }
    assert_true(seen[0] > 0 && seen[1] > 0 && seen[2] > 0);
    assert_int_equal(seen[0] + seen[1] + seen[2], 60);
}

static void test_every_flipped_byte_fails_to_open(void **state)
{
    size_t len;
    unsigned char *env = seal(3, NULL, &len);

    (void)state;
    for (size_t i = 0; i < len; i++) {
        env[i] ^= 0x01;
        int rc = open_as(0, ENVELOPE_KIND_REPORT, ref, env, len);
        if (rc == 0)
            fail_msg("flipping byte %zu went unnoticed", i);
        env[i] ^= 0x01;
    }
    free(env);
}

static void test_record_moved_to_another_case_fails(void **state)
{
    size_t len;
    unsigned char *env = seal(1, NULL, &len);

    (void)state;
    assert_int_equal(open_as(0, ENVELOPE_KIND_REPORT, "K7QM3-XH9A3", env, len), ERR_AUTH);
    assert_int_equal(open_as(0, ENVELOPE_KIND_REPORT, "", env, len), ERR_AUTH);
    free(env);
}

static void test_record_passed_off_as_another_kind_fails(void **state)
{
    size_t len;
    unsigned char *env = seal(1, NULL, &len);

    (void)state;
    assert_int_equal(open_as(0, ENVELOPE_KIND_REPLY, ref, env, len), ERR_AUTH);
    assert_int_equal(open_as(0, ENVELOPE_KIND_NOTE, ref, env, len), ERR_AUTH);
    free(env);
}

static void test_open_any_reports_the_kind_and_open_key_the_content_key(void **state)
{
    size_t len, plain_len;
    unsigned char *env = seal(3, NULL, &len), *plain, *key = sodium_malloc(ENVELOPE_KEYBYTES);
    enum envelope_kind kind = 0;
    char err[200];

    (void)state;
    assert_int_equal(envelope_open_any(pks[2], sks[2], ref, env, len, &kind, &plain, &plain_len, err, sizeof err), 0);
    assert_int_equal(kind, ENVELOPE_KIND_REPORT);
    assert_memory_equal(plain, text, plain_len);
    sodium_free(plain);
    assert_int_equal(envelope_open_any(pks[3], sks[3], ref, env, len, &kind, &plain, &plain_len, err, sizeof err), ERR_NOT_RECIPIENT);
    assert_int_equal(envelope_open_key(pks[1], sks[1], env, len, key, err, sizeof err), 0);
    assert_int_equal(envelope_open_key(pks[3], sks[3], env, len, key, err, sizeof err), ERR_NOT_RECIPIENT);
    env[ENVELOPE_HEADERBYTES + 3 * ENVELOPE_SLOTBYTES] ^= 1;   /* the commitment */
    assert_int_equal(envelope_open_key(pks[1], sks[1], env, len, key, err, sizeof err), ERR_AUTH);
    sodium_free(key);
    free(env);
}

static void test_adding_a_recipient_keeps_every_reader(void **state)
{
    const unsigned char include[3] = {1, 1, 0};
    size_t len, len2;
    unsigned char *env = seal(3, include, &len), *env2;
    char err[200];

    (void)state;
    assert_int_equal(open_as(2, ENVELOPE_KIND_REPORT, ref, env, len), ERR_NOT_RECIPIENT);
    assert_int_equal(envelope_add_recipient(pks[1], sks[1], ref, env, len, pks[2], &env2, &len2, err, sizeof err), 0);
    assert_int_equal(bytes_load16_le(env2 + 4), 4);
    for (int who = 0; who < 3; who++)
        assert_int_equal(open_as(who, ENVELOPE_KIND_REPORT, ref, env2, len2), 0);
    assert_int_equal(open_as(3, ENVELOPE_KIND_REPORT, ref, env2, len2), ERR_NOT_RECIPIENT);
    /* only a reader can share */
    free(env2);
    assert_int_equal(envelope_add_recipient(pks[3], sks[3], ref, env, len, pks[3], &env2, &len2, err, sizeof err), ERR_NOT_RECIPIENT);
    assert_null(env2);
    free(env);
}

static void test_resealing_keeps_every_reader_and_the_slots(void **state)
{
    const unsigned char include[3] = {1, 1, 0};
    static const char other[] = "renumbered";
    unsigned char *env2, *plain;
    size_t len, len2, plain_len;
    unsigned char *env = seal(3, include, &len);
    char err[200];

    (void)state;
    assert_int_equal(envelope_reseal(pks[0], sks[0], ENVELOPE_KIND_REPORT, ref, env, len, (const unsigned char *)other,
                                     strlen(other), &env2, &len2, err, sizeof err), 0);
    /* the same slots, so the same readers, and new content under a new nonce */
    assert_memory_equal(env2, env, ENVELOPE_HEADERBYTES + 3 * ENVELOPE_SLOTBYTES + ENVELOPE_COMMITBYTES);
    assert_int_equal(envelope_open(pks[1], sks[1], ENVELOPE_KIND_REPORT, ref, env2, len2, &plain, &plain_len, err,
                                   sizeof err), 0);
    assert_int_equal(plain_len, strlen(other));
    assert_memory_equal(plain, other, plain_len);
    sodium_free(plain);
    assert_int_equal(open_as(2, ENVELOPE_KIND_REPORT, ref, env2, len2), ERR_NOT_RECIPIENT);
    free(env2);
    /* only a reader can reseal, and only as the kind the record is */
    assert_int_equal(envelope_reseal(pks[2], sks[2], ENVELOPE_KIND_REPORT, ref, env, len, (const unsigned char *)other,
                                     strlen(other), &env2, &len2, err, sizeof err), ERR_NOT_RECIPIENT);
    assert_null(env2);
    assert_int_equal(envelope_reseal(pks[0], sks[0], ENVELOPE_KIND_NOTE, ref, env, len, (const unsigned char *)other,
                                     strlen(other), &env2, &len2, err, sizeof err), ERR_AUTH);
    assert_null(env2);
    free(env);
}

static void test_the_kind_is_not_visible_from_outside(void **state)
{
    unsigned char *a, *b;
    size_t alen, blen;
    char err[200];

    (void)state;
    assert_int_equal(envelope_seal(pks[0], 1, NULL, ENVELOPE_KIND_REPORT, ref, (const unsigned char *)"x", 1, &a, &alen, err, sizeof err), 0);
    assert_int_equal(envelope_seal(pks[0], 1, NULL, ENVELOPE_KIND_NOTE, ref, (const unsigned char *)"x", 1, &b, &blen, err, sizeof err), 0);
    assert_int_equal(alen, blen);
    assert_memory_equal(a, b, ENVELOPE_HEADERBYTES);
    free(a);
    free(b);
}

static void test_a_slot_holding_another_key_is_caught_by_the_commitment(void **state)
{
    size_t len;
    unsigned char *env = seal(2, NULL, &len), other_key[ENVELOPE_KEYBYTES];

    (void)state;
    /* Whoever can write the database re-seals one slot to recipient 0 with a different key. */
    randombytes_buf(other_key, sizeof other_key);
    for (int s = 0; s < 2; s++) {
        unsigned char key[ENVELOPE_KEYBYTES];
        unsigned char *slot = env + ENVELOPE_HEADERBYTES + s * ENVELOPE_SLOTBYTES;
        if (crypto_box_seal_open(key, slot, ENVELOPE_SLOTBYTES, pks[0], sks[0]) == 0)
            assert_int_equal(crypto_box_seal(slot, other_key, sizeof other_key, pks[0]), 0);
    }
    assert_int_equal(open_as(0, ENVELOPE_KIND_REPORT, ref, env, len), ERR_AUTH);
    assert_int_equal(open_as(1, ENVELOPE_KIND_REPORT, ref, env, len), ERR_AUTH);
    free(env);
}

static void test_truncated_records_fail(void **state)
{
    size_t len;
    unsigned char *env = seal(2, NULL, &len);

    (void)state;
    for (size_t cut = 0; cut < len; cut += 7)
        assert_int_not_equal(open_as(0, ENVELOPE_KIND_REPORT, ref, env, cut), 0);
    assert_int_not_equal(open_as(0, ENVELOPE_KIND_REPORT, ref, env, len - 1), 0);
    free(env);
}

static void test_padding_hides_the_exact_length(void **state)
{
    (void)state;
    /* One byte of each bucket carries the sealed kind. */
    assert_int_equal(envelope_sealed_size(1, 0), envelope_sealed_size(1, 254));
    assert_int_equal(envelope_sealed_size(1, 300), envelope_sealed_size(1, 510));
    assert_true(envelope_sealed_size(1, 255) > envelope_sealed_size(1, 254));
    assert_int_equal(envelope_pad_bucket(64 * 1024), 128 * 1024);
    assert_int_equal(envelope_pad_bucket((size_t)-1), 0);
    assert_int_equal(envelope_sealed_size(1, ENVELOPE_MAX_PLAIN + 1), 0);
}

static void test_empty_and_largest_plaintexts_round_trip(void **state)
{
    unsigned char *env, *plain, *big = calloc(1, ENVELOPE_MAX_PLAIN + 1);
    size_t len, plain_len;
    char err[200];

    (void)state;
    assert_int_equal(envelope_seal(pks[0], 1, NULL, ENVELOPE_KIND_NOTE, ref, NULL, 0, &env, &len, err, sizeof err), 0);
    assert_int_equal(envelope_open(pks[0], sks[0], ENVELOPE_KIND_NOTE, ref, env, len, &plain, &plain_len, err, sizeof err), 0);
    assert_int_equal(plain_len, 0);
    sodium_free(plain);
    free(env);

    big[ENVELOPE_MAX_PLAIN - 1] = 'z';
    assert_int_equal(envelope_seal(pks[0], 1, NULL, ENVELOPE_KIND_NOTE, ref, big, ENVELOPE_MAX_PLAIN, &env, &len, err, sizeof err), 0);
    assert_int_equal(envelope_open(pks[0], sks[0], ENVELOPE_KIND_NOTE, ref, env, len, &plain, &plain_len, err, sizeof err), 0);
    assert_int_equal(plain_len, ENVELOPE_MAX_PLAIN);
    assert_int_equal(plain[ENVELOPE_MAX_PLAIN - 1], 'z');
    sodium_free(plain);
    free(env);
    assert_int_equal(envelope_seal(pks[0], 1, NULL, ENVELOPE_KIND_NOTE, ref, big, ENVELOPE_MAX_PLAIN + 1, &env, &len, err, sizeof err), ERR_LIMIT);
    assert_null(env);
    free(big);
}

static void test_seal_refuses_no_readable_recipient(void **state)
{
    const unsigned char none[2] = {0, 0};
    unsigned char *env;
    size_t len;
    char err[200];

    (void)state;
    assert_int_equal(envelope_seal(&pks[0][0], 2, none, ENVELOPE_KIND_REPORT, ref, (const unsigned char *)"x", 1, &env, &len, err, sizeof err), ERR_LIMIT);
    assert_int_equal(envelope_seal(&pks[0][0], 0, NULL, ENVELOPE_KIND_REPORT, ref, (const unsigned char *)"x", 1, &env, &len, err, sizeof err), ERR_LIMIT);
}

static void test_unknown_version_is_a_format_error(void **state)
{
    size_t len;
    unsigned char *env = seal(1, NULL, &len);

    (void)state;
    env[0] = 2;
    assert_int_equal(open_as(0, ENVELOPE_KIND_REPORT, ref, env, len), ERR_FORMAT);
    free(env);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_recipient_round_trip),
        cmocka_unit_test(test_three_recipients_each_open_and_a_fourth_cannot),
        cmocka_unit_test(test_left_out_recipient_cannot_open_yet_slot_count_is_unchanged),
        cmocka_unit_test(test_dummy_slots_have_the_shape_of_real_ones),
        cmocka_unit_test(test_slot_positions_are_shuffled),
        cmocka_unit_test(test_every_flipped_byte_fails_to_open),
        cmocka_unit_test(test_record_moved_to_another_case_fails),
        cmocka_unit_test(test_record_passed_off_as_another_kind_fails),
        cmocka_unit_test(test_the_kind_is_not_visible_from_outside),
        cmocka_unit_test(test_adding_a_recipient_keeps_every_reader),
        cmocka_unit_test(test_resealing_keeps_every_reader_and_the_slots),
        cmocka_unit_test(test_open_any_reports_the_kind_and_open_key_the_content_key),
        cmocka_unit_test(test_a_slot_holding_another_key_is_caught_by_the_commitment),
        cmocka_unit_test(test_truncated_records_fail),
        cmocka_unit_test(test_padding_hides_the_exact_length),
        cmocka_unit_test(test_empty_and_largest_plaintexts_round_trip),
        cmocka_unit_test(test_seal_refuses_no_readable_recipient),
        cmocka_unit_test(test_unknown_version_is_a_format_error),
    };

    if (sodium_init() < 0)
        return 1;
    for (int i = 0; i < NKEYS; i++)
        crypto_box_keypair(pks[i], sks[i]);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
