/*
 * fuzz_recipients.c: pubkey_load_file, the reader of the intake's recipients file. The input
 * becomes the file's content through a memfd (no file on disk, nothing to clean up), which the
 * loader opens by its /proc/self/fd path like any other file. What it accepts must be 1 to
 * PUBKEY_MAX_RECIPIENTS distinct keys, each of which formats and parses back to itself.
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
            pubkey_format(&keys[i], line);
            FUZZ_CHECK(pubkey_parse(line, &again, err, sizeof err) == 0);
            FUZZ_CHECK(memcmp(&again, &keys[i], sizeof again) == 0);
            for (size_t j = 0; j < i; j++)
                FUZZ_CHECK(memcmp(keys[j].key_id, keys[i].key_id, PUBKEY_IDBYTES) != 0);
        }
    } else {
        FUZZ_CHECK(keys == NULL && n == 0);
    }
    free(keys);
    return 0;
}
