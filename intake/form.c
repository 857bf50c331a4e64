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
#include "spool.h"

#define PP_BUFFER 16384

/* The fields the intake reads, and the most bytes each may hold. */
static const struct {
    const char *name;
    size_t max;
} known_fields[] = {
    {"csrf", 64}, {"lang", 8}, {"category", 64}, {"description", 64 * 1024},
    {"when", 4096}, {"where", 4096}, {"people", 4096}, {"witnesses", 4096},
    {"sex", 32}, {"age_band", 32}, {"contact", 1024}, {"exclude", 32},
    {"receipt", 128}, {"message", 64 * 1024},
};

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
    unsigned problems;
};

static size_t field_max(const char *name)
{
    for (size_t i = 0; i < sizeof known_fields / sizeof known_fields[0]; i++)
        if (strcmp(known_fields[i].name, name) == 0)
            return known_fields[i].max;
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
    if (filename[0] == '\0' || f->limits.discard_files)
        return;   /* an empty file input, or no room to keep files now */
    if (f->nfiles >= f->limits.max_files || f->nfiles >= FORM_MAX_FILES) {
        f->problems |= FORM_TOO_MANY_FILES;
        return;
    }
    if (f->case_ref[0] == '\0' && (f->bind == NULL || f->bind(f->bind_ctx, f, f->case_ref) != 0)) {
        f->case_ref[0] = '\0';
        f->problems |= FORM_UNBOUND_FILES;
        return;
    }
    ff = sodium_malloc(sizeof *ff);
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
    ff->size += size;
    rc = stream_writer_write(ff->writer, (const unsigned char *)data, size, to_spool, ff->spool);
    if (rc != 0) {
        spool_failed(f, rc);
        f->ignoring_file = 1;
    }
}

static form_value *value_for(form *f, const char *key, uint64_t off)
{
    size_t max = field_max(key);

    if (max == 0)
        return NULL;
    /* A continuation (off > 0) belongs to the latest value of that name. */
    if (off > 0) {
        for (size_t i = f->nvalues; i-- > 0;)
            if (strcmp(f->values[i].name, key) == 0)
                return &f->values[i];
        return NULL;
    }
    if (f->nvalues == FORM_MAX_VALUES)
        return NULL;
    form_value *v = &f->values[f->nvalues];
    v->data = sodium_malloc(2 * max + 1);
    if (v->data == NULL)
        return NULL;
    snprintf(v->name, sizeof v->name, "%s", key);
    v->len = 0;
    v->max = max;
    v->truncated = 0;
    v->data[0] = '\0';
    f->nvalues++;
    return v;
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
    for (size_t i = 0; i < f->nvalues; i++)
        sodium_free(f->values[i].data);
    for (size_t i = 0; i < f->nfiles; i++) {
        stream_writer_free(f->files[i]->writer);
        spool_free(f->files[i]->spool);
        sodium_free(f->files[i]);
    }
    free(f);
}
