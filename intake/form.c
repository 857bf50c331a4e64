/*
 * form.c: receiving forms with encrypted, spooled attachments (see form.h).
 */
#include "form.h"

#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "report_fields.h"
#include "secmem.h"
#include "spool.h"

#define PP_BUFFER 16384

/* The fields the intake reads besides the report's own (report_fields.h, each once, up to its
 * max), the most bytes each may hold, and how often it may come. */
static const struct {
    const char *name;
    size_t max;
    unsigned times;
} known_fields[] = {
    {"csrf", 64, 1}, {"lang", 8, 1}, {"switch_lang", 8, 1},
    {"exclude", 32, PUBKEY_MAX_RECIPIENTS}, {"receipt", 128, 1}, {"message", 64 * 1024, 1},
    {"submission", 64, 1}, {"receipt_mac", 64, 1},
};

#define FIRST_CAPACITY 256   /* a value's buffer starts here and doubles as text arrives */

struct form {
    struct MHD_PostProcessor *pp;
    form_limits limits;
    const char *spool_dir;
    form_binder bind;
    void *bind_ctx;
    char case_ref[CASEREF_TEXT_SIZE];
    form_value values[FORM_MAX_VALUES];
    size_t nvalues;
    form_file *files[FORM_MAX_FILES];
    size_t nfiles;
    form_file *current;     /* the file being received, or NULL */
    int ignoring_file;      /* the current file part is being discarded */
    int binding_failed;     /* the case of the files could not be found: do not ask again */
    size_t text_bytes;      /* guarded memory held by text values */
    uint64_t spooled;       /* counted against the shared spool budget */
    unsigned problems;
};

static size_t field_max(const char *name, unsigned *times)
{
    const report_field *rf = report_field_find(name);

    if (rf != NULL) {
        *times = 1;
        return rf->max;    /* 0 for a field the intake sets itself: dropped */
    }
    for (size_t i = 0; i < sizeof known_fields / sizeof known_fields[0]; i++)
        if (strcmp(known_fields[i].name, name) == 0) {
            *times = known_fields[i].times;
            return known_fields[i].max;
        }
    return 0;
}

static int to_spool(void *ctx, const unsigned char *chunk, size_t len)
{
    return spool_append(ctx, chunk, len);
}

static void spool_failed(form *f, int rc)
{
    f->problems |= rc == ERR_FULL ? FORM_SPOOL_FULL : FORM_SPOOL_FAILED;
}

/* Finishes the file being received, if any. */
static void end_file(form *f)
{
    form_file *ff = f->current;

    f->current = NULL;
    if (ff == NULL || ff->writer == NULL)
        return;
    int rc = stream_writer_finish(ff->writer, to_spool, ff->spool);
    if (rc != 0)
        spool_failed(f, rc);
    stream_writer_free(ff->writer);
    ff->writer = NULL;
}

static void copy_clean(char *out, size_t cap, const char *in)
{
    size_t o = 0;

    for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p && o + 1 < cap; p++)
        if (*p >= 0x20 && *p != 0x7f)
            out[o++] = (char)*p;
    out[o] = '\0';
}

static void begin_file(form *f, const char *filename, const char *content_type)
{
    form_file *ff;
    char err[200];

    end_file(f);
    f->ignoring_file = 1;
    if (filename[0] == '\0')
        return;   /* an empty file input */
    if (f->nfiles >= f->limits.max_files || f->nfiles >= FORM_MAX_FILES) {
        f->problems |= FORM_TOO_MANY_FILES;
        return;
    }
    if (f->case_ref[0] == '\0' &&
        (f->binding_failed || f->bind == NULL || f->bind(f->bind_ctx, f, f->case_ref) != 0)) {
        f->case_ref[0] = '\0';
        f->binding_failed = 1;
        f->problems |= FORM_UNBOUND_FILES;
        return;
    }
    ff = secmem_alloc(sizeof *ff);
    if (ff == NULL) {
        f->problems |= FORM_SPOOL_FAILED;
        return;
    }
    memset(ff, 0, sizeof *ff);
    copy_clean(ff->name, sizeof ff->name, filename);
    copy_clean(ff->type, sizeof ff->type, content_type && *content_type ? content_type : "application/octet-stream");
    randombytes_buf(ff->key, sizeof ff->key);
    ff->spool = spool_new(f->spool_dir, err, sizeof err);
    ff->writer = ff->spool ? stream_writer_new(ff->key, f->case_ref, ff->header) : NULL;
    f->files[f->nfiles++] = ff;
    if (ff->writer == NULL) {
        f->problems |= FORM_SPOOL_FAILED;
        return;
    }
    f->current = ff;
    f->ignoring_file = 0;
}

static void file_data(form *f, const char *data, size_t size)
{
    form_file *ff = f->current;
    int rc;

    if (f->ignoring_file || ff == NULL || size == 0)
        return;
    if (ff->size + size > f->limits.max_file_bytes) {
        f->problems |= FORM_FILE_TOO_LARGE;
        stream_writer_free(ff->writer);
        ff->writer = NULL;
        f->current = NULL;
        f->ignoring_file = 1;
        return;
    }
    if (f->limits.spool_used != NULL &&
        atomic_fetch_add(f->limits.spool_used, size) + size > f->limits.spool_budget) {
        /* all uploads together may not fill the disk: this one stops here */
        atomic_fetch_sub(f->limits.spool_used, size);
        f->problems |= FORM_SPOOL_FULL;
        f->ignoring_file = 1;
        return;
    }
    f->spooled += size;
    ff->size += size;
    rc = stream_writer_write(ff->writer, (const unsigned char *)data, size, to_spool, ff->spool);
    if (rc != 0) {
        spool_failed(f, rc);
        f->ignoring_file = 1;
    }
}

/*
 * The value that text of key at offset off goes to: a new one at off 0, else the latest of
 * that name. A field the intake does not know is dropped (NULL); a known field sent more often
 * than the form ever does, or memory running out, marks the form as failed, so that nothing is
 * stored with a field silently missing (a lost "exclude" would seal a report to the very
 * caseworker the reporter left out).
 */
static form_value *value_for(form *f, const char *key, uint64_t off)
{
    unsigned times = 0, seen = 0;
    size_t max = field_max(key, &times);
    form_value *v, *last = f->nvalues > 0 ? &f->values[f->nvalues - 1] : NULL;

    if (max == 0)
        return NULL;
    /* The parser hands a value over in pieces, in order: a piece that starts where the latest
     * value of the same name ends continues it. */
    if (last != NULL && strcmp(last->name, key) == 0 && (off > 0 || last->len == 0))
        return last;
    for (size_t i = 0; i < f->nvalues; i++)
        seen += strcmp(f->values[i].name, key) == 0;
    if (off > 0 || seen >= times || f->nvalues == FORM_MAX_VALUES) {
        f->problems |= FORM_BROKEN;
        return NULL;
    }
    v = &f->values[f->nvalues];
    v->cap = max + 1 < FIRST_CAPACITY ? max + 1 : FIRST_CAPACITY;
    v->data = secmem_alloc(v->cap);
    if (v->data == NULL) {
        f->problems |= FORM_NO_MEMORY;
        return NULL;
    }
    snprintf(v->name, sizeof v->name, "%s", key);
    v->len = 0;
    v->max = max;
    v->truncated = 0;
    v->data[0] = '\0';
    f->nvalues++;
    return v;
}

/* Makes room for len more bytes in v (up to twice its limit); 0, or -1 when memory is short. */
static int grow(form *f, form_value *v, size_t len)
{
    size_t cap = v->cap;
    unsigned char *bigger;

    if (v->len + len + 1 <= v->cap)
        return 0;
    while (cap < v->len + len + 1)
        cap *= 2;
    if (cap > 2 * v->max + 1)
        cap = 2 * v->max + 1;
    if (f->text_bytes + (cap - v->cap) > FORM_TEXT_BUDGET || (bigger = secmem_alloc(cap)) == NULL) {
        f->problems |= FORM_NO_MEMORY;
        return -1;
    }
    memcpy(bigger, v->data, v->len + 1);
    secmem_free(v->data, v->cap);
    f->text_bytes += cap - v->cap;
    v->data = bigger;
    v->cap = cap;
    return 0;
}

static void text_data(form *f, const char *key, const char *data, uint64_t off, size_t size)
{
    form_value *v = value_for(f, key, off);
    size_t room;

    if (v == NULL)
        return;
    room = 2 * v->max - v->len;
    if (size > room) {
        v->truncated = 1;
        size = room;
    }
    if (size == 0 || grow(f, v, size) != 0)
        return;
    memcpy(v->data + v->len, data, size);
    v->len += size;
    v->data[v->len] = '\0';
}

static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *filename, const char *content_type,
                                const char *transfer_encoding, const char *data, uint64_t off,
                                size_t size)
{
    form *f = cls;

    (void)kind;
    (void)transfer_encoding;
    if (key == NULL)
        return MHD_YES;
    if (filename != NULL) {
        if (strcmp(key, "attachment") != 0)
            return MHD_YES;
        if (off == 0)
            begin_file(f, filename, content_type);
        file_data(f, data, size);
        return MHD_YES;
    }
    text_data(f, key, data, off, size);
    return MHD_YES;
}

form *form_new(struct MHD_Connection *conn, const form_limits *limits, const char *spool_dir,
               form_binder bind, void *bind_ctx, int *not_a_form)
{
    form *f = calloc(1, sizeof *f);

    *not_a_form = 0;
    if (f == NULL)
        return NULL;
    f->limits = *limits;
    f->spool_dir = spool_dir;
    f->bind = bind;
    f->bind_ctx = bind_ctx;
    if (bind == NULL)
        caseref_generate(f->case_ref);
    f->pp = MHD_create_post_processor(conn, PP_BUFFER, on_field, f);
    if (f->pp == NULL) {
        *not_a_form = 1;
        free(f);
        return NULL;
    }
    return f;
}

void form_feed(form *f, const char *data, size_t size)
{
    if (f->pp != NULL && !(f->problems & FORM_BROKEN) &&
        MHD_post_process(f->pp, data, size) != MHD_YES)
        f->problems |= FORM_BROKEN;
}

void form_finish(form *f)
{
    if (f->pp != NULL) {
        if (MHD_destroy_post_processor(f->pp) != MHD_YES)
            f->problems |= FORM_BROKEN;
        f->pp = NULL;
    }
    end_file(f);
}

uint64_t form_spooled(const form *f)
{
    return f->spooled;
}

unsigned form_problems(const form *f)
{
    return f->problems;
}

const char *form_case_ref(const form *f)
{
    return f->case_ref;
}

const form_value *form_get(const form *f, const char *name)
{
    for (size_t i = 0; i < f->nvalues; i++)
        if (strcmp(f->values[i].name, name) == 0)
            return &f->values[i];
    return NULL;
}

const char *form_text(const form *f, const char *name)
{
    const form_value *v = form_get(f, name);

    return v != NULL ? (const char *)v->data : "";
}

const form_value *form_values(const form *f, size_t *n)
{
    *n = f->nvalues;
    return f->values;
}

form_file *const *form_files(const form *f, size_t *n)
{
    *n = f->nfiles;
    return f->files;
}

void form_free(form *f)
{
    if (f == NULL)
        return;
    if (f->pp != NULL)
        MHD_destroy_post_processor(f->pp);
    if (f->limits.spool_used != NULL)
        atomic_fetch_sub(f->limits.spool_used, f->spooled);
    for (size_t i = 0; i < f->nvalues; i++)
        secmem_free(f->values[i].data, f->values[i].cap);
    for (size_t i = 0; i < f->nfiles; i++) {
        stream_writer_free(f->files[i]->writer);
        spool_free(f->files[i]->spool);
        secmem_free(f->files[i], sizeof *f->files[i]);
    }
    free(f);
}
