/*
 * case-index.c: the caseworker's sealed list index (see case-index.h). The blob is:
 *
 *     version (1) || nonce (24) || XChaCha20-Poly1305 of:
 *         high-water record id (8) || count (4) || count * entry
 *     entry = case id (8) || flags (1: bit 0 readable, bit 1 restricted) ||
 *             acknowledged (10 bytes, zeros when none) || category, severity, assignee
 *             (each a length byte and the bytes)
 */
#include "case-index.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "envelope.h"
#include "errors.h"
#include "fields.h"

#define INDEX_VERSION 1
#define INDEX_CONTEXT "sea-index-v1"
#define ENTRY_MAX (8 + 1 + 10 + 3 * (1 + INDEX_TEXT_MAX))

struct case_index {
    int64_t hwm;
    index_entry *entries;   /* sorted by case_id */
    size_t n, cap;
    int changed;
};

static void index_key(const caseworker_key *k, unsigned char key[32])
{
    crypto_generichash(key, 32, (const unsigned char *)INDEX_CONTEXT, sizeof INDEX_CONTEXT - 1,
                       k->x25519_sk, sizeof k->x25519_sk);
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
    return e;
}

static void set_text(char *out, const field *f)
{
    size_t n = f->len < INDEX_TEXT_MAX ? f->len : INDEX_TEXT_MAX;

    memcpy(out, f->value, n);
    out[n] = '\0';
}

/* Folds one decrypted record into the case's entry. */
static void apply_record(index_entry *e, enum envelope_kind kind, const char *day, const field *fl, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const field *f = &fl[i];
        if (kind == ENVELOPE_KIND_REPORT && strcmp(f->name, "category") == 0 && e->category[0] == '\0')
            set_text(e->category, f);
        if (kind == ENVELOPE_KIND_REPORT && strcmp(f->name, "excluded") == 0)
            e->restricted = 1;
        if (kind == ENVELOPE_KIND_TRIAGE && strcmp(f->name, "category") == 0)
            set_text(e->category, f);
        if (kind == ENVELOPE_KIND_TRIAGE && strcmp(f->name, "severity") == 0)
            set_text(e->severity, f);
        if (kind == ENVELOPE_KIND_TRIAGE && strcmp(f->name, "assignee") == 0)
            set_text(e->assignee, f);
    }
    if (kind == ENVELOPE_KIND_REPORT)
        e->readable = 1;
    if (kind == ENVELOPE_KIND_REPLY && e->acknowledged[0] == '\0')
        snprintf(e->acknowledged, sizeof e->acknowledged, "%s", day);
}

static int put_text(unsigned char *out, size_t *o, const char *s)
{
    size_t n = strlen(s);

    out[(*o)++] = (unsigned char)n;
    memcpy(out + *o, s, n);
    *o += n;
    return 0;
}

static int get_text(const unsigned char *in, size_t len, size_t *o, char *out)
{
    size_t n;

    if (*o >= len || (n = in[*o]) > INDEX_TEXT_MAX || *o + 1 + n > len)
        return -1;
    memcpy(out, in + *o + 1, n);
    out[n] = '\0';
    *o += 1 + n;
    return 0;
}

/* Opens a saved blob into ix; any problem leaves ix empty (it is then rebuilt). */
static void load_blob(case_index *ix, const caseworker_key *k, const unsigned char *blob, size_t len)
{
    unsigned char key[32], ad[sizeof INDEX_CONTEXT - 1 + PUBKEY_IDBYTES], *plain;
    size_t plain_len, o = 12;
    uint32_t count;

    if (len < 1 + 24 + 16 + 12 || blob[0] != INDEX_VERSION || (plain = sodium_malloc(len)) == NULL)
        return;
    index_key(k, key);
    index_ad(k, ad);
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, NULL, NULL, blob + 25, len - 25, ad, sizeof ad,
                                                   blob + 1, key) != 0)
        goto out;
    plain_len = len - 25 - 16;
    count = bytes_load32_le(plain + 8);
    for (uint32_t i = 0; i < count; i++) {
        index_entry e;
        if (o + 8 + 1 + 10 > plain_len)
            goto bad;
        memset(&e, 0, sizeof e);
        e.case_id = (int64_t)bytes_load64_le(plain + o);
        e.readable = plain[o + 8] & 1;
        e.restricted = (plain[o + 8] >> 1) & 1;
        if (plain[o + 9] != 0)
            memcpy(e.acknowledged, plain + o + 9, 10);
        o += 19;
        if (get_text(plain, plain_len, &o, e.category) || get_text(plain, plain_len, &o, e.severity) ||
            get_text(plain, plain_len, &o, e.assignee))
            goto bad;
        index_entry *slot = entry_for(ix, e.case_id);
        if (slot == NULL)
            goto bad;
        *slot = e;
    }
    ix->hwm = (int64_t)bytes_load64_le(plain);
    goto out;
bad:
    ix->n = 0;
    ix->hwm = 0;
out:
    sodium_memzero(key, sizeof key);
    sodium_free(plain);
}

static int save_blob(store *s, case_index *ix, const caseworker_key *k, char *err, size_t errlen)
{
    unsigned char key[32], ad[sizeof INDEX_CONTEXT - 1 + PUBKEY_IDBYTES];
    size_t max = 12 + ix->n * ENTRY_MAX, o = 12;
    unsigned char *plain = sodium_malloc(max), *blob = malloc(max + 41);
    sqlite3_stmt *st;
    int rc = 0;

    if (plain == NULL || blob == NULL) {
        rc = err_set(err, errlen, ERR_NOMEM, "out of memory");
        goto out;
    }
    bytes_store64_le(plain, (uint64_t)ix->hwm);
    bytes_store32_le(plain + 8, (uint32_t)ix->n);
    for (size_t i = 0; i < ix->n; i++) {
        const index_entry *e = &ix->entries[i];
        bytes_store64_le(plain + o, (uint64_t)e->case_id);
        plain[o + 8] = (unsigned char)(e->readable | (e->restricted << 1));
        memset(plain + o + 9, 0, 10);
        if (e->acknowledged[0])
            memcpy(plain + o + 9, e->acknowledged, 10);
        o += 19;
        put_text(plain, &o, e->category);
        put_text(plain, &o, e->severity);
        put_text(plain, &o, e->assignee);
    }
    index_key(k, key);
    index_ad(k, ad);
    blob[0] = INDEX_VERSION;
    randombytes_buf(blob + 1, 24);
    crypto_aead_xchacha20poly1305_ietf_encrypt(blob + 25, NULL, plain, o, ad, sizeof ad, NULL, blob + 1, key);
    sodium_memzero(key, sizeof key);
    if (sqlite3_prepare_v2(store_db(s), "INSERT OR REPLACE INTO caseworker_index(key_id, blob) VALUES (?, ?)",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = err_set(err, errlen, ERR_IO, "saving the list index: %s", sqlite3_errmsg(store_db(s)));
        goto out;
    }
    sqlite3_bind_blob(st, 1, k->pub.key_id, PUBKEY_IDBYTES, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, blob, (int)(o + 41), SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = err_set(err, errlen, ERR_IO, "saving the list index: %s", sqlite3_errmsg(store_db(s)));
    sqlite3_finalize(st);
out:
    sodium_free(plain);
    free(blob);
    return rc;
}

int case_index_update(store *s, const caseworker_key *k, case_index **out, char *err, size_t errlen)
{
    case_index *ix = calloc(1, sizeof *ix);
    sqlite3_stmt *st;
    int rc = 0;

    *out = NULL;
    if (ix == NULL)
        return err_set(err, errlen, ERR_NOMEM, "out of memory");
    if (sqlite3_prepare_v2(store_db(s), "SELECT blob FROM caseworker_index WHERE key_id = ?", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_blob(st, 1, k->pub.key_id, PUBKEY_IDBYTES, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            load_blob(ix, k, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
        sqlite3_finalize(st);
    }
    if (sqlite3_prepare_v2(store_db(s), "SELECT r.id, r.case_id, r.audience, r.day, r.envelope, c.ref"
                                        " FROM records r JOIN cases c ON c.id = r.case_id"
                                        " WHERE r.id > ? ORDER BY r.id", -1, &st, NULL) != SQLITE_OK) {
        case_index_free(ix);
        return err_set(err, errlen, ERR_IO, "reading records: %s", sqlite3_errmsg(store_db(s)));
    }
    sqlite3_bind_int64(st, 1, ix->hwm);
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        enum envelope_kind kind;
        unsigned char *plain;
        size_t len, nf;
        field fl[FIELDS_MAX];
        ix->hwm = sqlite3_column_int64(st, 0);
        ix->changed = 1;
        if (sqlite3_column_int(st, 2) == STORE_AUDIENCE_RECEIPT_BOX)
            continue;
        if (envelope_open_any(k->pub.x25519, k->x25519_sk, (const char *)sqlite3_column_text(st, 5),
                              sqlite3_column_blob(st, 4), (size_t)sqlite3_column_bytes(st, 4), &kind,
                              &plain, &len, NULL, 0) != 0)
            continue;   /* not ours, or damaged: show names the damage */
        if (kind == ENVELOPE_KIND_REPORT || kind == ENVELOPE_KIND_TRIAGE || kind == ENVELOPE_KIND_REPLY) {
            index_entry *e = entry_for(ix, sqlite3_column_int64(st, 1));
            if (e == NULL)
                rc = err_set(err, errlen, ERR_NOMEM, "out of memory");
            else if (fields_decode(plain, len, fl, FIELDS_MAX, &nf) == 0)
                apply_record(e, kind, (const char *)sqlite3_column_text(st, 3), fl, nf);
        }
        sodium_free(plain);
    }
    sqlite3_finalize(st);
    if (rc == 0 && ix->changed)
        rc = save_blob(s, ix, k, err, errlen);
    if (rc != 0) {
        case_index_free(ix);
        return rc;
    }
    *out = ix;
    return 0;
}

void case_index_free(case_index *ix)
{
    if (ix == NULL)
        return;
    sodium_free(ix->entries);
    free(ix);
}
