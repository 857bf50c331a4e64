/*
 * case-read.c: decrypting a whole case for a caseworker (see case-read.h).
 */
#include "case-read.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case-trust.h"
#include "caseref.h"
#include "errors.h"

int case_find(store *s, const char *typed_ref, store_case *c, char *err, size_t errlen)
{
    char ref[CASEREF_TEXT_SIZE];

    if (caseref_normalize(typed_ref, ref) != 0)
        return err_set(err, errlen, ERR_FORMAT, "'%s' is not a case reference (they look like K7QM3-XH9A2)", typed_ref);
    if (store_case_by_ref(s, ref, c, NULL, 0) != 0)
        return err_set(err, errlen, ERR_NOTFOUND, "no case %s (check the reference with casework list)", ref);
    return 0;
}

typedef struct load_ctx {
    const caseworker_key *k;
    case_data *d;
    size_t cap;
    char *err;
    size_t errlen;
    int rc;
} load_ctx;

static int load_record(void *vctx, const store_record *r)
{
    load_ctx *l = vctx;
    case_data *d = l->d;
    case_record *rec;
    enum envelope_kind kind;
    unsigned char *plain;
    size_t len;
    int rc;

    if (r->audience == STORE_AUDIENCE_RECEIPT_BOX)
        return 0;   /* only the reporter's receipt opens it */
    rc = envelope_open_any(l->k->pub.x25519, l->k->x25519_sk, d->c.ref, r->envelope, r->envelope_len,
                           &kind, &plain, &len, NULL, 0);
    if (rc == ERR_NOT_RECIPIENT) {
        d->not_for_me++;
        return 0;
    }
    if (rc != 0) {
        l->rc = err_set(l->err, l->errlen, rc == ERR_NOMEM ? ERR_NOMEM : ERR_AUTH,
                        "record %lld of case %s is damaged or was altered (restore it from a backup; other cases still open)",
                        (long long)r->id, d->c.ref);
        return 1;
    }
    if (d->nrecords == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        case_record *bigger = realloc(d->records, cap * sizeof *bigger);
        if (bigger == NULL) {
            sodium_free(plain);
            l->rc = err_set(l->err, l->errlen, ERR_NOMEM, "out of memory");
            return 1;
        }
        d->records = bigger;
        l->cap = cap;
    }
    rec = &d->records[d->nrecords];
    memset(rec, 0, sizeof *rec);
    rec->id = r->id;
    rec->kind = kind;
    snprintf(rec->day, sizeof rec->day, "%s", r->day);
    rec->plain = plain;
    rec->len = len;
    if (kind == ENVELOPE_KIND_REPORT && d->report_slots == 0)
        d->report_slots = envelope_slot_count(r->envelope, r->envelope_len);
    if (fields_decode(plain, len, rec->fields, FIELDS_MAX, &rec->nfields) != 0) {
        sodium_free(plain);
        l->rc = err_set(l->err, l->errlen, ERR_FORMAT, "record %lld of case %s is malformed", (long long)r->id, d->c.ref);
        return 1;
    }
    d->nrecords++;
    return 0;
}

typedef struct attach_ctx {
    case_data *d;
    size_t cap;
} attach_ctx;

/* Keeps an attachment whose metadata record this key opened. */
static int add_attachment(void *ctx, int64_t attachment_id, int64_t meta_record)
{
    attach_ctx *a = ctx;
    case_data *d = a->d;

    for (size_t i = 0; i < d->nrecords && d->nattachments < a->cap; i++) {
        if (d->records[i].id == meta_record && d->records[i].kind == ENVELOPE_KIND_ATTACHMENT_META) {
            d->attachments[d->nattachments].id = attachment_id;
            d->attachments[d->nattachments].meta = &d->records[i];
            d->nattachments++;
        }
    }
    return 0;
}

static int load_attachments(store *s, case_data *d, char *err, size_t errlen)
{
    attach_ctx a = {d, d->nrecords + 1};

    d->attachments = calloc(a.cap, sizeof *d->attachments);
    if (d->attachments == NULL)
        return err_set(err, errlen, ERR_NOMEM, "out of memory");
    return store_attachments_each(s, d->c.id, add_attachment, &a, err, errlen);
}

/* Marks the records no caseworker of the case signed (case-trust.h). */
static void judge(case_data *d)
{
    case_trust t;

    case_trust_init(&t);
    for (size_t i = 0; i < d->nrecords; i++) {
        case_record *r = &d->records[i];
        r->forged = !case_trust_record(&t, r->kind, d->c.ref, r->plain, r->len, r->fields, r->nfields);
        d->forged += (size_t)r->forged;
    }
    d->reports = (size_t)t.reports;
    d->tampered = t.tampered;
}

int case_load(store *s, const caseworker_key *k, const store_case *c, case_data **out,
              char *err, size_t errlen)
{
    case_data *d = calloc(1, sizeof *d);
    load_ctx l = {.k = k, .d = d, .err = err, .errlen = errlen};
    int rc;

    *out = NULL;
    if (d == NULL)
        return err_set(err, errlen, ERR_NOMEM, "out of memory");
    d->c = *c;
    rc = store_records_each(s, c->id, 0, load_record, &l, err, errlen);
    if (rc == 1)
        rc = l.rc;
    if (rc == 0)
        judge(d);
    if (rc == 0 && case_first(d, ENVELOPE_KIND_REPORT) == NULL)
        rc = err_set(err, errlen, ERR_NOT_RECIPIENT, "you are not a recipient of case %s, so nothing of it is shown (a recipient can share it with: casework share %s --with YOUR.pub)", c->ref, c->ref);
    if (rc == 0)
        rc = load_attachments(s, d, err, errlen);
    if (rc != 0) {
        case_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

void case_free(case_data *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < d->nrecords; i++)
        sodium_free(d->records[i].plain);
    free(d->records);
    free(d->attachments);
    free(d);
}

const case_record *case_first(const case_data *d, enum envelope_kind kind)
{
    for (size_t i = 0; i < d->nrecords; i++)
        if (d->records[i].kind == kind && !d->records[i].forged)
            return &d->records[i];
    return NULL;
}

const char *case_value(const case_record *r, const char *name, size_t *len)
{
    const field *f = r != NULL ? fields_find(r->fields, r->nfields, name) : NULL;

    *len = f != NULL ? f->len : 0;
    return f != NULL ? (const char *)f->value : "";
}

void case_state_of(const case_data *d, case_state *st)
{
    case_state_init(st, d->c.received);
    for (size_t i = 0; i < d->nrecords; i++)
        if (!d->records[i].forged)
            case_state_fold(st, d->records[i].kind, d->records[i].day, d->records[i].fields, d->records[i].nfields);
}
