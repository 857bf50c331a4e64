/*
 * command-table.c: the one table of casework commands.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "command.h"

extern const command cmd_assign;
extern const command cmd_audit;
extern const command cmd_close;
extern const command cmd_export;
extern const command cmd_keygen;
extern const command cmd_list;
extern const command cmd_note;
extern const command cmd_purge;
extern const command cmd_reply;
extern const command cmd_share;
extern const command cmd_show;
extern const command cmd_stats;
extern const command cmd_status;
extern const command cmd_triage;

static const command *const table[] = {
    &cmd_list,
    &cmd_show,
    &cmd_triage,
    &cmd_assign,
    &cmd_status,
    &cmd_note,
    &cmd_reply,
    &cmd_close,
    &cmd_export,
    &cmd_share,
    &cmd_purge,
    &cmd_stats,
    &cmd_keygen,
    &cmd_audit,
    NULL
};

int command_option_error(casework_ctx *ctx, int c, int argc, char **argv)
{
    const char *opt = optind > 0 && optind <= argc ? argv[optind - 1] : "?";

    if (c == ':')
        snprintf(ctx->err, sizeof ctx->err, "option %s needs a value", opt);
    else
        snprintf(ctx->err, sizeof ctx->err, "unknown option %s", opt);
    return EXIT_USAGE;
}

int command_case_and_text(casework_ctx *ctx, int argc, char **argv, const char **ref, const char **text)
{
    static const struct option opts[] = {{"message", required_argument, NULL, 'm'}, {NULL, 0, NULL, 0}};
    int c;

    *text = NULL;
    while ((c = getopt_long(argc, argv, ":m:", opts, NULL)) != -1) {
        if (c != 'm')
            return command_option_error(ctx, c, argc, argv);
        *text = optarg;
    }
    if (optind != argc - 1) {
        snprintf(ctx->err, sizeof ctx->err, optind == argc ? "which case?" : "one case at a time");
        return EXIT_USAGE;
    }
    *ref = argv[optind];
    return EXIT_DONE;
}

const command *const *command_list(void)
{
    return table;
}

const command *command_find(const char *name)
{
    for (size_t i = 0; table[i] != NULL; i++)
        if (strcmp(table[i]->name, name) == 0)
            return table[i];
    return NULL;
}
