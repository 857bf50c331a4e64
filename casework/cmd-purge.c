/*
 * cmd-purge.c: `casework purge --closed-before YYYY-MM-DD [--dry-run] [--yes]`: lists the closed
 * cases it would erase, asks on the terminal (or takes --yes), and erases for good the closed cases
 * whose closing day is before the date (records, attachments and their chunks; secure_delete
 * zeroes the freed pages, which are then given back to the file system, and the WAL is
 * truncated). Each leaves one sealed record of the figures the annual statistics need (day of
 * arrival, category, sex and age band as given, outcome, days of acknowledgement and closing),
 * and nothing else. Writes its audit entry first. On a replica that syncs with several intakes,
 * it purges each origin's cases in turn. A day after today is refused; a write-ahead log that
 * another program kept from being emptied is an error that says to run the purge again.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "case-purge.h"
#include "day.h"
#include "command.h"
#include "replica-set.h"
#include "term.h"

/* Prints the plans' cases, one per line, and how many. */
static size_t list_plans(purge_plan *const *plans, const replica_set *set, const char *before)
{
    size_t total = 0;

    for (size_t o = 0; o < set->n; o++)
        total += purge_plan_count(plans[o]);
    printf("%zu closed case(s) closed before %s %s\n", total, before, total ? "would be erased for good:" : "to erase");
    for (size_t o = 0; o < set->n; o++)
        for (size_t i = 0; i < purge_plan_count(plans[o]); i++) {
            const char *ref, *closed;
            purge_plan_case(plans[o], i, &ref, &closed);
            printf("  %s%s%s   closed %s\n", set->n > 1 ? set->o[o].name : "", set->n > 1 ? ":" : "", ref, closed);
        }
    return total;
}

/* On a terminal, asks to go on; 1 only for "yes". Without one, 0 (main refuses that earlier). */
static int confirmed(size_t total)
{
    char answer[16] = "";
    FILE *tty = fopen("/dev/tty", "r+");

    if (tty == NULL)
        return 0;
    fprintf(tty, "Erase these %zu case(s) for good? Only their figures stay. This cannot be undone. "
                 "Type yes to erase: ", total);
    fflush(tty);
    if (fgets(answer, sizeof answer, tty) == NULL)
        answer[0] = '\0';
    fclose(tty);
    answer[strcspn(answer, "\r\n")] = '\0';
    return strcmp(answer, "yes") == 0;
}

/* Says what the purge did and chooses the exit status. */
static int report(casework_ctx *ctx, const char *before, const purge_result *sum, int failed)
{
    printf("purged %zu closed case(s) closed before %s", sum->erased, before);
    if (sum->changed > 0)
        printf("; %zu changed while purging and were kept", sum->changed);
    if (sum->not_mine > 0)
        printf("; %zu closed case(s) you cannot read were left alone", sum->not_mine);
    if (sum->unsynced > 0)
        printf("; %zu closed case(s) with changes not synced yet were kept (casework sync, then purge again)",
               sum->unsynced);
    printf("\n");
    if (failed)
        return EXIT_FAILED;
    if (sum->ndamaged > 0) {
        snprintf(ctx->err, sizeof ctx->err, "%zu closed case(s) could not be read (named above) and were kept",
                 sum->ndamaged);
        return EXIT_FAILED;
    }
    return EXIT_DONE;
}

static int purge_run(casework_ctx *ctx, const command_args *args)
{
    const char *before = command_args_get(args, "closed-before");
    int dry_run = command_args_has(args, "dry-run"), yes = command_args_has(args, "yes");
    const replica_set *set = ctx->origins;
    purge_plan *plans[REPLICA_SET_MAX] = {NULL};
    purge_result sum = {0};
    size_t total;
    int rc = EXIT_FAILED, failed = 0;
    char today[DAY_TEXT_SIZE];

    day_today(today);
    if (strcmp(before, today) > 0) {
        snprintf(ctx->err, sizeof ctx->err, "--closed-before %s is in the future (today is %s): give a day no later "
                 "than today; cases closed today can be purged from tomorrow", before, today);
        return EXIT_USAGE;
    }
    if (!dry_run && !yes && !isatty(STDIN_FILENO)) {
        snprintf(ctx->err, sizeof ctx->err, "purge erases for good: without a terminal to ask on, give --yes "
                 "(or --dry-run to see what it would erase)");
        return EXIT_USAGE;
    }
    for (size_t o = 0; o < set->n; o++) {
        purge_result res;
        if (case_purge_plan(set->o[o].db, ctx->key, before, dry_run, &plans[o], &res, ctx->err, sizeof ctx->err) != 0)
            goto out;
        for (size_t i = 0; i < res.ndamaged && i < PURGE_DAMAGED_NAMED; i++)
            term_safe_line(stderr, "casework purge: ", res.damaged[i].why);   /* it may quote a stored reference */
        if (res.ndamaged > PURGE_DAMAGED_NAMED)
            fprintf(stderr, "casework purge: and %zu more\n", res.ndamaged - PURGE_DAMAGED_NAMED);
        sum.not_mine += res.not_mine;
        sum.unsynced += res.unsynced;
        sum.ndamaged += res.ndamaged;
    }
    total = list_plans(plans, set, before);
    if (dry_run) {
        printf("dry run: nothing was erased\n");
        rc = EXIT_DONE;
        goto out;
    }
    if (total > 0 && !yes && !confirmed(total)) {
        printf("nothing was erased\n");
        rc = EXIT_DONE;
        goto out;
    }
    for (size_t o = 0; o < set->n && !failed; o++) {
        purge_result res = {0};
        failed = case_purge_apply(set->o[o].db, ctx->key, plans[o], &res, ctx->err, sizeof ctx->err) != 0;
        sum.erased += res.erased;
        sum.changed += res.changed;
    }
    rc = report(ctx, before, &sum, failed);
out:
    for (size_t o = 0; o < set->n; o++)
        purge_plan_free(plans[o]);
    return rc;
}

static const command_option purge_options[] = {
    {.name = "closed-before", .flags = COMMAND_OPT_DAY | COMMAND_OPT_REQUIRED, .value_name = "YYYY-MM-DD"},
    {.name = "dry-run"},
    {.name = "yes"},
    {.name = NULL}
};

const command cmd_purge = {
    .name = "purge",
    .summary = "erase closed cases for good, keeping only their figures for the statistics",
    .help = "It lists the cases it would erase and asks on the terminal; --yes erases without\n"
            "asking (needed without a terminal); --dry-run lists them and erases nothing. A day\n"
            "after today is refused.",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .args = {.options = purge_options},
    .run = purge_run,
};
