/*
 * pages.c: rendering of the intake's pages (see pages.h). All words come from the message
 * catalogues; everything a person typed goes through html_text.
 */
#include "pages.h"

#include <stdio.h>
#include <string.h>

#include "choices.h"
#include "profile.h"
#include "sent.h"
#include "report_fields.h"

#define QUICK_EXIT_URL "https://www.wikipedia.org/"

static const org_profile *profile;

void pages_set_profile(const org_profile *p)
{
    profile = p;
}

/* A heading and a list of the profile's lines (nothing when there are none). */
static void profile_list(html *h, lang l, message_id heading, char *const *items, size_t n)
{
    if (n == 0)
        return;
    html_rawf(h, "<h3>%s</h3>\n<ul>\n", msg(l, heading));
    for (size_t i = 0; i < n; i++) {
        html_raw(h, "<li>");
        html_str(h, items[i]);
        html_raw(h, "</li>\n");
    }
    html_raw(h, "</ul>\n");
}

enum profile_part { PROFILE_ON_FORM, PROFILE_ON_RECEIPT, PROFILE_ON_STATUS };

/* The organisation profile's section for a page: on the form who reads and what happens, on
 * the receipt page what happens next, everywhere how else to reach them and where to find
 * support. */
static void profile_section(html *h, lang l, enum profile_part part)
{
    const profile_text *t;

    if (profile == NULL)
        return;
    t = &profile->lang[l];
    html_rawf(h, "<section class=\"profile\" id=\"profile\" aria-labelledby=\"profile-title\">\n<h2 id=\"profile-title\">%s</h2>\n",
              msg(l, part == PROFILE_ON_FORM ? M_PROFILE_WHO : M_PROFILE_NEXT));
    if (part == PROFILE_ON_FORM) {
        html_raw(h, "<p><strong>");
        html_str(h, t->name);
        html_raw(h, "</strong></p>\n");
        if (t->caseworkers != NULL) {
            html_raw(h, "<p>");
            html_str(h, t->caseworkers);
            html_raw(h, "</p>\n");
        }
    }
    if (part != PROFILE_ON_STATUS) {
        html_raw(h, "<p>");
        html_str(h, t->timeline);
        html_raw(h, "</p>\n");
    }
    if (part == PROFILE_ON_FORM && t->retention != NULL) {
        html_rawf(h, "<p>%s ", msg(l, M_PROFILE_RETENTION));
        html_str(h, t->retention);
        html_raw(h, "</p>\n");
    }
    profile_list(h, l, M_PROFILE_CONTACT, t->contact, t->ncontact);
    profile_list(h, l, M_PROFILE_SUPPORT, t->support, t->nsupport);
    html_raw(h, "</section>\n");
}

void page_errors_add(page_errors *errs, const char *field_id, message_id msg_id, unsigned number)
{
    if (errs->n < PAGE_MAX_ERRORS)
        errs->e[errs->n++] = (page_error){field_id, msg_id, number};
}

/* Appends catalogue text, replacing {1} with n1 and {2} with n2. */
static void html_msg(html *h, lang l, message_id id, unsigned n1, unsigned n2)
{
    const char *s = msg(l, id);

    for (const char *p = strchr(s, '{'); p != NULL; p = strchr(s, '{')) {
        if ((p[1] == '1' || p[1] == '2') && p[2] == '}') {
            char piece[1024];
            size_t len = (size_t)(p - s) < sizeof piece - 1 ? (size_t)(p - s) : sizeof piece - 1;
            memcpy(piece, s, len);
            piece[len] = '\0';
            html_raw(h, piece);
            html_rawf(h, "%u", p[1] == '1' ? n1 : n2);
            s = p + 3;
        } else {
            break;
        }
    }
    html_raw(h, s);
}

/* The n-th word of a message of words separated by '|' (the units of sizes, the months). */
static void html_word(html *h, lang l, message_id id, int n)
{
    const char *p = msg(l, id), *end;

    for (int i = 0; i < n && p != NULL; i++)
        p = strchr(p, '|') != NULL ? strchr(p, '|') + 1 : NULL;
    if (p == NULL)
        return;
    end = strchr(p, '|');
    html_rawf(h, "%.*s", (int)(end != NULL ? (size_t)(end - p) : strlen(p)), p);
}

/* A day (YYYY-MM-DD) as people write it: "30 November 2026", "30 novembre 2026"; anything else
 * as it is, escaped. */
static void html_day(html *h, lang l, const char *day)
{
    int y, m, d, n = 0;

    if (sscanf(day, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || day[n] != '\0' || m < 1 || m > 12) {
        html_str(h, day);
        return;
    }
    html_rawf(h, "<time datetime=\"%04d-%02d-%02d\">%d ", y, m, d, d);
    html_word(h, l, M_MONTHS, m - 1);
    html_rawf(h, " %d</time>", y);
}

static int has_errors(const page_errors *errs)
{
    return errs != NULL && errs->n > 0;
}

static const page_error *error_for(const page_errors *errs, const char *field_id)
{
    if (errs == NULL)
        return NULL;
    for (size_t i = 0; i < errs->n; i++)
        if (errs->e[i].field != NULL && strcmp(errs->e[i].field, field_id) == 0)
            return &errs->e[i];
    return NULL;
}

static void hidden(html *h, const char *name, const char *value);

/* A navigation item that posts the receipt (a button that looks like the other links). */
static void nav_post(html *h, const char *action, const char *csrf, const char *receipt, lang form_lang,
                     lang l, message_id label, int mark_lang)
{
    html_rawf(h, "<li><form method=\"post\" action=\"%s\" class=\"nav-form\" autocomplete=\"off\">\n", action);
    hidden(h, "csrf", csrf);
    hidden(h, "receipt", receipt);
    hidden(h, "lang", msg(form_lang, M_LANG_CODE));
    if (mark_lang)
        html_rawf(h, "<button type=\"submit\" class=\"link\" lang=\"%s\">%s</button>", msg(form_lang, M_LANG_CODE),
                  msg(l, label));
    else
        html_rawf(h, "<button type=\"submit\" class=\"link\">%s</button>", msg(l, label));
    html_raw(h, "</form></li>\n");
}

/* The page's head, header and navigation; keep (the receipt page's) makes the navigation carry
 * the receipt, so that no link there loses it. */
static void page_begin_keeping(html *h, lang l, message_id title, const page_errors *errs,
                               const char *this_path, const char *keep_csrf, const char *keep_receipt,
                               const char *switch_form)
{
    lang other = l == LANG_EN ? LANG_FR : LANG_EN;

    html_rawf(h, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
              msg(l, M_LANG_CODE));
    html_raw(h, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
    if (has_errors(errs)) {
        html_raw(h, msg(l, M_ERROR_PREFIX));
        html_raw(h, " ");
    }
    html_raw(h, msg(l, title));
    html_raw(h, " – ");
    html_raw(h, msg(l, M_SITE_TITLE));
    html_raw(h, "</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n<body>\n");
    /* the quick exit first: the first thing a keyboard reaches, fixed on screen (stylesheet.c) */
    html_rawf(h, "<a class=\"quick-exit\" href=\"%s\" rel=\"noreferrer\">%s</a>\n", QUICK_EXIT_URL, msg(l, M_QUICK_EXIT));
    html_rawf(h, "<a class=\"skip\" href=\"#main\">%s</a>\n<header>\n", msg(l, M_SKIP_LINK));
    html_rawf(h, "<p class=\"site\">%s</p>\n", msg(l, M_SITE_TITLE));
    html_rawf(h, "<nav aria-label=\"%s\"><ul>\n", msg(l, M_NAV_LABEL));
    if (keep_receipt != NULL) {
        nav_post(h, "/status", keep_csrf, keep_receipt, l, l, M_NAV_STATUS, 0);
        nav_post(h, "/receipt", keep_csrf, keep_receipt, other, l, M_OTHER_LANG_NAME, 1);
    } else {
        html_rawf(h, "<li><a href=\"/?lang=%s\">%s</a></li>\n", msg(l, M_LANG_CODE), msg(l, M_NAV_REPORT));
        html_rawf(h, "<li><a href=\"/status?lang=%s\">%s</a></li>\n", msg(l, M_LANG_CODE), msg(l, M_NAV_STATUS));
        if (switch_form != NULL)   /* sends the form back to be shown in the other language, typing kept */
            html_rawf(h, "<li><button type=\"submit\" form=\"%s\" class=\"link\" name=\"switch_lang\" value=\"%s\" "
                         "lang=\"%s\" formnovalidate>%s</button></li>\n",
                      switch_form, msg(other, M_LANG_CODE), msg(other, M_LANG_CODE), msg(l, M_OTHER_LANG_NAME));
        else
            html_rawf(h, "<li><a href=\"%s?lang=%s\" lang=\"%s\" hreflang=\"%s\">%s</a></li>\n",
                      this_path, msg(other, M_LANG_CODE), msg(other, M_LANG_CODE), msg(other, M_LANG_CODE),
                      msg(l, M_OTHER_LANG_NAME));
    }
    html_raw(h, "</ul></nav>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n");
    if (has_errors(errs)) {
        html_rawf(h, "<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\">\n"
                     "<h2 id=\"error-summary-title\">%s</h2>\n<ul>\n", msg(l, M_ERROR_SUMMARY_TITLE));
        for (size_t i = 0; i < errs->n; i++) {
            if (errs->e[i].field != NULL)
                html_rawf(h, "<li><a href=\"#%s\">", errs->e[i].field);
            else
                html_raw(h, "<li>");
            html_msg(h, l, errs->e[i].msg, errs->e[i].number, 0);
            html_raw(h, errs->e[i].field != NULL ? "</a></li>\n" : "</li>\n");
        }
        html_raw(h, "</ul>\n</div>\n");
    }
}

static void page_begin(html *h, lang l, message_id title, const page_errors *errs, const char *this_path)
{
    page_begin_keeping(h, l, title, errs, this_path, NULL, NULL, NULL);
}

static void page_end(html *h, lang l)
{
    html_rawf(h, "</main>\n<footer><p>%s</p></footer>\n</body>\n</html>\n", msg(l, M_PRIVACY_NOTE));
}

/* Puts back what was typed in field name, all of it (a NUL byte included, escaped as text). */
static void typed_value(html *h, const form *f, const char *name)
{
    const form_value *v = f != NULL ? form_get(f, name) : NULL;

    if (v != NULL)
        html_text(h, v->data, v->len);
}

static void hidden(html *h, const char *name, const char *value)
{
    html_rawf(h, "<input type=\"hidden\" name=\"%s\" value=\"", name);
    html_str(h, value);
    html_raw(h, "\">\n");
}

/* The label, hint and error of a field; opens nothing. Writes aria-describedby ids to describedby. */
static void field_head(html *h, lang l, const char *id, message_id label, int has_hint,
                       message_id hint, int required, const page_errors *errs,
                       char *describedby, size_t cap)
{
    const page_error *e = error_for(errs, id);

    html_rawf(h, "<div class=\"field%s\">\n<label for=\"%s\">%s <span class=\"tag\">%s</span></label>\n",
              e ? " has-error" : "", id, msg(l, label), msg(l, required ? M_REQUIRED : M_OPTIONAL));
    describedby[0] = '\0';
    if (has_hint) {
        html_rawf(h, "<p class=\"hint\" id=\"%s-hint\">", id);
        html_raw(h, msg(l, hint));
        html_raw(h, "</p>\n");
        snprintf(describedby, cap, "%s-hint", id);
    }
    if (e != NULL) {
        html_rawf(h, "<p class=\"error-message\" id=\"%s-error\"><span class=\"visually-hidden\">%s</span> ",
                  id, msg(l, M_ERROR_PREFIX));
        html_msg(h, l, e->msg, e->number, 0);
        html_raw(h, "</p>\n");
        size_t used = strlen(describedby);
        snprintf(describedby + used, cap - used, "%s%s-error", used ? " " : "", id);
    }
}

/* errs for the error summary: with, when files came with a form that has problems, the warning
 * that they must be chosen again (browsers never send a file twice). NULL when no problem. */
static const page_errors *with_files_warning(const page_errors *errs, size_t nfiles, page_errors *summary)
{
    if (!has_errors(errs))
        return errs;
    *summary = *errs;
    if (nfiles > 0 && error_for(errs, "attachment") == NULL)
        page_errors_add(summary, "attachment", M_ERR_FILES_NOT_KEPT, 0);
    return summary;
}

static void textarea(html *h, lang l, const form *f, const char *id, message_id label,
                     message_id hint, int required, int rows, const page_errors *errs)
{
    char describedby[96];

    field_head(h, l, id, label, 1, hint, required, errs, describedby, sizeof describedby);
    html_rawf(h, "<textarea id=\"%s\" name=\"%s\" rows=\"%d\" aria-describedby=\"%s\"%s%s>",
              id, id, rows, describedby, required ? " required" : "",
              error_for(errs, id) ? " aria-invalid=\"true\"" : "");
    typed_value(h, f, id);
    html_raw(h, "</textarea>\n</div>\n");
}

static void select_field(html *h, lang l, const form *f, const char *id, message_id label,
                         const choice_list *list, const page_errors *errs)
{
    const char *chosen = f != NULL ? form_text(f, id) : "";
    char describedby[96];

    field_head(h, l, id, label, 0, label, 0, errs, describedby, sizeof describedby);
    html_rawf(h, "<select id=\"%s\" name=\"%s\"", id, id);
    if (describedby[0])
        html_rawf(h, " aria-describedby=\"%s\"", describedby);
    html_raw(h, ">\n");
    if (list->not_given != M_LANG_CODE)
        html_rawf(h, "<option value=\"\"%s>%s</option>\n", chosen[0] == '\0' ? " selected" : "",
                  msg(l, list->not_given));
    for (size_t i = 0; i < list->n; i++)
        html_rawf(h, "<option value=\"%s\"%s>%s</option>\n", list->values->values[i],
                  strcmp(chosen, list->values->values[i]) == 0 ? " selected" : "",
                  msg(l, list->items[i].name));
    html_raw(h, "</select>\n</div>\n");
}

static void file_input(html *h, lang l, const form_limits *limits, const page_errors *errs,
                       int had_files)
{
    const page_error *e = error_for(errs, "attachment");

    html_rawf(h, "<div class=\"field%s\">\n<label for=\"attachment\">%s <span class=\"tag\">%s</span></label>\n",
              e || (had_files && has_errors(errs)) ? " has-error" : "", msg(l, M_ATTACH_LABEL), msg(l, M_OPTIONAL));
    html_raw(h, "<p class=\"hint\" id=\"attachment-hint\">");
    html_msg(h, l, M_ATTACH_HINT, limits->max_files, (unsigned)(limits->max_file_bytes / (1024 * 1024)));
    html_raw(h, "</p>\n");
    if (e != NULL || (had_files && has_errors(errs))) {
        html_rawf(h, "<p class=\"error-message\" id=\"attachment-error\"><span class=\"visually-hidden\">%s</span> ",
                  msg(l, M_ERROR_PREFIX));
        if (e != NULL) {
            html_msg(h, l, e->msg, e->number, 0);
            html_raw(h, " ");
        }
        html_raw(h, msg(l, M_ERR_FILES_NOT_KEPT));
        html_raw(h, "</p>\n");
    }
    html_rawf(h, "<input type=\"file\" id=\"attachment\" name=\"attachment\" multiple aria-describedby=\"attachment-hint%s\">\n</div>\n",
              e || (had_files && has_errors(errs)) ? " attachment-error" : "");
}

/* A required choice: one radio button per value, each with its hint. */
static void radio_fieldset(html *h, lang l, const form *f, const char *id, message_id legend,
                           const choice_list *list, int required, const page_errors *errs)
{
    const page_error *e = error_for(errs, id);
    const char *chosen = f != NULL ? form_text(f, id) : "";

    html_rawf(h, "<fieldset class=\"field%s\" id=\"%s\" tabindex=\"-1\"",
              e ? " has-error" : "", id);
    if (e != NULL)
        html_rawf(h, " aria-describedby=\"%s-error\"", id);
    html_rawf(h, ">\n<legend>%s <span class=\"tag\">%s</span></legend>\n",
              msg(l, legend), msg(l, required ? M_REQUIRED : M_OPTIONAL));
    if (e != NULL) {
        html_rawf(h, "<p class=\"error-message\" id=\"%s-error\"><span class=\"visually-hidden\">%s</span> %s</p>\n",
                  id, msg(l, M_ERROR_PREFIX), msg(l, e->msg));
    }
    for (size_t i = 0; i < list->n; i++) {
        const char *value = list->values->values[i];
        const choice *c = &list->items[i];
        html_rawf(h, "<div class=\"choice\">\n<input type=\"radio\" id=\"%s-%s\" name=\"%s\" value=\"%s\"",
                  id, value, id, value);
        if (c->hint != M_LANG_CODE)
            html_rawf(h, " aria-describedby=\"%s-%s-hint\"", id, value);
        html_rawf(h, "%s%s>\n<label for=\"%s-%s\">%s</label>\n", strcmp(chosen, value) == 0 ? " checked" : "",
                  required && i == 0 ? " required" : "", id, value, msg(l, c->name));
        if (c->hint != M_LANG_CODE)
            html_rawf(h, "<p class=\"hint\" id=\"%s-%s-hint\">%s</p>\n", id, value, msg(l, c->hint));
        html_raw(h, "</div>\n");
    }
    html_raw(h, "</fieldset>\n");
}

/* A one-line text input. */
static void text_input(html *h, lang l, const form *f, const char *id, message_id label,
                       message_id hint, int required, const page_errors *errs)
{
    char describedby[96];

    field_head(h, l, id, label, hint != M_LANG_CODE, hint, required, errs, describedby, sizeof describedby);
    html_rawf(h, "<input type=\"text\" id=\"%s\" name=\"%s\" autocomplete=\"off\"", id, id);
    if (describedby[0])
        html_rawf(h, " aria-describedby=\"%s\"", describedby);
    html_rawf(h, "%s%s value=\"", required ? " required" : "",
              error_for(errs, id) ? " aria-invalid=\"true\"" : "");
    typed_value(h, f, id);
    html_raw(h, "\">\n</div>\n");
}

/* The parts of the report form, each a fieldset. */
typedef enum form_part { NOT_ASKED, IN_CATEGORY, IN_DETAILS, IN_ABOUT, IN_CONTACT } form_part;

/* How the report form asks each report field (report_fields.h): where, and in which words. A
 * choice is a radio group when required, else a select offering "not given"; free text is a
 * textarea of `rows` rows, or one line when rows is 0. */
static const struct {
    form_part part;
    message_id label;
    message_id hint;    /* M_LANG_CODE: none */
    int rows;
} asked[] = {
    [REPORT_FIELD_CATEGORY] = {IN_CATEGORY, M_CATEGORY_LEGEND, M_LANG_CODE, 0},
    [REPORT_FIELD_DESCRIPTION] = {IN_DETAILS, M_DESCRIPTION_LABEL, M_DESCRIPTION_HINT, 12},
    [REPORT_FIELD_WHEN] = {IN_DETAILS, M_WHEN_LABEL, M_WHEN_HINT, 2},
    [REPORT_FIELD_WHERE] = {IN_DETAILS, M_WHERE_LABEL, M_WHERE_HINT, 2},
    [REPORT_FIELD_PEOPLE] = {IN_DETAILS, M_PEOPLE_LABEL, M_PEOPLE_HINT, 3},
    [REPORT_FIELD_WITNESSES] = {IN_DETAILS, M_WITNESSES_LABEL, M_WITNESSES_HINT, 3},
    [REPORT_FIELD_SEX] = {IN_ABOUT, M_SEX_LABEL, M_LANG_CODE, 0},
    [REPORT_FIELD_AGE_BAND] = {IN_ABOUT, M_AGE_LABEL, M_LANG_CODE, 0},
    [REPORT_FIELD_CONTACT] = {IN_CONTACT, M_CONTACT_LABEL, M_CONTACT_WARNING, 0},
    [REPORT_FIELD_LANGUAGE] = {NOT_ASKED, M_LANG_CODE, M_LANG_CODE, 0},
};
_Static_assert(sizeof asked / sizeof asked[0] == REPORT_FIELD_COUNT, "every report field is placed on the form");

/* The inputs of the report fields in one part of the form, in the order of report_fields. */
static void ask_part(html *h, lang l, const form *f, form_part part, const page_errors *errs)
{
    for (size_t i = 0; i < REPORT_FIELD_COUNT; i++) {
        const report_field *rf = &report_fields[i];
        const choice_list *list = rf->choices != NULL ? choices_for(rf->choices) : NULL;
        if (asked[i].part != part || rf->max == 0)
            continue;
        if (list != NULL && rf->required)
            radio_fieldset(h, l, f, rf->name, asked[i].label, list, 1, errs);
        else if (list != NULL)
            select_field(h, l, f, rf->name, asked[i].label, list, errs);
        else if (asked[i].rows > 0)
            textarea(h, l, f, rf->name, asked[i].label, asked[i].hint, rf->required, asked[i].rows, errs);
        else
            text_input(h, l, f, rf->name, asked[i].label, asked[i].hint, rf->required, errs);
    }
}

static int value_repeated(const form *f, const char *name, const char *value)
{
    size_t n;
    const form_value *v = f != NULL ? form_values(f, &n) : NULL;

    for (size_t i = 0; v != NULL && i < n; i++)
        if (strcmp(v[i].name, name) == 0 && strcmp((const char *)v[i].data, value) == 0)
            return 1;
    return 0;
}

static void exclude_fieldset(html *h, lang l, const form *f, const pubkey *recipients, size_t n,
                             const page_errors *errs)
{
    const page_error *e = error_for(errs, "exclude");

    html_rawf(h, "<fieldset class=\"field%s\" id=\"exclude\" tabindex=\"-1\" aria-describedby=\"exclude-hint%s\">\n<legend>%s <span class=\"tag\">%s</span></legend>\n",
              e ? " has-error" : "", e ? " exclude-error" : "", msg(l, M_EXCLUDE_LEGEND), msg(l, M_OPTIONAL));
    html_rawf(h, "<p class=\"hint\" id=\"exclude-hint\">%s</p>\n", msg(l, M_EXCLUDE_HINT));
    if (e != NULL)
        html_rawf(h, "<p class=\"error-message\" id=\"exclude-error\"><span class=\"visually-hidden\">%s</span> %s</p>\n",
                  msg(l, M_ERROR_PREFIX), msg(l, e->msg));
    for (size_t i = 0; i < n; i++) {
        char id[2 * PUBKEY_IDBYTES + 1];
        pubkey_id_hex(&recipients[i], id);
        html_rawf(h, "<div class=\"choice\">\n<input type=\"checkbox\" id=\"exclude-%s\" name=\"exclude\" value=\"%s\"%s>\n<label for=\"exclude-%s\">",
                  id, id, value_repeated(f, "exclude", id) ? " checked" : "", id);
        html_str(h, recipients[i].name);
        html_raw(h, "</label>\n</div>\n");
    }
    html_raw(h, "</fieldset>\n");
}

void page_report_form(html *h, lang l, const char *csrf, const char *receipt, const char *receipt_mac,
                      const form *f, const page_errors *errs, const pubkey *recipients, size_t nrecipients,
                      const form_limits *limits)
{
    size_t nfiles = 0;

    page_errors summary;

    if (f != NULL)
        form_files(f, &nfiles);
    page_begin_keeping(h, l, M_FORM_TITLE, with_files_warning(errs, nfiles, &summary), "/", NULL, NULL, "report-form");
    html_rawf(h, "<h1>%s</h1>\n<p>%s</p>\n", msg(l, M_FORM_TITLE), msg(l, M_FORM_INTRO));
    html_rawf(h, "<h2>%s</h2>\n<p>%s</p>\n", msg(l, M_SAFETY_TITLE), msg(l, M_SAFETY_ADVICE));
    profile_section(h, l, PROFILE_ON_FORM);
    /* the receipt first, before anything is sent (it is the report's once sent) */
    html_rawf(h, "<div class=\"panel receipt-first\" aria-labelledby=\"receipt-first-title\" role=\"region\">\n"
                 "<h2 id=\"receipt-first-title\">%s</h2>\n<p class=\"code\" id=\"new-receipt\">",
              msg(l, M_RECEIPT_FIRST_TITLE));
    html_str(h, receipt);
    html_rawf(h, "</p>\n<p>%s</p>\n</div>\n", msg(l, M_RECEIPT_FIRST_BODY));
    html_raw(h, "<form id=\"report-form\" method=\"post\" action=\"/report\" enctype=\"multipart/form-data\" accept-charset=\"UTF-8\" novalidate autocomplete=\"off\">\n");
    hidden(h, "csrf", csrf);
    hidden(h, "lang", msg(l, M_LANG_CODE));
    hidden(h, "receipt", receipt);
    hidden(h, "receipt_mac", receipt_mac);
    ask_part(h, l, f, IN_CATEGORY, errs);
    html_rawf(h, "<fieldset>\n<legend>%s</legend>\n", msg(l, M_DETAILS_LEGEND));
    ask_part(h, l, f, IN_DETAILS, errs);
    file_input(h, l, limits, errs, nfiles > 0);
    html_raw(h, "</fieldset>\n");

    html_rawf(h, "<fieldset aria-describedby=\"about-hint\">\n<legend>%s</legend>\n<p class=\"hint\" id=\"about-hint\">%s</p>\n",
              msg(l, M_ABOUT_LEGEND), msg(l, M_ABOUT_HINT));
    ask_part(h, l, f, IN_ABOUT, errs);
    html_raw(h, "</fieldset>\n");

    html_rawf(h, "<fieldset>\n<legend>%s</legend>\n", msg(l, M_CONTACT_LEGEND));
    ask_part(h, l, f, IN_CONTACT, errs);
    html_raw(h, "</fieldset>\n");

    if (nrecipients > 1)
        exclude_fieldset(h, l, f, recipients, nrecipients, errs);
    html_rawf(h, "<button type=\"submit\">%s</button>\n</form>\n", msg(l, M_SUBMIT_REPORT));
    page_end(h, l);
}

void page_receipt(html *h, lang l, const char *csrf, const char *receipt, const char *case_ref, int already)
{
    page_begin_keeping(h, l, M_RECEIPT_TITLE, NULL, "/status", csrf, receipt, NULL);
    html_rawf(h, "<div class=\"panel\" role=\"status\">\n<h1>%s</h1>\n<p>%s</p>\n",
              msg(l, M_RECEIPT_TITLE), msg(l, M_RECEIPT_INTRO));
    if (already)
        html_rawf(h, "<p>%s</p>\n", msg(l, M_RECEIPT_ALREADY_SENT));
    html_raw(h, "</div>\n");
    html_rawf(h, "<h2>%s</h2>\n<p class=\"code\" id=\"receipt\">", msg(l, M_RECEIPT_LABEL));
    html_str(h, receipt);
    html_rawf(h, "</p>\n<p class=\"warning\">%s</p>\n", msg(l, M_RECEIPT_KEEP));
    html_rawf(h, "<h2>%s</h2>\n<p class=\"code\" id=\"case\">", msg(l, M_CASE_LABEL));
    html_str(h, case_ref);
    html_rawf(h, "</p>\n<p>%s</p>\n<p>%s</p>\n", msg(l, M_CASE_HINT), msg(l, M_RECEIPT_NEXT));
    profile_section(h, l, PROFILE_ON_RECEIPT);
    page_end(h, l);
}

static void receipt_input(html *h, lang l, const form *f, const page_errors *errs)
{
    char describedby[96];

    field_head(h, l, "receipt", M_RECEIPT_INPUT_LABEL, 1, M_RECEIPT_INPUT_HINT, 1, errs,
               describedby, sizeof describedby);
    html_rawf(h, "<input type=\"text\" id=\"receipt\" name=\"receipt\" class=\"code\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" required aria-describedby=\"%s\"%s value=\"",
              describedby, error_for(errs, "receipt") ? " aria-invalid=\"true\"" : "");
    typed_value(h, f, "receipt");
    html_raw(h, "\">\n</div>\n");
}

void page_status_ask(html *h, lang l, const char *csrf, const form *f, const page_errors *errs,
                     const form_limits *limits, const char *submission)
{
    /* A follow-up whose receipt did not work: ask again, keeping the message typed. */
    int followup = f != NULL && form_get(f, "message") != NULL;
    size_t nfiles = 0;

    page_errors summary;

    if (f != NULL)
        form_files(f, &nfiles);
    page_begin(h, l, M_STATUS_TITLE, with_files_warning(errs, nfiles, &summary), "/status");
    html_rawf(h, "<h1>%s</h1>\n<p>%s</p>\n", msg(l, M_STATUS_TITLE), msg(l, M_STATUS_INTRO));
    html_rawf(h, "<form method=\"post\" action=\"%s\" accept-charset=\"UTF-8\" novalidate autocomplete=\"off\"%s>\n",
              followup ? "/status/followup" : "/status", followup ? " enctype=\"multipart/form-data\"" : "");
    hidden(h, "csrf", csrf);
    hidden(h, "lang", msg(l, M_LANG_CODE));
    receipt_input(h, l, f, errs);
    if (followup) {
        hidden(h, "submission", submission);
        textarea(h, l, f, "message", M_FOLLOWUP_LABEL, M_FOLLOWUP_HINT, 1, 8, errs);
        file_input(h, l, limits, errs, nfiles > 0);
    }
    html_rawf(h, "<button type=\"submit\">%s</button>\n</form>\n",
              msg(l, followup ? M_SUBMIT_FOLLOWUP : M_SUBMIT_STATUS));
    page_end(h, l);
}

/* What the reporter is told of each status (vocab.h); an unknown one reads as new. */
static message_id status_name(const char *status)
{
    static const message_id names[] = {
        [VOCAB_STATUS_NEW] = M_ST_NEW, [VOCAB_STATUS_TRIAGED] = M_ST_TRIAGED,
        [VOCAB_STATUS_INVESTIGATING] = M_ST_INVESTIGATING, [VOCAB_STATUS_REFERRED] = M_ST_REFERRED,
        [VOCAB_STATUS_CLOSED] = M_ST_CLOSED,
    };
    _Static_assert(sizeof names / sizeof names[0] == VOCAB_STATUS_COUNT, "a status without words");
    int i = vocab_index(&vocab_statuses, status);

    return i < 0 ? M_ST_NEW : names[i];
}

/* The words for where the case stands: a new case a caseworker replied to is being handled. */
static message_id status_words(const status_view *v)
{
    message_id id = status_name(v->c->status);

    return id == M_ST_NEW && v->nreplies > 0 ? M_ST_HANDLED : id;
}

/* A size as people read it: "13 bytes", "2.3 KB", "1.2 MB". */
static void html_size(html *h, lang l, uint64_t bytes)
{
    double v = (double)bytes;
    int unit = 0;

    while (v >= 1024 && unit < 3) {
        v /= 1024;
        unit++;
    }
    if (unit == 0)
        html_rawf(h, "%llu ", (unsigned long long)bytes);
    else
        html_rawf(h, v < 10 ? "%.1f " : "%.0f ", v);
    html_word(h, l, M_SIZE_UNITS, unit);
}

/* What the reporter sent, by date and size, never its content (sent.h). */
static void sent_section(html *h, lang l, const sent_list *s)
{
    html_rawf(h, "<section id=\"sent\" aria-labelledby=\"sent-title\">\n<h2 id=\"sent-title\">%s</h2>\n<p>%s</p>\n",
              msg(l, M_SENT_TITLE), msg(l, M_SENT_NOTE));
    if (s == NULL) {
        html_rawf(h, "<p>%s</p>\n</section>\n", msg(l, M_SENT_NONE));
        return;
    }
    if (s->older_dropped)
        html_rawf(h, "<p>%s</p>\n", msg(l, M_SENT_OLDER));
    html_raw(h, "<ul class=\"sent\">\n");
    for (size_t i = 0; i < s->n; i++) {
        char day[DAY_TEXT_SIZE];
        snprintf(day, sizeof day, "%.*s", (int)s->e[i].day->len, (const char *)s->e[i].day->value);
        html_raw(h, "<li>");
        html_day(h, l, day);
        html_rawf(h, ": %s, ", msg(l, s->e[i].is_report ? M_SENT_REPORT : M_SENT_FOLLOWUP));
        if (s->e[i].text_bytes > 0) {
            html_size(h, l, s->e[i].text_bytes);
            html_rawf(h, " %s", msg(l, M_SENT_TEXT));
        } else {
            html_raw(h, msg(l, M_SENT_NO_TEXT));
        }
        if (s->e[i].nfiles > 0)
            html_rawf(h, "; %s ", msg(l, M_SENT_FILES));
        for (size_t k = 0; k < s->e[i].nfiles; k++) {
            const field *name = s->f[s->e[i].first_file + k].name;
            html_raw(h, k > 0 ? ", " : "");
            html_text(h, name->value, name->len);
            html_raw(h, " (");
            html_size(h, l, s->f[s->e[i].first_file + k].size);
            html_raw(h, ")");
        }
        if (s->e[i].more_files > 0) {
            html_raw(h, ", ");
            html_msg(h, l, M_SENT_MORE_FILES, (unsigned)s->e[i].more_files, 0);
        }
        html_raw(h, "</li>\n");
    }
    html_raw(h, "</ul>\n</section>\n");
}

void page_erased(html *h, lang l)
{
    page_begin(h, l, M_STATUS_HEADING, NULL, "/status");
    html_rawf(h, "<h1>%s</h1>\n<dl>\n<dt>%s</dt><dd id=\"status\">%s</dd>\n</dl>\n<p>%s</p>\n",
              msg(l, M_STATUS_HEADING), msg(l, M_STATUS_LABEL), msg(l, M_ST_ERASED), msg(l, M_ERASED_BODY));
    html_rawf(h, "<p><a href=\"/?lang=%s\">%s</a></p>\n", msg(l, M_LANG_CODE), msg(l, M_BACK_TO_FORM));
    page_end(h, l);
}

void page_status(html *h, lang l, const char *csrf, const status_view *v, const form *f,
                 const page_errors *errs, const form_limits *limits)
{
    size_t nfiles = 0;

    page_errors summary;

    if (f != NULL)
        form_files(f, &nfiles);
    page_begin_keeping(h, l, M_STATUS_HEADING, with_files_warning(errs, v->followup_sent ? 0 : nfiles, &summary),
                       "/status", NULL, NULL, "followup-form");
    html_rawf(h, "<h1>%s</h1>\n", msg(l, M_STATUS_HEADING));
    if (v->followup_sent)
        html_rawf(h, "<div class=\"panel\" role=\"status\"><p>%s</p>%s%s%s</div>\n", msg(l, M_FOLLOWUP_SENT),
                  v->followup_sent == 2 ? "<p>" : "", v->followup_sent == 2 ? msg(l, M_FOLLOWUP_ALREADY) : "",
                  v->followup_sent == 2 ? "</p>" : "");
    html_rawf(h, "<dl>\n<dt>%s</dt><dd class=\"code\" id=\"case\">", msg(l, M_CASE_LABEL));
    html_str(h, v->c->ref);
    html_rawf(h, "</dd>\n<dt>%s</dt><dd>", msg(l, M_RECEIVED_LABEL));
    html_day(h, l, v->c->received);
    html_rawf(h, "</dd>\n<dt>%s</dt><dd id=\"status\">%s</dd>\n</dl>\n", msg(l, M_STATUS_LABEL),
              msg(l, status_words(v)));
    if (vocab_index(&vocab_statuses, v->c->status) == VOCAB_STATUS_CLOSED) {
        /* closed: said plainly, with the caseworkers' last word, and follow-ups still welcome */
        html_rawf(h, "<div class=\"panel\" id=\"closed\">\n<p>%s</p>\n", msg(l, M_CLOSED_NOTE));
        if (v->nreplies > 0 && v->replies[v->nreplies - 1].text != NULL) {
            html_rawf(h, "<p class=\"meta\">%s</p>\n<div class=\"text\" id=\"closing-message\">", msg(l, M_CLOSING_MESSAGE));
            html_text(h, v->replies[v->nreplies - 1].text, v->replies[v->nreplies - 1].len);
            html_raw(h, "</div>\n");
        }
        html_raw(h, "</div>\n");
    }

    html_rawf(h, "<h2>%s</h2>\n", msg(l, M_MESSAGES_HEADING));
    if (v->nreplies == 0)
        html_rawf(h, "<p>%s</p>\n", msg(l, M_NO_MESSAGES));
    else
        html_raw(h, "<ol class=\"messages\">\n");
    for (size_t i = 0; i < v->nreplies; i++) {
        html_rawf(h, "<li class=\"message\">\n<p class=\"meta\">%s, ", msg(l, M_MESSAGE_FROM));
        html_day(h, l, v->replies[i].day);
        html_raw(h, "</p>\n<div class=\"text\">");
        if (v->replies[i].text != NULL)
            html_text(h, v->replies[i].text, v->replies[i].len);
        else
            html_raw(h, msg(l, M_UNREADABLE_MESSAGE));
        html_raw(h, "</div>\n</li>\n");
    }
    if (v->nreplies > 0)
        html_raw(h, "</ol>\n");

    sent_section(h, l, v->sent);
    html_rawf(h, "<h2>%s</h2>\n", msg(l, M_FOLLOWUP_HEADING));
    html_raw(h, "<form id=\"followup-form\" method=\"post\" action=\"/status/followup\" enctype=\"multipart/form-data\" accept-charset=\"UTF-8\" novalidate autocomplete=\"off\">\n");
    hidden(h, "csrf", csrf);
    hidden(h, "lang", msg(l, M_LANG_CODE));
    hidden(h, "receipt", v->receipt);
    hidden(h, "submission", v->submission);
    textarea(h, l, v->followup_sent ? NULL : f, "message", M_FOLLOWUP_LABEL, M_FOLLOWUP_HINT, 1, 8, errs);
    file_input(h, l, limits, errs, nfiles > 0 && !v->followup_sent);
    html_rawf(h, "<button type=\"submit\">%s</button>\n</form>\n", msg(l, M_SUBMIT_FOLLOWUP));
    profile_section(h, l, PROFILE_ON_STATUS);
    page_end(h, l);
}

void page_notice(html *h, lang l, message_id title, message_id body, unsigned number)
{
    page_begin(h, l, title, NULL, "/");
    html_rawf(h, "<h1>%s</h1>\n<p>", msg(l, title));
    html_msg(h, l, body, number, 0);
    html_rawf(h, "</p>\n<p><a href=\"/?lang=%s\">%s</a></p>\n", msg(l, M_LANG_CODE), msg(l, M_BACK_TO_FORM));
    page_end(h, l);
}
