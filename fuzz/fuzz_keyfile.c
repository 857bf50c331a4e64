/*
 * fuzz_keyfile.c: keyfile_decode, the reader of a caseworker's secret key file, with a fixed
 * passphrase (the one make-seeds wraps the corpus's key files under).
 *
 * Argon2id runs with whatever limits a file claims, up to the decoder's caps (64 passes,
 * 4 GiB): a mutated file that claims, say, 2 GiB would make one execution take seconds and
 * most of the machine's memory, and the fuzzer would spend its time hashing instead of parsing.
 * So this harness skips the inputs whose limits the decoder would accept but that are costlier
 * than opslimit 2 and memlimit 64 KiB. Limits outside the decoder's range are still fed to it
 * (it must refuse them before any crypto runs), and so is every input too short to hold them.
 */
#include <sodium.h>
#include <string.h>

#include "bytes.h"
#include "errors.h"
#include "fuzz.h"
#include "keyfile.h"

#define FUZZ_OPS_MAX 2ULL
#define FUZZ_MEM_MAX (64ULL * 1024)
/* The decoder's own caps (OPSLIMIT_CAP and MEMLIMIT_CAP in secretkey/keyfile.c). */
#define DECODER_OPS_CAP 64ULL
#define DECODER_MEM_CAP (4ULL << 30)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

/* 1 when the decoder would accept the input's KDF limits and they cost more than we allow. */
static int too_costly(const uint8_t *data, size_t size)
{
    uint64_t ops, mem;

    if (size < KEYFILE_HEADERBYTES)
        return 0;
    ops = bytes_load64_le(data + 8);
    mem = bytes_load64_le(data + 16);
    if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > DECODER_OPS_CAP ||
        mem < crypto_pwhash_MEMLIMIT_MIN || mem > DECODER_MEM_CAP)
        return 0;   /* refused before the KDF: cheap */
    return ops > FUZZ_OPS_MAX || mem > FUZZ_MEM_MAX;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    caseworker_key *k = NULL;
    unsigned char id[PUBKEY_IDBYTES];
    char err[256];
    int rc;

    if (too_costly(data, size))
        return 0;
    rc = keyfile_decode(data, size, FUZZ_PASSPHRASE, strlen(FUZZ_PASSPHRASE), &k, err, sizeof err);
    FUZZ_CHECK(rc == 0 || rc == ERR_FORMAT || rc == ERR_VERSION || rc == ERR_AUTH);
    if (rc == 0) {
        FUZZ_CHECK(k != NULL);
        FUZZ_CHECK(pubkey_name_valid(k->pub.name));
        FUZZ_CHECK(memcmp(k->pub.key_id, data + 40, PUBKEY_IDBYTES) == 0);
        FUZZ_CHECK(k->pub.role == PUBKEY_ROLE_CASEWORKER || k->pub.role == PUBKEY_ROLE_AUDITOR);
        pubkey_compute_id(k->pub.role, k->pub.x25519, k->pub.ed25519, id);
        FUZZ_CHECK(memcmp(id, k->pub.key_id, PUBKEY_IDBYTES) == 0);
    } else {
        FUZZ_CHECK(k == NULL && err[0] != '\0');
    }
    keyfile_free(k);
    return 0;
}
