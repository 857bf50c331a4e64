/*
 * test_pubkey.c: `.pub` lines and recipients files as an administrator writes them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "pubkey.h"
#include "test_support.h"

static pubkey make_key(const char *name)
{
    pubkey pk;
    unsigned char sk[64];

    memset(&pk, 0, sizeof pk);
    crypto_box_keypair(pk.x25519, sk);
    crypto_sign_keypair(pk.ed25519, sk);
    pubkey_compute_id(pk.x25519, pk.ed25519, pk.key_id);
    snprintf(pk.name, sizeof pk.name, "%s", name);
    return pk;
}

static void test_line_round_trips(void **state)
{
    pubkey pk = make_key("Amélie Dupont"), back;
    char line[PUBKEY_LINE_MAX], err[200];

    (void)state;
    pubkey_format(&pk, line);
    assert_int_equal(strncmp(line, "cwpub1 ", 7), 0);
    assert_int_equal(line[strlen(line) - 1], '\n');
    assert_int_equal(pubkey_parse(line, &back, err, sizeof err), 0);
    assert_memory_equal(&pk, &back, sizeof pk);
    line[strlen(line) - 1] = '\0';
    assert_int_equal(pubkey_parse(line, &back, err, sizeof err), 0);
    assert_string_equal(back.name, "Amélie Dupont");
}

static void test_parse_refuses_a_line_whose_key_id_does_not_match(void **state)
{
    pubkey pk = make_key("alice"), back;
    char line[PUBKEY_LINE_MAX], err[200];

    (void)state;
    pubkey_format(&pk, line);
    line[7] = line[7] == 'a' ? 'b' : 'a';
    assert_int_equal(pubkey_parse(line, &back, err, sizeof err), ERR_FORMAT);
    assert_non_null(strstr(err, "key id does not match"));
}

static void test_parse_refuses_any_changed_character_of_the_keys(void **state)
{
    pubkey pk = make_key("alice"), back;
    char line[PUBKEY_LINE_MAX], err[200];
    size_t keys_end;

    (void)state;
    pubkey_format(&pk, line);
    keys_end = strlen(line) - strlen(" alice\n");
    for (size_t i = 0; i < keys_end; i++) {
        char saved = line[i];
        line[i] = saved == '0' ? '1' : '0';   /* a different value in hex and in base64 */
        if (pubkey_parse(line, &back, err, sizeof err) != ERR_FORMAT)
            fail_msg("changing character %zu of \"%s\" went unnoticed", i, line);
        line[i] = saved;
    }
}

static void test_parse_refuses_weak_or_invalid_keys_even_with_a_matching_id(void **state)
{
    pubkey pk = make_key("mallory"), back;
    char line[PUBKEY_LINE_MAX], err[300];

    (void)state;
    /* An all-zero X25519 key (small order) would make every seal fail or be readable by all. */
    memset(pk.x25519, 0, 32);
    pubkey_compute_id(pk.x25519, pk.ed25519, pk.key_id);
    pubkey_format(&pk, line);
    assert_int_equal(pubkey_parse(line, &back, err, sizeof err), ERR_FORMAT);
    assert_non_null(strstr(err, "not usable"));

    pk = make_key("mallory");
    memset(pk.ed25519, 0, 32);   /* the identity: not a valid signing key */
    pubkey_compute_id(pk.x25519, pk.ed25519, pk.key_id);
    pubkey_format(&pk, line);
    assert_int_equal(pubkey_parse(line, &back, err, sizeof err), ERR_FORMAT);
}

static void test_parse_refuses_bad_names(void **state)
{
    pubkey pk = make_key("x"), back;
    char line[PUBKEY_LINE_MAX * 2], err[200];
    const char *bad[] = {"", " lead", "trail ", "tab\there", "bell\a", "\xc3\x28", "\xed\xa0\x80",
                         "\xc2\x85next-line"};

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pubkey_format(&pk, line);
        snprintf(strrchr(line, ' ') + 1, PUBKEY_LINE_MAX, "%s\n", bad[i]);
        assert_int_equal(pubkey_parse(line, &back, err, sizeof err), ERR_FORMAT);
    }
    pubkey_format(&pk, line);
    snprintf(strrchr(line, ' ') + 1, PUBKEY_LINE_MAX, "%065d", 0);
    assert_int_equal(pubkey_parse(line, &back, err, sizeof err), ERR_FORMAT);
    assert_int_equal(pubkey_parse("cwpub2 0011223344556677 a b c", &back, err, sizeof err), ERR_FORMAT);
    assert_int_equal(pubkey_parse("", &back, err, sizeof err), ERR_FORMAT);
}

/* The vector published in SECURITY.md. */
static void test_key_id_matches_the_published_test_vector(void **state)
{
    unsigned char x[32], ed[32], id[PUBKEY_IDBYTES];
    char hex[17];

    (void)state;
    for (int i = 0; i < 32; i++) {
        x[i] = (unsigned char)i;
        ed[i] = (unsigned char)(0xff - i);
    }
    pubkey_compute_id(x, ed, id);
    sodium_bin2hex(hex, sizeof hex, id, sizeof id);
    assert_string_equal(hex, "6d142e378c32a0ae");
}

static void test_recipients_file_skips_comments_and_blank_lines(void **state)
{
    pubkey a = make_key("alice"), b = make_key("bob"), *keys;
    char dir[PATH_MAX], path[PATH_MAX], la[PUBKEY_LINE_MAX], lb[PUBKEY_LINE_MAX], text[1024], err[300];
    size_t n;

    (void)state;
    ts_tmpdir(dir);
    pubkey_format(&a, la);
    pubkey_format(&b, lb);
    snprintf(text, sizeof text, "# caseworkers\n\n%s   \n# bob is on leave from March\n%s", la, lb);
    text[strlen(text) - 1] = '\0';   /* no newline at the end */
    ts_write_file(ts_path(path, dir, "recipients"), text, strlen(text));
    assert_int_equal(pubkey_load_file(path, &keys, &n, err, sizeof err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(keys[0].name, "alice");
    assert_string_equal(keys[1].name, "bob");
    assert_memory_equal(keys[1].x25519, b.x25519, 32);
    free(keys);
    ts_rmtree(dir);
}

static void test_recipients_file_errors_name_the_line(void **state)
{
    pubkey a = make_key("alice"), *keys = NULL;
    char dir[PATH_MAX], path[PATH_MAX], la[PUBKEY_LINE_MAX], text[1024], err[300];
    size_t n;

    (void)state;
    ts_tmpdir(dir);
    ts_path(path, dir, "recipients");
    pubkey_format(&a, la);

    snprintf(text, sizeof text, "# list\n%scwpub1 garbage\n", la);
    ts_write_file(path, text, strlen(text));
    assert_int_equal(pubkey_load_file(path, &keys, &n, err, sizeof err), ERR_FORMAT);
    assert_non_null(strstr(err, "line 3"));
    assert_null(keys);

    snprintf(text, sizeof text, "%s%s", la, la);
    ts_write_file(path, text, strlen(text));
    assert_int_equal(pubkey_load_file(path, &keys, &n, err, sizeof err), ERR_FORMAT);
    assert_non_null(strstr(err, "twice"));

    ts_write_file(path, "# nobody yet\n\n", 14);
    assert_int_equal(pubkey_load_file(path, &keys, &n, err, sizeof err), ERR_FORMAT);
    assert_non_null(strstr(err, "no recipient"));

    ts_write_file(path, "cwpub1\0x", 8);
    assert_int_equal(pubkey_load_file(path, &keys, &n, err, sizeof err), ERR_FORMAT);

    assert_int_equal(pubkey_load_file(ts_path(path, dir, "missing"), &keys, &n, err, sizeof err), ERR_NOTFOUND);
    ts_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_round_trips),
        cmocka_unit_test(test_parse_refuses_a_line_whose_key_id_does_not_match),
        cmocka_unit_test(test_parse_refuses_any_changed_character_of_the_keys),
        cmocka_unit_test(test_parse_refuses_weak_or_invalid_keys_even_with_a_matching_id),
        cmocka_unit_test(test_parse_refuses_bad_names),
        cmocka_unit_test(test_key_id_matches_the_published_test_vector),
        cmocka_unit_test(test_recipients_file_skips_comments_and_blank_lines),
        cmocka_unit_test(test_recipients_file_errors_name_the_line),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
