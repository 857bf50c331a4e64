/*
 * test_pubkey.c: `.pub` lines (caseworkers' cwpub1, auditors' cwaud1) and recipients files as an
 * administrator writes them.
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

static pubkey make_role_key(int role, const char *name)
{
    pubkey pk;
    unsigned char sk[64];

    memset(&pk, 0, sizeof pk);
    crypto_box_keypair(pk.x25519, sk);
    crypto_sign_keypair(pk.ed25519, sk);
    pk.role = role;
    pubkey_compute_id(role, pk.x25519, pk.ed25519, pk.key_id);
    snprintf(pk.name, sizeof pk.name, "%s", name);
    return pk;
}

static pubkey make_key(const char *name)
{
    return make_role_key(PUBKEY_ROLE_CASEWORKER, name);
}

/* Field by field: a struct's padding bytes are not part of its value. */
static void assert_same_key(const pubkey *a, const pubkey *b)
{
    assert_memory_equal(a->x25519, b->x25519, 32);
    assert_memory_equal(a->ed25519, b->ed25519, 32);
    assert_memory_equal(a->key_id, b->key_id, PUBKEY_IDBYTES);
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->role, b->role);
}

/* Writes text to dir/name and returns the path in path. */
static char *write_lines(char path[PATH_MAX], const char *dir, const char *name, const char *text)
{
    ts_write_file(ts_path(path, dir, name), text, strlen(text));
    return path;
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
    assert_same_key(&pk, &back);
    assert_int_equal(back.role, PUBKEY_ROLE_CASEWORKER);
    line[strlen(line) - 1] = '\0';
    assert_int_equal(pubkey_parse(line, &back, err, sizeof err), 0);
    assert_string_equal(back.name, "Amélie Dupont");
}

static void test_an_auditor_line_round_trips_with_its_role(void **state)
{
    pubkey pk = make_role_key(PUBKEY_ROLE_AUDITOR, "Inès Audit"), back;
    char line[PUBKEY_LINE_MAX], err[200];

    (void)state;
    pubkey_format(&pk, line);
    assert_int_equal(strncmp(line, PUBKEY_AUDITOR_TAG " ", 7), 0);
    assert_int_equal(pubkey_parse(line, &back, err, sizeof err), 0);
    assert_same_key(&pk, &back);
    assert_int_equal(back.role, PUBKEY_ROLE_AUDITOR);
}

/* The role is bound to the key id: swapping the tag alone makes the id wrong for the keys. */
static void test_a_retagged_line_is_refused_either_way(void **state)
{
    pubkey worker = make_key("alice"), auditor = make_role_key(PUBKEY_ROLE_AUDITOR, "ines"), back;
    char line[PUBKEY_LINE_MAX], err[300];

    (void)state;
    pubkey_format(&worker, line);
    memcpy(line, PUBKEY_AUDITOR_TAG, 6);
    assert_int_equal(pubkey_parse(line, &back, err, sizeof err), ERR_FORMAT);
    assert_non_null(strstr(err, "key id does not match"));
    assert_non_null(strstr(err, "cwaud1"));

    pubkey_format(&auditor, line);
    memcpy(line, PUBKEY_TAG, 6);
    assert_int_equal(pubkey_parse(line, &back, err, sizeof err), ERR_FORMAT);
    assert_non_null(strstr(err, "key id does not match"));
    assert_non_null(strstr(err, "cwpub1"));
}

static void test_parse_names_both_tags_when_the_tag_is_unknown(void **state)
{
    pubkey back;
    char err[300];

    (void)state;
    assert_int_equal(pubkey_parse("cwsec1 0011223344556677 a b c", &back, err, sizeof err), ERR_FORMAT);
    assert_non_null(strstr(err, "not a public key line (expected cwpub1 or cwaud1"));
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
    pubkey_compute_id(PUBKEY_ROLE_CASEWORKER, pk.x25519, pk.ed25519, pk.key_id);
    pubkey_format(&pk, line);
    assert_int_equal(pubkey_parse(line, &back, err, sizeof err), ERR_FORMAT);
    assert_non_null(strstr(err, "not usable"));
    pk.role = PUBKEY_ROLE_AUDITOR;   /* no better as an auditor's */
    pubkey_compute_id(PUBKEY_ROLE_AUDITOR, pk.x25519, pk.ed25519, pk.key_id);
    pubkey_format(&pk, line);
    assert_int_equal(pubkey_parse(line, &back, err, sizeof err), ERR_FORMAT);
    assert_non_null(strstr(err, "not usable"));

    pk = make_key("mallory");
    memset(pk.ed25519, 0, 32);   /* the identity: not a valid signing key */
    pubkey_compute_id(PUBKEY_ROLE_CASEWORKER, pk.x25519, pk.ed25519, pk.key_id);
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
    pubkey_compute_id(PUBKEY_ROLE_CASEWORKER, x, ed, id);
    sodium_bin2hex(hex, sizeof hex, id, sizeof id);
    assert_string_equal(hex, "6d142e378c32a0ae");
}

/* The auditor's vector published in SECURITY.md: the same keys under "sea-auditor-keyid-v1". */
static void test_auditor_key_id_matches_the_published_test_vector(void **state)
{
    unsigned char x[32], ed[32], id[PUBKEY_IDBYTES];
    char hex[17];

    (void)state;
    for (int i = 0; i < 32; i++) {
        x[i] = (unsigned char)i;
        ed[i] = (unsigned char)(0xff - i);
    }
    pubkey_compute_id(PUBKEY_ROLE_AUDITOR, x, ed, id);
    sodium_bin2hex(hex, sizeof hex, id, sizeof id);
    assert_string_equal(hex, "c8fd669637bb5895");
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

static void test_load_file_keeps_both_roles_in_order(void **state)
{
    pubkey a = make_key("alice"), i = make_role_key(PUBKEY_ROLE_AUDITOR, "ines"), *keys;
    char dir[PATH_MAX], path[PATH_MAX], la[PUBKEY_LINE_MAX], li[PUBKEY_LINE_MAX], text[1024], err[300];
    size_t n;

    (void)state;
    ts_tmpdir(dir);
    pubkey_format(&a, la);
    pubkey_format(&i, li);
    snprintf(text, sizeof text, "%s# the auditor\n%s", li, la);
    assert_int_equal(pubkey_load_file(write_lines(path, dir, "keys", text), &keys, &n, err, sizeof err), 0);
    assert_int_equal(n, 2);
    assert_same_key(&keys[0], &i);
    assert_same_key(&keys[1], &a);
    free(keys);
    ts_rmtree(dir);
}

static void test_load_role_keeps_only_the_role_asked_for(void **state)
{
    pubkey a = make_key("alice"), b = make_key("bob"), i = make_role_key(PUBKEY_ROLE_AUDITOR, "ines"), *keys;
    char dir[PATH_MAX], path[PATH_MAX], la[PUBKEY_LINE_MAX], lb[PUBKEY_LINE_MAX], li[PUBKEY_LINE_MAX];
    char text[1024], err[300];
    size_t n;

    (void)state;
    ts_tmpdir(dir);
    pubkey_format(&a, la);
    pubkey_format(&b, lb);
    pubkey_format(&i, li);
    snprintf(text, sizeof text, "%s%s%s", la, li, lb);
    write_lines(path, dir, "keys", text);

    assert_int_equal(pubkey_load_role(path, PUBKEY_ROLE_CASEWORKER, &keys, &n, err, sizeof err), 0);
    assert_int_equal(n, 2);
    assert_same_key(&keys[0], &a);
    assert_same_key(&keys[1], &b);
    free(keys);

    assert_int_equal(pubkey_load_role(path, PUBKEY_ROLE_AUDITOR, &keys, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    assert_same_key(&keys[0], &i);
    free(keys);
    ts_rmtree(dir);
}

static void test_load_role_refuses_a_file_without_that_role_and_says_what_to_add(void **state)
{
    pubkey a = make_key("alice"), i = make_role_key(PUBKEY_ROLE_AUDITOR, "ines"), *keys = (pubkey *)1;
    char dir[PATH_MAX], path[PATH_MAX], line[PUBKEY_LINE_MAX], err[300];
    size_t n = 7;

    (void)state;
    ts_tmpdir(dir);
    pubkey_format(&i, line);
    write_lines(path, dir, "auditors-only", line);
    assert_int_equal(pubkey_load_role(path, PUBKEY_ROLE_CASEWORKER, &keys, &n, err, sizeof err), ERR_FORMAT);
    assert_null(keys);
    assert_int_equal(n, 0);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "lists no caseworker key (add a caseworker's .pub line)"));

    pubkey_format(&a, line);
    write_lines(path, dir, "workers-only", line);
    assert_int_equal(pubkey_load_role(path, PUBKEY_ROLE_AUDITOR, &keys, &n, err, sizeof err), ERR_FORMAT);
    assert_null(keys);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "lists no auditor key (make one with casework keygen --auditor and add its .pub line)"));

    write_lines(path, dir, "empty", "# nobody\n");
    assert_int_equal(pubkey_load_role(path, PUBKEY_ROLE_AUDITOR, &keys, &n, err, sizeof err), ERR_FORMAT);
    assert_non_null(strstr(err, "lists no auditor key"));
    assert_int_equal(pubkey_load_role(path, 7, &keys, &n, err, sizeof err), ERR_FORMAT);
    assert_null(keys);
    ts_rmtree(dir);
}

/* Every line counts, whichever role is asked for: a bad auditor line is not skipped unread. */
static void test_load_role_checks_every_line_of_either_role(void **state)
{
    pubkey a = make_key("alice"), i = make_role_key(PUBKEY_ROLE_AUDITOR, "ines"), twin, *keys = NULL;
    char dir[PATH_MAX], path[PATH_MAX], la[PUBKEY_LINE_MAX], li[PUBKEY_LINE_MAX], text[PUBKEY_LINE_MAX * 40], err[300];
    size_t n;

    (void)state;
    ts_tmpdir(dir);
    pubkey_format(&a, la);
    pubkey_format(&i, li);

    snprintf(text, sizeof text, "%s%s", la, li);
    memcpy(strstr(text, PUBKEY_AUDITOR_TAG), PUBKEY_TAG, 6);   /* the auditor retagged */
    write_lines(path, dir, "retagged", text);
    assert_int_equal(pubkey_load_role(path, PUBKEY_ROLE_CASEWORKER, &keys, &n, err, sizeof err), ERR_FORMAT);
    assert_non_null(strstr(err, "line 2"));
    assert_null(keys);

    snprintf(text, sizeof text, "%s%s%s", la, li, li);
    write_lines(path, dir, "twice", text);
    assert_int_equal(pubkey_load_role(path, PUBKEY_ROLE_CASEWORKER, &keys, &n, err, sizeof err), ERR_FORMAT);
    assert_non_null(strstr(err, "twice"));

    /* One key pair as a caseworker's and as an auditor's: two ids, still one key. */
    twin = a;
    twin.role = PUBKEY_ROLE_AUDITOR;
    pubkey_compute_id(PUBKEY_ROLE_AUDITOR, twin.x25519, twin.ed25519, twin.key_id);
    pubkey_format(&twin, li);
    snprintf(text, sizeof text, "%s%s", la, li);
    write_lines(path, dir, "twin", text);
    assert_int_equal(pubkey_load_role(path, PUBKEY_ROLE_CASEWORKER, &keys, &n, err, sizeof err), ERR_FORMAT);
    assert_non_null(strstr(err, "line 2: the same key is listed twice (once as a caseworker's, once as an auditor's)"));
    assert_int_equal(pubkey_load_file(path, &keys, &n, err, sizeof err), ERR_FORMAT);

    text[0] = '\0';
    for (int k = 0; k <= PUBKEY_MAX_RECIPIENTS; k++) {
        pubkey extra = make_role_key(k % 2 ? PUBKEY_ROLE_AUDITOR : PUBKEY_ROLE_CASEWORKER, "someone");
        pubkey_format(&extra, li);
        strcat(text, li);
    }
    write_lines(path, dir, "too-many", text);
    assert_int_equal(pubkey_load_role(path, PUBKEY_ROLE_AUDITOR, &keys, &n, err, sizeof err), ERR_LIMIT);
    assert_null(keys);
    ts_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_round_trips),
        cmocka_unit_test(test_an_auditor_line_round_trips_with_its_role),
        cmocka_unit_test(test_a_retagged_line_is_refused_either_way),
        cmocka_unit_test(test_parse_names_both_tags_when_the_tag_is_unknown),
        cmocka_unit_test(test_parse_refuses_a_line_whose_key_id_does_not_match),
        cmocka_unit_test(test_parse_refuses_any_changed_character_of_the_keys),
        cmocka_unit_test(test_parse_refuses_weak_or_invalid_keys_even_with_a_matching_id),
        cmocka_unit_test(test_parse_refuses_bad_names),
        cmocka_unit_test(test_key_id_matches_the_published_test_vector),
        cmocka_unit_test(test_auditor_key_id_matches_the_published_test_vector),
        cmocka_unit_test(test_recipients_file_skips_comments_and_blank_lines),
        cmocka_unit_test(test_recipients_file_errors_name_the_line),
        cmocka_unit_test(test_load_file_keeps_both_roles_in_order),
        cmocka_unit_test(test_load_role_keeps_only_the_role_asked_for),
        cmocka_unit_test(test_load_role_refuses_a_file_without_that_role_and_says_what_to_add),
        cmocka_unit_test(test_load_role_checks_every_line_of_either_role),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
