/*
 * cmd-note.c: `casework note CASE [-F FILE | -m TEXT]`: a caseworker note, sealed to the case's
 * caseworkers only, never shown to the reporter. The note is written in $EDITOR, or read from FILE ("-": standard input).
 */
#include "case-actions.h"
#include "command.h"

static int note_run(casework_ctx *ctx, const command_args *args)
{
    return command_run_text(ctx, args, "note", case_note, "note added to ", "\n");
}

static const command_option note_options[] = {
    {.name = "file", .short_name = 'F', .flags = COMMAND_OPT_VALUE, .value_name = "FILE"},
    {.name = "message", .short_name = 'm', .flags = COMMAND_OPT_VALUE, .value_name = "TEXT"},
    {.name = NULL}
};

const command cmd_note = {
    .name = "note",
    .summary = "add a caseworker note, never shown to the reporter (in $EDITOR, or -F FILE)",
    .help = "The text is written in $EDITOR, or read from -F FILE (-F - reads standard input).\n"
            "-m TEXT puts the text on the command line, where every local user can read it\n"
            "(/proc/PID/cmdline) and shells keep it in their history: not for anything sensitive.",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .args = {.options = note_options, .min_positional = 1, .max_positional = 1, .positional = {{.name = "CASE"}}},
    .run = note_run,
};
