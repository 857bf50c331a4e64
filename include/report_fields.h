/*
 * report_fields.h: the fields of a report, in one table that the intake (form, checks, sealing,
 * pages) and casework (show) read: each field's name in the form and in the sealed report (these
 * never change: see the contract), what casework calls it, the most bytes the intake accepts,
 * whether a report needs it, and for a choice the vocabulary of its values (vocab.h). An
 * optional field left empty, a choice included, is "not given" and is not stored.
 */
#ifndef SEA_REPORT_FIELDS_H
#define SEA_REPORT_FIELDS_H

#include <stddef.h>

#include "vocab.h"

/* The fields in the order the form asks for them and casework shows them. */
enum {
    REPORT_FIELD_CATEGORY,
    REPORT_FIELD_DESCRIPTION,
    REPORT_FIELD_WHEN,
    REPORT_FIELD_WHERE,
    REPORT_FIELD_PEOPLE,
    REPORT_FIELD_WITNESSES,
    REPORT_FIELD_SEX,
    REPORT_FIELD_AGE_BAND,
    REPORT_FIELD_CONTACT,
    REPORT_FIELD_LANGUAGE,
    REPORT_FIELD_COUNT
};

typedef struct report_field {
    const char *name;       /* in the form and in the sealed report: "description" */
    const char *label;      /* in casework show: "What happened" */
    size_t max;             /* the most bytes the intake accepts; 0: not asked (the intake sets it) */
    int required;           /* 1: a report must have it; 0: optional, "" meaning not given */
    const vocab *choices;   /* a choice: its values; NULL: free text */
} report_field;

extern const report_field report_fields[REPORT_FIELD_COUNT];

/* report_field_find: the field called name, or NULL (also for NULL). */
const report_field *report_field_find(const char *name);

#endif
