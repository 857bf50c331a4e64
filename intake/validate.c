/*
 * validate.c: field checks for reports and follow-ups (see validate.h).
 */
#include "validate.h"

#include <sodium.h>
#include <string.h>

#include "choices.h"
#include "report_fields.h"
#include "utf8.h"


int validate_csrf(const intake_app *app, const form *f, uint64_t now_minute, page_errors *errs)
{
    if (csrf_check(app->csrf_key, now_minute, form_text(f, "csrf")) == 0)
        return 0;
    page_errors_add(errs, NULL, M_ERR_CSRF, 0);
    return -1;
}

int validate_transfer(const intake_app *app, const form *f, page_errors *errs)
{
    unsigned p = form_problems(f);

    if (p & (FORM_SPOOL_FULL | FORM_SPOOL_FAILED | FORM_NO_MEMORY))
        return 503;
    if (p & (FORM_BROKEN | FORM_UNBOUND_FILES))
        page_errors_add(errs, NULL, M_ERR_BROKEN_FORM, 0);
    if (p & FORM_TOO_MANY_FILES)
        page_errors_add(errs, "attachment", M_ERR_FILE_TOO_MANY, app->limits.max_files);
    if (p & FORM_FILE_TOO_LARGE)
        page_errors_add(errs, "attachment", M_ERR_FILE_TOO_LARGE,
                        (unsigned)(app->limits.max_file_bytes / (1024 * 1024)));
    return 0;
}

/* Checks one text field: valid UTF-8, not over its limit, and present when required. */
static void check_text(const form *f, const char *name, int required, message_id empty_msg,
                       message_id long_msg, page_errors *errs)
{
    const form_value *v = form_get(f, name);
    size_t len = v != NULL ? v->len : 0;
    const char *text = v != NULL ? (const char *)v->data : "";

    if (v != NULL && (v->truncated || len > v->max)) {
        page_errors_add(errs, name, long_msg, (unsigned)(v->max / 1024));
        return;
    }
    if (!utf8_valid(text, len, 1) || strlen(text) != len) {
        page_errors_add(errs, name, M_ERR_UTF8, 0);
        return;
    }
    if (required && text[strspn(text, " \t\r\n")] == '\0')
        page_errors_add(errs, name, empty_msg, 0);
}

/* Decodes the "exclude" values of f (hex key ids) into ids, up to max; returns how many. Values
 * that are not key ids are skipped. */
static size_t excluded_ids(const form *f, unsigned char (*ids)[PUBKEY_IDBYTES], size_t max)
{
    size_t n = 0, count;
    const form_value *v = form_values(f, &count);

    for (size_t i = 0; i < count && n < max; i++) {
        size_t bin_len = 0;
        if (strcmp(v[i].name, "exclude") != 0 || v[i].len != 2 * PUBKEY_IDBYTES)
            continue;
        if (sodium_hex2bin(ids[n], PUBKEY_IDBYTES, (const char *)v[i].data, v[i].len, NULL,
                           &bin_len, NULL) == 0 && bin_len == PUBKEY_IDBYTES)
            n++;
    }
    return n;
}

void validate_report(const intake_app *app, const form *f, page_errors *errs,
                     unsigned char *include, unsigned char (*ids)[PUBKEY_IDBYTES], size_t *nids)
{
    size_t kept = 0;

    /* Every field the form asks (report_fields.h), in its order. The one required choice
     * (category) and the one required text (description) have messages of their own. A choice
     * is checked on all its bytes: "other\0..." is not "other". */
    for (size_t i = 0; i < REPORT_FIELD_COUNT; i++) {
        const report_field *rf = &report_fields[i];
        const form_value *v = form_get(f, rf->name);
        if (rf->max == 0)
            continue;
        if (rf->choices == NULL)
            check_text(f, rf->name, rf->required, M_ERR_DESCRIPTION_EMPTY,
                       rf->required ? M_ERR_DESCRIPTION_LONG : M_ERR_FIELD_LONG, errs);
        else if (!choices_has_n(choices_for(rf->choices), v != NULL ? (const char *)v->data : "",
                                v != NULL ? v->len : 0))
            page_errors_add(errs, rf->name, rf->required ? M_ERR_CATEGORY : M_ERR_CHOICE, 0);
    }

    *nids = excluded_ids(f, ids, PUBKEY_MAX_RECIPIENTS);
    for (size_t r = 0; r < app->nrecipients; r++) {
        include[r] = 1;
        for (size_t i = 0; i < *nids; i++)
            if (memcmp(ids[i], app->recipients[r].key_id, PUBKEY_IDBYTES) == 0)
                include[r] = 0;
        kept += include[r];
    }
    if (kept == 0)
        page_errors_add(errs, "exclude", M_ERR_EXCLUDE_ALL, 0);
}

void validate_followup(const form *f, page_errors *errs)
{
    size_t nfiles;

    form_files(f, &nfiles);
    check_text(f, "message", nfiles == 0, M_ERR_MESSAGE_EMPTY, M_ERR_DESCRIPTION_LONG, errs);
}
