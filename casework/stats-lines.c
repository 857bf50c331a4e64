/*
 * stats-lines.c: complementary suppression of the three category tables by whole lines (see
 * stats_suppress_lines in stats.h).
 *
 * A cell hidden alone in a two-way table is pinned by its row and its column; one hidden on a
 * short cycle of cells can move only as far as the smallest of them, so a large cell hidden to
 * protect a small one is seen to be large. Whole lines do better: when two or more columns of a
 * table are hidden with their totals, each hidden cell of a shown row can take any value from 0
 * to the sum of that row's hidden cells (the rest moves to the other hidden columns, whose
 * totals move with them), and likewise for hidden rows. So this pass hides rows (categories:
 * in both cross tables, whose category totals are the same figures, and in the outcomes table)
 * and columns (of one table each) until every small figure lies on a hidden line, hidden lines
 * come at least two at a time, and every hidden part of a shown line sums to k or more. The
 * audit (stats-audit.h) then checks the result over all tables at once.
 */
#include <stddef.h>
#include <stdint.h>

#include "stats.h"

enum { T_SEX, T_AGE, T_OUT, NTABLES };

typedef struct lines {
    stats_table *t[NTABLES];
    unsigned char row[NTABLES][STATS_MAX_ROWS];   /* T_SEX and T_AGE always alike */
    unsigned char col[NTABLES][STATS_MAX_COLS];
    int k;
} lines;

static int hidden(const lines *l, int t, size_t r, size_t c)
{
    return l->row[t][r] || l->col[t][c];
}

/* What hiding row r loses: its shown cells and total, in the tables it would be hidden in. */
static long row_cost(const lines *l, size_t r, int only_outcomes)
{
    long cost = 0;

    for (int t = only_outcomes ? T_OUT : T_SEX; t < NTABLES; t++) {
        if (l->row[t][r])
            continue;
        for (size_t c = 0; c < l->t[t]->cols; c++)
            cost += hidden(l, t, r, c) ? 0 : l->t[t]->cell[r][c];
        cost += t == T_AGE ? 0 : l->t[t]->row_total[r];   /* one figure, printed twice */
    }
    return cost + 1;   /* a line of zeros still costs something */
}

static long col_cost(const lines *l, int t, size_t c)
{
    long cost = 0;

    if (l->col[t][c])
        return 0;
    for (size_t r = 0; r < l->t[t]->rows; r++)
        cost += hidden(l, t, r, c) ? 0 : l->t[t]->cell[r][c];
    return cost + l->t[t]->col_total[c] + 1;
}

/* Hides category row r: in every table (only_outcomes 0) or in the outcomes table alone. */
static void hide_row(lines *l, size_t r, int only_outcomes)
{
    for (int t = only_outcomes ? T_OUT : T_SEX; t < NTABLES; t++)
        l->row[t][r] = 1;
}

/* The cheapest row not hidden in table t (the whole set when t is not T_OUT), or SIZE_MAX. */
static size_t cheapest_row(const lines *l, int t)
{
    size_t best = SIZE_MAX;
    long best_cost = 0;

    for (size_t r = 0; r < l->t[t]->rows; r++) {
        long cost;
        if (l->row[t][r])
            continue;
        cost = row_cost(l, r, t == T_OUT);
        if (best == SIZE_MAX || cost < best_cost)
            best = r, best_cost = cost;
    }
    return best;
}

static size_t cheapest_col(const lines *l, int t)
{
    size_t best = SIZE_MAX;
    long best_cost = 0;

    for (size_t c = 0; c < l->t[t]->cols; c++) {
        long cost;
        if (l->col[t][c])
            continue;
        cost = col_cost(l, t, c);
        if (best == SIZE_MAX || cost < best_cost)
            best = c, best_cost = cost;
    }
    return best;
}

static size_t count(const unsigned char *v, size_t n)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        k += v[i] != 0;
    return k;
}

/* Either hides row r (in table t's sense) or one more column of t, whichever loses less. */
static void hide_row_or_col(lines *l, int t, size_t r)
{
    size_t c = cheapest_col(l, t);

    if (c == SIZE_MAX || row_cost(l, r, t == T_OUT) <= col_cost(l, t, c))
        hide_row(l, r, t == T_OUT);
    else
        l->col[t][c] = 1;
}

static void hide_col_or_row(lines *l, int t, size_t c)
{
    size_t r = cheapest_row(l, t);

    if (r == SIZE_MAX || col_cost(l, t, c) <= row_cost(l, r, t == T_OUT))
        l->col[t][c] = 1;
    else
        hide_row(l, r, t == T_OUT);
}

/* One rule that fails, mended; returns 1 when something changed. */
static int mend_one(lines *l)
{
    for (int t = 0; t < NTABLES; t++) {
        stats_table *tb = l->t[t];
        size_t nrows = count(l->row[t], tb->rows), ncols = count(l->col[t], tb->cols);
        long sum;
        /* every small figure on a hidden line */
        for (size_t r = 0; r < tb->rows; r++) {
            if (!l->row[t][r] && tb->row_total[r] < l->k) {
                hide_row(l, r, t == T_OUT);
                return 1;
            }
            for (size_t c = 0; c < tb->cols; c++)
                if (!hidden(l, t, r, c) && tb->cell[r][c] < l->k) {
                    /* the cheaper line through it */
                    if (row_cost(l, r, t == T_OUT) <= col_cost(l, t, c))
                        hide_row(l, r, t == T_OUT);
                    else
                        l->col[t][c] = 1;
                    return 1;
                }
        }
        for (size_t c = 0; c < tb->cols; c++)
            if (!l->col[t][c] && tb->col_total[c] < l->k) {
                l->col[t][c] = 1;
                return 1;
            }
        /* hidden lines come two or more at a time (the totals would give a lone one away) */
        if (nrows == 1 && cheapest_row(l, t) != SIZE_MAX) {
            hide_row(l, cheapest_row(l, t), t == T_OUT);
            return 1;
        }
        if (ncols == 1 && cheapest_col(l, t) != SIZE_MAX) {
            l->col[t][cheapest_col(l, t)] = 1;
            return 1;
        }
        /* every hidden part of a shown line sums to k or more, and so do the hidden totals */
        for (size_t r = 0; ncols > 0 && r < tb->rows; r++) {
            if (l->row[t][r])
                continue;
            sum = 0;
            for (size_t c = 0; c < tb->cols; c++)
                sum += l->col[t][c] ? tb->cell[r][c] : 0;
            if (sum < l->k) {
                hide_row_or_col(l, t, r);
                return 1;
            }
        }
        for (size_t c = 0; nrows > 0 && c < tb->cols; c++) {
            if (l->col[t][c])
                continue;
            sum = 0;
            for (size_t r = 0; r < tb->rows; r++)
                sum += l->row[t][r] ? tb->cell[r][c] : 0;
            if (sum < l->k) {
                hide_col_or_row(l, t, c);
                return 1;
            }
        }
        sum = 0;
        for (size_t r = 0; r < tb->rows; r++)
            sum += l->row[t][r] ? tb->row_total[r] : 0;
        if (nrows > 0 && sum < l->k && cheapest_row(l, t) != SIZE_MAX) {
            hide_row(l, cheapest_row(l, t), t == T_OUT);
            return 1;
        }
        sum = 0;
        for (size_t c = 0; c < tb->cols; c++)
            sum += l->col[t][c] ? tb->col_total[c] : 0;
        if (ncols > 0 && sum < l->k && cheapest_col(l, t) != SIZE_MAX) {
            l->col[t][cheapest_col(l, t)] = 1;
            return 1;
        }
    }
    return 0;
}

void stats_suppress_lines(stats_report *r, int k)
{
    lines l = {.t = {&r->category_by_sex, &r->category_by_age_band, &r->outcomes}, .k = k};

    while (mend_one(&l))
        ;
    for (int t = 0; t < NTABLES; t++) {
        stats_table *tb = l.t[t];
        for (size_t i = 0; i < tb->rows; i++) {
            for (size_t c = 0; c < tb->cols; c++)
                tb->sup_cell[i][c] = (unsigned char)hidden(&l, t, i, c);
            tb->sup_row[i] = l.row[t][i];
        }
        for (size_t c = 0; c < tb->cols; c++)
            tb->sup_col[c] = l.col[t][c];
        tb->sup_total = tb->total < k;
    }
    /* the two cross tables print one grand total */
    r->category_by_sex.sup_total |= r->category_by_age_band.sup_total;
    r->category_by_age_band.sup_total = r->category_by_sex.sup_total;
}
