/*
 * choices.h: the fixed answers the report form offers (categories, sex, age band): the values
 * come from core (vocab.h), and this list pairs each with the catalogue messages that name and
 * explain it. The one list both the pages and the validation read.
 */
#ifndef SEA_INTAKE_CHOICES_H
#define SEA_INTAKE_CHOICES_H

#include <stddef.h>

#include "messages.h"
#include "vocab.h"

typedef struct choice {
    message_id name;
    message_id hint;    /* M_LANG_CODE when the choice has no hint */
} choice;

typedef struct choice_list {
    const vocab *values;     /* the values offered, in this order */
    const choice *items;     /* items[i] names values->values[i] */
    size_t n;                /* values->count (checked at compile time in choices.c) */
    message_id not_given;    /* the name of "", offered before the values; M_LANG_CODE: no "" */
} choice_list;

/* The contract's categories; then sex and age band, which offer "" ("not given") first. */
extern const choice_list choices_category;
extern const choice_list choices_sex;
extern const choice_list choices_age_band;

/* choices_for: the list offering the values of v, or NULL when the form offers none. */
const choice_list *choices_for(const vocab *v);

/* choices_has: 1 when value is one the list offers ("" only when it offers "not given"). */
int choices_has(const choice_list *list, const char *value);

/* choices_has_n: choices_has for the len bytes at value (not NUL-terminated; all len count). */
int choices_has_n(const choice_list *list, const char *value, size_t len);

#endif
