/*
 * fuzz_recipients.c: pubkey_load_file and pubkey_load_role, the readers of the intake's
 * recipients file (and of any file of caseworkers' and auditors' `.pub` lines). The input
 * becomes the file's content through a memfd (no file on disk, nothing to clean up), which the
 * loader opens by its /proc/self/fd path like any other file. What pubkey_load_file accepts must
 * be 1 to PUBKEY_MAX_RECIPIENTS distinct keys, each of which formats and parses back to itself;
 * pubkey_load_role must give exactly those of its role, in the same order, or fail.
 */
#define _GNU_SOURCE 1   /* memfd_create */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "pubkey.h"

static int memfd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    memfd = memfd_create("fuzz-recipients", MFD_CLOEXEC);
    if (memfd < 0)
        fuzz_fail(__FILE__, __LINE__, "memfd_create failed");
    snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
    return 0;
}

/* Checks pubkey_load_role(role) against what pubkey_load_file gave (all, n; NULL when it failed). */
static void check_role(int role, const pubkey *all, size_t n)
{
    pubkey *keys = NULL;
    size_t got = 0, want = 0, k = 0;
    char err[512];
    int rc = pubkey_load_role(path, role, &keys, &got, err, sizeof err);

    for (size_t i = 0; all != NULL && i < n; i++)
        want += all[i].role == role;
    if (rc != 0) {
        FUZZ_CHECK(keys == NULL && got == 0 && err[0] != '\0');
        FUZZ_CHECK(want == 0);
        return;
    }
    FUZZ_CHECK(all != NULL && keys != NULL && got == want);
    for (size_t i = 0; i < n; i++)
        if (all[i].role == role)
            FUZZ_CHECK(memcmp(&keys[k++], &all[i], sizeof *keys) == 0);
    free(keys);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pubkey *keys = NULL, again;
    size_t n = 0;
    char err[512], line[PUBKEY_LINE_MAX];

    FUZZ_CHECK(ftruncate(memfd, 0) == 0);
    FUZZ_CHECK(size == 0 || pwrite(memfd, data, size, 0) == (ssize_t)size);
    if (pubkey_load_file(path, &keys, &n, err, sizeof err) == 0) {
        FUZZ_CHECK(keys != NULL && n >= 1 && n <= PUBKEY_MAX_RECIPIENTS);
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(keys[i].role == PUBKEY_ROLE_CASEWORKER || keys[i].role == PUBKEY_ROLE_AUDITOR);
            pubkey_format(&keys[i], line);
            FUZZ_CHECK(pubkey_parse(line, &again, err, sizeof err) == 0);
            FUZZ_CHECK(memcmp(&again, &keys[i], sizeof again) == 0);
            for (size_t j = 0; j < i; j++)
                FUZZ_CHECK(memcmp(keys[j].key_id, keys[i].key_id, PUBKEY_IDBYTES) != 0);
        }
    } else {
        FUZZ_CHECK(keys == NULL && n == 0);
    }
    check_role(PUBKEY_ROLE_CASEWORKER, keys, n);
    check_role(PUBKEY_ROLE_AUDITOR, keys, n);
    free(keys);
    return 0;
}
