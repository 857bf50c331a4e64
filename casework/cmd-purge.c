/*
 * cmd-purge.c: `casework purge --closed-before YYYY-MM-DD`: erases for good the closed cases
 * whose closing day is before the date (records, attachments and their chunks; secure_delete
 * zeroes the freed pages, which are then given back to the file system, and the WAL is
 * truncated). Each leaves one sealed record of the figures the annual statistics need (day of
 * arrival, category, sex and age band as given, outcome, days of acknowledgement and closing),
 * and nothing else. Writes its audit entry first.
 */
#include <stdio.h>

#include "case-purge.h"
#include "command.h"

static int purge_run(casework_ctx *ctx, const command_args *args)
{
    const char *before = command_args_get(args, "closed-before");
    purge_result res;
    int rc = EXIT_DONE;

    if (case_purge(ctx->db, ctx->key, before, &res, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    for (size_t i = 0; i < res.ndamaged && i < PURGE_DAMAGED_NAMED; i++)
        fprintf(stderr, "casework purge: %s\n", res.damaged[i].why);
    if (res.ndamaged > PURGE_DAMAGED_NAMED)
        fprintf(stderr, "casework purge: and %zu more\n", res.ndamaged - PURGE_DAMAGED_NAMED);
    printf("purged %zu closed case(s) closed before %s", res.erased, before);
    if (res.changed > 0)
        printf("; %zu changed while purging and were kept", res.changed);
    if (res.not_mine > 0)
        printf("; %zu closed case(s) you cannot read were left alone", res.not_mine);
    printf("\n");
    if (res.ndamaged > 0) {
        snprintf(ctx->err, sizeof ctx->err, "%zu closed case(s) could not be read (named above) and were kept", res.ndamaged);
        rc = EXIT_FAILED;
    }
    return rc;
}

static const command_option purge_options[] = {
    {.name = "closed-before", .flags = COMMAND_OPT_DAY | COMMAND_OPT_REQUIRED, .value_name = "YYYY-MM-DD"},
    {.name = NULL}
};

const command cmd_purge = {
    .name = "purge",
    .summary = "erase closed cases for good, keeping only their figures for the statistics",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .args = {.options = purge_options},
    .run = purge_run,
};
