/*
 * status.h: what a reporter's receipt opens: finding the case, and reading the caseworkers'
 * replies with the receipt-derived key, within one request. Nothing derived from the receipt
 * outlives the request.
 */
#ifndef SEA_INTAKE_STATUS_H
#define SEA_INTAKE_STATUS_H

#include <stddef.h>

#include "app.h"
#include "form.h"
#include "pages.h"
#include "receipt.h"
#include "store.h"

/*
 * status_find: parses a typed receipt, derives its keys (*rk, free with receipt_keys_free) and
 * finds its case (into c). Returns 0; ERR_FORMAT when it is not a receipt; ERR_NOTFOUND when no
 * case has it; ERR_NOMEM; ERR_IO or ERR_BUSY from the store. On failure *rk is NULL and there is
 * nothing to free (the keys were wiped).
 */
int status_find(intake_app *app, const char *typed, store_case *c, receipt_keys **rk);

/*
 * status_sent_open: opens the case's list of what its reporter sent (sent.h) with the receipt's
 * keys into *plain (*len bytes; free with sodium_free). Returns 0, ERR_NOTFOUND (a case filed
 * before the list was kept), ERR_AUTH, ERR_NOMEM, ERR_IO, ERR_BUSY.
 */
int status_sent_open(intake_app *app, const store_case *c, const receipt_keys *rk,
                     unsigned char **plain, size_t *len);

/*
 * status_case_of: the case of a receipt whose keys are derived already (rk) into c. Returns 0;
 * ERR_NOTFOUND, with *erased 1 when such a case was erased (its lookup alone is kept); ERR_IO,
 * ERR_BUSY.
 */
int status_case_of(intake_app *app, const receipt_keys *rk, store_case *c, int *erased);

/* status_erased: 1 when typed is the receipt of a case that was closed and then erased
 * (purged), whose lookup alone the store keeps; 0 otherwise. */
int status_erased(intake_app *app, const char *typed);

/*
 * status_replies: opens the case's replies with the receipt's key, oldest first, into a new
 * array (*out, *n; free with status_replies_free). A reply that does not open is listed with
 * text NULL. A reply that opens but is not signed by a configured caseworker (record-sig.h) is
 * left out, unless the case was filed before replies were signed and the reply carries no
 * signature at all. Returns 0, ERR_NOMEM, ERR_IO, ERR_BUSY. On failure *out is NULL and *n 0, and
 * there is nothing to free (replies opened so far were wiped).
 */
int status_replies(intake_app *app, const store_case *c, const receipt_keys *rk,
                   page_message **out, size_t *n);

/*
 * status_box_open: opens the case's receipt box with the receipt's keys into *plain
 * (sodium_malloc, *len bytes; free with sodium_free). Returns 0; ERR_NOTFOUND when the case has
 * none; an error from receipt_box_open or the store. On failure *plain is NULL and *len 0.
 */
int status_box_open(intake_app *app, const store_case *c, const receipt_keys *rk,
                    unsigned char **plain, size_t *len);

/* status_replies_free: wipes and frees what status_replies returned; accepts NULL. */
void status_replies_free(page_message *replies, size_t n);

/* The case a follow-up's files were bound to, kept so the request finds it only once. */
typedef struct status_binding {
    intake_app *app;
    store_case c;
    receipt_keys *rk;   /* NULL until bound; free with receipt_keys_free */
} status_binding;

/* status_bind: a form_binder (ctx: a status_binding) naming the case of the form's receipt. */
int status_bind(void *ctx, const form *f, char ref[CASEREF_TEXT_SIZE]);

#endif
