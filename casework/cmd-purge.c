/*
 * cmd-purge.c: `casework purge --closed-before YYYY-MM-DD`: erases for good the closed cases
 * whose closing day is before the date (records, attachments and their chunks; secure_delete
 * zeroes the freed pages, which are then given back to the file system, and the WAL is
 * truncated). Each leaves one sealed record of the figures the annual statistics need (day of
 * arrival, category, sex and age band as given, outcome, days of acknowledgement and closing),
 * and nothing else. Writes its audit entry first. On a replica that syncs with several intakes,
 * it purges each origin's cases in turn.
 */
#include <stdio.h>

#include "case-purge.h"
#include "command.h"
#include "replica-set.h"

static int purge_run(casework_ctx *ctx, const command_args *args)
{
    const char *before = command_args_get(args, "closed-before");
    const replica_set *set = ctx->origins;
    size_t erased = 0, changed = 0, not_mine = 0, damaged = 0, unsynced = 0;
    int failed = 0;

    for (size_t o = 0; o < set->n && !failed; o++) {
        purge_result res;
        if (case_purge(set->o[o].db, ctx->key, before, &res, ctx->err, sizeof ctx->err) != 0) {
            failed = 1;   /* what the origins before it purged is said below */
            break;
        }
        for (size_t i = 0; i < res.ndamaged && i < PURGE_DAMAGED_NAMED; i++)
            fprintf(stderr, "casework purge: %s\n", res.damaged[i].why);
        if (res.ndamaged > PURGE_DAMAGED_NAMED)
            fprintf(stderr, "casework purge: and %zu more\n", res.ndamaged - PURGE_DAMAGED_NAMED);
        erased += res.erased;
        changed += res.changed;
        not_mine += res.not_mine;
        unsynced += res.unsynced;
        damaged += res.ndamaged;
    }
    if (failed && erased + changed + not_mine + damaged + unsynced == 0)
        return EXIT_FAILED;
    printf("purged %zu closed case(s) closed before %s", erased, before);
    if (changed > 0)
        printf("; %zu changed while purging and were kept", changed);
    if (not_mine > 0)
        printf("; %zu closed case(s) you cannot read were left alone", not_mine);
    if (unsynced > 0)
        printf("; %zu closed case(s) with changes not synced yet were kept (casework sync, then purge again)", unsynced);
    printf("\n");
    if (failed)
        return EXIT_FAILED;
    if (damaged > 0) {
        snprintf(ctx->err, sizeof ctx->err, "%zu closed case(s) could not be read (named above) and were kept", damaged);
        return EXIT_FAILED;
    }
    return EXIT_DONE;
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
