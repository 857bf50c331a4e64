/*
 * cmd-list.c: `casework list [--status S] [--overdue] [--json]`: one case per line, with its
 * triage values, its deadlines (acknowledgement within 7 days, feedback within 3 months of it)
 * and a mark on cases the reporter restricted, so that sharing one is a deliberate act. It reads
 * the caseworker's sealed list index (case-index.h), decrypting only records added since.
 */
#include <getopt.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "audit-append.h"
#include "case-index.h"
#include "command.h"
#include "day.h"
#include "errors.h"
#include "json.h"
#include "term.h"
#include "workflow.h"

typedef struct list_opts {
    const char *status;
    int overdue_only;
    int json;
    unsigned long shown;
    char today[DAY_TEXT_SIZE];
} list_opts;

/* What is due next for a case (acknowledgement, then feedback), and whether it is late. */
static void due_of(const store_case *c, const index_entry *e, const char *today, char due[DAY_TEXT_SIZE],
                   int *overdue)
{
    *overdue = 0;
    due[0] = '\0';
    if (e == NULL || strcmp(c->status, "closed") == 0)
        return;
    if (e->acknowledged[0] == '\0')
        workflow_ack_due(c->received, due);
    else
        workflow_feedback_due(e->acknowledged, due);
    *overdue = strcmp(today, due) > 0;
}

static void print_case(list_opts *o, const store_case *c, const index_entry *e)
{
    char due[DAY_TEXT_SIZE];
    int overdue;
    const index_entry none = {0};
    const index_entry *x = e != NULL && e->readable ? e : &none;

    due_of(c, e != NULL && e->readable ? e : NULL, o->today, due, &overdue);
    if (o->overdue_only && !overdue)
        return;
    if (o->json) {
        printf("%s\n  {\"case\": \"%s\", \"received\": \"%s\", \"status\": \"%s\", \"category\": ",
               o->shown ? "," : "", c->ref, c->received, c->status);
        json_str(stdout, x->category[0] ? x->category : NULL);
        printf(", \"severity\": ");
        json_str(stdout, x->severity[0] ? x->severity : NULL);
        printf(", \"assignee\": ");
        json_str(stdout, x->assignee[0] ? x->assignee : NULL);
        printf(", \"restricted\": %s, \"readable\": %s, \"due\": ", x->restricted ? "true" : "false",
               x->readable ? "true" : "false");
        json_str(stdout, due[0] ? due : NULL);
        printf(", \"overdue\": %s}", overdue ? "true" : "false");
    } else {
        char category[INDEX_TEXT_MAX + 1], severity[INDEX_TEXT_MAX + 1], assignee[INDEX_TEXT_MAX + 1];
        term_safe_copy(category, sizeof category, x->category, strlen(x->category));
        term_safe_copy(severity, sizeof severity, x->severity, strlen(x->severity));
        term_safe_copy(assignee, sizeof assignee, x->assignee, strlen(x->assignee));
        printf("%-11s  %-10s  %-13s  %-25s  %-8s  %-16s  %-10s %s%s\n", c->ref, c->received, c->status,
               x->readable ? category : "(not yours)", severity[0] ? severity : "-",
               assignee[0] ? assignee : "-", due[0] ? due : "-", overdue ? "OVERDUE " : "",
               x->restricted ? "restricted" : "");
    }
    o->shown++;
}

static int list_run(casework_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"status", required_argument, NULL, 's'},
                                         {"overdue", no_argument, NULL, 'o'},
                                         {"json", no_argument, NULL, 'j'}, {NULL, 0, NULL, 0}};
    list_opts o = {0};
    case_index *ix = NULL;
    sqlite3_stmt *st;
    int c;

    while ((c = getopt_long(argc, argv, COMMAND_OPTSTRING, opts, NULL)) != -1) {
        switch (c) {
        case 's': o.status = optarg; break;
        case 'o': o.overdue_only = 1; break;
        case 'j': o.json = 1; break;
        default: return command_option_error(ctx, c, argc, argv);
        }
    }
    if (optind != argc) {
        snprintf(ctx->err, sizeof ctx->err, "unexpected argument %s", argv[optind]);
        return EXIT_USAGE;
    }
    if (o.status != NULL && !vocab_has(&vocab_statuses, o.status)) {
        snprintf(ctx->err, sizeof ctx->err, "unknown status '%s' (%s)", o.status, vocab_statuses.list);
        return EXIT_USAGE;
    }
    day_today(o.today);
    if (audit_append(ctx->db, ctx->key, "list", "", "", ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    if (case_index_update(ctx->db, ctx->key, &ix, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    if (sqlite3_prepare_v2(store_db(ctx->db), "SELECT id, ref, received, status, reporter_pk FROM cases"
                           " WHERE (?1 IS NULL OR status = ?1) ORDER BY received, id", -1, &st, NULL) != SQLITE_OK) {
        snprintf(ctx->err, sizeof ctx->err, "cannot read the cases: %s", sqlite3_errmsg(store_db(ctx->db)));
        case_index_free(ix);
        return EXIT_FAILED;
    }
    if (o.status != NULL)
        sqlite3_bind_text(st, 1, o.status, -1, SQLITE_STATIC);
    if (o.json)
        printf("[");
    else
        printf("%-11s  %-10s  %-13s  %-25s  %-8s  %-16s  %-10s\n", "CASE", "RECEIVED", "STATUS", "CATEGORY",
               "SEVERITY", "ASSIGNEE", "DUE");
    while (sqlite3_step(st) == SQLITE_ROW) {
        store_case sc;
        memset(&sc, 0, sizeof sc);
        sc.id = sqlite3_column_int64(st, 0);
        snprintf(sc.ref, sizeof sc.ref, "%s", (const char *)sqlite3_column_text(st, 1));
        snprintf(sc.received, sizeof sc.received, "%s", (const char *)sqlite3_column_text(st, 2));
        snprintf(sc.status, sizeof sc.status, "%s", (const char *)sqlite3_column_text(st, 3));
        print_case(&o, &sc, case_index_find(ix, sc.id));
    }
    sqlite3_finalize(st);
    case_index_free(ix);
    if (o.json)
        printf("%s]\n", o.shown ? "\n" : "");
    return EXIT_DONE;
}

const command cmd_list = {
    .name = "list",
    .usage = "[--status S] [--overdue] [--json]",
    .summary = "list cases with their status, triage, deadlines, and restricted cases marked",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .run = list_run,
};
