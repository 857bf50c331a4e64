/*
 * main.c: the casework dispatcher. Parses the global options, finds the command by its exact
 * name in the one table, handles --help centrally, does the setup the command's flags ask for
 * (open the database, unlock the caseworker's key), runs it, and checks that everything it
 * printed reached stdout. Only this file prints errors and chooses the exit status.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "command.h"
#include "errors.h"
#include "keyfile.h"
#include "passphrase.h"
#include "store.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: casework [--db DB] [--key KEYFILE] [--passphrase-file F] COMMAND [ARGS]\n\n"
               "commands:\n");
    for (const command *const *c = command_list(); *c != NULL; c++)
        fprintf(f, "  %-10s %s\n", (*c)->name, (*c)->summary);
    fprintf(f, "\nenvironment: CASEWORK_DB, CASEWORK_KEY, CASEWORK_PASSPHRASE_FILE stand for the options.\n"
               "`casework COMMAND --help` shows a command's usage.\n");
}

static void command_usage(FILE *f, const command *c)
{
    fprintf(f, "usage: casework %s %s\n", c->name, c->usage);
    if (f == stdout)
        fprintf(f, "\n%s\n", c->summary);
}

/* 1 when args (up to a "--") ask for help. */
static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    return 0;
}

static int setup(casework_ctx *ctx, const command *c)
{
    char *pass = NULL;
    size_t pass_len;
    int rc;

    if (c->flags & CMD_NEEDS_DB) {
        if (ctx->db_path == NULL) {
            snprintf(ctx->err, sizeof ctx->err, "no database given (use --db DB or set CASEWORK_DB)");
            return EXIT_USAGE;
        }
        if (store_open(ctx->db_path, &ctx->db, ctx->err, sizeof ctx->err) != 0)
            return EXIT_FAILED;
    }
    if (c->flags & CMD_NEEDS_SECRET_KEY) {
        if (ctx->key_path == NULL) {
            snprintf(ctx->err, sizeof ctx->err, "no key given (use --key KEYFILE or set CASEWORK_KEY)");
            return EXIT_USAGE;
        }
        if (passphrase_get(ctx->passphrase_file, "Passphrase: ", 0, &pass, &pass_len, ctx->err, sizeof ctx->err) != 0)
            return EXIT_FAILED;
        rc = keyfile_read(ctx->key_path, pass, pass_len, &ctx->key, ctx->err, sizeof ctx->err);
        passphrase_free(pass);
        if (rc == ERR_AUTH) {
            snprintf(ctx->err, sizeof ctx->err, "wrong passphrase for %s, or the file was altered (try again, or check CASEWORK_KEY)", ctx->key_path);
            return EXIT_FAILED;
        }
        if (rc != 0)
            return EXIT_FAILED;
    }
    return EXIT_DONE;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"key", required_argument, NULL, 'k'},
        {"passphrase-file", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}
    };
    casework_ctx ctx;
    const command *cmd;
    int c, rc;

    memset(&ctx, 0, sizeof ctx);
    umask(077);
    ctx.db_path = getenv("CASEWORK_DB");
    ctx.key_path = getenv("CASEWORK_KEY");
    ctx.passphrase_file = getenv("CASEWORK_PASSPHRASE_FILE");
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': ctx.db_path = optarg; break;
        case 'k': ctx.key_path = optarg; break;
        case 'p': ctx.passphrase_file = optarg; break;
        case 'h': usage(stdout); return EXIT_DONE;
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
        if (cmd != NULL)
            command_usage(stdout, cmd);
        else
            usage(stdout);
        return EXIT_DONE;
    }
    cmd = command_find(argv[optind]);
    if (cmd == NULL) {
        fprintf(stderr, "casework: unknown command '%s' (see casework --help)\n", argv[optind]);
        return EXIT_USAGE;
    }
    argc -= optind;
    argv += optind;
    if (wants_help(argc, argv)) {
        command_usage(stdout, cmd);
        return EXIT_DONE;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "casework: cannot initialise libsodium\n");
        return EXIT_FAILED;
    }
    rc = setup(&ctx, cmd);
    if (rc == EXIT_DONE) {
        optind = 0;   /* glibc: a full re-initialisation, forgetting the global parse's "+" */
        opterr = 0;   /* commands report option errors themselves, once */
        rc = cmd->run(&ctx, argc, argv);
    }
    keyfile_free(ctx.key);
    store_close(ctx.db);
    if (rc == EXIT_DONE && (fflush(stdout) != 0 || ferror(stdout))) {
        snprintf(ctx.err, sizeof ctx.err, "cannot write the output (disk full or pipe closed?)");
        rc = EXIT_FAILED;
    }
    if (rc != EXIT_DONE) {
        fprintf(stderr, "casework %s: %s\n", cmd->name, ctx.err[0] ? ctx.err : "failed");
        if (rc == EXIT_USAGE)
            command_usage(stderr, cmd);
    }
    return rc;
}
