/*
 * cmd-assign.c: `casework assign CASE --to NAME`: who handles the case (sealed, like every
 * triage value).
 */
#include <stdio.h>
#include <stdlib.h>

#include "case-actions.h"
#include "command.h"
#include "pubkey.h"

static int assign_run(casework_ctx *ctx, const command_args *args)
{
    const char *ref = args->positional[0];
    const char *to = command_args_get(args, "to");
    pubkey *known = NULL;
    size_t nknown = 0;
    int rc;

    if (!pubkey_name_valid(to)) {
        snprintf(ctx->err, sizeof ctx->err, "--to takes a name of 1 to %d characters", PUBKEY_NAME_MAX);
        return EXIT_USAGE;
    }
    /* The intake's recipients file, given as --auditors, names caseworkers the log has not met. */
    if (ctx->auditors_path != NULL && pubkey_load_file(ctx->auditors_path, &known, &nknown, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    rc = case_assign(ctx->db, ctx->key, ref, to, known, nknown, ctx->err, sizeof ctx->err);
    free(known);
    if (rc != 0)
        return EXIT_FAILED;
    printf("%s assigned to %s\n", ref, to);
    return EXIT_DONE;
}

static const command_option assign_options[] = {
    {.name = "to", .flags = COMMAND_OPT_VALUE | COMMAND_OPT_REQUIRED, .value_name = "NAME"},
    {.name = NULL}
};

const command cmd_assign = {
    .name = "assign",
    .summary = "assign a case to a caseworker",
    .help = "NAME is exactly the name of a caseworker who can read the case (share it with them\n"
            "first otherwise); the names come from the case, the audit log and --auditors FILE.",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .args = {.options = assign_options, .min_positional = 1, .max_positional = 1, .positional = {{.name = "CASE"}}},
    .run = assign_run,
};
