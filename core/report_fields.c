/*
 * report_fields.c: the table of a report's fields (see report_fields.h).
 */
#include "report_fields.h"

#include <string.h>

const report_field report_fields[REPORT_FIELD_COUNT] = {
    [REPORT_FIELD_CATEGORY] = {"category", "Category", 64, 1, &vocab_categories},
    [REPORT_FIELD_DESCRIPTION] = {"description", "What happened", 64 * 1024, 1, NULL},
    [REPORT_FIELD_WHEN] = {"when", "When", 4096, 0, NULL},
    [REPORT_FIELD_WHERE] = {"where", "Where", 4096, 0, NULL},
    [REPORT_FIELD_PEOPLE] = {"people", "Who was involved", 4096, 0, NULL},
    [REPORT_FIELD_WITNESSES] = {"witnesses", "Witnesses", 4096, 0, NULL},
    [REPORT_FIELD_SEX] = {"sex", "Sex", 32, 0, &vocab_sexes},
    [REPORT_FIELD_AGE_BAND] = {"age_band", "Age", 32, 0, &vocab_age_bands},
    [REPORT_FIELD_CONTACT] = {"contact", "Contact", 1024, 0, NULL},
    /* The language of the pages the report was made on ("en", "fr"), set by the intake. */
    [REPORT_FIELD_LANGUAGE] = {"language", "Language", 0, 1, NULL},
};

const report_field *report_field_find(const char *name)
{
    for (size_t i = 0; name != NULL && i < REPORT_FIELD_COUNT; i++)
        if (strcmp(report_fields[i].name, name) == 0)
            return &report_fields[i];
    return NULL;
}
