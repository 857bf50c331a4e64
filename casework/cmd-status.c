/*
 * cmd-status.c: `casework status CASE new|triaged|investigating|referred|closed [-m REASON]`:
 * moves a case along; reopening a closed case needs a reason; closing goes through `close`.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "case-write.h"
#include "command.h"
#include "workflow.h"

static int status_run(casework_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"message", required_argument, NULL, 'm'}, {NULL, 0, NULL, 0}};
    case_change ch = {.action = "status", .kind = ENVELOPE_KIND_TRIAGE, .check = workflow_check_status, .reason = ""};
    const char *to;
    int c;

    while ((c = getopt_long(argc, argv, ":m:", opts, NULL)) != -1) {
        if (c != 'm')
            return command_option_error(ctx, c, argc, argv);
        ch.reason = optarg;
    }
    if (optind != argc - 2) {
        snprintf(ctx->err, sizeof ctx->err, "give a CASE and a STATUS");
        return EXIT_USAGE;
    }
    to = argv[optind + 1];
    if (!vocab_has(&vocab_statuses, to)) {
        snprintf(ctx->err, sizeof ctx->err, "unknown status '%s' (%s)", to, vocab_statuses.list);
        return EXIT_USAGE;
    }
    ch.new_status = to;
    snprintf(ch.details, sizeof ch.details, "status=%s", to);
    fields_set(&ch.fields[ch.nfields++], "action", "status", 6);
    fields_set(&ch.fields[ch.nfields++], "status", to, strlen(to));
    if (ch.reason[0] != '\0')
        fields_set(&ch.fields[ch.nfields++], "reason", ch.reason, strlen(ch.reason));
    if (case_apply(ctx, argv[optind], &ch) != EXIT_DONE)
        return EXIT_FAILED;
    printf("%s is now %s\n", argv[optind], to);
    return EXIT_DONE;
}

const command cmd_status = {
    .name = "status",
    .usage = "CASE " VOCAB_STATUSES(VOCAB_STRING, VOCAB_BAR) " [-m REASON]",
    .summary = "move a case along; reopening a closed case needs -m REASON",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .run = status_run,
};
