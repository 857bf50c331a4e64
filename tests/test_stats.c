/*
 * test_stats.c: the annual figures on fixed data sets: every count, the suppression rules (every
 * cell below k suppressed; every row, column and margin line with none or at least two
 * suppressed entries, so no suppressed value follows from the totals; shared margins suppressed
 * alike), timing medians and percentiles, shares, and the JSON shape.
 */
#define _GNU_SOURCE 1   /* open_memstream */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "stats.h"

#define MAXC 400
static stats_case cases[MAXC];
static char days[MAXC][3][11];
static size_t ncases;

static void add(const char *received, const char *category, const char *sex, const char *age,
                const char *status, const char *outcome, const char *ack, const char *closed, int times)
{
    for (int i = 0; i < times; i++) {
        assert_true(ncases < MAXC);
        snprintf(days[ncases][0], 11, "%.10s", received);
        snprintf(days[ncases][1], 11, "%.10s", ack);
        snprintf(days[ncases][2], 11, "%.10s", closed);
        cases[ncases] = (stats_case){days[ncases][0], category, sex, age, status, outcome,
                                     days[ncases][1], days[ncases][2]};
        ncases++;
    }
}

/* Allocation failure (linked with -Wl,--wrap=calloc): when calloc_fails_at is n > 0, the n-th
 * calloc from then on returns NULL. */
static int calloc_fails_at;

void *__real_calloc(size_t n, size_t size);
void *__wrap_calloc(size_t n, size_t size);

void *__wrap_calloc(size_t n, size_t size)
{
    if (calloc_fails_at > 0 && --calloc_fails_at == 0)
        return NULL;
    return __real_calloc(n, size);
}

static int reset(void **state)
{
    (void)state;
    ncases = 0;
    return 0;
}

/* Checks the line rule on every line of t, and that every entry below k is suppressed. */
static void check_protected(const stats_table *t, int k)
{
    for (size_t r = 0; r < t->rows; r++) {
        int n = 0;
        for (size_t c = 0; c < t->cols; c++) {
            if (t->cell[r][c] < k)
                assert_true(t->sup_cell[r][c]);
            n += t->sup_cell[r][c];
        }
        if (t->row_total[r] < k)
            assert_true(t->sup_row[r]);
        if (t->cols > 1) {
            n += t->sup_row[r];
            if (n == 1)
                fail_msg("%s: row %zu has exactly one suppressed entry", t->id, r);
        }
    }
    for (size_t c = 0; c < t->cols; c++) {
        int n = t->sup_col[c];
        for (size_t r = 0; r < t->rows; r++)
            n += t->sup_cell[r][c];
        if (n == 1)
            fail_msg("%s: column %zu has exactly one suppressed entry", t->id, c);
        if (t->col_total[c] < k)
            assert_true(t->sup_col[c]);
    }
    {
        int n = t->sup_total;
        for (size_t r = 0; r < t->rows; r++)
            n += t->sup_row[r];
        if (n == 1)
            fail_msg("%s: the row totals have exactly one suppressed entry", t->id);
        n = t->sup_total;
        for (size_t c = 0; c < t->cols; c++)
            n += t->cols > 1 ? t->sup_col[c] : 0;
        if (t->cols > 1 && n == 1)
            fail_msg("%s: the column totals have exactly one suppressed entry", t->id);
    }
    if (t->total < k)
        assert_true(t->sup_total);
}

/* 1 when every suppressed entry of a two-way table lies on a cycle of suppressed entries. */
static int no_bridges(const stats_table *t)
{
    size_t R = t->rows + 1, C = t->cols + 1;
#define SUP(r, c) ((r) < t->rows && (c) < t->cols ? t->sup_cell[r][c] : (r) < t->rows ? t->sup_row[r] \
                   : (c) < t->cols ? t->sup_col[c] : t->sup_total)
    for (size_t r = 0; r < R; r++)
        for (size_t c = 0; c < C; c++) {
            unsigned char rows[STATS_MAX_ROWS + 1] = {0}, cols[STATS_MAX_COLS + 1] = {0};
            int grew = 1;
            if (!SUP(r, c))
                continue;
            rows[r] = 1;
            while (grew) {   /* everything reachable from row r without the entry (r, c) */
                grew = 0;
                for (size_t x = 0; x < R; x++)
                    for (size_t y = 0; y < C; y++)
                        if (!(x == r && y == c) && SUP(x, y) && rows[x] != cols[y]) {
                            rows[x] = cols[y] = 1;
                            grew = 1;
                        }
            }
            if (!cols[c])
                return 0;
        }
#undef SUP
    return 1;
}

static void test_a_cell_joining_two_groups_is_not_left_worked_out(void **state)
{
    stats_report r;
    static const int counts[6][4] = {{1, 1, 1, 10}, {1, 1, 10, 10}, {10, 10, 1, 1},
                                     {10, 10, 1, 1}, {10, 10, 10, 10}, {10, 10, 10, 10}};

    (void)state;
    for (int cat = 0; cat < 6; cat++)
        for (int sex = 0; sex < 4; sex++)
            add("2026-05-01", stats_categories[cat], stats_sexes[sex], "", "new", "", "", "", counts[cat][sex]);
    assert_int_equal(stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-06-01", 5, &r), 0);
    check_protected(&r.category_by_sex, 5);
    /* harassment / not given (1) could be worked out from the totals unless it lies on a cycle */
    assert_true(r.category_by_sex.sup_cell[0][3] || r.category_by_sex.cell[0][3] >= 5);
    assert_true(no_bridges(&r.category_by_sex));
    assert_true(no_bridges(&r.category_by_age_band));
}

static void test_counts_margins_and_known_cells(void **state)
{
    stats_report r;

    (void)state;
    add("2026-03-01", "harassment", "female", "25-34", "new", "", "", "", 7);
    add("2026-03-02", "harassment", "male", "25-34", "new", "", "", "", 6);
    add("2026-03-03", "bullying", "female", "35-44", "new", "", "", "", 9);
    add("2026-03-04", "bullying", "", "", "new", "", "", "", 2);
    add("2025-12-31", "bullying", "female", "35-44", "new", "", "", "", 50);   /* outside the year */
    assert_int_equal(stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-06-01", 5, &r), 0);
    assert_int_equal(r.category_by_sex.total, 24);
    assert_int_equal(r.category_by_sex.cell[0][0], 7);
    assert_false(r.category_by_sex.sup_cell[0][0]);
    assert_int_equal(r.category_by_sex.cell[0][1], 6);
    assert_int_equal(r.category_by_sex.row_total[2], 11);   /* bullying */
    assert_int_equal(r.category_by_sex.cell[2][3], 2);       /* bullying, not given */
    assert_true(r.category_by_sex.sup_cell[2][3]);
    assert_int_equal(r.category_by_sex.col_total[0], 16);    /* female */
    assert_int_equal(r.category_by_age_band.col_total[1], 13);  /* 25-34 */
    check_protected(&r.category_by_sex, 5);
    check_protected(&r.category_by_age_band, 5);
    for (size_t i = 0; i < r.category_by_sex.rows; i++)
        assert_int_equal(r.category_by_sex.sup_row[i], r.category_by_age_band.sup_row[i]);
}

static void test_a_lone_small_cell_gets_a_companion(void **state)
{
    stats_table t;
    static const char *const rows[] = {"a", "b", NULL};
    static const char *const cols[] = {"x", "y", NULL};

    (void)state;
    memset(&t, 0, sizeof t);
    t.id = "t";
    t.rows = t.cols = 2;
    t.row_names = rows;
    t.col_names = cols;
    /* a,x = 2 is small; without more suppression, 2 = row a total - a,y. */
    t.cell[0][0] = 2; t.cell[0][1] = 20; t.cell[1][0] = 30; t.cell[1][1] = 40;
    t.row_total[0] = 22; t.row_total[1] = 70; t.col_total[0] = 32; t.col_total[1] = 60; t.total = 92;
    stats_suppress_table(&t, 5);
    assert_true(t.sup_cell[0][0]);
    assert_true(t.sup_cell[0][1] || t.sup_row[0]);
    assert_true(t.sup_cell[1][0] || t.sup_col[0]);
    check_protected(&t, 5);
    assert_false(t.sup_total);
}

static void test_random_tables_always_satisfy_the_line_rule(void **state)
{
    static const char *const rows[] = {"a", "b", "c", "d", "e", NULL};
    static const char *const cols[] = {"u", "v", "w", "x", NULL};

    (void)state;
    srand(4242);
    for (int round = 0; round < 2000; round++) {
        stats_table t;
        int k = 3 + round % 5;
        memset(&t, 0, sizeof t);
        t.id = "random";
        t.rows = 2 + (size_t)(rand() % 4);
        t.cols = (size_t)(round % 3 == 0 ? 1 : 2 + rand() % 3);
        t.row_names = rows;
        t.col_names = cols;
        for (size_t r = 0; r < t.rows; r++)
            for (size_t c = 0; c < t.cols; c++) {
                long v = rand() % 3 == 0 ? rand() % k : rand() % 40;
                t.cell[r][c] = v;
                t.row_total[r] += v;
                t.col_total[c] += v;
                t.total += v;
            }
        stats_suppress_table(&t, k);
        check_protected(&t, k);
        if (t.cols > 1 && !no_bridges(&t))
            fail_msg("round %d: a suppressed entry is a bridge (it could be worked out)", round);
    }
}

static void test_k_is_never_below_three(void **state)
{
    stats_report r;

    (void)state;
    add("2026-02-01", "other", "male", "55-plus", "new", "", "", "", 2);
    assert_int_equal(stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-06-01", 1, &r), 0);
    assert_int_equal(r.k, 3);
    assert_true(r.category_by_sex.sup_cell[5][1]);
    assert_true(r.category_by_sex.sup_total);
}

static void test_open_and_closed_totals_cannot_reveal_each_other(void **state)
{
    stats_report r;

    (void)state;
    add("2026-01-10", "harassment", "female", "25-34", "new", "", "", "", 20);
    add("2026-01-10", "harassment", "female", "25-34", "closed", "substantiated", "2026-01-12", "2026-02-01", 2);
    assert_int_equal(stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-06-01", 5, &r), 0);
    /* 22 cases, 2 closed (suppressed): the open total (20) must not be shown beside the grand total. */
    assert_int_equal(r.outcomes.total, 2);
    assert_true(r.outcomes.sup_total);
    assert_true(r.category_by_sex.sup_total + r.open_by_status.sup_total >= 1);
    check_protected(&r.outcomes, 5);
    check_protected(&r.open_by_status, 5);
    check_protected(&r.open_by_age, 5);
    assert_int_equal(r.open_by_status.sup_total, r.open_by_age.sup_total);
}

static void test_timing_and_shares(void **state)
{
    stats_report r;

    (void)state;
    /* acknowledgement after 1..10 days; closure 30 days after arrival for the first six */
    for (int d = 1; d <= 10; d++) {
        char ack[32], closed[32];
        snprintf(ack, sizeof ack, "2026-04-%02d", 1 + d);
        snprintf(closed, sizeof closed, d <= 6 ? "2026-05-01" : "");
        add("2026-04-01", "bullying", "male", "45-54", d <= 6 ? "closed" : "investigating",
            d <= 6 ? "no-action" : "", ack, closed, 1);
    }
    assert_int_equal(stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-06-01", 5, &r), 0);
    assert_int_equal(r.ack_days.n, 10);
    assert_int_equal(r.ack_days.median, 5);
    assert_int_equal(r.ack_days.p90, 9);
    assert_int_equal(r.close_days.n, 6);
    assert_int_equal(r.close_days.median, 30);
    assert_int_equal(r.ack_within_7_days.numerator, 7);
    assert_int_equal(r.ack_within_7_days.denominator, 10);
    assert_true(r.ack_within_7_days.suppressed);   /* 3 late: fewer than k */
    assert_int_equal(r.feedback_within_3_months.numerator, 6);
    assert_int_equal(r.feedback_within_3_months.denominator, 10);
    assert_true(r.feedback_within_3_months.suppressed);   /* 4 without: fewer than k */
    /* ten on time and ten late: a share of one half, shown */
    reset(NULL);
    add("2026-04-01", "bullying", "male", "45-54", "triaged", "", "2026-04-03", "", 10);
    add("2026-04-01", "bullying", "male", "45-54", "triaged", "", "2026-04-20", "", 10);
    assert_int_equal(stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-06-01", 5, &r), 0);
    assert_false(r.ack_within_7_days.suppressed);
    assert_int_equal(r.ack_within_7_days.numerator, 10);
    assert_int_equal(r.ack_within_7_days.denominator, 20);
    /* with fewer than k measured, timing is suppressed */
    reset(NULL);
    add("2026-04-01", "bullying", "male", "45-54", "triaged", "", "2026-04-03", "", 4);
    assert_int_equal(stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-06-01", 5, &r), 0);
    assert_int_equal(r.ack_days.median, STATS_SUPPRESSED);
}

static void test_compute_fails_with_nothing_allocated_when_memory_is_short(void **state)
{
    stats_report r;

    (void)state;
    add("2026-04-01", "bullying", "male", "45-54", "closed", "no-action", "2026-04-03", "2026-05-01", 6);
    /* the first, then the second of its two allocations fails (a leak of the other would show
     * under the leak checker) */
    for (int nth = 1; nth <= 2; nth++) {
        memset(&r, 0xff, sizeof r);
        calloc_fails_at = nth;
        assert_int_equal(stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-06-01", 5, &r), ERR_NOMEM);
        assert_int_equal(calloc_fails_at, 0);
        assert_int_equal(r.k, 0);
        assert_int_equal(r.category_by_sex.total, 0);
        assert_int_equal(r.close_days.n, 0);
    }
    assert_int_equal(stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-06-01", 5, &r), 0);
    assert_int_equal(r.close_days.n, 6);
}

static void test_json_has_the_contracted_shape(void **state)
{
    stats_report r;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    (void)state;
    add("2026-03-01", "harassment", "female", "25-34", "new", "", "", "", 8);
    add("2026-03-01", "discrimination", "other", "", "new", "", "", "", 1);
    assert_int_equal(stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-06-01", 5, &r), 0);
    stats_write_json(f, &r);
    fclose(f);
    assert_non_null(strstr(buf, "\"period\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"}"));
    assert_non_null(strstr(buf, "\"total\": 9"));
    assert_non_null(strstr(buf, "\"by_category\": {\"harassment\": 8"));
    assert_non_null(strstr(buf, "\"discrimination\": \"<5\""));
    assert_non_null(strstr(buf, "\"by_sex\": {\"female\": 8"));
    assert_non_null(strstr(buf, "\"not-given\": "));
    assert_non_null(strstr(buf, "\"by_age_band\": {"));
    assert_non_null(strstr(buf, "\"outcomes\": {"));
    assert_non_null(strstr(buf, "\"timing\": {\"acknowledgement_days\": {\"median\": \"<5\""));
    assert_null(strstr(buf, "\"discrimination\": 1"));
    free(buf);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup(name, reset)
    const struct CMUnitTest tests[] = {
        T(test_counts_margins_and_known_cells),
        T(test_a_lone_small_cell_gets_a_companion),
        T(test_a_cell_joining_two_groups_is_not_left_worked_out),
        T(test_random_tables_always_satisfy_the_line_rule),
        T(test_k_is_never_below_three),
        T(test_open_and_closed_totals_cannot_reveal_each_other),
        T(test_timing_and_shares),
        T(test_json_has_the_contracted_shape),
        T(test_compute_fails_with_nothing_allocated_when_memory_is_short),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
