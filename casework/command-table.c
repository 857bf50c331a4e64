/*
 * command-table.c: the one table of casework commands.
 */
#include <string.h>

#include "command.h"

extern const command cmd_keygen;

static const command *const table[] = {
    &cmd_keygen,
    NULL
};

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
