/*
 * submit.c: sealing and storing reports and follow-ups (see submit.h).
 */
#include "submit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envelope.h"
#include "day.h"
#include "errors.h"
#include "fields.h"
#include "report_fields.h"
#include "secmem.h"
#include "sent.h"
#include "spool.h"
#include "status.h"

#define LARGE_JOB_BYTES (8 * 1024 * 1024)   /* files past this are committed on their own */
/* In a report's plaintext, a caseworker left in costs `recipient` (1+9+4+32 bytes) and
 * `signer_key` (1+10+4+32), one left out `excluded` (1+8+4+16): 64 bytes less, made up by one
 * `pad` field (its own 1+3+4 bytes counted) when anyone was left out. */
#define LEFT_OUT_PAD_BYTES 64
#define FIELD_OVERHEAD_PAD 8

/* A sealed record waiting for the transaction. */
typedef struct sealed {
    unsigned char *data;
    size_t len;
} sealed;

struct save_job {
    intake_app *app;
    const form *f;
    int is_report;
    char ref[CASEREF_TEXT_SIZE];             /* a report's new case */
    unsigned char lookup[32], box_pk[32];
    sealed record;                           /* the report, or the follow-up's message */
    unsigned char *choice_box;               /* a report's receipt box */
    size_t box_len;
    unsigned char *sent_box;                 /* a report's list of what was sent (sent.h) */
    size_t sent_len;
    const receipt_keys *rk;                  /* a follow-up's: to add it to that list */
    char day[DAY_TEXT_SIZE];
    uint64_t text_bytes;
    int64_t case_id;                         /* a follow-up's case */
    sealed *metas;                           /* each file's sealed metadata */
    size_t nfiles;
};

/* What the reporter sent in f (its text of text_bytes, its files), as an entry of their list;
 * names and sizes must hold the form's files. */
static sent_item sent_item_of(const form *f, int is_report, const char *day, uint64_t text_bytes,
                              const char **names, uint64_t *sizes)
{
    size_t n;
    form_file *const *files = form_files(f, &n);

    if (n > SENT_MAX_FILES)
        n = SENT_MAX_FILES;
    for (size_t i = 0; i < n; i++) {
        names[i] = files[i]->name;
        sizes[i] = files[i]->size;
    }
    return (sent_item){is_report, day, text_bytes, n, names, sizes};
}

/* Seals n fields as one record of kind for the included recipients. */
static int seal_fields(const intake_app *app, const unsigned char *include, enum envelope_kind kind,
                       const char *case_ref, const field *fl, size_t n, sealed *out)
{
    size_t len = fields_encoded_size(fl, n);
    unsigned char *plain = secmem_alloc(len);
    int rc;

    if (plain == NULL)
        return ERR_NOMEM;
    rc = fields_encode(fl, n, plain);
    if (rc == 0)
        rc = envelope_seal(app->recipient_pks, app->nrecipients, include, kind, case_ref, plain,
                           len, &out->data, &out->len, NULL, 0);
    secmem_free(plain, len);
    return rc;
}

/* Sealed metadata of each attachment: name, type, size, stream key. */
static int seal_attachments(const intake_app *app, const unsigned char *include, const form *f,
                            const char *case_ref, sealed *metas)
{
    size_t nfiles;
    form_file *const *files = form_files(f, &nfiles);

    for (size_t i = 0; i < nfiles; i++) {
        char size[24];
        field fl[4];
        snprintf(size, sizeof size, "%llu", (unsigned long long)files[i]->size);
        fields_set(&fl[0], "name", files[i]->name, strlen(files[i]->name));
        fields_set(&fl[1], "type", files[i]->type, strlen(files[i]->type));
        fields_set(&fl[2], "size", size, strlen(size));
        fields_set(&fl[3], "key", files[i]->key, STREAM_KEYBYTES);
        int rc = seal_fields(app, include, ENVELOPE_KIND_ATTACHMENT_META, case_ref, fl, 4, &metas[i]);
        if (rc != 0)
            return rc;
    }
    return 0;
}

typedef struct chunk_copy {
    store *db;
    int64_t attachment;
    int64_t seq;
} chunk_copy;

static int copy_chunk(void *ctx, const unsigned char *chunk, size_t len)
{
    chunk_copy *c = ctx;

    return store_attachment_chunk_add(c->db, c->attachment, c->seq++, chunk, len, NULL, 0);
}

/* Inside the transaction: each attachment's sealed metadata, header and chunks. */
static int store_attachments(store *db, int64_t case_id, const form *f, const sealed *metas)
{
    size_t nfiles;
    form_file *const *files = form_files(f, &nfiles);

    for (size_t i = 0; i < nfiles; i++) {
        chunk_copy copy = {.db = db};
        int64_t meta;
        int rc = store_record_add(db, case_id, STORE_AUDIENCE_CASEWORKERS, metas[i].data,
                                  metas[i].len, &meta, NULL, 0);
        if (rc == 0)
            rc = store_attachment_add(db, case_id, meta, files[i]->header, &copy.attachment, NULL, 0);
        if (rc == 0)
            rc = spool_each(files[i]->spool, copy_chunk, &copy);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static void free_sealed(sealed *s, size_t n)
{
    for (size_t i = 0; s != NULL && i < n; i++)
        free(s[i].data);
    free(s);
}

/* Adds the report fields the form asks (report_fields.h) that f has, not empty, in order. */
static size_t add_present(const form *f, field *fl, size_t at)
{
    for (size_t i = 0; i < REPORT_FIELD_COUNT; i++) {
        const form_value *v = report_fields[i].max > 0 ? form_get(f, report_fields[i].name) : NULL;
        if (v != NULL && v->len > 0)
            fields_set(&fl[at++], report_fields[i].name, v->data, v->len);
    }
    return at;
}

/*
 * The reporter's choice, in a receipt box only later requests with the receipt can open: when
 * the reporter left someone out, the key ids of the caseworkers left in (an allow-list, so a
 * left-out caseworker who gets a new key, or one added later, still gets no follow-up); when
 * not, an empty list (follow-ups go to whoever is configured then).
 */
static int seal_choice(const intake_app *app, const unsigned char *include, int restricted,
                       const receipt_keys *rk, const char *ref, unsigned char **box, size_t *box_len)
{
    char id_hex[PUBKEY_MAX_RECIPIENTS][2 * PUBKEY_IDBYTES + 1];
    field fl[PUBKEY_MAX_RECIPIENTS + 1];
    size_t n = 0, len;
    unsigned char *plain;
    int rc;

    for (size_t r = 0; restricted && r < app->nrecipients; r++) {
        if (!include[r])
            continue;
        pubkey_id_hex(&app->recipients[r], id_hex[n]);
        fields_set(&fl[n], "included", id_hex[n], 2 * PUBKEY_IDBYTES);
        n++;
    }
    /* The reporter's page shows only replies a configured caseworker signed (record-sig.h). */
    fields_set(&fl[n++], "replies", "signed", 6);
    len = fields_encoded_size(fl, n);
    plain = secmem_alloc(len);
    if (plain == NULL)
        return ERR_NOMEM;
    rc = fields_encode(fl, n, plain);
    if (rc == 0)
        rc = receipt_box_seal(rk, ref, plain, len, box, box_len);
    secmem_free(plain, len);
    return rc;
}

int submit_report(intake_app *app, const form *f, const unsigned char *include,
                  unsigned char (*ids)[PUBKEY_IDBYTES], size_t nids, lang l,
                  const receipt_keys *rk, save_job **job)
{
    static const unsigned char left_out_pad[LEFT_OUT_PAD_BYTES * PUBKEY_MAX_RECIPIENTS];
    char id_hex[PUBKEY_MAX_RECIPIENTS][2 * PUBKEY_IDBYTES + 1];
    field fl[FIELDS_MAX];
    size_t n = 0;
    save_job *j = calloc(1, sizeof *j);
    int rc;

    *job = NULL;
    if (j == NULL)
        return ERR_NOMEM;
    j->app = app;
    j->f = f;
    j->is_report = 1;
    snprintf(j->ref, sizeof j->ref, "%s", form_case_ref(f));
    form_files(f, &j->nfiles);
    j->metas = calloc(j->nfiles + 1, sizeof *j->metas);
    if (j->metas == NULL) {
        rc = ERR_NOMEM;
        goto out;
    }
    memcpy(j->lookup, rk->lookup, sizeof j->lookup);
    memcpy(j->box_pk, rk->box_pk, sizeof j->box_pk);

    /* Who the reporter left out: in the report for the caseworkers; who was left in, in a
     * receipt box, so that later follow-ups are sealed to the same people. */
    n = add_present(f, fl, 0);
    fields_set(&fl[n++], report_fields[REPORT_FIELD_LANGUAGE].name, msg(l, M_LANG_CODE), 2);
    fields_set(&fl[n++], "reporter_pk", rk->box_pk, sizeof rk->box_pk);
    /* The caseworkers' X25519 keys this report is sealed to: replies and notes go to the same.
     * And their Ed25519 keys: the only signatures casework believes on this case's records. */
    for (size_t r = 0; r < app->nrecipients; r++)
        if (include[r])
            fields_set(&fl[n++], "recipient", app->recipients[r].x25519, 32);
    for (size_t r = 0; r < app->nrecipients; r++)
        if (include[r])
            fields_set(&fl[n++], "signer_key", app->recipients[r].ed25519, 32);
    for (size_t i = 0; i < nids; i++) {
        sodium_bin2hex(id_hex[i], sizeof id_hex[i], ids[i], PUBKEY_IDBYTES);
        fields_set(&fl[n++], "excluded", id_hex[i], 2 * PUBKEY_IDBYTES);
    }
    /* A caseworker left in takes 93 bytes (recipient, signer_key), one left out 29 (excluded):
     * zeros make up the difference, so that the report's length, padded or not, never says how
     * many were left out. */
    if (nids > 0)
        fields_set(&fl[n++], "pad", left_out_pad, LEFT_OUT_PAD_BYTES * nids - FIELD_OVERHEAD_PAD);
    if ((rc = seal_fields(app, include, ENVELOPE_KIND_REPORT, j->ref, fl, n, &j->record)) == 0 &&
        (rc = seal_choice(app, include, nids > 0, rk, j->ref, &j->choice_box, &j->box_len)) == 0 &&
        (rc = seal_attachments(app, include, f, j->ref, j->metas)) == 0) {
        const char *names[SENT_MAX_FILES];
        uint64_t sizes[SENT_MAX_FILES];
        const form_value *d = form_get(f, report_fields[REPORT_FIELD_DESCRIPTION].name);
        char today[DAY_TEXT_SIZE];
        sent_item item;
        day_today(today);
        item = sent_item_of(f, 1, today, d != NULL ? d->len : 0, names, sizes);
        rc = sent_seal(rk, j->ref, NULL, 0, &item, &j->sent_box, &j->sent_len);
    }
out:
    if (rc != 0)
        save_job_free(j);
    else
        *job = j;
    return rc;
}

/* Reads the case's receipt box into include: 1 for each configured recipient a follow-up goes
 * to (all of them, unless the reporter left someone out: then only those left in). */
static int followup_include(intake_app *app, const store_case *c, const receipt_keys *rk,
                            unsigned char *include)
{
    unsigned char *plain = NULL;
    field fl[FIELDS_MAX];
    size_t len = 0, n = 0, listed = 0, kept = 0;
    int rc;

    if ((rc = status_box_open(app, c, rk, &plain, &len)) != 0)
        return rc;
    rc = fields_decode(plain, len, fl, FIELDS_MAX, &n);
    for (size_t i = 0; rc == 0 && i < n; i++)
        listed += strcmp(fl[i].name, "included") == 0;
    for (size_t r = 0; rc == 0 && r < app->nrecipients; r++) {
        char id[2 * PUBKEY_IDBYTES + 1];
        pubkey_id_hex(&app->recipients[r], id);
        include[r] = listed == 0;
        for (size_t i = 0; i < n; i++)
            if (strcmp(fl[i].name, "included") == 0 && fl[i].len == 2 * PUBKEY_IDBYTES &&
                memcmp(fl[i].value, id, fl[i].len) == 0)
                include[r] = 1;
        kept += include[r];
    }
    sodium_free(plain);
    if (rc == 0 && kept == 0)
        rc = ERR_NOT_RECIPIENT;
    return rc;
}

int submit_followup(intake_app *app, const form *f, const store_case *c, const receipt_keys *rk,
                    lang l, save_job **job)
{
    unsigned char *include = calloc(app->nrecipients, 1);
    const form_value *text = form_get(f, "message");
    save_job *j = calloc(1, sizeof *j);
    field fl[2];
    int rc;

    *job = NULL;
    if (include == NULL || j == NULL) {
        free(include);
        free(j);
        return ERR_NOMEM;
    }
    j->app = app;
    j->f = f;
    j->case_id = c->id;
    j->rk = rk;   /* borrowed: the request keeps it until its answer, after the save */
    snprintf(j->ref, sizeof j->ref, "%s", c->ref);
    day_today(j->day);
    j->text_bytes = text != NULL ? text->len : 0;
    form_files(f, &j->nfiles);
    j->metas = calloc(j->nfiles + 1, sizeof *j->metas);
    if (j->metas == NULL) {
        rc = ERR_NOMEM;
        goto out;
    }
    if ((rc = followup_include(app, c, rk, include)) != 0)
        goto out;
    fields_set(&fl[0], "text", text ? text->data : (const unsigned char *)"", text ? text->len : 0);
    fields_set(&fl[1], "language", msg(l, M_LANG_CODE), 2);
    /* The files were encrypted for the case the form's receipt named while they arrived. */
    if (j->nfiles > 0 && strcmp(form_case_ref(f), c->ref) != 0) {
        rc = ERR_FORMAT;
        goto out;
    }
    if ((rc = seal_fields(app, include, ENVELOPE_KIND_FOLLOWUP, c->ref, fl, 2, &j->record)) == 0)
        rc = seal_attachments(app, include, f, c->ref, j->metas);
out:
    free(include);
    if (rc != 0)
        save_job_free(j);
    else
        *job = j;
    return rc;
}

typedef struct sent_box_read {
    int index;                 /* audience-3 records seen */
    int64_t id;                /* the second one's: the list */
    unsigned char *box;
    size_t len;
} sent_box_read;

static int second_box(void *ctx, const store_record *r)
{
    sent_box_read *b = ctx;

    if (b->index++ != 1)
        return 0;
    b->id = r->id;
    b->box = malloc(r->envelope_len);
    if (b->box == NULL)
        return ERR_NOMEM;
    memcpy(b->box, r->envelope, r->envelope_len);
    b->len = r->envelope_len;
    return 1;
}

/*
 * Inside the transaction: the follow-up added to the reporter's list (rewritten one entry
 * longer; made when the case has none yet, as cases filed before the list was kept). A list
 * that cannot be opened or sealed is left as it is, and the follow-up is still saved; only the
 * store's own failures fail the job.
 */
static int add_to_sent_list(store *db, const save_job *j)
{
    sent_box_read b = {.index = 0};
    const char *names[SENT_MAX_FILES];
    uint64_t sizes[SENT_MAX_FILES];
    sent_item item = sent_item_of(j->f, 0, j->day, j->text_bytes, names, sizes);
    unsigned char *box = NULL;
    size_t len = 0;
    int rc = store_records_each(db, j->case_id, STORE_AUDIENCE_RECEIPT_BOX, second_box, &b, NULL, 0);

    if (rc == ERR_NOMEM) {
        free(b.box);
        return 0;   /* the list is skipped, not the follow-up */
    }
    if (rc < 0) {
        free(b.box);
        return rc;
    }
    if (b.index == 0 || sent_seal(j->rk, j->ref, b.box, b.len, &item, &box, &len) != 0) {
        free(b.box);
        return 0;   /* no choice box (not a case of this intake's), or a list that will not open */
    }
    rc = b.box != NULL ? store_record_replace(db, b.id, box, len, NULL, 0)
                       : store_record_add(db, j->case_id, STORE_AUDIENCE_RECEIPT_BOX, box, len, NULL, NULL, 0);
    free(b.box);
    free(box);
    return rc;
}

int save_job_apply(store *db, void *arg)
{
    save_job *j = arg;
    store_case c;
    int64_t case_id = j->case_id;
    int rc = 0;

    if (j->is_report) {
        rc = store_case_insert(db, j->ref, j->lookup, j->box_pk, &c, NULL, 0);
        case_id = c.id;
    }
    if (rc == 0)
        rc = store_record_add(db, case_id, STORE_AUDIENCE_CASEWORKERS, j->record.data, j->record.len, NULL, NULL, 0);
    if (rc == 0 && j->is_report)
        rc = store_record_add(db, case_id, STORE_AUDIENCE_RECEIPT_BOX, j->choice_box, j->box_len, NULL, NULL, 0);
    if (rc == 0 && j->is_report)   /* the reporter's list, after the choice box */
        rc = store_record_add(db, case_id, STORE_AUDIENCE_RECEIPT_BOX, j->sent_box, j->sent_len, NULL, NULL, 0);
    if (rc == 0)
        rc = store_attachments(db, case_id, j->f, j->metas);
    if (rc == 0 && !j->is_report && j->rk != NULL)
        rc = add_to_sent_list(db, j);
    return rc;
}

int save_job_large(const save_job *j)
{
    return form_spooled(j->f) > LARGE_JOB_BYTES;
}

void save_job_saved(save_job *j)
{
    atomic_fetch_add(j->is_report ? &j->app->reports_saved : &j->app->followups_saved, 1);
}

void save_job_free(save_job *j)
{
    if (j == NULL)
        return;
    free_sealed(j->metas, j->nfiles);
    free(j->record.data);
    free(j->choice_box);
    free(j->sent_box);
    free(j);
}
