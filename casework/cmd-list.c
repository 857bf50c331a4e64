/*
 * cmd-list.c: `casework list [--status S] [--overdue] [--json]`: one case per line, with its
 * triage values, its deadlines (acknowledgement within 7 days, feedback within 3 months of it)
 * and a mark on cases the reporter restricted, so that sharing one is a deliberate act. It reads
 * the caseworker's sealed list index (case-index.h), decrypting only records added since. On a
 * replica that syncs with several intakes it lists every origin's cases, each with its origin.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "audit-append.h"
#include "case-index.h"
#include "command.h"
#include "day.h"
#include "errors.h"
#include "json.h"
#include "replica-set.h"
#include "term.h"
#include "workflow.h"

typedef struct list_opts {
    const char *status;
    int overdue_only;
    int json;
    unsigned long shown;
    char today[DAY_TEXT_SIZE];
} list_opts;

typedef struct list_walk {
    list_opts *o;
    const case_index *ix;
    const char *origin;   /* the origin's name; NULL when the database is no named replica */
    int origin_column;    /* several origins: the text shows each case's */
} list_walk;

static int print_case(void *ctx, const store_case *c)
{
    list_walk *w = ctx;
    list_opts *o = w->o;
    const index_entry *e = case_index_find(w->ix, c->id);
    char due[DAY_TEXT_SIZE];
    int overdue;
    case_state x;

    case_state_init(&x, c->received);
    if (e != NULL && e->st.readable) {
        x = e->st;
        snprintf(x.received, sizeof x.received, "%s", c->received);
    }
    overdue = case_state_due(&x, o->today, due);
    if (o->overdue_only && !overdue) {
        case_state_wipe(&x);
        return 0;
    }
    if (o->json) {
        /* Even the clear columns are escaped: whoever can write to the database chooses them. */
        printf("%s\n  {\"case\": ", o->shown ? "," : "");
        json_str(stdout, c->ref);
        printf(", \"origin\": ");
        json_str(stdout, w->origin);
        printf(", \"received\": ");
        json_str(stdout, c->received);
        printf(", \"status\": ");
        json_str(stdout, c->status);
        printf(", \"category\": ");
        json_str(stdout, x.category[0] ? x.category : NULL);
        printf(", \"severity\": ");
        json_str(stdout, x.severity[0] ? x.severity : NULL);
        printf(", \"assignee\": ");
        json_str(stdout, x.assignee[0] ? x.assignee : NULL);
        printf(", \"restricted\": %s, \"readable\": %s, \"due\": ", x.restricted ? "true" : "false",
               x.readable ? "true" : "false");
        json_str(stdout, due[0] ? due : NULL);
        printf(", \"overdue\": %s}", overdue ? "true" : "false");
    } else {
        char category[CASE_STATE_TEXT_MAX + 1], severity[CASE_STATE_TEXT_MAX + 1], assignee[CASE_STATE_TEXT_MAX + 1];
        char ref[CASEREF_TEXT_SIZE], status[sizeof c->status];
        term_safe_copy(ref, sizeof ref, c->ref, strlen(c->ref));
        term_safe_copy(status, sizeof status, c->status, strlen(c->status));
        term_safe_copy(category, sizeof category, x.category, strlen(x.category));
        term_safe_copy(severity, sizeof severity, x.severity, strlen(x.severity));
        term_safe_copy(assignee, sizeof assignee, x.assignee, strlen(x.assignee));
        if (w->origin_column)
            printf("%-12s  ", w->origin != NULL ? w->origin : "-");
        printf("%-11s  %-10s  %-13s  %-25s  %-8s  %-16s  %-10s %s%s\n", ref, c->received, status,
               x.readable ? category : "(not yours)", severity[0] ? severity : "-",
               assignee[0] ? assignee : "-", due[0] ? due : "-", overdue ? "OVERDUE " : "",
               x.restricted ? "restricted" : "");
        sodium_memzero(category, sizeof category);
        sodium_memzero(severity, sizeof severity);
        sodium_memzero(assignee, sizeof assignee);
    }
    o->shown++;
    case_state_wipe(&x);
    return 0;
}

/* Lists the cases of one origin. */
static int list_origin(casework_ctx *ctx, list_walk *w, store *db)
{
    case_index *ix = NULL;
    int rc;

    if (case_index_update(db, ctx->key, ctx->state_dir, &ix, ctx->err, sizeof ctx->err) != 0)
        return -1;
    w->ix = ix;
    rc = store_cases_each(db, w->o->status, print_case, w, ctx->err, sizeof ctx->err);
    case_index_free(ix);
    return rc;
}

static int list_run(casework_ctx *ctx, const command_args *args)
{
    list_opts o = {.status = command_args_get(args, "status"), .overdue_only = command_args_has(args, "overdue"),
                   .json = command_args_has(args, "json")};
    const replica_set *set = ctx->origins;
    list_walk w = {.o = &o, .origin_column = set->n > 1};

    day_today(o.today);
    /* each origin's log records that its cases were listed, before anything is shown */
    for (size_t i = 0; i < set->n; i++)
        if (audit_append(set->o[i].db, ctx->key, "list", "", "", ctx->err, sizeof ctx->err) != 0)
            return EXIT_FAILED;
    if (o.json)
        printf("[");
    else {
        if (w.origin_column)
            printf("%-12s  ", "ORIGIN");
        printf("%-11s  %-10s  %-13s  %-25s  %-8s  %-16s  %-10s\n", "CASE", "RECEIVED", "STATUS", "CATEGORY",
               "SEVERITY", "ASSIGNEE", "DUE");
    }
    for (size_t i = 0; i < set->n; i++) {
        w.origin = set->o[i].name[0] ? set->o[i].name : NULL;
        if (list_origin(ctx, &w, set->o[i].db) != 0)
            return EXIT_FAILED;
    }
    if (o.json)
        printf("%s]\n", o.shown ? "\n" : "");
    return EXIT_DONE;
}

static const command_option list_options[] = {
    {.name = "status", .flags = COMMAND_OPT_VALUE, .value_name = "S", .choices = &vocab_statuses},
    {.name = "overdue"},
    {.name = "json"},
    {.name = NULL}
};

const command cmd_list = {
    .name = "list",
    .summary = "list cases with their status, triage, deadlines, and restricted cases marked",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .args = {.options = list_options},
    .run = list_run,
};
