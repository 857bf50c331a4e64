/*
 * server.c: the intake's libmicrohttpd daemon (see server.h). Every answer, errors included,
 * carries the security headers. Of a request the server reads the method, the path, the
 * query's lang, Accept-Language, Content-Length and Sec-Fetch-Site, and the body: never the
 * client's address or User-Agent, and libmicrohttpd's own error log stays off so it cannot
 * print one either.
 */
#include "server.h"

#include <arpa/inet.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "errors.h"
#include "html.h"
#include "pages.h"
#include "recent.h"
#include "sent.h"
#include "secmem.h"
#include "status.h"
#include "submit.h"
#include "validate.h"
#include "writer.h"

#define RETRY_AFTER "30"
/* GnuTLS priorities of the TLS listener: TLS 1.2 and 1.3 only; key exchange by ephemeral
 * elliptic-curve Diffie-Hellman only (no static RSA, no finite-field DHE); AEAD ciphers only. */
#define TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:" \
                       "-CIPHER-ALL:+AES-256-GCM:+CHACHA20-POLY1305:+AES-128-GCM:-MAC-ALL:+AEAD:%SERVER_PRECEDENCE"
#define BODY_SLACK (2 * 1024 * 1024)   /* room for the text fields beside the files */
#define FORM_TEXT_ROOM (256 * 1024)     /* what a form's text takes at most, sealed and padded */

struct intake_server {
    struct MHD_Daemon *daemon;
    intake_app *app;
    deadline_keeper *deadlines;
    atomic_uint in_flight;   /* requests between their first byte and their answer */
};

enum route { ROUTE_NONE, ROUTE_FORM, ROUTE_STYLE, ROUTE_STATUS, ROUTE_HEALTHZ, ROUTE_REPORT,
             ROUTE_STATUS_POST, ROUTE_FOLLOWUP, ROUTE_RECEIPT };

/* State of one request across libmicrohttpd's calls. */
typedef struct request {
    enum route route;
    int is_post;
    deadline_conn *deadline;  /* its connection's deadlines (deadline.h), or NULL */
    form *form;
    status_binding binding;   /* a follow-up's case, found when its first file arrives */
    int claimed;              /* a follow-up's submission token is claimed (recent.h) */
    int waits_for_copy;       /* a copy of a follow-up form whose first sending is being saved */
    int copy_probes;          /* the probes it waited behind */
    uint64_t body_bytes;      /* received so far, for bodies sent without Content-Length */
    /* A save handed to the writer (writer.h): the request is suspended until it is done. */
    struct MHD_Connection *conn;
    writer_task task;
    save_job *job;
    atomic_int saved;         /* 1 once the writer is done with it; save_rc is then its result */
    int save_rc;
    lang l;
    html done;                /* a report's receipt page, ready before the save */
    store_case c;             /* a follow-up's case, and the keys its receipt gave */
    receipt_keys *rk;
} request;

static const char *const security_headers[][2] = {
    {"Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; "
                                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Content-Type-Options", "nosniff"},
    {"Cache-Control", "no-store"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Cross-Origin-Resource-Policy", "same-origin"},
    {"Permissions-Policy", "accelerometer=(), ambient-light-sensor=(), autoplay=(), camera=(), "
                           "display-capture=(), fullscreen=(), geolocation=(), gyroscope=(), "
                           "magnetometer=(), microphone=(), midi=(), payment=(), "
                           "publickey-credentials-get=(), screen-wake-lock=(), usb=(), "
                           "xr-spatial-tracking=()"},
    {"X-Frame-Options", "DENY"},
};

/* Set while the server stops (one server runs in a process): every answer closes its connection. */
static atomic_int closing;

/* A page buffer (html.h, secmem memory) that libmicrohttpd holds until it is sent. */
typedef struct page_buf {
    char *buf;
    size_t cap;
} page_buf;

static void free_page(void *cls)
{
    page_buf *p = cls;

    secmem_free(p->buf, p->cap);   /* wiped */
    free(p);
}

/* Queues len bytes of body with status and the security headers. With page (not NULL), body is
 * its buffer, which libmicrohttpd frees, wiped, once sent. */
static enum MHD_Result respond(struct MHD_Connection *conn, unsigned status, const char *type,
                               char *body, size_t len, page_buf *page)
{
    struct MHD_Response *r = page != NULL
        ? MHD_create_response_from_buffer_with_free_callback_cls(len, body, free_page, page)
        : MHD_create_response_from_buffer(len, body, MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ok;

    if (r == NULL) {
        if (page != NULL)
            free_page(page);
        return MHD_NO;
    }
    for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
        MHD_add_response_header(r, security_headers[i][0], security_headers[i][1]);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    if (atomic_load(&closing))
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");   /* stopping: no keep-alive */
    if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, RETRY_AFTER);
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD, POST");
    ok = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result respond_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
    return respond(conn, status, "text/plain; charset=utf-8", (char *)(uintptr_t)text, strlen(text), NULL);
}

/* Sends a rendered page (taking its buffer), or a plain 500 when rendering ran out of memory. */
static enum MHD_Result respond_page(struct MHD_Connection *conn, unsigned status, html *h)
{
    page_buf *page = h->failed || h->buf == NULL ? NULL : malloc(sizeof *page);
    char *buf = h->buf;
    size_t len = h->len;

    if (page == NULL) {
        html_free(h);
        return respond_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error\n");
    }
    *page = (page_buf){h->buf, h->cap};
    h->buf = NULL;
    h->cap = 0;
    return respond(conn, status, "text/html; charset=utf-8", buf, len, page);
}

static uint64_t now_minute(void)
{
    return (uint64_t)time(NULL) / 60;
}

static void new_csrf(const intake_app *app, char out[CSRF_TOKEN_SIZE])
{
    csrf_issue(app->csrf_key, now_minute(), out);
}

static lang request_lang(struct MHD_Connection *conn, const form *f)
{
    const char *q = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "lang");

    if (q == NULL && f != NULL && form_text(f, "switch_lang")[0] != '\0')
        q = form_text(f, "switch_lang");   /* a form sent back to be shown in the other language */
    else if (q == NULL && f != NULL)
        q = form_text(f, "lang");   /* "" when absent: lang_choose then reads Accept-Language */
    return lang_choose(q, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Language"));
}

static enum MHD_Result notice(struct MHD_Connection *conn, unsigned status, lang l,
                              message_id title, message_id body, unsigned number)
{
    html h;

    html_init(&h);
    page_notice(&h, l, title, body, number);
    return respond_page(conn, status, &h);
}

static unsigned error_status(const form *f, const page_errors *errs)
{
    for (size_t i = 0; i < errs->n; i++)
        if (errs->e[i].msg == M_ERR_CSRF)
            return MHD_HTTP_FORBIDDEN;
    if (form_problems(f) & (FORM_FILE_TOO_LARGE | FORM_TOO_MANY_FILES))
        return MHD_HTTP_CONTENT_TOO_LARGE;
    return MHD_HTTP_BAD_REQUEST;
}

/* The message and status for a store failure while saving. */
static unsigned save_failure(int rc, page_errors *errs)
{
    page_errors_add(errs, NULL, rc == ERR_BUSY ? M_ERR_BUSY
                              : rc == ERR_NOT_RECIPIENT ? M_ERR_NO_RECIPIENT_LEFT : M_ERR_FULL, 0);
    return rc == ERR_FORMAT ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_SERVICE_UNAVAILABLE;
}

/* The writer is done with the request's save: it is resumed, and answered (on_request). */
static void save_done(void *ctx, int rc)
{
    request *req = ctx;

    req->save_rc = rc;
    if (req->job != NULL && rc == 0)
        save_job_saved(req->job);   /* counted when committed, even if its reporter has left */
    if (req->claimed && req->binding.app != NULL && req->binding.app->recent != NULL && req->rk != NULL) {
        /* settled here, in the writer's order, before any later task (a copy waiting on it) ends */
        if (rc == 0)
            recent_saved(req->binding.app->recent, form_text(req->form, "submission"), req->rk->lookup);
        else
            recent_release(req->binding.app->recent, form_text(req->form, "submission"), req->rk->lookup);
        req->claimed = 0;
    }
    atomic_store(&req->saved, 1);
    MHD_resume_connection(req->conn);
}

static long long monotonic_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A probe's result, kept for the /healthz requests of the next second. */
static void probe_done(intake_app *app, int rc)
{
    atomic_store(&app->probe_rc, rc);
    atomic_store(&app->probe_at, monotonic_ms());
    atomic_store(&app->probing, 0);
}

static int probe_writable(store *db, void *arg)
{
    (void)arg;
    return store_writable(db, NULL, 0);
}

/*
 * Hands the request's save (its job, or a probe when job is NULL) to the writer and suspends the
 * request, so that no worker thread waits on the database: the writer's save_done resumes it.
 * A writer with max_active saves queued already is done at once, with ERR_BUSY.
 */
static enum MHD_Result queue_save(intake_app *app, struct MHD_Connection *conn, request *req)
{
    int probe = req->job == NULL;

    req->conn = conn;
    req->task = (writer_task){.apply = probe ? probe_writable : save_job_apply, .arg = req->job,
                              .solo = !probe && save_job_large(req->job), .probe = probe,
                              .done = save_done, .ctx = req};
    MHD_suspend_connection(conn);
    /* a probe is never refused for the saves queued: only one runs at a time (handle_get) */
    if (atomic_load(&app->stopping) || writer_submit(app->writer, &req->task, probe ? UINT_MAX : app->max_active) != 0)
        save_done(req, ERR_BUSY);
    return MHD_YES;
}

/*
 * The receipt a report form shows in out, and its MAC (csrf.h) in mac: the one the form carries
 * (posted back, with a MAC this intake made) in its canonical writing, else a new one. Returns 1
 * when it is the form's, 0 for a new one, -1 when the form carries a receipt without a valid
 * MAC (damaged, or not drawn here: a new one is given).
 */
static int form_receipt(intake_app *app, const form *f, char out[RECEIPT_TEXT_SIZE], char mac[CSRF_RECEIPT_MAC_SIZE])
{
    unsigned char *raw = secmem_alloc(RECEIPT_BYTES);
    const char *typed = f != NULL ? form_text(f, "receipt") : "";
    int rc = 0;

    out[0] = mac[0] = '\0';
    if (raw == NULL)
        return 0;
    if (typed[0] != '\0' && receipt_parse(typed, raw) == 0 &&
        csrf_receipt_check(app->csrf_key, raw, RECEIPT_BYTES, form_text(f, "receipt_mac")) == 0) {
        rc = 1;
    } else {
        rc = typed[0] != '\0' ? -1 : 0;
        receipt_generate(raw);
    }
    receipt_format(raw, out);
    csrf_receipt_mac(app->csrf_key, raw, RECEIPT_BYTES, mac);
    secmem_free(raw, RECEIPT_BYTES);
    return rc;
}

/* 1 when the form was sent back only to be shown in the other language (nothing is saved). */
static int switching_language(const form *f)
{
    return form_text(f, "switch_lang")[0] != '\0';
}

/* The report form again, with what was typed (its receipt too) and the problems in errs. */
static enum MHD_Result report_form_again(intake_app *app, struct MHD_Connection *conn, request *req, lang l,
                                         const page_errors *errs, unsigned status)
{
    char csrf[CSRF_TOKEN_SIZE], receipt[RECEIPT_TEXT_SIZE], mac[CSRF_RECEIPT_MAC_SIZE];
    enum MHD_Result answered;
    html h;

    if (status != MHD_HTTP_OK)
        atomic_fetch_add(&app->requests_refused, 1);
    html_init(&h);
    new_csrf(app, csrf);
    form_receipt(app, req->form, receipt, mac);
    page_report_form(&h, l, csrf, receipt, mac, req->form, errs, app->recipients, app->nrecipients, &app->limits);
    sodium_memzero(receipt, sizeof receipt);
    answered = respond_page(conn, status, &h);
    return answered;
}

/* The receipt page of case ref for the receipt typed (in its canonical writing); already: the
 * report had been sent before, and nothing was saved now. */
static enum MHD_Result receipt_page(intake_app *app, struct MHD_Connection *conn, lang l, const char *typed,
                                    const char *ref, int already)
{
    char csrf[CSRF_TOKEN_SIZE], receipt[RECEIPT_TEXT_SIZE];
    unsigned char *raw = secmem_alloc(RECEIPT_BYTES);
    html h;

    if (raw == NULL || receipt_parse(typed, raw) != 0) {
        secmem_free(raw, RECEIPT_BYTES);
        return notice(conn, MHD_HTTP_SERVICE_UNAVAILABLE, l, M_BUSY_TITLE, M_BUSY_BODY, 0);
    }
    receipt_format(raw, receipt);
    secmem_free(raw, RECEIPT_BYTES);
    html_init(&h);
    new_csrf(app, csrf);
    page_receipt(&h, l, csrf, receipt, ref, already);
    sodium_memzero(receipt, sizeof receipt);
    return respond_page(conn, MHD_HTTP_OK, &h);
}

/*
 * A report form sent again (a reload, Back, a double click) carries the receipt of the case it
 * filed: answers with that case's receipt page (or, for a case since erased, says so) and
 * returns 1; -1 after answering with a problem; 0 when no case has the form's receipt, and then
 * *keys (when not NULL) gets its keys, derived here once for the report to be sealed with (NULL
 * when the form carries no receipt: one is drawn).
 */
static int sent_before(intake_app *app, struct MHD_Connection *conn, request *req, lang l,
                       enum MHD_Result *answered, receipt_keys **keys)
{
    const char *typed = form_text(req->form, "receipt");
    char canonical[RECEIPT_TEXT_SIZE], mac[CSRF_RECEIPT_MAC_SIZE];
    page_errors errs = {.n = 0};
    receipt_keys *rk = NULL;
    store_case c;
    int rc, erased = 0;

    if (keys != NULL)
        *keys = NULL;
    if (typed[0] == '\0')
        return 0;   /* a client that posts only the contract's fields: a receipt is drawn */
    if (form_receipt(app, req->form, canonical, mac) != 1) {   /* not a receipt drawn here */
        page_errors_add(&errs, NULL, M_ERR_FORM_RECEIPT, 0);
        *answered = report_form_again(app, conn, req, l, &errs, MHD_HTTP_BAD_REQUEST);
        return -1;
    }
    sodium_memzero(canonical, sizeof canonical);
    {
        unsigned char *raw = secmem_alloc(RECEIPT_BYTES);
        if (raw != NULL && receipt_parse(typed, raw) == 0)
            rk = receipt_keys_derive(raw);
        secmem_free(raw, RECEIPT_BYTES);
    }
    rc = rk != NULL ? status_case_of(app, rk, &c, &erased) : ERR_NOMEM;
    if (rc == ERR_NOTFOUND && !erased) {
        if (keys != NULL)
            *keys = rk;   /* a new report: sealed with these */
        else
            receipt_keys_free(rk);
        return 0;
    }
    receipt_keys_free(rk);
    if (rc == 0) {
        *answered = receipt_page(app, conn, l, typed, c.ref, 1);
        return 1;
    }
    if (erased) {   /* an old form of a case since erased: nothing to file twice */
        html h;
        html_init(&h);
        page_erased(&h, l);
        *answered = respond_page(conn, MHD_HTTP_OK, &h);
        return 1;
    }
    *answered = report_form_again(app, conn, req, l, &errs, save_failure(rc, &errs));
    return -1;
}

static enum MHD_Result handle_report(intake_app *app, struct MHD_Connection *conn, request *req)
{
    unsigned char include[PUBKEY_MAX_RECIPIENTS], *raw = NULL;
    unsigned char excluded[PUBKEY_MAX_RECIPIENTS][PUBKEY_IDBYTES];   /* key ids the reporter left out */
    size_t nexcluded = 0;
    char receipt[RECEIPT_TEXT_SIZE];
    lang l = request_lang(conn, req->form);
    page_errors errs = {.n = 0};
    receipt_keys *rk = NULL;
    enum MHD_Result answered;
    int rc;

    if (switching_language(req->form)) {
        size_t nfiles;
        if (form_files(req->form, &nfiles) != NULL && nfiles > 0)
            page_errors_add(&errs, "attachment", M_ERR_FILES_NOT_KEPT, 0);
        return report_form_again(app, conn, req, l, &errs, MHD_HTTP_OK);
    }
    if (validate_transfer(app, req->form, &errs) != 0) {
        page_errors_add(&errs, NULL, M_ERR_FULL, 0);
        return report_form_again(app, conn, req, l, &errs, MHD_HTTP_SERVICE_UNAVAILABLE);
    }
    if (sent_before(app, conn, req, l, &answered, &rk) != 0)
        return answered;
    validate_csrf(app, req->form, now_minute(), &errs);
    validate_report(app, req->form, &errs, include, excluded, &nexcluded);
    if (errs.n > 0) {
        receipt_keys_free(rk);
        return report_form_again(app, conn, req, l, &errs, error_status(req->form, &errs));
    }
    if (app_overloaded(app)) {
        receipt_keys_free(rk);
        page_errors_add(&errs, NULL, M_ERR_BUSY, 0);
        return report_form_again(app, conn, req, l, &errs, MHD_HTTP_SERVICE_UNAVAILABLE);
    }
    if (!app_room_for(app, form_spooled(req->form) + FORM_TEXT_ROOM)) {   /* the room left is casework's */
        receipt_keys_free(rk);
        return report_form_again(app, conn, req, l, &errs, save_failure(ERR_FULL, &errs));
    }
    /* The receipt page is ready before the report is committed: after the commit, only
     * sending it remains. */
    raw = secmem_alloc(RECEIPT_BYTES);
    if (raw == NULL) {
        receipt_keys_free(rk);
        return report_form_again(app, conn, req, l, &errs, save_failure(ERR_NOMEM, &errs));
    }
    if (rk == NULL) {   /* none posted: the contract's fields alone */
        receipt_generate(raw);
        rk = receipt_keys_derive(raw);
    } else {
        receipt_parse(form_text(req->form, "receipt"), raw);   /* checked by sent_before */
    }
    receipt_format(raw, receipt);
    secmem_free(raw, RECEIPT_BYTES);
    {
        char csrf[CSRF_TOKEN_SIZE];
        new_csrf(app, csrf);
        page_receipt(&req->done, l, csrf, receipt, form_case_ref(req->form), 0);
    }
    sodium_memzero(receipt, sizeof receipt);
    rc = req->done.failed || rk == NULL ? ERR_NOMEM : submit_report(app, req->form, include, excluded, nexcluded, l, rk, &req->job);
    receipt_keys_free(rk);
    if (rc != 0)
        return report_form_again(app, conn, req, l, &errs, save_failure(rc, &errs));
    req->l = l;
    return queue_save(app, conn, req);
}

/* A report's save is done: the receipt, or the form again. */
static enum MHD_Result report_saved(intake_app *app, struct MHD_Connection *conn, request *req)
{
    page_errors errs = {.n = 0};

    if (req->save_rc == ERR_EXISTS) {
        /* the same form sent twice at once: the other one filed it */
        enum MHD_Result answered;
        if (sent_before(app, conn, req, req->l, &answered, NULL) != 0)
            return answered;
    }
    if (req->save_rc != 0)
        return report_form_again(app, conn, req, req->l, &errs, save_failure(req->save_rc, &errs));
    return respond_page(conn, MHD_HTTP_OK, &req->done);
}

/* The submission token a follow-up form shows: the one f carries (a form shown again keeps
 * it, so sending it twice still saves once), else a fresh one. */
static void form_submission(const form *f, char out[RECENT_TOKEN_TEXT])
{
    const char *t = f != NULL ? form_text(f, "submission") : "";

    if (strlen(t) == RECENT_TOKEN_TEXT - 1 && strspn(t, "0123456789abcdef") == RECENT_TOKEN_TEXT - 1)
        memcpy(out, t, RECENT_TOKEN_TEXT);
    else
        recent_token(out);
}

/* Renders the status page of case c (replies opened with rk). */
static enum MHD_Result show_status(intake_app *app, struct MHD_Connection *conn, lang l,
                                   unsigned status, const store_case *c, const receipt_keys *rk,
                                   const form *f, const page_errors *errs, int sent)
{
    char csrf[CSRF_TOKEN_SIZE], submission[RECENT_TOKEN_TEXT];
    unsigned char *sent_plain = NULL;
    size_t sent_len = 0;
    sent_list *sent_items = NULL;
    page_message *replies = NULL;
    size_t nreplies = 0;
    status_view v;
    html h;

    html_init(&h);
    new_csrf(app, csrf);
    /* A follow-up just saved is confirmed even if the replies cannot be read this time, so
     * the reporter does not send it again. */
    if (status_replies(app, c, rk, &replies, &nreplies) != 0) {
        if (!sent)
            return notice(conn, MHD_HTTP_SERVICE_UNAVAILABLE, l, M_BUSY_TITLE, M_BUSY_BODY, 0);
        replies = NULL;
        nreplies = 0;
    }
    if (status_sent_open(app, c, rk, &sent_plain, &sent_len) == 0 && (sent_items = calloc(1, sizeof *sent_items)) != NULL &&
        sent_read(sent_plain, sent_len, sent_items) != 0) {
        free(sent_items);   /* a list that does not read is not shown */
        sent_items = NULL;
    }
    if (sent)
        recent_token(submission);   /* a new form, for the next message */
    else
        form_submission(f, submission);
    v = (status_view){.c = c, .receipt = form_text(f, "receipt"), .replies = replies,
                      .nreplies = nreplies, .followup_sent = sent, .submission = submission, .sent = sent_items};
    page_status(&h, l, csrf, &v, f, errs, &app->limits);
    free(sent_items);
    if (sent_plain != NULL)
        sodium_free(sent_plain);
    status_replies_free(replies, nreplies);
    return respond_page(conn, status, &h);
}

/* Finds the case of the form's receipt, or answers with the receipt form and the problem. */
static int find_case_or_ask(intake_app *app, struct MHD_Connection *conn, request *req, lang l,
                            page_errors *errs, store_case *c, receipt_keys **rk,
                            enum MHD_Result *answered)
{
    char csrf[CSRF_TOKEN_SIZE];
    unsigned status = MHD_HTTP_BAD_REQUEST;
    html h;
    int rc;

    if (req->binding.rk != NULL) {   /* found already, when the files arrived */
        *c = req->binding.c;
        *rk = req->binding.rk;
        req->binding.rk = NULL;
        rc = 0;
    } else {
        rc = status_find(app, form_text(req->form, "receipt"), c, rk);
    }
    if (rc == 0 && errs->n == 0)
        return 0;
    if (rc == ERR_FORMAT) {
        page_errors_add(errs, "receipt", M_ERR_RECEIPT_FORMAT, 0);
    } else if (rc == ERR_NOTFOUND && errs->n == 0 && status_erased(app, form_text(req->form, "receipt"))) {
        html_init(&h);
        page_erased(&h, l);   /* the receipt was right: its case was closed and erased */
        *answered = respond_page(conn, MHD_HTTP_OK, &h);
        return -1;
    } else if (rc == ERR_NOTFOUND) {
        page_errors_add(errs, "receipt", M_ERR_RECEIPT_UNKNOWN, 0);
        status = MHD_HTTP_NOT_FOUND;
    } else if (rc != 0) {
        status = save_failure(rc, errs);
    }
    for (size_t i = 0; i < errs->n; i++) {
        if (errs->e[i].msg == M_ERR_CSRF)
            status = MHD_HTTP_FORBIDDEN;
        if (errs->e[i].msg == M_ERR_BUSY)
            status = MHD_HTTP_SERVICE_UNAVAILABLE;
    }
    receipt_keys_free(*rk);
    *rk = NULL;
    atomic_fetch_add(&app->requests_refused, 1);
    html_init(&h);
    new_csrf(app, csrf);
    {
        char submission[RECENT_TOKEN_TEXT];
        form_submission(req->form, submission);
        page_status_ask(&h, l, csrf, req->form, errs, &app->limits, submission);
    }
    *answered = respond_page(conn, status, &h);
    return -1;
}

/* The case of a posted receipt, once the form's csrf token is checked (and, when the writer
 * is overloaded, refused as busy): 0 with *c and *rk (free it), or -1 once answered. */
static int posted_case(intake_app *app, struct MHD_Connection *conn, request *req, lang l, store_case *c,
                       receipt_keys **rk, enum MHD_Result *answered)
{
    page_errors errs = {.n = 0};

    validate_csrf(app, req->form, now_minute(), &errs);
    if (app_overloaded(app) && errs.n == 0)
        page_errors_add(&errs, NULL, M_ERR_BUSY, 0);
    return find_case_or_ask(app, conn, req, l, &errs, c, rk, answered);
}

static enum MHD_Result handle_status(intake_app *app, struct MHD_Connection *conn, request *req)
{
    lang l = request_lang(conn, req->form);
    receipt_keys *rk = NULL;
    store_case c;
    enum MHD_Result answered;

    if (posted_case(app, conn, req, l, &c, &rk, &answered) != 0)
        return answered;
    answered = show_status(app, conn, l, MHD_HTTP_OK, &c, rk, req->form, NULL, 0);
    receipt_keys_free(rk);
    return answered;
}

/* The receipt page again, in the language asked (its language switch posts the receipt). */
static enum MHD_Result handle_receipt(intake_app *app, struct MHD_Connection *conn, request *req)
{
    lang l = request_lang(conn, req->form);
    receipt_keys *rk = NULL;
    store_case c;
    enum MHD_Result answered;

    if (posted_case(app, conn, req, l, &c, &rk, &answered) != 0)
        return answered;
    receipt_keys_free(rk);
    return receipt_page(app, conn, l, form_text(req->form, "receipt"), c.ref, 0);
}

#define COPY_PROBES_MAX 1000   /* a first sending is handed to the writer microseconds after its claim */

static long long now_seconds(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec + 1;
}

/* Claims the follow-up form's submission token for its case (recent.h): RECENT_NEW (claimed
 * now, or no token to claim), RECENT_SAVED or RECENT_IN_FLIGHT (sent before). */
static int claim_submission(intake_app *app, request *req, const receipt_keys *rk)
{
    int rc;

    if (app->recent == NULL)
        return RECENT_NEW;
    rc = recent_claim(app->recent, form_text(req->form, "submission"), rk->lookup, now_seconds());
    req->claimed = rc == RECENT_NEW;
    return rc == RECENT_NONE ? RECENT_NEW : rc;
}

static enum MHD_Result handle_followup(intake_app *app, struct MHD_Connection *conn, request *req)
{
    lang l = request_lang(conn, req->form);
    page_errors errs = {.n = 0};
    receipt_keys *rk = NULL;
    store_case c;
    enum MHD_Result answered;
    unsigned status = MHD_HTTP_OK;
    int rc;

    if (switching_language(req->form)) {   /* the status page in the other language, typing kept */
        if (posted_case(app, conn, req, l, &c, &rk, &answered) != 0)
            return answered;
        answered = show_status(app, conn, l, MHD_HTTP_OK, &c, rk, req->form, NULL, 0);
        receipt_keys_free(rk);
        return answered;
    }
    if (find_case_or_ask(app, conn, req, l, &errs, &c, &rk, &answered) != 0)
        return answered;
    if (validate_transfer(app, req->form, &errs) != 0) {
        page_errors_add(&errs, NULL, M_ERR_FULL, 0);
        status = MHD_HTTP_SERVICE_UNAVAILABLE;
    } else {
        validate_csrf(app, req->form, now_minute(), &errs);
        validate_followup(req->form, &errs);
        if (errs.n > 0) {
            status = error_status(req->form, &errs);
        } else if (app_overloaded(app)) {
            page_errors_add(&errs, NULL, M_ERR_BUSY, 0);
            status = MHD_HTTP_SERVICE_UNAVAILABLE;
        } else if (!app_room_for(app, form_spooled(req->form) + FORM_TEXT_ROOM)) {
            status = save_failure(ERR_FULL, &errs);
        } else if ((rc = submit_followup(app, req->form, &c, rk, l, &req->job)) != 0) {
            status = save_failure(rc, &errs);
        } else {
            /* claimed only now, sealed and ready, so that the writer gets it at once */
            int seen = claim_submission(app, req, rk);
            req->c = c;   /* shown again once saved */
            req->rk = rk;
            req->l = l;
            if (seen != RECENT_NEW) {
                save_job_free(req->job);   /* this form was sent before: nothing to save twice */
                req->job = NULL;
            }
            if (seen == RECENT_SAVED) {   /* a reload, a double click: saved already */
                req->rk = NULL;
                answered = show_status(app, conn, l, MHD_HTTP_OK, &c, rk, req->form, NULL, 2);
                receipt_keys_free(rk);
                return answered;
            }
            /* RECENT_IN_FLIGHT: answered once the writer is past the first sending (a probe
             * queued behind it), with what came of it */
            req->waits_for_copy = seen == RECENT_IN_FLIGHT;
            return queue_save(app, conn, req);
        }
    }
    atomic_fetch_add(&app->requests_refused, 1);
    answered = show_status(app, conn, l, status, &c, rk, req->form, &errs, 0);
    receipt_keys_free(rk);
    return answered;
}

/* A follow-up's save is done: the status page, confirming it or saying why not. */
static enum MHD_Result followup_saved(intake_app *app, struct MHD_Connection *conn, request *req)
{
    page_errors errs = {.n = 0};
    unsigned status = MHD_HTTP_OK;

    if (req->waits_for_copy) {
        /* a copy of a form whose first sending was being saved: what came of that one */
        int state = recent_state(app->recent, form_text(req->form, "submission"), req->rk->lookup, now_seconds());
        if (state == RECENT_SAVED)
            return show_status(app, conn, req->l, MHD_HTTP_OK, &req->c, req->rk, req->form, NULL, 2);
        if (state == RECENT_IN_FLIGHT && req->save_rc == 0 && ++req->copy_probes < COPY_PROBES_MAX) {
            /* the first was claimed but not yet handed to the writer when this probe went: again */
            atomic_store(&req->saved, 0);
            return queue_save(app, conn, req);
        }
        atomic_fetch_add(&app->requests_refused, 1);
        status = save_failure(ERR_BUSY, &errs);   /* not saved: send it again (the text is kept) */
        return show_status(app, conn, req->l, status, &req->c, req->rk, req->form, &errs, 0);
    }
    if (req->save_rc != 0) {
        atomic_fetch_add(&app->requests_refused, 1);
        status = save_failure(req->save_rc, &errs);
    }
    return show_status(app, conn, req->l, status, &req->c, req->rk, req->form, &errs, req->save_rc == 0);
}

static enum MHD_Result health_answer(intake_app *app, struct MHD_Connection *conn, int rc)
{
    if (rc == 0)
        return respond_text(conn, MHD_HTTP_OK, "ok\n");
    return respond_text(conn, MHD_HTTP_SERVICE_UNAVAILABLE, atomic_load(&app->stopping) ? "stopping\n"
                                                                                     : "database not writable\n");
}

static enum MHD_Result handle_get(intake_app *app, struct MHD_Connection *conn, request *req)
{
    char csrf[CSRF_TOKEN_SIZE];
    lang l = request_lang(conn, NULL);
    html h;

    if (req->route == ROUTE_STYLE) {
        const char *css = page_stylesheet();
        return respond(conn, MHD_HTTP_OK, "text/css; charset=utf-8", (char *)(uintptr_t)css, strlen(css), NULL);
    }
    if (req->route == ROUTE_HEALTHZ) {
        /* The writer takes and releases a write transaction, once a second at most, whatever
         * the number of /healthz requests: the others get that probe's result. */
        long long at = atomic_load(&app->probe_at);
        if (at == 0 || (monotonic_ms() - at >= 1000 && atomic_exchange(&app->probing, 1) == 0))
            return queue_save(app, conn, req);   /* (before any result, each asks: only at start) */
        return health_answer(app, conn, atomic_load(&app->probe_rc));
    }
    html_init(&h);
    new_csrf(app, csrf);
    if (req->route == ROUTE_FORM) {
        char receipt[RECEIPT_TEXT_SIZE], mac[CSRF_RECEIPT_MAC_SIZE];
        form_receipt(app, NULL, receipt, mac);   /* drawn now, shown first, the report's once sent */
        page_report_form(&h, l, csrf, receipt, mac, NULL, NULL, app->recipients, app->nrecipients, &app->limits);
        sodium_memzero(receipt, sizeof receipt);
    } else
        page_status_ask(&h, l, csrf, NULL, NULL, &app->limits, "");
    return respond_page(conn, MHD_HTTP_OK, &h);
}

static enum route route_of(const char *url, int is_post)
{
    static const struct { const char *path; enum route get, post; } routes[] = {
        {"/", ROUTE_FORM, ROUTE_NONE},
        {"/report", ROUTE_NONE, ROUTE_REPORT},
        {"/status", ROUTE_STATUS, ROUTE_STATUS_POST},
        {"/status/followup", ROUTE_NONE, ROUTE_FOLLOWUP},
        {"/receipt", ROUTE_NONE, ROUTE_RECEIPT},
        {"/healthz", ROUTE_HEALTHZ, ROUTE_NONE},
        {"/style.css", ROUTE_STYLE, ROUTE_NONE},
    };

    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        if (strcmp(url, routes[i].path) == 0)
            return is_post ? routes[i].post : routes[i].get;
    return ROUTE_NONE;
}

static int path_known(const char *url)
{
    return route_of(url, 0) != ROUTE_NONE || route_of(url, 1) != ROUTE_NONE;
}

static uint64_t body_cap(const intake_app *app)
{
    return (uint64_t)app->limits.max_files * app->limits.max_file_bytes + BODY_SLACK;
}

/* The deadlines of conn's connection (deadline.h), or NULL. */
static deadline_conn *conn_deadline(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

    return ci != NULL ? ci->socket_context : NULL;
}

/* Routes a request's first call, and answers at once what needs no body. */
static enum MHD_Result begin_request_routed(intake_server *s, struct MHD_Connection *conn,
                                            const char *url, const char *method, void **con_cls)
{
    intake_app *app = s->app;
    request *req = calloc(1, sizeof *req);
    const char *length, *fetch_site;

    if (req != NULL)
        html_init(&req->done);
    lang l = request_lang(conn, NULL);
    int not_a_form = 0;

    if (req == NULL)
        return MHD_NO;
    *con_cls = req;
    req->is_post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
    req->deadline = conn_deadline(conn);
    atomic_fetch_add(&s->in_flight, 1);
    if (!req->is_post && strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
        atomic_fetch_add(&app->requests_refused, 1);
        return notice(conn, MHD_HTTP_METHOD_NOT_ALLOWED, l, M_METHOD_TITLE, M_METHOD_BODY, 0);
    }
    req->route = route_of(url, req->is_post);
    if (req->route == ROUTE_NONE) {
        atomic_fetch_add(&app->requests_refused, 1);
        return path_known(url) ? notice(conn, MHD_HTTP_METHOD_NOT_ALLOWED, l, M_METHOD_TITLE, M_METHOD_BODY, 0)
                               : notice(conn, MHD_HTTP_NOT_FOUND, l, M_NOT_FOUND_TITLE, M_NOT_FOUND_BODY, 0);
    }
    if (!req->is_post)
        return MHD_YES;
    /* A form posted from another site is refused before its body is read. */
    fetch_site = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Sec-Fetch-Site");
    if (fetch_site != NULL && strcmp(fetch_site, "cross-site") == 0) {
        atomic_fetch_add(&app->requests_refused, 1);
        return notice(conn, MHD_HTTP_FORBIDDEN, l, M_METHOD_TITLE, M_ERR_NOT_A_FORM, 0);
    }
    length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (length != NULL && strtoull(length, NULL, 10) > body_cap(app)) {
        atomic_fetch_add(&app->requests_refused, 1);
        return notice(conn, MHD_HTTP_CONTENT_TOO_LARGE, l, M_METHOD_TITLE, M_ERR_BODY_TOO_LARGE,
                      (unsigned)(body_cap(app) / (1024 * 1024)));
    }
    req->binding.app = app;
    req->form = form_new(conn, &app->limits, app->spool_dir,
                         req->route == ROUTE_FOLLOWUP ? status_bind : NULL, &req->binding, &not_a_form);
    if (req->form == NULL) {
        atomic_fetch_add(&app->requests_refused, 1);
        if (not_a_form)
            return notice(conn, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, l, M_METHOD_TITLE, M_ERR_NOT_A_FORM, 0);
        return notice(conn, MHD_HTTP_SERVICE_UNAVAILABLE, l, M_BUSY_TITLE, M_BUSY_BODY, 0);
    }
    return MHD_YES;
}

/* 1 when the request says a body follows. */
static int announces_body(struct MHD_Connection *conn)
{
    const char *length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

    return (length != NULL && strtoull(length, NULL, 10) > 0) ||
           MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL;
}

/* First call of a request: route it, and answer at once what needs no body. */
static enum MHD_Result begin_request(intake_server *s, struct MHD_Connection *conn,
                                     const char *url, const char *method, void **con_cls)
{
    enum MHD_Result answered = begin_request_routed(s, conn, url, method, con_cls);
    request *req = *con_cls;

    /* a body follows (a form's, or one a GET announces, which is read and dropped): its
     * deadlines apply; anything else is answered now */
    if (req != NULL && (req->form != NULL || announces_body(conn)))
        deadline_body_started(req->deadline);
    else if (req != NULL)
        (void)deadline_answering(req->deadline);
    return answered;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    intake_server *s = cls;
    request *req = *con_cls;

    (void)version;
    if (req == NULL)
        return begin_request(s, conn, url, method, con_cls);
    if (atomic_load(&req->saved)) {   /* resumed: the writer is done with its save */
        switch (req->route) {
        case ROUTE_REPORT: return report_saved(s->app, conn, req);
        case ROUTE_FOLLOWUP: return followup_saved(s->app, conn, req);
        default:
            probe_done(s->app, req->save_rc);
            return health_answer(s->app, conn, atomic_load(&s->app->probe_rc));
        }
    }
    if (*upload_size != 0) {
        req->body_bytes += *upload_size;
        if (req->body_bytes > body_cap(s->app))
            return MHD_NO;   /* past any allowed size without Content-Length: close */
        deadline_body_bytes(req->deadline, *upload_size);   /* a trickle is cut by the deadlines */
        if (req->form != NULL)
            form_feed(req->form, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    if (deadline_answering(req->deadline))
        return MHD_NO;   /* cut by its deadlines meanwhile: its answer could not be sent, so nothing is saved */
    if (!req->is_post)
        return handle_get(s->app, conn, req);
    form_finish(req->form);
    switch (req->route) {
    case ROUTE_REPORT: return handle_report(s->app, conn, req);
    case ROUTE_STATUS_POST: return handle_status(s->app, conn, req);
    case ROUTE_RECEIPT: return handle_receipt(s->app, conn, req);
    default: return handle_followup(s->app, conn, req);
    }
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    intake_server *s = cls;
    request *req = *con_cls;

    (void)toe;
    deadline_waiting(conn_deadline(conn));   /* the next request's headers have their deadline */
    if (req == NULL)
        return;
    form_free(req->form);   /* deletes the spool of an abandoned upload too */
    receipt_keys_free(req->binding.rk);
    receipt_keys_free(req->rk);
    save_job_free(req->job);
    html_free(&req->done);
    free(req);
    *con_cls = NULL;
    atomic_fetch_sub(&s->in_flight, 1);
}

/* A connection opened or closed: its deadlines are kept from its first byte to its close. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    intake_server *s = cls;
    const union MHD_ConnectionInfo *ci;

    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = ci != NULL ? deadline_track(s->deadlines, ci->connect_fd) : NULL;
        if (ci != NULL && *socket_context == NULL)
            shutdown(ci->connect_fd, SHUT_RDWR);   /* no deadlines can be kept for it: refused */
    } else {
        deadline_untrack(s->deadlines, *socket_context);
        *socket_context = NULL;
    }
}

static int make_address(const char *addr, uint16_t port, struct sockaddr_storage *ss)
{
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

    memset(ss, 0, sizeof *ss);
    if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons(port);
        return 0;
    }
    if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        return 0;
    }
    return -1;
}

int server_address_valid(const char *addr, char *err, size_t errlen)
{
    struct sockaddr_storage ss;

    if (make_address(addr, 0, &ss) == 0)
        return 0;
    return err_set(err, errlen, ERR_FORMAT, "--listen needs a numeric address, e.g. 127.0.0.1:8080 or [::1]:8080, not '%s'", addr);
}

int server_bind(const intake_config *cfg, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    int fd, one = 1;

    if (server_address_valid(cfg->listen_addr, err, errlen) != 0)
        return -1;
    make_address(cfg->listen_addr, cfg->port, &ss);
    fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, (struct sockaddr *)&ss, ss.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                                            : sizeof(struct sockaddr_in)) != 0 ||
        listen(fd, 128) != 0) {
        if (fd >= 0)
            close(fd);
        err_set(err, errlen, ERR_IO, "cannot listen on %s port %u (in use, or not an address of this machine?)",
                cfg->listen_addr, (unsigned)cfg->port);
        return -1;
    }
    return fd;
}

int server_start(const intake_config *cfg, int listen_fd, intake_app *app, intake_server **out,
                 char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME;
    intake_server *s;
    int rc;

    *out = NULL;
    if ((rc = server_address_valid(cfg->listen_addr, err, errlen)) != 0) {
        close(listen_fd);
        return rc;
    }
    make_address(cfg->listen_addr, cfg->port, &ss);
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (cfg->tls_cert_pem != NULL)
        flags |= MHD_USE_TLS;
    s = calloc(1, sizeof *s);
    if (s == NULL) {
        close(listen_fd);
        return err_set(err, errlen, ERR_NOMEM, "out of memory");
    }
    s->app = app;
    atomic_store(&closing, 0);
    atomic_store(&app->stopping, 0);
    s->deadlines = deadline_start(&cfg->deadlines, err, errlen);
    app->writer = s->deadlines != NULL ? writer_start(app->db, app->db_checkpoint, err, errlen) : NULL;
    if (app->writer == NULL) {
        deadline_stop(s->deadlines);
        close(listen_fd);
        free(s);
        return ERR_IO;
    }
    s->daemon = MHD_start_daemon(flags, cfg->port, NULL, NULL, on_request, s,
                                 MHD_OPTION_LISTEN_SOCKET, (MHD_socket)listen_fd,
                                 MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
                                 MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
                                 MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_seconds,
                                 MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
                                 MHD_OPTION_PER_IP_CONNECTION_LIMIT, 0u,
                                 MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                                 MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
                                 cfg->tls_cert_pem ? MHD_OPTION_HTTPS_PRIORITIES : MHD_OPTION_END, TLS_PRIORITIES,
                                 MHD_OPTION_HTTPS_MEM_CERT, cfg->tls_cert_pem,
                                 MHD_OPTION_HTTPS_MEM_KEY, cfg->tls_key_pem,
                                 MHD_OPTION_END);
    if (s->daemon == NULL) {   /* libmicrohttpd has closed listen_fd */
        writer_stop(app->writer);
        app->writer = NULL;
        deadline_stop(s->deadlines);
        free(s);
        return err_set(err, errlen, ERR_IO, "cannot serve on %s port %u", cfg->listen_addr, (unsigned)cfg->port);
    }
    *out = s;
    return 0;
}

void server_stop(intake_server *s, unsigned grace_seconds)
{
    MHD_socket listener;

    if (s == NULL)
        return;
    atomic_store(&closing, 1);   /* answers close their connections */
    listener = MHD_quiesce_daemon(s->daemon);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);   /* new connections are now refused */
    for (unsigned i = 0; i < grace_seconds * 20 && atomic_load(&s->in_flight) > 0; i++)
        usleep(50 * 1000);
    /* Every save queued is finished (and its request resumed) before the daemon stops, which
     * it cannot do with a request suspended; the writer is freed only once no request thread
     * runs. */
    atomic_store(&s->app->stopping, 1);   /* past the grace: no save is queued any more */
    writer_drain(s->app->writer);
    MHD_stop_daemon(s->daemon);
    writer_free(s->app->writer);
    s->app->writer = NULL;
    deadline_stop(s->deadlines);
    free(s);
}
