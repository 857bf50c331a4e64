/*
 * cmd-triage.c: `casework triage CASE --category C --severity S`: sets the case's category and
 * severity (sealed; the category may correct the reporter's choice). A new case becomes triaged.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "case-write.h"
#include "command.h"
#include "workflow.h"

static int triage_check(case_change *ch, const case_data *d, const char *status,
                        char *err, size_t errlen)
{
    if (workflow_check_open(ch, d, status, err, errlen) != 0)
        return -1;
    /* A new case becomes triaged; a case further along keeps its status. */
    ch->new_status = strcmp(status, "new") == 0 ? "triaged" : NULL;
    return 0;
}

static int triage_run(casework_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"category", required_argument, NULL, 'c'},
                                         {"severity", required_argument, NULL, 's'}, {NULL, 0, NULL, 0}};
    case_change ch = {.action = "triage", .kind = ENVELOPE_KIND_TRIAGE, .check = triage_check, .reason = ""};
    const char *category = NULL, *severity = NULL;
    int c;

    while ((c = getopt_long(argc, argv, COMMAND_OPTSTRING, opts, NULL)) != -1) {
        switch (c) {
        case 'c': category = optarg; break;
        case 's': severity = optarg; break;
        default: return command_option_error(ctx, c, argc, argv);
        }
    }
    if (optind != argc - 1 || category == NULL || severity == NULL) {
        snprintf(ctx->err, sizeof ctx->err, "give one CASE, --category and --severity");
        return EXIT_USAGE;
    }
    if (!vocab_has(&vocab_categories, category)) {
        snprintf(ctx->err, sizeof ctx->err, "unknown category '%s' (%s)", category, vocab_categories.list);
        return EXIT_USAGE;
    }
    if (!vocab_has(&vocab_severities, severity)) {
        snprintf(ctx->err, sizeof ctx->err, "unknown severity '%s' (%s)", severity, vocab_severities.list);
        return EXIT_USAGE;
    }
    fields_set(&ch.fields[ch.nfields++], "action", "triage", 6);
    fields_set(&ch.fields[ch.nfields++], "category", category, strlen(category));
    fields_set(&ch.fields[ch.nfields++], "severity", severity, strlen(severity));
    if (case_apply(ctx, argv[optind], &ch) != EXIT_DONE)
        return EXIT_FAILED;
    printf("%s triaged: %s, severity %s\n", argv[optind], category, severity);
    return EXIT_DONE;
}

const command cmd_triage = {
    .name = "triage",
    .usage = "CASE --category C --severity " VOCAB_SEVERITIES(VOCAB_STRING, VOCAB_BAR),
    .summary = "set a case's category and severity (a new case becomes triaged)",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .run = triage_run,
};
