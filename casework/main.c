/*
 * main.c: the casework dispatcher. Parses the global options (--version prints the version
 * before any command), finds the command (and its subcommand) by exact name in the one table,
 * handles --help centrally, checks the command's arguments against its declaration
 * (command-args.h) before any setup, does the setup the command's flags ask for (open the
 * database, unlock the caseworker's key, refuse an auditor's key for a command that does not
 * accept one), runs it, and checks that everything it printed reached stdout. Only this file
 * prints errors and chooses the exit status.
 */
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "audit-append.h"
#include "command.h"
#include "errors.h"
#include "keyfile.h"
#include "passphrase.h"
#include "replica-set.h"
#include "store.h"
#include "term.h"

/* No core file and no ptrace by other processes of the same user: memory holds an unlocked key
 * and decrypted reports. Exits when this cannot be made so. */
static int no_core_dumps(void)
{
    const struct rlimit none = {0, 0};

    if (setrlimit(RLIMIT_CORE, &none) != 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        fprintf(stderr, "casework: cannot turn core dumps off: %s\n", strerror(errno));
        return -1;
    }
    return 0;
}

/* "casework NAME: MESSAGE" on stderr, the message through the terminal filter: it may quote what
 * a database or a file holds. */
static void print_error(const char *name, const char *message)
{
    char prefix[96];   /* "casework " + the command name (at most 63 bytes) + ": " */

    snprintf(prefix, sizeof prefix, "casework %s: ", name);
    term_safe_line(stderr, prefix, message);
}

static void usage(FILE *f)
{
    int width = 0;

    for (const command *const *c = command_list(); *c != NULL; c++)
        if ((int)strlen((*c)->name) > width)
            width = (int)strlen((*c)->name);
    fprintf(f, "usage: casework [--db DB] [--key KEYFILE] [--passphrase-file F] [--auditors FILE] [--origin NAME] "
               "COMMAND [ARGS]\n\n"
               "commands:\n");
    for (const command *const *c = command_list(); *c != NULL; c++)
        fprintf(f, "  %-*s  %s\n", width, (*c)->name, (*c)->summary);   /* two spaces: help2man's columns */
    fprintf(f, "\n--auditors FILE: the auditors' .pub lines (casework keygen --auditor; other lines are skipped):\n"
               "every audit entry is sealed to them and to you. Without it, only you can read your entries.\n"
               "--origin NAME: on a replica that syncs with several intakes, work with the one named NAME only\n"
               "(casework list shows the names; sync --origin NAME names a new one). A case two intakes gave\n"
               "the same reference is written NAME:REF.\n"
               "\nenvironment: CASEWORK_DB, CASEWORK_KEY, CASEWORK_PASSPHRASE_FILE, CASEWORK_AUDITORS, CASEWORK_ORIGIN\n"
               "stand for the options.\n"
               "`casework COMMAND --help` shows a command's usage; `casework --version`, the version.\n");
}

/* Prints the usage line(s) of cmd (a subcommand of parent when parent is not NULL; every
 * subcommand's when cmd has them), and on stdout (for --help) its summary and help. */
static void command_usage(FILE *f, const command *parent, const command *cmd)
{
    char args[512];
    int first = 1;

    if (cmd->subcommands != NULL) {
        for (const command *const *s = cmd->subcommands; *s != NULL; s++, first = 0) {
            command_args_usage(&(*s)->args, args, sizeof args);
            fprintf(f, "%s casework %s %s%s%s\n", first ? "usage:" : "      ", cmd->name, (*s)->name,
                    args[0] ? " " : "", args);
        }
    } else {
        command_args_usage(&cmd->args, args, sizeof args);
        fprintf(f, "usage: casework %s%s%s%s%s\n", parent ? parent->name : "", parent ? " " : "", cmd->name,
                args[0] ? " " : "", args);
    }
    if (f == stdout) {
        fprintf(f, "\n%s\n", cmd->summary);
        if (cmd->help != NULL)
            fprintf(f, "%s\n", cmd->help);
    }
}

/* A command's subcommands for a message: "verify, head, log, export" with last_sep ", ", or
 * "verify, head, log or export" with " or ". */
static void subcommand_names(const command *cmd, const char *last_sep, char *out, size_t cap)
{
    size_t used = 0;

    out[0] = '\0';
    for (const command *const *s = cmd->subcommands; *s != NULL && used + 1 < cap; s++) {
        int n = snprintf(out + used, cap - used, "%s%s", s == cmd->subcommands ? "" : s[1] == NULL ? last_sep : ", ",
                         (*s)->name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

/* 1 when args (up to a "--") ask for help. */
static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    return 0;
}

/*
 * Where this user's case indexes are kept (never in the shared database): CASEWORK_STATE_DIR,
 * else $XDG_STATE_HOME/sea-casework, else ~/.local/state/sea-casework (the folders above it are
 * made 0700 when missing); NULL when none can be named (the index is then built in memory each
 * time). case-index.c makes the last folder and refuses one that others may write to.
 */
static const char *state_dir(char *out, size_t cap)
{
    const char *dir = getenv("CASEWORK_STATE_DIR"), *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    int n;

    if (dir != NULL && dir[0] != '\0')
        n = snprintf(out, cap, "%s", dir);
    else if (xdg != NULL && xdg[0] == '/' && (mkdir(xdg, 0700) == 0 || errno == EEXIST))
        n = snprintf(out, cap, "%s/sea-casework", xdg);
    else if (home != NULL && home[0] == '/' && snprintf(out, cap, "%s/.local", home) < (int)cap &&
             (mkdir(out, 0700) == 0 || errno == EEXIST) && snprintf(out, cap, "%s/.local/state", home) < (int)cap &&
             (mkdir(out, 0700) == 0 || errno == EEXIST))
        n = snprintf(out, cap, "%s/.local/state/sea-casework", home);
    else
        return NULL;
    return n > 0 && (size_t)n < cap ? out : NULL;
}

/* The full name of the global option c when word (as typed) abbreviates it ("--k" for "--key"),
 * else NULL: options are never abbreviated in a security tool. */
static const char *abbreviated_global(const char *word, const struct option *opts, int c)
{
    size_t len = strcspn(word, "=");

    if (strncmp(word, "--", 2) != 0)
        return NULL;
    for (const struct option *o = opts; o->name != NULL; o++)
        if (o->val == c)
            return len - 2 == strlen(o->name) && strncmp(word + 2, o->name, len - 2) == 0 ? NULL : o->name;
    return NULL;
}

/* 1 when c appends to the audit log with a caseworker's key. */
static int appends(const command *c)
{
    return (c->flags & CMD_NEEDS_SECRET_KEY) && !(c->flags & CMD_ACCEPTS_AUDITOR_KEY);
}

/*
 * The auditors every audit entry of this run is sealed to (audit-append.h), for commands that
 * append with a caseworker's key. Without any, main notes after a success who alone can read
 * the entries (a failure keeps its one line).
 */
static int load_auditors(casework_ctx *ctx, const command *c, pubkey **auditors)
{
    char why[400];
    size_t n = 0;

    if (!appends(c) || ctx->auditors_path == NULL)
        return EXIT_DONE;
    if (pubkey_load_role(ctx->auditors_path, PUBKEY_ROLE_AUDITOR, auditors, &n, why, sizeof why) != 0) {
        snprintf(ctx->err, sizeof ctx->err, "the auditors' file (--auditors or CASEWORK_AUDITORS): %s", why);
        return EXIT_FAILED;
    }
    audit_append_set_auditors(*auditors, n);
    return EXIT_DONE;
}

/* The case a command names (its CASE): found among the replica's origins, whose
 * database the command then works in, and written in canonical form into ref. */
static int find_case(casework_ctx *ctx, const replica_set *set, const char **typed, char ref[CASEREF_TEXT_SIZE])
{
    size_t which;

    char full[CASEREF_TEXT_SIZE];

    if (*typed == NULL || (set->n == 1 && strchr(*typed, ':') == NULL && caseref_normalize(*typed, full) == 0))
        return EXIT_DONE;   /* one origin: the command finds the case, and says so when it is not there */
    if (replica_set_find_case(set, *typed, &which, ref, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    ctx->db = set->o[which].db;
    *typed = ref;
    return EXIT_DONE;
}

/* Opens --db and the replica's other origins; narrows them to --origin; finds the CASE. */
static int open_origins(casework_ctx *ctx, const command *c, command_args *args, replica_set *set, store **home,
                        char ref[CASEREF_TEXT_SIZE])
{
    int readonly = !(c->flags & CMD_NEEDS_DB), rc;

    if (ctx->db_path == NULL) {
        snprintf(ctx->err, sizeof ctx->err, "no database given (use --db DB or set CASEWORK_DB)");
        return EXIT_USAGE;
    }
    if (!(c->flags & CMD_NAMES_ORIGIN) && access(ctx->db_path, F_OK) != 0) {
        /* a typo in --db must not become an empty database that looks like "no cases" */
        snprintf(ctx->err, sizeof ctx->err, "no database at %s: check --db or CASEWORK_DB (casework never creates one;"
                 " the intake makes the server's, and `casework sync` a replica)", ctx->db_path);
        return EXIT_FAILED;
    }
    rc = readonly ? store_open_readonly(ctx->db_path, home, ctx->err, sizeof ctx->err)
                  : store_open(ctx->db_path, home, ctx->err, sizeof ctx->err);
    if (rc != 0 || replica_set_open(set, *home, ctx->db_path, readonly, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    ctx->origins = set;
    if (!(c->flags & CMD_NAMES_ORIGIN) &&
        ((ctx->origin != NULL && replica_set_narrow(set, ctx->origin, ctx->err, sizeof ctx->err) != 0) ||
         replica_set_complete(set, ctx->err, sizeof ctx->err) != 0))
        return EXIT_FAILED;   /* (sync makes a missing origin's file again) */
    ctx->db = set->o[0].db;
    if (args->spec->max_positional > 0 && strcmp(args->spec->positional[0].name, "CASE") == 0)
        return find_case(ctx, set, &args->positional[0], ref);
    return EXIT_DONE;   /* (audit log --case finds its log itself: the case may be purged) */
}

/* The key of --key from this user's key agent (casework unlock), when one runs and holds that
 * key; ctx->key stays NULL when none does (a note says so when it holds another key). */
static int use_agent(casework_ctx *ctx)
{
    char note[300];
    int rc = agent_fetch_key(ctx->key_path, &ctx->key, note, sizeof note, ctx->err, sizeof ctx->err);

    if (note[0] != '\0')
        fprintf(stderr, "casework: note: %s\n", note);
    return rc == 0 || rc == ERR_NOTFOUND ? EXIT_DONE : EXIT_FAILED;
}

static int setup(casework_ctx *ctx, const command *c, command_args *args, replica_set *set, store **home,
                 char ref[CASEREF_TEXT_SIZE], char *state, size_t state_cap)
{
    char *pass = NULL;
    size_t pass_len;
    int rc;

    if ((c->flags & (CMD_NEEDS_DB | CMD_NEEDS_DB_READONLY)) && !command_args_no_db(args) &&
        (rc = open_origins(ctx, c, args, set, home, ref)) != EXIT_DONE)
        return rc;
    if (c->flags & CMD_NEEDS_SECRET_KEY) {
        ctx->state_dir = state_dir(state, state_cap);   /* only commands with a key keep an index */
        if (ctx->key_path == NULL) {
            snprintf(ctx->err, sizeof ctx->err, "no key given (use --key KEYFILE or set CASEWORK_KEY)");
            return EXIT_USAGE;
        }
        if ((rc = use_agent(ctx)) != EXIT_DONE)
            return rc;
        if (ctx->key == NULL) {   /* no agent holds this key: ask */
            if (passphrase_get(ctx->passphrase_file, "Passphrase: ", 0, &pass, &pass_len, ctx->err, sizeof ctx->err) != 0)
                return EXIT_FAILED;
            rc = keyfile_read(ctx->key_path, pass, pass_len, &ctx->key, ctx->err, sizeof ctx->err);
            passphrase_free(pass);
        } else {
            rc = 0;
        }
        if (rc == ERR_AUTH) {
            snprintf(ctx->err, sizeof ctx->err, "wrong passphrase for %s, or the file was altered (try again, or check CASEWORK_KEY)", ctx->key_path);
            return EXIT_FAILED;
        }
        if (rc != 0)
            return EXIT_FAILED;
        if (ctx->key->pub.role == PUBKEY_ROLE_AUDITOR && !(c->flags & CMD_ACCEPTS_AUDITOR_KEY)) {
            snprintf(ctx->err, sizeof ctx->err, "%s is an auditor's key: it reads the audit log (casework audit log) and no case; use a caseworker's key",
                     ctx->key_path);
            return EXIT_FAILED;
        }
    }
    return EXIT_DONE;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"key", required_argument, NULL, 'k'},
        {"passphrase-file", required_argument, NULL, 'p'},
        {"auditors", required_argument, NULL, 'a'},
        {"origin", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}
    };
    casework_ctx ctx;
    pubkey *auditors = NULL;
    replica_set origins = {.n = 0};
    store *home = NULL;
    char ref[CASEREF_TEXT_SIZE];
    command_args args;
    char state[4096];
    const command *cmd, *sub, *parent = NULL;
    char name[64];
    int c, rc;

    memset(&ctx, 0, sizeof ctx);
    umask(077);
    if (no_core_dumps() != 0)
        return EXIT_FAILED;
    ctx.db_path = getenv("CASEWORK_DB");
    ctx.key_path = getenv("CASEWORK_KEY");
    ctx.passphrase_file = getenv("CASEWORK_PASSPHRASE_FILE");
    ctx.auditors_path = getenv("CASEWORK_AUDITORS");
    ctx.origin = getenv("CASEWORK_ORIGIN");
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
        const char *word = argv[optarg != NULL && optarg == argv[optind - 1] ? optind - 2 : optind - 1];
        const char *full = c != '?' && c != ':' ? abbreviated_global(word, opts, c) : NULL;
        if (full != NULL) {
            fprintf(stderr, "casework: unknown option: %.*s (options are never abbreviated: write --%s)\n",
                    (int)strcspn(word, "="), word, full);
            usage(stderr);
            return EXIT_USAGE;
        }
        switch (c) {
        case 'd': ctx.db_path = optarg; break;
        case 'k': ctx.key_path = optarg; break;
        case 'p': ctx.passphrase_file = optarg; break;
        case 'a': ctx.auditors_path = optarg; break;
        case 'o': ctx.origin = optarg; break;
        case 'h': usage(stdout); return EXIT_DONE;
        case 'V': printf("casework %s\n", SEA_VERSION); return EXIT_DONE;
        default:
            fprintf(stderr, "casework: %s %s\n", c == ':' ? "option needs a value:" : "unknown option:",
                    argv[optind - 1]);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[optind], "help") == 0) {
        cmd = optind + 1 < argc ? command_find(argv[optind + 1]) : NULL;
        sub = cmd != NULL && optind + 2 < argc ? command_find_in(cmd->subcommands, argv[optind + 2]) : NULL;
        if (sub != NULL)
            command_usage(stdout, cmd, sub);
        else if (cmd != NULL)
            command_usage(stdout, NULL, cmd);
        else
            usage(stdout);
        return EXIT_DONE;
    }
    cmd = command_find(argv[optind]);
    if (cmd == NULL) {
        const command *near = command_nearest(command_list(), argv[optind]);
        if (near != NULL)
            fprintf(stderr, "casework: unknown command '%s': did you mean '%s'? (see casework --help)\n",
                    argv[optind], near->name);
        else
            fprintf(stderr, "casework: unknown command '%s' (see casework --help)\n", argv[optind]);
        return EXIT_USAGE;
    }
    argc -= optind;
    argv += optind;
    if (cmd->subcommands != NULL) {
        char names[256];
        sub = argc > 1 ? command_find_in(cmd->subcommands, argv[1]) : NULL;
        if (sub == NULL && wants_help(argc, argv)) {
            command_usage(stdout, NULL, cmd);
            return EXIT_DONE;
        }
        if (sub == NULL) {
            subcommand_names(cmd, argc > 1 ? " or " : ", ", names, sizeof names);
            if (argc > 1 && command_nearest(cmd->subcommands, argv[1]) != NULL)
                fprintf(stderr, "casework %s: unknown %s command '%s': did you mean '%s'? (%s)\n", cmd->name, cmd->name,
                        argv[1], command_nearest(cmd->subcommands, argv[1])->name, names);
            else if (argc > 1)
                fprintf(stderr, "casework %s: unknown %s command '%s' (%s)\n", cmd->name, cmd->name, argv[1], names);
            else
                fprintf(stderr, "casework %s: %s needs one of: %s\n", cmd->name, cmd->name, names);
            command_usage(stderr, NULL, cmd);
            return EXIT_USAGE;
        }
        parent = cmd;
        cmd = sub;
        argc--;
        argv++;
    }
    snprintf(name, sizeof name, "%s%s%s", parent ? parent->name : "", parent ? " " : "", cmd->name);
    rc = command_args_parse(&cmd->args, argc, (const char *const *)argv, &args, ctx.err, sizeof ctx.err);
    if (rc == COMMAND_ARGS_HELP) {
        command_usage(stdout, parent, cmd);
        return EXIT_DONE;
    }
    if (rc != 0) {
        print_error(name, ctx.err);
        command_usage(stderr, parent, cmd);
        return EXIT_USAGE;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "casework: cannot initialise libsodium\n");
        return EXIT_FAILED;
    }
    rc = load_auditors(&ctx, cmd, &auditors);
    if (rc == EXIT_DONE)
        rc = setup(&ctx, cmd, &args, &origins, &home, ref, state, sizeof state);
    if (rc == EXIT_DONE)
        rc = cmd->run(&ctx, &args);
    audit_append_set_auditors(NULL, 0);
    free(auditors);
    keyfile_free(ctx.key);
    replica_set_close(&origins);
    store_close(home);
    if (rc == EXIT_DONE && (fflush(stdout) != 0 || ferror(stdout))) {
        snprintf(ctx.err, sizeof ctx.err, "cannot write the output (disk full or pipe closed?)");
        rc = EXIT_FAILED;
    }
    if (rc == EXIT_DONE && appends(cmd) && ctx.auditors_path == NULL)
        fprintf(stderr, "casework: note: no auditors given (--auditors FILE or CASEWORK_AUDITORS), so the audit "
                        "entries of this command can be read only with your key\n");
    if (rc != EXIT_DONE) {
        print_error(name, ctx.err[0] ? ctx.err : "failed");
        if (rc == EXIT_USAGE)
            command_usage(stderr, parent, cmd);
    }
    return rc;
}
