/*
 * test_stats.c: the annual figures on fixed and random data sets: every count; what is
 * published passes the disclosure audit (every figure below k suppressed, every suppressed
 * figure's range over all tables at once at least k wide and straddling k, shared figures
 * suppressed alike, shown totals consistent with their shown parts); the audit itself finds a
 * cell that only non-negativity pins; timing and shares published only with their counts; one
 * mark in every form. tests/stats-check.py checks the same with an independent solver.
 */
#define _GNU_SOURCE 1   /* open_memstream */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "errors.h"
#include "stats-audit.h"
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

/* The audit's record of one figure of r, by name (failing the test when there is none). */
static stats_figure figure(const stats_report *r, const char *name)
{
    stats_figure *f, found = {.value = -1};
    size_t n, failing;

    assert_int_equal(stats_audit(r, &f, &n, &failing), 0);
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].name, name) == 0)
            found = f[i];
    free(f);
    if (found.value < 0)
        fail_msg("no figure %s", name);
    return found;
}

/*
 * What a published report must be: every figure below k suppressed; every suppressed figure's
 * range (over every table at once, counts >= 0) at least k wide and holding values below k and
 * at or above k; figures printed twice suppressed alike; a shown total equal to the sum of its
 * parts when they are all shown, and never smaller than a shown part.
 */
static void check_published(const stats_report *r)
{
    stats_figure *f;
    size_t n, failing;
    const stats_table *cs = &r->category_by_sex, *ca = &r->category_by_age_band;

    assert_int_equal(stats_audit(r, &f, &n, &failing), 0);
    for (size_t i = 0; i < n; i++) {
        if (f[i].value < r->k && !f[i].suppressed)
            fail_msg("%s = %ld is below k = %d and shown", f[i].name, f[i].value, r->k);
        if (f[i].suppressed && !f[i].protected_)
            fail_msg("%s is suppressed but lies in [%g, %g]", f[i].name, f[i].lo, f[i].hi);
    }
    assert_int_equal(failing, 0);
    free(f);
    for (int i = 0; i < 2; i++) {   /* a share shown has k or more on each side */
        const stats_share *s = i ? &r->feedback_within_3_months : &r->ack_within_7_days;
        if (stats_share_shown(s) && (s->numerator < r->k || s->denominator - s->numerator < r->k))
            fail_msg("a share is shown as %ld of %ld with k = %d", s->numerator, s->denominator, r->k);
    }
    for (size_t i = 0; i < cs->rows; i++)
        assert_int_equal(cs->sup_row[i], ca->sup_row[i]);
    assert_int_equal(cs->sup_total, ca->sup_total);
    assert_int_equal(r->open_by_status.sup_total, r->open_by_age.sup_total);
    {
        const stats_table *all[] = {cs, ca, &r->outcomes, &r->open_by_status, &r->open_by_age};
        for (size_t t = 0; t < 5; t++) {
            const stats_table *tb = all[t];
            for (size_t i = 0; i < tb->rows; i++) {
                long sum = 0;
                int every = 1;
                for (size_t c = 0; c < tb->cols; c++) {
                    every &= !tb->sup_cell[i][c];
                    sum += tb->cell[i][c];
                    if (!tb->sup_cell[i][c] && !tb->sup_row[i])
                        assert_true(tb->cell[i][c] <= tb->row_total[i]);
                }
                if (every && !tb->sup_row[i])
                    assert_int_equal(sum, tb->row_total[i]);
            }
        }
    }
}

/* Resets r's flags to the primary rule alone (every figure below k suppressed, nothing else),
 * as the first suppression rules left some tables. */
static void primary_only(stats_report *r)
{
    stats_table *all[] = {&r->category_by_sex, &r->category_by_age_band, &r->outcomes, &r->open_by_status,
                          &r->open_by_age};

    for (size_t t = 0; t < 5; t++) {
        stats_table *tb = all[t];
        for (size_t i = 0; i < tb->rows; i++) {
            for (size_t c = 0; c < tb->cols; c++)
                tb->sup_cell[i][c] = tb->cell[i][c] < r->k;
            tb->sup_row[i] = tb->row_total[i] < r->k;
        }
        for (size_t c = 0; c < tb->cols; c++)
            tb->sup_col[c] = tb->col_total[c] < r->k;
        tb->sup_total = tb->total < r->k;
    }
}

static void test_counts_margins_and_known_cells(void **state)
{
    stats_report r;

    (void)state;
    add("2026-03-01", "harassment", "female", "25-34", "new", "", "", "", 27);
    add("2026-03-02", "harassment", "male", "25-34", "new", "", "", "", 26);
    add("2026-03-03", "bullying", "female", "35-44", "new", "", "", "", 29);
    add("2026-03-04", "bullying", "", "", "new", "", "", "", 2);
    add("2025-12-31", "bullying", "female", "35-44", "new", "", "", "", 50);   /* outside the year */
    add("2026-03-04", "bullying", "unknown", "", "new", "", "", "", 3);        /* not a sex casework writes */
    assert_int_equal(stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-06-01", 5, &r), 0);
    assert_int_equal(r.category_by_sex.total, 84);
    assert_int_equal(r.category_by_sex.cell[0][0], 27);
    assert_int_equal(r.category_by_sex.cell[0][1], 26);
    assert_int_equal(r.category_by_sex.row_total[2], 31);   /* bullying */
    assert_int_equal(r.category_by_sex.cell[2][3], 2);       /* bullying, not given */
    assert_true(r.category_by_sex.sup_cell[2][3]);
    assert_int_equal(r.category_by_sex.col_total[0], 56);    /* female */
    assert_int_equal(r.category_by_age_band.col_total[1], 53);  /* 25-34 */
    assert_int_equal(r.open_by_status.total, 84);
    check_published(&r);
}

/* The example of issue 15: ten reports, and printed totals that fixed the cell "bullying / sex:
 * other" at exactly 3, because counts cannot be negative. */
static void test_the_ten_report_example_prints_nothing_that_can_be_recomputed(void **state)
{
    stats_report r;
    stats_figure f;

    (void)state;
    add("2026-03-01", "bullying", "female", "25-34", "new", "", "", "", 5);
    add("2026-03-01", "bullying", "other", "25-34", "new", "", "", "", 3);
    add("2026-03-01", "harassment", "other", "35-44", "new", "", "", "", 2);
    assert_int_equal(stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-06-01", 5, &r), 0);
    /* The rules of old suppressed only what was below k, and checked lines, not signs: */
    primary_only(&r);
    f = figure(&r, "category_by_sex/bullying/other");
    assert_true(f.suppressed);
    assert_false(f.protected_);
    assert_true(f.lo > 3 - 1e-6 && f.hi < 3 + 1e-6);   /* pinned at 3 */
    f = figure(&r, "category_by_sex/bullying/male");
    assert_true(f.hi < 1e-6);                          /* pinned at 0 */
    /* What stats_compute publishes passes the audit: the cell can take 0..k at least. */
    assert_int_equal(stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-06-01", 5, &r), 0);
    check_published(&r);
    f = figure(&r, "category_by_sex/bullying/other");
    assert_true(f.suppressed && f.protected_);
    assert_true(f.lo < 5 && f.hi - f.lo >= 5);
}

/* A cell joining two groups of suppressed cells: the line rule alone leaves it computable. */
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
    check_published(&r);
    assert_true(r.category_by_sex.sup_cell[0][3]);   /* harassment / not given: a complement of the 1s */
}

/* A random case: skewed as real data is (a few common categories, rare values), over a year. */
static void add_random(int open_share)
{
    static const int cat_w[] = {35, 25, 20, 10, 5, 5}, sex_w[] = {55, 35, 2, 8}, age_w[] = {15, 35, 25, 15, 5, 5};
    int day = rand() % 330, cat = 0, sex = 0, age = 0, x;
    char received[16], ack[16] = "", closed[16] = "";

    for (x = rand() % 100; x >= cat_w[cat]; cat++)
        x -= cat_w[cat];
    for (x = rand() % 100; x >= sex_w[sex]; sex++)
        x -= sex_w[sex];
    for (x = rand() % 100; x >= age_w[age]; age++)
        x -= age_w[age];
    snprintf(received, sizeof received, "2026-%02d-%02d", day / 30 + 1, day % 28 + 1);
    if (rand() % 10 != 0)
        snprintf(ack, sizeof ack, "2026-%02d-%02d", day / 30 + 1, day % 28 + 1 + rand() % (28 - day % 28));
    if (ack[0] && rand() % 100 >= open_share)
        snprintf(closed, sizeof closed, "2026-12-%02d", 1 + rand() % 28);
    add(received, stats_categories[cat], stats_sexes[sex], stats_age_bands[age],
        closed[0] ? "closed" : stats_open_statuses[rand() % 4], closed[0] ? stats_outcomes[rand() % 5] : "",
        ack, closed, 1);
}

static void test_random_datasets_pass_the_audit(void **state)
{
    (void)state;
    srand(1515);
    for (int round = 0; round < 100; round++) {
        stats_report r;
        int n = round % 10 == 0 ? rand() % 20 : rand() % 380, k = 3 + round % 4;
        reset(NULL);
        for (int i = 0; i < n; i++)
            add_random(round % 3 == 0 ? 80 : 30);
        assert_int_equal(stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-12-31", k, &r), 0);
        check_published(&r);
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
    check_published(&r);
}

static void test_open_and_closed_totals_cannot_reveal_each_other(void **state)
{
    stats_report r;
    stats_figure f;

    (void)state;
    add("2026-01-10", "harassment", "female", "25-34", "new", "", "", "", 20);
    add("2026-01-10", "harassment", "female", "25-34", "closed", "substantiated", "2026-01-12", "2026-02-01", 2);
    assert_int_equal(stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-06-01", 5, &r), 0);
    /* 22 cases, 2 closed (suppressed): the open total (20) must not be shown beside the grand total. */
    assert_int_equal(r.outcomes.total, 2);
    assert_true(r.outcomes.sup_total);
    assert_true(r.category_by_sex.sup_total + r.open_by_status.sup_total >= 1);
    check_published(&r);
    f = figure(&r, "outcomes/total/total");
    assert_true(f.hi >= 5);
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;

    return (x > y) - (x < y);
}

/* Checks a timing row against the cases: its rule, and its values when shown (nearest rank). */
static void check_timing(const stats_timing *t, int row_hidden, int closure, int k)
{
    long v[MAXC], n = 0, rank90;

    for (size_t i = 0; i < ncases; i++) {
        const stats_case *c = &cases[i];
        const char *end = closure ? c->closed : c->acknowledged;
        struct tm a = {0}, b = {0};
        if (end[0] == '\0')
            continue;
        sscanf(c->received, "%d-%d-%d", &a.tm_year, &a.tm_mon, &a.tm_mday);
        sscanf(end, "%d-%d-%d", &b.tm_year, &b.tm_mon, &b.tm_mday);
        a.tm_year -= 1900, a.tm_mon -= 1, b.tm_year -= 1900, b.tm_mon -= 1;
        v[n++] = (long)((timegm(&b) - timegm(&a)) / 86400);
    }
    qsort(v, (size_t)n, sizeof *v, cmp_long);
    assert_int_equal(t->suppressed, row_hidden || n == 0);
    if (t->suppressed)
        return;
    rank90 = (9 * n + 9) / 10;
    assert_int_equal(t->n, n);
    assert_int_equal(t->sup_median, (n + 1) / 2 < k);          /* k at or below, and at or above */
    assert_int_equal(t->sup_p90, n - rank90 + 1 < k);          /* k at or above the percentile */
    if (!t->sup_median)
        assert_int_equal(t->median, v[(n - 1) / 2]);
    if (!t->sup_p90)
        assert_int_equal(t->p90, v[rank90 - 1]);
}

static void test_timing_and_shares(void **state)
{
    stats_report r;
    long acked = 0, in7 = 0;

    (void)state;
    srand(11);
    for (int i = 0; i < 300; i++)
        add_random(30);
    assert_int_equal(stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-12-31", 5, &r), 0);
    check_published(&r);
    for (size_t i = 0; i < ncases; i++)
        if (cases[i].acknowledged[0]) {
            struct tm a = {0}, b = {0};
            sscanf(cases[i].received, "%d-%d-%d", &a.tm_year, &a.tm_mon, &a.tm_mday);
            sscanf(cases[i].acknowledged, "%d-%d-%d", &b.tm_year, &b.tm_mon, &b.tm_mday);
            acked++;
            in7 += (timegm(&b) - timegm(&a)) / 86400 <= 7;
        }
    assert_int_equal(r.ack_within_7_days.numerator, in7);
    assert_int_equal(r.ack_within_7_days.denominator, 300);
    assert_int_equal(r.feedback_within_3_months.denominator, acked);
    /* a timing row is published only with every count it could bound */
    check_timing(&r.ack_days, r.feedback_within_3_months.sup_denominator || !stats_share_shown(&r.ack_within_7_days),
                 0, 5);
    check_timing(&r.close_days, r.outcomes.sup_total || !stats_share_shown(&r.feedback_within_3_months) ||
                 r.open_by_status.sup_total, 1, 5);
    assert_false(r.ack_days.suppressed);   /* this year shows both shares and its timing */
    assert_false(r.close_days.suppressed);
    /* with fewer than k acknowledged, neither the count nor the timing is published */
    reset(NULL);
    add("2026-04-01", "bullying", "male", "45-54", "triaged", "", "2026-04-03", "", 4);
    add("2026-04-01", "bullying", "male", "45-54", "triaged", "", "", "", 30);
    assert_int_equal(stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-06-01", 5, &r), 0);
    check_published(&r);
    assert_true(r.ack_days.suppressed);
    assert_int_equal(r.ack_days.median, STATS_SUPPRESSED);
    assert_false(stats_share_shown(&r.feedback_within_3_months));
    assert_false(stats_share_shown(&r.ack_within_7_days));
}

static void test_compute_fails_with_nothing_allocated_when_memory_is_short(void **state)
{
    stats_report r;

    (void)state;
    add("2026-04-01", "bullying", "male", "45-54", "closed", "no-action", "2026-04-03", "2026-05-01", 6);
    /* each allocation in turn fails, until there are no more to fail (a leak of another would
     * show under the leak checker) */
    for (int nth = 1;; nth++) {
        int rc;
        memset(&r, 0xff, sizeof r);
        calloc_fails_at = nth;
        rc = stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-06-01", 5, &r);
        if (calloc_fails_at != 0) {   /* fewer allocations than nth: it went through */
            calloc_fails_at = 0;
            assert_int_equal(rc, 0);
            break;
        }
        assert_int_equal(rc, ERR_NOMEM);
        assert_int_equal(r.k, 0);
        assert_int_equal(r.category_by_sex.total, 0);
        assert_int_equal(r.close_days.n, 0);
    }
    assert_int_equal(stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-06-01", 5, &r), 0);
    assert_int_equal(r.close_days.n, 6);
}

/* A year of 300 cases: most of the figures are shown, the rest as the one mark. */
static void three_hundred(stats_report *r)
{
    srand(7);
    for (int i = 0; i < 300; i++)
        add_random(30);
    assert_int_equal(stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-12-31", 5, r), 0);
}

static char *written(const stats_report *r, void (*write)(FILE *, const stats_report *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    write(f, r);
    fclose(f);
    return buf;
}

static void test_json_has_the_contracted_shape(void **state)
{
    stats_report r;
    char *buf, want[64];

    (void)state;
    three_hundred(&r);
    buf = written(&r, stats_write_json);
    assert_non_null(strstr(buf, "\"period\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"}"));
    snprintf(want, sizeof want, "\"total\": %ld", r.category_by_sex.total);
    assert_non_null(strstr(buf, want));
    snprintf(want, sizeof want, "\"by_category\": {\"harassment\": %ld", r.category_by_sex.row_total[0]);
    assert_non_null(strstr(buf, want));
    assert_non_null(strstr(buf, "\"by_sex\": {\"female\": "));
    assert_non_null(strstr(buf, "\"not-given\": null"));
    assert_non_null(strstr(buf, "\"by_age_band\": {"));
    assert_non_null(strstr(buf, "\"outcomes\": {"));
    assert_non_null(strstr(buf, "\"open_by_status\": {"));
    assert_non_null(strstr(buf, "\"timing\": {\"acknowledgement_days\": {\"cases\": "));
    assert_non_null(strstr(buf, "\"not_published\": \"x: not published."));
    assert_null(strstr(buf, "<"));
    free(buf);
}

static void test_text_and_csv_print_one_mark_and_explain_it(void **state)
{
    stats_report r;
    char *text, *csv;

    (void)state;
    three_hundred(&r);
    text = written(&r, stats_write_text);
    csv = written(&r, stats_write_csv);
    assert_non_null(strstr(text, "         x"));
    assert_non_null(strstr(text, "x: not published. Counts below 5 are not published"));
    assert_null(strstr(text, "<"));
    assert_non_null(strstr(csv, ",x\n"));
    assert_null(strstr(csv, "<"));
    assert_non_null(strstr(csv, "share,acknowledged_within_7_days,cases,"));
    free(text);
    free(csv);
    /* a timing row whose number of cases is not published says so in words */
    reset(NULL);
    add("2026-04-01", "bullying", "male", "45-54", "triaged", "", "2026-04-03", "", 2);
    assert_int_equal(stats_compute(cases, ncases, "2026-01-01", "2026-12-31", "2026-06-01", 5, &r), 0);
    text = written(&r, stats_write_text);
    assert_non_null(strstr(text, "to acknowledgement     not published: the counts it could reveal are not published"));
    free(text);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup(name, reset)
    const struct CMUnitTest tests[] = {
        T(test_counts_margins_and_known_cells),
        T(test_the_ten_report_example_prints_nothing_that_can_be_recomputed),
        T(test_a_cell_joining_two_groups_is_not_left_worked_out),
        T(test_random_datasets_pass_the_audit),
        T(test_k_is_never_below_three),
        T(test_open_and_closed_totals_cannot_reveal_each_other),
        T(test_timing_and_shares),
        T(test_json_has_the_contracted_shape),
        T(test_text_and_csv_print_one_mark_and_explain_it),
        T(test_compute_fails_with_nothing_allocated_when_memory_is_short),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
