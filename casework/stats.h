/*
 * stats.h: the annual figures, computed from plain per-case facts, with small numbers protected.
 * Every count below k (at least 3) is suppressed, and so is a share's count when the cases
 * outside it number fewer than k. Whole lines of the category tables are suppressed with them
 * (stats_suppress_lines), and the open cases' tables get the line rule (no line with exactly
 * one suppressed entry). Last, the audit of stats-audit.h computes by linear programming, over every table
 * at once and with every count >= 0, the range each suppressed figure could take given all
 * that is shown, and suppresses more until every range is at least k wide and holds values
 * below k and at or above k. A suppressed figure is printed as STATS_MARK whatever its size.
 */
#ifndef SEA_CASEWORK_STATS_H
#define SEA_CASEWORK_STATS_H

#include <stddef.h>
#include <stdio.h>

#define STATS_MAX_ROWS 8
#define STATS_MAX_COLS 8
#define STATS_MIN_K 3
#define STATS_SUPPRESSED (-1)
#define STATS_MARK "x"   /* every suppressed figure, in text, CSV and HTML (JSON: null) */

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

/*
 * A timing row: published only with its number of cases, and only when every count its order
 * statistics could bound is published too (the median and 90th percentile of days to
 * acknowledgement, compared with 7, bound how many were acknowledged within 7 days; those of
 * days to closure bound how many got feedback in time). Its median is published only with k
 * cases or more on each side of it, its 90th percentile only with k cases or more at or above it,
 * so neither is one case's delay.
 */
typedef struct stats_timing {
    long n;                    /* cases measured: the acknowledged cases, or the closed ones */
    long median, p90;          /* days; STATS_SUPPRESSED when suppressed */
    int suppressed;            /* the whole row, its number of cases included */
    int sup_median, sup_p90;   /* one statistic of a published row (too few cases on one side) */
} stats_timing;

/* A share: shown (as numerator, denominator and their ratio) only when both counts are. */
typedef struct stats_share {
    long numerator, denominator;
    unsigned char sup_numerator, sup_denominator;
} stats_share;

static inline int stats_share_shown(const stats_share *s)
{
    return !s->sup_numerator && !s->sup_denominator;
}

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
 * today, with threshold k (raised to STATS_MIN_K when lower), suppressed until they pass the
 * audit. One-way figures (by category, by sex, by age band, total) are the margins of the
 * two-way tables. A case counts only when every value it has is one of the vocabularies' (what
 * casework writes always is). Returns 0; ERR_NOMEM when memory is short; ERR_INTERNAL when the
 * solver fails. On failure *out is all zeros and there is nothing to free.
 */
int stats_compute(const stats_case *cases, size_t n, const char *from, const char *to,
                  const char *today, int k, stats_report *out);

/*
 * stats_suppress_lines: the primary and first complementary suppression of the three category
 * tables (by sex, by age band, outcomes), by whole lines: rows (categories, hidden in both cross
 * tables and in the outcomes table, or in the outcomes table alone) and columns (of one table),
 * the cheaper first, until every figure below k lies on a hidden line, hidden lines come two or
 * more at a time, and the hidden cells of every shown line, and the hidden totals, sum to k or
 * more. Sets those tables' flags (stats-lines.c says why lines).
 */
void stats_suppress_lines(stats_report *r, int k);

/*
 * stats_mark_note: the footnote that explains STATS_MARK, in English (fr == 0) or French, in buf
 * (cap bytes: 400 is enough); returns buf.
 */
const char *stats_mark_note(int k, int fr, char *buf, size_t cap);

/* stats_write_json, stats_write_csv, stats_write_text: the report in each form. Every form
 * publishes the same figures: the five tables with their margins and totals, each timing row
 * with its number of cases, and each share with its two counts. */
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
