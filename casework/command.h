/*
 * command.h: the shape of a casework command and the context the dispatcher hands it. Each
 * command lives in its own file (cmd-NAME.c) and exports one `command` entry; command-table.c
 * lists them. Each entry declares its arguments (command-args.h), which main.c checks once for
 * every command; flags drive the shared setup in main.c: opening the database, unlocking the key
 * (and refusing an auditor's key for a command that does not accept one).
 */
#ifndef SEA_CASEWORK_COMMAND_H
#define SEA_CASEWORK_COMMAND_H

#include <stddef.h>

#include "command-args.h"

struct store;
struct caseworker_key;
struct replica_set;

enum {
    EXIT_DONE = 0,
    EXIT_FAILED = 1,
    EXIT_USAGE = 2
};

enum {
    CMD_NEEDS_DB = 1 << 0,           /* main opens --db (store_open) before run */
    CMD_NEEDS_SECRET_KEY = 1 << 1,   /* main unlocks --key before run */
    CMD_NEEDS_DB_READONLY = 1 << 2,  /* main opens --db read-only (store_open_readonly) before run */
    CMD_ACCEPTS_AUDITOR_KEY = 1 << 3, /* with CMD_NEEDS_SECRET_KEY: an auditor's key may run it too
                                        (without this flag main refuses one: it reads no case) */
    CMD_NAMES_ORIGIN = 1 << 4         /* --origin names the origin it makes (sync), rather than
                                        narrowing the set to an existing one */
};

/* What every command may use. Set up by main.c from options and the environment. */
typedef struct casework_ctx {
    const char *db_path;          /* --db or CASEWORK_DB, may be NULL */
    const char *key_path;         /* --key or CASEWORK_KEY, may be NULL */
    const char *passphrase_file;  /* --passphrase-file or CASEWORK_PASSPHRASE_FILE, may be NULL */
    const char *auditors_path;    /* --auditors or CASEWORK_AUDITORS, may be NULL */
    const char *origin;           /* --origin or CASEWORK_ORIGIN, may be NULL */
    struct store *db;             /* open when the command has CMD_NEEDS_DB or CMD_NEEDS_DB_READONLY:
                                     the first of the replica's origins, or the one holding the
                                     command's CASE */
    struct replica_set *origins;  /* with db: the replica's origins (replica-set.h); one when the
                                     database is no replica, or --origin was given */
    struct caseworker_key *key;   /* unlocked when the command has CMD_NEEDS_SECRET_KEY (from the
                                     key agent when it holds this key, else with the passphrase); an
                                     auditor's (key->pub.role) only with CMD_ACCEPTS_AUDITOR_KEY */
    const char *state_dir;        /* where this user's case indexes are kept, or NULL (main.c) */
    char err[512];                /* a failing command leaves its one-line message here */
} casework_ctx;

/*
 * One command, or one subcommand of a command that has them (`audit verify`). main.c parses the
 * arguments against .args (command-args.h) before any setup, so a usage error never opens the
 * database or asks for a passphrase, and generates the usage line from the same declaration.
 */
typedef struct command {
    const char *name;
    const char *summary;   /* one line for `casework --help` */
    const char *help;      /* NULL, or more lines that `casework COMMAND --help` prints */
    int flags;             /* CMD_NEEDS_* */
    command_argspec args;  /* the options and positionals it accepts */
    /* NULL, or the subcommands (ending with NULL) chosen by the word after the name; a command
     * with subcommands has no run of its own. */
    const struct command *const *subcommands;
    /* Runs the command with the checked arguments. Returns an EXIT_* code; on EXIT_FAILED or
     * EXIT_USAGE it leaves a message in ctx->err. */
    int (*run)(casework_ctx *ctx, const command_args *args);
} command;

/*
 * command_run_text: the body of note and reply: takes -m TEXT (or a text written in $EDITOR,
 * called what), hands it to act for the case in the first positional, wipes it, and on success
 * prints done_before, the case and done_after. Returns an EXIT_* code with ctx->err set on
 * failure.
 */
int command_run_text(casework_ctx *ctx, const command_args *args, const char *what,
                     int (*act)(struct store *s, const struct caseworker_key *k, const char *ref,
                                const char *text, char *err, size_t errlen),
                     const char *done_before, const char *done_after);

/* command_find: the command named exactly name (no prefix matching), or NULL. */
const command *command_find(const char *name);

/* command_find_in: the entry of list (ending with NULL) named exactly name, or NULL. */
const command *command_find_in(const command *const *list, const char *name);

/*
 * command_nearest: for a mistyped name, the one entry of list (ending with NULL) it most likely
 * meant: the entry that name is a prefix of when only one is, else the entry nearest by edit
 * distance (insertions, deletions, substitutions, swaps of neighbours) when that distance is at
 * most 2 and no other entry is as near. NULL when there is no such single entry.
 */
const command *command_nearest(const command *const *list, const char *name);

/* command_list: every command in the order `casework --help` shows them, ending with NULL. */
const command *const *command_list(void);

#endif
