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

/*
 * One line of a table: the entries whose sum is another entry (a row's cells and its total, a
 * column's cells and its total, the column totals and the grand total...). Entries are pointers
 * to a value and its suppression flag.
 */
typedef struct line {
    long *value[STATS_MAX_ROWS + STATS_MAX_COLS + 1];
    unsigned char *sup[STATS_MAX_ROWS + STATS_MAX_COLS + 1];
    int is_total[STATS_MAX_ROWS + STATS_MAX_COLS + 1];
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
 * the smallest total. Returns 1 when it changed something. */
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

/*
 * A two-way table as a graph: a vertex per row line (rows 0..R-1, and R for the column totals)
 * and per column line (columns 0..C-1, and C for the row totals); each entry joins its row line
 * and its column line. A suppressed entry can be worked out from what is shown exactly when it
 * is a bridge among the suppressed entries (no other path of suppressed entries joins its two
 * lines): then no cycle lets it move while every printed total stays the same.
 */
static unsigned char *entry_sup(stats_table *t, size_t r, size_t c)
{
    if (r < t->rows && c < t->cols)
        return &t->sup_cell[r][c];
    if (r < t->rows)
        return &t->sup_row[r];
    if (c < t->cols)
        return &t->sup_col[c];
    return &t->sup_total;
}

static long entry_value(const stats_table *t, size_t r, size_t c)
{
    if (r < t->rows && c < t->cols)
        return t->cell[r][c];
    if (r < t->rows)
        return t->row_total[r];
    if (c < t->cols)
        return t->col_total[c];
    return t->total;
}

/* Marks the row and column lines reachable from row line r0 (or column line c0, when r0 is
 * SIZE_MAX) along suppressed entries, never using the entry (skip_r, skip_c). */
static void reach(stats_table *t, size_t r0, size_t c0, size_t skip_r, size_t skip_c,
                  unsigned char *rows, unsigned char *cols)
{
    size_t R = t->rows + 1, C = t->cols + 1;
    int grew = 1;

    memset(rows, 0, R);
    memset(cols, 0, C);
    if (r0 != SIZE_MAX)
        rows[r0] = 1;
    else
        cols[c0] = 1;
    while (grew) {
        grew = 0;
        for (size_t r = 0; r < R; r++)
            for (size_t c = 0; c < C; c++) {
                if ((r == skip_r && c == skip_c) || !*entry_sup(t, r, c) || rows[r] == cols[c])
                    continue;
                rows[r] = cols[c] = 1;
                grew = 1;
            }
    }
}

/* Suppresses one more entry when a suppressed entry is a bridge; returns 1 when it did. */
static int break_bridge(stats_table *t)
{
    size_t R = t->rows + 1, C = t->cols + 1;
    unsigned char rows_a[STATS_MAX_ROWS + 1], cols_a[STATS_MAX_COLS + 1];
    unsigned char rows_b[STATS_MAX_ROWS + 1], cols_b[STATS_MAX_COLS + 1];

    for (size_t r = 0; r < R; r++)
        for (size_t c = 0; c < C; c++) {
            size_t best_r = R, best_c = C;
            if (!*entry_sup(t, r, c))
                continue;
            reach(t, r, 0, r, c, rows_a, cols_a);
            if (cols_a[c])
                continue;   /* on a cycle: safe */
            reach(t, SIZE_MAX, c, r, c, rows_b, cols_b);
            /* Join the two sides with the smallest shown entry between them, preferring cells. */
            for (size_t x = 0; x < R; x++)
                for (size_t y = 0; y < C; y++) {
                    int joins = (rows_a[x] && cols_b[y]) || (rows_b[x] && cols_a[y]);
                    if (!joins || *entry_sup(t, x, y) || (x == r && y == c))
                        continue;
                    if (best_r == R || entry_value(t, x, y) < entry_value(t, best_r, best_c))
                        best_r = x, best_c = y;
                }
            if (best_r == R) {
                /* No entry joins them directly: widen row line r, and try again. */
                for (size_t y = 0; y < C; y++)
                    if (!*entry_sup(t, r, y) && (best_c == C || entry_value(t, r, y) < entry_value(t, r, best_c)))
                        best_r = r, best_c = y;
            }
            if (best_r == R)
                continue;
            *entry_sup(t, best_r, best_c) = 1;
            return 1;
        }
    return 0;
}

/* One round of the line rule over every line of t (then, when the lines are settled, the bridge
 * rule on a two-way table); returns 1 when something changed. */
static int protect_table(stats_table *t)
{
    int changed = 0;
    line l;

    if (t->cols > 1) {
        for (size_t r = 0; r < t->rows; r++) {
            l.n = 0;
            for (size_t c = 0; c < t->cols; c++)
                line_add(&l, &t->cell[r][c], &t->sup_cell[r][c], 0);
            line_add(&l, &t->row_total[r], &t->sup_row[r], 1);
            changed |= protect_line(&l);
        }
        l.n = 0;
        for (size_t c = 0; c < t->cols; c++)
            line_add(&l, &t->col_total[c], &t->sup_col[c], 0);
        line_add(&l, &t->total, &t->sup_total, 1);
        changed |= protect_line(&l);
    }
    for (size_t c = 0; c < t->cols; c++) {
        l.n = 0;
        for (size_t r = 0; r < t->rows; r++)
            line_add(&l, &t->cell[r][c], &t->sup_cell[r][c], 0);
        line_add(&l, &t->col_total[c], &t->sup_col[c], 1);
        changed |= protect_line(&l);
    }
    if (t->cols > 1) {
        l.n = 0;
        for (size_t r = 0; r < t->rows; r++)
            line_add(&l, &t->row_total[r], &t->sup_row[r], 0);
        line_add(&l, &t->total, &t->sup_total, 1);
        changed |= protect_line(&l);
    } else {
        /* A one-way table: its cells are its row totals, its one column total its total. */
        for (size_t r = 0; r < t->rows; r++)
            t->sup_row[r] = t->sup_cell[r][0];
        if (t->sup_total != t->sup_col[0]) {
            t->sup_total = t->sup_col[0] = 1;
            changed = 1;
        }
    }
    if (!changed && t->cols > 1)
        changed = break_bridge(t);
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

void stats_suppress_table(stats_table *t, int k)
{
    if (k < STATS_MIN_K)
        k = STATS_MIN_K;
    primary(t, k);
    while (protect_table(t))
        ;
}

/* Suppresses two tables that share their row totals, until both are stable. */
static void suppress_linked_rows(stats_table *a, stats_table *b, int k)
{
    int changed;

    primary(a, k);
    primary(b, k);
    do {
        changed = 0;
        while (protect_table(a))
            changed = 1;
        while (protect_table(b))
            changed = 1;
        for (size_t r = 0; r < a->rows; r++) {
            unsigned char u = a->sup_row[r] | b->sup_row[r];
            changed |= u != a->sup_row[r] || u != b->sup_row[r];
            a->sup_row[r] = b->sup_row[r] = u;
        }
        {
            unsigned char u = a->sup_total | b->sup_total;
            changed |= u != a->sup_total || u != b->sup_total;
            a->sup_total = b->sup_total = u;
        }
    } while (changed);
}

/* The line rule over two one-way tables that share their total, keeping it shared. */
static void suppress_linked_totals(stats_table *a, stats_table *b)
{
    int changed;

    do {
        changed = 0;
        unsigned char u = a->sup_total | b->sup_total;
        a->sup_total = b->sup_total = a->sup_col[0] = b->sup_col[0] = u;
        while (protect_table(a))
            changed = 1;
        while (protect_table(b))
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
static void timing_of(long *v, long n, int k, stats_timing *t)
{
    t->n = n;
    if (n < k) {
        t->median = t->p90 = STATS_SUPPRESSED;
        return;
    }
    qsort(v, (size_t)n, sizeof *v, cmp_long);
    t->median = v[(n - 1) / 2];
    t->p90 = v[(9 * n + 9) / 10 - 1];
}

static const char *open_age(const char *received, const char *today)
{
    long days = days_between(received, today);

    return days < 7 ? "under-7-days" : days <= 30 ? "7-30-days" : days <= 92 ? "1-3-months" : "over-3-months";
}

int stats_compute(const stats_case *cases, size_t n, const char *from, const char *to,
                  const char *today, int k, stats_report *out)
{
    long *ack = calloc(n + 1, sizeof *ack), *close = calloc(n + 1, sizeof *close), nack = 0, nclose = 0;

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
        int cat = index_of(stats_categories, c->category);
        if (strcmp(c->received, from) < 0 || strcmp(c->received, to) > 0 || cat < 0)
            continue;
        table_add(&out->category_by_sex, cat, index_of(stats_sexes, c->sex));
        table_add(&out->category_by_age_band, cat, index_of(stats_age_bands, c->age_band));
        if (c->closed[0] != '\0') {
            table_add(&out->outcomes, cat, index_of(stats_outcomes, c->outcome));
            close[nclose++] = days_between(c->received, c->closed);
        } else {
            table_add(&out->open_by_status, index_of(stats_open_statuses, c->status), 0);
            table_add(&out->open_by_age, index_of(stats_open_ages, open_age(c->received, today)), 0);
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
    suppress_linked_rows(&out->category_by_sex, &out->category_by_age_band, out->k);
    stats_suppress_table(&out->outcomes, out->k);
    primary(&out->open_by_status, out->k);
    primary(&out->open_by_age, out->k);
    suppress_linked_totals(&out->open_by_status, &out->open_by_age);
    /* Every case is closed or open: total = closed + open, another line across tables. */
    for (;;) {
        unsigned char *s[3] = {&out->category_by_sex.sup_total, &out->outcomes.sup_total, &out->open_by_status.sup_total};
        long v[3] = {out->category_by_sex.total, out->outcomes.total, out->open_by_status.total};
        int nsup = *s[0] + *s[1] + *s[2], pick = *s[1] ? 2 : 1;
        if (nsup != 1)
            break;
        if (*s[0])
            pick = v[1] <= v[2] ? 1 : 2;
        if (pick == 1)
            out->outcomes.sup_total = 1;
        else
            out->open_by_status.sup_total = out->open_by_status.sup_col[0] = 1;
        /* the newly suppressed total must itself be protected within its tables */
        while (protect_table(&out->outcomes))
            ;
        suppress_linked_totals(&out->open_by_status, &out->open_by_age);
    }
    timing_of(ack, nack, out->k, &out->ack_days);
    timing_of(close, nclose, out->k, &out->close_days);
    for (int i = 0; i < 2; i++) {
        stats_share *s = i ? &out->feedback_within_3_months : &out->ack_within_7_days;
        /* A share reveals the cases outside it too: both must be at least k. */
        s->suppressed = s->denominator < out->k || s->numerator < out->k ||
                        s->denominator - s->numerator < out->k;
    }
    free(ack);
    free(close);
    return 0;
}

static const char *key_of(const char *name)
{
    return name[0] ? name : "not-given";
}

static void json_value(FILE *f, long v, unsigned char sup, int k)
{
    if (sup)
        fprintf(f, "\"<%d\"", k);
    else
        fprintf(f, "%ld", v);
}

/* A one-way view of a table: its row margin (by rows) or its column margin. */
static void json_margin(FILE *f, const stats_table *t, int by_rows, int k)
{
    size_t n = by_rows ? t->rows : t->cols;

    fprintf(f, "{");
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s\"%s\": ", i ? ", " : "", key_of(by_rows ? t->row_names[i] : t->col_names[i]));
        json_value(f, by_rows ? t->row_total[i] : t->col_total[i], by_rows ? t->sup_row[i] : t->sup_col[i], k);
    }
    fprintf(f, "}");
}

static void json_two_way(FILE *f, const stats_table *t, int k)
{
    fprintf(f, "{");
    for (size_t r = 0; r < t->rows; r++) {
        fprintf(f, "%s\"%s\": {", r ? ", " : "", key_of(t->row_names[r]));
        for (size_t c = 0; c < t->cols; c++) {
            fprintf(f, "%s\"%s\": ", c ? ", " : "", key_of(t->col_names[c]));
            json_value(f, t->cell[r][c], t->sup_cell[r][c], k);
        }
        fprintf(f, "}");
    }
    fprintf(f, "}");
}

static void json_timing(FILE *f, const char *name, const stats_timing *t, int k)
{
    fprintf(f, "\"%s\": {\"median\": ", name);
    json_value(f, t->median, t->median == STATS_SUPPRESSED, k);
    fprintf(f, ", \"p90\": ");
    json_value(f, t->p90, t->p90 == STATS_SUPPRESSED, k);
    fprintf(f, "}");
}

static void json_share(FILE *f, const char *name, const stats_share *s, int k)
{
    fprintf(f, "\"%s\": ", name);
    if (s->suppressed)
        fprintf(f, "\"<%d\"", k);
    else
        fprintf(f, "%.3f", (double)s->numerator / (double)s->denominator);
}

void stats_write_json(FILE *f, const stats_report *r)
{
    const stats_table *cs = &r->category_by_sex;

    fprintf(f, "{\"period\": {\"from\": \"%s\", \"to\": \"%s\"}, \"k\": %d, \"total\": ", r->from, r->to, r->k);
    json_value(f, cs->total, cs->sup_total, r->k);
    fprintf(f, ",\n \"by_category\": ");
    json_margin(f, cs, 1, r->k);
    fprintf(f, ",\n \"by_sex\": ");
    json_margin(f, cs, 0, r->k);
    fprintf(f, ",\n \"by_age_band\": ");
    json_margin(f, &r->category_by_age_band, 0, r->k);
    fprintf(f, ",\n \"category_by_sex\": ");
    json_two_way(f, cs, r->k);
    fprintf(f, ",\n \"category_by_age_band\": ");
    json_two_way(f, &r->category_by_age_band, r->k);
    fprintf(f, ",\n \"outcomes\": ");
    json_two_way(f, &r->outcomes, r->k);
    fprintf(f, ",\n \"open_by_status\": ");
    json_margin(f, &r->open_by_status, 1, r->k);
    fprintf(f, ",\n \"open_by_age\": ");
    json_margin(f, &r->open_by_age, 1, r->k);
    fprintf(f, ",\n \"timing\": {");
    json_timing(f, "acknowledgement_days", &r->ack_days, r->k);
    fprintf(f, ", ");
    json_timing(f, "closure_days", &r->close_days, r->k);
    fprintf(f, ", ");
    json_share(f, "acknowledged_within_7_days", &r->ack_within_7_days, r->k);
    fprintf(f, ", ");
    json_share(f, "feedback_within_3_months", &r->feedback_within_3_months, r->k);
    fprintf(f, "}}\n");
}

static void csv_value(FILE *f, long v, unsigned char sup, int k)
{
    if (sup)
        fprintf(f, "<%d", k);
    else
        fprintf(f, "%ld", v);
}

/* A table as CSV rows: table,row,column,value (with its margins, column "total"). */
static void csv_table(FILE *f, const char *id, const stats_table *t, int k)
{
    for (size_t r = 0; r < t->rows; r++) {
        for (size_t c = 0; t->cols > 1 && c < t->cols; c++) {
            fprintf(f, "%s,%s,%s,", id, key_of(t->row_names[r]), key_of(t->col_names[c]));
            csv_value(f, t->cell[r][c], t->sup_cell[r][c], k);
            fprintf(f, "\n");
        }
        fprintf(f, "%s,%s,total,", id, key_of(t->row_names[r]));
        csv_value(f, t->row_total[r], t->sup_row[r], k);
        fprintf(f, "\n");
    }
    for (size_t c = 0; t->cols > 1 && c < t->cols; c++) {
        fprintf(f, "%s,total,%s,", id, key_of(t->col_names[c]));
        csv_value(f, t->col_total[c], t->sup_col[c], k);
        fprintf(f, "\n");
    }
    fprintf(f, "%s,total,total,", id);
    csv_value(f, t->total, t->sup_total, k);
    fprintf(f, "\n");
}

void stats_write_csv(FILE *f, const stats_report *r)
{
    fprintf(f, "table,row,column,value\n");
    csv_table(f, "category_by_sex", &r->category_by_sex, r->k);
    csv_table(f, "category_by_age_band", &r->category_by_age_band, r->k);
    csv_table(f, "outcomes", &r->outcomes, r->k);
    csv_table(f, "open_by_status", &r->open_by_status, r->k);
    csv_table(f, "open_by_age", &r->open_by_age, r->k);
    fprintf(f, "timing,acknowledgement_days,median,");
    csv_value(f, r->ack_days.median, r->ack_days.median == STATS_SUPPRESSED, r->k);
    fprintf(f, "\ntiming,acknowledgement_days,p90,");
    csv_value(f, r->ack_days.p90, r->ack_days.p90 == STATS_SUPPRESSED, r->k);
    fprintf(f, "\ntiming,closure_days,median,");
    csv_value(f, r->close_days.median, r->close_days.median == STATS_SUPPRESSED, r->k);
    fprintf(f, "\ntiming,closure_days,p90,");
    csv_value(f, r->close_days.p90, r->close_days.p90 == STATS_SUPPRESSED, r->k);
    fprintf(f, "\n");
}

static void text_cell(FILE *f, long v, unsigned char sup, int k)
{
    char buf[16];

    if (sup)
        snprintf(buf, sizeof buf, "<%d", k);
    else
        snprintf(buf, sizeof buf, "%ld", v);
    fprintf(f, " %9s", buf);
}

static void text_table(FILE *f, const char *title, const stats_table *t, int k)
{
    fprintf(f, "\n%s\n%-27s", title, "");
    for (size_t c = 0; t->cols > 1 && c < t->cols; c++)
        fprintf(f, " %9.9s", key_of(t->col_names[c]));
    fprintf(f, " %9s\n", "total");
    for (size_t r = 0; r < t->rows; r++) {
        fprintf(f, "%-27s", key_of(t->row_names[r]));
        for (size_t c = 0; t->cols > 1 && c < t->cols; c++)
            text_cell(f, t->cell[r][c], t->sup_cell[r][c], k);
        text_cell(f, t->row_total[r], t->sup_row[r], k);
        fprintf(f, "\n");
    }
    fprintf(f, "%-27s", "total");
    for (size_t c = 0; t->cols > 1 && c < t->cols; c++)
        text_cell(f, t->col_total[c], t->sup_col[c], k);
    text_cell(f, t->total, t->sup_total, k);
    fprintf(f, "\n");
}

void stats_write_text(FILE *f, const stats_report *r)
{
    fprintf(f, "Cases received from %s to %s (cells below %d suppressed, with complementary suppression)\n",
            r->from, r->to, r->k);
    text_table(f, "By category and sex", &r->category_by_sex, r->k);
    text_table(f, "By category and age band", &r->category_by_age_band, r->k);
    text_table(f, "Outcomes of closed cases by category", &r->outcomes, r->k);
    text_table(f, "Open cases by status", &r->open_by_status, r->k);
    text_table(f, "Open cases by age", &r->open_by_age, r->k);
    fprintf(f, "\nTiming (days)            median       p90\n%-22s", "to acknowledgement");
    text_cell(f, r->ack_days.median, r->ack_days.median == STATS_SUPPRESSED, r->k);
    text_cell(f, r->ack_days.p90, r->ack_days.p90 == STATS_SUPPRESSED, r->k);
    fprintf(f, "\n%-22s", "to closure");
    text_cell(f, r->close_days.median, r->close_days.median == STATS_SUPPRESSED, r->k);
    text_cell(f, r->close_days.p90, r->close_days.p90 == STATS_SUPPRESSED, r->k);
    fprintf(f, "\n");
    for (int i = 0; i < 2; i++) {
        const stats_share *s = i ? &r->feedback_within_3_months : &r->ack_within_7_days;
        fprintf(f, "%s: ", i ? "given feedback within 3 months" : "acknowledged within 7 days");
        if (s->suppressed)
            fprintf(f, "suppressed (fewer than %d)\n", r->k);
        else
            fprintf(f, "%.0f%% (%ld of %ld)\n", 100.0 * (double)s->numerator / (double)s->denominator,
                    s->numerator, s->denominator);
    }
}
