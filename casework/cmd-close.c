/*
 * cmd-close.c: `casework close CASE --outcome O [-F FILE | -m TEXT] [--reply TEXT]`: closes a
 * case with its outcome and the reason (from FILE, "-" for standard input, or in $EDITOR), for the
 * caseworkers; --reply first sends
 * the reporter a closing message (a reply, which the status page shows as their last word).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "case-actions.h"
#include "command.h"
#include "errors.h"
#include "workflow.h"

static int close_run(casework_ctx *ctx, const command_args *args)
{
    const char *ref = args->positional[0];
    const char *outcome = command_args_get(args, "outcome"), *given = command_args_get(args, "message");
    char *text = NULL;
    int rc;

    const char *reply = command_args_get(args, "reply");

    if (reply != NULL && reply[0] == '\0') {
        snprintf(ctx->err, sizeof ctx->err, "--reply takes the closing message for the reporter; leave it out to send none");
        return EXIT_USAGE;
    }
    if ((rc = workflow_text(given, command_args_get(args, "file"), "reason", &text, ctx->err, sizeof ctx->err)) != 0)
        return rc == ERR_LIMIT ? EXIT_USAGE : EXIT_FAILED;
    rc = reply != NULL ? case_reply(ctx->db, ctx->key, ref, reply, ctx->err, sizeof ctx->err) : 0;
    if (rc == 0)
        rc = case_close(ctx->db, ctx->key, ref, outcome, text, ctx->err, sizeof ctx->err);
    sodium_free(text);
    if (rc != 0)
        return EXIT_FAILED;
    printf("%s closed: %s\n", ref, outcome);
    return EXIT_DONE;
}

static const command_option close_options[] = {
    {.name = "outcome", .flags = COMMAND_OPT_VALUE | COMMAND_OPT_REQUIRED,
     .value_name = VOCAB_OUTCOMES(VOCAB_STRING, VOCAB_BAR), .choices = &vocab_outcomes},
    {.name = "file", .short_name = 'F', .flags = COMMAND_OPT_VALUE, .value_name = "FILE"},
    {.name = "message", .short_name = 'm', .flags = COMMAND_OPT_VALUE, .value_name = "TEXT"},
    {.name = "reply", .flags = COMMAND_OPT_VALUE, .value_name = "TEXT"},
    {.name = NULL}
};

const command cmd_close = {
    .name = "close",
    .summary = "close a case with its outcome and reason (in $EDITOR, or -F FILE)",
    .help = "--reply TEXT first sends the reporter a closing message, shown on their status page.\n"
            "The reason is written in $EDITOR, or read from -F FILE (-F - reads standard input).\n"
            "-m TEXT puts it on the command line, where every local user can read it: not for\n"
            "anything sensitive.",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .args = {.options = close_options, .min_positional = 1, .max_positional = 1, .positional = {{.name = "CASE"}}},
    .run = close_run,
};
