/*
 * cmd-note.c: `casework note CASE [-m TEXT]`: a caseworker note, sealed to the case's
 * caseworkers only, never shown to the reporter. Without -m, the note is written in $EDITOR.
 */
#include "case-actions.h"
#include "command.h"

static int note_run(casework_ctx *ctx, const command_args *args)
{
    return command_run_text(ctx, args, "note", case_note, "note added to ", "\n");
}

static const command_option note_options[] = {
    {.name = "message", .short_name = 'm', .flags = COMMAND_OPT_VALUE, .value_name = "TEXT"},
    {.name = NULL}
};

const command cmd_note = {
    .name = "note",
    .summary = "add a caseworker note, never shown to the reporter ($EDITOR without -m)",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .args = {.options = note_options, .min_positional = 1, .max_positional = 1, .positional = {{.name = "CASE"}}},
    .run = note_run,
};
