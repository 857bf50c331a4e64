/*
 * fuzz_stream.c: the attachment stream decoder (stream_reader_new, _pull and _finish) with the
 * fixed stream key and case reference. Input layout: the 24-byte stream header, then chunks,
 * each as a 3-byte little-endian length and that many bytes. (Three bytes, not two: a full
 * chunk is STREAM_CHUNK + 17 = 65553 bytes, one more than 16 bits can say.) Chunks are pulled
 * in order until one fails, as casework does.
 */
#include <stdlib.h>

#include "errors.h"
#include "fuzz.h"
#include "stream.h"

static unsigned char key[STREAM_KEYBYTES];
static unsigned char out[STREAM_MAX_CT];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    fuzz_stream_key(key);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stream_reader *r;
    size_t o = STREAM_HEADERBYTES;
    int rc = 0, finished = 0;

    if (size < STREAM_HEADERBYTES)
        return 0;
    r = stream_reader_new(key, FUZZ_CASE_REF, data);
    if (r == NULL)
        return 0;
    while (rc == 0 && size - o >= 3) {
        size_t len = (size_t)data[o] | (size_t)data[o + 1] << 8 | (size_t)data[o + 2] << 16, out_len = 0;
        o += 3;
        if (len > size - o)
            len = size - o;
        rc = stream_reader_pull(r, data + o, len, out, &out_len);
        FUZZ_CHECK(rc == 0 || rc == ERR_AUTH || rc == ERR_FORMAT);
        if (rc == 0) {
            FUZZ_CHECK(!finished);
            FUZZ_CHECK(out_len <= len - STREAM_ABYTES);
            finished = stream_reader_finish(r) == 0;
            FUZZ_CHECK(finished || out_len == STREAM_CHUNK);
        }
        o += len;
    }
    rc = stream_reader_finish(r);
    FUZZ_CHECK(rc == 0 || rc == ERR_TRUNCATED);
    FUZZ_CHECK((rc == 0) == finished);
    stream_reader_free(r);
    return 0;
}
