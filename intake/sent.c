/*
 * sent.c: the reporter's list of what they sent, as record-plaintext entries in a receipt box
 * (see sent.h): for each thing sent, `sent` (`report` or `follow-up`), `day`, `text_bytes`, then
 * `file` and `file_bytes` for each of its files.
 */
#include "sent.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "secmem.h"

static int number_of(const field *f, uint64_t *out)
{
    char buf[24];
    char *end;

    if (f->len == 0 || f->len >= sizeof buf)
        return ERR_FORMAT;
    memcpy(buf, f->value, f->len);
    buf[f->len] = '\0';
    *out = strtoull(buf, &end, 10);
    return *end == '\0' ? 0 : ERR_FORMAT;
}

int sent_read(const unsigned char *plain, size_t len, sent_list *out)
{
    size_t n;

    memset(out, 0, sizeof *out);
    if (fields_decode(plain, len, out->fields, FIELDS_MAX, &n) != 0)
        return ERR_FORMAT;
    for (size_t i = 0; i < n; i++) {
        const field *f = &out->fields[i];
        if (strcmp(f->name, "sent") == 0) {
            if (out->n == SENT_MAX_ENTRIES)
                return ERR_FORMAT;
            out->e[out->n].is_report = f->len == 6 && memcmp(f->value, "report", 6) == 0;
            out->e[out->n].first_file = out->nfiles;
            out->n++;
        } else if (out->n == 0) {
            if (strcmp(f->name, "older") == 0)
                out->older_dropped = 1;
            continue;
        } else if (strcmp(f->name, "day") == 0) {
            out->e[out->n - 1].day = f;
        } else if (strcmp(f->name, "text_bytes") == 0) {
            if (number_of(f, &out->e[out->n - 1].text_bytes) != 0)
                return ERR_FORMAT;
        } else if (strcmp(f->name, "file") == 0) {
            if (out->nfiles == SENT_MAX_FILES)
                return ERR_FORMAT;
            out->f[out->nfiles].name = f;
            out->e[out->n - 1].nfiles++;
            out->nfiles++;
        } else if (strcmp(f->name, "more_files") == 0) {
            if (number_of(f, &out->e[out->n - 1].more_files) != 0)
                return ERR_FORMAT;
        } else if (strcmp(f->name, "file_bytes") == 0 && out->nfiles > 0) {
            if (number_of(f, &out->f[out->nfiles - 1].size) != 0)
                return ERR_FORMAT;
        }
    }
    for (size_t i = 0; i < out->n; i++)
        if (out->e[i].day == NULL)
            return ERR_FORMAT;
    return 0;
}

/* The fields of one entry into fl: its text size, and each file's name (names) and size (sizes,
 * nfiles numbers of 24 bytes each, as text); returns how many. */
static size_t entry_fields(int is_report, const field *day, const char *text_bytes, size_t nfiles,
                           const field *names, const char *sizes, field *fl)
{
    size_t k = 0;

    fields_set(&fl[k++], "sent", is_report ? "report" : "follow-up", is_report ? 6 : 9);
    fields_set(&fl[k++], "day", day->value, day->len);
    fields_set(&fl[k++], "text_bytes", text_bytes, strlen(text_bytes));
    for (size_t i = 0; i < nfiles; i++) {
        fields_set(&fl[k++], "file", names[i].value, names[i].len);
        fields_set(&fl[k++], "file_bytes", sizes + 24 * i, strlen(sizes + 24 * i));
    }
    return k;
}

int sent_seal(const receipt_keys *rk, const char *ref, const unsigned char *old, size_t old_len,
              const sent_item *item, unsigned char **box, size_t *box_len)
{
    unsigned char *plain = NULL, *out = NULL;
    size_t plain_len = 0, k = 0, keep[SENT_MAX_ENTRIES], nkeep = 0;
    size_t listed_files = item->nfiles, more_files = 0;
    sent_list *list = calloc(1, sizeof *list);
    field *fl = calloc(FIELDS_MAX + 2 * SENT_MAX_FILES + 8, sizeof *fl);
    char (*nums)[24] = calloc(SENT_MAX_ENTRIES + 1 + SENT_MAX_FILES + FIELDS_MAX, 24);
    size_t used_nums = 0;
    int rc = 0, older = 0;

    *box = NULL;
    *box_len = 0;
    if (list == NULL || fl == NULL || nums == NULL) {
        rc = ERR_NOMEM;
        goto out;
    }
    if (old != NULL && (rc = receipt_box_open(rk, ref, old, old_len, &plain, &plain_len)) == 0)
        rc = sent_read(plain, plain_len, list);
    if (rc != 0)
        goto out;
    older = list->older_dropped;
    /* Keep every entry, less the oldest follow-ups (never the report) until the new one fits. */
    for (size_t i = 0; i < list->n; i++)
        keep[nkeep++] = i;
    for (;;) {
        size_t files = item->nfiles, drop = nkeep;
        for (size_t i = 0; i < nkeep; i++)
            files += list->e[keep[i]].nfiles;
        if (1 + 3 * (nkeep + 1) + 2 * files <= FIELDS_MAX && nkeep + 1 <= SENT_MAX_ENTRIES && files <= SENT_MAX_FILES)
            break;
        for (size_t i = 0; i < nkeep && drop == nkeep; i++)
            if (!list->e[keep[i]].is_report)
                drop = i;
        if (drop == nkeep) {
            /* the report and this one alone do not fit: list fewer of this one's files, and
             * say how many more came */
            size_t fit = 0, others = files - item->nfiles;
            while (fit < item->nfiles && 1 + 1 + 3 * (nkeep + 1) + 2 * (others + fit + 1) <= FIELDS_MAX &&
                   others + fit + 1 <= SENT_MAX_FILES)
                fit++;
            more_files = item->nfiles - fit;
            listed_files = fit;
            break;
        }
        memmove(&keep[drop], &keep[drop + 1], (nkeep - drop - 1) * sizeof keep[0]);
        nkeep--;
        older = 1;
    }
    if (older)
        fields_set(&fl[k++], "older", "1", 1);
    for (size_t x = 0; x < nkeep; x++) {
        size_t i = keep[x];
        field names[SENT_MAX_FILES];
        size_t nf = list->e[i].nfiles, base = used_nums;
        char text_bytes[24];
        for (size_t j = 0; j < nf; j++) {
            names[j] = *list->f[list->e[i].first_file + j].name;
            snprintf(nums[used_nums++], 24, "%llu", (unsigned long long)list->f[list->e[i].first_file + j].size);
        }
        snprintf(text_bytes, sizeof text_bytes, "%llu", (unsigned long long)list->e[i].text_bytes);
        snprintf(nums[used_nums], 24, "%s", text_bytes);
        k += entry_fields(list->e[i].is_report, list->e[i].day, nums[used_nums++], nf, names, nums[base], fl + k);
    }
    {
        field names[SENT_MAX_FILES], day;
        size_t base = used_nums;
        fields_set(&day, "day", item->day, strlen(item->day));
        for (size_t j = 0; j < listed_files; j++) {
            fields_set(&names[j], "file", item->names[j], strlen(item->names[j]));
            snprintf(nums[used_nums++], 24, "%llu", (unsigned long long)item->sizes[j]);
        }
        snprintf(nums[used_nums], 24, "%llu", (unsigned long long)item->text_bytes);
        k += entry_fields(item->is_report, &day, nums[used_nums++], listed_files, names, nums[base], fl + k);
        if (more_files > 0) {
            snprintf(nums[used_nums], 24, "%zu", more_files);
            fields_set(&fl[k++], "more_files", nums[used_nums], strlen(nums[used_nums]));
            used_nums++;
        }
    }
    {
        size_t len = fields_encoded_size(fl, k);
        unsigned char *enc = secmem_alloc(len);
        if (enc == NULL) {
            rc = ERR_NOMEM;
            goto out;
        }
        if ((rc = fields_encode(fl, k, enc)) == 0)
            rc = receipt_box_seal(rk, ref, enc, len, &out, box_len);
        secmem_free(enc, len);
    }
    if (rc == 0)
        *box = out;
out:
    if (plain != NULL)
        sodium_free(plain);
    free(nums);
    free(fl);
    free(list);
    return rc;
}
