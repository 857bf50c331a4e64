/*
 * stats-realistic.c: how much of a year's statistics stays visible once suppressed and audited.
 *
 *   stats-realistic N SEEDS [K]
 *
 * Makes SEEDS years of N cases each, drawn with the shares below (assumed, not measured: a few
 * common categories and rare ones, most reporters giving their sex and age, about two thirds of
 * a year's cases closed by its end, most acknowledged within days), runs stats_compute (the
 * suppression and the linear-programming audit) with k = K (5), and prints one line:
 *
 *   N SEEDS figures_suppressed_% cells_suppressed_% cases_in_shown_cells_% mean_ms max_ms
 *
 * where the figures are everything the report publishes, the cells only the inner cells of the
 * three category tables, and the last share weighs each shown cell of those tables by its count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stats-audit.h"
#include "stats.h"

static int pick(const int *weights, int n)
{
    int x = rand() % 1000, i = 0;

    while (i < n - 1 && x >= weights[i])
        x -= weights[i++];
    return i;
}

/* Shares in thousandths, in the order of stats.h's lists. */
static const int category_w[] = {320, 260, 200, 110, 60, 50};   /* harassment ... other */
static const int sex_w[] = {560, 330, 20, 90};                  /* female, male, other, not given */
static const int age_w[] = {150, 330, 260, 150, 50, 60};        /* under 25 ... 55+, not given */
static const int outcome_w[] = {280, 300, 150, 120, 150};
static const int status_w[] = {150, 200, 500, 150};

static double ms_since(const struct timespec *a)
{
    struct timespec b;

    clock_gettime(CLOCK_MONOTONIC, &b);
    return (double)(b.tv_sec - a->tv_sec) * 1e3 + (double)(b.tv_nsec - a->tv_nsec) / 1e6;
}

int main(int argc, char **argv)
{
    int n = argc > 2 ? atoi(argv[1]) : 0, seeds = argc > 2 ? atoi(argv[2]) : 0, k = argc > 3 ? atoi(argv[3]) : 5;
    stats_case *cases;
    char (*days)[3][16];
    double fig_sup = 0, cell_sup = 0, shown_cases = 0, ms_sum = 0, ms_max = 0;

    if (n <= 0 || seeds <= 0) {
        fprintf(stderr, "usage: stats-realistic N SEEDS [K]\n");
        return 2;
    }
    cases = calloc((size_t)n, sizeof *cases);
    days = calloc((size_t)n, sizeof *days);
    if (cases == NULL || days == NULL)
        return 1;
    for (int seed = 1; seed <= seeds; seed++) {
        stats_report r;
        stats_figure *f;
        size_t nf, failing, sup = 0, cells = 0, cells_sup = 0;
        long in_shown = 0, all = 0;
        struct timespec t0;
        double ms;
        srand((unsigned)seed);
        for (int i = 0; i < n; i++) {
            int day = rand() % 360, month = day / 30, closed;
            snprintf(days[i][0], sizeof days[i][0], "2026-%02d-%02d", month + 1, day % 28 + 1);
            days[i][1][0] = days[i][2][0] = '\0';
            if (rand() % 100 < 92)   /* acknowledged, mostly within the week */
                snprintf(days[i][1], sizeof days[i][1], "2026-%02d-%02d", month + 1,
                         day % 28 + 1 + (rand() % 100 < 80 ? rand() % 7 : rand() % 20) % (28 - day % 28));
            closed = rand() % 100 < 75 - month * 5;   /* older cases are more often closed */
            if (closed)
                snprintf(days[i][2], sizeof days[i][2], "2026-%02d-28", month + 1 + (month < 11 ? 1 : 0));
            cases[i] = (stats_case){days[i][0], stats_categories[pick(category_w, 6)], stats_sexes[pick(sex_w, 4)],
                                    stats_age_bands[pick(age_w, 6)],
                                    closed ? "closed" : stats_open_statuses[pick(status_w, 4)],
                                    closed ? stats_outcomes[pick(outcome_w, 5)] : "", days[i][1], days[i][2]};
        }
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (stats_compute(cases, (size_t)n, "2026-01-01", "2026-12-31", "2026-12-31", k, &r) != 0 ||
            stats_audit(&r, &f, &nf, &failing) != 0 || failing != 0) {
            fprintf(stderr, "stats-realistic: seed %d failed\n", seed);
            return 1;
        }
        ms = ms_since(&t0);
        for (size_t i = 0; i < nf; i++)
            sup += f[i].suppressed != 0;
        free(f);
        {
            const stats_table *t[] = {&r.category_by_sex, &r.category_by_age_band, &r.outcomes};
            for (size_t j = 0; j < 3; j++)
                for (size_t a = 0; a < t[j]->rows; a++)
                    for (size_t b = 0; b < t[j]->cols; b++) {
                        cells++;
                        cells_sup += t[j]->sup_cell[a][b] != 0;
                        all += t[j]->cell[a][b];
                        in_shown += t[j]->sup_cell[a][b] ? 0 : t[j]->cell[a][b];
                    }
        }
        fig_sup += (double)sup / (double)nf;
        cell_sup += (double)cells_sup / (double)cells;
        shown_cases += all > 0 ? (double)in_shown / (double)all : 0;
        ms_sum += ms;
        ms_max = ms > ms_max ? ms : ms_max;
    }
    printf("%d %d %.0f %.0f %.0f %.1f %.1f\n", n, seeds, 100 * fig_sup / seeds, 100 * cell_sup / seeds,
           100 * shown_cases / seeds, ms_sum / seeds, ms_max);
    free(cases);
    free(days);
    return 0;
}
