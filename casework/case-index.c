/*
 * case-index.c: the caseworker's sealed case index (see case-index.h). The blob is:
 *
 *     version (1) || nonce (24) || XChaCha20-Poly1305 of:
 *         high-water record id (8) || high-water figures id (8) || count (4) || count * entry
 *     entry = case id (8, two's complement) || flags (1: bit 0 readable, bit 1 restricted) ||
 *             received, acknowledged, closed, category, severity, assignee, sex, age band,
 *             outcome (each a length byte and the bytes)
 */
#include "case-index.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "envelope.h"
#include "errors.h"
#include "fields.h"
#include "key-ops.h"

#define INDEX_VERSION 2
#define INDEX_CONTEXT "sea-index-v1"
#define ENTRY_MAX (8 + 1 + 9 * (1 + CASE_STATE_TEXT_MAX))
#define HEAD_BYTES 20

struct case_index {
    int64_t hwm;            /* records seen up to this id */
    int64_t hwm_figures;    /* retained_figures seen up to this id */
    index_entry *entries;   /* sorted by case_id */
    size_t n, cap;
    int changed;
};

static void index_key(const caseworker_key *k, unsigned char key[32])
{
    key_derive(k, INDEX_CONTEXT, key);
}

static void index_ad(const caseworker_key *k, unsigned char ad[sizeof INDEX_CONTEXT - 1 + PUBKEY_IDBYTES])
{
    memcpy(ad, INDEX_CONTEXT, sizeof INDEX_CONTEXT - 1);
    memcpy(ad + sizeof INDEX_CONTEXT - 1, k->pub.key_id, PUBKEY_IDBYTES);
}

const index_entry *case_index_find(const case_index *ix, int64_t case_id)
{
    size_t lo = 0, hi = ix->n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ix->entries[mid].case_id < case_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ix->n && ix->entries[lo].case_id == case_id ? &ix->entries[lo] : NULL;
}

/* The entry of case_id, added (in order) when missing; NULL when memory is short. */
static index_entry *entry_for(case_index *ix, int64_t case_id)
{
    index_entry *e = (index_entry *)(uintptr_t)case_index_find(ix, case_id);
    size_t at;

    if (e != NULL)
        return e;
    if (ix->n == ix->cap) {
        size_t cap = ix->cap ? 2 * ix->cap : 64;
        index_entry *bigger = sodium_allocarray(cap, sizeof *bigger);
        if (bigger == NULL)
            return NULL;
        if (ix->entries != NULL) {
            memcpy(bigger, ix->entries, ix->n * sizeof *bigger);
            sodium_free(ix->entries);
        }
        ix->entries = bigger;
        ix->cap = cap;
    }
    for (at = ix->n; at > 0 && ix->entries[at - 1].case_id > case_id; at--)
        ix->entries[at] = ix->entries[at - 1];
    ix->n++;
    e = &ix->entries[at];
    memset(e, 0, sizeof *e);
    e->case_id = case_id;
    case_state_init(&e->st, "");
    return e;
}

/* The text fields of an entry, in their order in the blob. */
static char *entry_text(index_entry *e, int i)
{
    case_state *st = &e->st;
    char *const t[] = {st->received, st->acknowledged, st->closed, st->category, st->severity,
                       st->assignee, st->sex, st->age_band, st->outcome};
    return t[i];
}

static size_t entry_cap(int i)
{
    return i < 3 ? DAY_TEXT_SIZE - 1 : CASE_STATE_TEXT_MAX;
}

/* Opens a saved blob into ix; any problem leaves ix empty (it is then rebuilt). */
static void load_blob(case_index *ix, const caseworker_key *k, const unsigned char *blob, size_t len)
{
    unsigned char key[32], ad[sizeof INDEX_CONTEXT - 1 + PUBKEY_IDBYTES], *plain;
    size_t plain_len, o = HEAD_BYTES;
    uint32_t count;

    if (len < 1 + 24 + 16 + HEAD_BYTES || blob[0] != INDEX_VERSION || (plain = sodium_malloc(len)) == NULL)
        return;
    index_key(k, key);
    index_ad(k, ad);
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, NULL, NULL, blob + 25, len - 25, ad, sizeof ad,
                                                   blob + 1, key) != 0)
        goto out;
    plain_len = len - 25 - 16;
    count = bytes_load32_le(plain + 16);
    for (uint32_t i = 0; i < count; i++) {
        index_entry *e;
        /* Decoded straight into the entry, in guarded memory: no copy on the stack. */
        if (o + 9 > plain_len || (e = entry_for(ix, (int64_t)bytes_load64_le(plain + o))) == NULL)
            goto bad;
        e->st.readable = plain[o + 8] & 1;
        e->st.restricted = (plain[o + 8] >> 1) & 1;
        o += 9;
        for (int t = 0; t < 9; t++) {
            size_t n;
            if (o >= plain_len || (n = plain[o]) > entry_cap(t) || o + 1 + n > plain_len)
                goto bad;
            memcpy(entry_text(e, t), plain + o + 1, n);
            entry_text(e, t)[n] = '\0';
            o += 1 + n;
        }
    }
    ix->hwm = (int64_t)bytes_load64_le(plain);
    ix->hwm_figures = (int64_t)bytes_load64_le(plain + 8);
    goto out;
bad:
    ix->n = 0;
    ix->hwm = ix->hwm_figures = 0;
out:
    sodium_memzero(key, sizeof key);
    sodium_free(plain);
}

static int save_blob(store *s, case_index *ix, const caseworker_key *k, char *err, size_t errlen)
{
    unsigned char key[32], ad[sizeof INDEX_CONTEXT - 1 + PUBKEY_IDBYTES];
    size_t max = HEAD_BYTES + ix->n * ENTRY_MAX, o = HEAD_BYTES;
    unsigned char *plain = sodium_malloc(max), *blob = malloc(max + 41);
    int rc = 0;

    if (plain == NULL || blob == NULL) {
        rc = err_set(err, errlen, ERR_NOMEM, "out of memory");
        goto out;
    }
    bytes_store64_le(plain, (uint64_t)ix->hwm);
    bytes_store64_le(plain + 8, (uint64_t)ix->hwm_figures);
    bytes_store32_le(plain + 16, (uint32_t)ix->n);
    for (size_t i = 0; i < ix->n; i++) {
        index_entry *e = &ix->entries[i];
        bytes_store64_le(plain + o, (uint64_t)e->case_id);
        plain[o + 8] = (unsigned char)(e->st.readable | (e->st.restricted << 1));
        o += 9;
        for (int t = 0; t < 9; t++) {
            size_t n = strlen(entry_text(e, t));
            plain[o] = (unsigned char)n;
            memcpy(plain + o + 1, entry_text(e, t), n);
            o += 1 + n;
        }
    }
    index_key(k, key);
    index_ad(k, ad);
    blob[0] = INDEX_VERSION;
    randombytes_buf(blob + 1, 24);
    crypto_aead_xchacha20poly1305_ietf_encrypt(blob + 25, NULL, plain, o, ad, sizeof ad, NULL, blob + 1, key);
    sodium_memzero(key, sizeof key);
    rc = store_index_put(s, k->pub.key_id, blob, o + 41, err, errlen);
out:
    sodium_free(plain);
    free(blob);
    return rc;
}

typedef struct update_ctx {
    case_index *ix;
    const caseworker_key *k;
    char *err;
    size_t errlen;
} update_ctx;

/* Folds in the figures a purged case left (the state it had when it was erased). */
static int add_figures(void *ctx, int64_t id, const unsigned char *envelope, size_t envelope_len)
{
    update_ctx *u = ctx;
    unsigned char *plain;
    size_t len, nf;
    field fl[FIELDS_MAX];
    index_entry *e;
    int rc = 0;

    u->ix->hwm_figures = id;
    u->ix->changed = 1;
    if (envelope_open(u->k->pub.x25519, u->k->x25519_sk, ENVELOPE_KIND_FIGURES, "figures", envelope,
                      envelope_len, &plain, &len, NULL, 0) != 0)
        return 0;   /* not this caseworker's */
    if (fields_decode(plain, len, fl, FIELDS_MAX, &nf) == 0) {
        if ((e = entry_for(u->ix, -id)) == NULL)
            rc = err_set(u->err, u->errlen, ERR_NOMEM, "out of memory");
        else
            case_state_from_figures(&e->st, fl, nf);
    }
    sodium_free(plain);
    return rc;
}

/* Folds one new record into its case's entry (case-state.h). */
static int add_record(void *ctx, const store_record *r)
{
    update_ctx *u = ctx;
    enum envelope_kind kind;
    unsigned char *plain;
    size_t len, nf;
    field fl[FIELDS_MAX];
    index_entry *e;
    int rc = 0;

    u->ix->hwm = r->id;
    u->ix->changed = 1;
    if (r->audience == STORE_AUDIENCE_RECEIPT_BOX)
        return 0;
    if (envelope_open_any(u->k->pub.x25519, u->k->x25519_sk, r->case_ref, r->envelope, r->envelope_len,
                          &kind, &plain, &len, NULL, 0) != 0)
        return 0;   /* not ours, or damaged: show names the damage */
    if (kind == ENVELOPE_KIND_REPORT || kind == ENVELOPE_KIND_TRIAGE || kind == ENVELOPE_KIND_REPLY) {
        if ((e = entry_for(u->ix, r->case_id)) == NULL)
            rc = err_set(u->err, u->errlen, ERR_NOMEM, "out of memory");
        else if (fields_decode(plain, len, fl, FIELDS_MAX, &nf) == 0)
            case_state_fold(&e->st, kind, r->day, fl, nf);
    }
    sodium_free(plain);
    return rc;
}

static int load_saved(void *ctx, const unsigned char *blob, size_t len)
{
    update_ctx *u = ctx;

    load_blob(u->ix, u->k, blob, len);
    return 0;
}

int case_index_update(store *s, const caseworker_key *k, case_index **out, char *err, size_t errlen)
{
    case_index *ix = calloc(1, sizeof *ix);
    update_ctx u = {ix, k, err, errlen};
    int rc;

    *out = NULL;
    if (ix == NULL)
        return err_set(err, errlen, ERR_NOMEM, "out of memory");
    rc = store_index_get(s, k->pub.key_id, load_saved, &u, err, errlen);
    if (rc == 0)
        rc = store_records_since(s, ix->hwm, add_record, &u, err, errlen);
    if (rc == 0)
        rc = store_figures_since(s, ix->hwm_figures, add_figures, &u, err, errlen);
    if (rc == 0 && ix->changed)
        rc = save_blob(s, ix, k, err, errlen);
    if (rc != 0) {
        case_index_free(ix);
        return rc;
    }
    *out = ix;
    return 0;
}

const index_entry *case_index_purged(const case_index *ix, size_t *n)
{
    size_t i = 0;

    while (i < ix->n && ix->entries[i].case_id < 0)
        i++;
    *n = i;
    return ix->entries;
}

int case_index_forget(store *s, const unsigned char *key_id, char *err, size_t errlen)
{
    return store_index_forget(s, key_id, err, errlen);
}

void case_index_free(case_index *ix)
{
    if (ix == NULL)
        return;
    sodium_free(ix->entries);
    free(ix);
}
