/*
 * stats.h: the annual figures, computed from plain per-case facts, with small numbers protected.
 * Every cell, margin and total below k (at least 3) is suppressed, then more are suppressed
 * (complementary suppression) until every line of every table (a row or a column with its
 * total) has none or at least two suppressed entries, and every suppressed entry of a two-way
 * table lies on a cycle of suppressed entries (none is a bridge), so that no suppressed value
 * follows from the others and the totals. Tables that share margins (category by sex and by age band share
 * the category totals; the open cases by status and by age share their total) are suppressed
 * together, so no figure can be worked out by combining them.
 */
#ifndef SEA_CASEWORK_STATS_H
#define SEA_CASEWORK_STATS_H

#include <stddef.h>
#include <stdio.h>

#define STATS_MAX_ROWS 8
#define STATS_MAX_COLS 8
#define STATS_MIN_K 3
#define STATS_SUPPRESSED (-1)

/* What stats needs of one case; strings are "" when unknown (not given, not closed...). */
typedef struct stats_case {
    const char *received, *category, *sex, *age_band, *status, *outcome, *acknowledged, *closed;
} stats_case;

typedef struct stats_table {
    const char *id;                                   /* JSON name, e.g. "category_by_sex" */
    size_t rows, cols;                                /* cols == 1: a one-way table */
    const char *const *row_names;
    const char *const *col_names;
    long cell[STATS_MAX_ROWS][STATS_MAX_COLS];
    long row_total[STATS_MAX_ROWS], col_total[STATS_MAX_COLS], total;
    unsigned char sup_cell[STATS_MAX_ROWS][STATS_MAX_COLS];
    unsigned char sup_row[STATS_MAX_ROWS], sup_col[STATS_MAX_COLS], sup_total;
} stats_table;

typedef struct stats_timing {
    long n;                    /* cases measured */
    long median, p90;          /* days; STATS_SUPPRESSED when n < k */
} stats_timing;

typedef struct stats_share {
    long numerator, denominator;
    int suppressed;            /* denominator or numerator below k */
} stats_share;

typedef struct stats_report {
    char from[11], to[11];
    int k;
    stats_table category_by_sex, category_by_age_band, outcomes, open_by_status, open_by_age;
    stats_timing ack_days, close_days;
    stats_share ack_within_7_days, feedback_within_3_months;
} stats_report;

/* The values of each dimension, as stored, and "" for not given: each vocabulary of vocab.h in
 * its order (the open statuses only), then "" for sex and age band; NULL-terminated. */
extern const char *const stats_categories[];
extern const char *const stats_sexes[];
extern const char *const stats_age_bands[];
extern const char *const stats_outcomes[];
extern const char *const stats_open_statuses[];
extern const char *const stats_open_ages[];

/*
 * stats_compute: the figures for cases received from `from` to `to` (inclusive days), as of
 * today, with threshold k (raised to STATS_MIN_K when lower). One-way figures (by category,
 * by sex, by age band, total) are the margins of the two-way tables. Returns 0, or ERR_NOMEM
 * when memory is short; on failure *out is all zeros and there is nothing to free.
 */
int stats_compute(const stats_case *cases, size_t n, const char *from, const char *to,
                  const char *today, int k, stats_report *out);

/* stats_suppress_table: primary and complementary suppression of one table on its own. */
void stats_suppress_table(stats_table *t, int k);

/* stats_write_json, stats_write_csv, stats_write_text: the report in each form. */
void stats_write_json(FILE *f, const stats_report *r);
void stats_write_csv(FILE *f, const stats_report *r);
void stats_write_text(FILE *f, const stats_report *r);

/*
 * stats_value_label: the words for value i of a dimension above (names is stats_categories,
 * stats_sexes...), in English (fr == 0) or French; NULL for another list or i past its end.
 */
const char *stats_value_label(const char *const *names, size_t i, int fr);

/* stats_write_html: one self-contained printable page with an inline SVG bar chart per table,
 * in English (fr == 0) or French. */
void stats_write_html(FILE *f, const stats_report *r, int fr);

#endif
