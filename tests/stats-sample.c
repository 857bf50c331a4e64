/*
 * stats-sample.c: writes random data sets and the reports casework would publish from them, for
 * tests/stats-check.py to check with an independent solver.
 *
 *   stats-sample FIRST COUNT DIR
 *
 * For each seed from FIRST to FIRST + COUNT - 1 it writes DIR/SEED/: cases.csv (one line per
 * case: received, category, sex, age band, status, outcome, acknowledged, closed, as stats.h's
 * stats_case has them, and a first line "today,k"), and the report of stats_compute in every
 * published form: report.json, report.csv, report.txt, report-en.html, report-fr.html. Data
 * sets are skewed as real years are (a few common categories, rare values), of 0 to 400 cases,
 * with k from 3 to 6. Exits 0, or 1 with a message.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "stats.h"

#define MAX_CASES 400

static int pick(const int *weights, int n)
{
    int x = rand() % 100, i = 0;

    while (i < n - 1 && x >= weights[i])
        x -= weights[i++];
    return i;
}

static int write_file(const char *dir, const char *name, const stats_report *r, int fr,
                      void (*write)(FILE *, const stats_report *))
{
    char path[4096];
    FILE *f;

    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path || (f = fopen(path, "w")) == NULL)
        return -1;
    if (write != NULL)
        write(f, r);
    else
        stats_write_html(f, r, fr);
    return fclose(f);
}

static int sample(unsigned seed, const char *dir)
{
    static const int cat_w[] = {35, 25, 20, 10, 5, 5}, sex_w[] = {55, 35, 2, 8}, age_w[] = {15, 35, 25, 15, 5, 5};
    static const int out_w[] = {30, 30, 15, 10, 15}, st_w[] = {20, 20, 45, 15};
    static char days[MAX_CASES][3][16];
    stats_case cases[MAX_CASES];
    stats_report r;
    int n, k, open_share;
    char path[4096];
    FILE *f;

    srand(seed);
    n = seed % 10 == 0 ? rand() % 25 : rand() % (MAX_CASES + 1);
    k = 3 + rand() % 4;
    open_share = 10 + rand() % 80;
    for (int i = 0; i < n; i++) {
        int day = rand() % 360, closed;
        snprintf(days[i][0], sizeof days[i][0], "2026-%02d-%02d", day / 30 + 1, day % 28 + 1);
        days[i][1][0] = days[i][2][0] = '\0';
        if (rand() % 10 != 0)   /* acknowledged 0 to 27 days later, in the same month */
            snprintf(days[i][1], sizeof days[i][1], "2026-%02d-%02d", day / 30 + 1,
                     day % 28 + 1 + rand() % (28 - day % 28));
        closed = rand() % 100 >= open_share;
        if (closed)   /* closed some days or months later, within the year */
            snprintf(days[i][2], sizeof days[i][2], "2026-%02d-%02d",
                     day / 30 + 1 + rand() % (12 - day / 30), 1 + rand() % 28);
        if (closed && strcmp(days[i][2], days[i][0]) < 0)
            memcpy(days[i][2], days[i][0], sizeof days[i][2]);
        if (closed && strcmp(days[i][2], days[i][1]) < 0)
            memcpy(days[i][2], days[i][1], sizeof days[i][2]);
        cases[i] = (stats_case){days[i][0], stats_categories[pick(cat_w, 6)], stats_sexes[pick(sex_w, 4)],
                                stats_age_bands[pick(age_w, 6)], closed ? "closed" : stats_open_statuses[pick(st_w, 4)],
                                closed ? stats_outcomes[pick(out_w, 5)] : "", days[i][1], days[i][2]};
    }
    if (stats_compute(cases, (size_t)n, "2026-01-01", "2026-12-31", "2026-12-31", k, &r) != 0)
        return fprintf(stderr, "stats-sample: stats_compute failed for seed %u\n", seed), -1;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return fprintf(stderr, "stats-sample: cannot create %s: %s\n", dir, strerror(errno)), -1;
    if (snprintf(path, sizeof path, "%s/cases.csv", dir) >= (int)sizeof path)
        return fprintf(stderr, "stats-sample: %s: path too long\n", dir), -1;
    if ((f = fopen(path, "w")) == NULL)
        return fprintf(stderr, "stats-sample: cannot write %s\n", path), -1;
    fprintf(f, "2026-12-31,%d\n", k);
    for (int i = 0; i < n; i++)
        fprintf(f, "%s,%s,%s,%s,%s,%s,%s,%s\n", cases[i].received, cases[i].category, cases[i].sex,
                cases[i].age_band, cases[i].status, cases[i].outcome, cases[i].acknowledged, cases[i].closed);
    if (fclose(f) != 0 || write_file(dir, "report.json", &r, 0, stats_write_json) != 0 ||
        write_file(dir, "report.csv", &r, 0, stats_write_csv) != 0 ||
        write_file(dir, "report.txt", &r, 0, stats_write_text) != 0 ||
        write_file(dir, "report-en.html", &r, 0, NULL) != 0 || write_file(dir, "report-fr.html", &r, 1, NULL) != 0)
        return fprintf(stderr, "stats-sample: cannot write the reports in %s\n", dir), -1;
    return 0;
}

int main(int argc, char **argv)
{
    unsigned first, count;
    char dir[4096];

    if (argc != 4) {
        fprintf(stderr, "usage: stats-sample FIRST COUNT DIR\n");
        return 2;
    }
    first = (unsigned)strtoul(argv[1], NULL, 10);
    count = (unsigned)strtoul(argv[2], NULL, 10);
    for (unsigned s = first; s < first + count; s++) {
        if (snprintf(dir, sizeof dir, "%s/%u", argv[3], s) >= (int)sizeof dir || sample(s, dir) != 0)
            return 1;
    }
    return 0;
}
