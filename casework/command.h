/*
 * command.h: the shape of a casework command and the context the dispatcher hands it. Each
 * command lives in its own file (cmd-NAME.c) and exports one `command` entry; command-table.c
 * lists them. Flags drive the shared setup in main.c: opening the database, unlocking the key.
 */
#ifndef SEA_CASEWORK_COMMAND_H
#define SEA_CASEWORK_COMMAND_H

#include <stddef.h>

struct store;
struct caseworker_key;

enum {
    EXIT_DONE = 0,
    EXIT_FAILED = 1,
    EXIT_USAGE = 2
};

enum {
    CMD_NEEDS_DB = 1 << 0,          /* main opens --db before run */
    CMD_NEEDS_SECRET_KEY = 1 << 1   /* main unlocks --key before run */
};

/* What every command may use. Set up by main.c from options and the environment. */
typedef struct casework_ctx {
    const char *db_path;          /* --db or CASEWORK_DB, may be NULL */
    const char *key_path;         /* --key or CASEWORK_KEY, may be NULL */
    const char *passphrase_file;  /* --passphrase-file or CASEWORK_PASSPHRASE_FILE, may be NULL */
    struct store *db;             /* open when the command has CMD_NEEDS_DB */
    struct caseworker_key *key;   /* unlocked when the command has CMD_NEEDS_SECRET_KEY */
    char err[512];                /* a failing command leaves its one-line message here */
} casework_ctx;

typedef struct command {
    const char *name;
    const char *usage;     /* the arguments after the name, e.g. "--out PATH [--name NAME]" */
    const char *summary;   /* one line for `casework --help` */
    int flags;
    /* Runs the command with argv[0] the command name. Returns an EXIT_* code; on EXIT_FAILED or
     * EXIT_USAGE it leaves a message in ctx->err. */
    int (*run)(casework_ctx *ctx, int argc, char **argv);
} command;

/*
 * Commands parse their options with getopt_long(argc, argv, COMMAND_OPTSTRING, ...); main.c
 * resets getopt before each command. command_option_error turns getopt's '?' or ':' into a
 * message naming the option (in ctx->err) and returns EXIT_USAGE.
 */
#define COMMAND_OPTSTRING ":"
int command_option_error(casework_ctx *ctx, int c, int argc, char **argv);

/*
 * command_case_and_text: parses the arguments "CASE [-m TEXT]" of note, reply and the like into
 * *ref and *text (NULL without -m). Returns EXIT_DONE or EXIT_USAGE with a message.
 */
int command_case_and_text(casework_ctx *ctx, int argc, char **argv, const char **ref, const char **text);

/* command_find: the command named exactly name (no prefix matching), or NULL. */
const command *command_find(const char *name);

/* command_list: every command in the order `casework --help` shows them, ending with NULL. */
const command *const *command_list(void);

#endif
