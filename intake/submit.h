/*
 * submit.h: turning a checked form into sealed records stored in one durable transaction: a new
 * report with its receipt, or a follow-up on an existing case. Sealing happens in the request's
 * thread; the writer (writer.h) then applies the job under a savepoint of the transaction it
 * commits, which holds the case, its records and every attachment, so either all of it is
 * committed (synchronous=FULL) or none of it is.
 */
#ifndef SEA_INTAKE_SUBMIT_H
#define SEA_INTAKE_SUBMIT_H

#include <stddef.h>

#include "app.h"
#include "form.h"
#include "messages.h"
#include "receipt.h"
#include "store.h"

/* A report or follow-up sealed and ready to store: the writer (writer.h) applies it. */
typedef struct save_job save_job;

/*
 * submit_report: seals the report in f under the case reference drawn for the form, keyed by
 * the keys rk of its receipt (drawn by the caller, never stored), to the recipients with include[i] set,
 * with the reporter's choice of who was left out (the nids key ids in ids, as validate_report
 * found them) in the report and in a receipt box, into *job, which the writer stores (the
 * caller renders the receipt page before, so that once the job is committed nothing is left
 * that can fail but sending it). Returns 0, or ERR_NOMEM; f must outlive the job.
 */
int submit_report(intake_app *app, const form *f, const unsigned char *include,
                  unsigned char (*ids)[PUBKEY_IDBYTES], size_t nids, lang l,
                  const receipt_keys *rk, save_job **job);

/*
 * submit_followup: seals a follow-up (message and files) on case c to the recipients the
 * reporter left in (read from the case's receipt box with rk) into *job. Returns 0,
 * ERR_NOT_RECIPIENT when none of those is configured any more, ERR_FORMAT when its files were
 * encrypted for another case, or ERR_NOMEM / ERR_IO.
 */
int submit_followup(intake_app *app, const form *f, const store_case *c, const receipt_keys *rk,
                    lang l, save_job **job);

/*
 * save_job_apply: stores the job in db, inside the caller's transaction (a writer_task's apply):
 * the case, its records and every attachment's chunks. Returns 0, or ERR_FULL / ERR_BUSY /
 * ERR_IO / ERR_EXISTS (the unlikely case-reference collision).
 */
int save_job_apply(store *db, void *job);

/* save_job_large: 1 when the job's files are large enough to be committed on their own. */
int save_job_large(const save_job *job);

/* save_job_saved: counts the job, once it is committed. */
void save_job_saved(save_job *job);

/* save_job_free: frees the job (its sealed records); accepts NULL. */
void save_job_free(save_job *job);

#endif
