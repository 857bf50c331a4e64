/*
 * command-args.h: what a casework command declares about its arguments, and the one parser that
 * checks them for every command (modelled on tmux's cmd_entry.args and arguments.c). A command
 * declares its long options (exact names only: a security tool does not guess what an
 * abbreviation meant), whether each takes a value, is required or is a number in a range, and
 * how many positional arguments it takes with their names for messages and usage lines. The
 * parser turns argv into a command_args, or refuses it with one message that says what to do.
 *
 * Accepted forms: `--name VALUE`, `--name=VALUE`, `-m VALUE`, `-mVALUE`, flags `--json`, options
 * before, between and after positionals (GNU permutation), and `--` to end the options.
 */
#ifndef SEA_CASEWORK_COMMAND_ARGS_H
#define SEA_CASEWORK_COMMAND_ARGS_H

#include <stddef.h>

#include "vocab.h"

#define COMMAND_MAX_OPTIONS 12     /* declared options per command */
#define COMMAND_MAX_POSITIONAL 4   /* declared positional arguments per command */

enum {
    COMMAND_OPT_VALUE = 1 << 0,     /* takes a value; without it the option is a flag */
    COMMAND_OPT_REQUIRED = 1 << 1,  /* must be given */
    COMMAND_OPT_NUMBER = 1 << 2,    /* its value is a whole number in [min, max]; implies a value */
    COMMAND_OPT_DAY = 1 << 3,       /* its value is a day, YYYY-MM-DD; implies a value */
    COMMAND_OPT_NO_DB = 1 << 4      /* given, the command reads no database (audit verify --file) */
};

/* What command_args_parse returns besides 0 (EXIT_DONE) and 2 (EXIT_USAGE): --help or -h was
 * given as an option of its own (not as another option's value). */
#define COMMAND_ARGS_HELP 3

/* One option. A list of them ends with an entry whose name is NULL. */
typedef struct command_option {
    const char *name;        /* the long name without "--", matched exactly */
    char short_name;         /* a one-letter alias written -m, or 0 */
    int flags;               /* COMMAND_OPT_* */
    const char *value_name;  /* the value as usage shows it ("PATH", "low|medium|high"), NULL for a flag */
    long min, max;           /* COMMAND_OPT_NUMBER: the range, both ends included */
    const char *hint;        /* NULL, or why a value out of range is refused, for the message */
    const vocab *choices;    /* not NULL: the value must be one of these (vocab.h) */
} command_option;

/* One positional argument: name is for messages and usage ("CASE"); usage, when not NULL, is
 * how the usage line spells it instead ("new|triaged|closed"). */
typedef struct command_positional {
    const char *name;
    const char *usage;
    const vocab *choices;   /* not NULL: the argument must be one of these (vocab.h) */
} command_positional;

/* Everything a command accepts after its name. */
typedef struct command_argspec {
    const command_option *options;   /* ends with a NULL name; NULL when there are none */
    int min_positional;
    int max_positional;              /* at most COMMAND_MAX_POSITIONAL */
    command_positional positional[COMMAND_MAX_POSITIONAL];   /* the first max_positional are named */
} command_argspec;

/* The parsed arguments. Every string points into the argv given to command_args_parse, which
 * must outlive this struct; nothing in it is allocated, so there is nothing to free. */
typedef struct command_args {
    const command_argspec *spec;
    const char *value[COMMAND_MAX_OPTIONS];   /* per declared option: its value ("" for a given
                                                 flag), NULL when not given */
    long number[COMMAND_MAX_OPTIONS];         /* per COMMAND_OPT_NUMBER option: its value */
    const char *positional[COMMAND_MAX_POSITIONAL];
    int npositional;
} command_args;

/*
 * command_args_parse: checks argv[1..argc-1] (argv[0] is the command's name) against spec and
 * fills *out. Refuses, with one message in err (errlen bytes, NUL-terminated): an option not
 * declared or abbreviated (`--cat` for `--category`), a value missing or given to a flag, an
 * option given twice, a number that is empty, has anything but digits after an optional '-',
 * overflows or is out of range, a day that is not YYYY-MM-DD, a value or positional outside its
 * vocabulary, too many or too few positionals, a required option left out. Returns 0
 * (EXIT_DONE); 2 (EXIT_USAGE) on any of these; COMMAND_ARGS_HELP when --help or -h was given
 * (as an option, not as a value: `-m -h` is a text). On anything but 0, *out is zeroed but for
 * spec. The scan does not depend on the environment (POSIXLY_CORRECT).
 */
int command_args_parse(const command_argspec *spec, int argc, const char *const argv[], command_args *out,
                       char *err, size_t errlen);

/* command_args_get: the value of the declared option long_name, "" for a given flag, or NULL
 * when it was not given (or is not declared, which is a bug the debug build asserts). */
const char *command_args_get(const command_args *args, const char *long_name);

/* command_args_no_db: 1 when an option marked COMMAND_OPT_NO_DB was given. */
int command_args_no_db(const command_args *args);


/* command_args_has: 1 when the declared option long_name was given, else 0. */
int command_args_has(const command_args *args, const char *long_name);

/* command_args_number: the checked value of the COMMAND_OPT_NUMBER option long_name, or dflt
 * when it was not given. */
long command_args_number(const command_args *args, const char *long_name, long dflt);

/*
 * command_args_usage: writes the arguments part of a usage line for spec into out (cap bytes,
 * NUL-terminated, truncated if need be): positionals, then options in declared order, optional
 * ones in brackets, e.g. "CASE --outcome O [-m TEXT]". Returns out.
 */
char *command_args_usage(const command_argspec *spec, char *out, size_t cap);

#endif
