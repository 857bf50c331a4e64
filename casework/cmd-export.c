/*
 * cmd-export.c: `casework export CASE --out DIR`: writes the case's attachments, decrypted as
 * they stream out of the store (memory does not grow with a file), into DIR (created 0700 when
 * missing). Names come from the reporter, so they are made safe: no path separators, no leading
 * dots, no control characters; each is prefixed with its number; nothing is ever overwritten;
 * files are 0600.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit-append.h"
#include "case-read.h"
#include "command.h"
#include "errors.h"
#include "stream.h"
#include "term.h"

/* The most bytes of the reporter's name kept in a file name (after "NN-"). */
#define NAME_KEPT_MAX 117

/* Writes a safe file name for the reporter's name (len bytes) into out: valid UTF-8 (the terminal
 * filter's copy, cut on a character boundary), no path separators or leading dots. */
static void safe_name(size_t number, const char *raw, size_t raw_len, char *out, size_t cap)
{
    size_t o = (size_t)snprintf(out, cap, "%02zu-", number);
    char name[NAME_KEPT_MAX + 1];
    size_t len;

    /* No control characters, no invalid UTF-8, and no bidi overrides to disguise an extension. */
    len = term_safe_copy(name, o + sizeof name <= cap ? sizeof name : cap - o, raw, raw_len);
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        if (c == '/' || c == '\\' || c == ':' || c == '?')
            c = '_';
        if (c == '.' && (i == 0 || out[o - 1] == '_'))   /* no leading dots */
            c = '_';
        out[o++] = c;
    }
    if (len == 0)
        o += (size_t)snprintf(out + o, cap - o, "attachment");
    out[o] = '\0';
}

typedef struct sink {
    stream_reader *r;
    int fd;
    unsigned char *buf;
} sink;

static int write_chunk(void *vctx, const unsigned char *chunk, size_t len)
{
    sink *s = vctx;
    size_t n, off = 0;
    int rc = stream_reader_pull(s->r, chunk, len, s->buf, &n);

    if (rc != 0)
        return rc;
    while (off < n) {
        ssize_t w = write(s->fd, s->buf + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return errno == ENOSPC ? ERR_FULL : ERR_IO;
        off += (size_t)w;
    }
    return 0;
}

static int export_one(casework_ctx *ctx, const case_data *d, const case_attachment *a, size_t number,
                      const char *dir)
{
    char name[160], path[4096];
    unsigned char header[STREAM_HEADERBYTES];
    size_t name_len, key_len;
    const char *reporter_name = case_value(a->meta, "name", &name_len);
    const char *key = case_value(a->meta, "key", &key_len);
    int64_t meta;
    sink s = {.fd = -1};
    int rc;

    safe_name(number, reporter_name, name_len, name, sizeof name);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (key_len != STREAM_KEYBYTES)
        return err_set(ctx->err, sizeof ctx->err, ERR_FORMAT, "attachment %zu of %s has no key (damaged)", number, d->c.ref);
    if ((rc = store_attachment_header(ctx->db, a->id, header, &meta, ctx->err, sizeof ctx->err)) != 0)
        return rc;
    s.fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (s.fd < 0)
        return err_set(ctx->err, sizeof ctx->err, errno == EEXIST ? ERR_EXISTS : ERR_IO,
                       "cannot create %s: %s (it is never overwritten)", path, strerror(errno));
    s.r = stream_reader_new((const unsigned char *)key, d->c.ref, header);
    s.buf = sodium_malloc(STREAM_MAX_CT);
    if (s.r == NULL || s.buf == NULL)
        rc = err_set(ctx->err, sizeof ctx->err, ERR_NOMEM, "out of memory");
    else
        rc = store_attachment_chunks_each(ctx->db, a->id, write_chunk, &s, ctx->err, sizeof ctx->err);
    if (rc == 0)
        rc = stream_reader_finish(s.r);
    if (rc == 0 && fsync(s.fd) != 0)
        rc = ERR_IO;
    if (close(s.fd) != 0 && rc == 0)
        rc = ERR_IO;
    stream_reader_free(s.r);
    sodium_free(s.buf);
    if (rc != 0) {
        unlink(path);
        if (rc == ERR_AUTH || rc == ERR_TRUNCATED || rc == ERR_FORMAT)
            return err_set(ctx->err, sizeof ctx->err, rc, "attachment %zu of %s is damaged or was altered (nothing of it was kept)", number, d->c.ref);
        if (rc == ERR_FULL)
            return err_set(ctx->err, sizeof ctx->err, rc, "no space left writing %s", path);
        if (ctx->err[0] == '\0')
            err_set(ctx->err, sizeof ctx->err, rc, "cannot write %s", path);
        return rc;
    }
    printf("%s\n", path);
    return 0;
}

static int export_run(casework_ctx *ctx, const command_args *args)
{
    const char *out = command_args_get(args, "out");
    case_data *d = NULL;
    audit_attempt a;
    store_case c;
    char why[300], details[32];
    size_t written = 0;
    int rc = EXIT_FAILED, code = ERR_IO;

    if (case_find(ctx->db, args->positional[0], &c, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    /* Writing files can fail after the entry: it is begun here and its outcome recorded below. */
    if (audit_begin(ctx->db, ctx->key, "export", c.ref, "", &a, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    if ((code = case_load(ctx->db, ctx->key, &c, &d, ctx->err, sizeof ctx->err)) != 0)
        goto done;
    if (mkdir(out, 0700) != 0 && errno != EEXIST) {
        code = errno == ENOSPC ? ERR_FULL : ERR_IO;
        snprintf(ctx->err, sizeof ctx->err, "cannot create %s: %s", out, strerror(errno));
        goto done;
    }
    for (size_t i = 0; i < d->nattachments; i++, written++)
        if ((code = export_one(ctx, d, &d->attachments[i], i + 1, out)) != 0)
            goto done;
    if (d->nattachments == 0)
        printf("%s has no attachments\n", c.ref);
    rc = EXIT_DONE;
done:
    snprintf(details, sizeof details, "files=%zu", written);
    if (audit_end(&a, rc == EXIT_DONE, audit_reason_for(code), details, why, sizeof why) != 0) {
        if (rc == EXIT_DONE)
            snprintf(ctx->err, sizeof ctx->err, "the files were written, but their outcome could not be logged: %s", why);
        else
            fprintf(stderr, "casework: the outcome of this export could not be logged: %s\n", why);
        rc = EXIT_FAILED;
    }
    case_free(d);
    return rc;
}

static const command_option export_options[] = {
    {.name = "out", .flags = COMMAND_OPT_VALUE | COMMAND_OPT_REQUIRED, .value_name = "DIR"},
    {.name = NULL}
};

const command cmd_export = {
    .name = "export",
    .summary = "write a case's attachments, decrypted, into DIR (safe names, never overwriting)",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .args = {.options = export_options, .min_positional = 1, .max_positional = 1, .positional = {{.name = "CASE"}}},
    .run = export_run,
};
