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

static int note_run(casework_ctx *ctx, int argc, char **argv)
{
    case_change ch = {.action = "note", .kind = ENVELOPE_KIND_NOTE, .reason = ""};
    const char *ref, *given;
    char *text = NULL;
    int rc = command_case_and_text(ctx, argc, argv, &ref, &given);

    if (rc != EXIT_DONE)
        return rc;
    if (workflow_text(given, "note", &text, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    fields_set(&ch.fields[ch.nfields++], "text", text, strlen(text));
    rc = case_apply(ctx->db, ctx->key, ref, &ch, ctx->err, sizeof ctx->err) == 0 ? EXIT_DONE : EXIT_FAILED;
    sodium_free(text);
    if (rc == EXIT_DONE)
        printf("note added to %s\n", ref);
    return rc;
}

const command cmd_note = {
    .name = "note",
    .usage = "CASE [-m TEXT]",
    .summary = "add a caseworker note, never shown to the reporter ($EDITOR without -m)",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .run = note_run,
};
