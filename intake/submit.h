/*
 * submit.h: turning a checked form into sealed records in one durable transaction: a new
 * report with its receipt, or a follow-up on an existing case. Sealing happens before the
 * database lock is taken; the transaction holds the case, its records and every attachment,
 * so either all of it is committed (synchronous=FULL) or none of it is.
 */
#ifndef SEA_INTAKE_SUBMIT_H
#define SEA_INTAKE_SUBMIT_H

#include <stddef.h>

#include "app.h"
#include "form.h"
#include "messages.h"
#include "receipt.h"
#include "store.h"

/*
 * submit_report: stores the report in f under the case reference drawn for the form, keyed by
 * the receipt raw (drawn by the caller, never stored), sealed to the recipients with include[i]
 * set, with the reporter's choice of who was left out (the nids key ids in ids, as
 * validate_report found them) in the report and in a receipt box. The caller renders the
 * receipt page before calling, so that once this returns 0 (committed) nothing is left that can
 * fail but sending it. Returns 0, or ERR_FULL / ERR_BUSY / ERR_IO / ERR_NOMEM / ERR_EXISTS (the
 * unlikely case-reference collision); nothing is stored then.
 */
int submit_report(intake_app *app, const form *f, const unsigned char *include,
                  unsigned char (*ids)[PUBKEY_IDBYTES], size_t nids, lang l,
                  const unsigned char raw[RECEIPT_BYTES]);

/*
 * submit_followup: stores a follow-up (message and files) on case c, sealed to the recipients
 * the reporter left in (read from the case's receipt box with rk). Returns 0, ERR_NOT_RECIPIENT
 * when none of those is configured any more, or an error as submit_report.
 */
int submit_followup(intake_app *app, const form *f, const store_case *c, const receipt_keys *rk,
                    lang l);

#endif
