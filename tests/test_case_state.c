/*
 * test_case_state.c: the one fold from a case's records to its state (casework/case-state.h):
 * triage changed twice, a reply before triage, closing twice, reopening, a share, a restricted
 * case, and the deadline rule that list, show and stats read from it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "case-state.h"

/* Folds one record given as "name", "value" pairs ending with NULL. */
static void fold(case_state *st, enum envelope_kind kind, const char *day, ...)
{
    field f[16];
    size_t n = 0;
    const char *name;
    va_list ap;

    va_start(ap, day);
    while ((name = va_arg(ap, const char *)) != NULL) {
        const char *value = va_arg(ap, const char *);
        fields_set(&f[n++], name, value, strlen(value));
    }
    va_end(ap);
    case_state_fold(st, kind, day, f, n);
}

static void report(case_state *st, const char *category)
{
    fold(st, ENVELOPE_KIND_REPORT, "2026-03-02", "category", category, "description", "what happened",
         "sex", "female", "age_band", "25-34", NULL);
}

static void test_the_report_gives_the_first_state(void **state)
{
    case_state st;
    char due[DAY_TEXT_SIZE];

    (void)state;
    case_state_init(&st, "2026-03-02");
    assert_false(st.readable);
    report(&st, "bullying");
    assert_true(st.readable);
    assert_false(st.restricted);
    assert_string_equal(st.category, "bullying");
    assert_string_equal(st.sex, "female");
    assert_string_equal(st.age_band, "25-34");
    assert_string_equal(st.severity, "");
    assert_string_equal(st.assignee, "");
    assert_string_equal(st.closed, "");
    assert_int_equal(case_state_due(&st, "2026-03-09", due), 0);
    assert_string_equal(due, "2026-03-09");
    assert_int_equal(case_state_due(&st, "2026-03-10", due), 1);
}

static void test_triage_changed_twice_keeps_the_latest(void **state)
{
    case_state st;

    (void)state;
    case_state_init(&st, "2026-03-02");
    report(&st, "other");
    fold(&st, ENVELOPE_KIND_TRIAGE, "2026-03-03", "action", "triage", "category", "harassment",
         "severity", "low", "by", "Alice", NULL);
    fold(&st, ENVELOPE_KIND_TRIAGE, "2026-03-04", "action", "assign", "assignee", "Bob Ng", NULL);
    fold(&st, ENVELOPE_KIND_TRIAGE, "2026-03-05", "action", "triage", "category", "sexual-harassment",
         "severity", "critical", NULL);
    assert_string_equal(st.category, "sexual-harassment");
    assert_string_equal(st.severity, "critical");
    assert_string_equal(st.assignee, "Bob Ng");   /* a later triage without one keeps it */
}

static void test_a_reply_before_triage_acknowledges_and_the_first_reply_counts(void **state)
{
    case_state st;
    char due[DAY_TEXT_SIZE], ack[DAY_TEXT_SIZE], feedback[DAY_TEXT_SIZE];

    (void)state;
    case_state_init(&st, "2026-03-02");
    report(&st, "bullying");
    fold(&st, ENVELOPE_KIND_REPLY, "2026-03-04", "text", "We have it", "by", "Alice", NULL);
    fold(&st, ENVELOPE_KIND_TRIAGE, "2026-03-05", "action", "triage", "category", "bullying", "severity", "high", NULL);
    fold(&st, ENVELOPE_KIND_REPLY, "2026-03-20", "text", "More", "by", "Alice", NULL);
    assert_string_equal(st.acknowledged, "2026-03-04");
    assert_string_equal(st.severity, "high");
    case_state_deadlines(&st, ack, feedback);
    assert_string_equal(ack, "2026-03-09");
    assert_string_equal(feedback, "2026-06-04");
    /* Once acknowledged, what is due next is the feedback. */
    assert_int_equal(case_state_due(&st, "2026-03-30", due), 0);
    assert_string_equal(due, "2026-06-04");
    assert_int_equal(case_state_due(&st, "2026-06-05", due), 1);
}

static void test_closing_twice_counts_the_last_and_reopening_clears_it(void **state)
{
    case_state st;
    char due[DAY_TEXT_SIZE];

    (void)state;
    case_state_init(&st, "2026-03-02");
    report(&st, "bullying");
    fold(&st, ENVELOPE_KIND_TRIAGE, "2026-04-01", "action", "close", "status", "closed", "outcome", "withdrawn", NULL);
    assert_string_equal(st.closed, "2026-04-01");
    assert_string_equal(st.outcome, "withdrawn");
    assert_int_equal(case_state_due(&st, "2027-01-01", due), 0);   /* nothing is due on a closed case */
    assert_string_equal(due, "");
    fold(&st, ENVELOPE_KIND_TRIAGE, "2026-04-10", "action", "status", "status", "investigating", "reason", "new facts", NULL);
    assert_string_equal(st.closed, "");
    assert_int_equal(case_state_due(&st, "2027-01-01", due), 1);
    fold(&st, ENVELOPE_KIND_TRIAGE, "2026-05-01", "action", "close", "status", "closed", "outcome", "substantiated", NULL);
    assert_string_equal(st.closed, "2026-05-01");
    assert_string_equal(st.outcome, "substantiated");
}

static void test_a_share_a_note_and_a_follow_up_change_nothing(void **state)
{
    case_state before, st;

    (void)state;
    case_state_init(&st, "2026-03-02");
    report(&st, "bullying");
    fold(&st, ENVELOPE_KIND_TRIAGE, "2026-03-03", "action", "triage", "category", "bullying", "severity", "low", NULL);
    before = st;
    fold(&st, ENVELOPE_KIND_SHARE, "2026-03-04", "name", "Carol Diaz", "key_id", "0011223344556677",
         "category", "other", NULL);
    fold(&st, ENVELOPE_KIND_NOTE, "2026-03-04", "text", "status=closed", "status", "closed", NULL);
    fold(&st, ENVELOPE_KIND_FOLLOWUP, "2026-03-05", "text", "more", NULL);
    assert_memory_equal(&before, &st, sizeof st);
}

static void test_a_restricted_case_and_only_the_first_report_counts(void **state)
{
    case_state st;

    (void)state;
    case_state_init(&st, "2026-03-02");
    fold(&st, ENVELOPE_KIND_REPORT, "2026-03-02", "category", "sexual-exploitation-abuse",
         "excluded", "0011223344556677", NULL);
    assert_true(st.restricted);
    fold(&st, ENVELOPE_KIND_REPORT, "2026-03-02", "category", "other", NULL);
    assert_string_equal(st.category, "sexual-exploitation-abuse");
}

static void test_long_values_are_cut_and_empty_ones_change_nothing(void **state)
{
    char long_name[200];
    case_state st;

    (void)state;
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    case_state_init(&st, "2026-03-02");
    report(&st, "bullying");
    fold(&st, ENVELOPE_KIND_TRIAGE, "2026-03-03", "assignee", long_name, "severity", "", NULL);
    assert_int_equal(strlen(st.assignee), CASE_STATE_TEXT_MAX);
    assert_string_equal(st.severity, "");
    fold(&st, ENVELOPE_KIND_TRIAGE, "2026-03-04", "severity", "low", NULL);
    fold(&st, ENVELOPE_KIND_TRIAGE, "2026-03-05", "severity", "", NULL);
    assert_string_equal(st.severity, "low");
}

static void test_figures_carry_the_state_of_a_purged_case(void **state)
{
    case_state st, back;
    char year[5];
    field f[CASE_STATE_FIGURES];
    size_t n;

    (void)state;
    case_state_init(&st, "2026-03-02");
    report(&st, "bullying");
    fold(&st, ENVELOPE_KIND_REPLY, "2026-03-04", "text", "seen", NULL);
    fold(&st, ENVELOPE_KIND_TRIAGE, "2026-04-01", "status", "closed", "outcome", "withdrawn", NULL);
    n = case_state_figures(&st, year, f);
    assert_int_equal(n, CASE_STATE_FIGURES);
    assert_string_equal(f[0].name, "year");
    assert_memory_equal(f[0].value, "2026", 4);
    case_state_init(&back, "");
    case_state_from_figures(&back, f, n);
    assert_true(back.readable);
    assert_string_equal(back.received, "2026-03-02");
    assert_string_equal(back.category, "bullying");
    assert_string_equal(back.sex, "female");
    assert_string_equal(back.age_band, "25-34");
    assert_string_equal(back.outcome, "withdrawn");
    assert_string_equal(back.acknowledged, "2026-03-04");
    assert_string_equal(back.closed, "2026-04-01");
    assert_string_equal(back.severity, "");   /* not among the figures */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_report_gives_the_first_state),
        cmocka_unit_test(test_triage_changed_twice_keeps_the_latest),
        cmocka_unit_test(test_a_reply_before_triage_acknowledges_and_the_first_reply_counts),
        cmocka_unit_test(test_closing_twice_counts_the_last_and_reopening_clears_it),
        cmocka_unit_test(test_a_share_a_note_and_a_follow_up_change_nothing),
        cmocka_unit_test(test_a_restricted_case_and_only_the_first_report_counts),
        cmocka_unit_test(test_long_values_are_cut_and_empty_ones_change_nothing),
        cmocka_unit_test(test_figures_carry_the_state_of_a_purged_case),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
