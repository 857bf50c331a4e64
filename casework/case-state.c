/*
 * case-state.c: the one fold from records to a case's state (see case-state.h).
 */
#include "case-state.h"

#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "report_fields.h"
#include "vocab.h"
#include "workflow.h"

#define FIELD(id) (report_fields[REPORT_FIELD_##id].name)

void case_state_wipe(case_state *st)
{
    sodium_memzero(st, sizeof *st);
}

void case_state_init(case_state *st, const char *received)
{
    memset(st, 0, sizeof *st);
    snprintf(st->received, sizeof st->received, "%s", received != NULL ? received : "");
}

/* Copies a field's value into a state's text, cut to fit; an empty value changes nothing. */
static void take(char out[CASE_STATE_TEXT_MAX + 1], const field *f)
{
    size_t n = f->len < CASE_STATE_TEXT_MAX ? f->len : CASE_STATE_TEXT_MAX;

    if (n == 0)
        return;
    memcpy(out, f->value, n);
    out[n] = '\0';
}

static int is(const field *f, const char *name)
{
    return strcmp(f->name, name) == 0;
}

static void fold_report(case_state *st, const field *f, size_t n)
{
    if (st->readable)
        return;   /* only the first report counts */
    st->readable = 1;
    for (size_t i = 0; i < n; i++) {
        if (is(&f[i], FIELD(CATEGORY)) && st->category[0] == '\0')
            take(st->category, &f[i]);
        else if (is(&f[i], FIELD(SEX)))
            take(st->sex, &f[i]);
        else if (is(&f[i], FIELD(AGE_BAND)))
            take(st->age_band, &f[i]);
        else if (is(&f[i], "excluded"))
            st->restricted = 1;
    }
}

static void fold_triage(case_state *st, const char *day, const field *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (is(&f[i], "category"))
            take(st->category, &f[i]);
        else if (is(&f[i], "severity"))
            take(st->severity, &f[i]);
        else if (is(&f[i], "assignee"))
            take(st->assignee, &f[i]);
        else if (is(&f[i], "outcome"))
            take(st->outcome, &f[i]);
        else if (is(&f[i], "status") && vocab_index_n(&vocab_statuses, (const char *)f[i].value, f[i].len) == VOCAB_STATUS_CLOSED)
            snprintf(st->closed, sizeof st->closed, "%s", day);
        else if (is(&f[i], "status"))
            st->closed[0] = '\0';   /* reopened */
    }
}

void case_state_fold(case_state *st, enum envelope_kind kind, const char *day, const field *f, size_t n)
{
    switch (kind) {
    case ENVELOPE_KIND_REPORT:
        fold_report(st, f, n);
        break;
    case ENVELOPE_KIND_TRIAGE:
        fold_triage(st, day, f, n);
        break;
    case ENVELOPE_KIND_REPLY:
        if (st->acknowledged[0] == '\0')
            snprintf(st->acknowledged, sizeof st->acknowledged, "%s", day);
        break;
    default:
        break;
    }
}

/* The fields of a figures record after "year", and where each sits in a state. */
static const struct {
    const char *name;
    size_t offset, size;
} figures[] = {
    {"received", offsetof(case_state, received), DAY_TEXT_SIZE},
    {"category", offsetof(case_state, category), CASE_STATE_TEXT_MAX + 1},
    {"sex", offsetof(case_state, sex), CASE_STATE_TEXT_MAX + 1},
    {"age_band", offsetof(case_state, age_band), CASE_STATE_TEXT_MAX + 1},
    {"outcome", offsetof(case_state, outcome), CASE_STATE_TEXT_MAX + 1},
    {"ack_day", offsetof(case_state, acknowledged), DAY_TEXT_SIZE},
    {"closed_day", offsetof(case_state, closed), DAY_TEXT_SIZE},
};

size_t case_state_figures(const case_state *st, char year[5], field out[CASE_STATE_FIGURES])
{
    snprintf(year, 5, "%.4s", st->received);
    fields_set(&out[0], "year", year, strlen(year));
    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
        const char *text = (const char *)st + figures[i].offset;
        fields_set(&out[i + 1], figures[i].name, text, strlen(text));
    }
    return CASE_STATE_FIGURES;
}

void case_state_from_figures(case_state *st, const field *f, size_t n)
{
    st->readable = 1;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < sizeof figures / sizeof figures[0]; j++)
            if (strcmp(f[i].name, figures[j].name) == 0) {
                char *text = (char *)st + figures[j].offset;
                size_t len = f[i].len < figures[j].size - 1 ? f[i].len : figures[j].size - 1;
                memcpy(text, f[i].value, len);
                text[len] = '\0';
            }
}

void case_state_deadlines(const case_state *st, char ack_due[DAY_TEXT_SIZE],
                          char feedback_due[DAY_TEXT_SIZE])
{
    workflow_ack_due(st->received, ack_due);
    feedback_due[0] = '\0';
    if (st->acknowledged[0] != '\0')
        workflow_feedback_due(st->acknowledged, feedback_due);
}

int case_state_due(const case_state *st, const char *today, char due[DAY_TEXT_SIZE])
{
    char ack_due[DAY_TEXT_SIZE], feedback_due[DAY_TEXT_SIZE];

    due[0] = '\0';
    if (!st->readable || st->closed[0] != '\0')
        return 0;
    case_state_deadlines(st, ack_due, feedback_due);
    snprintf(due, DAY_TEXT_SIZE, "%s", st->acknowledged[0] != '\0' ? feedback_due : ack_due);
    return strcmp(today, due) > 0;
}
