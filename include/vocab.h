/*
 * vocab.h: the fixed vocabularies, each defined once, here: the categories a report is filed
 * under, a case's statuses, the severities and outcomes caseworkers set, and the sex and age
 * band a reporter may give. The values are stored in sealed records and in the store and are
 * shown to people and scripts: they never change (see the contract); a new value goes at the
 * end of its list.
 *
 * Sex and age band may be left out. "Not given" is the empty string, which is not one of
 * their values: the report fields (report_fields.h) mark them optional, and whoever accepts
 * "" says so.
 *
 * Each list is an X-macro, LIST(X, SEP): X(ID, "value") for each value, in order, and SEP()
 * between two (SEP names a macro taking no arguments, so that it may produce a comma). A list
 * thus becomes an enum, an array, or one string literal at compile time:
 *
 *     VOCAB_STATUSES(VOCAB_SQL, VOCAB_SQL_SEP)         "'new'" "," "'triaged'" ... (a CHECK)
 *     VOCAB_STATUSES(VOCAB_STRING, VOCAB_LIST_SEP)     "new" ", " "triaged" ...    (a message)
 *     {VOCAB_STATUSES(VOCAB_STRING, VOCAB_COMMA)}      an initializer
 */
#ifndef SEA_VOCAB_H
#define SEA_VOCAB_H

#include <stddef.h>

/* The categories a report is filed under (the reporter's choice, corrected at triage). */
#define VOCAB_CATEGORIES(X, SEP)                                                                 \
    X(HARASSMENT, "harassment") SEP() X(SEXUAL_HARASSMENT, "sexual-harassment") SEP()            \
    X(BULLYING, "bullying") SEP() X(DISCRIMINATION, "discrimination") SEP()                      \
    X(SEXUAL_EXPLOITATION_ABUSE, "sexual-exploitation-abuse") SEP() X(OTHER, "other")

/* The statuses of a case that is not closed, in the order a case goes through them. */
#define VOCAB_OPEN_STATUSES(X, SEP)                                                              \
    X(NEW, "new") SEP() X(TRIAGED, "triaged") SEP() X(INVESTIGATING, "investigating") SEP()      \
    X(REFERRED, "referred")

/* Every status of a case: the open ones, then "closed". */
#define VOCAB_STATUSES(X, SEP) VOCAB_OPEN_STATUSES(X, SEP) SEP() X(CLOSED, "closed")

/* The severities set at triage. */
#define VOCAB_SEVERITIES(X, SEP)                                                                 \
    X(LOW, "low") SEP() X(MEDIUM, "medium") SEP() X(HIGH, "high") SEP() X(CRITICAL, "critical")

/* The outcomes a case is closed with. */
#define VOCAB_OUTCOMES(X, SEP)                                                                   \
    X(SUBSTANTIATED, "substantiated") SEP() X(UNSUBSTANTIATED, "unsubstantiated") SEP()          \
    X(REFERRED, "referred") SEP() X(WITHDRAWN, "withdrawn") SEP() X(NO_ACTION, "no-action")

/* The sex a reporter may give ("" when not given). */
#define VOCAB_SEXES(X, SEP) X(FEMALE, "female") SEP() X(MALE, "male") SEP() X(OTHER, "other")

/* The age bands a reporter may give ("" when not given). */
#define VOCAB_AGE_BANDS(X, SEP)                                                                  \
    X(UNDER_25, "under-25") SEP() X(25_34, "25-34") SEP() X(35_44, "35-44") SEP()                \
    X(45_54, "45-54") SEP() X(55_PLUS, "55-plus")

/* Element macros (X) and separators (SEP) for the lists above. */
#define VOCAB_STRING(id, value) value
#define VOCAB_SQL(id, value) "'" value "'"
#define VOCAB_COMMA() ,
#define VOCAB_LIST_SEP() ", "
#define VOCAB_SQL_SEP() ","
#define VOCAB_BAR() "|"

/* The position of each value in its list: VOCAB_CATEGORY_BULLYING, ..., VOCAB_CATEGORY_COUNT. */
#define VOCAB_ENUM_CATEGORY(id, value) VOCAB_CATEGORY_##id
#define VOCAB_ENUM_STATUS(id, value) VOCAB_STATUS_##id
#define VOCAB_ENUM_SEVERITY(id, value) VOCAB_SEVERITY_##id
#define VOCAB_ENUM_OUTCOME(id, value) VOCAB_OUTCOME_##id
#define VOCAB_ENUM_SEX(id, value) VOCAB_SEX_##id
#define VOCAB_ENUM_AGE(id, value) VOCAB_AGE_##id
enum { VOCAB_CATEGORIES(VOCAB_ENUM_CATEGORY, VOCAB_COMMA), VOCAB_CATEGORY_COUNT };
enum { VOCAB_STATUSES(VOCAB_ENUM_STATUS, VOCAB_COMMA), VOCAB_STATUS_COUNT };
enum { VOCAB_SEVERITIES(VOCAB_ENUM_SEVERITY, VOCAB_COMMA), VOCAB_SEVERITY_COUNT };
enum { VOCAB_OUTCOMES(VOCAB_ENUM_OUTCOME, VOCAB_COMMA), VOCAB_OUTCOME_COUNT };
enum { VOCAB_SEXES(VOCAB_ENUM_SEX, VOCAB_COMMA), VOCAB_SEX_COUNT };
enum { VOCAB_AGE_BANDS(VOCAB_ENUM_AGE, VOCAB_COMMA), VOCAB_AGE_COUNT };
/* The open statuses come first: VOCAB_STATUS_CLOSED of them. */
enum { VOCAB_OPEN_STATUS_COUNT = VOCAB_STATUS_CLOSED };

/* One vocabulary at run time. */
typedef struct vocab {
    const char *name;             /* what a value of it is: "category", "status"... */
    const char *const *values;    /* count values in order, then NULL */
    size_t count;
    const char *list;             /* the values for a message: "new, triaged, ..., closed" */
} vocab;

extern const vocab vocab_categories;
extern const vocab vocab_statuses;
extern const vocab vocab_severities;
extern const vocab vocab_outcomes;
extern const vocab vocab_sexes;
extern const vocab vocab_age_bands;

/* vocab_has: 1 when the NUL-terminated value is one of v's values, else 0 (also for NULL). */
int vocab_has(const vocab *v, const char *value);

/*
 * vocab_has_n: 1 when the len bytes at value (not NUL-terminated, as a decrypted field) are
 * exactly one of v's values, else 0. A prefix of a value ("harass", 6) is not that value.
 */
int vocab_has_n(const vocab *v, const char *value, size_t len);

/* vocab_index: the position of the NUL-terminated value in v (0 .. count-1), or -1 when it is
 * not one of v's values or is NULL. */
int vocab_index(const vocab *v, const char *value);

/* vocab_index_n: vocab_index for the len bytes at value (not NUL-terminated). */
int vocab_index_n(const vocab *v, const char *value, size_t len);

#endif
