/*
 * stats.c: computing and suppressing the annual figures, and writing them as JSON, CSV and text
 * (see stats.h; the HTML page is in stats-html.c).
 */
#define _DEFAULT_SOURCE 1
#include "stats.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "day.h"
#include "errors.h"
#include "json.h"
#include "stats-audit.h"
#include "vocab.h"
#include "workflow.h"

/* The vocabularies' values in their order (vocab.h), sex and age band then "not given". */
const char *const stats_categories[] = {VOCAB_CATEGORIES(VOCAB_STRING, VOCAB_COMMA), NULL};
const char *const stats_sexes[] = {VOCAB_SEXES(VOCAB_STRING, VOCAB_COMMA), "", NULL};
const char *const stats_age_bands[] = {VOCAB_AGE_BANDS(VOCAB_STRING, VOCAB_COMMA), "", NULL};
const char *const stats_outcomes[] = {VOCAB_OUTCOMES(VOCAB_STRING, VOCAB_COMMA), NULL};
const char *const stats_open_statuses[] = {VOCAB_OPEN_STATUSES(VOCAB_STRING, VOCAB_COMMA), NULL};
const char *const stats_open_ages[] = {"under-7-days", "7-30-days", "1-3-months", "over-3-months", NULL};

static size_t count_of(const char *const *names)
{
    size_t n = 0;

    while (names[n] != NULL)
        n++;
    return n;
}

static int index_of(const char *const *names, const char *value)
{
    for (int i = 0; names[i] != NULL; i++)
        if (strcmp(names[i], value) == 0)
            return i;
    return -1;
}

static void table_init(stats_table *t, const char *id, const char *const *rows, const char *const *cols)
{
    memset(t, 0, sizeof *t);
    t->id = id;
    t->row_names = rows;
    t->col_names = cols;
    t->rows = count_of(rows);
    t->cols = cols != NULL ? count_of(cols) : 1;
}

static void table_add(stats_table *t, int r, int c)
{
    if (r < 0 || c < 0)
        return;
    t->cell[r][c]++;
    t->row_total[r]++;
    t->col_total[c]++;
    t->total++;
}

static long days_between(const char *from, const char *to)
{
    struct tm a = {0}, b = {0};

    if (sscanf(from, "%d-%d-%d", &a.tm_year, &a.tm_mon, &a.tm_mday) != 3 ||
        sscanf(to, "%d-%d-%d", &b.tm_year, &b.tm_mon, &b.tm_mday) != 3)
        return -1;
    a.tm_year -= 1900; a.tm_mon -= 1; a.tm_hour = 12;
    b.tm_year -= 1900; b.tm_mon -= 1; b.tm_hour = 12;
    return (long)((timegm(&b) - timegm(&a)) / 86400);
}

/* One line of a one-way table: its cells and its total. */
typedef struct line {
    long *value[STATS_MAX_ROWS + 1];
    unsigned char *sup[STATS_MAX_ROWS + 1];
    int is_total[STATS_MAX_ROWS + 1];
    size_t n;
} line;

static void line_add(line *l, long *v, unsigned char *s, int is_total)
{
    l->value[l->n] = v;
    l->sup[l->n] = s;
    l->is_total[l->n] = is_total;
    l->n++;
}

/* Suppresses one more entry of a line that has exactly one suppressed: the smallest cell, else
 * the total. Returns 1 when it changed something. */
static int protect_line(line *l)
{
    size_t suppressed = 0, best = l->n;

    for (size_t i = 0; i < l->n; i++)
        suppressed += *l->sup[i] != 0;
    if (suppressed != 1)
        return 0;
    for (int pass = 0; pass < 2 && best == l->n; pass++)
        for (size_t i = 0; i < l->n; i++)
            if (!*l->sup[i] && l->is_total[i] == pass && (best == l->n || *l->value[i] < *l->value[best]))
                best = i;
    if (best == l->n)
        return 0;
    *l->sup[best] = 1;
    return 1;
}

/* The line rule on a one-way table (its cells are its row totals, its total its one column's);
 * returns 1 when something changed. */
static int protect_one_way(stats_table *t)
{
    int changed;
    line l = {.n = 0};

    for (size_t r = 0; r < t->rows; r++)
        line_add(&l, &t->cell[r][0], &t->sup_cell[r][0], 0);
    line_add(&l, &t->col_total[0], &t->sup_col[0], 1);
    changed = protect_line(&l);
    for (size_t r = 0; r < t->rows; r++)
        t->sup_row[r] = t->sup_cell[r][0];
    if (t->sup_total != t->sup_col[0]) {
        t->sup_total = t->sup_col[0] = 1;
        changed = 1;
    }
    return changed;
}

static void primary(stats_table *t, int k)
{
    for (size_t r = 0; r < t->rows; r++) {
        for (size_t c = 0; c < t->cols; c++)
            t->sup_cell[r][c] = t->cell[r][c] < k;
        t->sup_row[r] = t->row_total[r] < k;
    }
    for (size_t c = 0; c < t->cols; c++)
        t->sup_col[c] = t->col_total[c] < k;
    t->sup_total = t->total < k;
    if (t->cols == 1) {   /* a one-way table: its cells are its row totals */
        for (size_t r = 0; r < t->rows; r++)
            t->sup_row[r] = t->sup_cell[r][0];
        t->sup_col[0] = t->sup_total;
    }
}

/* The line rule over two one-way tables that share their total, keeping it shared. */
static void suppress_linked_totals(stats_table *a, stats_table *b)
{
    int changed;

    do {
        changed = 0;
        unsigned char u = a->sup_total | b->sup_total;
        a->sup_total = b->sup_total = a->sup_col[0] = b->sup_col[0] = u;
        while (protect_one_way(a))
            changed = 1;
        while (protect_one_way(b))
            changed = 1;
        changed |= a->sup_total != b->sup_total;
    } while (changed);
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;

    return (x > y) - (x < y);
}

/* Median and 90th percentile (nearest rank) of n values, sorted in place. */
static void timing_of(long *v, long n, stats_timing *t)
{
    t->n = n;
    if (n == 0) {
        t->median = t->p90 = STATS_SUPPRESSED;
        return;
    }
    qsort(v, (size_t)n, sizeof *v, cmp_long);
    t->median = v[(n - 1) / 2];
    t->p90 = v[(9 * n + 9) / 10 - 1];
}

/* A timing row is published only when its number of cases and every count it could bound are
 * (so its absence says no more than theirs); each statistic only with k cases beyond it. */
static void timing_follows(stats_timing *t, int counts_suppressed, int k)
{
    long rank90 = (9 * t->n + 9) / 10;   /* the nearest rank of the 90th percentile, from 1 */

    t->suppressed = counts_suppressed || t->n == 0;
    t->sup_median = t->suppressed || (t->n - 1) / 2 + 1 < k || t->n - (t->n - 1) / 2 < k;
    t->sup_p90 = t->suppressed || t->n - rank90 + 1 < k;
    if (t->sup_median)
        t->median = STATS_SUPPRESSED;
    if (t->sup_p90)
        t->p90 = STATS_SUPPRESSED;
}

static const char *open_age(const char *received, const char *today)
{
    long days = days_between(received, today);

    return days < 7 ? "under-7-days" : days <= 30 ? "7-30-days" : days <= 92 ? "1-3-months" : "over-3-months";
}

/* Where one case falls in every table, or -1 in *cat when a value is outside the vocabularies. */
typedef struct place {
    int cat, sex, age, outcome, status, open_age;
} place;

static place place_of(const stats_case *c, const char *today)
{
    place p = {index_of(stats_categories, c->category), index_of(stats_sexes, c->sex),
               index_of(stats_age_bands, c->age_band), -1, -1, -1};

    if (c->closed[0] != '\0') {
        p.outcome = index_of(stats_outcomes, c->outcome);
    } else {
        p.status = index_of(stats_open_statuses, c->status);
        p.open_age = index_of(stats_open_ages, open_age(c->received, today));
    }
    if (p.sex < 0 || p.age < 0 || (c->closed[0] != '\0' ? p.outcome < 0 : p.status < 0 || p.open_age < 0))
        p.cat = -1;
    return p;
}

/* The primary suppression of the shares' counts: each count and what lies outside it at least k. */
static void shares_primary(stats_report *out)
{
    stats_share *a = &out->ack_within_7_days, *f = &out->feedback_within_3_months;
    long k = out->k;

    a->sup_numerator = a->numerator < k || a->denominator - a->numerator < k;
    a->sup_denominator = out->category_by_sex.sup_total;
    f->sup_denominator = f->denominator < k || a->denominator - f->denominator < k;
    f->sup_numerator = f->numerator < k || f->denominator - f->numerator < k || f->sup_denominator;
}

int stats_compute(const stats_case *cases, size_t n, const char *from, const char *to,
                  const char *today, int k, stats_report *out)
{
    long *ack = calloc(n + 1, sizeof *ack), *close = calloc(n + 1, sizeof *close), nack = 0, nclose = 0;
    int rc;

    memset(out, 0, sizeof *out);
    if (ack == NULL || close == NULL) {
        free(ack);
        free(close);
        return ERR_NOMEM;
    }
    snprintf(out->from, sizeof out->from, "%s", from);
    snprintf(out->to, sizeof out->to, "%s", to);
    out->k = k < STATS_MIN_K ? STATS_MIN_K : k;
    table_init(&out->category_by_sex, "category_by_sex", stats_categories, stats_sexes);
    table_init(&out->category_by_age_band, "category_by_age_band", stats_categories, stats_age_bands);
    table_init(&out->outcomes, "outcomes", stats_categories, stats_outcomes);
    table_init(&out->open_by_status, "open_by_status", stats_open_statuses, NULL);
    table_init(&out->open_by_age, "open_by_age", stats_open_ages, NULL);
    for (size_t i = 0; i < n; i++) {
        const stats_case *c = &cases[i];
        place p = place_of(c, today);
        if (strcmp(c->received, from) < 0 || strcmp(c->received, to) > 0 || p.cat < 0)
            continue;
        table_add(&out->category_by_sex, p.cat, p.sex);
        table_add(&out->category_by_age_band, p.cat, p.age);
        if (c->closed[0] != '\0') {
            table_add(&out->outcomes, p.cat, p.outcome);
            close[nclose++] = days_between(c->received, c->closed);
        } else {
            table_add(&out->open_by_status, p.status, 0);
            table_add(&out->open_by_age, p.open_age, 0);
        }
        out->ack_within_7_days.denominator++;
        if (c->acknowledged[0] != '\0') {
            long days = days_between(c->received, c->acknowledged);
            char due[DAY_TEXT_SIZE];
            ack[nack++] = days;
            out->ack_within_7_days.numerator += days <= WORKFLOW_ACK_DAYS;
            out->feedback_within_3_months.denominator++;
            workflow_feedback_due(c->acknowledged, due);
            out->feedback_within_3_months.numerator += c->closed[0] != '\0' && strcmp(c->closed, due) <= 0;
        }
    }
    /* First whole lines of the category tables and the line rule of the open cases' (stats.h),
     * then the audit suppresses what they missed. */
    stats_suppress_lines(out, out->k);
    primary(&out->open_by_status, out->k);
    primary(&out->open_by_age, out->k);
    suppress_linked_totals(&out->open_by_status, &out->open_by_age);
    shares_primary(out);
    rc = stats_protect(out);
    timing_of(ack, nack, &out->ack_days);
    timing_of(close, nclose, &out->close_days);
    /* days to acknowledgement against 7 bound the count acknowledged within 7 days; days to
     * closure against 89 (3 months from acknowledgement are never fewer) bound the count given
     * feedback in time, through the acknowledged, closed and open totals */
    timing_follows(&out->ack_days, out->feedback_within_3_months.sup_denominator ||
                                       !stats_share_shown(&out->ack_within_7_days), out->k);
    timing_follows(&out->close_days, out->outcomes.sup_total || !stats_share_shown(&out->feedback_within_3_months) ||
                                         out->open_by_status.sup_total, out->k);
    free(ack);
    free(close);
    if (rc != 0)
        memset(out, 0, sizeof *out);
    return rc;
}

const char *stats_mark_note(int k, int fr, char *buf, size_t cap)
{
    snprintf(buf, cap,
             fr ? STATS_MARK " : non publié. Les nombres inférieurs à %d ne sont pas publiés, ni les chiffres "
                  "qui permettraient d'en retrouver un ; la marque ne dit rien de la taille du chiffre."
                : STATS_MARK ": not published. Counts below %d are not published, nor are the figures from which "
                  "one could be worked out; the mark says nothing of the figure's size.",
             k);
    return buf;
}

static const char *key_of(const char *name)
{
    return name[0] ? name : "not-given";
}

static void json_value(FILE *f, long v, unsigned char sup)
{
    if (sup)
        fprintf(f, "null");
    else
        fprintf(f, "%ld", v);
}

/* A one-way view of a table: its row margin (by rows) or its column margin; with_total adds the
 * table's total under "total". */
static void json_margin(FILE *f, const stats_table *t, int by_rows, int with_total)
{
    size_t n = by_rows ? t->rows : t->cols;

    fprintf(f, "{");
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s\"%s\": ", i ? ", " : "", key_of(by_rows ? t->row_names[i] : t->col_names[i]));
        json_value(f, by_rows ? t->row_total[i] : t->col_total[i], by_rows ? t->sup_row[i] : t->sup_col[i]);
    }
    if (with_total) {
        fprintf(f, ", \"total\": ");
        json_value(f, t->total, t->sup_total);
    }
    fprintf(f, "}");
}

/* A two-way table's cells; with_margins adds each row's "total" and a "total" row. */
static void json_two_way(FILE *f, const stats_table *t, int with_margins)
{
    fprintf(f, "{");
    for (size_t r = 0; r < t->rows; r++) {
        fprintf(f, "%s\"%s\": {", r ? ", " : "", key_of(t->row_names[r]));
        for (size_t c = 0; c < t->cols; c++) {
            fprintf(f, "%s\"%s\": ", c ? ", " : "", key_of(t->col_names[c]));
            json_value(f, t->cell[r][c], t->sup_cell[r][c]);
        }
        if (with_margins) {
            fprintf(f, ", \"total\": ");
            json_value(f, t->row_total[r], t->sup_row[r]);
        }
        fprintf(f, "}");
    }
    if (with_margins) {
        fprintf(f, ", \"total\": ");
        json_margin(f, t, 0, 1);
    }
    fprintf(f, "}");
}

static void json_timing(FILE *f, const char *name, const stats_timing *t)
{
    fprintf(f, "\"%s\": {\"cases\": ", name);
    json_value(f, t->n, (unsigned char)t->suppressed);
    fprintf(f, ", \"median\": ");
    json_value(f, t->median, (unsigned char)t->sup_median);
    fprintf(f, ", \"p90\": ");
    json_value(f, t->p90, (unsigned char)t->sup_p90);
    fprintf(f, "}");
}

static void json_share(FILE *f, const char *name, const stats_share *s)
{
    int shown = stats_share_shown(s);

    fprintf(f, "\"%s\": {\"cases\": ", name);
    json_value(f, s->numerator, !shown);
    fprintf(f, ", \"of\": ");
    json_value(f, s->denominator, !shown);
    if (shown)
        fprintf(f, ", \"share\": %.3f}", (double)s->numerator / (double)s->denominator);
    else
        fprintf(f, ", \"share\": null}");
}

void stats_write_json(FILE *f, const stats_report *r)
{
    const stats_table *cs = &r->category_by_sex;
    char note[400];

    fprintf(f, "{\"period\": {\"from\": \"%s\", \"to\": \"%s\"}, \"k\": %d,\n \"not_published\": ", r->from, r->to, r->k);
    json_str(f, stats_mark_note(r->k, 0, note, sizeof note));
    fprintf(f, ",\n \"total\": ");
    json_value(f, cs->total, cs->sup_total);
    fprintf(f, ",\n \"by_category\": ");
    json_margin(f, cs, 1, 0);
    fprintf(f, ",\n \"by_sex\": ");
    json_margin(f, cs, 0, 0);
    fprintf(f, ",\n \"by_age_band\": ");
    json_margin(f, &r->category_by_age_band, 0, 0);
    fprintf(f, ",\n \"category_by_sex\": ");
    json_two_way(f, cs, 0);
    fprintf(f, ",\n \"category_by_age_band\": ");
    json_two_way(f, &r->category_by_age_band, 0);
    fprintf(f, ",\n \"outcomes\": ");
    json_two_way(f, &r->outcomes, 1);
    fprintf(f, ",\n \"open_by_status\": ");
    json_margin(f, &r->open_by_status, 1, 1);
    fprintf(f, ",\n \"open_by_age\": ");
    json_margin(f, &r->open_by_age, 1, 1);
    fprintf(f, ",\n \"timing\": {");
    json_timing(f, "acknowledgement_days", &r->ack_days);
    fprintf(f, ", ");
    json_timing(f, "closure_days", &r->close_days);
    fprintf(f, ", ");
    json_share(f, "acknowledged_within_7_days", &r->ack_within_7_days);
    fprintf(f, ", ");
    json_share(f, "feedback_within_3_months", &r->feedback_within_3_months);
    fprintf(f, "}}\n");
}

static void csv_value(FILE *f, long v, unsigned char sup)
{
    if (sup)
        fprintf(f, STATS_MARK);
    else
        fprintf(f, "%ld", v);
}

static void csv_row(FILE *f, const char *table, const char *row, const char *col, long v, unsigned char sup)
{
    fprintf(f, "%s,%s,%s,", table, row, col);
    csv_value(f, v, sup);
    fprintf(f, "\n");
}

/* A table as CSV rows: table,row,column,value (with its margins, column "total"). */
static void csv_table(FILE *f, const stats_table *t)
{
    for (size_t r = 0; r < t->rows; r++) {
        for (size_t c = 0; t->cols > 1 && c < t->cols; c++)
            csv_row(f, t->id, key_of(t->row_names[r]), key_of(t->col_names[c]), t->cell[r][c], t->sup_cell[r][c]);
        csv_row(f, t->id, key_of(t->row_names[r]), "total", t->row_total[r], t->sup_row[r]);
    }
    for (size_t c = 0; t->cols > 1 && c < t->cols; c++)
        csv_row(f, t->id, "total", key_of(t->col_names[c]), t->col_total[c], t->sup_col[c]);
    csv_row(f, t->id, "total", "total", t->total, t->sup_total);
}

void stats_write_csv(FILE *f, const stats_report *r)
{
    static const char *const timing_names[] = {"acknowledgement_days", "closure_days"};
    static const char *const share_names[] = {"acknowledged_within_7_days", "feedback_within_3_months"};

    fprintf(f, "table,row,column,value\n");
    csv_table(f, &r->category_by_sex);
    csv_table(f, &r->category_by_age_band);
    csv_table(f, &r->outcomes);
    csv_table(f, &r->open_by_status);
    csv_table(f, &r->open_by_age);
    for (int i = 0; i < 2; i++) {
        const stats_timing *t = i ? &r->close_days : &r->ack_days;
        csv_row(f, "timing", timing_names[i], "cases", t->n, (unsigned char)t->suppressed);
        csv_row(f, "timing", timing_names[i], "median", t->median, (unsigned char)t->sup_median);
        csv_row(f, "timing", timing_names[i], "p90", t->p90, (unsigned char)t->sup_p90);
    }
    for (int i = 0; i < 2; i++) {
        const stats_share *s = i ? &r->feedback_within_3_months : &r->ack_within_7_days;
        unsigned char sup = !stats_share_shown(s);
        csv_row(f, "share", share_names[i], "cases", s->numerator, sup);
        csv_row(f, "share", share_names[i], "of", s->denominator, sup);
    }
}

static void text_cell(FILE *f, long v, unsigned char sup)
{
    char buf[24];

    if (sup)
        snprintf(buf, sizeof buf, STATS_MARK);
    else
        snprintf(buf, sizeof buf, "%ld", v);
    fprintf(f, " %9s", buf);
}

static void text_table(FILE *f, const char *title, const stats_table *t)
{
    fprintf(f, "\n%s\n%-27s", title, "");
    for (size_t c = 0; t->cols > 1 && c < t->cols; c++)
        fprintf(f, " %9.9s", key_of(t->col_names[c]));
    fprintf(f, " %9s\n", "total");
    for (size_t r = 0; r < t->rows; r++) {
        fprintf(f, "%-27s", key_of(t->row_names[r]));
        for (size_t c = 0; t->cols > 1 && c < t->cols; c++)
            text_cell(f, t->cell[r][c], t->sup_cell[r][c]);
        text_cell(f, t->row_total[r], t->sup_row[r]);
        fprintf(f, "\n");
    }
    fprintf(f, "%-27s", "total");
    for (size_t c = 0; t->cols > 1 && c < t->cols; c++)
        text_cell(f, t->col_total[c], t->sup_col[c]);
    text_cell(f, t->total, t->sup_total);
    fprintf(f, "\n");
}

static void text_timing(FILE *f, const char *what, const stats_timing *t)
{
    fprintf(f, "%-22s", what);
    if (t->suppressed) {
        fprintf(f, " not published: the counts it could reveal are not published\n");
        return;
    }
    text_cell(f, t->n, 0);
    text_cell(f, t->median, (unsigned char)t->sup_median);
    text_cell(f, t->p90, (unsigned char)t->sup_p90);
    fprintf(f, "%s\n", t->sup_median || t->sup_p90 ? "  (x: fewer than k cases beyond it)" : "");
}

void stats_write_text(FILE *f, const stats_report *r)
{
    char note[400];

    fprintf(f, "Cases received from %s to %s\n", r->from, r->to);
    text_table(f, "By category and sex", &r->category_by_sex);
    text_table(f, "By category and age band", &r->category_by_age_band);
    text_table(f, "Outcomes of closed cases by category", &r->outcomes);
    text_table(f, "Open cases by status", &r->open_by_status);
    text_table(f, "Open cases by age", &r->open_by_age);
    fprintf(f, "\nTiming (days)              cases    median       p90\n");
    text_timing(f, "to acknowledgement", &r->ack_days);
    text_timing(f, "to closure", &r->close_days);
    for (int i = 0; i < 2; i++) {
        const stats_share *s = i ? &r->feedback_within_3_months : &r->ack_within_7_days;
        fprintf(f, "%s: ", i ? "given feedback within 3 months" : "acknowledged within 7 days");
        if (!stats_share_shown(s))
            fprintf(f, "not published\n");
        else
            fprintf(f, "%.0f%% (%ld of %ld)\n", 100.0 * (double)s->numerator / (double)s->denominator,
                    s->numerator, s->denominator);
    }
    fprintf(f, "\n%s\n", stats_mark_note(r->k, 0, note, sizeof note));
}
