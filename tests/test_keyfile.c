/*
 * test_keyfile.c: caseworkers' and auditors' secret key files: round trip with the role, wrong
 * passphrase, every byte flipped or cut off, never overwriting, permissions, and a full disk
 * (write() wrapped to fail).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errors.h"
#include "keyfile.h"
#include "test_support.h"

/* The cheapest Argon2id limits: the format, not the KDF's cost, is under test here. */
static const keyfile_kdf_limits fast = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
static const char pass[] = "correct horse battery staple";

static int disk_full;

ssize_t __real_write(int fd, const void *buf, size_t len);
ssize_t __wrap_write(int fd, const void *buf, size_t len);

ssize_t __wrap_write(int fd, const void *buf, size_t len)
{
    if (disk_full && fd > 2) {
        errno = ENOSPC;
        return -1;
    }
    return __real_write(fd, buf, len);
}

typedef struct fixture {
    char dir[PATH_MAX];
    caseworker_key *key;
    unsigned char *file;
    size_t file_len;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[200];

    ts_tmpdir(f->dir);
    f->key = keyfile_generate("Alice Martin", PUBKEY_ROLE_CASEWORKER);
    assert_non_null(f->key);
    assert_int_equal(keyfile_encode(f->key, pass, strlen(pass), fast, &f->file, &f->file_len, err, sizeof err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    disk_full = 0;
    ts_rmtree(f->dir);
    keyfile_free(f->key);
    free(f->file);
    free(f);
    return 0;
}

static void test_decode_with_the_right_passphrase_gives_back_the_keys(void **state)
{
    fixture *f = *state;
    caseworker_key *k;
    char err[200];

    assert_int_equal(f->file_len, KEYFILE_HEADERBYTES + strlen("Alice Martin") + 96 + 16);
    assert_int_equal(keyfile_decode(f->file, f->file_len, pass, strlen(pass), &k, err, sizeof err), 0);
    assert_memory_equal(k->x25519_sk, f->key->x25519_sk, 32);
    assert_memory_equal(k->ed25519_sk, f->key->ed25519_sk, 64);
    assert_memory_equal(&k->pub, &f->key->pub, sizeof k->pub);
    keyfile_free(k);
}

static void test_a_caseworker_key_decodes_as_a_caseworkers(void **state)
{
    fixture *f = *state;
    caseworker_key *k;
    char err[200];

    assert_int_equal(f->key->pub.role, PUBKEY_ROLE_CASEWORKER);
    assert_int_equal(keyfile_decode(f->file, f->file_len, pass, strlen(pass), &k, err, sizeof err), 0);
    assert_int_equal(k->pub.role, PUBKEY_ROLE_CASEWORKER);
    keyfile_free(k);
}

/* The same version-1 format: only the key id (under the auditor's context) says the role. */
static void test_an_auditor_key_round_trips_with_its_role(void **state)
{
    fixture *f = *state;
    caseworker_key *auditor = keyfile_generate("Inès Audit", PUBKEY_ROLE_AUDITOR), *k;
    unsigned char *file, id[PUBKEY_IDBYTES];
    size_t len;
    char err[200], path[PATH_MAX], pub_path[PATH_MAX + 8], *line;
    pubkey pk;

    assert_non_null(auditor);
    assert_int_equal(auditor->pub.role, PUBKEY_ROLE_AUDITOR);
    pubkey_compute_id(PUBKEY_ROLE_AUDITOR, auditor->pub.x25519, auditor->pub.ed25519, id);
    assert_memory_equal(auditor->pub.key_id, id, PUBKEY_IDBYTES);
    assert_int_equal(keyfile_encode(auditor, pass, strlen(pass), fast, &file, &len, err, sizeof err), 0);
    assert_int_equal(len, KEYFILE_HEADERBYTES + strlen("Inès Audit") + 96 + 16);
    assert_int_equal(file[4], KEYFILE_VERSION);
    assert_memory_equal(file + 40, id, PUBKEY_IDBYTES);
    assert_int_equal(keyfile_decode(file, len, pass, strlen(pass), &k, err, sizeof err), 0);
    assert_int_equal(k->pub.role, PUBKEY_ROLE_AUDITOR);
    assert_memory_equal(k->x25519_sk, auditor->x25519_sk, 32);
    assert_memory_equal(k->ed25519_sk, auditor->ed25519_sk, 64);
    assert_memory_equal(k->pub.key_id, id, PUBKEY_IDBYTES);
    assert_string_equal(k->pub.name, "Inès Audit");
    keyfile_free(k);
    free(file);

    /* Its .pub line is an auditor's line. */
    ts_path(path, f->dir, "ines.key");
    snprintf(pub_path, sizeof pub_path, "%s.pub", path);
    assert_int_equal(keyfile_write(path, auditor, pass, strlen(pass), fast, err, sizeof err), 0);
    line = ts_read_file(pub_path, NULL);
    assert_int_equal(strncmp(line, PUBKEY_AUDITOR_TAG " ", 7), 0);
    assert_int_equal(pubkey_parse(line, &pk, err, sizeof err), 0);
    assert_int_equal(pk.role, PUBKEY_ROLE_AUDITOR);
    free(line);
    assert_int_equal(keyfile_read(path, pass, strlen(pass), &k, err, sizeof err), 0);
    assert_int_equal(k->pub.role, PUBKEY_ROLE_AUDITOR);
    keyfile_free(k);
    keyfile_free(auditor);
}

/* A key id of neither role for the keys is refused after decryption, as a mismatch always was. */
static void test_decode_refuses_a_key_id_of_neither_role(void **state)
{
    fixture *f = *state;
    caseworker_key *other = keyfile_generate("Alice Martin", PUBKEY_ROLE_CASEWORKER), *k = (caseworker_key *)1;
    unsigned char *file;
    size_t len;
    char err[200];

    /* Alice's keys under another key's caseworker id: the AEAD accepts (the header is what was
     * encrypted with), the key id check does not. */
    memcpy(other->x25519_sk, f->key->x25519_sk, 32);
    memcpy(other->ed25519_sk, f->key->ed25519_sk, 64);
    assert_int_equal(keyfile_encode(other, pass, strlen(pass), fast, &file, &len, err, sizeof err), 0);
    assert_int_equal(keyfile_decode(file, len, pass, strlen(pass), &k, err, sizeof err), ERR_AUTH);
    assert_null(k);
    assert_non_null(strstr(err, "do not match the key id"));
    free(file);
    keyfile_free(other);
}

static void test_decode_fails_with_a_wrong_passphrase(void **state)
{
    fixture *f = *state;
    caseworker_key *k = (caseworker_key *)1;
    char err[200];

    assert_int_equal(keyfile_decode(f->file, f->file_len, "correct horse battery stapler", 29, &k, err, sizeof err), ERR_AUTH);
    assert_null(k);
    assert_non_null(strstr(err, "wrong passphrase"));
    assert_int_equal(keyfile_decode(f->file, f->file_len, "", 0, &k, err, sizeof err), ERR_AUTH);
}

static void test_decode_fails_on_every_flipped_byte(void **state)
{
    fixture *f = *state;
    caseworker_key *k;
    char err[200];

    for (size_t i = 0; i < f->file_len; i++) {
        f->file[i] ^= 0x01;
        int rc = keyfile_decode(f->file, f->file_len, pass, strlen(pass), &k, err, sizeof err);
        if (rc == 0)
            fail_msg("flipping byte %zu went unnoticed", i);
        assert_true(rc == ERR_AUTH || rc == ERR_FORMAT || rc == ERR_VERSION);
        assert_null(k);
        f->file[i] ^= 0x01;
    }
}

static void test_decode_fails_on_every_truncation_and_on_extra_bytes(void **state)
{
    fixture *f = *state;
    caseworker_key *k;
    unsigned char *longer = malloc(f->file_len + 1);
    char err[200];

    for (size_t len = 0; len < f->file_len; len++)
        assert_int_equal(keyfile_decode(f->file, len, pass, strlen(pass), &k, err, sizeof err), ERR_FORMAT);
    memcpy(longer, f->file, f->file_len);
    longer[f->file_len] = 0;
    assert_int_equal(keyfile_decode(longer, f->file_len + 1, pass, strlen(pass), &k, err, sizeof err), ERR_FORMAT);
    free(longer);
}

static void test_decode_names_unknown_versions_and_algorithms(void **state)
{
    fixture *f = *state;
    caseworker_key *k;
    char err[200];

    f->file[4] = 2;
    assert_int_equal(keyfile_decode(f->file, f->file_len, pass, strlen(pass), &k, err, sizeof err), ERR_VERSION);
    f->file[4] = 1;
    f->file[5] = 9;
    assert_int_equal(keyfile_decode(f->file, f->file_len, pass, strlen(pass), &k, err, sizeof err), ERR_FORMAT);
    assert_non_null(strstr(err, "unknown algorithm"));
}

static void test_write_creates_0600_secret_and_a_matching_pub_line(void **state)
{
    fixture *f = *state;
    char path[PATH_MAX], pub_path[PATH_MAX + 8], err[200];
    caseworker_key *k;
    pubkey pk;
    char *line;

    ts_path(path, f->dir, "alice.key");
    snprintf(pub_path, sizeof pub_path, "%s.pub", path);
    assert_int_equal(keyfile_write(path, f->key, pass, strlen(pass), fast, err, sizeof err), 0);
    assert_int_equal(ts_file_mode(path), 0600);
    assert_int_equal(ts_file_mode(pub_path), 0644);
    line = ts_read_file(pub_path, NULL);
    assert_int_equal(pubkey_parse(line, &pk, err, sizeof err), 0);
    assert_memory_equal(&pk, &f->key->pub, sizeof pk);
    free(line);
    assert_int_equal(keyfile_read(path, pass, strlen(pass), &k, err, sizeof err), 0);
    assert_memory_equal(k->x25519_sk, f->key->x25519_sk, 32);
    keyfile_free(k);
    assert_int_equal(keyfile_read(path, "nope", 4, &k, err, sizeof err), ERR_AUTH);
    assert_non_null(strstr(err, path));
}

static void test_write_never_overwrites(void **state)
{
    fixture *f = *state;
    char path[PATH_MAX], pub_path[PATH_MAX + 8], err[200];
    char *before;

    ts_path(path, f->dir, "k");
    ts_write_file(path, "precious", 8);
    assert_int_equal(keyfile_write(path, f->key, pass, strlen(pass), fast, err, sizeof err), ERR_EXISTS);
    before = ts_read_file(path, NULL);
    assert_string_equal(before, "precious");
    free(before);
    assert_int_equal(ts_file_mode(strcat(strcpy(pub_path, path), ".pub")), -1);

    /* An existing .pub alone also stops it, and a planted symlink is not followed. */
    ts_path(path, f->dir, "k2");
    ts_write_file(strcat(strcpy(pub_path, path), ".pub"), "x", 1);
    assert_int_equal(keyfile_write(path, f->key, pass, strlen(pass), fast, err, sizeof err), ERR_EXISTS);
    assert_int_equal(ts_file_mode(path), -1);
    ts_path(path, f->dir, "k3");
    assert_int_equal(symlink("/nonexistent-target", path), 0);
    assert_int_equal(keyfile_write(path, f->key, pass, strlen(pass), fast, err, sizeof err), ERR_EXISTS);
}

static void test_write_on_a_full_disk_fails_and_leaves_nothing(void **state)
{
    fixture *f = *state;
    char path[PATH_MAX], pub_path[PATH_MAX + 8], err[200];

    ts_path(path, f->dir, "full.key");
    disk_full = 1;
    assert_int_equal(keyfile_write(path, f->key, pass, strlen(pass), fast, err, sizeof err), ERR_FULL);
    disk_full = 0;
    assert_non_null(strstr(err, "no space"));
    assert_int_equal(ts_file_mode(path), -1);
    assert_int_equal(ts_file_mode(strcat(strcpy(pub_path, path), ".pub")), -1);
}

static void test_read_refuses_files_that_are_not_keys(void **state)
{
    fixture *f = *state;
    char path[PATH_MAX], err[200];
    caseworker_key *k;
    static unsigned char big[4096];

    ts_write_file(ts_path(path, f->dir, "big"), big, sizeof big);
    assert_int_equal(keyfile_read(path, pass, strlen(pass), &k, err, sizeof err), ERR_FORMAT);
    ts_write_file(ts_path(path, f->dir, "text"), "cwpub1 hello\n", 13);
    assert_int_equal(keyfile_read(path, pass, strlen(pass), &k, err, sizeof err), ERR_FORMAT);
    assert_int_equal(keyfile_read(ts_path(path, f->dir, "missing"), pass, strlen(pass), &k, err, sizeof err), ERR_NOTFOUND);
}

static void test_generate_refuses_invalid_names(void **state)
{
    (void)state;
    assert_null(keyfile_generate("", PUBKEY_ROLE_CASEWORKER));
    assert_null(keyfile_generate("line\nbreak", PUBKEY_ROLE_CASEWORKER));
    assert_null(keyfile_generate("alice", 2));
    assert_null(keyfile_generate("alice", -1));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_decode_with_the_right_passphrase_gives_back_the_keys),
        T(test_a_caseworker_key_decodes_as_a_caseworkers),
        T(test_an_auditor_key_round_trips_with_its_role),
        T(test_decode_refuses_a_key_id_of_neither_role),
        T(test_decode_fails_with_a_wrong_passphrase),
        T(test_decode_fails_on_every_flipped_byte),
        T(test_decode_fails_on_every_truncation_and_on_extra_bytes),
        T(test_decode_names_unknown_versions_and_algorithms),
        T(test_write_creates_0600_secret_and_a_matching_pub_line),
        T(test_write_never_overwrites),
        T(test_write_on_a_full_disk_fails_and_leaves_nothing),
        T(test_read_refuses_files_that_are_not_keys),
        T(test_generate_refuses_invalid_names),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
