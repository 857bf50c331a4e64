/*
 * validate.h: checking what a reporter sent, field by field, into a list of problems for the
 * page to show. Nothing here stores anything.
 */
#ifndef SEA_INTAKE_VALIDATE_H
#define SEA_INTAKE_VALIDATE_H

#include <stdint.h>

#include "app.h"
#include "form.h"
#include "pages.h"

/* validate_csrf: 0 when the form's csrf token is valid now; else adds the problem, returns -1. */
int validate_csrf(const intake_app *app, const form *f, uint64_t now_minute, page_errors *errs);

/*
 * validate_transfer: adds the problems met while receiving (broken body, files too many or too
 * large). Returns 503 when the spool's disk is full or failing (the caller answers "busy"),
 * else 0.
 */
int validate_transfer(const intake_app *app, const form *f, page_errors *errs);

/*
 * validate_report: checks a report's fields and fills include (one byte per recipient: 1 when
 * the reporter left that caseworker in), and ids with the *nids key ids (up to
 * PUBKEY_MAX_RECIPIENTS) the reporter asked to leave out.
 */
void validate_report(const intake_app *app, const form *f, page_errors *errs,
                     unsigned char *include, unsigned char (*ids)[PUBKEY_IDBYTES], size_t *nids);

/* validate_followup: checks a follow-up: a message, or at least one file. */
void validate_followup(const form *f, page_errors *errs);

#endif
