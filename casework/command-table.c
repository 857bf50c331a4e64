/*
 * command-table.c: the one table of casework commands.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "command.h"

extern const command cmd_audit;
extern const command cmd_keygen;
extern const command cmd_show;

static const command *const table[] = {
    &cmd_show,
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
