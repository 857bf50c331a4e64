/*
 * test_fields.c: the named-value encoding inside sealed records: round trip, repeated names,
 * binary values, and every truncation or malformed length refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "fields.h"

static void test_round_trip_keeps_order_repeats_and_binary_values(void **state)
{
    const unsigned char key[4] = {0, 0xff, 0, 7};
    field in[4], out[8];
    size_t n, size;
    unsigned char *buf;

    (void)state;
    fields_set(&in[0], "category", "bullying", 8);
    fields_set(&in[1], "exclude", "0011223344556677", 16);
    fields_set(&in[2], "exclude", "8899aabbccddeeff", 16);
    fields_set(&in[3], "key", key, sizeof key);
    size = fields_encoded_size(in, 4);
    buf = malloc(size);
    assert_int_equal(fields_encode(in, 4, buf), 0);
    assert_int_equal(fields_decode(buf, size, out, 8, &n), 0);
    assert_int_equal(n, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(out[i].name, in[i].name);
        assert_int_equal(out[i].len, in[i].len);
        assert_memory_equal(out[i].value, in[i].value, in[i].len);
    }
    assert_ptr_equal(fields_find(out, n, "exclude"), &out[1]);
    assert_null(fields_find(out, n, "description"));
    free(buf);
}

static void test_empty_values_and_empty_lists_round_trip(void **state)
{
    field in[1], out[2];
    unsigned char buf[16];
    size_t n;

    (void)state;
    fields_set(&in[0], "when", "", 0);
    assert_int_equal(fields_encode(in, 1, buf), 0);
    assert_int_equal(fields_decode(buf, fields_encoded_size(in, 1), out, 2, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].len, 0);
    assert_int_equal(fields_encode(in, 0, buf), 0);
    assert_int_equal(fields_decode(buf, 1, out, 2, &n), 0);
    assert_int_equal(n, 0);
}

static void test_every_truncation_is_refused(void **state)
{
    field in[2], out[4];
    unsigned char buf[64];
    size_t n, size;

    (void)state;
    fields_set(&in[0], "description", "what happened", 13);
    fields_set(&in[1], "where", "office", 6);
    size = fields_encoded_size(in, 2);
    assert_int_equal(fields_encode(in, 2, buf), 0);
    for (size_t len = 0; len < size; len++) {
        int rc = fields_decode(buf, len, out, 4, &n);
        /* Cutting exactly between entries leaves a shorter valid list; anything else is refused. */
        if (len == 1 || len == 1 + 1 + 11 + 4 + 13)
            assert_int_equal(rc, 0);
        else
            assert_int_equal(rc, ERR_FORMAT);
    }
}

static void test_bad_versions_names_and_counts_are_refused(void **state)
{
    const unsigned char bad_version[] = {2};
    const unsigned char empty_name[] = {1, 0, 0, 0, 0, 0};
    const unsigned char nul_in_name[] = {1, 2, 'a', 0, 0, 0, 0, 0};
    const unsigned char huge_value[] = {1, 1, 'a', 0xff, 0xff, 0xff, 0xff};
    field in[3], out[2];
    unsigned char buf[64];
    size_t n;

    (void)state;
    assert_int_equal(fields_decode(bad_version, sizeof bad_version, out, 2, &n), ERR_FORMAT);
    assert_int_equal(fields_decode(empty_name, sizeof empty_name, out, 2, &n), ERR_FORMAT);
    assert_int_equal(fields_decode(nul_in_name, sizeof nul_in_name, out, 2, &n), ERR_FORMAT);
    assert_int_equal(fields_decode(huge_value, sizeof huge_value, out, 2, &n), ERR_FORMAT);
    for (int i = 0; i < 3; i++)
        fields_set(&in[i], "x", "v", 1);
    assert_int_equal(fields_encode(in, 3, buf), 0);
    assert_int_equal(fields_decode(buf, fields_encoded_size(in, 3), out, 2, &n), ERR_LIMIT);
    fields_set(&in[0], "", "v", 1);
    assert_int_equal(fields_encode(in, 1, buf), ERR_LIMIT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_keeps_order_repeats_and_binary_values),
        cmocka_unit_test(test_empty_values_and_empty_lists_round_trip),
        cmocka_unit_test(test_every_truncation_is_refused),
        cmocka_unit_test(test_bad_versions_names_and_counts_are_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
