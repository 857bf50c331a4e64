/*
 * test_record_sig.c: the caseworker signature inside records (include/record-sig.h): SECURITY.md's
 * test vector, and every way a record fails the check: unsigned, signed by a key not trusted,
 * altered, moved to another case or kind, a signature that is not the last entry.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "errors.h"
#include "fields.h"
#include "record-sig.h"

#define REF "K7QM3-XH9A2"

/* SECURITY.md's vector: seed 32 × 0x02, reply (kind 4) of case K7QM3-XH9A2 holding text "hi". */
#define VECTOR_HASH_HEX "2f061aa90b9ba562a92a534a99af50673e9ed788e2f98af938bc90d1c8f2db46"
#define VECTOR_PLAIN_HEX \
    "010474657874020000006869067369676e6572200000008139770ea87d175f56a35466c34c7ecccb" \
    "8d8a91b4ee37a25df60f5b8fc9b394037369674000000085f0e1f0746334edd8753eeee579dcc0de" \
    "24405b98ffc3a80e52964cd45b2d88d4de98311bd7cda067e69efb5c2bea497bc4928fab0ebd95e6" \
    "bb96af68b31704"

static unsigned char pk[32], sk[64];

/* Builds the signed reply "hi" into out; returns its length. */
static size_t signed_reply(unsigned char *out, const char *ref, enum envelope_kind kind)
{
    field f[3];
    unsigned char hash[32], sig[64];
    size_t signed_len;

    fields_set(&f[0], "text", "hi", 2);
    fields_set(&f[1], "signer", pk, 32);
    signed_len = fields_encoded_size(f, 2);
    assert_int_equal(fields_encode(f, 2, out), 0);
    record_sig_hash(ref, kind, out, signed_len, hash);
    crypto_sign_detached(sig, NULL, hash, 32, sk);
    fields_set(&f[2], "sig", sig, 64);
    assert_int_equal(fields_encode(f, 3, out), 0);
    return signed_len + RECORD_SIG_ENTRY_BYTES;
}

static void test_the_specification_vector(void **state)
{
    unsigned char plain[256];
    char hex[2 * sizeof plain + 1];
    size_t len, signer = 9;

    (void)state;
    len = signed_reply(plain, REF, ENVELOPE_KIND_REPLY);
    {
        unsigned char hash[32];
        char hash_hex[65];
        record_sig_hash(REF, ENVELOPE_KIND_REPLY, plain, len - RECORD_SIG_ENTRY_BYTES, hash);
        sodium_bin2hex(hash_hex, sizeof hash_hex, hash, sizeof hash);
        assert_string_equal(hash_hex, VECTOR_HASH_HEX);
    }
    sodium_bin2hex(hex, sizeof hex, plain, len);
    assert_string_equal(hex, VECTOR_PLAIN_HEX);
    assert_int_equal(record_sig_check(plain, len, ENVELOPE_KIND_REPLY, REF, pk, 1, &signer), 0);
    assert_int_equal(signer, 0);
}

static void test_every_way_a_record_fails(void **state)
{
    unsigned char plain[256], other_pk[32], other_sk[64], keys[64], unsigned_rec[64];
    field f[1];
    size_t len, signer;

    (void)state;
    crypto_sign_keypair(other_pk, other_sk);
    len = signed_reply(plain, REF, ENVELOPE_KIND_REPLY);
    /* Trusted among others: the index of the key comes back. */
    memcpy(keys, other_pk, 32);
    memcpy(keys + 32, pk, 32);
    assert_int_equal(record_sig_check(plain, len, ENVELOPE_KIND_REPLY, REF, keys, 2, &signer), 0);
    assert_int_equal(signer, 1);
    /* A key nobody trusts. */
    assert_int_equal(record_sig_check(plain, len, ENVELOPE_KIND_REPLY, REF, other_pk, 1, &signer), ERR_AUTH);
    /* Another case, another kind. */
    assert_int_equal(record_sig_check(plain, len, ENVELOPE_KIND_REPLY, "AAAAA-AAAAA", pk, 1, &signer), ERR_AUTH);
    assert_int_equal(record_sig_check(plain, len, ENVELOPE_KIND_NOTE, REF, pk, 1, &signer), ERR_AUTH);
    /* One byte of the text changed. */
    plain[10] ^= 1;
    assert_int_equal(record_sig_check(plain, len, ENVELOPE_KIND_REPLY, REF, pk, 1, &signer), ERR_AUTH);
    plain[10] ^= 1;
    /* Cut: the signature is not the last entry any more. */
    assert_int_equal(record_sig_check(plain, len - RECORD_SIG_ENTRY_BYTES, ENVELOPE_KIND_REPLY, REF, pk, 1, &signer), ERR_AUTH);
    /* No signature at all. */
    fields_set(&f[0], "text", "hi", 2);
    assert_int_equal(fields_encode(f, 1, unsigned_rec), 0);
    assert_int_equal(record_sig_check(unsigned_rec, fields_encoded_size(f, 1), ENVELOPE_KIND_REPLY, REF, pk, 1, &signer),
                     ERR_NOTFOUND);
    /* Not a record. */
    assert_int_equal(record_sig_check((const unsigned char *)"x", 1, ENVELOPE_KIND_REPLY, REF, pk, 1, &signer), ERR_AUTH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_specification_vector),
        cmocka_unit_test(test_every_way_a_record_fails),
    };
    unsigned char seed[32];

    if (sodium_init() < 0)
        return 1;
    memset(seed, 0x02, sizeof seed);
    crypto_sign_seed_keypair(pk, sk, seed);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
