/*
 * fuzz_fields.c: fields_decode, the reader of the named values inside every opened record. It
 * must never point outside the buffer, and an encoding it accepts is canonical: encoding the
 * decoded fields gives back the input byte for byte.
 */
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "fields.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    field f[FIELDS_MAX];
    size_t n = 0;
    int rc = fields_decode(data, size, f, FIELDS_MAX, &n);

    FUZZ_CHECK(rc == 0 || rc == ERR_FORMAT || rc == ERR_LIMIT);
    if (rc != 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(f[i].value >= data && f[i].len <= size);
        FUZZ_CHECK((size_t)(f[i].value - data) <= size - f[i].len);
        FUZZ_CHECK(fields_find(f, n, f[i].name) != NULL);
    }
    FUZZ_CHECK(fields_encoded_size(f, n) == size);
    unsigned char *again = malloc(size);
    FUZZ_CHECK(again != NULL);
    FUZZ_CHECK(fields_encode(f, n, again) == 0);
    FUZZ_CHECK(memcmp(again, data, size) == 0);
    free(again);
    return 0;
}
