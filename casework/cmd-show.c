/*
 * cmd-show.c: `casework show CASE [--json]`: the decrypted case: the report's fields, its
 * attachments, the messages both ways, notes, the history of triage, the deadline that still
 * applies (acknowledgement until the first reply, then feedback; none once closed) and the
 * outcome of a closed case. The items from the reporter this caseworker has not seen (the
 * report, follow-ups, files) are marked [new], and then remembered as seen (case-seen.h). Long
 * text is wrapped to the terminal's width (80 columns when not a terminal). The audit entry is
 * written first; if it cannot be, nothing is decrypted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-append.h"
#include "case-read.h"
#include "case-seen.h"
#include "command.h"
#include "day.h"
#include "errors.h"
#include "json.h"
#include "replica-set.h"
#include "report_fields.h"
#include "term.h"
#include "term-layout.h"

/* The fields of a report or history record that show never prints: binary keys, and who wrote
 * it ("by", printed on its own). */
static int hidden_field(const char *name)
{
    static const char *const hidden[] = {"by", "x25519", "recipient", "reporter_pk", "excluded", "key", "signer", "sig",
                                         "signer_key", "ed25519", "report_hash", "pad"};

    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
        if (strcmp(name, hidden[i]) == 0)
            return 1;
    return 0;
}

/* Where a record is shown; the text and the JSON both ask this one function. */
enum section { SECTION_NONE, SECTION_MESSAGES, SECTION_NOTES, SECTION_HISTORY };

static enum section section_of(const case_record *r)
{
    if (r->forged)
        return SECTION_NONE;   /* listed apart, under a warning */
    switch (r->kind) {
    case ENVELOPE_KIND_FOLLOWUP:
    case ENVELOPE_KIND_REPLY: return SECTION_MESSAGES;
    case ENVELOPE_KIND_NOTE: return SECTION_NOTES;
    case ENVELOPE_KIND_TRIAGE:
    case ENVELOPE_KIND_SHARE: return SECTION_HISTORY;
    default: return SECTION_NONE;
    }
}

/* What show prints, taken once from the decrypted case: its state (the one fold), report and
 * deadlines. The text and the JSON are both written from it. */
typedef struct show_view {
    const case_data *d;
    case_state st;
    const case_record *report;
    char ack_due[DAY_TEXT_SIZE], feedback_due[DAY_TEXT_SIZE];
    const char *origin;   /* the intake it came from (replica-set.h), NULL when unnamed */
    int several;          /* the replica syncs with several intakes: the text names it */
    size_t first_new;     /* the index in d->records of the first unseen item (d->nrecords: none) */
    int64_t newest_item;  /* the id of the case's newest item from the reporter (0: none) */
    size_t width;         /* the columns to wrap text in */
} show_view;

/* 1 when the record r of v's case (NULL: none) is an item the caseworker has not seen. */
static int is_new(const show_view *v, const case_record *r)
{
    return r != NULL && case_item(r) && (size_t)(r - v->d->records) >= v->first_new;
}

static void print_new(const show_view *v, const case_record *r)
{
    if (is_new(v, r))
        printf(" %s[new]%s", term_bold(), term_reset());
}

static void view_of(const case_data *d, show_view *v)
{
    v->d = d;
    case_state_of(d, &v->st);
    case_state_deadlines(&v->st, v->ack_due, v->feedback_due);
    v->report = case_first(d, ENVELOPE_KIND_REPORT);
}

/* The name of a record kind, for the warnings. */
static const char *kind_name(enum envelope_kind kind)
{
    switch (kind) {
    case ENVELOPE_KIND_REPORT: return "report";
    case ENVELOPE_KIND_REPLY: return "reply";
    case ENVELOPE_KIND_NOTE: return "note";
    case ENVELOPE_KIND_TRIAGE: return "triage";
    case ENVELOPE_KIND_SHARE: return "share";
    default: return "record";
    }
}

/* Prints a sealed value for a terminal: control characters (an escape sequence a hostile
 * reporter slipped past the intake, say) are shown as '?'. */
static void print_value(const case_record *r, const char *name)
{
    size_t len;
    const char *v = case_value(r, name, &len);

    term_safe(stdout, v, len);
}

/* Prints a sealed value like print_value, wrapped to v's width with continuation lines indented
 * by indent; used is the columns already taken on the first line. */
static void print_wrapped(const show_view *v, const case_record *r, const char *name, size_t used, size_t indent)
{
    size_t len;
    const char *t = case_value(r, name, &len);

    if (term_wrap(stdout, t, len, used, indent, v->width) != 0)
        term_safe(stdout, t, len);   /* out of guarded memory: unwrapped, still filtered */
}

static void print_text_or_dash(const char *s)
{
    term_safe(stdout, s[0] ? s : "-", s[0] ? strlen(s) : 1);
}

static const char *from_of(const case_record *r)
{
    return r->kind == ENVELOPE_KIND_FOLLOWUP ? "reporter" : "caseworker";
}

static void show_text(const show_view *v)
{
    const case_data *d = v->d;
    const case_state *st = &v->st;
    char today[DAY_TEXT_SIZE];
    int late;

    day_today(today);
    late = st->acknowledged[0] == '\0' && strcmp(today, v->ack_due) > 0;
    printf("%sCase %s%s   status: %s   received: %s", term_bold(), d->c.ref, term_reset(),
           d->c.status, d->c.received);
    if (v->several && v->origin != NULL)
        printf("   from: %s", v->origin);
    printf("\n");
    printf("Category: ");
    term_safe(stdout, st->category, strlen(st->category));
    printf("   Severity: ");
    print_text_or_dash(st->severity);
    printf("   Assignee: ");
    print_text_or_dash(st->assignee);
    printf("%s\n", st->restricted ? "   (restricted by the reporter)" : "");
    if (st->closed[0]) {
        /* closed: no deadline applies any more; the outcome says how it ended */
        printf("Outcome: ");
        print_text_or_dash(st->outcome);
        printf("   closed: %s", st->closed);
        if (st->acknowledged[0])
            printf("   acknowledged: %s", st->acknowledged);
    } else if (st->acknowledged[0]) {
        char due[DAY_TEXT_SIZE];
        int feedback_late = case_state_due(st, today, due);
        printf("Acknowledged: %s   Feedback by: %s%s%s%s", st->acknowledged, feedback_late ? term_warn() : "",
               v->feedback_due, term_reset(), feedback_late ? " (overdue)" : "");
    } else {
        printf("Acknowledge by: %s%s%s", late ? term_warn() : "", v->ack_due, term_reset());
        if (late)
            printf(" (overdue)");
    }
    printf("\n\n%sReport%s", term_bold(), term_reset());
    print_new(v, v->report);
    printf("\n");
    for (size_t i = 0; i < sizeof report_fields / sizeof report_fields[0]; i++) {
        size_t len;
        case_value(v->report, report_fields[i].name, &len);
        if (len == 0)
            continue;
        printf("  %s: ", report_fields[i].label);
        print_wrapped(v, v->report, report_fields[i].name, 4 + strlen(report_fields[i].label), 4);
        printf("\n");
    }
    if (st->restricted) {
        printf("  Left out by the reporter (do not share with them):");
        for (size_t i = 0; i < v->report->nfields; i++)
            if (strcmp(v->report->fields[i].name, "excluded") == 0) {
                printf(" ");
                term_safe(stdout, (const char *)v->report->fields[i].value, v->report->fields[i].len);
            }
        printf("\n");
    }
    printf("\n%sAttachments%s\n", term_bold(), term_reset());
    if (d->nattachments == 0)
        printf("  none\n");
    for (size_t i = 0; i < d->nattachments; i++) {
        printf("  %zu. ", i + 1);
        print_value(d->attachments[i].meta, "name");
        printf(" (");
        print_value(d->attachments[i].meta, "type");
        printf(", ");
        print_value(d->attachments[i].meta, "size");
        printf(" bytes)");
        print_new(v, d->attachments[i].meta);
        printf("\n");
    }
    printf("\n%sMessages%s\n", term_bold(), term_reset());
    for (size_t i = 0; i < d->nrecords; i++) {
        const case_record *r = &d->records[i];
        if (section_of(r) != SECTION_MESSAGES)
            continue;
        printf("  %s %s", r->day, from_of(r));
        if (r->kind == ENVELOPE_KIND_REPLY) {
            printf(" (");
            print_value(r, "by");
            printf(")");
        }
        print_new(v, r);
        printf(":\n    ");
        print_wrapped(v, r, "text", 4, 4);
        printf("\n");
    }
    printf("\n%sNotes%s\n", term_bold(), term_reset());
    for (size_t i = 0; i < d->nrecords; i++) {
        if (section_of(&d->records[i]) != SECTION_NOTES)
            continue;
        printf("  %s ", d->records[i].day);
        print_value(&d->records[i], "by");
        printf(":\n    ");
        print_wrapped(v, &d->records[i], "text", 4, 4);
        printf("\n");
    }
    printf("\n%sHistory%s\n  %s received\n", term_bold(), term_reset(), d->c.received);
    for (size_t i = 0; i < d->nrecords; i++) {
        const case_record *r = &d->records[i];
        if (section_of(r) != SECTION_HISTORY)
            continue;
        printf("  %s ", r->day);
        print_value(r, "by");
        if (r->kind == ENVELOPE_KIND_SHARE)
            printf(" shared the case with");
        for (size_t j = 0; j < r->nfields; j++)
            if (!hidden_field(r->fields[j].name)) {
                printf(" %s=", r->fields[j].name);
                term_safe(stdout, (const char *)r->fields[j].value, r->fields[j].len);
            }
        printf("\n");
    }
    if (d->not_for_me > 0)
        printf("\n(%zu record(s) of this case are sealed to other caseworkers only)\n", d->not_for_me);
    if (d->forged > 0) {
        printf("\n%sWARNING%s: %zu record(s) of this case are signed by none of its caseworkers and were ignored "
               "(forged in the database? check it against a backup and the audit log):\n", term_warn(), term_reset(), d->forged);
        for (size_t i = 0; i < d->nrecords; i++)
            if (d->records[i].forged)
                printf("  %s %s\n", d->records[i].day, kind_name(d->records[i].kind));
    }
    if (d->tampered)
        printf("\n%sWARNING%s: this case was tampered with in the database: %s. casework will not write to it; "
               "compare it with a backup and the audit log, and restore it\n", term_warn(), term_reset(),
               d->reports > 1 ? "it holds more than one report, and which one is real cannot be told from the database"
                              : "its report was replaced");
}

static void json_value(const case_record *r, const char *name)
{
    size_t len;
    const char *v = case_value(r, name, &len);

    json_strn(stdout, v, len);
}

/* A JSON string, or null for "". */
static void json_text_or_null(const char *s)
{
    json_str(stdout, s[0] ? s : NULL);
}

static void show_json(const show_view *v)
{
    const case_data *d = v->d;
    const case_state *st = &v->st;
    int first = 1;

    printf("{\"case\": ");
    json_str(stdout, d->c.ref);
    printf(", \"origin\": ");
    json_str(stdout, v->origin);
    printf(", \"status\": ");
    json_str(stdout, d->c.status);
    printf(", \"received\": ");
    json_str(stdout, d->c.received);
    printf(", \"category\": ");
    json_str(stdout, st->category);
    printf(", \"severity\": ");
    json_text_or_null(st->severity);
    printf(", \"assignee\": ");
    json_text_or_null(st->assignee);
    printf(", \"restricted\": %s, \"acknowledge_by\": ", st->restricted ? "true" : "false");
    json_str(stdout, v->ack_due);
    printf(", \"acknowledged\": ");
    json_text_or_null(st->acknowledged);
    printf(", \"feedback_by\": ");
    json_text_or_null(v->feedback_due);
    printf(", \"closed\": ");
    json_text_or_null(st->closed);
    printf(", \"outcome\": ");
    json_text_or_null(st->outcome);
    printf(", \"report_new\": %s", is_new(v, v->report) ? "true" : "false");
    printf(",\n \"report\": {");
    for (size_t i = 0; i < sizeof report_fields / sizeof report_fields[0]; i++) {
        if (fields_find(v->report->fields, v->report->nfields, report_fields[i].name) == NULL)
            continue;
        printf("%s", first ? "" : ", ");
        json_str(stdout, report_fields[i].name);
        printf(": ");
        json_value(v->report, report_fields[i].name);
        first = 0;
    }
    printf("},\n \"left_out\": [");
    first = 1;
    for (size_t i = 0; i < v->report->nfields; i++)
        if (strcmp(v->report->fields[i].name, "excluded") == 0) {
            printf("%s", first ? "" : ", ");
            json_strn(stdout, (const char *)v->report->fields[i].value, v->report->fields[i].len);
            first = 0;
        }
    printf("],\n \"attachments\": [");
    for (size_t i = 0; i < d->nattachments; i++) {
        size_t len;
        const char *size = case_value(d->attachments[i].meta, "size", &len);
        char digits[24];
        snprintf(digits, sizeof digits, "%.*s", (int)(len < 20 ? len : 20), size);
        printf("%s{\"name\": ", i ? ", " : "");
        json_value(d->attachments[i].meta, "name");
        printf(", \"type\": ");
        json_value(d->attachments[i].meta, "type");
        printf(", \"size\": %llu, \"new\": %s}", strspn(digits, "0123456789") == strlen(digits) && digits[0]
                                      ? strtoull(digits, NULL, 10) : 0ULL, is_new(v, d->attachments[i].meta) ? "true" : "false");
    }
    printf("],\n \"messages\": [");
    first = 1;
    for (size_t i = 0; i < d->nrecords; i++) {
        const case_record *r = &d->records[i];
        if (section_of(r) != SECTION_MESSAGES)
            continue;
        printf("%s{\"from\": \"%s\", \"day\": \"%s\", \"by\": ", first ? "" : ", ", from_of(r), r->day);
        first = 0;
        if (r->kind == ENVELOPE_KIND_REPLY)
            json_value(r, "by");
        else
            printf("null");
        printf(", \"text\": ");
        json_value(r, "text");
        printf(", \"new\": %s}", is_new(v, r) ? "true" : "false");
    }
    printf("],\n \"notes\": [");
    first = 1;
    for (size_t i = 0; i < d->nrecords; i++) {
        const case_record *r = &d->records[i];
        if (section_of(r) != SECTION_NOTES)
            continue;
        printf("%s{\"by\": ", first ? "" : ", ");
        json_value(r, "by");
        printf(", \"day\": \"%s\", \"text\": ", r->day);
        json_value(r, "text");
        printf("}");
        first = 0;
    }
    printf("],\n \"history\": [");
    first = 1;
    for (size_t i = 0; i < d->nrecords; i++) {
        const case_record *r = &d->records[i];
        if (section_of(r) != SECTION_HISTORY)
            continue;
        printf("%s{\"day\": \"%s\", \"by\": ", first ? "" : ", ", r->day);
        first = 0;
        json_value(r, "by");
        if (r->kind == ENVELOPE_KIND_SHARE)
            printf(", \"action\": \"share\"");
        for (size_t j = 0; j < r->nfields; j++) {
            if (hidden_field(r->fields[j].name))
                continue;
            printf(", ");
            json_str(stdout, r->fields[j].name);
            printf(": ");
            json_strn(stdout, (const char *)r->fields[j].value, r->fields[j].len);
        }
        printf("}");
    }
    printf("],\n \"tampered\": %s,\n \"forged\": [", d->tampered ? "true" : "false");
    first = 1;
    for (size_t i = 0; i < d->nrecords; i++) {
        if (!d->records[i].forged)
            continue;
        printf("%s{\"day\": \"%s\", \"kind\": \"%s\"}", first ? "" : ", ", d->records[i].day, kind_name(d->records[i].kind));
        first = 0;
    }
    printf("]}\n");
}

/* Remembers that the caseworker has seen every item of the case; a failure is only noted, as
 * the items then show as new again (the safe side). */
static void record_seen(casework_ctx *ctx, const show_view *v, case_seen *seen)
{
    char why[400];

    if (v->newest_item == 0 || case_seen_item(seen, v->d->c.id) == v->newest_item)
        return;
    if (case_seen_record(seen, ctx->key, v->d->c.id, v->newest_item, why, sizeof why) != 0)
        fprintf(stderr, "casework show: note: %s; what was new will be marked new again\n", why);
}

static int show_run(casework_ctx *ctx, const command_args *args)
{
    case_data *d = NULL;
    case_seen *seen = NULL;
    show_view v;
    store_case c;
    int json = command_args_has(args, "json");

    if (case_find(ctx->db, args->positional[0], &c, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    if (audit_append(ctx->db, ctx->key, "show", c.ref, "", ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    if (case_seen_open(ctx->db, ctx->key, ctx->state_dir, &seen, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    if (case_load(ctx->db, ctx->key, &c, &d, ctx->err, sizeof ctx->err) != 0) {
        case_seen_free(seen);
        return EXIT_FAILED;
    }
    view_of(d, &v);
    v.origin = replica_set_name_of(ctx->origins, ctx->db);
    v.several = ctx->origins->n > 1;
    v.first_new = case_first_unseen(d, case_seen_item(seen, c.id), &v.newest_item);
    v.width = term_width();
    if (json)
        show_json(&v);
    else
        show_text(&v);
    if (fflush(stdout) == 0 && !ferror(stdout))
        record_seen(ctx, &v, seen);   /* only what reached the output counts as seen */
    case_seen_free(seen);
    case_state_wipe(&v.st);
    case_free(d);
    return EXIT_DONE;
}

static const command_option show_options[] = {
    {.name = "json"},
    {.name = NULL}
};

const command cmd_show = {
    .name = "show",
    .summary = "decrypt and show a case: report, attachments, messages, notes, history, deadlines",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .args = {.options = show_options, .min_positional = 1, .max_positional = 1, .positional = {{.name = "CASE"}}},
    .run = show_run,
};
