/*
 * status.c: receipts to cases, and replies opened with the receipt's key (see status.h).
 */
#include "status.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envelope.h"
#include "errors.h"
#include "fields.h"
#include "record-sig.h"
#include "secmem.h"

int status_case_of(intake_app *app, const receipt_keys *rk, store_case *c, int *erased)
{
    store *db = app_read_begin(app);
    int rc = store_case_by_lookup(db, rk->lookup, c, NULL, 0);

    *erased = rc == ERR_NOTFOUND && store_case_erased(db, rk->lookup);
    app_read_end(app);
    return rc;
}

/* The keys of a typed receipt into *rk: 0, ERR_FORMAT, ERR_NOMEM. */
static int keys_of(const char *typed, receipt_keys **rk)
{
    unsigned char *raw = secmem_alloc(RECEIPT_BYTES);
    int rc = 0;

    *rk = NULL;
    if (raw == NULL)
        return ERR_NOMEM;
    if (receipt_parse(typed, raw) != 0)
        rc = ERR_FORMAT;
    else if ((*rk = receipt_keys_derive(raw)) == NULL)
        rc = ERR_NOMEM;
    secmem_free(raw, RECEIPT_BYTES);
    return rc;
}

int status_find(intake_app *app, const char *typed, store_case *c, receipt_keys **rk)
{
    int erased, rc = keys_of(typed, rk);

    if (rc == 0 && (rc = status_case_of(app, *rk, c, &erased)) != 0) {
        receipt_keys_free(*rk);
        *rk = NULL;
    }
    return rc;
}

int status_erased(intake_app *app, const char *typed)
{
    receipt_keys *rk;
    store_case c;
    int erased = 0;

    if (keys_of(typed, &rk) == 0) {
        status_case_of(app, rk, &c, &erased);
        receipt_keys_free(rk);
    }
    return erased;
}

typedef struct box_ctx {
    int skip;                  /* audience-3 records to pass before the one to open */
    const store_case *c;
    const receipt_keys *rk;
    unsigned char *plain;
    size_t len;
    int rc;
} box_ctx;

static int read_box(void *ctx, const store_record *r)
{
    box_ctx *b = ctx;

    if (b->skip > 0) {
        b->skip--;
        return 0;
    }
    b->rc = receipt_box_open(b->rk, b->c->ref, r->envelope, r->envelope_len, &b->plain, &b->len);
    return 1;   /* the box asked for: stop */
}

/* Opens the case's audience-3 record after skip others (0: the choice box; 1: the list of what
 * was sent). */
static int box_open_nth(intake_app *app, const store_case *c, const receipt_keys *rk, int skip,
                        unsigned char **plain, size_t *len)
{
    box_ctx b = {.skip = skip, .c = c, .rk = rk, .rc = ERR_NOTFOUND};
    int rc;

    *plain = NULL;
    *len = 0;
    rc = store_records_each(app_read_begin(app), c->id, STORE_AUDIENCE_RECEIPT_BOX, read_box, &b, NULL, 0);
    app_read_end(app);
    if (rc < 0)
        return rc;
    if (b.rc != 0)
        return b.rc;
    *plain = b.plain;
    *len = b.len;
    return 0;
}

int status_box_open(intake_app *app, const store_case *c, const receipt_keys *rk,
                    unsigned char **plain, size_t *len)
{
    return box_open_nth(app, c, rk, 0, plain, len);
}

int status_sent_open(intake_app *app, const store_case *c, const receipt_keys *rk,
                     unsigned char **plain, size_t *len)
{
    return box_open_nth(app, c, rk, 1, plain, len);
}

/* 0 only for a case filed before replies were signed: its receipt box opens and does not ask for
 * signed replies. A missing or damaged box asks for them (a thief cannot make an old one). */
/*
 * Whose replies the reporter is shown, read from the case's receipt box: *must is 0 only for a
 * box from before replies were signed (then an unsigned reply still shows). When the reporter
 * left someone out, the box lists the caseworkers left in, and only their signatures count: a
 * caseworker left out, who can still write to the database, cannot speak to the reporter. keys
 * (32 bytes each, room for every recipient) and *n get the Ed25519 keys that count.
 */
static void reply_signers(intake_app *app, const store_case *c, const receipt_keys *rk, unsigned char *keys,
                          size_t *n, int *must)
{
    unsigned char *plain;
    field fl[FIELDS_MAX];
    size_t len, nf = 0, listed = 0;

    *must = 1;
    *n = 0;
    if (status_box_open(app, c, rk, &plain, &len) == 0 && fields_decode(plain, len, fl, FIELDS_MAX, &nf) == 0) {
        const field *f = fields_find(fl, nf, "replies");
        *must = f != NULL;
        for (size_t i = 0; i < nf; i++)
            listed += strcmp(fl[i].name, "included") == 0;
        for (size_t r = 0; r < app->nrecipients; r++) {
            char id[2 * PUBKEY_IDBYTES + 1];
            int in = listed == 0;
            pubkey_id_hex(&app->recipients[r], id);
            for (size_t i = 0; i < nf && !in; i++)
                in = strcmp(fl[i].name, "included") == 0 && fl[i].len == 2 * PUBKEY_IDBYTES &&
                     memcmp(fl[i].value, id, 2 * PUBKEY_IDBYTES) == 0;
            if (in)
                memcpy(keys + 32 * (*n)++, app->recipient_signers + 32 * r, 32);
        }
        sodium_free(plain);
        return;
    }
    if (plain != NULL)
        sodium_free(plain);
    memcpy(keys, app->recipient_signers, 32 * app->nrecipients);
    *n = app->nrecipients;
}

typedef struct reply_list {
    const store_case *c;
    const receipt_keys *rk;
    const unsigned char *keys;   /* the configured caseworkers' Ed25519 keys */
    size_t nkeys;
    int signed_only;
    page_message *items;
    size_t n, cap;
    int rc;
} reply_list;

static int collect_reply(void *ctx, const store_record *r)
{
    reply_list *l = ctx;
    page_message *m;
    unsigned char *plain = NULL;
    size_t len = 0, nf = 0;
    field fl[FIELDS_MAX];
    const field *text;

    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        page_message *bigger = realloc(l->items, cap * sizeof *bigger);
        if (bigger == NULL) {
            l->rc = ERR_NOMEM;
            return 1;
        }
        l->items = bigger;
        l->cap = cap;
    }
    m = &l->items[l->n++];
    memset(m, 0, sizeof *m);
    snprintf(m->day, sizeof m->day, "%s", r->day);
    if (envelope_open(l->rk->box_pk, l->rk->box_sk, ENVELOPE_KIND_REPLY, l->c->ref, r->envelope,
                      r->envelope_len, &plain, &len, NULL, 0) != 0)
        return 0;
    {
        /* Only what a configured caseworker signed reaches the reporter; a forged reply is not
         * even mentioned. */
        size_t signer;
        int sig = record_sig_check(plain, len, ENVELOPE_KIND_REPLY, l->c->ref, l->keys, l->nkeys, &signer);
        if (sig != 0 && (sig != ERR_NOTFOUND || l->signed_only)) {
            sodium_free(plain);
            l->n--;
            return 0;
        }
    }
    if (fields_decode(plain, len, fl, FIELDS_MAX, &nf) != 0 ||
        (text = fields_find(fl, nf, "text")) == NULL) {
        sodium_free(plain);
        return 0;
    }
    /* Keep the text in the guarded buffer: move it to the front and remember the buffer. */
    memmove(plain, text->value, text->len);
    plain[text->len] = '\0';
    m->text = (const char *)plain;
    m->len = text->len;
    return 0;
}

int status_replies(intake_app *app, const store_case *c, const receipt_keys *rk,
                   page_message **out, size_t *n)
{
    unsigned char signers[32 * PUBKEY_MAX_RECIPIENTS];
    reply_list l = {.c = c, .rk = rk, .keys = signers};
    int rc;

    *out = NULL;
    *n = 0;
    reply_signers(app, c, rk, signers, &l.nkeys, &l.signed_only);
    rc = store_records_each(app_read_begin(app), c->id, STORE_AUDIENCE_REPORTER, collect_reply, &l, NULL, 0);
    app_read_end(app);
    if (rc == 1)
        rc = l.rc;
    if (rc != 0) {
        status_replies_free(l.items, l.n);
        return rc;
    }
    *out = l.items;
    *n = l.n;
    return 0;
}

void status_replies_free(page_message *replies, size_t n)
{
    for (size_t i = 0; replies != NULL && i < n; i++)
        sodium_free((void *)(uintptr_t)replies[i].text);
    free(replies);
}

int status_bind(void *ctx, const form *f, char ref[CASEREF_TEXT_SIZE])
{
    status_binding *b = ctx;
    int rc = status_find(b->app, form_text(f, "receipt"), &b->c, &b->rk);

    if (rc != 0)
        return rc;
    snprintf(ref, CASEREF_TEXT_SIZE, "%s", b->c.ref);
    return 0;
}
