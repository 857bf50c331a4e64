/*
 * cmd-reply.c: `casework reply CASE [-F FILE | -m TEXT]`: a message the reporter reads with the receipt,
 * sealed to the reporter's receipt key (taken from inside the sealed report) and to the case's
 * caseworkers. The first reply counts as the acknowledgement. Without -m, $EDITOR.
 */
#include "case-actions.h"
#include "command.h"

static int reply_run(casework_ctx *ctx, const command_args *args)
{
    return command_run_text(ctx, args, "reply", case_reply, "reply sent on ", ": the reporter reads it with the receipt\n");
}

static const command_option reply_options[] = {
    {.name = "file", .short_name = 'F', .flags = COMMAND_OPT_VALUE, .value_name = "FILE"},
    {.name = "message", .short_name = 'm', .flags = COMMAND_OPT_VALUE, .value_name = "TEXT"},
    {.name = NULL}
};

const command cmd_reply = {
    .name = "reply",
    .summary = "send the reporter a message they read with their receipt (in $EDITOR, or -F FILE)",
    .help = "The text is written in $EDITOR, or read from -F FILE (-F - reads standard input).\n"
            "-m TEXT puts the text on the command line, where every local user can read it\n"
            "(/proc/PID/cmdline) and shells keep it in their history: not for anything sensitive.",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .args = {.options = reply_options, .min_positional = 1, .max_positional = 1, .positional = {{.name = "CASE"}}},
    .run = reply_run,
};
