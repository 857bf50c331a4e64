/*
 * test_receipt.c: receipts and case references as a reporter and a caseworker type them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "caseref.h"
#include "errors.h"
#include "receipt.h"

static void test_receipt_is_24_symbols_in_six_groups_without_lookalikes(void **state)
{
    unsigned char raw[RECEIPT_BYTES];
    char text[RECEIPT_TEXT_SIZE];

    (void)state;
    for (int i = 0; i < 200; i++) {
        receipt_generate(raw);
        receipt_format(raw, text);
        assert_int_equal(strlen(text), 29);
        for (int j = 0; j < 29; j++) {
            if (j % 5 == 4) {
                assert_int_equal(text[j], '-');
                continue;
            }
            assert_true(isdigit((unsigned char)text[j]) || isupper((unsigned char)text[j]));
            assert_null(strchr("ILOU", text[j]));
        }
    }
}

static void test_receipt_round_trips(void **state)
{
    unsigned char raw[RECEIPT_BYTES], back[RECEIPT_BYTES];
    char text[RECEIPT_TEXT_SIZE];

    (void)state;
    receipt_generate(raw);
    receipt_format(raw, text);
    assert_int_equal(receipt_parse(text, back), 0);
    assert_memory_equal(raw, back, RECEIPT_BYTES);
}

static void test_receipt_parses_in_any_case_with_or_without_spaces_and_dashes(void **state)
{
    unsigned char raw[RECEIPT_BYTES], back[RECEIPT_BYTES];
    char text[RECEIPT_TEXT_SIZE], typed[80];
    size_t n = 0;

    (void)state;
    receipt_generate(raw);
    receipt_format(raw, text);

    for (size_t i = 0; text[i]; i++)
        typed[i] = (char)tolower((unsigned char)text[i]);
    typed[strlen(text)] = '\0';
    assert_int_equal(receipt_parse(typed, back), 0);
    assert_memory_equal(raw, back, RECEIPT_BYTES);

    for (size_t i = 0; text[i]; i++)
        if (text[i] != '-')
            typed[n++] = text[i];
    typed[n] = '\0';
    assert_int_equal(receipt_parse(typed, back), 0);
    assert_memory_equal(raw, back, RECEIPT_BYTES);

    n = 0;
    typed[n++] = ' ';
    for (size_t i = 0; text[i]; i++) {
        typed[n++] = text[i] == '-' ? ' ' : text[i];
        if (i % 3 == 0)
            typed[n++] = ' ';
    }
    typed[n++] = ' ';
    typed[n] = '\0';
    assert_int_equal(receipt_parse(typed, back), 0);
    assert_memory_equal(raw, back, RECEIPT_BYTES);
}

static void test_receipt_reads_lookalikes_as_digits(void **state)
{
    unsigned char a[RECEIPT_BYTES], b[RECEIPT_BYTES];

    (void)state;
    assert_int_equal(receipt_parse("0000-1111-0000-1111-0000-1111", a), 0);
    assert_int_equal(receipt_parse("oOoO-iIlL-OOOO-1iL1-0o00-LLLL", b), 0);
    assert_memory_equal(a, b, RECEIPT_BYTES);
}

static void test_receipt_rejects_wrong_length_and_foreign_characters(void **state)
{
    unsigned char raw[RECEIPT_BYTES];

    (void)state;
    assert_int_equal(receipt_parse("", raw), ERR_FORMAT);
    assert_int_equal(receipt_parse("7KQM-3XH9-7KQM-3XH9-7KQM-3XH", raw), ERR_FORMAT);
    assert_int_equal(receipt_parse("7KQM-3XH9-7KQM-3XH9-7KQM-3XH99", raw), ERR_FORMAT);
    assert_int_equal(receipt_parse("7KQM-3XH9-7KQM-3XH9-7KQM-3XHU", raw), ERR_FORMAT);
    assert_int_equal(receipt_parse("7KQM-3XH9-7KQM-3XH9-7KQM-3XH!", raw), ERR_FORMAT);
    assert_int_equal(receipt_parse("7KQM.3XH9.7KQM.3XH9.7KQM.3XH9", raw), ERR_FORMAT);
}

static void test_receipt_keys_are_deterministic_and_distinct(void **state)
{
    unsigned char raw[RECEIPT_BYTES], other[RECEIPT_BYTES], pk[32];
    receipt_keys *a, *b, *c;

    (void)state;
    receipt_generate(raw);
    memcpy(other, raw, RECEIPT_BYTES);
    other[RECEIPT_BYTES - 1] ^= 0x80;
    a = receipt_keys_derive(raw);
    b = receipt_keys_derive(raw);
    c = receipt_keys_derive(other);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_memory_equal(a, b, sizeof *a);
    assert_memory_not_equal(a->lookup, c->lookup, 32);
    assert_memory_not_equal(a->box_pk, c->box_pk, 32);
    assert_memory_not_equal(a->lookup, a->secret, 32);
    assert_memory_not_equal(a->lookup, a->box_sk, 32);
    /* The public half really belongs to the secret half. */
    crypto_scalarmult_base(pk, a->box_sk);
    assert_memory_equal(pk, a->box_pk, 32);
    receipt_keys_free(a);
    receipt_keys_free(b);
    receipt_keys_free(c);
    receipt_keys_free(NULL);
}

/* The vector published in SECURITY.md, so an independent implementation can check itself. */
static void test_receipt_matches_the_published_test_vector(void **state)
{
    static const unsigned char raw[RECEIPT_BYTES] = {0x03, 0x14, 0x25, 0x36, 0x47, 0x58, 0x69, 0x7a,
                                                     0x8b, 0x9c, 0xad, 0xbe, 0xcf, 0xe0, 0xf1};
    char text[RECEIPT_TEXT_SIZE], hex[65];
    receipt_keys *k;

    (void)state;
    receipt_format(raw, text);
    assert_string_equal(text, "0CA2-ADJ7-B1MQ-N2WW-NPZC-ZR7H");
    k = receipt_keys_derive(raw);
    sodium_bin2hex(hex, sizeof hex, k->lookup, 32);
    assert_string_equal(hex, "a503e36ea682ccda67965a4acca87e475f88d6b5d42b5321d2f4c1bace3d0884");
    sodium_bin2hex(hex, sizeof hex, k->box_pk, 32);
    assert_string_equal(hex, "ddf1e8640a1e4daa770fe31025bf88d3c3a4057d4ad10a981f7c8501ab702278");
    sodium_bin2hex(hex, sizeof hex, k->secret, 32);
    assert_string_equal(hex, "7c564085557887a993801299fb748dee6efd1bbca6732062c52e97f4cd38d37f");
    receipt_keys_free(k);
}

static void test_receipt_box_opens_only_with_its_receipt_and_case(void **state)
{
    unsigned char raw[RECEIPT_BYTES], *box, *plain;
    size_t box_len, len;
    receipt_keys *k, *other;

    (void)state;
    receipt_generate(raw);
    k = receipt_keys_derive(raw);
    raw[0] ^= 1;
    other = receipt_keys_derive(raw);
    assert_int_equal(receipt_box_seal(k, "K7QM3-XH9A2", (const unsigned char *)"left out: 0011", 14, &box, &box_len), 0);
    assert_int_equal(box_len, RECEIPT_BOX_MIN_PAD + RECEIPT_BOX_OVERHEAD);   /* padded */
    assert_int_equal(receipt_box_open(k, "K7QM3-XH9A2", box, box_len, &plain, &len), 0);
    assert_int_equal(len, 14);
    assert_memory_equal(plain, "left out: 0011", 14);
    sodium_free(plain);
    assert_int_equal(receipt_box_open(other, "K7QM3-XH9A2", box, box_len, &plain, &len), ERR_AUTH);
    assert_int_equal(receipt_box_open(k, "K7QM3-XH9A3", box, box_len, &plain, &len), ERR_AUTH);
    for (size_t i = 0; i < box_len; i++) {
        box[i] ^= 0x10;
        assert_int_not_equal(receipt_box_open(k, "K7QM3-XH9A2", box, box_len, &plain, &len), 0);
        box[i] ^= 0x10;
    }
    assert_int_equal(receipt_box_open(k, "K7QM3-XH9A2", box, RECEIPT_BOX_OVERHEAD - 1, &plain, &len), ERR_FORMAT);
    free(box);
    receipt_keys_free(k);
    receipt_keys_free(other);
}

static void test_caseref_is_random_and_normalizes_typed_forms(void **state)
{
    char a[CASEREF_TEXT_SIZE], b[CASEREF_TEXT_SIZE], norm[CASEREF_TEXT_SIZE], typed[CASEREF_TEXT_SIZE];

    (void)state;
    caseref_generate(a);
    caseref_generate(b);
    assert_int_equal(strlen(a), 11);
    assert_int_equal(a[5], '-');
    assert_string_not_equal(a, b);
    for (int i = 0; a[i]; i++)
        typed[i] = (char)tolower((unsigned char)a[i]);
    typed[11] = '\0';
    assert_int_equal(caseref_normalize(typed, norm), 0);
    assert_string_equal(norm, a);
    memmove(typed + 5, typed + 6, 6);
    assert_int_equal(caseref_normalize(typed, norm), 0);
    assert_string_equal(norm, a);
    assert_int_equal(caseref_normalize("ABCDE-FGHJ", norm), ERR_FORMAT);
    assert_int_equal(caseref_normalize("ABCDE-FGHJZZ", norm), ERR_FORMAT);
    assert_int_equal(caseref_normalize("ABCDE-FGHJU", norm), ERR_FORMAT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_receipt_is_24_symbols_in_six_groups_without_lookalikes),
        cmocka_unit_test(test_receipt_round_trips),
        cmocka_unit_test(test_receipt_parses_in_any_case_with_or_without_spaces_and_dashes),
        cmocka_unit_test(test_receipt_reads_lookalikes_as_digits),
        cmocka_unit_test(test_receipt_rejects_wrong_length_and_foreign_characters),
        cmocka_unit_test(test_receipt_keys_are_deterministic_and_distinct),
        cmocka_unit_test(test_receipt_matches_the_published_test_vector),
        cmocka_unit_test(test_receipt_box_opens_only_with_its_receipt_and_case),
        cmocka_unit_test(test_caseref_is_random_and_normalizes_typed_forms),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
