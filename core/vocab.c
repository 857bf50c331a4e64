/*
 * vocab.c: the fixed vocabularies at run time, built from the lists in vocab.h (see there).
 */
#include "vocab.h"

#include <string.h>

/* Defines the values array and the vocab of one list. */
#define VOCAB_DEFINE(var, name_, LIST)                                                           \
    static const char *const var##_values[] = {LIST(VOCAB_STRING, VOCAB_COMMA), NULL};           \
    const vocab var = {name_, var##_values, sizeof var##_values / sizeof var##_values[0] - 1,     \
                       LIST(VOCAB_STRING, VOCAB_LIST_SEP)}

VOCAB_DEFINE(vocab_categories, "category", VOCAB_CATEGORIES);
VOCAB_DEFINE(vocab_statuses, "status", VOCAB_STATUSES);
VOCAB_DEFINE(vocab_severities, "severity", VOCAB_SEVERITIES);
VOCAB_DEFINE(vocab_outcomes, "outcome", VOCAB_OUTCOMES);
VOCAB_DEFINE(vocab_sexes, "sex", VOCAB_SEXES);
VOCAB_DEFINE(vocab_age_bands, "age band", VOCAB_AGE_BANDS);

int vocab_index_n(const vocab *v, const char *value, size_t len)
{
    if (value == NULL)
        return -1;
    for (size_t i = 0; i < v->count; i++)
        if (strlen(v->values[i]) == len && memcmp(v->values[i], value, len) == 0)
            return (int)i;
    return -1;
}

int vocab_index(const vocab *v, const char *value)
{
    return value != NULL ? vocab_index_n(v, value, strlen(value)) : -1;
}

int vocab_has_n(const vocab *v, const char *value, size_t len)
{
    return vocab_index_n(v, value, len) >= 0;
}

int vocab_has(const vocab *v, const char *value)
{
    return vocab_index(v, value) >= 0;
}
