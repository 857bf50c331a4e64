/*
 * case-trust.c: telling the records a case's caseworkers signed from forged ones (see
 * case-trust.h).
 */
#include "case-trust.h"

#include <string.h>

#include "record-sig.h"

void case_trust_init(case_trust *t)
{
    memset(t, 0, sizeof *t);
}

static void add_key(case_trust *t, const unsigned char *key)
{
    for (size_t i = 0; i < t->nkeys; i++)
        if (memcmp(t->keys + 32 * i, key, 32) == 0)
            return;
    if (t->nkeys < CASE_TRUST_MAX_KEYS)
        memcpy(t->keys + 32 * t->nkeys++, key, 32);
}

int case_trust_record(case_trust *t, enum envelope_kind kind, const char *ref, const unsigned char *plain,
                      size_t len, const field *f, size_t n)
{
    size_t signer;

    switch (kind) {
    case ENVELOPE_KIND_REPORT:
        t->reports++;
        if (t->seen_report)
            return 0;   /* only the first report counts (case-state.h); another is forged */
        t->seen_report = 1;
        for (size_t i = 0; i < n; i++)
            if (strcmp(f[i].name, "signer_key") == 0 && f[i].len == 32) {
                add_key(t, f[i].value);
                t->checks = 1;
            }
        return 1;
    case ENVELOPE_KIND_REPLY:
    case ENVELOPE_KIND_NOTE:
    case ENVELOPE_KIND_TRIAGE:
    case ENVELOPE_KIND_SHARE:
        if (!t->checks)
            return 1;
        if (record_sig_check(plain, len, kind, ref, t->keys, t->nkeys, &signer) != 0)
            return 0;
        if (kind == ENVELOPE_KIND_SHARE)
            for (size_t i = 0; i < n; i++)
                if (strcmp(f[i].name, "ed25519") == 0 && f[i].len == 32)
                    add_key(t, f[i].value);
        return 1;
    default:
        return 1;   /* the intake's own records: follow-ups, attachment metadata */
    }
}
