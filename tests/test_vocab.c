/*
 * test_vocab.c: the fixed vocabularies (vocab.h) and the report fields (report_fields.h): the
 * values are the contract's, spelled out here independently; lookups take whole values only,
 * length-delimited ones included; the store's status CHECK is still the text migration 1 was
 * released with and refuses a status outside the vocabulary; and the intake's choice lists and
 * the statistics' dimensions and words line up with the vocabularies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/store_schema.h"
#include "choices.h"
#include "report_fields.h"
#include "stats.h"
#include "store.h"
#include "test_support.h"
#include "vocab.h"

/* The released text of migration 1's status CHECK: never to change. */
#define RELEASED_STATUS_CHECK "CHECK (status IN ('new','triaged','investigating','referred','closed'))"

static void assert_values(const vocab *v, const char *const *expected, size_t n, const char *list)
{
    assert_int_equal(v->count, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(v->values[i], expected[i]);
        assert_int_equal(vocab_index(v, expected[i]), (int)i);
        assert_true(vocab_has(v, expected[i]));
    }
    assert_null(v->values[n]);
    assert_string_equal(v->list, list);
}

static void test_the_values_are_the_contracts(void **state)
{
    (void)state;
    assert_values(&vocab_categories,
                  (const char *const[]){"harassment", "sexual-harassment", "bullying", "discrimination",
                                        "sexual-exploitation-abuse", "other"},
                  6, "harassment, sexual-harassment, bullying, discrimination, sexual-exploitation-abuse, other");
    assert_values(&vocab_statuses,
                  (const char *const[]){"new", "triaged", "investigating", "referred", "closed"}, 5,
                  "new, triaged, investigating, referred, closed");
    assert_values(&vocab_severities, (const char *const[]){"low", "medium", "high", "critical"}, 4,
                  "low, medium, high, critical");
    assert_values(&vocab_outcomes,
                  (const char *const[]){"substantiated", "unsubstantiated", "referred", "withdrawn", "no-action"},
                  5, "substantiated, unsubstantiated, referred, withdrawn, no-action");
    assert_values(&vocab_sexes, (const char *const[]){"female", "male", "other"}, 3, "female, male, other");
    assert_values(&vocab_age_bands, (const char *const[]){"under-25", "25-34", "35-44", "45-54", "55-plus"}, 5,
                  "under-25, 25-34, 35-44, 45-54, 55-plus");
    assert_int_equal(VOCAB_OPEN_STATUS_COUNT, 4);
    assert_int_equal(VOCAB_STATUS_CLOSED, vocab_index(&vocab_statuses, "closed"));
    assert_int_equal(VOCAB_CATEGORY_SEXUAL_EXPLOITATION_ABUSE, vocab_index(&vocab_categories, "sexual-exploitation-abuse"));
    assert_int_equal(VOCAB_AGE_55_PLUS, vocab_index(&vocab_age_bands, "55-plus"));
}

static void test_has_takes_whole_values_only(void **state)
{
    (void)state;
    assert_false(vocab_has(&vocab_categories, ""));
    assert_false(vocab_has(&vocab_categories, NULL));
    assert_false(vocab_has(&vocab_categories, "harass"));
    assert_false(vocab_has(&vocab_categories, "harassment "));
    assert_false(vocab_has(&vocab_categories, "Harassment"));
    assert_false(vocab_has(&vocab_categories, "low"));
    assert_false(vocab_has(&vocab_sexes, ""));    /* "not given" is no value */
    assert_int_equal(vocab_index(&vocab_statuses, "paused"), -1);
    assert_int_equal(vocab_index(&vocab_statuses, NULL), -1);
}

static void test_has_n_takes_exactly_len_bytes(void **state)
{
    static const char buf[] = "harassment-and-more";

    (void)state;
    /* A prefix of a real value is not that value. */
    assert_false(vocab_has_n(&vocab_categories, "harass", 6));
    assert_false(vocab_has_n(&vocab_categories, buf, 6));
    /* The first len bytes of a longer buffer are a value when they spell one. */
    assert_true(vocab_has_n(&vocab_categories, buf, 10));
    assert_int_equal(vocab_index_n(&vocab_categories, buf, 10), VOCAB_CATEGORY_HARASSMENT);
    /* A NUL inside the bytes counts: "other\0x" is not "other". */
    assert_false(vocab_has_n(&vocab_categories, "other\0x", 7));
    assert_true(vocab_has_n(&vocab_categories, "other\0x", 5));
    assert_false(vocab_has_n(&vocab_categories, "", 0));
    assert_false(vocab_has_n(&vocab_categories, NULL, 0));
    assert_false(vocab_has_n(&vocab_outcomes, "no-actions", 10));
    assert_true(vocab_has_n(&vocab_outcomes, "no-actions", 9));
}

static void test_migration_1_keeps_its_released_status_check(void **state)
{
    const char *m1 = store_schema_migration(1);
    const char *at = strstr(m1, RELEASED_STATUS_CHECK);
    char dir[PATH_MAX], path[PATH_MAX], err[300];
    sqlite3_stmt *st;
    sqlite3 *db;
    store *s;

    (void)state;
    assert_non_null(at);
    assert_null(strstr(at + 1, "CHECK (status IN"));
    /* What a database the store made holds is the same text. */
    ts_tmpdir(dir);
    assert_int_equal(store_open(ts_path(path, dir, "reports.db"), &s, err, sizeof err), 0);
    store_close(s);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE name = 'cases'", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_non_null(strstr((const char *)sqlite3_column_text(st, 0), RELEASED_STATUS_CHECK));
    sqlite3_finalize(st);
    sqlite3_close(db);
    ts_rmtree(dir);
}

/* Sets a case's status in SQL, past the store: SQLITE_DONE or the extended error code. */
static int set_status(sqlite3 *db, int64_t id, const char *status)
{
    sqlite3_stmt *st;
    int rc;

    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE cases SET status = ? WHERE id = ?", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        rc = sqlite3_extended_errcode(db);
    sqlite3_finalize(st);
    return rc;
}

static void test_the_store_refuses_a_status_outside_the_vocabulary(void **state)
{
    unsigned char lookup[32] = {1}, pk[32] = {2};
    char dir[PATH_MAX], path[PATH_MAX], err[300];
    store_case c;
    sqlite3 *db;
    store *s;

    (void)state;
    ts_tmpdir(dir);
    assert_int_equal(store_open(ts_path(path, dir, "reports.db"), &s, err, sizeof err), 0);
    assert_int_equal(store_case_insert(s, NULL, lookup, pk, &c, err, sizeof err), 0);
    assert_string_equal(c.status, "new");
    store_close(s);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    for (size_t i = 0; i < vocab_statuses.count; i++)
        assert_int_equal(set_status(db, c.id, vocab_statuses.values[i]), SQLITE_DONE);
    assert_int_equal(set_status(db, c.id, "archived"), SQLITE_CONSTRAINT_CHECK);
    assert_int_equal(set_status(db, c.id, "Closed"), SQLITE_CONSTRAINT_CHECK);
    assert_int_equal(set_status(db, c.id, ""), SQLITE_CONSTRAINT_CHECK);
    sqlite3_close(db);
    ts_rmtree(dir);
}

static void test_the_report_fields_are_the_contracts(void **state)
{
    static const char *const names[] = {"category", "description", "when", "where", "people", "witnesses",
                                        "sex", "age_band", "contact", "language"};

    (void)state;
    assert_int_equal(REPORT_FIELD_COUNT, sizeof names / sizeof names[0]);
    for (size_t i = 0; i < REPORT_FIELD_COUNT; i++) {
        assert_string_equal(report_fields[i].name, names[i]);
        assert_ptr_equal(report_field_find(names[i]), &report_fields[i]);
        assert_non_null(report_fields[i].label);
    }
    assert_null(report_field_find("csrf"));
    assert_null(report_field_find(NULL));
    assert_string_equal(report_fields[REPORT_FIELD_DESCRIPTION].label, "What happened");
    assert_int_equal(report_fields[REPORT_FIELD_DESCRIPTION].max, 64 * 1024);
    assert_true(report_fields[REPORT_FIELD_DESCRIPTION].required);
    assert_true(report_fields[REPORT_FIELD_CATEGORY].required);
    assert_ptr_equal(report_fields[REPORT_FIELD_CATEGORY].choices, &vocab_categories);
    assert_ptr_equal(report_fields[REPORT_FIELD_SEX].choices, &vocab_sexes);
    assert_ptr_equal(report_fields[REPORT_FIELD_AGE_BAND].choices, &vocab_age_bands);
    assert_false(report_fields[REPORT_FIELD_SEX].required);
    assert_false(report_fields[REPORT_FIELD_AGE_BAND].required);
    assert_int_equal(report_fields[REPORT_FIELD_LANGUAGE].max, 0);    /* set by the intake */
    /* Every choice fits what the intake accepts for its field. */
    for (size_t i = 0; i < REPORT_FIELD_COUNT; i++)
        for (size_t k = 0; report_fields[i].choices != NULL && k < report_fields[i].choices->count; k++)
            assert_true(strlen(report_fields[i].choices->values[k]) <= report_fields[i].max);
}

static void test_the_intake_offers_each_vocabulary_with_words(void **state)
{
    (void)state;
    for (size_t i = 0; i < REPORT_FIELD_COUNT; i++) {
        const report_field *rf = &report_fields[i];
        const choice_list *list = rf->choices != NULL ? choices_for(rf->choices) : NULL;
        if (rf->choices == NULL)
            continue;
        assert_non_null(list);
        assert_ptr_equal(list->values, rf->choices);
        assert_int_equal(list->n, rf->choices->count);
        /* An optional choice offers "not given" first; a required one does not. */
        assert_int_equal(list->not_given != M_LANG_CODE, !rf->required);
        assert_int_equal(choices_has(list, ""), !rf->required);
        for (size_t k = 0; k < list->n; k++) {
            /* A gap in the designated initializers would leave M_LANG_CODE (0) here. */
            assert_int_not_equal(list->items[k].name, M_LANG_CODE);
            for (size_t j = 0; j < k; j++)
                assert_int_not_equal(list->items[k].name, list->items[j].name);
            assert_true(msg(LANG_EN, list->items[k].name)[0] != '\0');
            assert_true(msg(LANG_FR, list->items[k].name)[0] != '\0');
            assert_true(choices_has(list, rf->choices->values[k]));
        }
        assert_false(choices_has(list, "bogus"));
    }
    assert_int_equal(msg(LANG_EN, choices_category.items[VOCAB_CATEGORY_BULLYING].name)[0], 'B');
    assert_false(choices_has_n(&choices_category, "other\0x", 7));
    assert_true(choices_has_n(&choices_category, "other\0x", 5));
    assert_false(choices_has_n(&choices_category, "", 0));
    assert_true(choices_has_n(&choices_sex, "", 0));
    assert_null(choices_for(&vocab_statuses));
}

static size_t count_of(const char *const *names)
{
    size_t n = 0;

    while (names[n] != NULL)
        n++;
    return n;
}

/* names is the vocabulary v in order, then "" when not_given, then NULL. */
static void assert_dimension(const char *const *names, const char *const *values, size_t n, int not_given)
{
    assert_int_equal(count_of(names), n + (size_t)not_given);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(names[i], values[i]);
    if (not_given)
        assert_string_equal(names[n], "");
    for (size_t i = 0; i < count_of(names); i++)
        for (int fr = 0; fr <= 1; fr++) {
            const char *words = stats_value_label(names, i, fr);
            assert_non_null(words);
            assert_true(words[0] != '\0');
        }
    assert_null(stats_value_label(names, count_of(names), 0));
}

static void test_the_statistics_count_each_vocabulary_with_words(void **state)
{
    static const char *const not_listed[] = {"harassment", NULL};

    (void)state;
    assert_dimension(stats_categories, vocab_categories.values, vocab_categories.count, 0);
    assert_dimension(stats_sexes, vocab_sexes.values, vocab_sexes.count, 1);
    assert_dimension(stats_age_bands, vocab_age_bands.values, vocab_age_bands.count, 1);
    assert_dimension(stats_outcomes, vocab_outcomes.values, vocab_outcomes.count, 0);
    assert_dimension(stats_open_statuses, vocab_statuses.values, VOCAB_OPEN_STATUS_COUNT, 0);
    assert_dimension(stats_open_ages, stats_open_ages, count_of(stats_open_ages), 0);
    /* Words by position, in both languages. */
    assert_string_equal(stats_value_label(stats_categories, VOCAB_CATEGORY_BULLYING, 0), "Bullying");
    assert_string_equal(stats_value_label(stats_categories, VOCAB_CATEGORY_SEXUAL_HARASSMENT, 1), "Harcèlement sexuel");
    assert_string_equal(stats_value_label(stats_sexes, VOCAB_SEX_COUNT, 0), "Not given");
    assert_string_equal(stats_value_label(stats_age_bands, VOCAB_AGE_UNDER_25, 1), "Moins de 25 ans");
    assert_string_equal(stats_value_label(stats_outcomes, VOCAB_OUTCOME_NO_ACTION, 0), "No action");
    assert_string_equal(stats_value_label(stats_open_statuses, VOCAB_STATUS_INVESTIGATING, 0), "Investigating");
    assert_null(stats_value_label(not_listed, 0, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_values_are_the_contracts),
        cmocka_unit_test(test_has_takes_whole_values_only),
        cmocka_unit_test(test_has_n_takes_exactly_len_bytes),
        cmocka_unit_test(test_migration_1_keeps_its_released_status_check),
        cmocka_unit_test(test_the_store_refuses_a_status_outside_the_vocabulary),
        cmocka_unit_test(test_the_report_fields_are_the_contracts),
        cmocka_unit_test(test_the_intake_offers_each_vocabulary_with_words),
        cmocka_unit_test(test_the_statistics_count_each_vocabulary_with_words),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
