/*
 * cmd-stats.c: `casework stats [--year YYYY | --from DAY --to DAY] [--k N] [--json] [--csv]
 * [--html FILE [--lang en|fr]] [--audit]`: the annual figures (stats.h) from every case the
 * caseworker can read and the figures that purged cases left behind, from every intake the
 * replica syncs with. Prints nothing that fails the disclosure audit (stats-audit.h); --audit
 * prints, for the organisation's statistician, every figure's true value and, for each
 * suppressed one, the range a reader of the published figures could work out. Writes its audit
 * entry first; reads the sealed case index (case-index.h), so it decrypts only what was added
 * since.
 */
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit-append.h"
#include "case-index.h"
#include "command.h"
#include "day.h"
#include "errors.h"
#include "replica-set.h"
#include "stats-audit.h"
#include "stats.h"
#include "vocab.h"

typedef struct stats_row {
    char received[DAY_TEXT_SIZE];
    char status[16];
} stats_row;

typedef struct collect_ctx {
    const case_index *ix;
    stats_case *cases;
    stats_row *rows;
    size_t used, cap;
} collect_ctx;

static int add_case(void *ctx, const store_case *c)
{
    collect_ctx *cc = ctx;
    const index_entry *e = case_index_find(cc->ix, c->id);
    stats_row *row = &cc->rows[cc->used];

    if (e == NULL || !e->st.readable || cc->used == cc->cap)
        return 0;   /* not this caseworker's: they cannot count what they cannot read */
    snprintf(row->received, sizeof row->received, "%s", c->received);
    snprintf(row->status, sizeof row->status, "%s", c->status);
    cc->cases[cc->used++] = (stats_case){row->received, e->st.category, e->st.sex, e->st.age_band, row->status,
                                         e->st.outcome, e->st.acknowledged, e->st.closed};
    return 0;
}

/* Adds one origin's cases to cc: purged cases' figures, then every case this key reads. */
static int collect_origin(casework_ctx *ctx, store *db, const case_index *ix, collect_ctx *cc)
{
    size_t npurged;
    const index_entry *purged = case_index_purged(ix, &npurged);

    for (size_t i = 0; i < npurged && cc->used < cc->cap; i++) {
        const case_state *st = &purged[i].st;
        cc->cases[cc->used++] = (stats_case){st->received, st->category, st->sex, st->age_band,
                                             vocab_statuses.values[VOCAB_STATUS_CLOSED], st->outcome,
                                             st->acknowledged, st->closed[0] ? st->closed : st->received};
    }
    cc->ix = ix;
    return store_cases_each(db, NULL, add_case, cc, ctx->err, sizeof ctx->err);
}

/*
 * The cases stats counts, from every origin of the replica (ix[i] is origin i's index). On
 * success *cases and *rows are calloc'd arrays of *n entries (free both); on failure both are
 * NULL.
 */
static int collect(casework_ctx *ctx, case_index *const *ix, stats_case **cases, stats_row **rows, size_t *n)
{
    const replica_set *set = ctx->origins;
    collect_ctx cc = {.cap = 1};
    int rc = 0;

    *cases = NULL;
    *rows = NULL;
    *n = 0;
    for (size_t i = 0; i < set->n; i++) {
        size_t npurged;
        int64_t live;
        (void)case_index_purged(ix[i], &npurged);
        if ((rc = store_case_count(set->o[i].db, &live, ctx->err, sizeof ctx->err)) != 0)
            return rc;
        cc.cap += (size_t)live + npurged;
    }
    cc.cases = calloc(cc.cap, sizeof *cc.cases);
    cc.rows = calloc(cc.cap, sizeof *cc.rows);
    if (cc.cases == NULL || cc.rows == NULL)
        rc = err_set(ctx->err, sizeof ctx->err, ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == 0 && i < set->n; i++)
        rc = collect_origin(ctx, set->o[i].db, ix[i], &cc);
    if (rc != 0) {
        free(cc.cases);
        free(cc.rows);
        return rc;
    }
    *cases = cc.cases;
    *rows = cc.rows;
    *n = cc.used;
    return 0;
}

static int write_html(casework_ctx *ctx, const char *path, const stats_report *r, int fr)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    FILE *f;

    if (fd < 0)
        return err_set(ctx->err, sizeof ctx->err, ERR_IO, "cannot create %s: %s (it is never overwritten)", path, strerror(errno));
    f = fdopen(fd, "w");
    if (f == NULL) {
        close(fd);
        return err_set(ctx->err, sizeof ctx->err, ERR_IO, "cannot write %s", path);
    }
    stats_write_html(f, r, fr);
    if (fflush(f) != 0 || ferror(f) || fsync(fd) != 0) {
        fclose(f);
        unlink(path);
        return err_set(ctx->err, sizeof ctx->err, ERR_IO, "cannot write %s (disk full?)", path);
    }
    fclose(f);
    return 0;
}

static void print_bound(double v)
{
    if (isinf(v))
        printf("no bound");
    else
        printf("%.0f", v);
}

/* The statistician's view: every figure, its true value, and each suppressed one's range. */
static void write_audit(const stats_report *r, const stats_figure *f, size_t n, size_t failing, int json)
{
    if (json) {
        printf("{\"period\": {\"from\": \"%s\", \"to\": \"%s\"}, \"k\": %d, \"failing\": %zu, \"figures\": [",
               r->from, r->to, r->k, failing);
        for (size_t i = 0; i < n; i++) {
            printf("%s\n {\"figure\": \"%s\", \"value\": %ld, \"published\": %s", i ? "," : "", f[i].name,
                   f[i].value, f[i].suppressed ? "false" : "true");
            if (f[i].suppressed) {
                printf(", \"low\": %.0f, \"high\": ", ceil(f[i].lo - 1e-6));
                if (isinf(f[i].hi))
                    printf("null");
                else
                    printf("%.0f", floor(f[i].hi + 1e-6));
                printf(", \"passes\": %s", f[i].protected_ ? "true" : "false");
            }
            printf("}");
        }
        printf("]}\n");
        return;
    }
    printf("Disclosure audit of the figures for %s to %s, k = %d: for the statistician, not for publication.\n"
           "Each suppressed figure's range is every value it could take given all that is published.\n\n"
           "%-52s %7s  %s\n", r->from, r->to, r->k, "FIGURE", "VALUE", "PUBLISHED / RANGE");
    for (size_t i = 0; i < n; i++) {
        printf("%-52s %7ld  ", f[i].name, f[i].value);
        if (!f[i].suppressed) {
            printf("published\n");
            continue;
        }
        printf("x, ");
        print_bound(ceil(f[i].lo - 1e-6));
        printf(" to ");
        print_bound(isinf(f[i].hi) ? f[i].hi : floor(f[i].hi + 1e-6));
        printf("%s\n", f[i].protected_ ? "" : "  FAILS");
    }
    if (failing == 0)
        printf("\nEvery suppressed figure passes: its range is at least %d wide and holds values below %d and at or above %d.\n",
               r->k, r->k, r->k);
    else
        printf("\n%zu suppressed figure(s) FAIL: the report must not be published.\n", failing);
}

static int stats_run(casework_ctx *ctx, const command_args *args)
{
    char from[DAY_TEXT_SIZE] = "", to[DAY_TEXT_SIZE] = "", today[DAY_TEXT_SIZE], details[64];
    const char *year = command_args_get(args, "year"), *html = command_args_get(args, "html"), *lang = "en";
    int json = command_args_has(args, "json"), csv = command_args_has(args, "csv"), rc = EXIT_FAILED;
    int audit = command_args_has(args, "audit");
    int k = (int)command_args_number(args, "k", 5);   /* the range is declared below */
    const replica_set *set = ctx->origins;
    case_index *ix[REPLICA_SET_MAX] = {NULL};
    stats_case *cases = NULL;
    stats_row *rows = NULL;
    size_t n = 0;
    stats_report *r = NULL;
    stats_figure *figures = NULL;
    size_t nfigures = 0, failing = 0;

    if (command_args_has(args, "from"))
        snprintf(from, sizeof from, "%s", command_args_get(args, "from"));
    if (command_args_has(args, "to"))
        snprintf(to, sizeof to, "%s", command_args_get(args, "to"));
    if (command_args_has(args, "lang"))
        lang = command_args_get(args, "lang");
    day_today(today);
    if (year != NULL && (strlen(year) != 4 || strspn(year, "0123456789") != 4 || from[0] || to[0])) {
        snprintf(ctx->err, sizeof ctx->err, "--year takes YYYY, and not with --from/--to");
        return EXIT_USAGE;
    }
    if (year == NULL && !from[0] && !to[0])
        year = today;
    if (year != NULL) {
        snprintf(from, sizeof from, "%.4s-01-01", year);
        snprintf(to, sizeof to, "%.4s-12-31", year);
    }
    if (!day_valid(from) || !day_valid(to) || strcmp(from, to) > 0) {
        snprintf(ctx->err, sizeof ctx->err, "--from and --to take two days, YYYY-MM-DD, in order");
        return EXIT_USAGE;
    }
    if (json + csv > 1 || (strcmp(lang, "en") != 0 && strcmp(lang, "fr") != 0)) {
        snprintf(ctx->err, sizeof ctx->err, "use one of --json and --csv; --lang takes en or fr");
        return EXIT_USAGE;
    }
    if (audit && (csv || html != NULL)) {
        snprintf(ctx->err, sizeof ctx->err, "--audit prints the statistician's view as text or --json, not with --csv or --html");
        return EXIT_USAGE;
    }
    snprintf(details, sizeof details, "from=%s;to=%s%s", from, to, audit ? ";audit" : "");
    for (size_t i = 0; i < set->n; i++)
        if (audit_append(set->o[i].db, ctx->key, "stats", "", details, ctx->err, sizeof ctx->err) != 0)
            return EXIT_FAILED;
    for (size_t i = 0; i < set->n; i++)
        if (case_index_update(set->o[i].db, ctx->key, ctx->state_dir, &ix[i], ctx->err, sizeof ctx->err) != 0)
            goto out;
    if (collect(ctx, ix, &cases, &rows, &n) != 0)
        goto out;
    r = calloc(1, sizeof *r);
    if (r == NULL) {
        err_set(ctx->err, sizeof ctx->err, ERR_NOMEM, "out of memory");
        goto out;
    }
    if (stats_compute(cases, n, from, to, today, k, r) != 0 || stats_audit(r, &figures, &nfigures, &failing) != 0) {
        err_set(ctx->err, sizeof ctx->err, ERR_INTERNAL, "the figures could not be computed or audited (out of memory, or the solver failed); nothing was printed");
        goto out;
    }
    if (audit) {
        write_audit(r, figures, nfigures, failing, json);
        rc = EXIT_DONE;
        goto out;
    }
    if (failing > 0) {   /* stats_compute suppresses until the audit passes: a bug if reached */
        err_set(ctx->err, sizeof ctx->err, ERR_INTERNAL, "%zu suppressed figure(s) failed the disclosure audit; nothing was printed (see stats --audit)", failing);
        goto out;
    }
    if (html != NULL && write_html(ctx, html, r, strcmp(lang, "fr") == 0) != 0)
        goto out;
    if (json)
        stats_write_json(stdout, r);
    else if (csv)
        stats_write_csv(stdout, r);
    else if (html == NULL)
        stats_write_text(stdout, r);
    else
        printf("wrote %s\n", html);
    rc = EXIT_DONE;
out:
    free(figures);
    free(r);
    free(cases);
    free(rows);
    for (size_t i = 0; i < set->n; i++)
        case_index_free(ix[i]);
    return rc;
}

static const command_option stats_options[] = {
    {.name = "year", .flags = COMMAND_OPT_VALUE, .value_name = "YYYY"},
    {.name = "from", .flags = COMMAND_OPT_DAY, .value_name = "YYYY-MM-DD"},
    {.name = "to", .flags = COMMAND_OPT_DAY, .value_name = "YYYY-MM-DD"},
    {.name = "k", .flags = COMMAND_OPT_NUMBER, .value_name = "N", .min = STATS_MIN_K, .max = 1000,
     .hint = "small numbers could single out a reporter"},
    {.name = "json"},
    {.name = "csv"},
    {.name = "html", .flags = COMMAND_OPT_VALUE, .value_name = "FILE"},
    {.name = "lang", .flags = COMMAND_OPT_VALUE, .value_name = "en|fr"},
    {.name = "audit"},
    {.name = NULL}
};

const command cmd_stats = {
    .name = "stats",
    .summary = "aggregate figures for the annual report, small numbers suppressed",
    .help = "--year (this year without it), or --from and --to; at most one of --json and --csv;\n"
            "--lang is the language of --html; --k: counts below it are suppressed (default 5);\n"
            "--audit: every figure's true value and each suppressed one's range (not for publication).",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .args = {.options = stats_options},
    .run = stats_run,
};
