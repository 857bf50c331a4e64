/*
 * stats-audit.c: the annual figures as linear expressions over one model of the cases, their
 * feasible ranges computed with GLPK's simplex, and suppression until every range passes (see
 * stats-audit.h).
 */
#define _GNU_SOURCE 1   /* qsort_r */
#include "stats-audit.h"

#include <glpk.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"

#define MAX_FLAGS 4
#define BITWORDS 12   /* counts at most 64 * 12: ample for STATS_MAX_ROWS and STATS_MAX_COLS */
#define NO_FIGURE ((size_t)-1)
#define EPS 1e-6

/* A figure: what it sums, the report's flags that print it, and what forces it to follow. */
typedef struct fig {
    stats_figure pub;
    const char *table;          /* withheld together: the figures of one printed table */
    unsigned char *flags[MAX_FLAGS];
    size_t nflags;
    int *vars;                  /* the model's counts it sums (GLPK column numbers) */
    size_t nvars;
    uint64_t bits[BITWORDS];    /* the same counts, as a set */
    size_t follows;             /* suppressed whenever that figure is (a share and its denominator) */
    int grp[2];                 /* the lines it lies on (a category, a column...), or -1 */
    int passes;                 /* suppressed and its range was found to pass */
    int primary;                /* below k, or a share's count with fewer than k outside it */
} fig;

typedef struct model {
    fig spare;                  /* what fig_new gives past the sizes build_figures counted */
    int *spare_vars;            /* as many as there are counts */
    int overflow;
    fig *f;
    size_t n, cap;
    int *var_pool;
    size_t pool_used, pool_cap;
    int ncols, nstruct;         /* GLPK columns; structural rows before the figures' rows */
    int ngroups;                /* lines, numbered as in build_figures */
    int k;
    glp_prob *lp;
    glp_smcp parm;
} model;

/* The dimensions of the model and the column of each count. */
typedef struct dims {
    int nc, ns, na, no, nst, noa;
    int b2, b3, b4, b5;
} dims;

static int x1(const dims *d, int c, int s) { return 1 + c * d->ns + s; }
static int x2(const dims *d, int c, int a) { return d->b2 + c * d->na + a; }
static int y_(const dims *d, int c, int o) { return d->b3 + c * d->no + o; }
static int z_(const dims *d, int c, int st, int ag) { return d->b4 + (c * d->nst + st) * d->noa + ag; }
static int var_a(const dims *d) { return d->b5; }
static int var_d(const dims *d) { return d->b5 + 1; }
static int var_m(const dims *d) { return d->b5 + 2; }

static const char *key(const char *name)
{
    return name[0] ? name : "not-given";
}

static fig *fig_new(model *m, const char *table, long value, size_t nvars)
{
    fig *f;

    if (m->n == m->cap || m->pool_used + nvars > m->pool_cap) {
        m->overflow = 1;   /* build_figures sized both: not reached, and build() fails if it is */
        f = &m->spare;
        memset(f, 0, sizeof *f);
        f->vars = m->spare_vars;
        f->table = table;
        f->follows = NO_FIGURE;
        f->grp[0] = f->grp[1] = -1;
        f->nvars = 0;
        return f;
    }
    f = &m->f[m->n++];
    memset(f, 0, sizeof *f);
    f->grp[0] = f->grp[1] = -1;
    f->table = table;
    f->pub.value = value;
    f->vars = m->var_pool + m->pool_used;
    m->pool_used += nvars;
    f->follows = NO_FIGURE;
    return f;
}

static void fig_flag(fig *f, unsigned char *flag)
{
    if (f->nflags < MAX_FLAGS)
        f->flags[f->nflags++] = flag;
}

/* Adds a figure with one or two flags; vars are added by the caller. */
static fig *add(model *m, const char *table, long value, size_t nvars, unsigned char *f1, unsigned char *f2)
{
    fig *f = fig_new(m, table, value, nvars);

    fig_flag(f, f1);
    if (f2 != NULL)
        fig_flag(f, f2);
    return f;
}

/* The lines a figure can be hidden with: a category (both cross tables), a category's outcomes,
 * a column of each table, and the open cases' two tables. */
static int g_cat(const dims *d, int c) { (void)d; return c; }
static int g_out_row(const dims *d, int c) { return d->nc + c; }
static int g_sex(const dims *d, int s) { return 2 * d->nc + s; }
static int g_age(const dims *d, int a) { return 2 * d->nc + d->ns + a; }
static int g_out_col(const dims *d, int o) { return 2 * d->nc + d->ns + d->na + o; }
static int g_open(const dims *d) { return 2 * d->nc + d->ns + d->na + d->no; }

static void lines_of(fig *f, int g0, int g1)
{
    f->grp[0] = g0;
    f->grp[1] = g1;
}

#define NAME(f, ...) snprintf((f)->pub.name, sizeof (f)->pub.name, __VA_ARGS__)

/* The figures of r, in the order the JSON prints them. Returns 0 or ERR_NOMEM. */
static int build_figures(model *m, stats_report *r, dims *d)
{
    stats_table *cs = &r->category_by_sex, *ca = &r->category_by_age_band, *o = &r->outcomes;
    stats_table *os = &r->open_by_status, *oa = &r->open_by_age;
    size_t cap_vars;
    fig *f, *total, *open_total, *ack;

    d->nc = (int)cs->rows; d->ns = (int)cs->cols; d->na = (int)ca->cols; d->no = (int)o->cols;
    d->nst = (int)os->rows; d->noa = (int)oa->rows;
    d->b2 = 1 + d->nc * d->ns;
    d->b3 = d->b2 + d->nc * d->na;
    d->b4 = d->b3 + d->nc * d->no;
    d->b5 = d->b4 + d->nc * d->nst * d->noa;
    m->ncols = d->b5 + 2;
    m->ngroups = g_open(d) + 1;
    m->cap = (size_t)(d->nc * d->ns + d->nc + d->ns + 1 + d->nc * d->na + d->na + d->nc * d->no + d->nc + d->no + 1 +
                      d->nst + 1 + d->noa + 3);
    /* each figure sums at most every count: a generous bound */
    cap_vars = m->cap * (size_t)m->ncols + 1;
    m->f = calloc(m->cap, sizeof *m->f);
    m->var_pool = calloc(cap_vars, sizeof *m->var_pool);
    m->spare_vars = calloc((size_t)m->ncols + 1, sizeof *m->spare_vars);
    m->pool_cap = cap_vars;
    m->pool_used = 1;   /* so that every figure's vars - 1 is in the pool: GLPK reads ind[1..len] */
    if (m->f == NULL || m->var_pool == NULL || m->spare_vars == NULL)
        return ERR_NOMEM;

    total = add(m, "category_by_sex", cs->total, (size_t)(d->nc * d->ns), &cs->sup_total, &ca->sup_total);
    fig_flag(total, &r->ack_within_7_days.sup_denominator);
    NAME(total, "total");
    for (int c = 0; c < d->nc; c++)
        for (int s = 0; s < d->ns; s++)
            total->vars[total->nvars++] = x1(d, c, s);
    for (int c = 0; c < d->nc; c++) {
        f = add(m, "category_by_sex", cs->row_total[c], (size_t)d->ns, &cs->sup_row[c], &ca->sup_row[c]);
        NAME(f, "by_category/%s", key(cs->row_names[c]));
        lines_of(f, g_cat(d, c), -1);
        for (int s = 0; s < d->ns; s++)
            f->vars[f->nvars++] = x1(d, c, s);
    }
    for (int s = 0; s < d->ns; s++) {
        f = add(m, "category_by_sex", cs->col_total[s], (size_t)d->nc, &cs->sup_col[s], NULL);
        NAME(f, "by_sex/%s", key(cs->col_names[s]));
        lines_of(f, g_sex(d, s), -1);
        for (int c = 0; c < d->nc; c++)
            f->vars[f->nvars++] = x1(d, c, s);
    }
    for (int a = 0; a < d->na; a++) {
        f = add(m, "category_by_age_band", ca->col_total[a], (size_t)d->nc, &ca->sup_col[a], NULL);
        NAME(f, "by_age_band/%s", key(ca->col_names[a]));
        lines_of(f, g_age(d, a), -1);
        for (int c = 0; c < d->nc; c++)
            f->vars[f->nvars++] = x2(d, c, a);
    }
    for (int c = 0; c < d->nc; c++)
        for (int s = 0; s < d->ns; s++) {
            f = add(m, "category_by_sex", cs->cell[c][s], 1, &cs->sup_cell[c][s], NULL);
            NAME(f, "category_by_sex/%s/%s", key(cs->row_names[c]), key(cs->col_names[s]));
            lines_of(f, g_cat(d, c), g_sex(d, s));
            f->vars[f->nvars++] = x1(d, c, s);
        }
    for (int c = 0; c < d->nc; c++)
        for (int a = 0; a < d->na; a++) {
            f = add(m, "category_by_age_band", ca->cell[c][a], 1, &ca->sup_cell[c][a], NULL);
            NAME(f, "category_by_age_band/%s/%s", key(ca->row_names[c]), key(ca->col_names[a]));
            lines_of(f, g_cat(d, c), g_age(d, a));
            f->vars[f->nvars++] = x2(d, c, a);
        }
    for (int c = 0; c < d->nc; c++) {
        for (int v = 0; v < d->no; v++) {
            f = add(m, "outcomes", o->cell[c][v], 1, &o->sup_cell[c][v], NULL);
            NAME(f, "outcomes/%s/%s", key(o->row_names[c]), key(o->col_names[v]));
            lines_of(f, g_out_row(d, c), g_out_col(d, v));
            f->vars[f->nvars++] = y_(d, c, v);
        }
        f = add(m, "outcomes", o->row_total[c], (size_t)d->no, &o->sup_row[c], NULL);
        NAME(f, "outcomes/%s/total", key(o->row_names[c]));
        lines_of(f, g_out_row(d, c), -1);
        for (int v = 0; v < d->no; v++)
            f->vars[f->nvars++] = y_(d, c, v);
    }
    for (int v = 0; v < d->no; v++) {
        f = add(m, "outcomes", o->col_total[v], (size_t)d->nc, &o->sup_col[v], NULL);
        NAME(f, "outcomes/total/%s", key(o->col_names[v]));
        lines_of(f, g_out_col(d, v), -1);
        for (int c = 0; c < d->nc; c++)
            f->vars[f->nvars++] = y_(d, c, v);
    }
    f = add(m, "outcomes", o->total, (size_t)(d->nc * d->no), &o->sup_total, NULL);
    NAME(f, "outcomes/total/total");
    for (int c = 0; c < d->nc; c++)
        for (int v = 0; v < d->no; v++)
            f->vars[f->nvars++] = y_(d, c, v);
    for (int st = 0; st < d->nst; st++) {
        f = add(m, "open", os->row_total[st], (size_t)(d->nc * d->noa), &os->sup_row[st], &os->sup_cell[st][0]);
        NAME(f, "open_by_status/%s", key(os->row_names[st]));
        lines_of(f, g_open(d), -1);
        for (int c = 0; c < d->nc; c++)
            for (int ag = 0; ag < d->noa; ag++)
                f->vars[f->nvars++] = z_(d, c, st, ag);
    }
    open_total = add(m, "open", os->total, (size_t)(d->nc * d->nst * d->noa), &os->sup_total, &os->sup_col[0]);
    fig_flag(open_total, &oa->sup_total);
    fig_flag(open_total, &oa->sup_col[0]);
    NAME(open_total, "open_by_status/total");
    lines_of(open_total, g_open(d), -1);
    for (int c = 0; c < d->nc; c++)
        for (int st = 0; st < d->nst; st++)
            for (int ag = 0; ag < d->noa; ag++)
                open_total->vars[open_total->nvars++] = z_(d, c, st, ag);
    for (int ag = 0; ag < d->noa; ag++) {
        f = add(m, "open", oa->row_total[ag], (size_t)(d->nc * d->nst), &oa->sup_row[ag], &oa->sup_cell[ag][0]);
        NAME(f, "open_by_age/%s", key(oa->row_names[ag]));
        lines_of(f, g_open(d), -1);
        for (int c = 0; c < d->nc; c++)
            for (int st = 0; st < d->nst; st++)
                f->vars[f->nvars++] = z_(d, c, st, ag);
    }
    ack = add(m, "shares", r->feedback_within_3_months.denominator, 1,
              &r->feedback_within_3_months.sup_denominator, NULL);
    NAME(ack, "acknowledged");
    ack->vars[ack->nvars++] = var_d(d);
    ack->follows = (size_t)(total - m->f);   /* the cases never acknowledged: k or more too */
    f = add(m, "shares", r->ack_within_7_days.numerator, 1, &r->ack_within_7_days.sup_numerator, NULL);
    NAME(f, "acknowledged_within_7_days");
    f->vars[f->nvars++] = var_a(d);
    f->follows = (size_t)(total - m->f);
    f = add(m, "shares", r->feedback_within_3_months.numerator, 1, &r->feedback_within_3_months.sup_numerator, NULL);
    NAME(f, "feedback_within_3_months");
    f->vars[f->nvars++] = var_m(d);
    f->follows = (size_t)(ack - m->f);
    return 0;
}

/* Adds one structural row: sum(ind[i] * val[i]) type 0 (GLP_FX) or <= 0 (GLP_UP). */
static void struct_row(model *m, int *ind, double *val, int len, int type)
{
    int row = glp_add_rows(m->lp, 1);

    glp_set_mat_row(m->lp, row, len, ind, val);
    glp_set_row_bnds(m->lp, row, type, 0.0, 0.0);
    m->nstruct++;
}

/* What every case is: the ties between the counts (see stats-audit.h). */
static void build_structure(model *m, const dims *d)
{
    int *ind = calloc((size_t)m->ncols + 1, sizeof *ind);
    double *val = calloc((size_t)m->ncols + 1, sizeof *val);
    int len;

    if (ind == NULL || val == NULL) {
        free(ind);
        free(val);
        return;   /* build() checks m->nstruct */
    }
    for (int c = 0; c < d->nc; c++) {
        /* by sex and by age band, the same cases of the category */
        len = 0;
        for (int s = 0; s < d->ns; s++)
            ind[++len] = x1(d, c, s), val[len] = 1;
        for (int a = 0; a < d->na; a++)
            ind[++len] = x2(d, c, a), val[len] = -1;
        struct_row(m, ind, val, len, GLP_FX);
        /* each case of the category is closed (with an outcome) or open (with a status and an age) */
        len = 0;
        for (int s = 0; s < d->ns; s++)
            ind[++len] = x1(d, c, s), val[len] = 1;
        for (int v = 0; v < d->no; v++)
            ind[++len] = y_(d, c, v), val[len] = -1;
        for (int st = 0; st < d->nst; st++)
            for (int ag = 0; ag < d->noa; ag++)
                ind[++len] = z_(d, c, st, ag), val[len] = -1;
        struct_row(m, ind, val, len, GLP_FX);
    }
    /* acknowledged within 7 days <= acknowledged; feedback in time <= acknowledged */
    ind[1] = var_a(d), val[1] = 1, ind[2] = var_d(d), val[2] = -1;
    struct_row(m, ind, val, 2, GLP_UP);
    ind[1] = var_m(d), val[1] = 1, ind[2] = var_d(d), val[2] = -1;
    struct_row(m, ind, val, 2, GLP_UP);
    /* acknowledged <= all cases */
    len = 0;
    ind[++len] = var_d(d), val[len] = 1;
    for (int c = 0; c < d->nc; c++)
        for (int s = 0; s < d->ns; s++)
            ind[++len] = x1(d, c, s), val[len] = -1;
    struct_row(m, ind, val, len, GLP_UP);
    /* feedback in time <= closed */
    len = 0;
    ind[++len] = var_m(d), val[len] = 1;
    for (int c = 0; c < d->nc; c++)
        for (int v = 0; v < d->no; v++)
            ind[++len] = y_(d, c, v), val[len] = -1;
    struct_row(m, ind, val, len, GLP_UP);
    free(ind);
    free(val);
}

static int fig_row(const model *m, size_t i)
{
    return m->nstruct + 1 + (int)i;
}

static void set_row(model *m, size_t i)
{
    const fig *f = &m->f[i];
    double v = (double)f->pub.value;

    if (f->pub.suppressed)
        glp_set_row_bnds(m->lp, fig_row(m, i), GLP_FR, 0.0, 0.0);
    else
        glp_set_row_bnds(m->lp, fig_row(m, i), GLP_FX, v, v);
}

/* Marks figure i suppressed (in the report too), and every figure that follows it. */
static void suppress(model *m, size_t i)
{
    fig *f = &m->f[i];

    if (!f->pub.suppressed) {
        f->pub.suppressed = 1;
        f->passes = 0;
        set_row(m, i);
    }
    for (size_t j = 0; j < f->nflags; j++)
        *f->flags[j] = 1;
    for (size_t j = 0; j < m->n; j++)
        if (m->f[j].follows == i && !m->f[j].pub.suppressed)
            suppress(m, j);
}

static void model_free(model *m)
{
    if (m->lp != NULL)
        glp_delete_prob(m->lp);
    free(m->f);
    free(m->var_pool);
    free(m->spare_vars);
    memset(m, 0, sizeof *m);
}

/* The model of r, with every figure's row; figures printed twice get one flag state. */
static int build(model *m, stats_report *r)
{
    dims d;
    int rc;

    memset(m, 0, sizeof *m);
    m->k = r->k;
    if ((rc = build_figures(m, r, &d)) != 0)
        return rc;
    if (m->overflow || m->ncols >= 64 * BITWORDS)
        return ERR_INTERNAL;
    for (size_t i = 0; i < m->n; i++) {
        for (size_t j = 0; j < m->f[i].nvars; j++)
            m->f[i].bits[m->f[i].vars[j] / 64] |= (uint64_t)1 << (m->f[i].vars[j] % 64);
        m->f[i].primary = m->f[i].pub.value < m->k;
    }
    /* a share's count is primary too when the cases outside it are fewer than k */
    for (size_t i = 0; i < m->n; i++)
        if (m->f[i].follows != NO_FIGURE && m->f[m->f[i].follows].pub.value - m->f[i].pub.value < m->k)
            m->f[i].primary = 1;
    glp_term_out(GLP_OFF);
    m->lp = glp_create_prob();
    glp_add_cols(m->lp, m->ncols);
    for (int j = 1; j <= m->ncols; j++)
        glp_set_col_bnds(m->lp, j, GLP_LO, 0.0, 0.0);
    build_structure(m, &d);
    if (m->nstruct == 0)
        return ERR_NOMEM;
    glp_add_rows(m->lp, (int)m->n);
    for (size_t i = 0; i < m->n; i++) {
        fig *f = &m->f[i];
        int *ind = f->vars - 1;   /* GLPK reads ind[1..len] */
        double *val = calloc(f->nvars + 1, sizeof *val);
        if (val == NULL)
            return ERR_NOMEM;
        for (size_t j = 1; j <= f->nvars; j++)
            val[j] = 1.0;
        glp_set_mat_row(m->lp, fig_row(m, i), (int)f->nvars, ind, val);
        free(val);
        for (size_t j = 0; j < f->nflags; j++)
            f->pub.suppressed |= *f->flags[j];
    }
    for (size_t i = 0; i < m->n; i++)
        if (m->f[i].pub.suppressed)
            suppress(m, i);
        else
            set_row(m, i);
    glp_init_smcp(&m->parm);
    m->parm.msg_lev = GLP_MSG_OFF;
    m->parm.presolve = GLP_OFF;
    glp_std_basis(m->lp);
    return 0;
}

static int solve(model *m, int dir, double *out)
{
    int ret;

    glp_set_obj_dir(m->lp, dir);
    ret = glp_simplex(m->lp, &m->parm);
    if (ret != 0) {   /* a basis gone bad after the rows changed: start again from the standard one */
        glp_std_basis(m->lp);
        ret = glp_simplex(m->lp, &m->parm);
    }
    if (ret != 0)
        return ERR_INTERNAL;
    switch (glp_get_status(m->lp)) {
    case GLP_OPT:
        *out = glp_get_obj_val(m->lp);
        return 0;
    case GLP_UNBND:
        *out = dir == GLP_MAX ? INFINITY : -INFINITY;
        return 0;
    default:
        return ERR_INTERNAL;   /* the true counts satisfy every row: never infeasible */
    }
}

/* The smallest and largest value of figure i over every table consistent with what is shown. */
static int range_of(model *m, size_t i, double *lo, double *hi)
{
    const fig *f = &m->f[i];
    int rc;

    for (size_t j = 0; j < f->nvars; j++)
        glp_set_obj_coef(m->lp, f->vars[j], 1.0);
    rc = solve(m, GLP_MIN, lo);
    if (rc == 0)
        rc = solve(m, GLP_MAX, hi);
    for (size_t j = 0; j < f->nvars; j++)
        glp_set_obj_coef(m->lp, f->vars[j], 0.0);
    return rc;
}

/* Whole-number ends of a range: ceil(lo), floor(hi), within rounding. */
static double whole_lo(double lo) { return ceil(lo - EPS); }
static double whole_hi(double hi) { return isinf(hi) ? hi : floor(hi + EPS); }

static int range_passes(double lo, double hi, int k)
{
    double l = whole_lo(lo), h = whole_hi(hi);

    return l <= k - 1 && h >= k && h - l >= k;
}

static double width(double lo, double hi)
{
    return isinf(hi) ? INFINITY : whole_hi(hi) - whole_lo(lo);
}

/* 1 when every count of a is one of b's. */
static int within(const fig *a, const fig *b)
{
    for (size_t w = 0; w < BITWORDS; w++)
        if (a->bits[w] & ~b->bits[w])
            return 0;
    return 1;
}

/* How close g lies to f: the size of the smallest figure summing both (a row or column of f's
 * table before the table's total), or SIZE_MAX when none does. */
static size_t line_size(const model *m, const fig *f, const fig *g)
{
    size_t best = SIZE_MAX;

    for (size_t h = 0; h < m->n; h++)
        if (m->f[h].nvars < best && within(f, &m->f[h]) && within(g, &m->f[h]))
            best = m->f[h].nvars;
    return best;
}

/* Withholds figure fi's whole table; when that is withheld already, everything. */
static void withhold(model *m, size_t fi)
{
    int any = 0;

    for (size_t i = 0; i < m->n; i++)
        if (!m->f[i].pub.suppressed && strcmp(m->f[i].table, m->f[fi].table) == 0) {
            suppress(m, i);
            any = 1;
        }
    for (size_t i = 0; !any && i < m->n; i++)
        if (!m->f[i].pub.suppressed)
            suppress(m, i);
}

/* A candidate for more suppression: one shown figure, or every shown figure of one line. */
typedef struct candidate {
    size_t first, n;            /* its figures: members[first .. first + n) */
    long cost;                  /* the sum of their values: what publishing loses */
    size_t order;
} candidate;

static int cmp_candidate(const void *pa, const void *pb)
{
    const candidate *a = pa, *b = pb;

    if (a->cost != b->cost)
        return (a->cost > b->cost) - (a->cost < b->cost);
    return (a->order > b->order) - (a->order < b->order);
}

/* Hides (on) or shows again (off) a candidate's figures in the LP only. */
static void try_candidate(model *m, const size_t *members, const candidate *c, int on)
{
    for (size_t j = 0; j < c->n; j++) {
        m->f[members[c->first + j]].pub.suppressed = on;
        set_row(m, members[c->first + j]);
    }
}

/* The candidates: every shown figure alone, then every line with two or more shown figures.
 * members gets room for 3 * m->n indices. Returns how many. */
static size_t candidates(const model *m, candidate *c, size_t *members)
{
    size_t nc = 0, used = 0;

    for (size_t i = 0; i < m->n; i++)
        if (!m->f[i].pub.suppressed) {
            members[used] = i;
            c[nc] = (candidate){used++, 1, m->f[i].pub.value, nc};
            nc++;
        }
    for (int g = 0; g < m->ngroups; g++) {
        candidate line = {used, 0, 0, nc};
        for (size_t i = 0; i < m->n; i++)
            if (!m->f[i].pub.suppressed && (m->f[i].grp[0] == g || m->f[i].grp[1] == g)) {
                members[used++] = i;
                line.n++;
                line.cost += m->f[i].pub.value;
            }
        if (line.n >= 2)
            c[nc++] = line;
        else
            used = line.first;
    }
    return nc;
}

/* 1 when, with candidate c hidden, each of its figures passes the audit too; -1 on failure. */
static int candidate_protected(model *m, const size_t *members, const candidate *c)
{
    int ok = 1;

    try_candidate(m, members, c, 1);
    for (size_t j = 0; ok == 1 && j < c->n; j++) {
        double l, h;
        if (range_of(m, members[c->first + j], &l, &h) != 0)
            ok = -1;
        else
            ok = range_passes(l, h, m->k);
    }
    try_candidate(m, members, c, 0);
    return ok;
}

/*
 * Suppresses more shown figures so that failing figure fi gets a wider range. Candidates are
 * single figures and whole lines, cheapest first: the first that makes it pass and whose own
 * figures then pass too; else the first that makes it pass; else the first that widens it; else
 * the smallest figure on its nearest line (a figure pinned by two lines at once needs one freed
 * in each); else its whole table, else everything.
 */
static int widen(model *m, size_t fi, double lo, double hi)
{
    candidate *c = calloc(m->n + (size_t)m->ngroups, sizeof *c), *pick = NULL, *passing = NULL, *widening = NULL;
    size_t *members = calloc(3 * m->n + 1, sizeof *members), nc;
    double base = width(lo, hi);
    int rc = 0;

    if (c == NULL || members == NULL) {
        free(c);
        free(members);
        return ERR_NOMEM;
    }
    nc = candidates(m, c, members);
    qsort(c, nc, sizeof *c, cmp_candidate);
    for (size_t j = 0; j < nc && pick == NULL; j++) {
        double l, h;
        try_candidate(m, members, &c[j], 1);
        rc = range_of(m, fi, &l, &h);
        try_candidate(m, members, &c[j], 0);
        if (rc != 0)
            break;
        if (range_passes(l, h, m->k)) {
            int ok = candidate_protected(m, members, &c[j]);
            if (ok < 0) {
                rc = ERR_INTERNAL;
                break;
            }
            if (passing == NULL)
                passing = &c[j];
            if (ok)
                pick = &c[j];
        } else if (widening == NULL && width(l, h) > base) {
            widening = &c[j];
        }
    }
    if (pick == NULL)
        pick = passing != NULL ? passing : widening;
    if (rc == 0 && pick == NULL) {
        /* pinned from two sides at once: the smallest figure on its nearest line now, the other
         * side next time */
        size_t best = NO_FIGURE, best_line = SIZE_MAX;
        for (size_t i = 0; i < m->n; i++) {
            size_t line;
            if (m->f[i].pub.suppressed || (line = line_size(m, &m->f[fi], &m->f[i])) == SIZE_MAX)
                continue;
            if (best == NO_FIGURE || line < best_line || (line == best_line && m->f[i].pub.value < m->f[best].pub.value))
                best = i, best_line = line;
        }
        if (best != NO_FIGURE)
            suppress(m, best);
        else
            withhold(m, fi);
    } else if (rc == 0) {
        for (size_t j = 0; j < pick->n; j++)
            suppress(m, members[pick->first + j]);
    }
    free(c);
    free(members);
    return rc;
}

static int cmp_value_desc(const void *pa, const void *pb, void *ctx)
{
    const model *m = ctx;
    long a = m->f[*(const size_t *)pa].pub.value, b = m->f[*(const size_t *)pb].pub.value;

    return (a < b) - (a > b);
}

/* 1 when every suppressed figure passes as things stand; -1 when the solver fails. */
static int all_pass(model *m)
{
    for (size_t i = 0; i < m->n; i++) {
        double lo, hi;
        if (!m->f[i].pub.suppressed)
            continue;
        if (range_of(m, i, &lo, &hi) != 0)
            return -1;
        if (!range_passes(lo, hi, m->k))
            return 0;
    }
    return 1;
}

/*
 * The line rules and the search above hide more than they must. Shows again, largest first,
 * each suppressed figure that is not primary (below k, or a share's count with fewer than k
 * outside it) whose showing leaves every suppressed figure passing (a share's count only with
 * its denominator shown).
 */
static int reveal_spare(model *m)
{
    size_t *order = calloc(m->n + 1, sizeof *order), n = 0;
    int rc = 0;

    if (order == NULL)
        return ERR_NOMEM;
    for (size_t i = 0; i < m->n; i++)
        if (m->f[i].pub.suppressed && !m->f[i].primary)
            order[n++] = i;
    qsort_r(order, n, sizeof *order, cmp_value_desc, m);
    for (size_t j = 0; rc == 0 && j < n; j++) {
        fig *f = &m->f[order[j]];
        int ok;
        if (f->follows != NO_FIGURE && m->f[f->follows].pub.suppressed)
            continue;
        f->pub.suppressed = 0;
        set_row(m, order[j]);
        if ((ok = all_pass(m)) < 0) {
            rc = ERR_INTERNAL;
        } else if (ok) {
            for (size_t i = 0; i < f->nflags; i++)
                *f->flags[i] = 0;
            continue;
        }
        f->pub.suppressed = 1;
        set_row(m, order[j]);
    }
    free(order);
    return rc;
}

int stats_protect(stats_report *r)
{
    model m;
    int rc = build(&m, r), again = 1;

    while (rc == 0 && again) {
        again = 0;
        for (size_t i = 0; rc == 0 && i < m.n; i++) {
            double lo, hi;
            if (!m.f[i].pub.suppressed || m.f[i].passes)
                continue;
            if ((rc = range_of(&m, i, &lo, &hi)) != 0)
                break;
            if (range_passes(lo, hi, m.k)) {
                m.f[i].passes = 1;   /* ranges only grow as more is suppressed: it stays so */
                continue;
            }
            rc = widen(&m, i, lo, hi);
            again = 1;   /* i again, and whatever was suppressed for it */
            break;
        }
    }
    if (rc == 0)
        rc = reveal_spare(&m);
    if (rc != 0)   /* fail closed: publish nothing */
        for (size_t i = 0; i < m.n; i++)
            for (size_t j = 0; j < m.f[i].nflags; j++)
                *m.f[i].flags[j] = 1;
    model_free(&m);
    return rc;
}

int stats_audit(const stats_report *r, stats_figure **out, size_t *n, size_t *failing)
{
    stats_report copy = *r;
    model m;
    int rc = build(&m, &copy);

    *out = NULL;
    *n = 0;
    *failing = 0;
    for (size_t i = 0; rc == 0 && i < m.n; i++) {
        stats_figure *p = &m.f[i].pub;
        p->protected_ = 1;
        if (!p->suppressed)
            continue;
        if ((rc = range_of(&m, i, &p->lo, &p->hi)) != 0)
            break;
        p->protected_ = range_passes(p->lo, p->hi, m.k);
        *failing += !p->protected_;
    }
    if (rc == 0 && (*out = calloc(m.n, sizeof **out)) == NULL)
        rc = ERR_NOMEM;
    if (rc == 0) {
        for (size_t i = 0; i < m.n; i++)
            (*out)[i] = m.f[i].pub;
        *n = m.n;
    } else {
        *failing = 0;
    }
    model_free(&m);
    return rc;
}
