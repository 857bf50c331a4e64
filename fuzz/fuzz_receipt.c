/*
 * fuzz_receipt.c: the two readers of codes a person types: receipt_parse (a reporter's receipt,
 * from the status and follow-up forms) and caseref_normalize (a case reference, typed to
 * casework). Both must refuse or accept without reading out of bounds, and what they accept
 * must survive a round trip through the canonical form.
 */
#include <stdlib.h>
#include <string.h>

#include "caseref.h"
#include "fuzz.h"
#include "receipt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstring(data, size);
    unsigned char raw[RECEIPT_BYTES], again[RECEIPT_BYTES];
    char shown[RECEIPT_TEXT_SIZE], ref[CASEREF_TEXT_SIZE], ref2[CASEREF_TEXT_SIZE];

    if (receipt_parse(text, raw) == 0) {
        receipt_format(raw, shown);
        FUZZ_CHECK(strlen(shown) == RECEIPT_TEXT_SIZE - 1);
        FUZZ_CHECK(receipt_parse(shown, again) == 0);
        FUZZ_CHECK(memcmp(raw, again, sizeof raw) == 0);
    }
    if (caseref_normalize(text, ref) == 0) {
        FUZZ_CHECK(strlen(ref) == CASEREF_TEXT_SIZE - 1);
        FUZZ_CHECK(caseref_normalize(ref, ref2) == 0);
        FUZZ_CHECK(strcmp(ref, ref2) == 0);
    }
    free(text);
    return 0;
}
