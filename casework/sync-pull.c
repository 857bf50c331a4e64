/*
 * sync-pull.c: a replica takes its server's state (see sync-pull.h).
 */
#include "sync-pull.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "bytes.h"
#include "caseref.h"
#include "errors.h"
#include "key-ops.h"
#include "store-sync.h"
#include "sync-push.h"

/* A record as a summary: what tells whether the replica has it as the server does. */
typedef struct summary {
    int64_t id, seq;
    unsigned char hash[SYNC_RECORD_HASHBYTES];
    char ref[CASEREF_TEXT_SIZE];
} summary;


/* A growable array of n items of size bytes. */
typedef struct list {
    void *items;
    size_t n, cap, size;
} list;

/* What a server may send in one pull: more is refused, not grown into (a hostile server could
 * otherwise exhaust the replica's memory). */
#define PULL_MAX_ITEMS (8u * 1024 * 1024)
#define PULL_MAX_LOG_BYTES ((size_t)2 * 1024 * 1024 * 1024)

static void *list_add(list *l)
{
    if (l->n >= PULL_MAX_ITEMS)
        return NULL;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        void *bigger = realloc(l->items, cap * l->size);
        if (bigger == NULL)
            return NULL;
        l->items = bigger;
        l->cap = cap;
    }
    return (char *)l->items + l->size * l->n++;
}

/* Audit entries, one after the other in one buffer (no pointers kept in the heap). */
typedef struct span {
    size_t off, len;
} span;

typedef struct entry_list {
    wire_buf bytes;
    list spans;   /* span */
} entry_list;

static int entry_add(entry_list *l, const unsigned char *e, size_t len)
{
    span *sp = list_add(&l->spans);

    if (sp == NULL)
        return ERR_NOMEM;
    if (l->bytes.len + len > PULL_MAX_LOG_BYTES)
        return ERR_NOMEM;
    sp->off = l->bytes.len;
    sp->len = len;
    wbuf_bytes(&l->bytes, e, len);
    return l->bytes.failed ? ERR_NOMEM : 0;
}

static const unsigned char *entry_at(const entry_list *l, size_t i, size_t *len)
{
    const span *sp = (const span *)l->spans.items + i;

    *len = sp->len;
    return l->bytes.data + sp->off;
}

static void entry_list_free(entry_list *l)
{
    wbuf_free(&l->bytes);
    free(l->spans.items);
}

typedef struct puller {
    store *s;
    const caseworker_key *k;
    sync_wire *w;
    sync_counts *counts;
    char *err;
    size_t errlen;
    entry_list entries;   /* the server's entries after the base */
    uint64_t base;        /* the newest server entry the replica holds, which must come first */
    unsigned char base_hash[AUDIT_HASHBYTES];
    int base_seen;
    list cases;      /* store_sync_case */
    list theirs;     /* summary: the server's records */
    list ours;       /* summary: the replica's */
    list mine;       /* int64_t: records this replica resealed and has not pushed yet */
    list added;      /* int64_t: records this replica added and has not pushed yet */
    int changed;     /* something a case index has seen changed */
    int64_t copy_id, copy_seq;   /* the attachment being copied, and its next chunk */
} puller;

static void puller_free(puller *p)
{
    entry_list_free(&p->entries);
    free(p->cases.items);
    free(p->theirs.items);
    free(p->ours.items);
    free(p->mine.items);
    free(p->added.items);
}

static int take_mine(void *ctx, const store_outbox_item *it)
{
    puller *p = ctx;
    int64_t *id;

    if (it->kind != STORE_OUTBOX_RECORD_RESEALED && it->kind != STORE_OUTBOX_RECORD_ADDED)
        return 0;
    if ((id = list_add(it->kind == STORE_OUTBOX_RECORD_ADDED ? &p->added : &p->mine)) == NULL)
        return ERR_NOMEM;
    *id = it->item;
    return 0;
}

/* 1 when record id is one this replica added and has not pushed yet. */
static int added_here(const puller *p, int64_t id)
{
    const int64_t *ids = p->added.items;

    for (size_t i = 0; i < p->added.n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

/* 1 when the replica holds a newer envelope of record id than the server (its own reseal). */
static int resealed_here(const puller *p, int64_t id)
{
    const int64_t *ids = p->mine.items;

    for (size_t i = 0; i < p->mine.n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

static int nomem(puller *p)
{
    return err_set(p->err, p->errlen, ERR_NOMEM, "out of memory pulling (or the server sent more than a pull takes)");
}

/* Sends a request and reads its answer's items until the end mark, calling item for each. */
static int request(puller *p, int type, const void *payload, size_t len, int item_type,
                   int (*item)(puller *p, wire_reader *r))
{
    const unsigned char *q;
    size_t n;
    int t, rc;

    if ((rc = wire_send(p->w, type, payload, len, p->err, p->errlen)) != 0 || (rc = wire_flush(p->w, p->err, p->errlen)) != 0)
        return rc;
    for (;;) {
        if ((rc = wire_recv(p->w, &t, &q, &n, p->err, p->errlen)) != 0)
            return rc;
        if (t == SYNC_END)
            return 0;
        if (t != item_type)
            return err_set(p->err, p->errlen, ERR_FORMAT, "the server answered with something unexpected");
        {
            wire_reader r = {q, n, 0, 0};
            if ((rc = item(p, &r)) != 0)
                return rc;
        }
    }
}

static int base_gone(puller *p)
{
    return err_set(p->err, p->errlen, ERR_AUTH, "the server's audit log no longer holds entry %llu as this replica "
                   "saw it: it was cut back or rewritten (tell an auditor; nothing was pulled or pushed)",
                   (unsigned long long)p->base);
}

static int take_entry(puller *p, wire_reader *r)
{
    size_t len;
    const unsigned char *e = rd_blob(r, &len);
    audit_frame f;

    if (!rd_done(r) || audit_frame_parse(e, len, &f) != 0)
        return err_set(p->err, p->errlen, ERR_FORMAT, "the server sent a malformed audit entry");
    if (p->base > 0 && !p->base_seen) {
        /* the newest entry this replica saw must still be there, as it saw it */
        if (f.seq != p->base || sodium_memcmp(f.hash, p->base_hash, AUDIT_HASHBYTES) != 0)
            return base_gone(p);
        p->base_seen = 1;
        return 0;
    }
    return entry_add(&p->entries, e, len) != 0 ? nomem(p) : 0;
}

static int take_case(puller *p, wire_reader *r)
{
    store_sync_case c;
    const unsigned char *lookup, *pk;
    store_sync_case *slot;

    rd_text(r, c.ref, sizeof c.ref);
    rd_text(r, c.received, sizeof c.received);
    rd_text(r, c.status, sizeof c.status);
    lookup = rd_bytes(r, 32);
    pk = rd_bytes(r, 32);
    c.arrival_logged = (int)rd_u8(r);
    if (!rd_done(r))
        return err_set(p->err, p->errlen, ERR_FORMAT, "the server sent a malformed case");
    {   /* only a reference in its canonical form: it is shown on terminals and typed back */
        char canonical[CASEREF_TEXT_SIZE];
        if (caseref_normalize(c.ref, canonical) != 0 || strcmp(canonical, c.ref) != 0)
            return err_set(p->err, p->errlen, ERR_FORMAT, "the server sent a case whose reference is not one "
                           "(its database was altered?): nothing was pulled");
    }
    memcpy(c.lookup, lookup, 32);
    memcpy(c.reporter_pk, pk, 32);
    if ((slot = list_add(&p->cases)) == NULL)
        return nomem(p);
    *slot = c;
    return 0;
}

static int take_summary(puller *p, wire_reader *r)
{
    summary *sm = list_add(&p->theirs);
    char day[DAY_TEXT_SIZE];
    const unsigned char *h;

    if (sm == NULL)
        return nomem(p);
    rd_text(r, sm->ref, sizeof sm->ref);
    sm->id = (int64_t)rd_u64(r);
    sm->seq = (int64_t)rd_u64(r);
    (void)rd_u8(r);
    rd_text(r, day, sizeof day);
    h = rd_bytes(r, SYNC_RECORD_HASHBYTES);
    if (!rd_done(r))
        return err_set(p->err, p->errlen, ERR_FORMAT, "the server sent a malformed record summary");
    memcpy(sm->hash, h, SYNC_RECORD_HASHBYTES);
    return 0;
}

static int take_ours(void *ctx, const store_record *rec)
{
    puller *p = ctx;
    summary *sm = list_add(&p->ours);

    if (sm == NULL)
        return ERR_NOMEM;
    sm->id = rec->id;
    sm->seq = rec->seq;
    snprintf(sm->ref, sizeof sm->ref, "%s", rec->case_ref);
    sync_record_hash(rec->envelope, rec->envelope_len, sm->hash);
    return 0;
}

static int by_id(const void *a, const void *b)
{
    int64_t x = ((const summary *)a)->id, y = ((const summary *)b)->id;

    return (x > y) - (x < y);
}

static const summary *find_ours(const puller *p, int64_t id)
{
    summary key;

    if (p->ours.n == 0)
        return NULL;
    key.id = id;
    return bsearch(&key, p->ours.items, p->ours.n, sizeof key, by_id);
}

static const summary *find_theirs(const puller *p, int64_t id)
{
    summary key;

    if (p->theirs.n == 0)
        return NULL;
    key.id = id;
    return bsearch(&key, p->theirs.items, p->theirs.n, sizeof key, by_id);
}

static const store_sync_case *their_case(const puller *p, const char *ref)
{
    const store_sync_case *c = p->cases.items;

    for (size_t i = 0; i < p->cases.n; i++)
        if (strcmp(c[i].ref, ref) == 0)
            return &c[i];
    return NULL;
}

/* 1 when the replica has erased the case itself and has not pushed that yet. */
static int erasing(puller *p, const char *ref, int *rc)
{
    unsigned kinds = 0;

    *rc = store_sync_outbox_pending(p->s, ref, &kinds, p->err, p->errlen);
    return (kinds >> STORE_OUTBOX_CASE_ERASED) & 1;
}

/* Cases: the server's columns, but a status or an erasure still to push stays as it is here. */
static int apply_cases(puller *p)
{
    const store_sync_case *c = p->cases.items;
    store_case *gone = NULL;
    size_t ngone = 0;
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < p->cases.n; i++) {
        unsigned kinds = 0;
        if ((rc = store_sync_outbox_pending(p->s, c[i].ref, &kinds, p->err, p->errlen)) != 0)
            break;
        if ((kinds >> STORE_OUTBOX_CASE_ERASED) & 1)
            continue;
        rc = store_sync_case_put(p->s, &c[i], (kinds >> STORE_OUTBOX_STATUS_SET) & 1, p->err, p->errlen);
    }
    /* Cases the server no longer has were erased there. */
    for (size_t i = 0; rc == 0 && i < p->ours.n; i++) {
        const summary *o = (const summary *)p->ours.items + i;
        if (their_case(p, o->ref) == NULL && (ngone == 0 || strcmp(gone[ngone - 1].ref, o->ref) != 0)) {
            store_case *bigger = realloc(gone, (ngone + 1) * sizeof *gone);
            if (bigger == NULL) {
                rc = nomem(p);
                break;
            }
            gone = bigger;
            snprintf(gone[ngone++].ref, sizeof gone->ref, "%s", o->ref);
        }
    }
    for (size_t i = 0; rc == 0 && i < ngone; i++) {
        unsigned kinds = 0;
        /* work done here on a case erased there cannot go anywhere: say so */
        if ((rc = store_sync_outbox_pending(p->s, gone[i].ref, &kinds, p->err, p->errlen)) != 0)
            break;
        p->counts->lost += kinds != 0;
        rc = store_sync_case_delete(p->s, gone[i].ref, p->err, p->errlen);
        p->counts->erased++;
        p->changed = 1;
    }
    free(gone);
    return rc;
}

static int put_record(puller *p, wire_reader *r)
{
    store_record rec;
    int rc;

    memset(&rec, 0, sizeof rec);
    rd_text(r, rec.case_ref, sizeof rec.case_ref);
    rec.id = (int64_t)rd_u64(r);
    rec.seq = (int64_t)rd_u64(r);
    rec.audience = (int)rd_u8(r);
    rd_text(r, rec.day, sizeof rec.day);
    rec.envelope = rd_blob(r, &rec.envelope_len);
    if (!rd_done(r) || rec.seq <= 0)
        return err_set(p->err, p->errlen, ERR_FORMAT, "the server sent a malformed record");
    {
        /* only a record asked for, and as its summary said */
        unsigned char hash[SYNC_RECORD_HASHBYTES];
        const summary *t = find_theirs(p, rec.id);
        sync_record_hash(rec.envelope, rec.envelope_len, hash);
        if (t == NULL || t->seq != rec.seq || sodium_memcmp(t->hash, hash, sizeof hash) != 0)
            return err_set(p->err, p->errlen, ERR_AUTH, "the server sent record %lld otherwise than it listed it: "
                           "nothing was pulled", (long long)rec.id);
    }
    if (erasing(p, rec.case_ref, &rc) || rc != 0)
        return rc;
    if ((rc = store_sync_record_put(p->s, &rec, p->err, p->errlen)) == 0) {
        p->counts->records++;
        p->changed = 1;
    }
    return rc;
}

/* Records: the ones the replica lacks or holds otherwise are fetched; every record the server
 * has takes the server's seq; the replica's own come after. */
static int apply_records(puller *p)
{
    const summary *t = p->theirs.items;
    wire_buf want = {0};
    int rc = store_sync_records_park(p->s, p->err, p->errlen);

    for (size_t i = 0; rc == 0 && i < p->theirs.n; i++) {
        const summary *o = find_ours(p, t[i].id);
        /* the server's seq, and its envelope unless this replica resealed it and pushes that */
        if (o != NULL && (memcmp(o->hash, t[i].hash, SYNC_RECORD_HASHBYTES) == 0 || resealed_here(p, t[i].id))) {
            rc = store_sync_record_seq(p->s, t[i].id, t[i].seq, p->err, p->errlen);
            p->changed |= o->seq != t[i].seq;
            continue;
        }
        wbuf_u64(&want, (uint64_t)t[i].id);
        if (want.len >= SYNC_FRAME_MAX / 2 || i + 1 == p->theirs.n) {
            rc = want.failed ? nomem(p) : request(p, SYNC_WANT, want.data, want.len, SYNC_RECORD, put_record);
            wbuf_reset(&want);
        }
    }
    if (rc == 0 && want.len > 0)
        rc = want.failed ? nomem(p) : request(p, SYNC_WANT, want.data, want.len, SYNC_RECORD, put_record);
    wbuf_free(&want);
    /* A record the server does not have, and this replica is not about to push, is one the
     * server left out (a status change it did not take): it goes, as the change did. */
    for (size_t i = 0; rc == 0 && i < p->ours.n; i++) {
        const summary *o = (const summary *)p->ours.items + i;
        if (find_theirs(p, o->id) == NULL && !added_here(p, o->id) && their_case(p, o->ref) != NULL) {
            rc = store_sync_record_delete(p->s, o->id, p->err, p->errlen);
            p->changed = 1;
        }
    }
    return rc != 0 ? rc : store_sync_records_unpark(p->s, p->err, p->errlen);
}

/* 1 (which stops the walk) when the entry introduces the key in ctx. */
static int introduces(void *ctx, const unsigned char *entry, size_t len)
{
    const unsigned char *key_id = ctx;
    audit_frame f;

    return audit_frame_parse(entry, len, &f) == 0 && f.kind == AUDIT_KIND_INTRO &&
           memcmp(f.key_id, key_id, PUBKEY_IDBYTES) == 0;
}

static int insert_entry(puller *p, const unsigned char *entry, size_t len)
{
    audit_frame f;
    int rc;

    if (audit_frame_parse(entry, len, &f) != 0)
        return err_set(p->err, p->errlen, ERR_AUTH, "the server sent a malformed audit entry");
    if ((rc = audit_store_insert(p->s, f.seq, entry, len, p->err, p->errlen)) != 0)
        return rc;
    return f.kind == AUDIT_KIND_INTRO ? store_audit_key_set(p->s, f.key_id, f.seq, p->err, p->errlen) : 0;
}

/* 1 when the replica's pending entry f is no longer needed: an introduction of a key the log
 * now introduces, or the arrival of a case whose arrival the server's log records already. */
static int redundant(puller *p, const audit_frame *f, int *rc)
{
    audit_entry e;
    const store_sync_case *c;
    int drop;

    *rc = 0;
    if (f->kind == AUDIT_KIND_INTRO) {
        *rc = store_audit_key_entry(p->s, f->key_id, introduces, (void *)(uintptr_t)f->key_id, p->err, p->errlen);
        drop = *rc == 1;
        if (*rc == 1)
            *rc = 0;
        return drop;
    }
    if ((*rc = audit_open(f, p->k->pub.x25519, p->k->x25519_sk, &e, p->err, p->errlen)) != 0)
        return 0;
    drop = strcmp(e.action, "received") == 0 && (c = their_case(p, e.case_ref)) != NULL && c->arrival_logged;
    sodium_memzero(&e, sizeof e);
    return drop;
}

static int take_pending(void *ctx, const unsigned char *entry, size_t len)
{
    return entry_add(ctx, entry, len);
}

/* The server's new entries go in; the replica's own pending ones are put back after them. */
static int apply_log(puller *p, uint64_t base)
{
    entry_list pe = {{0}, {NULL, 0, 0, sizeof(span)}};
    unsigned char prev[AUDIT_HASHBYTES] = {0}, hash[AUDIT_HASHBYTES];
    size_t n = p->entries.spans.n, npending, first = 0, len;
    const unsigned char *e;
    uint64_t next = 0;
    audit_frame last;
    int rc;

    if (n == 0)
        return 0;
    if ((rc = audit_store_from(p->s, base + 1, take_pending, &pe, p->err, p->errlen)) == ERR_NOMEM)
        rc = nomem(p);
    npending = pe.spans.n;
    if (rc == 0 && npending > 0)
        rc = audit_store_drop_after(p->s, base, p->err, p->errlen);
    /* A push whose answer was lost: the server holds this replica's first pending entries as they
     * are. Those, and what was pushed with them, are taken already. */
    while (rc == 0 && first < npending && first < n) {
        size_t mine_len;
        const unsigned char *mine = entry_at(&pe, first, &mine_len);
        e = entry_at(&p->entries, first, &len);
        if (mine_len != len || memcmp(mine, e, len) != 0)
            break;
        first++;
    }
    if (rc == 0 && first > 0) {
        audit_frame f;
        e = entry_at(&p->entries, first - 1, &len);
        if (audit_frame_parse(e, len, &f) == 0)
            rc = store_sync_outbox_forget(p->s, f.seq, p->err, p->errlen);
    }
    if (rc == 0 && first < npending)
        rc = store_sync_outbox_park(p->s, p->err, p->errlen);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        e = entry_at(&p->entries, i, &len);
        rc = insert_entry(p, e, len);
    }
    if (rc == 0) {
        e = entry_at(&p->entries, n - 1, &len);
        rc = audit_frame_parse(e, len, &last) != 0 ? ERR_AUTH : 0;
        next = last.seq + 1;
        memcpy(prev, last.hash, sizeof prev);
    }
    for (size_t i = first; rc == 0 && i < npending; i++) {
        unsigned char *out = NULL;
        size_t body_len;
        audit_frame f;
        e = entry_at(&pe, i, &len);
        if (audit_frame_parse(e, len, &f) != 0) {
            rc = err_set(p->err, p->errlen, ERR_FORMAT, "this replica's audit entry %zu is damaged", i);
            break;
        }
        if (redundant(p, &f, &rc) || rc != 0) {
            if (rc == 0)
                rc = store_sync_outbox_renumber(p->s, f.seq, next, p->err, p->errlen);
            continue;
        }
        rc = audit_relink(&f, p->k->pub.x25519, p->k->x25519_sk, next, prev, &out, &body_len, hash, p->err, p->errlen);
        if (rc != 0)
            break;
        out[body_len] = AUDIT_SIG_ED25519;
        key_sign(p->k, hash, sizeof hash, out + body_len + 1);
        rc = insert_entry(p, out, body_len + 1 + AUDIT_SIGBYTES);
        free(out);
        if (rc == 0)
            rc = store_sync_outbox_renumber(p->s, f.seq, next, p->err, p->errlen);
        memcpy(prev, hash, sizeof prev);
        next++;
        p->counts->relinked++;
    }
    entry_list_free(&pe);
    p->counts->entries = (unsigned)n;
    return rc;
}

static int take_figures(puller *p, wire_reader *r)
{
    size_t len;
    const unsigned char *env = rd_blob(r, &len);
    int has, rc;

    if (!rd_done(r))
        return err_set(p->err, p->errlen, ERR_FORMAT, "the server sent malformed figures");
    if ((rc = store_sync_figures_has(p->s, env, len, &has, p->err, p->errlen)) != 0 || has)
        return rc;
    return store_sync_figures_add(p->s, env, len, p->err, p->errlen);
}

static int check_one(void *ctx, const unsigned char *entry, size_t len)
{
    void **pair = ctx;

    return audit_verify_next(pair[0], entry, len, pair[1], 300);
}

/* The whole log as it now stands here, the server's part and the replica's, must verify. */
static int check_log(puller *p)
{
    char why[300] = "";
    audit_verifier *v = audit_verify_new(NULL, 0, 0);
    void *pair[2] = {v, why};
    int rc;

    if (v == NULL)
        return nomem(p);
    rc = audit_store_each(p->s, check_one, pair, p->err, p->errlen);
    if (rc == 0)
        rc = audit_verify_finish(v, NULL, why, sizeof why);
    audit_verify_free(v);
    if (rc == ERR_AUTH)
        return err_set(p->err, p->errlen, ERR_AUTH, "the server's audit log fails its check (%s): nothing was pulled; "
                       "tell an auditor", why);
    return rc;
}

/* Cases, records, entries and figures, in one transaction. */
static int pull_rows(puller *p, uint64_t base, const unsigned char base_hash[AUDIT_HASHBYTES])
{
    unsigned char from[8];
    uint64_t generation;
    int rc;

    bytes_store64_le(from, base > 0 ? base : 1);
    p->base = base;
    memcpy(p->base_hash, base_hash, AUDIT_HASHBYTES);
    if ((rc = request(p, SYNC_GET_LOG, from, sizeof from, SYNC_ENTRY, take_entry)) != 0)
        return rc;
    if (base > 0 && !p->base_seen)
        return base_gone(p);
    if ((rc = request(p, SYNC_GET_CASES, NULL, 0, SYNC_CASE, take_case)) != 0 ||
        (rc = request(p, SYNC_GET_RECORDS, NULL, 0, SYNC_SUMMARY, take_summary)) != 0)
        return rc;
    if ((rc = store_sync_records_each(p->s, take_ours, p, p->err, p->errlen)) != 0 ||
        (rc = store_sync_outbox_each(p->s, take_mine, p, p->err, p->errlen)) != 0)
        return rc == ERR_NOMEM ? nomem(p) : rc;
    if (p->ours.n > 1)
        qsort(p->ours.items, p->ours.n, sizeof(summary), by_id);
    if (p->theirs.n > 1)
        qsort(p->theirs.items, p->theirs.n, sizeof(summary), by_id);
    p->counts->cases = (unsigned)p->cases.n;
    if ((rc = store_begin(p->s, p->err, p->errlen)) != 0)
        return rc;
    rc = store_sync_applying(p->s, 1, p->err, p->errlen);
    if (rc == 0)
        rc = apply_cases(p);
    if (rc == 0)
        rc = apply_records(p);
    if (rc == 0)
        rc = apply_log(p, base);
    if (rc == 0)
        rc = request(p, SYNC_GET_FIGURES, NULL, 0, SYNC_FIGURES, take_figures);
    if (rc == 0)
        rc = check_log(p);
    if (rc == 0 && p->entries.spans.n > 0) {
        size_t len;
        const unsigned char *last = entry_at(&p->entries, p->entries.spans.n - 1, &len);
        audit_frame f;
        rc = audit_frame_parse(last, len, &f) != 0 ? ERR_AUTH : store_sync_set_base(p->s, f.seq, f.hash, p->err, p->errlen);
    }
    if (rc == 0 && (p->changed || p->counts->relinked > 0))
        rc = store_index_generation(p->s, 1, &generation, p->err, p->errlen);
    if (rc == 0)
        rc = store_sync_applying(p->s, 0, p->err, p->errlen);
    if (rc == 0)
        rc = store_commit(p->s, p->err, p->errlen);
    else
        store_rollback(p->s);
    return rc;
}

/* Attachments: each one the replica lacks, in a transaction of its own. */
static int put_chunk(puller *p, wire_reader *r)
{
    size_t len;
    const unsigned char *chunk = rd_blob(r, &len);

    if (!rd_done(r))
        return err_set(p->err, p->errlen, ERR_FORMAT, "the server sent a malformed chunk");
    return store_attachment_chunk_add(p->s, p->copy_id, p->copy_seq++, chunk, len, p->err, p->errlen);
}

static int take_file(puller *p, wire_reader *r)
{
    store_sync_attachment *a = list_add(&p->theirs);   /* reused: the summaries are done */
    const unsigned char *h;

    if (a == NULL)
        return nomem(p);
    rd_text(r, a->ref, sizeof a->ref);
    a->id = (int64_t)rd_u64(r);
    a->meta_record = (int64_t)rd_u64(r);
    h = rd_bytes(r, 24);
    a->stored_size = (int64_t)rd_u64(r);
    a->nchunks = (int64_t)rd_u64(r);
    if (!rd_done(r))
        return err_set(p->err, p->errlen, ERR_FORMAT, "the server sent a malformed attachment");
    memcpy(a->header, h, 24);
    return 0;
}

static int copy_file(puller *p, const store_sync_attachment *a)
{
    unsigned char id[8];
    int has, rc;

    if ((rc = store_sync_has_attachment(p->s, a->id, a->nchunks, &has, p->err, p->errlen)) != 0 || has)
        return rc;
    if (erasing(p, a->ref, &rc) || rc != 0)
        return rc;
    if ((rc = store_begin(p->s, p->err, p->errlen)) != 0)
        return rc;
    rc = store_sync_attachment_drop(p->s, a->id, p->err, p->errlen);   /* a copy cut short before */
    if (rc == 0)
        rc = store_sync_attachment_put(p->s, a, p->err, p->errlen);
    bytes_store64_le(id, (uint64_t)a->id);
    p->copy_id = a->id;
    p->copy_seq = 0;
    if (rc == 0)
        rc = request(p, SYNC_GET_CHUNKS, id, sizeof id, SYNC_CHUNK, put_chunk);
    if (rc == 0 && p->copy_seq != a->nchunks)
        rc = err_set(p->err, p->errlen, ERR_TRUNCATED, "attachment %lld came incomplete", (long long)a->id);
    if (rc == 0 && (rc = store_commit(p->s, p->err, p->errlen)) == 0)
        p->counts->files++;
    if (rc != 0)
        store_rollback(p->s);
    return rc;
}

static int pull_files(puller *p)
{
    int rc;

    p->theirs.n = 0;
    p->theirs.size = sizeof(store_sync_attachment);
    free(p->theirs.items);
    p->theirs.items = NULL;
    p->theirs.cap = 0;
    if ((rc = request(p, SYNC_GET_FILES, NULL, 0, SYNC_FILE, take_file)) != 0)
        return rc;
    for (size_t i = 0; rc == 0 && i < p->theirs.n; i++)
        rc = copy_file(p, (const store_sync_attachment *)p->theirs.items + i);
    return rc;
}

int sync_pull(store *local, const caseworker_key *k, sync_wire *w, sync_counts *counts, char *err, size_t errlen)
{
    puller p = {.s = local, .k = k, .w = w, .counts = counts, .err = err, .errlen = errlen,
                .entries = {{0}, {NULL, 0, 0, sizeof(span)}}, .cases = {NULL, 0, 0, sizeof(store_sync_case)},
                .theirs = {NULL, 0, 0, sizeof(summary)}, .ours = {NULL, 0, 0, sizeof(summary)},
                .mine = {NULL, 0, 0, sizeof(int64_t)}, .added = {NULL, 0, 0, sizeof(int64_t)}};
    unsigned char base_hash[AUDIT_HASHBYTES];
    uint64_t base;
    int rc;

    memset(counts, 0, sizeof *counts);
    rc = store_sync_base(local, &base, base_hash, err, errlen);
    if (rc == 0)
        rc = pull_rows(&p, base, base_hash);
    if (rc == 0)
        rc = pull_files(&p);
    puller_free(&p);
    return rc;
}
