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
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "envelope.h"
#include "errors.h"
#include "fields.h"

#define INDEX_VERSION 2
#define INDEX_CONTEXT "sea-index-v1"
#define ENTRY_MAX (8 + 1 + 9 * (1 + INDEX_TEXT_MAX))
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
        if (kind == ENVELOPE_KIND_REPORT && strcmp(f->name, "sex") == 0)
            set_text(e->sex, f);
        if (kind == ENVELOPE_KIND_REPORT && strcmp(f->name, "age_band") == 0)
            set_text(e->age_band, f);
        if (kind == ENVELOPE_KIND_TRIAGE && strcmp(f->name, "outcome") == 0)
            set_text(e->outcome, f);
        if (kind == ENVELOPE_KIND_TRIAGE && strcmp(f->name, "status") == 0) {
            /* the last closing counts; reopening clears it */
            if (f->len == 6 && memcmp(f->value, "closed", 6) == 0)
                snprintf(e->closed, sizeof e->closed, "%s", day);
            else
                e->closed[0] = '\0';
        }
    }
    if (kind == ENVELOPE_KIND_REPORT)
        e->readable = 1;
    if (kind == ENVELOPE_KIND_REPLY && e->acknowledged[0] == '\0')
        snprintf(e->acknowledged, sizeof e->acknowledged, "%s", day);
}

/* The text fields of an entry, in their order in the blob. */
static char *entry_text(index_entry *e, int i)
{
    char *const t[] = {e->received, e->acknowledged, e->closed, e->category, e->severity,
                       e->assignee, e->sex, e->age_band, e->outcome};
    return t[i];
}

static size_t entry_cap(int i)
{
    return i < 3 ? DAY_TEXT_SIZE - 1 : INDEX_TEXT_MAX;
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
        index_entry e, *slot;
        if (o + 9 > plain_len)
            goto bad;
        memset(&e, 0, sizeof e);
        e.case_id = (int64_t)bytes_load64_le(plain + o);
        e.readable = plain[o + 8] & 1;
        e.restricted = (plain[o + 8] >> 1) & 1;
        o += 9;
        for (int t = 0; t < 9; t++) {
            size_t n;
            if (o >= plain_len || (n = plain[o]) > entry_cap(t) || o + 1 + n > plain_len)
                goto bad;
            memcpy(entry_text(&e, t), plain + o + 1, n);
            entry_text(&e, t)[n] = '\0';
            o += 1 + n;
        }
        if ((slot = entry_for(ix, e.case_id)) == NULL)
            goto bad;
        *slot = e;
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
    sqlite3_stmt *st;
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
        plain[o + 8] = (unsigned char)(e->readable | (e->restricted << 1));
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
    if (sqlite3_prepare_v2(store_db(s), "INSERT OR REPLACE INTO caseworker_index(key_id, blob) VALUES (?, ?)",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = err_set(err, errlen, ERR_IO, "saving the case index: %s", sqlite3_errmsg(store_db(s)));
        goto out;
    }
    sqlite3_bind_blob(st, 1, k->pub.key_id, PUBKEY_IDBYTES, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, blob, (int)(o + 41), SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = err_set(err, errlen, ERR_IO, "saving the case index: %s", sqlite3_errmsg(store_db(s)));
    sqlite3_finalize(st);
out:
    sodium_free(plain);
    free(blob);
    return rc;
}

/* Folds in the figures of cases purged since the index was saved. */
static int add_figures(store *s, case_index *ix, const caseworker_key *k, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc = 0;

    if (sqlite3_prepare_v2(store_db(s), "SELECT id, envelope FROM retained_figures WHERE id > ? ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return err_set(err, errlen, ERR_IO, "reading figures: %s", sqlite3_errmsg(store_db(s)));
    sqlite3_bind_int64(st, 1, ix->hwm_figures);
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        unsigned char *plain;
        size_t len, nf;
        field fl[FIELDS_MAX];
        int64_t id = sqlite3_column_int64(st, 0);
        ix->hwm_figures = id;
        ix->changed = 1;
        if (envelope_open(k->pub.x25519, k->x25519_sk, ENVELOPE_KIND_FIGURES, "figures",
                          sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1), &plain, &len, NULL, 0) != 0)
            continue;
        if (fields_decode(plain, len, fl, FIELDS_MAX, &nf) == 0) {
            index_entry *e = entry_for(ix, -id);
            if (e == NULL) {
                rc = err_set(err, errlen, ERR_NOMEM, "out of memory");
            } else {
                static const char *const names[] = {"received", "ack_day", "closed_day", "category", "", "",
                                                    "sex", "age_band", "outcome"};
                e->readable = 1;
                for (size_t i = 0; i < nf; i++)
                    for (int t = 0; t < 9; t++)
                        if (names[t][0] && strcmp(fl[i].name, names[t]) == 0) {
                            size_t n = fl[i].len < entry_cap(t) ? fl[i].len : entry_cap(t);
                            memcpy(entry_text(e, t), fl[i].value, n);
                            entry_text(e, t)[n] = '\0';
                        }
            }
        }
        sodium_free(plain);
    }
    sqlite3_finalize(st);
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
    if (rc == 0)
        rc = add_figures(s, ix, k, err, errlen);
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

int case_index_forget(store *s, const unsigned char *key_id)
{
    sqlite3_stmt *st;
    int rc;

    if (key_id == NULL)
        return sqlite3_exec(store_db(s), "DELETE FROM caseworker_index", NULL, NULL, NULL) == SQLITE_OK ? 0 : ERR_IO;
    if (sqlite3_prepare_v2(store_db(s), "DELETE FROM caseworker_index WHERE key_id = ?", -1, &st, NULL) != SQLITE_OK)
        return ERR_IO;
    sqlite3_bind_blob(st, 1, key_id, PUBKEY_IDBYTES, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : ERR_IO;
    sqlite3_finalize(st);
    return rc;
}

void case_index_free(case_index *ix)
{
    if (ix == NULL)
        return;
    sodium_free(ix->entries);
    free(ix);
}
