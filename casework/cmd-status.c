/*
 * cmd-status.c: `casework status CASE new|triaged|investigating|referred|closed [-m REASON]`:
 * moves a case along; reopening a closed case needs a reason; closing goes through `close`.
 */
#include <stdio.h>

#include "case-actions.h"
#include "command.h"
#include "vocab.h"

static int status_run(casework_ctx *ctx, const command_args *args)
{
    const char *ref = args->positional[0], *to = args->positional[1];
    const char *reason = command_args_has(args, "message") ? command_args_get(args, "message") : "";

    if (case_set_status(ctx->db, ctx->key, ref, to, reason, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    printf("%s is now %s\n", ref, to);
    return EXIT_DONE;
}

static const command_option status_options[] = {
    {.name = "message", .short_name = 'm', .flags = COMMAND_OPT_VALUE, .value_name = "REASON"},
    {.name = NULL}
};

const command cmd_status = {
    .name = "status",
    .summary = "move a case along; reopening a closed case needs -m REASON",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .args = {.options = status_options, .min_positional = 2, .max_positional = 2,
             .positional = {{.name = "CASE"}, {.name = "STATUS", .usage = VOCAB_STATUSES(VOCAB_STRING, VOCAB_BAR), .choices = &vocab_statuses}}},
    .run = status_run,
};
