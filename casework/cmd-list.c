/*
 * cmd-list.c: `casework list [--status S] [--overdue] [--new] [--mine | --assignee NAME]
 * [--json]`: one case per line, with a mark on cases holding something from the reporter that
 * this caseworker has not seen (case-seen.h), its triage values, the next deadline and its kind
 * (acknowledgement within 7 days, feedback within 3 months of it) and a mark on cases the
 * reporter restricted, so that sharing one is a deliberate act. The text fits 80 columns, with
 * a header over every column; long values are cut with an ellipsis, and overdue deadlines are in
 * colour on a terminal (term.h). It reads the caseworker's sealed list index (case-index.h),
 * decrypting only records added since. On a replica that syncs with several intakes it lists
 * every origin's cases, each with its origin.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "audit-append.h"
#include "case-index.h"
#include "case-seen.h"
#include "command.h"
#include "day.h"
#include "errors.h"
#include "json.h"
#include "keyfile.h"
#include "replica-set.h"
#include "term.h"
#include "term-layout.h"
#include "workflow.h"

/* The text columns: name and width. The widest values fit: a full case reference, the longest
 * status ("investigating"), categories cut at 11 ("(not yours)" fits), severities shortened to
 * 4, the assignee cut at 8, the deadline's kind and day; with one space between, 80 columns. */
enum { COL_CASE, COL_NEW, COL_STATUS, COL_CATEGORY, COL_SEVERITY, COL_ASSIGNEE, COL_DUE, COL_OVERDUE,
       COL_RESTRICTED, NCOLS };
static const struct {
    const char *header;
    size_t width;
} columns[NCOLS] = {
    {"CASE", 11}, {"NEW", 3}, {"STATUS", 13}, {"CATEGORY", 11}, {"SEV", 4}, {"ASSIGNEE", 8},
    {"DUE", 14}, {"OVERDUE", 7}, {"R", 1},
};

typedef struct list_opts {
    const char *status;
    int overdue_only;
    int new_only;
    int json;
    const char *assignee;   /* --assignee NAME, or the key's own name with --mine; NULL: anyone */
    unsigned long shown;
    char today[DAY_TEXT_SIZE];
} list_opts;

typedef struct list_walk {
    list_opts *o;
    const case_index *ix;
    const case_seen *seen;
    const char *origin;   /* the origin's name; NULL when the database is no named replica */
    int origin_column;    /* several origins: the text heads each origin's cases with its name */
} list_walk;

/* A severity in the 4 columns of its cell. */
static const char *short_severity(const char *severity)
{
    if (strcmp(severity, "medium") == 0)
        return "med";
    if (strcmp(severity, "critical") == 0)
        return "crit";
    return severity;
}

/* Writes one cell and the space after it (none after the last). */
static void cell(FILE *out, int col, const char *text)
{
    term_cell(out, text, columns[col].width);
    if (col + 1 < NCOLS)
        fputc(' ', out);
}

/* Writes the line built in buf (used bytes) to stdout without its trailing spaces, and wipes it. */
static void put_line(char *buf, size_t cap, size_t used)
{
    while (used > 0 && buf[used - 1] == ' ')
        used--;
    fwrite(buf, 1, used, stdout);
    fputc('\n', stdout);
    sodium_memzero(buf, cap);
}

static void print_header(void)
{
    char buf[512];
    FILE *out = fmemopen(buf, sizeof buf, "w");
    long used;

    if (out == NULL)
        return;
    for (int i = 0; i < NCOLS; i++)
        cell(out, i, columns[i].header);
    used = ftell(out);
    fclose(out);
    put_line(buf, sizeof buf, used > 0 && (size_t)used < sizeof buf ? (size_t)used : 0);
}

static void print_text_row(const store_case *c, const case_state *x, const char *due, int overdue,
                           int is_new)
{
    char category[3 * CASE_STATE_TEXT_MAX + 1], severity[3 * CASE_STATE_TEXT_MAX + 1];
    char assignee[3 * CASE_STATE_TEXT_MAX + 1], ref[3 * CASEREF_TEXT_SIZE], status[3 * sizeof c->status];
    char due_text[32], buf[1024];
    FILE *out;
    long used;

    term_safe_copy(ref, sizeof ref, c->ref, strlen(c->ref));
    term_safe_copy(status, sizeof status, c->status, strlen(c->status));
    term_safe_copy(category, sizeof category, x->category, strlen(x->category));
    term_safe_copy(severity, sizeof severity, x->severity, strlen(x->severity));
    term_safe_copy(assignee, sizeof assignee, x->assignee, strlen(x->assignee));
    snprintf(due_text, sizeof due_text, "%s %s", x->acknowledged[0] ? "fbk" : "ack", due);
    /* the line is built in a buffer on the stack, so that its trailing spaces can go */
    if ((out = fmemopen(buf, sizeof buf, "w")) != NULL) {
        cell(out, COL_CASE, ref);
        cell(out, COL_NEW, is_new ? "new" : "");
        cell(out, COL_STATUS, status);
        cell(out, COL_CATEGORY, x->readable ? category : "(not yours)");
        cell(out, COL_SEVERITY, severity[0] ? short_severity(severity) : "-");
        cell(out, COL_ASSIGNEE, assignee[0] ? assignee : "-");
        fputs(overdue ? term_warn() : "", out);
        term_cell(out, due[0] ? due_text : "-", columns[COL_DUE].width);
        fputs(overdue ? term_reset() : "", out);
        fputc(' ', out);
        fputs(overdue ? term_warn() : "", out);
        term_cell(out, overdue ? "OVERDUE" : "", columns[COL_OVERDUE].width);
        fputs(overdue ? term_reset() : "", out);
        fputc(' ', out);
        cell(out, COL_RESTRICTED, x->restricted ? "R" : "");
        used = ftell(out);
        fclose(out);
        put_line(buf, sizeof buf, used > 0 && (size_t)used < sizeof buf ? (size_t)used : 0);
    }
    sodium_memzero(category, sizeof category);
    sodium_memzero(severity, sizeof severity);
    sodium_memzero(assignee, sizeof assignee);
}

static int print_case(void *ctx, const store_case *c)
{
    list_walk *w = ctx;
    list_opts *o = w->o;
    const index_entry *e = case_index_find(w->ix, c->id);
    char due[DAY_TEXT_SIZE];
    int overdue, is_new;
    case_state x;

    case_state_init(&x, c->received);
    if (e != NULL && e->st.readable) {
        x = e->st;
        snprintf(x.received, sizeof x.received, "%s", c->received);
    }
    overdue = case_state_due(&x, o->today, due);
    is_new = e != NULL && x.readable && case_seen_is_new(w->seen, c->id, e->item_id);
    if ((o->overdue_only && !overdue) || (o->new_only && !is_new) ||
        (o->assignee != NULL && (!x.readable || strcasecmp(x.assignee, o->assignee) != 0))) {
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
        printf(", \"due_kind\": ");
        json_str(stdout, due[0] ? (x.acknowledged[0] ? "feedback" : "acknowledgement") : NULL);
        printf(", \"overdue\": %s, \"new\": %s}", overdue ? "true" : "false", is_new ? "true" : "false");
    } else
        print_text_row(c, &x, due, overdue, is_new);
    o->shown++;
    case_state_wipe(&x);
    return 0;
}

/* Lists the cases of one origin. */
static int list_origin(casework_ctx *ctx, list_walk *w, store *db)
{
    case_index *ix = NULL;
    case_seen *seen = NULL;
    int rc;

    if (case_index_update(db, ctx->key, ctx->state_dir, &ix, ctx->err, sizeof ctx->err) != 0)
        return -1;
    if (case_seen_open(db, ctx->key, ctx->state_dir, &seen, ctx->err, sizeof ctx->err) != 0) {
        case_index_free(ix);
        return -1;
    }
    w->ix = ix;
    w->seen = seen;
    rc = store_cases_each(db, w->o->status, print_case, w, ctx->err, sizeof ctx->err);
    case_seen_free(seen);
    case_index_free(ix);
    return rc;
}

static int list_run(casework_ctx *ctx, const command_args *args)
{
    list_opts o = {.status = command_args_get(args, "status"), .overdue_only = command_args_has(args, "overdue"),
                   .new_only = command_args_has(args, "new"), .json = command_args_has(args, "json"),
                   .assignee = command_args_get(args, "assignee")};
    const replica_set *set = ctx->origins;
    list_walk w = {.o = &o, .origin_column = set->n > 1};

    if (command_args_has(args, "mine")) {
        if (o.assignee != NULL) {
            snprintf(ctx->err, sizeof ctx->err, "give --mine or --assignee NAME, not both");
            return EXIT_USAGE;
        }
        o.assignee = ctx->key->pub.name;
    }
    day_today(o.today);
    /* each origin's log records that its cases were listed, before anything is shown */
    for (size_t i = 0; i < set->n; i++)
        if (audit_append(set->o[i].db, ctx->key, "list", "", "", ctx->err, sizeof ctx->err) != 0)
            return EXIT_FAILED;
    if (o.json)
        printf("[");
    else
        print_header();
    for (size_t i = 0; i < set->n; i++) {
        w.origin = set->o[i].name[0] ? set->o[i].name : NULL;
        if (w.origin_column && !o.json) {   /* a line of its own: the rows keep to 80 columns */
            char name[3 * sizeof set->o[i].name];
            term_safe_copy(name, sizeof name, set->o[i].name, strlen(set->o[i].name));
            printf("ORIGIN %s\n", w.origin != NULL ? name : "-");
        }
        if (list_origin(ctx, &w, set->o[i].db) != 0)
            return EXIT_FAILED;
    }
    if (o.json)
        printf("%s]\n", o.shown ? "\n" : "");
    else if (o.shown == 0)   /* an empty table must not look like a failure to read */
        printf("%s\n", o.new_only ? "(nothing new: every report, follow-up and file has been shown to you)"
                                   : "(no case matches)");
    return EXIT_DONE;
}

static const command_option list_options[] = {
    {.name = "status", .flags = COMMAND_OPT_VALUE, .value_name = "S", .choices = &vocab_statuses},
    {.name = "overdue"},
    {.name = "new"},
    {.name = "mine"},
    {.name = "assignee", .flags = COMMAND_OPT_VALUE, .value_name = "NAME"},
    {.name = "json"},
    {.name = NULL}
};

const command cmd_list = {
    .name = "list",
    .summary = "list cases with what is new, their status, triage, deadlines, and restricted cases marked",
    .help = "NEW: the reporter sent something (the report, a follow-up, a file) you have not seen with show.\n"
            "SEV: low, med(ium), high, crit(ical). DUE: the next deadline: ack (acknowledge the report, within\n"
            "7 days of receipt) or fbk (feedback to the reporter, within 3 months of acknowledging it).\n"
            "R: the reporter left some caseworkers out (see show). Long values end with an ellipsis.\n"
            "--new: only cases with something new. --mine: only cases assigned to your key's name;\n"
            "--assignee NAME: to NAME (any letter case). --json adds \"new\" and \"due_kind\".",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .args = {.options = list_options},
    .run = list_run,
};
