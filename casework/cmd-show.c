/*
 * cmd-show.c: `casework show CASE [--json]`: the decrypted case: the report's fields, its
 * attachments, the messages both ways, notes, the history of triage, and the two deadlines.
 * The audit entry is written first; if it cannot be, nothing is decrypted.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-append.h"
#include "case-read.h"
#include "command.h"
#include "day.h"
#include "errors.h"
#include "json.h"
#include "report_fields.h"
#include "term.h"

/* Prints a sealed value for a terminal: control characters (an escape sequence a hostile
 * reporter slipped past the intake, say) are shown as '?'. */
static void print_value(const case_record *r, const char *name)
{
    size_t len;
    const char *v = case_value(r, name, &len);

    term_safe(stdout, v, len);
}

static const char *from_of(const case_record *r)
{
    return r->kind == ENVELOPE_KIND_FOLLOWUP ? "reporter" : "caseworker";
}

static void show_text(const case_data *d, const case_state *st)
{
    char today[DAY_TEXT_SIZE];

    day_today(today);
    printf("%sCase %s%s   status: %s   received: %s\n", term_bold(), d->c.ref, term_reset(),
           d->c.status, d->c.received);
    printf("Category: ");
    term_safe(stdout, st->category, st->category_len);
    printf("   Severity: ");
    term_safe(stdout, st->severity_len ? st->severity : "-", st->severity_len ? st->severity_len : 1);
    printf("   Assignee: ");
    term_safe(stdout, st->assignee_len ? st->assignee : "-", st->assignee_len ? st->assignee_len : 1);
    printf("%s\n", st->restricted ? "   (restricted by the reporter)" : "");
    printf("Acknowledge by: %s%s%s", st->acknowledged[0] ? "" : (strcmp(today, st->ack_due) > 0 ? term_warn() : ""),
           st->ack_due, term_reset());
    if (st->acknowledged[0])
        printf(" (acknowledged %s)   Feedback by: %s", st->acknowledged, st->feedback_due);
    else if (strcmp(today, st->ack_due) > 0)
        printf(" (overdue)");
    printf("\n\n%sReport%s\n", term_bold(), term_reset());
    for (size_t i = 0; i < sizeof report_fields / sizeof report_fields[0]; i++) {
        size_t len;
        case_value(st->report, report_fields[i].name, &len);
        if (len == 0)
            continue;
        printf("  %s: ", report_fields[i].label);
        print_value(st->report, report_fields[i].name);
        printf("\n");
    }
    if (st->restricted) {
        printf("  Left out by the reporter (do not share with them):");
        for (size_t i = 0; i < st->report->nfields; i++)
            if (strcmp(st->report->fields[i].name, "excluded") == 0) {
                printf(" ");
                term_safe(stdout, (const char *)st->report->fields[i].value, st->report->fields[i].len);
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
        printf(" bytes)\n");
    }
    printf("\n%sMessages%s\n", term_bold(), term_reset());
    for (size_t i = 0; i < d->nrecords; i++) {
        const case_record *r = &d->records[i];
        if (r->kind != ENVELOPE_KIND_FOLLOWUP && r->kind != ENVELOPE_KIND_REPLY)
            continue;
        printf("  %s %s", r->day, from_of(r));
        if (r->kind == ENVELOPE_KIND_REPLY) {
            printf(" (");
            print_value(r, "by");
            printf(")");
        }
        printf(":\n    ");
        print_value(r, "text");
        printf("\n");
    }
    printf("\n%sNotes%s\n", term_bold(), term_reset());
    for (size_t i = 0; i < d->nrecords; i++) {
        const case_record *r = &d->records[i];
        if (r->kind != ENVELOPE_KIND_NOTE)
            continue;
        printf("  %s ", r->day);
        print_value(r, "by");
        printf(":\n    ");
        print_value(r, "text");
        printf("\n");
    }
    printf("\n%sHistory%s\n  %s received\n", term_bold(), term_reset(), d->c.received);
    for (size_t i = 0; i < d->nrecords; i++) {
        const case_record *r = &d->records[i];
        if (r->kind != ENVELOPE_KIND_TRIAGE && r->kind != ENVELOPE_KIND_SHARE)
            continue;
        printf("  %s ", r->day);
        print_value(r, "by");
        if (r->kind == ENVELOPE_KIND_SHARE)
            printf(" shared the case with");
        for (size_t j = 0; j < r->nfields; j++)
            if (strcmp(r->fields[j].name, "by") != 0 && strcmp(r->fields[j].name, "x25519") != 0) {
                printf(" %s=", r->fields[j].name);
                term_safe(stdout, (const char *)r->fields[j].value, r->fields[j].len);
            }
        printf("\n");
    }
    if (d->not_for_me > 0)
        printf("\n(%zu record(s) of this case are sealed to other caseworkers only)\n", d->not_for_me);
}

static void json_value(const case_record *r, const char *name)
{
    size_t len;
    const char *v = case_value(r, name, &len);

    json_strn(stdout, v, len);
}

static void show_json(const case_data *d, const case_state *st)
{
    int first = 1;

    printf("{\"case\": ");
    json_str(stdout, d->c.ref);
    printf(", \"status\": ");
    json_str(stdout, d->c.status);
    printf(", \"received\": ");
    json_str(stdout, d->c.received);
    printf(", \"category\": ");
    json_strn(stdout, st->category, st->category_len);
    printf(", \"severity\": ");
    if (st->severity_len) json_strn(stdout, st->severity, st->severity_len); else printf("null");
    printf(", \"assignee\": ");
    if (st->assignee_len) json_strn(stdout, st->assignee, st->assignee_len); else printf("null");
    printf(", \"restricted\": %s, \"acknowledge_by\": ", st->restricted ? "true" : "false");
    json_str(stdout, st->ack_due);
    printf(", \"acknowledged\": ");
    json_str(stdout, st->acknowledged[0] ? st->acknowledged : NULL);
    printf(", \"feedback_by\": ");
    json_str(stdout, st->feedback_due[0] ? st->feedback_due : NULL);
    printf(",\n \"report\": {");
    for (size_t i = 0; i < st->report->nfields; i++) {
        const field *f = &st->report->fields[i];
        if (strcmp(f->name, "reporter_pk") == 0 || strcmp(f->name, "excluded") == 0)
            continue;
        printf("%s", first ? "" : ", ");
        json_str(stdout, f->name);
        printf(": ");
        json_strn(stdout, (const char *)f->value, f->len);
        first = 0;
    }
    printf("},\n \"attachments\": [");
    for (size_t i = 0; i < d->nattachments; i++) {
        printf("%s{\"name\": ", i ? ", " : "");
        json_value(d->attachments[i].meta, "name");
        printf(", \"type\": ");
        json_value(d->attachments[i].meta, "type");
        {
            size_t len;
            const char *v = case_value(d->attachments[i].meta, "size", &len);
            char digits[24];
            snprintf(digits, sizeof digits, "%.*s", (int)(len < 20 ? len : 20), v);
            printf(", \"size\": %llu}", strspn(digits, "0123456789") == strlen(digits) && digits[0]
                                          ? strtoull(digits, NULL, 10) : 0ULL);
        }
    }
    printf("],\n \"messages\": [");
    first = 1;
    for (size_t i = 0; i < d->nrecords; i++) {
        const case_record *r = &d->records[i];
        if (r->kind != ENVELOPE_KIND_FOLLOWUP && r->kind != ENVELOPE_KIND_REPLY)
            continue;
        printf("%s{\"from\": \"%s\", \"day\": \"%s\", \"text\": ", first ? "" : ", ", from_of(r), r->day);
        json_value(r, "text");
        printf("}");
        first = 0;
    }
    printf("],\n \"notes\": [");
    first = 1;
    for (size_t i = 0; i < d->nrecords; i++) {
        const case_record *r = &d->records[i];
        if (r->kind != ENVELOPE_KIND_NOTE)
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
        if (r->kind != ENVELOPE_KIND_TRIAGE)
            continue;
        printf("%s{\"day\": \"%s\"", first ? "" : ", ", r->day);
        for (size_t j = 0; j < r->nfields; j++) {
            printf(", ");
            json_str(stdout, r->fields[j].name);
            printf(": ");
            json_strn(stdout, (const char *)r->fields[j].value, r->fields[j].len);
        }
        printf("}");
        first = 0;
    }
    printf("]}\n");
}

static int show_run(casework_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'}, {NULL, 0, NULL, 0}};
    case_data *d = NULL;
    case_state st;
    store_case c;
    int json = 0, ch;

    while ((ch = getopt_long(argc, argv, COMMAND_OPTSTRING, opts, NULL)) != -1) {
        if (ch != 'j')
            return command_option_error(ctx, ch, argc, argv);
        json = 1;
    }
    if (optind != argc - 1) {
        snprintf(ctx->err, sizeof ctx->err, optind == argc ? "which case? (casework show CASE)" : "one case at a time");
        return EXIT_USAGE;
    }
    if (case_find(ctx->db, argv[optind], &c, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    if (audit_append(ctx->db, ctx->key, "show", c.ref, "", ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    if (case_load(ctx->db, ctx->key, &c, &d, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    case_state_of(d, &st);
    if (json)
        show_json(d, &st);
    else
        show_text(d, &st);
    case_free(d);
    return EXIT_DONE;
}

const command cmd_show = {
    .name = "show",
    .usage = "CASE [--json]",
    .summary = "decrypt and show a case: report, attachments, messages, notes, history, deadlines",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .run = show_run,
};
