/*
 * pages.h: the intake's HTML pages. Every page works without JavaScript, loads nothing from
 * elsewhere (one stylesheet from this site), sets <html lang>, offers a "leave this site
 * quickly" link and the other language, and, after an error, shows an error summary linked to
 * the fields, with what the person typed put back into every field.
 */
#ifndef SEA_INTAKE_PAGES_H
#define SEA_INTAKE_PAGES_H

#include <stddef.h>

#include "form.h"
#include "html.h"
#include "messages.h"
#include "pubkey.h"
#include "store.h"

#define PAGE_MAX_ERRORS 16

/* One problem to show: linked to the input with id field (NULL: not tied to a field). */
typedef struct page_error {
    const char *field;
    message_id msg;
    unsigned number;    /* fills {1} in msg */
} page_error;

typedef struct page_errors {
    page_error e[PAGE_MAX_ERRORS];
    size_t n;
} page_errors;

/* page_errors_add: appends a problem (silently ignored past PAGE_MAX_ERRORS). */
void page_errors_add(page_errors *errs, const char *field, message_id msg, unsigned number);

/* One caseworker reply, for the status page. */
typedef struct page_message {
    const char *text;     /* NULL: it could not be opened */
    size_t len;
    char day[DAY_TEXT_SIZE];
} page_message;

typedef struct status_view {
    const store_case *c;
    const char *receipt;           /* as typed, to send follow-ups with */
    const page_message *replies;
    size_t nreplies;
    int followup_sent;             /* 1: saved now; 2: that form had been sent before */
    const char *submission;        /* the token the follow-up form carries (recent.h) */
    const struct sent_list *sent;  /* what the reporter sent (sent.h), or NULL: none kept */
} status_view;

/*
 * page_report_form: the report form, with the receipt the report will have shown first (and
 * carried in a hidden input, so that sending the same form twice files one report). f (may be
 * NULL) supplies the values to put back, errs (may be NULL) the problems; recipients are
 * offered for leaving out when there are two or more.
 */
void page_report_form(html *h, lang l, const char *csrf, const char *receipt, const char *receipt_mac,
                      const form *f, const page_errors *errs, const pubkey *recipients, size_t nrecipients,
                      const form_limits *limits);

/*
 * page_receipt: the receipt and case reference, and why the receipt must be kept; already: the
 * report had been sent before (a reload). Its navigation keeps the receipt: the other language
 * and the status are forms that carry it (csrf is theirs).
 */
void page_receipt(html *h, lang l, const char *csrf, const char *receipt, const char *case_ref, int already);

/*
 * page_status_ask: the form asking for a receipt, with what f (may be NULL) holds put back;
 * when f is a follow-up whose receipt did not work, the form keeps its message too.
 */
void page_status_ask(html *h, lang l, const char *csrf, const form *f, const page_errors *errs,
                     const form_limits *limits, const char *submission);

/* page_status: a case as its reporter sees it, with the follow-up form (f: values to put back). */
void page_status(html *h, lang l, const char *csrf, const status_view *v, const form *f,
                 const page_errors *errs, const form_limits *limits);

/* page_erased: what a receipt of an erased (purged) case shows: closed and erased, and why. */
void page_erased(html *h, lang l);

/* page_notice: a short page with a title and a paragraph (not found, busy, too large...). */
void page_notice(html *h, lang l, message_id title, message_id body, unsigned number);

/* pages_set_profile: the organisation profile every page shows from now on (profile.h; NULL:
 * none). Set once at start, before serving; the pages only read it. */
struct org_profile;
void pages_set_profile(const struct org_profile *p);

/* page_stylesheet: the site's stylesheet. */
const char *page_stylesheet(void);

#endif
