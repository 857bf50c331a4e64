/*
 * stats-audit.h: the disclosure audit of the annual figures by linear programming (GLPK).
 *
 * Every figure a report publishes (each cell, margin and total of the five tables, the cases
 * acknowledged, and the numerators of the two shares) is a sum of the counts of one model of the
 * cases: category x sex, category x age band, category x outcome (closed cases), category x
 * status x age (open cases), and the cases acknowledged, acknowledged within 7 days and given
 * feedback within 3 months, every count >= 0, tied by what every case is (each counted case has
 * one sex, one age band, and is closed with one outcome or open with one status and one age;
 * acknowledged within 7 days <= acknowledged <= all cases; feedback in time <= acknowledged and
 * <= closed). A reader who knows every shown figure knows exactly this polytope. For a suppressed
 * figure the audit computes its smallest and largest value over the polytope (two linear
 * programmes); the figure is protected when that range, rounded inwards to whole numbers, is at
 * least k wide and holds values both below k and at or above k. (This is the projection of every
 * table of cases consistent with the shown figures, as the statistical agencies' audits compute
 * it; whole-number tables can only have narrower ranges inside it, which the rounding takes in
 * only at the ends.)
 */
#ifndef SEA_CASEWORK_STATS_AUDIT_H
#define SEA_CASEWORK_STATS_AUDIT_H

#include <stddef.h>

#include "stats.h"

#define STATS_FIGURE_NAME 96

/* One published figure and, when it is suppressed, what the audit found of it. */
typedef struct stats_figure {
    char name[STATS_FIGURE_NAME];   /* its path in the JSON: "category_by_sex/bullying/other", "total"... */
    long value;                     /* the true count */
    int suppressed;
    double lo, hi;                  /* suppressed: the feasible range (hi is INFINITY when unbounded) */
    int protected_;                 /* suppressed and its range passes; shown figures: 1 */
} stats_figure;

/*
 * stats_protect: suppresses more figures of r (r's suppression flags, the primary ones set)
 * until every suppressed figure passes the audit: for the first that fails, the shown figure of
 * smallest value that makes it pass (those sharing a count with it first), else the smallest
 * that widens its range, else its whole table. Keeps the flags of figures printed twice alike.
 * Returns 0; ERR_NOMEM; ERR_INTERNAL when the solver fails (then r is left fully suppressed).
 */
int stats_protect(stats_report *r);

/*
 * stats_audit: the audit of r as it stands. *out gets a calloc'd array of every figure (*n of
 * them, to free), *failing the number of suppressed figures whose range does not pass (0 when
 * r may be published). Returns 0, ERR_NOMEM or ERR_INTERNAL.
 */
int stats_audit(const stats_report *r, stats_figure **out, size_t *n, size_t *failing);

#endif
