/*
 * cmd-list.c: `casework list [--status S] [--overdue] [--json]`: one case per line, with its
 * triage values, its deadlines (acknowledgement within 7 days, feedback within 3 months of it)
 * and a mark on cases the reporter restricted, so that sharing one is a deliberate act.
 */
#include <getopt.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "audit-append.h"
#include "case-read.h"
#include "command.h"
#include "day.h"
#include "errors.h"
#include "json.h"
#include "workflow.h"

typedef struct list_opts {
    const char *status;
    int overdue_only;
    int json;
    unsigned long shown;
    char today[DAY_TEXT_SIZE];
} list_opts;

/* What is due next for a case, and whether it is late. */
static const char *due_of(const store_case *c, const case_state *st, const char *today, int *overdue)
{
    *overdue = 0;
    if (strcmp(c->status, "closed") == 0)
        return "";
    if (st->acknowledged[0] == '\0') {
        *overdue = strcmp(today, st->ack_due) > 0;
        return st->ack_due;
    }
    *overdue = strcmp(today, st->feedback_due) > 0;
    return st->feedback_due;
}

static void print_case(list_opts *o, const store_case *c, const case_data *d)
{
    case_state st;
    const char *due;
    int overdue = 0, readable = d != NULL;

    if (readable)
        case_state_of(d, &st);
    else
        memset(&st, 0, sizeof st);
    due = readable ? due_of(c, &st, o->today, &overdue) : "";
    if (o->overdue_only && !overdue)
        return;
    if (o->json) {
        printf("%s\n  {\"case\": \"%s\", \"received\": \"%s\", \"status\": \"%s\", \"category\": ",
               o->shown ? "," : "", c->ref, c->received, c->status);
        if (readable) json_strn(stdout, st.category, st.category_len); else printf("null");
        printf(", \"severity\": ");
        if (st.severity_len) json_strn(stdout, st.severity, st.severity_len); else printf("null");
        printf(", \"assignee\": ");
        if (st.assignee_len) json_strn(stdout, st.assignee, st.assignee_len); else printf("null");
        printf(", \"restricted\": %s, \"readable\": %s, \"due\": ", st.restricted ? "true" : "false",
               readable ? "true" : "false");
        json_str(stdout, due[0] ? due : NULL);
        printf(", \"overdue\": %s}", overdue ? "true" : "false");
    } else {
        printf("%-11s  %-10s  %-13s  %-25.*s  %-8.*s  %-16.*s  %-10s %s%s\n", c->ref, c->received, c->status,
               readable ? (int)st.category_len : 12, readable ? st.category : "(not yours)",
               (int)(st.severity_len ? st.severity_len : 1), st.severity_len ? st.severity : "-",
               (int)(st.assignee_len ? st.assignee_len : 1), st.assignee_len ? st.assignee : "-",
               due[0] ? due : "-", overdue ? "OVERDUE " : "", st.restricted ? "restricted" : "");
    }
    o->shown++;
}

static int list_run(casework_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"status", required_argument, NULL, 's'},
                                         {"overdue", no_argument, NULL, 'o'},
                                         {"json", no_argument, NULL, 'j'}, {NULL, 0, NULL, 0}};
    list_opts o = {0};
    sqlite3_stmt *st;
    int c, rc = EXIT_DONE;

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
    if (o.status != NULL && !workflow_one_of(o.status, workflow_statuses)) {
        snprintf(ctx->err, sizeof ctx->err, "unknown status '%s' (new, triaged, investigating, referred, closed)", o.status);
        return EXIT_USAGE;
    }
    day_today(o.today);
    if (audit_append(ctx->db, ctx->key, "list", "", "", ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    if (sqlite3_prepare_v2(store_db(ctx->db), "SELECT id, ref, received, status, reporter_pk FROM cases"
                           " WHERE (?1 IS NULL OR status = ?1) ORDER BY received, id", -1, &st, NULL) != SQLITE_OK) {
        snprintf(ctx->err, sizeof ctx->err, "cannot read the cases: %s", sqlite3_errmsg(store_db(ctx->db)));
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
        case_data *d = NULL;
        char err[512];
        memset(&sc, 0, sizeof sc);
        sc.id = sqlite3_column_int64(st, 0);
        snprintf(sc.ref, sizeof sc.ref, "%s", (const char *)sqlite3_column_text(st, 1));
        snprintf(sc.received, sizeof sc.received, "%s", (const char *)sqlite3_column_text(st, 2));
        snprintf(sc.status, sizeof sc.status, "%s", (const char *)sqlite3_column_text(st, 3));
        int load = case_load(ctx->db, ctx->key, &sc, &d, err, sizeof err);
        if (load != 0 && load != ERR_NOT_RECIPIENT) {
            /* A damaged case is named; every other case is still listed. */
            fprintf(stderr, "casework list: %s\n", err);
            rc = EXIT_FAILED;
        }
        print_case(&o, &sc, d);
        case_free(d);
    }
    sqlite3_finalize(st);
    if (o.json)
        printf("%s]\n", o.shown ? "\n" : "");
    if (rc == EXIT_FAILED) {
        snprintf(ctx->err, sizeof ctx->err, "some cases could not be read (named above); the others are listed");
        return EXIT_FAILED;
    }
    return EXIT_DONE;
}

const command cmd_list = {
    .name = "list",
    .usage = "[--status S] [--overdue] [--json]",
    .summary = "list cases with their status, triage, deadlines, and restricted cases marked",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .run = list_run,
};
