/*
 * case-state.h: the one fold from a case's records to its current state. Every reader of a
 * case (list and its index, show in text and JSON, stats, purge, share and the deadline rule)
 * takes the state from here, so that they cannot disagree. The rules:
 *
 *   - the report (the first record this key opens of kind report) gives the category as the
 *     reporter chose it, sex and age band as given, and "restricted" when it names anyone the
 *     reporter left out ("excluded");
 *   - triage records, in arrival order: each non-empty category, severity, assignee or outcome
 *     replaces the earlier one (the latest wins);
 *   - a triage record's "status" field: "closed" makes the case closed on that record's day
 *     (so the last closing counts); any other status (reopening) makes it open again;
 *   - the first reply acknowledges the case, on its day;
 *   - notes, follow-ups, attachments and shares change none of these.
 *
 * The state holds copies (at most CASE_STATE_TEXT_MAX bytes each, longer values cut), so that
 * it can outlive the decrypted records and be kept in the sealed case index.
 */
#ifndef SEA_CASEWORK_CASE_STATE_H
#define SEA_CASEWORK_CASE_STATE_H

#include <stddef.h>

#include "day.h"
#include "envelope.h"
#include "fields.h"

#define CASE_STATE_TEXT_MAX 64

typedef struct case_state {
    int readable;                              /* a report was folded in (this key opens it) */
    int restricted;                            /* the reporter left someone out */
    char received[DAY_TEXT_SIZE];              /* set by the caller (the store's column) */
    char acknowledged[DAY_TEXT_SIZE];          /* "" until the first reply */
    char closed[DAY_TEXT_SIZE];                /* "" unless closed: the day of the last closing */
    char category[CASE_STATE_TEXT_MAX + 1];
    char severity[CASE_STATE_TEXT_MAX + 1];    /* "" until triaged */
    char assignee[CASE_STATE_TEXT_MAX + 1];    /* "" until assigned */
    char sex[CASE_STATE_TEXT_MAX + 1];         /* "" when not given */
    char age_band[CASE_STATE_TEXT_MAX + 1];    /* "" when not given */
    char outcome[CASE_STATE_TEXT_MAX + 1];     /* "" until closed */
} case_state;

/* case_state_wipe: zeroes st, which holds what the report said (sodium_memzero). */
void case_state_wipe(case_state *st);

/* case_state_init: an empty state (nothing folded yet) for a case received on received. */
void case_state_init(case_state *st, const char *received);

/*
 * case_state_fold: folds one decrypted record (its kind, the day it arrived and its n fields)
 * into st, by the rules above. Records must come in arrival order.
 */
void case_state_fold(case_state *st, enum envelope_kind kind, const char *day, const field *f, size_t n);

/*
 * case_state_due: what is due next for an open case: the acknowledgement (within
 * WORKFLOW_ACK_DAYS of receipt) until the first reply, then the feedback (within
 * WORKFLOW_FEEDBACK_MONTHS of the acknowledgement). Fills due ("" for a closed or unreadable
 * case) and returns 1 when today is past it, else 0.
 */
int case_state_due(const case_state *st, const char *today, char due[DAY_TEXT_SIZE]);

/*
 * case_state_deadlines: both deadlines, whatever the case's status: ack_due from the day of
 * receipt, and feedback_due from the acknowledgement ("" until acknowledged).
 */
void case_state_deadlines(const case_state *st, char ack_due[DAY_TEXT_SIZE],
                          char feedback_due[DAY_TEXT_SIZE]);

/*
 * The figures a purged case leaves (record kind 8, SECURITY.md): its state as fields, in this
 * order: year, received, category, sex, age_band, outcome, ack_day, closed_day.
 * case_state_figures fills out (CASE_STATE_FIGURES fields, pointing into st and year) and
 * returns the count; case_state_from_figures reads them back into st (readable, by name).
 */
#define CASE_STATE_FIGURES 8
size_t case_state_figures(const case_state *st, char year[5], field out[CASE_STATE_FIGURES]);
void case_state_from_figures(case_state *st, const field *f, size_t n);

#endif
