/*
 * cmd-reply.c: `casework reply CASE [-m TEXT]`: a message the reporter reads with the receipt,
 * sealed to the reporter's receipt key (taken from inside the sealed report) and to the case's
 * caseworkers. The first reply counts as the acknowledgement. Without -m, $EDITOR.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "case-write.h"
#include "command.h"
#include "workflow.h"

static int reply_run(casework_ctx *ctx, const command_args *args)
{
    case_change ch = {.action = "reply", .kind = ENVELOPE_KIND_REPLY, .to_reporter = 1, .reason = ""};
    const char *ref = args->positional[0], *given = command_args_get(args, "message");
    char *text = NULL;
    int rc;

    if (workflow_text(given, "reply", &text, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    fields_set(&ch.fields[ch.nfields++], "text", text, strlen(text));
    rc = case_apply(ctx->db, ctx->key, ref, &ch, ctx->err, sizeof ctx->err) == 0 ? EXIT_DONE : EXIT_FAILED;
    sodium_free(text);
    if (rc == EXIT_DONE)
        printf("reply sent on %s: the reporter reads it with the receipt\n", ref);
    return rc;
}

static const command_option reply_options[] = {
    {.name = "message", .short_name = 'm', .flags = COMMAND_OPT_VALUE, .value_name = "TEXT"},
    {.name = NULL}
};

const command cmd_reply = {
    .name = "reply",
    .summary = "send the reporter a message they read with their receipt ($EDITOR without -m)",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .args = {.options = reply_options, .min_positional = 1, .max_positional = 1, .positional = {{.name = "CASE"}}},
    .run = reply_run,
};
