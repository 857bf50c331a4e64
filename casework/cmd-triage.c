/*
 * cmd-triage.c: `casework triage CASE [--category C] [--severity S]` (one or both): sets the
 * case's category, severity or both (sealed; the category may correct the reporter's choice).
 * A new case becomes triaged.
 */
#include <stdio.h>

#include "case-actions.h"
#include "command.h"
#include "vocab.h"

static int triage_run(casework_ctx *ctx, const command_args *args)
{
    const char *ref = args->positional[0];
    const char *category = command_args_get(args, "category"), *severity = command_args_get(args, "severity");

    if (category == NULL && severity == NULL) {
        snprintf(ctx->err, sizeof ctx->err, "give --category C, --severity S or both");
        return EXIT_USAGE;
    }
    if (case_triage(ctx->db, ctx->key, ref, category, severity, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    printf("%s triaged:%s%s%s%s%s\n", ref, category ? " category " : "", category ? category : "",
           category && severity ? "," : "", severity ? " severity " : "", severity ? severity : "");
    return EXIT_DONE;
}

static const command_option triage_options[] = {
    {.name = "category", .flags = COMMAND_OPT_VALUE, .value_name = "C", .choices = &vocab_categories},
    {.name = "severity", .flags = COMMAND_OPT_VALUE, .value_name = VOCAB_SEVERITIES(VOCAB_STRING, VOCAB_BAR), .choices = &vocab_severities},
    {.name = NULL}
};

const command cmd_triage = {
    .name = "triage",
    .summary = "set a case's category, severity or both (a new case becomes triaged)",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .args = {.options = triage_options, .min_positional = 1, .max_positional = 1, .positional = {{.name = "CASE"}}},
    .run = triage_run,
};
