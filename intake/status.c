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

typedef struct reply_list {
    const store_case *c;
    const receipt_keys *rk;
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
    reply_list l = {.c = c, .rk = rk};
    int rc;

    *out = NULL;
    *n = 0;
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
