/*
 * cases.c: makes a database of N cases for the casework benchmarks, each holding one report
 * sealed to RECIPIENTS caseworkers, the first of whom is the key it writes beside the database
 * (DB.key, passphrase "pw" in DB.pass). The key's Argon2id cost is libsodium's minimum, so that
 * the timings show casework's own work; bench/run times one unlock at keygen's cost on its own.
 * Usage: cases DB N RECIPIENTS        (RECIPIENTS from 1 to 3)
 */
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envelope.h"
#include "fields.h"
#include "keyfile.h"
#include "store.h"

enum { MAX_RECIPIENTS = 3 };

static int fail(const char *what, const char *err)
{
    fprintf(stderr, "cases: %s: %s\n", what, err);
    return 1;
}

/* Writes DB.key and DB.pass; the public key lands in pk. */
static int write_key(const char *db, unsigned char pk[32])
{
    keyfile_kdf_limits cheap = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
    caseworker_key *k = keyfile_generate("Bench", PUBKEY_ROLE_CASEWORKER);
    char path[4096], err[300];
    FILE *f;
    int rc;

    if (k == NULL)
        return fail("keygen", "out of memory");
    memcpy(pk, k->pub.x25519, 32);
    snprintf(path, sizeof path, "%s.key", db);
    rc = keyfile_write(path, k, "pw", 2, cheap, err, sizeof err);
    keyfile_free(k);
    if (rc != 0)
        return fail(path, err);
    snprintf(path, sizeof path, "%s.pass", db);
    {   /* readable by its owner only, or casework refuses it */
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        f = fd >= 0 ? fdopen(fd, "w") : NULL;
    }
    if (f == NULL || fputs("pw\n", f) < 0 || fclose(f) != 0)
        return fail(path, "cannot write");
    return 0;
}

/* Adds one case with a report sealed to the nr keys in pks. */
static int add_case(store *s, const unsigned char *pks, size_t nr, char *err, size_t errlen)
{
    static const char text[] = "Something happened at work and it keeps happening.";
    unsigned char lookup[32], reporter_pk[32], *plain, *env = NULL;
    size_t m = 0, plain_len, env_len;
    field f[3 + MAX_RECIPIENTS];
    store_case c;
    int rc;

    randombytes_buf(lookup, sizeof lookup);
    randombytes_buf(reporter_pk, sizeof reporter_pk);
    if (store_case_insert(s, NULL, lookup, reporter_pk, &c, err, errlen) != 0)
        return 1;
    fields_set(&f[m++], "category", "bullying", 8);
    fields_set(&f[m++], "description", text, sizeof text - 1);
    fields_set(&f[m++], "reporter_pk", reporter_pk, 32);
    for (size_t r = 0; r < nr; r++)
        fields_set(&f[m++], "recipient", pks + 32 * r, 32);
    plain_len = fields_encoded_size(f, m);
    plain = malloc(plain_len);
    rc = plain == NULL || fields_encode(f, m, plain) != 0 ||
         envelope_seal(pks, nr, NULL, ENVELOPE_KIND_REPORT, c.ref, plain, plain_len, &env, &env_len, err,
                       errlen) != 0 ||
         store_record_add(s, c.id, STORE_AUDIENCE_CASEWORKERS, env, env_len, NULL, err, errlen) != 0;
    free(plain);
    free(env);
    return rc;
}

int main(int argc, char **argv)
{
    unsigned char pks[32 * MAX_RECIPIENTS], sk[32];
    char err[300];
    long n, nr;
    store *s;

    if (argc != 4 || (n = atol(argv[2])) < 1 || (nr = atol(argv[3])) < 1 || nr > MAX_RECIPIENTS) {
        fprintf(stderr, "usage: cases DB N RECIPIENTS (1 to %d)\n", MAX_RECIPIENTS);
        return 2;
    }
    if (sodium_init() < 0 || write_key(argv[1], pks) != 0)
        return 1;
    for (long r = 1; r < nr; r++)
        crypto_box_keypair(pks + 32 * r, sk);
    sodium_memzero(sk, sizeof sk);
    if (store_open(argv[1], &s, err, sizeof err) != 0)
        return fail(argv[1], err);
    /* Only the generator skips syncing; the databases it makes are thrown away after the run. */
    store_skip_sync(s);
    if (store_begin(s, err, sizeof err) != 0)
        return fail("begin", err);
    for (long i = 0; i < n; i++)
        if (add_case(s, pks, (size_t)nr, err, sizeof err) != 0)
            return fail("case", err);
    if (store_commit(s, err, sizeof err) != 0)
        return fail("commit", err);
    store_close(s);
    return 0;
}
