/*
 * case-seen.c: the caseworker's seen marks, a sealed file on their own machine (case-seen.h;
 * SECURITY.md has the bytes):
 *
 *     version (1, = 1) || nonce (24) || XChaCha20-Poly1305 (tag included) of:
 *         count (4) || count * (case id (8) || id of the newest item seen (8))
 *
 * entries in strictly increasing case id, integers little-endian; key BLAKE2b-256(key = X25519
 * secret key, "sea-seen-v1"); associated data "sea-seen-v1" || key id (8) || database id (16).
 */
#include "case-seen.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bytes.h"
#include "case-index.h"
#include "errors.h"
#include "fileio.h"
#include "key-ops.h"

#define SEEN_VERSION 1
#define SEEN_LABEL "sea-seen-v1"
#define DATABASE_ID_BYTES 16
#define AD_BYTES (sizeof SEEN_LABEL - 1 + PUBKEY_IDBYTES + DATABASE_ID_BYTES)
#define ENTRY_BYTES 16
#define FILE_MAX (64u * 1024 * 1024)
#define HEAD 25   /* version and nonce */

typedef struct seen_entry {
    int64_t case_id;
    int64_t item_id;
} seen_entry;

struct case_seen {
    unsigned char ad[AD_BYTES];
    char path[4096];        /* "" when no state folder keeps the marks */
    seen_entry *entries;    /* sorted by case_id */
    size_t n, cap;
};

/* The position of case_id in m's entries, or where it would go; *found says which. */
static size_t position(const case_seen *m, int64_t case_id, int *found)
{
    size_t lo = 0, hi = m->n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->entries[mid].case_id < case_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < m->n && m->entries[lo].case_id == case_id;
    return lo;
}

/* Sets case_id's mark, adding an entry in order when missing. */
static int set_mark(case_seen *m, int64_t case_id, int64_t item_id)
{
    int found;
    size_t at = position(m, case_id, &found);

    if (!found) {
        if (m->n == m->cap) {
            size_t cap = m->cap ? 2 * m->cap : 64;
            seen_entry *bigger = realloc(m->entries, cap * sizeof *bigger);
            if (bigger == NULL)
                return ERR_NOMEM;
            m->entries = bigger;
            m->cap = cap;
        }
        memmove(&m->entries[at + 1], &m->entries[at], (m->n - at) * sizeof *m->entries);
        m->n++;
        m->entries[at].case_id = case_id;
    }
    m->entries[at].item_id = item_id;
    return 0;
}

/* Reads a saved file into m; anything wrong leaves m empty (everything unseen). */
static void load_blob(case_seen *m, const caseworker_key *k, const unsigned char *blob, size_t len)
{
    unsigned char key[32], *plain;
    size_t plain_len;
    uint32_t count;

    if (len < HEAD + 16 + 4 || blob[0] != SEEN_VERSION || (plain = malloc(len)) == NULL)
        return;
    key_derive(k, SEEN_LABEL, key);
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, NULL, NULL, blob + HEAD, len - HEAD, m->ad, sizeof m->ad,
                                                   blob + 1, key) != 0)
        goto out;
    plain_len = len - HEAD - 16;
    count = bytes_load32_le(plain);
    if ((plain_len - 4) / ENTRY_BYTES != count || (plain_len - 4) % ENTRY_BYTES != 0)
        goto out;
    for (uint32_t i = 0; i < count; i++) {
        int64_t id = (int64_t)bytes_load64_le(plain + 4 + (size_t)i * ENTRY_BYTES);
        if ((m->n > 0 && m->entries[m->n - 1].case_id >= id) ||
            set_mark(m, id, (int64_t)bytes_load64_le(plain + 4 + (size_t)i * ENTRY_BYTES + 8)) != 0) {
            m->n = 0;   /* out of order: damaged */
            goto out;
        }
    }
out:
    sodium_memzero(key, sizeof key);
    sodium_memzero(plain, len);
    free(plain);
}

int case_seen_open(store *s, const caseworker_key *k, const char *state_dir, case_seen **out,
                   char *err, size_t errlen)
{
    case_seen *m = calloc(1, sizeof *m);
    unsigned char db_id[DATABASE_ID_BYTES], *saved = NULL;
    size_t saved_len;
    int rc;

    *out = NULL;
    if (m == NULL)
        return err_set(err, errlen, ERR_NOMEM, "out of memory");
    if ((rc = store_secret_setting(s, "database-id", db_id, sizeof db_id, err, errlen)) != 0) {
        free(m);
        return rc;
    }
    memcpy(m->ad, SEEN_LABEL, sizeof SEEN_LABEL - 1);
    memcpy(m->ad + sizeof SEEN_LABEL - 1, k->pub.key_id, PUBKEY_IDBYTES);
    memcpy(m->ad + sizeof SEEN_LABEL - 1 + PUBKEY_IDBYTES, db_id, DATABASE_ID_BYTES);
    if (case_index_state_path(state_dir, k, db_id, "seen", m->path, sizeof m->path) == 0 && m->path[0] != '\0' &&
        fileio_read_all(m->path, FILE_MAX, 0, &saved, &saved_len, NULL, 0) == 0) {
        load_blob(m, k, saved, saved_len);
        free(saved);
    }
    *out = m;
    return 0;
}

int64_t case_seen_item(const case_seen *m, int64_t case_id)
{
    int found;
    size_t at = position(m, case_id, &found);

    return found ? m->entries[at].item_id : 0;
}

int case_seen_is_new(const case_seen *m, int64_t case_id, int64_t item_id)
{
    return item_id != 0 && case_seen_item(m, case_id) != item_id;
}

/* Writes m to its file: a new private file beside it, then renamed over it. */
static int save(case_seen *m, const caseworker_key *k, char *err, size_t errlen)
{
    size_t plain_len = 4 + m->n * ENTRY_BYTES;
    unsigned char key[32], *plain = malloc(plain_len), *blob = malloc(HEAD + plain_len + 16);
    char tmp[sizeof m->path + 32], hex[17];
    int rc;

    if (plain == NULL || blob == NULL) {
        rc = err_set(err, errlen, ERR_NOMEM, "out of memory");
        goto out;
    }
    bytes_store32_le(plain, (uint32_t)m->n);
    for (size_t i = 0; i < m->n; i++) {
        bytes_store64_le(plain + 4 + i * ENTRY_BYTES, (uint64_t)m->entries[i].case_id);
        bytes_store64_le(plain + 4 + i * ENTRY_BYTES + 8, (uint64_t)m->entries[i].item_id);
    }
    key_derive(k, SEEN_LABEL, key);
    blob[0] = SEEN_VERSION;
    randombytes_buf(blob + 1, 24);
    crypto_aead_xchacha20poly1305_ietf_encrypt(blob + HEAD, NULL, plain, plain_len, m->ad, sizeof m->ad, NULL,
                                               blob + 1, key);
    sodium_memzero(key, sizeof key);
    sodium_memzero(plain, plain_len);
    sodium_bin2hex(hex, sizeof hex, blob + 1, 8);
    snprintf(tmp, sizeof tmp, "%s.%s.tmp", m->path, hex);
    rc = fileio_create_exclusive(tmp, 0600, blob, HEAD + plain_len + 16, err, errlen);
    if (rc == 0 && rename(tmp, m->path) != 0) {
        rc = err_set(err, errlen, ERR_IO, "cannot save what you have seen in %s: %s", m->path, strerror(errno));
        unlink(tmp);
    }
out:
    free(plain);
    free(blob);
    return rc;
}

int case_seen_record(case_seen *m, const caseworker_key *k, int64_t case_id, int64_t item_id,
                     char *err, size_t errlen)
{
    if (m->path[0] == '\0')
        return err_set(err, errlen, ERR_IO, "no private state folder to remember what you have seen in (set "
                       "CASEWORK_STATE_DIR to a folder only you may write to)");
    if (case_seen_item(m, case_id) == item_id)
        return 0;
    if (set_mark(m, case_id, item_id) != 0)
        return err_set(err, errlen, ERR_NOMEM, "out of memory");
    return save(m, k, err, errlen);
}

void case_seen_free(case_seen *m)
{
    if (m == NULL)
        return;
    free(m->entries);
    free(m);
}

int case_item(const case_record *r)
{
    return !r->forged && (r->kind == ENVELOPE_KIND_REPORT || r->kind == ENVELOPE_KIND_FOLLOWUP ||
                          r->kind == ENVELOPE_KIND_ATTACHMENT_META);
}

size_t case_first_unseen(const case_data *d, int64_t seen_item, int64_t *newest)
{
    size_t first = 0;

    *newest = 0;
    for (size_t i = 0; i < d->nrecords; i++) {
        if (seen_item != 0 && d->records[i].id == seen_item)
            first = i + 1;
        if (case_item(&d->records[i]))
            *newest = d->records[i].id;
    }
    while (first < d->nrecords && !case_item(&d->records[first]))
        first++;
    return first;
}
