/*
 * cmd-stats.c: `casework stats [--year YYYY | --from DAY --to DAY] [--k N] [--json] [--csv]
 * [--html FILE [--lang en|fr]]`: the annual figures (stats.h) from every case the caseworker can
 * read and the figures that purged cases left behind. Writes its audit entry first; reads the
 * sealed case index (case-index.h), so it decrypts only what was added since.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit-append.h"
#include "case-index.h"
#include "command.h"
#include "day.h"
#include "errors.h"
#include "stats.h"

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

/*
 * The cases stats counts: purged cases' figures, then every case this key reads. On success
 * *cases and *rows are calloc'd arrays of *n entries (free both); on failure both are NULL.
 */
static int collect(casework_ctx *ctx, const case_index *ix, stats_case **cases, stats_row **rows, size_t *n)
{
    size_t npurged;
    const index_entry *purged = case_index_purged(ix, &npurged);
    collect_ctx cc = {.ix = ix};
    int64_t live;
    int rc;

    *cases = NULL;
    *rows = NULL;
    *n = 0;
    if ((rc = store_case_count(ctx->db, &live, ctx->err, sizeof ctx->err)) != 0)
        return rc;
    cc.cap = (size_t)live + npurged + 1;
    cc.cases = calloc(cc.cap, sizeof *cc.cases);
    cc.rows = calloc(cc.cap, sizeof *cc.rows);
    if (cc.cases == NULL || cc.rows == NULL) {
        rc = err_set(ctx->err, sizeof ctx->err, ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < npurged; i++) {
        const case_state *st = &purged[i].st;
        cc.cases[cc.used++] = (stats_case){st->received, st->category, st->sex, st->age_band, "closed", st->outcome,
                                           st->acknowledged, st->closed[0] ? st->closed : st->received};
    }
    if ((rc = store_cases_each(ctx->db, NULL, add_case, &cc, ctx->err, sizeof ctx->err)) != 0)
        goto fail;
    *cases = cc.cases;
    *rows = cc.rows;
    *n = cc.used;
    return 0;
fail:
    free(cc.cases);
    free(cc.rows);
    return rc;
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

static int stats_run(casework_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"year", required_argument, NULL, 'y'}, {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'}, {"k", required_argument, NULL, 'k'},
        {"json", no_argument, NULL, 'j'}, {"csv", no_argument, NULL, 'c'},
        {"html", required_argument, NULL, 'h'}, {"lang", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0}};
    char from[DAY_TEXT_SIZE] = "", to[DAY_TEXT_SIZE] = "", today[DAY_TEXT_SIZE], details[64];
    const char *year = NULL, *html = NULL, *lang = "en";
    int json = 0, csv = 0, k = 5, c, rc = EXIT_FAILED;
    case_index *ix = NULL;
    stats_case *cases = NULL;
    stats_row *rows = NULL;
    size_t n = 0;
    stats_report *r = NULL;

    while ((c = getopt_long(argc, argv, COMMAND_OPTSTRING, opts, NULL)) != -1) {
        switch (c) {
        case 'y': year = optarg; break;
        case 'f': snprintf(from, sizeof from, "%s", optarg); break;
        case 't': snprintf(to, sizeof to, "%s", optarg); break;
        case 'k': k = atoi(optarg); break;
        case 'j': json = 1; break;
        case 'c': csv = 1; break;
        case 'h': html = optarg; break;
        case 'l': lang = optarg; break;
        default: return command_option_error(ctx, c, argc, argv);
        }
    }
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
    if (k < STATS_MIN_K || k > 1000) {
        snprintf(ctx->err, sizeof ctx->err, "--k must be at least %d (small numbers could single out a reporter)", STATS_MIN_K);
        return EXIT_USAGE;
    }
    if (optind != argc || json + csv > 1 || (strcmp(lang, "en") != 0 && strcmp(lang, "fr") != 0)) {
        snprintf(ctx->err, sizeof ctx->err, "use one of --json and --csv; --lang takes en or fr");
        return EXIT_USAGE;
    }
    snprintf(details, sizeof details, "from=%s;to=%s", from, to);
    if (audit_append(ctx->db, ctx->key, "stats", "", details, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    if (case_index_update(ctx->db, ctx->key, &ix, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    if (collect(ctx, ix, &cases, &rows, &n) != 0)
        goto out;
    r = calloc(1, sizeof *r);
    if (r == NULL)
        goto out;
    stats_compute(cases, n, from, to, today, k, r);
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
    free(r);
    free(cases);
    free(rows);
    case_index_free(ix);
    return rc;
}

const command cmd_stats = {
    .name = "stats",
    .usage = "[--year YYYY | --from YYYY-MM-DD --to YYYY-MM-DD] [--k N] [--json | --csv] [--html FILE [--lang en|fr]]",
    .summary = "aggregate figures for the annual report, small numbers suppressed",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .run = stats_run,
};
