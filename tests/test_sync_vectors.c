/*
 * test_sync_vectors.c: the push transcript (SECURITY.md, "Replicas", push) as specified, byte
 * for byte: the server's own reading of a push (sync_apply_begin, sync_apply_item) hashes the
 * specification's example to the vector SECURITY.md gives, which was computed from the text
 * alone with Python's hashlib.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "pubkey.h"
#include "sync-push.h"

/* The example of SECURITY.md: P and one status change. */
static const char p_hex[] = "0101010101010101" "02020202020202020202020202020202" "0500000000000000"
                            "0303030303030303030303030303030303030303030303030303030303030303";
static const char item_hex[] = "04" "0600000000000000" "0b" "4b37514d332d5848394132" "06" "636c6f736564" "03" "6e6577";
static const char vector_hex[] = "c02840e87ee9453b44098901549fb04e4b45311b4c1dad2c56b99a5ca828ed48";

static size_t unhex(const char *hex, unsigned char *out, size_t cap)
{
    size_t len = 0;

    assert_int_equal(sodium_hex2bin(out, cap, hex, strlen(hex), NULL, &len, NULL), 0);
    return len;
}

static void test_the_push_transcript_is_the_specified_vector(void **state)
{
    unsigned char p[64], item[64], vector[32], hash[32];
    size_t plen = unhex(p_hex, p, sizeof p), ilen = unhex(item_hex, item, sizeof item);
    crypto_generichash_state copy;
    pubkey signer;
    sync_apply a;
    char why[300];

    (void)state;
    assert_int_equal(plen, 64);
    assert_int_equal(ilen, 32);
    unhex(vector_hex, vector, sizeof vector);
    memset(&signer, 0, sizeof signer);
    signer.role = PUBKEY_ROLE_CASEWORKER;
    memset(signer.key_id, 0x01, PUBKEY_IDBYTES);   /* the key id P names */
    assert_int_equal(sync_apply_begin(&a, NULL, &signer, 1, p, plen, why, sizeof why), 0);
    assert_ptr_equal(a.signer, &signer);
    assert_int_equal(a.base_seq, 5);
    sync_apply_item(&a, item, ilen, why, sizeof why);
    copy = a.transcript;
    crypto_generichash_final(&copy, hash, sizeof hash);
    assert_memory_equal(hash, vector, sizeof vector);
    sync_apply_abort(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_push_transcript_is_the_specified_vector),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
