/*
 * case-trust.c: telling the records a case's caseworkers signed from forged ones (see
 * case-trust.h).
 */
#include "case-trust.h"

#include <sodium.h>
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

void case_trust_report_hash(const unsigned char *plain, size_t len, unsigned char hash[32])
{
    crypto_generichash(hash, 32, plain, len, NULL, 0);
}

/* 1 when the record's report_hash names the case's report. */
static int names_the_report(const case_trust *t, const field *f, size_t n)
{
    const field *h = fields_find(f, n, "report_hash");

    return h != NULL && h->len == 32 && sodium_memcmp(h->value, t->report_hash, 32) == 0;
}

int case_trust_record(case_trust *t, enum envelope_kind kind, const char *ref, const unsigned char *plain,
                      size_t len, const field *f, size_t n)
{
    size_t signer;

    switch (kind) {
    case ENVELOPE_KIND_REPORT:
        t->reports++;
        if (t->seen_report) {
            t->tampered = 1;
            return 0;   /* only the first report counts (case-state.h); another is forged */
        }
        t->seen_report = 1;
        case_trust_report_hash(plain, len, t->report_hash);
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
        if (!t->checks) {
            /* A report from before signing: its records are believed as before, but a signed
             * record beside it means the real report was replaced by an old-style one. */
            if (fields_find(f, n, "sig") != NULL)
                t->tampered = 1;
            return 1;
        }
        if (record_sig_check(plain, len, kind, ref, t->keys, t->nkeys, &signer) != 0)
            return 0;
        if (!names_the_report(t, f, n)) {
            if (fields_find(f, n, "report_hash") != NULL)
                t->tampered = 1;   /* signed for another report: this one was replaced */
            return 0;
        }
        if (kind == ENVELOPE_KIND_SHARE)
            for (size_t i = 0; i < n; i++)
                if (strcmp(f[i].name, "ed25519") == 0 && f[i].len == 32)
                    add_key(t, f[i].value);
        return 1;
    default:
        return 1;   /* the intake's own records: follow-ups, attachment metadata */
    }
}
