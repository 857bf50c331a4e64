/*
 * sync-push.c: building, signing and sending a push (the replica), and checking and applying
 * one (the server). See sync-push.h for the format.
 */
#include "sync-push.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "day.h"
#include "envelope.h"
#include "errors.h"
#include "key-ops.h"
#include "store-sync.h"

#define PUSH_CONTEXT "sea-push-v1"

void sync_record_hash(const unsigned char *envelope, size_t len, unsigned char out[SYNC_RECORD_HASHBYTES])
{
    crypto_generichash(out, SYNC_RECORD_HASHBYTES, envelope, len, NULL, 0);
}

static void transcript_start(crypto_generichash_state *t)
{
    crypto_generichash_init(t, NULL, 0, AUDIT_HASHBYTES);
    crypto_generichash_update(t, (const unsigned char *)PUSH_CONTEXT, sizeof PUSH_CONTEXT - 1);
}

static void transcript_add(crypto_generichash_state *t, const unsigned char *p, size_t len)
{
    unsigned char n[4];

    bytes_store32_le(n, (uint32_t)len);
    crypto_generichash_update(t, n, sizeof n);
    crypto_generichash_update(t, p, len);
}

/* Server side. */

/* Keeps the first reason the push is refused for. */
static void refuse(sync_apply *a, char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void refuse(sync_apply *a, char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;

    if (a->failed)
        return;
    a->failed = 1;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
}

static int verify_stored(void *ctx, const unsigned char *entry, size_t len)
{
    char msg[200];

    return audit_verify_next(ctx, entry, len, msg, sizeof msg) != 0 ? ERR_AUTH : 0;
}

int sync_apply_begin(sync_apply *a, store *s, const pubkey *known, size_t nknown, const unsigned char *p,
                     size_t len, char *why, size_t whylen)
{
    wire_reader r = {p, len, 0, 0};
    const unsigned char *key_id, *db_id, *base_hash;
    char hex[2 * PUBKEY_IDBYTES + 1];

    memset(a, 0, sizeof *a);
    a->s = s;
    transcript_start(&a->transcript);
    transcript_add(&a->transcript, p, len);
    key_id = rd_bytes(&r, PUBKEY_IDBYTES);
    db_id = rd_bytes(&r, 16);
    a->base_seq = rd_u64(&r);
    base_hash = rd_bytes(&r, AUDIT_HASHBYTES);
    if (!rd_done(&r)) {
        refuse(a, why, whylen, "%s", "the push is malformed");
        return ERR_FORMAT;
    }
    memcpy(a->db_id, db_id, sizeof a->db_id);
    memcpy(a->base_hash, base_hash, sizeof a->base_hash);
    for (size_t i = 0; i < nknown; i++)
        if (known[i].role == PUBKEY_ROLE_CASEWORKER && memcmp(known[i].key_id, key_id, PUBKEY_IDBYTES) == 0)
            a->signer = &known[i];
    sodium_bin2hex(hex, sizeof hex, key_id, PUBKEY_IDBYTES);
    if (nknown == 0)
        refuse(a, why, whylen, "%s", "this server takes no pushes (serve-sync was started without --recipients)");
    else if (a->signer == NULL)
        refuse(a, why, whylen, "key %s is not one of this server's caseworkers (serve-sync --recipients)", hex);
    return a->failed ? ERR_AUTH : 0;
}

/* After the signature verified: the database is touched only now, in one transaction. */
static int open_apply(sync_apply *a, char *why, size_t whylen)
{
    unsigned char own_id[16], head_hash[AUDIT_HASHBYTES];
    uint64_t head_seq;
    char msg[300];

    if (store_secret_setting(a->s, "database-id", own_id, sizeof own_id, msg, sizeof msg) != 0 ||
        store_begin(a->s, msg, sizeof msg) != 0) {
        refuse(a, why, whylen, "the server cannot write its database (busy or full; try again): %s", msg);
        return ERR_IO;
    }
    a->began = 1;
    if (sodium_memcmp(own_id, a->db_id, 16) != 0) {
        refuse(a, why, whylen, "%s", "the push was made for another database");
        return ERR_AUTH;
    }
    if (audit_store_head(a->s, &head_seq, head_hash, msg, sizeof msg) != 0) {
        refuse(a, why, whylen, "the server cannot read its audit log: %s", msg);
        return ERR_IO;
    }
    if (head_seq != a->base_seq || sodium_memcmp(head_hash, a->base_hash, AUDIT_HASHBYTES) != 0) {
        a->pull_first = 1;
        refuse(a, why, whylen, "%s", "the server's audit log has moved on since this replica last pulled: pull first");
        return ERR_EXISTS;
    }
    /* The server's own log is checked before anything is chained onto it. */
    if ((a->v = audit_verify_new(NULL, 0, 0)) == NULL ||
        audit_store_each(a->s, verify_stored, a->v, msg, sizeof msg) != 0) {
        refuse(a, why, whylen, "%s", "the server's own audit log fails its check (run casework audit verify there)");
        return ERR_AUTH;
    }
    a->first_new = a->next_seq = head_seq + 1;
    return 0;
}

static int apply_entry(sync_apply *a, wire_reader *r, char *why, size_t whylen)
{
    size_t len;
    const unsigned char *entry = rd_blob(r, &len);
    audit_frame f;
    char msg[300];

    if (!rd_done(r) || audit_frame_parse(entry, len, &f) != 0)
        return refuse(a, why, whylen, "%s", "a pushed audit entry is malformed"), -1;
    if (a->changes > 0)
        return refuse(a, why, whylen, "%s", "a pushed audit entry came after the changes"), -1;
    if (f.version != AUDIT_V2 || f.seq != a->next_seq || memcmp(f.key_id, a->signer->key_id, PUBKEY_IDBYTES) != 0)
        return refuse(a, why, whylen, "%s", "a pushed audit entry is out of order or not the pusher's"), -1;
    if (audit_verify_next(a->v, entry, len, msg, sizeof msg) != 0)
        return refuse(a, why, whylen, "a pushed %s", msg), -1;
    if (audit_store_insert(a->s, f.seq, entry, len, msg, sizeof msg) != 0 ||
        (f.kind == AUDIT_KIND_INTRO && store_audit_key_set(a->s, f.key_id, f.seq, msg, sizeof msg) != 0))
        return refuse(a, why, whylen, "the server cannot write its audit log: %s", msg), -1;
    a->next_seq++;
    a->entries++;
    return 0;
}

static int is_stale(const sync_apply *a, uint64_t seq, const char *ref)
{
    for (size_t i = 0; i < a->nstale; i++)
        if (a->stale[i].seq == seq && strcmp(a->stale[i].ref, ref) == 0)
            return 1;
    return 0;
}

/* A record as it stands on the server, before a reseal replaces it. */
typedef struct old_record {
    char ref[CASEREF_TEXT_SIZE];
    int audience;
    unsigned char *envelope;
    size_t len;
} old_record;

static int keep_old(void *ctx, const store_record *r)
{
    old_record *o = ctx;

    snprintf(o->ref, sizeof o->ref, "%s", r->case_ref);
    o->audience = r->audience;
    if ((o->envelope = malloc(r->envelope_len ? r->envelope_len : 1)) == NULL)
        return ERR_NOMEM;
    memcpy(o->envelope, r->envelope, r->envelope_len);
    o->len = r->envelope_len;
    return 0;
}

/* 1 when the new envelope has more slots than the old, and every old slot among them. */
static int keeps_slots(const unsigned char *old, size_t old_len, const unsigned char *new_env, size_t new_len)
{
    size_t n = envelope_slot_count(old, old_len), m = envelope_slot_count(new_env, new_len);

    if (n == 0 || m <= n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *slot = old + ENVELOPE_HEADERBYTES + i * ENVELOPE_SLOTBYTES;
        int found = 0;
        for (size_t j = 0; j < m && !found; j++)
            found = memcmp(slot, new_env + ENVELOPE_HEADERBYTES + j * ENVELOPE_SLOTBYTES, ENVELOPE_SLOTBYTES) == 0;
        if (!found)
            return 0;
    }
    return 1;
}

/* The changes: each names a pushed audit entry. */
static int apply_change(sync_apply *a, int kind, wire_reader *r, char *why, size_t whylen)
{
    uint64_t seq = rd_u64(r);
    char ref[CASEREF_TEXT_SIZE] = "", msg[300] = "", text[64];
    store_record rec;
    size_t len = 0;
    int erased, rc = 0;

    if (!r->bad && (seq < a->first_new || seq >= a->next_seq))
        return refuse(a, why, whylen, "%s", "a pushed change names no pushed audit entry"), -1;
    if (kind != STORE_OUTBOX_FIGURES_KEPT)
        rd_text(r, ref, sizeof ref);
    memset(&rec, 0, sizeof rec);
    snprintf(rec.case_ref, sizeof rec.case_ref, "%s", ref);
    switch (kind) {
    case STORE_OUTBOX_RECORD_ADDED:
        rec.id = (int64_t)rd_u64(r);
        rec.audience = (int)rd_u8(r);
        rd_text(r, rec.day, sizeof rec.day);
        rec.envelope = rd_blob(r, &rec.envelope_len);
        if (!rd_done(r) || (rec.audience != STORE_AUDIENCE_CASEWORKERS && rec.audience != STORE_AUDIENCE_REPORTER) ||
            rec.id <= 0 || !day_valid(rec.day) || envelope_slot_count(rec.envelope, rec.envelope_len) == 0)
            return refuse(a, why, whylen, "%s", "a pushed record is malformed"), -1;
        if (!is_stale(a, seq, ref))
            rc = store_sync_record_add(a->s, &rec, msg, sizeof msg);
        break;
    case STORE_OUTBOX_RECORD_RESEALED: {
        old_record o = {0};
        rec.id = (int64_t)rd_u64(r);
        rec.envelope = rd_blob(r, &rec.envelope_len);
        if (!rd_done(r) || envelope_slot_count(rec.envelope, rec.envelope_len) == 0)
            return refuse(a, why, whylen, "%s", "a pushed record is malformed"), -1;
        rc = store_sync_record(a->s, rec.id, keep_old, &o, msg, sizeof msg);
        /* A reseal (a share) gives a record of the named case one more reader and keeps every
         * slot it had: it can neither move a record nor take a reader away, nor touch a receipt
         * box. */
        if (rc == 0 && (strcmp(o.ref, ref) != 0 || o.audience == STORE_AUDIENCE_RECEIPT_BOX ||
                        !keeps_slots(o.envelope, o.len, rec.envelope, rec.envelope_len)))
            rc = err_set(msg, sizeof msg, ERR_AUTH, "a reseal of record %lld does not keep its case and readers",
                         (long long)rec.id);
        free(o.envelope);
        if (rc == 0)
            rc = store_record_replace(a->s, rec.id, rec.envelope, rec.envelope_len, msg, sizeof msg);
        break;
    }
    case STORE_OUTBOX_STATUS_SET: {
        char was[64];
        store_case c;
        rd_text(r, text, sizeof text);
        rd_text(r, was, sizeof was);
        if (!rd_done(r))
            return refuse(a, why, whylen, "%s", "a pushed status is malformed"), -1;
        rc = store_case_by_ref(a->s, ref, &c, msg, sizeof msg);
        /* Only a case still as the replica saw it: another caseworker's change stands (the
         * replica is told, and pulls the case as it is). */
        if (rc == 0 && is_stale(a, seq, ref))
            a->skipped++;
        else if (rc == 0)
            rc = store_sync_set_status(a->s, ref, text, msg, sizeof msg);
        break;
    }
    case STORE_OUTBOX_ARRIVAL_LOGGED:
        if (!rd_done(r))
            return refuse(a, why, whylen, "%s", "a pushed change is malformed"), -1;
        rc = store_sync_mark_arrival(a->s, ref, msg, sizeof msg);
        break;
    case STORE_OUTBOX_CASE_ERASED: {
        int64_t last = (int64_t)rd_u64(r);
        if (!rd_done(r))
            return refuse(a, why, whylen, "%s", "a pushed erasure is malformed"), -1;
        rc = store_sync_erase(a->s, ref, last, &erased, msg, sizeof msg);
        /* A case added to or reopened meanwhile stays, and so its figures (the next item) are
         * not kept: it would be counted twice. */
        a->skip_figures = rc == 0 && !erased;
        break;
    }
    case STORE_OUTBOX_FIGURES_KEPT:
        rec.envelope = rd_blob(r, &len);
        if (!rd_done(r) || envelope_slot_count(rec.envelope, len) == 0)
            return refuse(a, why, whylen, "%s", "pushed figures are malformed"), -1;
        if (!a->skip_figures)
            rc = store_sync_figures_add(a->s, rec.envelope, len, msg, sizeof msg);
        a->skip_figures = 0;
        break;
    default:
        return refuse(a, why, whylen, "%s", "a pushed change is of an unknown kind"), -1;
    }
    if (rc != 0)
        return refuse(a, why, whylen, "a pushed change cannot be applied: %s", msg), -1;
    a->changes++;
    return 0;
}

void sync_apply_item(sync_apply *a, const unsigned char *p, size_t len, char *why, size_t whylen)
{
    transcript_add(&a->transcript, p, len);
    if (a->failed)
        return;
    /* Held until the signature is checked: nothing of an unsigned push touches the database. */
    wbuf_blob(&a->held, p, len);
    if (a->held.failed || a->held.len > SYNC_PUSH_MAX)
        refuse(a, why, whylen, "%s", "the push is too large (sync more often)");
}

/* Before anything is applied: which status changes find their case changed meanwhile. Their
 * records (the sealed history of the same change) are left out with them, so that the case's
 * history and its clear status agree. */
static void find_stale(sync_apply *a)
{
    wire_reader all = {a->held.data, a->held.len, 0, 0};

    while (all.off < all.len) {
        size_t n;
        const unsigned char *item = rd_blob(&all, &n);
        wire_reader r = {item, n, 0, 0};
        char ref[CASEREF_TEXT_SIZE], text[64], was[64], msg[200];
        store_case c;
        uint64_t seq;
        if (item == NULL || rd_u8(&r) != STORE_OUTBOX_STATUS_SET)
            continue;
        seq = rd_u64(&r);
        rd_text(&r, ref, sizeof ref);
        rd_text(&r, text, sizeof text);
        rd_text(&r, was, sizeof was);
        if (!rd_done(&r) || was[0] == '\0' || store_case_by_ref(a->s, ref, &c, msg, sizeof msg) != 0 ||
            strcmp(c.status, was) == 0 || strcmp(c.status, text) == 0 || a->nstale == sizeof a->stale / sizeof a->stale[0])
            continue;
        a->stale[a->nstale].seq = seq;
        snprintf(a->stale[a->nstale++].ref, CASEREF_TEXT_SIZE, "%s", ref);
    }
}

/* Applies one held item inside the transaction. */
static void apply_item(sync_apply *a, const unsigned char *p, size_t len, char *why, size_t whylen)
{
    wire_reader r = {p, len, 0, 0};
    int kind = (int)rd_u8(&r);

    if (kind == SYNC_ITEM_AUDIT)
        (void)apply_entry(a, &r, why, whylen);
    else
        (void)apply_change(a, kind, &r, why, whylen);
}

int sync_apply_finish(sync_apply *a, const unsigned char *sig, size_t len, char *why, size_t whylen)
{
    unsigned char hash[AUDIT_HASHBYTES];
    char msg[300];
    int rc;

    crypto_generichash_final(&a->transcript, hash, sizeof hash);
    /* The signature is checked first: an unsigned or forged push is refused as such, and never
     * opens a transaction (which would hold up the intake). */
    if (a->signer != NULL && !a->failed &&
        (len != AUDIT_SIGBYTES || crypto_sign_verify_detached(sig, hash, sizeof hash, a->signer->ed25519) != 0))
        refuse(a, why, whylen, "%s", "the push's signature does not verify (forged, or changed on the way)");
    if (!a->failed && open_apply(a, why, whylen) == 0) {
        wire_reader r = {a->held.data, a->held.len, 0, 0};
        find_stale(a);
        while (!a->failed && r.off < r.len) {
            size_t n;
            const unsigned char *item = rd_blob(&r, &n);
            if (item == NULL)
                refuse(a, why, whylen, "%s", "the push is damaged");
            else
                apply_item(a, item, n, why, whylen);
        }
        if (!a->failed && a->entries == 0)
            refuse(a, why, whylen, "%s", "the push holds no audit entry");
    }
    rc = a->failed ? (a->pull_first ? ERR_EXISTS : ERR_AUTH) : 0;
    if (rc == 0 && store_commit(a->s, msg, sizeof msg) != 0) {
        refuse(a, why, whylen, "the server cannot save the push (try again): %s", msg);
        rc = ERR_IO;
    } else if (rc != 0 && a->began) {
        store_rollback(a->s);
    }
    a->began = 0;
    audit_verify_free(a->v);
    a->v = NULL;
    wbuf_free(&a->held);
    return rc;
}

void sync_apply_abort(sync_apply *a)
{
    if (a->began)
        store_rollback(a->s);
    a->began = 0;
    audit_verify_free(a->v);
    a->v = NULL;
    wbuf_free(&a->held);
}

/* Client side. */

typedef struct pusher {
    store *s;
    sync_wire *w;
    uint64_t base;   /* changes whose entry is not after it name the first pushed entry */
    char (*statused)[CASEREF_TEXT_SIZE];   /* cases whose status change is pushed already */
    size_t nstatused;
    crypto_generichash_state transcript;
    wire_buf b;
    unsigned items;
    int rc;
    char *err;
    size_t errlen;
} pusher;

static int send_item(pusher *p)
{
    if (p->b.failed)
        return err_set(p->err, p->errlen, ERR_NOMEM, "out of memory pushing");
    transcript_add(&p->transcript, p->b.data, p->b.len);
    p->items++;
    return wire_send(p->w, SYNC_ITEM, p->b.data, p->b.len, p->err, p->errlen);
}

static int push_entry(void *ctx, const unsigned char *entry, size_t len)
{
    pusher *p = ctx;

    wbuf_reset(&p->b);
    wbuf_u8(&p->b, SYNC_ITEM_AUDIT);
    wbuf_blob(&p->b, entry, len);
    return send_item(p);
}

typedef struct record_item {
    pusher *p;
    const store_outbox_item *it;
} record_item;

static int push_record(void *ctx, const store_record *r)
{
    record_item *ri = ctx;
    wire_buf *b = &ri->p->b;

    wbuf_text(b, r->case_ref);
    wbuf_u64(b, (uint64_t)r->id);
    if (ri->it->kind == STORE_OUTBOX_RECORD_ADDED) {
        wbuf_u8(b, (unsigned)r->audience);
        wbuf_text(b, r->day);
    }
    wbuf_blob(b, r->envelope, r->envelope_len);
    return 0;
}

typedef struct figures_item {
    pusher *p;
    int64_t id;
    int found;
} figures_item;

static int push_figures(void *ctx, int64_t id, const unsigned char *envelope, size_t len)
{
    figures_item *fi = ctx;

    if (id != fi->id)
        return 1;
    wbuf_blob(&fi->p->b, envelope, len);
    fi->found = 1;
    return 1;
}

static int push_change(void *ctx, const store_outbox_item *it)
{
    pusher *p = ctx;
    store_case c;
    char msg[200];
    int rc = 0;

    wbuf_reset(&p->b);
    wbuf_u8(&p->b, (unsigned)it->kind);
    /* A change whose entry went in an earlier push (a sync ran between the entry and the change,
     * which are written one after the other) is carried by this push's first entry. */
    wbuf_u64(&p->b, (int64_t)it->audit_seq > (int64_t)p->base ? it->audit_seq : p->base + 1);
    switch (it->kind) {
    case STORE_OUTBOX_RECORD_ADDED:
    case STORE_OUTBOX_RECORD_RESEALED: {
        record_item ri = {p, it};
        rc = store_sync_record(p->s, it->item, push_record, &ri, msg, sizeof msg);
        if (rc == ERR_NOTFOUND)
            return 0;   /* erased here since: nothing to push */
        break;
    }
    case STORE_OUTBOX_STATUS_SET: {
        /* one change per case: from the status it had on the server to the one it has now */
        char (*more)[CASEREF_TEXT_SIZE];
        for (size_t i = 0; i < p->nstatused; i++)
            if (strcmp(p->statused[i], it->ref) == 0)
                return 0;
        if (store_case_by_ref(p->s, it->ref, &c, msg, sizeof msg) != 0)
            return 0;
        if ((more = realloc(p->statused, (p->nstatused + 1) * sizeof *more)) == NULL)
            return err_set(p->err, p->errlen, ERR_NOMEM, "out of memory pushing");
        p->statused = more;
        snprintf(p->statused[p->nstatused++], CASEREF_TEXT_SIZE, "%s", it->ref);
        wbuf_text(&p->b, it->ref);
        wbuf_text(&p->b, c.status);
        wbuf_text(&p->b, it->was);
        break;
    }
    case STORE_OUTBOX_ARRIVAL_LOGGED:
        if (store_case_by_ref(p->s, it->ref, &c, msg, sizeof msg) != 0)
            return 0;
        wbuf_text(&p->b, it->ref);
        break;
    case STORE_OUTBOX_CASE_ERASED:
        wbuf_text(&p->b, it->ref);
        wbuf_u64(&p->b, (uint64_t)it->item);
        break;
    case STORE_OUTBOX_FIGURES_KEPT: {
        figures_item fi = {p, it->item, 0};
        rc = store_figures_since(p->s, it->item - 1, push_figures, &fi, msg, sizeof msg);
        if (rc == 1)
            rc = 0;
        if (!fi.found)
            return rc;
        break;
    }
    default:
        return 0;
    }
    if (rc != 0)
        return err_set(p->err, p->errlen, rc, "reading what to push: %s", msg);
    return send_item(p);
}

int sync_push_write(store *local, const caseworker_key *k, sync_wire *w, const unsigned char server_id[16],
                    uint64_t base_seq, const unsigned char base_hash[AUDIT_HASHBYTES], unsigned *pushed,
                    char *err, size_t errlen)
{
    pusher p = {.s = local, .w = w, .base = base_seq, .err = err, .errlen = errlen};
    unsigned char hash[AUDIT_HASHBYTES], sig[AUDIT_SIGBYTES];
    int rc;

    *pushed = 0;
    transcript_start(&p.transcript);
    wbuf_bytes(&p.b, k->pub.key_id, PUBKEY_IDBYTES);
    wbuf_bytes(&p.b, server_id, 16);
    wbuf_u64(&p.b, base_seq);
    wbuf_bytes(&p.b, base_hash, AUDIT_HASHBYTES);
    if (p.b.failed) {
        rc = err_set(err, errlen, ERR_NOMEM, "out of memory pushing");
        goto out;
    }
    transcript_add(&p.transcript, p.b.data, p.b.len);
    if ((rc = wire_send(w, SYNC_PUSH, p.b.data, p.b.len, err, errlen)) != 0 ||
        (rc = audit_store_from(local, base_seq + 1, push_entry, &p, err, errlen)) != 0)
        goto out;
    *pushed = p.items;
    if ((rc = store_sync_outbox_each(local, push_change, &p, err, errlen)) != 0)
        goto out;
    *pushed = p.items - *pushed;
    crypto_generichash_final(&p.transcript, hash, sizeof hash);
    key_sign(k, hash, sizeof hash, sig);
    if ((rc = wire_send(w, SYNC_SIGN, sig, sizeof sig, err, errlen)) == 0)
        rc = wire_flush(w, err, errlen);
out:
    wbuf_free(&p.b);
    free(p.statused);
    return rc;
}

int sync_push_answer(sync_wire *w, uint64_t *head_seq, unsigned char head_hash[AUDIT_HASHBYTES], unsigned *skipped,
                     char *err, size_t errlen)
{
    const unsigned char *q, *h;
    wire_reader r;
    size_t len;
    int type, rc;

    if ((rc = wire_recv(w, &type, &q, &len, err, errlen)) != 0)
        return rc;
    r = (wire_reader){q, len, 0, 0};
    *skipped = 0;
    if (type == SYNC_DONE) {
        *head_seq = rd_u64(&r);
        h = rd_bytes(&r, AUDIT_HASHBYTES);
        *skipped = (unsigned)rd_u64(&r);
        if (!rd_done(&r))
            return err_set(err, errlen, ERR_FORMAT, "the server's answer to the push is malformed");
        memcpy(head_hash, h, AUDIT_HASHBYTES);
        return 0;
    }
    if (type == SYNC_REFUSED) {
        char why[256];
        unsigned code = rd_u8(&r);
        rd_text(&r, why, sizeof why);
        return err_set(err, errlen, code == SYNC_PULL_FIRST ? ERR_EXISTS : ERR_AUTH, "the server refused the push: %s",
                       why);
    }
    return err_set(err, errlen, ERR_FORMAT, "the server answered the push with something else");
}

int sync_push(store *local, const caseworker_key *k, sync_wire *w, const unsigned char server_id[16],
              uint64_t base_seq, const unsigned char base_hash[AUDIT_HASHBYTES], unsigned *pushed,
              uint64_t *head_seq, unsigned char head_hash[AUDIT_HASHBYTES], unsigned *skipped, char *err,
              size_t errlen)
{
    int rc = sync_push_write(local, k, w, server_id, base_seq, base_hash, pushed, err, errlen);

    return rc != 0 ? rc : sync_push_answer(w, head_seq, head_hash, skipped, err, errlen);
}
