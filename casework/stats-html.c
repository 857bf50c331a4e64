/*
 * stats-html.c: the annual figures as one self-contained, printable HTML page (no script, no
 * external resource), in English or French, each table with an inline SVG bar chart of its rows
 * (a suppressed value drawn as an empty, dashed bar marked with STATS_MARK, and named "not
 * published" for screen readers) above the full table, and a footnote that explains the mark.
 */
#include <stdio.h>
#include <string.h>

#include "stats.h"
#include "vocab.h"

typedef struct label {
    const char *key, *en, *fr;
} label;

static const label labels[] = {
    {"title", "Reports of harassment, exploitation and abuse", "Signalements de harcèlement, d'exploitation et d'abus"},
    {"period", "Cases received from", "Cas reçus du"},
    {"to", "to", "au"},
    {"category_by_sex", "Cases by category and sex", "Cas par catégorie et par sexe"},
    {"category_by_age_band", "Cases by category and age band", "Cas par catégorie et par tranche d'âge"},
    {"outcomes", "Outcomes of closed cases by category", "Issue des cas clos par catégorie"},
    {"open_by_status", "Open cases by status", "Cas ouverts par état"},
    {"open_by_age", "Open cases by age", "Cas ouverts par ancienneté"},
    {"timing", "Timing", "Délais"},
    {"ack", "Days to acknowledgement", "Jours avant l'accusé de réception"},
    {"close", "Days to closure", "Jours avant la clôture"},
    {"median", "median", "médiane"},
    {"p90", "90th percentile", "90e centile"},
    {"ack7", "Acknowledged within 7 days", "Accusé de réception sous 7 jours"},
    {"fb3", "Given feedback within 3 months", "Retour donné sous 3 mois"},
    {"total", "Total", "Total"},
    {"cases", "Cases", "Cas"},
    {"unpublished", "not published", "non publié"},
    {"timing_unpublished", "Not published: it could reveal counts that are not published.",
     "Non publié : il pourrait révéler des nombres qui ne sont pas publiés."},
    {"share_of", "of", "sur"},
};

static const char *tr(const char *key, int fr)
{
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].key, key) == 0)
            return fr ? labels[i].fr : labels[i].en;
    return key;
}

/* The words for the values of each dimension, in the order of stats.h (vocab.h's order). */
typedef struct words {
    const char *en, *fr;
} words;

static const words category_words[] = {
    [VOCAB_CATEGORY_HARASSMENT] = {"Harassment", "Harcèlement"},
    [VOCAB_CATEGORY_SEXUAL_HARASSMENT] = {"Sexual harassment", "Harcèlement sexuel"},
    [VOCAB_CATEGORY_BULLYING] = {"Bullying", "Harcèlement moral"},
    [VOCAB_CATEGORY_DISCRIMINATION] = {"Discrimination", "Discrimination"},
    [VOCAB_CATEGORY_SEXUAL_EXPLOITATION_ABUSE] = {"Sexual exploitation or abuse", "Exploitation et atteintes sexuelles"},
    [VOCAB_CATEGORY_OTHER] = {"Other", "Autre"},
};

static const words sex_words[] = {
    [VOCAB_SEX_FEMALE] = {"Female", "Femme"},
    [VOCAB_SEX_MALE] = {"Male", "Homme"},
    [VOCAB_SEX_OTHER] = {"Other", "Autre"},
    [VOCAB_SEX_COUNT] = {"Not given", "Non précisé"},
};

static const words age_words[] = {
    [VOCAB_AGE_UNDER_25] = {"Under 25", "Moins de 25 ans"},
    [VOCAB_AGE_25_34] = {"25–34", "25–34 ans"},
    [VOCAB_AGE_35_44] = {"35–44", "35–44 ans"},
    [VOCAB_AGE_45_54] = {"45–54", "45–54 ans"},
    [VOCAB_AGE_55_PLUS] = {"55 and over", "55 ans et plus"},
    [VOCAB_AGE_COUNT] = {"Not given", "Non précisé"},
};

static const words outcome_words[] = {
    [VOCAB_OUTCOME_SUBSTANTIATED] = {"Substantiated", "Fondé"},
    [VOCAB_OUTCOME_UNSUBSTANTIATED] = {"Unsubstantiated", "Non fondé"},
    [VOCAB_OUTCOME_REFERRED] = {"Referred", "Transmis"},
    [VOCAB_OUTCOME_WITHDRAWN] = {"Withdrawn", "Retiré"},
    [VOCAB_OUTCOME_NO_ACTION] = {"No action", "Sans suite"},
};

static const words open_status_words[] = {
    [VOCAB_STATUS_NEW] = {"New", "Nouveau"},
    [VOCAB_STATUS_TRIAGED] = {"Triaged", "Trié"},
    [VOCAB_STATUS_INVESTIGATING] = {"Investigating", "En cours d'examen"},
    [VOCAB_STATUS_REFERRED] = {"Referred", "Transmis"},
};

static const words open_age_words[] = {
    {"Under 7 days", "Moins de 7 jours"}, {"7 to 30 days", "7 à 30 jours"},
    {"1 to 3 months", "1 à 3 mois"}, {"Over 3 months", "Plus de 3 mois"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
_Static_assert(COUNT(category_words) == VOCAB_CATEGORY_COUNT, "a category without words");
_Static_assert(COUNT(sex_words) == VOCAB_SEX_COUNT + 1, "a sex without words");
_Static_assert(COUNT(age_words) == VOCAB_AGE_COUNT + 1, "an age band without words");
_Static_assert(COUNT(outcome_words) == VOCAB_OUTCOME_COUNT, "an outcome without words");
_Static_assert(COUNT(open_status_words) == VOCAB_OPEN_STATUS_COUNT, "a status without words");

static const struct {
    const char *const *names;
    const words *words;
    size_t n;
} dimensions[] = {
    {stats_categories, category_words, COUNT(category_words)},
    {stats_sexes, sex_words, COUNT(sex_words)},
    {stats_age_bands, age_words, COUNT(age_words)},
    {stats_outcomes, outcome_words, COUNT(outcome_words)},
    {stats_open_statuses, open_status_words, COUNT(open_status_words)},
    {stats_open_ages, open_age_words, COUNT(open_age_words)},
};

const char *stats_value_label(const char *const *names, size_t i, int fr)
{
    for (size_t d = 0; d < COUNT(dimensions); d++)
        if (dimensions[d].names == names)
            return i < dimensions[d].n ? (fr ? dimensions[d].words[i].fr : dimensions[d].words[i].en) : NULL;
    return NULL;
}

/* The words for value i of names, or the value itself when it has none. */
static const char *tr_value(const char *const *names, size_t i, int fr)
{
    const char *s = stats_value_label(names, i, fr);

    return s != NULL ? s : names[i];
}

static void value_text(char *out, size_t cap, long v, unsigned char sup)
{
    if (sup)
        snprintf(out, cap, STATS_MARK);
    else
        snprintf(out, cap, "%ld", v);
}

/* A horizontal bar chart of the table's row totals. */
static void svg_chart(FILE *f, const stats_table *t, int fr)
{
    const int bar = 22, gap = 8, left = 210, width = 640, chart = width - left - 60;
    long max = 1;
    int height = (int)t->rows * (bar + gap) + gap;

    for (size_t r = 0; r < t->rows; r++)
        if (!t->sup_row[r] && t->row_total[r] > max)
            max = t->row_total[r];
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">\n",
            width, height, width, height, tr(t->id, fr));
    for (size_t r = 0; r < t->rows; r++) {
        int y = gap + (int)r * (bar + gap);
        char v[32];
        value_text(v, sizeof v, t->row_total[r], t->sup_row[r]);
        fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"13\">%s</text>\n", left - 8, y + 16,
                tr_value(t->row_names, r, fr));
        if (t->sup_row[r]) {
            fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#767676\" stroke-dasharray=\"4 3\"/>\n",
                    left, y, chart / 12, bar);
            fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"13\">%s (%s)</text>\n", left + chart / 12 + 6, y + 16, v,
                    tr("unpublished", fr));
        } else {
            int w = (int)((double)t->row_total[r] / (double)max * chart);
            fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#1d4f91\"/>\n", left, y, w, bar);
            fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"13\">%s</text>\n", left + w + 6, y + 16, v);
        }
    }
    fprintf(f, "</svg>\n");
}

static void html_table(FILE *f, const stats_table *t, int fr)
{
    char v[32];

    fprintf(f, "<section>\n<h2>%s</h2>\n", tr(t->id, fr));
    svg_chart(f, t, fr);
    fprintf(f, "<table>\n<thead><tr><th scope=\"col\"></th>");
    for (size_t c = 0; t->cols > 1 && c < t->cols; c++)
        fprintf(f, "<th scope=\"col\">%s</th>", tr_value(t->col_names, c, fr));
    fprintf(f, "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n", tr("total", fr));
    for (size_t r = 0; r < t->rows; r++) {
        fprintf(f, "<tr><th scope=\"row\">%s</th>", tr_value(t->row_names, r, fr));
        for (size_t c = 0; t->cols > 1 && c < t->cols; c++) {
            value_text(v, sizeof v, t->cell[r][c], t->sup_cell[r][c]);
            fprintf(f, "<td>%s</td>", v);
        }
        value_text(v, sizeof v, t->row_total[r], t->sup_row[r]);
        fprintf(f, "<td>%s</td></tr>\n", v);
    }
    fprintf(f, "<tr class=\"total\"><th scope=\"row\">%s</th>", tr("total", fr));
    for (size_t c = 0; t->cols > 1 && c < t->cols; c++) {
        value_text(v, sizeof v, t->col_total[c], t->sup_col[c]);
        fprintf(f, "<td>%s</td>", v);
    }
    value_text(v, sizeof v, t->total, t->sup_total);
    fprintf(f, "<td>%s</td></tr>\n</tbody>\n</table>\n</section>\n", v);
}

static void timing_row(FILE *f, const char *what, const stats_timing *t, int fr)
{
    char median[32], p90[32];

    fprintf(f, "<tr><th scope=\"row\">%s</th>", tr(what, fr));
    if (t->suppressed) {
        fprintf(f, "<td colspan=\"3\">%s</td></tr>\n", tr("timing_unpublished", fr));
        return;
    }
    value_text(median, sizeof median, t->median, (unsigned char)t->sup_median);
    value_text(p90, sizeof p90, t->p90, (unsigned char)t->sup_p90);
    fprintf(f, "<td>%ld</td><td>%s</td><td>%s</td></tr>\n", t->n, median, p90);
}

static void share_line(FILE *f, const char *what, const stats_share *s, int fr)
{
    fprintf(f, "%s: ", tr(what, fr));
    if (stats_share_shown(s))
        fprintf(f, "%.0f %% (%ld %s %ld)", 100.0 * (double)s->numerator / (double)s->denominator, s->numerator,
                tr("share_of", fr), s->denominator);
    else
        fprintf(f, "%s", tr("unpublished", fr));
}

void stats_write_html(FILE *f, const stats_report *r, int fr)
{
    char note[400];

    fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\"/>\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>%s</title>\n",
            fr ? "fr" : "en", tr("title", fr));
    fprintf(f, "<style>\nbody{font-family:system-ui,\"Segoe UI\",Roboto,Arial,sans-serif;color:#1b1b1b;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.45}\n"
               "h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}\n"
               "table{border-collapse:collapse;margin:.5rem 0 1rem;font-variant-numeric:tabular-nums}\n"
               "th,td{border:1px solid #b1b4b6;padding:.25rem .5rem;text-align:right}th[scope=row]{text-align:left}\n"
               "tr.total{font-weight:700}svg{max-width:100%%;height:auto}\n"
               "section{break-inside:avoid}@media print{body{margin:0}}\n</style>\n</head>\n<body>\n");
    fprintf(f, "<h1>%s</h1>\n<p>%s %s %s %s.</p>\n", tr("title", fr), tr("period", fr), r->from, tr("to", fr), r->to);
    fprintf(f, "<p id=\"note\">%s</p>\n", stats_mark_note(r->k, fr, note, sizeof note));
    html_table(f, &r->category_by_sex, fr);
    html_table(f, &r->category_by_age_band, fr);
    html_table(f, &r->outcomes, fr);
    html_table(f, &r->open_by_status, fr);
    html_table(f, &r->open_by_age, fr);
    fprintf(f, "<section>\n<h2>%s</h2>\n<table>\n<thead><tr><th scope=\"col\"></th><th scope=\"col\">%s</th>"
               "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
            tr("timing", fr), tr("cases", fr), tr("median", fr), tr("p90", fr));
    timing_row(f, "ack", &r->ack_days, fr);
    timing_row(f, "close", &r->close_days, fr);
    fprintf(f, "</tbody>\n</table>\n<p>");
    fprintf(f, fr ? "Une médiane ou un 90e centile n'est publié que si au moins %d cas se trouvent au-delà."
                  : "A median or a 90th percentile is published only when at least %d cases lie beyond it.", r->k);
    fprintf(f, "</p>\n<p>");
    share_line(f, "ack7", &r->ack_within_7_days, fr);
    fprintf(f, "<br/>");
    share_line(f, "fb3", &r->feedback_within_3_months, fr);
    fprintf(f, "</p>\n</section>\n</body>\n</html>\n");
}
