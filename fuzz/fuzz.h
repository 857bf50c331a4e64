/*
 * fuzz.h: what the libFuzzer targets in this folder and the seed generator (make-seeds.c)
 * share: the entry points libFuzzer calls, the fixed keys, names and passphrase the targets
 * open inputs with (so that seeds made by make-seeds get past the cryptographic checks), and a
 * check that aborts, so that libFuzzer keeps the input as a crash. Never linked into a program.
 */
#ifndef SEA_FUZZ_H
#define SEA_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "pubkey.h"

/* Called by libFuzzer: once before the first input (optional), and once per input. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The case every envelope and stream of the corpus belongs to. */
#define FUZZ_CASE_REF "K7QM3-XH9A2"
/* The passphrase the key files of the corpus are wrapped under. */
#define FUZZ_PASSPHRASE "fuzz passphrase"

/* A caseworker with both keypairs, derived from a fixed seed. */
typedef struct fuzz_identity {
    unsigned char x25519_sk[32];
    unsigned char ed25519_sk[64];
    pubkey pub;
} fuzz_identity;

/* fuzz_init: sodium_init, or abort. Call first. */
void fuzz_init(void);

/* fuzz_identity_make: fills id with the fixed identity number which (0, 1, 2, ...) called name. */
void fuzz_identity_make(unsigned which, const char *name, fuzz_identity *id);

/* fuzz_stream_key: the fixed key of the corpus's attachment streams. */
void fuzz_stream_key(unsigned char key[32]);

/* fuzz_cstring: a new malloc'd NUL-terminated copy of the input (aborts when memory is short). */
char *fuzz_cstring(const uint8_t *data, size_t size);

/* fuzz_fail: prints what went wrong and aborts: libFuzzer saves the input as a crash. */
void fuzz_fail(const char *file, int line, const char *what) __attribute__((noreturn));

/* FUZZ_CHECK: an invariant the code under test must keep for every input (unlike assert(),
 * never compiled out). */
#define FUZZ_CHECK(cond) ((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond))

#endif
