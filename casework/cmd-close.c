/*
 * cmd-close.c: `casework close CASE --outcome O [-m TEXT]`: closes a case with its outcome and
 * the reason (in $EDITOR without -m).
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "case-write.h"
#include "command.h"
#include "errors.h"
#include "workflow.h"

static int close_run(casework_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"outcome", required_argument, NULL, 'o'},
                                         {"message", required_argument, NULL, 'm'}, {NULL, 0, NULL, 0}};
    case_change ch = {.action = "close", .kind = ENVELOPE_KIND_TRIAGE, .check = workflow_check_status,
                      .new_status = "closed", .reason = ""};
    const char *outcome = NULL, *given = NULL;
    char *text = NULL;
    int c, rc;

    while ((c = getopt_long(argc, argv, ":m:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': outcome = optarg; break;
        case 'm': given = optarg; break;
        default: return command_option_error(ctx, c, argc, argv);
        }
    }
    if (optind != argc - 1 || outcome == NULL) {
        snprintf(ctx->err, sizeof ctx->err, "give one CASE and --outcome");
        return EXIT_USAGE;
    }
    if (!vocab_has(&vocab_outcomes, outcome)) {
        snprintf(ctx->err, sizeof ctx->err, "unknown outcome '%s' (%s)", outcome, vocab_outcomes.list);
        return EXIT_USAGE;
    }
    if (workflow_text(given, "reason", &text, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    snprintf(ch.details, sizeof ch.details, "outcome=%s", outcome);
    fields_set(&ch.fields[ch.nfields++], "action", "close", 5);
    fields_set(&ch.fields[ch.nfields++], "status", "closed", 6);
    fields_set(&ch.fields[ch.nfields++], "outcome", outcome, strlen(outcome));
    fields_set(&ch.fields[ch.nfields++], "reason", text, strlen(text));
    rc = case_apply(ctx, argv[optind], &ch);
    sodium_free(text);
    if (rc == EXIT_DONE)
        printf("%s closed: %s\n", argv[optind], outcome);
    return rc;
}

const command cmd_close = {
    .name = "close",
    .usage = "CASE --outcome " VOCAB_OUTCOMES(VOCAB_STRING, VOCAB_BAR) " [-m TEXT]",
    .summary = "close a case with its outcome and reason ($EDITOR without -m)",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .run = close_run,
};
