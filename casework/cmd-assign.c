/*
 * cmd-assign.c: `casework assign CASE --to NAME`: who handles the case (sealed, like every
 * triage value).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "case-write.h"
#include "command.h"
#include "pubkey.h"
#include "workflow.h"

static int assign_run(casework_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"to", required_argument, NULL, 't'}, {NULL, 0, NULL, 0}};
    case_change ch = {.action = "assign", .kind = ENVELOPE_KIND_TRIAGE, .check = workflow_check_open, .reason = ""};
    const char *to = NULL;
    int c;

    while ((c = getopt_long(argc, argv, COMMAND_OPTSTRING, opts, NULL)) != -1) {
        if (c != 't')
            return command_option_error(ctx, c, argc, argv);
        to = optarg;
    }
    if (optind != argc - 1 || to == NULL) {
        snprintf(ctx->err, sizeof ctx->err, "give one CASE and --to NAME");
        return EXIT_USAGE;
    }
    if (!pubkey_name_valid(to)) {
        snprintf(ctx->err, sizeof ctx->err, "--to takes a name of 1 to %d characters", PUBKEY_NAME_MAX);
        return EXIT_USAGE;
    }
    snprintf(ch.details, sizeof ch.details, "to=%s", to);
    fields_set(&ch.fields[ch.nfields++], "action", "assign", 6);
    fields_set(&ch.fields[ch.nfields++], "assignee", to, strlen(to));
    if (case_apply(ctx->db, ctx->key, argv[optind], &ch, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    printf("%s assigned to %s\n", argv[optind], to);
    return EXIT_DONE;
}

const command cmd_assign = {
    .name = "assign",
    .usage = "CASE --to NAME",
    .summary = "assign a case to a caseworker",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .run = assign_run,
};
