/*
 * choices.h: the fixed answers the report form offers (categories, sex, age band): the value
 * sent and stored, and the catalogue messages that name and explain it. The one list both the
 * pages and the validation read.
 */
#ifndef SEA_INTAKE_CHOICES_H
#define SEA_INTAKE_CHOICES_H

#include <stddef.h>

#include "messages.h"

typedef struct choice {
    const char *value;
    message_id name;
    message_id hint;    /* M_LANG_CODE when the choice has no hint */
} choice;

typedef struct choice_list {
    const choice *items;
    size_t n;
} choice_list;

/* The contract's categories; then sex and age band, whose first value "" means "not given". */
extern const choice_list choices_category;
extern const choice_list choices_sex;
extern const choice_list choices_age_band;

/* choices_has: 1 when value is one of list's values. */
int choices_has(const choice_list *list, const char *value);

#endif
