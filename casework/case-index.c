/*
 * case-index.c: the caseworker's sealed case index, a file on the caseworker's own machine (see
 * case-index.h; the format is in SECURITY.md). The file is:
 *
 *     version (1, = 5) || nonce (24) || XChaCha20-Poly1305 (tag included) of:
 *         generation (8) || last figures id seen (8) || count (4) || count * entry
 *     entry = case id (8, two's complement) || last seq seen (8) || that record's id (8) ||
 *             the id of the newest item from the reporter (8; 0: none) ||
 *             flags (1: bit 0 readable, bit 1 restricted) ||
 *             received, acknowledged, closed, category, severity, assignee, sex, age band,
 *             outcome (each a length byte and the bytes)
 *
 * integers little-endian; key BLAKE2b-256(key = X25519 secret key, "sea-index-v1"); associated
 * data "sea-index-v5" || key id (8) || database id (16).
 */
#include "case-index.h"

#include "case-trust.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bytes.h"
#include "envelope.h"
#include "errors.h"
#include "fields.h"
#include "fileio.h"
#include "key-ops.h"

#define INDEX_VERSION 5
#define INDEX_CONTEXT "sea-index-v1"   /* the key's label (unchanged since version 2) */
#define INDEX_AD_LABEL "sea-index-v5"
#define DATABASE_ID_BYTES 16
#define AD_BYTES (sizeof INDEX_AD_LABEL - 1 + PUBKEY_IDBYTES + DATABASE_ID_BYTES)
#define ENTRY_FIXED 33   /* case id, last seq, last record id, newest item id, flags */
#define ENTRY_MAX (ENTRY_FIXED + 9 * (1 + CASE_STATE_TEXT_MAX))
#define HEAD_BYTES 20
#define FILE_MAX (256u * 1024 * 1024)

struct case_index {
    uint64_t generation;    /* the store's index generation it was built under */
    unsigned char ad[AD_BYTES];
    char path[4096];        /* "" when it is not kept (no state folder) */
    int64_t hwm_figures;    /* retained_figures seen up to this id */
    index_entry *entries;   /* sorted by case_id */
    size_t n, cap;
    int changed;
};

static void index_key(const caseworker_key *k, unsigned char key[32])
{
    key_derive(k, INDEX_CONTEXT, key);
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

/*
 * Opens a saved index into ix. Anything wrong (damaged, another key's or database's, built
 * before a share or purge) leaves ix empty: it is then rebuilt. (A case the file has seen further
 * than the database has, as after a restore, is started again by the update.)
 */
static void load_blob(case_index *ix, const caseworker_key *k, const unsigned char *blob, size_t len)
{
    unsigned char key[32], *plain;
    size_t plain_len, o = HEAD_BYTES;
    uint32_t count;

    if (len < 1 + 24 + 16 + HEAD_BYTES || blob[0] != INDEX_VERSION || (plain = sodium_malloc(len)) == NULL)
        return;
    index_key(k, key);
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, NULL, NULL, blob + 25, len - 25, ix->ad, sizeof ix->ad,
                                                   blob + 1, key) != 0)
        goto out;
    plain_len = len - 25 - 16;
    if (bytes_load64_le(plain) != ix->generation)
        goto out;
    count = bytes_load32_le(plain + 16);
    for (uint32_t i = 0; i < count; i++) {
        index_entry *e;
        int64_t id;
        /* Decoded straight into the entry, in guarded memory: no copy on the stack. Entries come
         * in increasing case id, with no unknown flag. */
        if (o + ENTRY_FIXED > plain_len || (plain[o + 32] & ~3u) != 0)
            goto bad;
        id = (int64_t)bytes_load64_le(plain + o);
        if ((ix->n > 0 && ix->entries[ix->n - 1].case_id >= id) || (e = entry_for(ix, id)) == NULL)
            goto bad;
        e->last_seq = (int64_t)bytes_load64_le(plain + o + 8);
        e->last_id = (int64_t)bytes_load64_le(plain + o + 16);
        e->item_id = (int64_t)bytes_load64_le(plain + o + 24);
        e->st.readable = plain[o + 32] & 1;
        e->st.restricted = (plain[o + 32] >> 1) & 1;
        o += ENTRY_FIXED;
        for (int t = 0; t < 9; t++) {
            size_t n;
            if (o >= plain_len || (n = plain[o]) > entry_cap(t) || o + 1 + n > plain_len)
                goto bad;
            memcpy(entry_text(e, t), plain + o + 1, n);
            entry_text(e, t)[n] = '\0';
            o += 1 + n;
        }
    }
    if (o != plain_len)
        goto bad;   /* nothing may follow the last entry */
    ix->hwm_figures = (int64_t)bytes_load64_le(plain + 8);
    goto out;
bad:
    ix->n = 0;
    ix->hwm_figures = 0;
out:
    sodium_memzero(key, sizeof key);
    sodium_free(plain);
}

/* Writes ix to its file: a new private file beside it, then renamed over it. */
static int save_blob(case_index *ix, const caseworker_key *k, char *err, size_t errlen)
{
    unsigned char key[32];
    char tmp[sizeof ix->path + 32], hex[17];
    size_t max = HEAD_BYTES + ix->n * ENTRY_MAX, o = HEAD_BYTES;
    unsigned char *plain = sodium_malloc(max), *blob = malloc(max + 41);
    int rc = 0;

    if (plain == NULL || blob == NULL) {
        rc = err_set(err, errlen, ERR_NOMEM, "out of memory");
        goto out;
    }
    bytes_store64_le(plain, ix->generation);
    bytes_store64_le(plain + 8, (uint64_t)ix->hwm_figures);
    bytes_store32_le(plain + 16, (uint32_t)ix->n);
    for (size_t i = 0; i < ix->n; i++) {
        index_entry *e = &ix->entries[i];
        bytes_store64_le(plain + o, (uint64_t)e->case_id);
        bytes_store64_le(plain + o + 8, (uint64_t)e->last_seq);
        bytes_store64_le(plain + o + 16, (uint64_t)e->last_id);
        bytes_store64_le(plain + o + 24, (uint64_t)e->item_id);
        plain[o + 32] = (unsigned char)(e->st.readable | (e->st.restricted << 1));
        o += ENTRY_FIXED;
        for (int t = 0; t < 9; t++) {
            size_t n = strlen(entry_text(e, t));
            plain[o] = (unsigned char)n;
            memcpy(plain + o + 1, entry_text(e, t), n);
            o += 1 + n;
        }
    }
    index_key(k, key);
    blob[0] = INDEX_VERSION;
    randombytes_buf(blob + 1, 24);
    crypto_aead_xchacha20poly1305_ietf_encrypt(blob + 25, NULL, plain, o, ix->ad, sizeof ix->ad, NULL, blob + 1, key);
    sodium_memzero(key, sizeof key);
    sodium_bin2hex(hex, sizeof hex, blob + 1, 8);
    snprintf(tmp, sizeof tmp, "%s.%s.tmp", ix->path, hex);
    rc = fileio_create_exclusive(tmp, 0600, blob, o + 41, err, errlen);
    if (rc == 0 && rename(tmp, ix->path) != 0) {
        rc = err_set(err, errlen, ERR_IO, "cannot save the case index %s: %s", ix->path, strerror(errno));
        unlink(tmp);
    }
out:
    sodium_free(plain);
    free(blob);
    return rc;
}

typedef struct update_ctx {
    store *s;
    case_index *ix;
    const caseworker_key *k;
    index_entry *current;   /* the entry add_record folds into */
    case_trust trust;       /* which of that case's records to believe */
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

    u->current->last_seq = r->seq;
    u->current->last_id = r->id;
    if (r->audience == STORE_AUDIENCE_RECEIPT_BOX)
        return 0;
    if (envelope_open_any(u->k->pub.x25519, u->k->x25519_sk, r->case_ref, r->envelope, r->envelope_len,
                          &kind, &plain, &len, NULL, 0) != 0)
        return 0;   /* not ours, or damaged: show names the damage */
    if (fields_decode(plain, len, fl, FIELDS_MAX, &nf) == 0 &&
        case_trust_record(&u->trust, kind, r->case_ref, plain, len, fl, nf)) {
        case_state_fold(&u->current->st, kind, r->day, fl, nf);
        if (kind == ENVELOPE_KIND_REPORT || kind == ENVELOPE_KIND_FOLLOWUP || kind == ENVELOPE_KIND_ATTACHMENT_META)
            u->current->item_id = r->id;
    }
    sodium_free(plain);
    return 0;
}

/* Forgets what an entry folded in, so that its case is read again from its first record. */
static void restart(index_entry *e)
{
    case_state_init(&e->st, "");
    e->last_seq = e->last_id = e->item_id = 0;
}

/*
 * Brings one case's entry up to its newest record (every case has an entry, readable or not).
 * An entry whose last record is still the case's newest, under the same id, is up to date.
 * Otherwise (something new, or a database that went back, as after a restore) the case is read
 * again from its first record, so that each record's signature is judged against the signers
 * its report names (case-trust.h).
 */
static int catch_up(void *ctx, int64_t case_id, int64_t last_seq, int64_t last_id)
{
    update_ctx *u = ctx;
    index_entry *e = entry_for(u->ix, case_id);

    if (e == NULL)
        return err_set(u->err, u->errlen, ERR_NOMEM, "out of memory");
    if (e->last_seq == last_seq && e->last_id == last_id)
        return 0;
    restart(e);
    u->ix->changed = 1;
    u->current = e;
    case_trust_init(&u->trust);
    return store_records_after(u->s, case_id, 0, add_record, u, u->err, u->errlen);
}

int case_index_state_path(const char *state_dir, const caseworker_key *k, const unsigned char db_id[16],
                          const char *suffix, char *out, size_t cap)
{
    char id_hex[2 * PUBKEY_IDBYTES + 1], db_hex[2 * DATABASE_ID_BYTES + 1];
    struct stat st;

    out[0] = '\0';
    if (state_dir == NULL || state_dir[0] == '\0')
        return 0;
    if (mkdir(state_dir, 0700) != 0 && errno != EEXIST)
        return -1;
    /* Only a real folder of this user's that nobody else may write to. */
    if (lstat(state_dir, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022) != 0)
        return -1;
    sodium_bin2hex(id_hex, sizeof id_hex, k->pub.key_id, PUBKEY_IDBYTES);
    sodium_bin2hex(db_hex, sizeof db_hex, db_id, DATABASE_ID_BYTES);
    if ((size_t)snprintf(out, cap, "%s/%s-%s.%s", state_dir, id_hex, db_hex, suffix) >= cap)
        out[0] = '\0';
    return 0;
}

int case_index_update(store *s, const caseworker_key *k, const char *state_dir, case_index **out,
                      char *err, size_t errlen)
{
    case_index *ix = calloc(1, sizeof *ix);
    update_ctx u = {.s = s, .ix = ix, .k = k, .err = err, .errlen = errlen};
    unsigned char db_id[DATABASE_ID_BYTES], *saved = NULL;
    int64_t figures_max;
    size_t saved_len;
    int rc;

    *out = NULL;
    if (ix == NULL)
        return err_set(err, errlen, ERR_NOMEM, "out of memory");
    if ((rc = store_secret_setting(s, "database-id", db_id, sizeof db_id, err, errlen)) != 0 ||
        (rc = store_index_generation(s, 0, &ix->generation, err, errlen)) != 0)
        goto fail;
    memcpy(ix->ad, INDEX_AD_LABEL, sizeof INDEX_AD_LABEL - 1);
    memcpy(ix->ad + sizeof INDEX_AD_LABEL - 1, k->pub.key_id, PUBKEY_IDBYTES);
    memcpy(ix->ad + sizeof INDEX_AD_LABEL - 1 + PUBKEY_IDBYTES, db_id, DATABASE_ID_BYTES);
    /* The index is a cache: without a state folder it is built in memory and not kept. */
    if (case_index_state_path(state_dir, k, db_id, "index", ix->path, sizeof ix->path) == 0 && ix->path[0] != '\0' &&
        fileio_read_all(ix->path, FILE_MAX, 0, &saved, &saved_len, NULL, 0) == 0) {
        load_blob(ix, k, saved, saved_len);
        free(saved);
    }
    /* Figures beyond the database's (a restored backup): start again from none. */
    if ((rc = store_figures_max_id(s, &figures_max, err, errlen)) != 0)
        goto fail;
    if (ix->hwm_figures > figures_max) {
        ix->n = 0;
        ix->hwm_figures = 0;
    }
    rc = store_case_seqs(s, catch_up, &u, err, errlen);
    if (rc == 0)
        rc = store_figures_since(s, ix->hwm_figures, add_figures, &u, err, errlen);
    if (rc == 0 && ix->changed && ix->path[0] != '\0')
        (void)save_blob(ix, k, NULL, 0);   /* a cache that cannot be saved is built again next time */
    if (rc != 0)
        goto fail;
    *out = ix;
    return 0;
fail:
    case_index_free(ix);
    return rc;
}

const index_entry *case_index_purged(const case_index *ix, size_t *n)
{
    size_t i = 0;

    while (i < ix->n && ix->entries[i].case_id < 0)
        i++;
    *n = i;
    return ix->entries;
}

void case_index_free(case_index *ix)
{
    if (ix == NULL)
        return;
    sodium_free(ix->entries);
    free(ix);
}
