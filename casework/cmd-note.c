/*
 * cmd-note.c: `casework note CASE [-m TEXT]`: a caseworker note, sealed to the case's
 * caseworkers only, never shown to the reporter. Without -m, the note is written in $EDITOR.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "case-write.h"
#include "command.h"
#include "workflow.h"

static int note_run(casework_ctx *ctx, const command_args *args)
{
    case_change ch = {.action = "note", .kind = ENVELOPE_KIND_NOTE, .reason = ""};
    const char *ref = args->positional[0], *given = command_args_get(args, "message");
    char *text = NULL;
    int rc;

    if (workflow_text(given, "note", &text, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    fields_set(&ch.fields[ch.nfields++], "text", text, strlen(text));
    rc = case_apply(ctx->db, ctx->key, ref, &ch, ctx->err, sizeof ctx->err) == 0 ? EXIT_DONE : EXIT_FAILED;
    sodium_free(text);
    if (rc == EXIT_DONE)
        printf("note added to %s\n", ref);
    return rc;
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
