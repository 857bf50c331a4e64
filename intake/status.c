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

int status_find(intake_app *app, const char *typed, store_case *c, receipt_keys **rk)
{
    unsigned char *raw = sodium_malloc(RECEIPT_BYTES);
    int rc;

    *rk = NULL;
    if (raw == NULL)
        return ERR_NOMEM;
    if (receipt_parse(typed, raw) != 0) {
        sodium_free(raw);
        return ERR_FORMAT;
    }
    *rk = receipt_keys_derive(raw);
    sodium_free(raw);
    if (*rk == NULL)
        return ERR_NOMEM;
    rc = store_case_by_lookup(app_read_begin(app), (*rk)->lookup, c, NULL, 0);
    app_read_end(app);
    if (rc != 0) {
        receipt_keys_free(*rk);
        *rk = NULL;
    }
    return rc;
}

typedef struct box_ctx {
    const store_case *c;
    const receipt_keys *rk;
    unsigned char *plain;
    size_t len;
    int rc;
} box_ctx;

static int read_box(void *ctx, const store_record *r)
{
    box_ctx *b = ctx;

    b->rc = receipt_box_open(b->rk, b->c->ref, r->envelope, r->envelope_len, &b->plain, &b->len);
    return 1;   /* one box per case: stop */
}

int status_box_open(intake_app *app, const store_case *c, const receipt_keys *rk,
                    unsigned char **plain, size_t *len)
{
    box_ctx b = {.c = c, .rk = rk, .rc = ERR_NOTFOUND};
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

/* 0 only for a case filed before replies were signed: its receipt box opens and does not ask for
 * signed replies. A missing or damaged box asks for them (a thief cannot make an old one). */
static int replies_must_be_signed(intake_app *app, const store_case *c, const receipt_keys *rk)
{
    unsigned char *plain;
    field fl[FIELDS_MAX];
    size_t len, n = 0;
    int must = 1;

    if (status_box_open(app, c, rk, &plain, &len) != 0)
        return 1;
    if (fields_decode(plain, len, fl, FIELDS_MAX, &n) == 0) {
        const field *f = fields_find(fl, n, "replies");
        must = f != NULL && f->len == 6 && memcmp(f->value, "signed", 6) == 0 ? 1 : f != NULL;
    }
    sodium_free(plain);
    return must;
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
    reply_list l = {.c = c, .rk = rk, .keys = app->recipient_signers, .nkeys = app->nrecipients};
    int rc;

    *out = NULL;
    *n = 0;
    l.signed_only = replies_must_be_signed(app, c, rk);
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
