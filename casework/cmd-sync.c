/*
 * cmd-sync.c: `casework sync REMOTE` (a caseworker's replica exchanges with the server),
 * `casework serve-sync` (the server end, on standard input and output, with no key), and for
 * air-gapped workstations `casework sync-snapshot` (a copy of the database to carry to the
 * workstation, which syncs from it with `sync SNAPSHOT --push-file FILE`) and `serve-sync
 * --apply FILE` (the push carried back).
 *
 *   casework --db local.db --key worker.key sync REMOTE [--recipients FILE] [--push-file FILE]
 *   casework --db reports.db serve-sync [--db DB] [--recipients FILE] [--apply FILE]
 *   casework --db reports.db sync-snapshot --out FILE
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "command.h"
#include "errors.h"
#include "pubkey.h"
#include "replica-set.h"
#include "store-sync.h"
#include "store.h"
#include "sync-client.h"
#include "sync-serve.h"
#include "sync-transport.h"

static int sync_run(casework_ctx *ctx, const command_args *args)
{
    const char *remote = args->positional[0];
    /* only --origin on sync's own command line adds an intake; the global one (or
     * CASEWORK_ORIGIN) names one this replica knows already */
    const char *origin = command_args_has(args, "origin") ? command_args_get(args, "origin") : ctx->origin;
    int may_add = command_args_has(args, "origin");
    replica_set *set = ctx->origins;
    sync_server_info in;
    sync_result res;
    sync_peer peer;
    size_t which = 0;
    char hex[17];
    int rc, created = 0, chosen = 0;

    if (origin != NULL && !origin_name_valid(origin)) {
        snprintf(ctx->err, sizeof ctx->err, "--origin takes a name of 1 to %d letters a-z, digits and '-'",
                 STORE_ORIGIN_NAME_MAX);
        return EXIT_USAGE;
    }
    if (sync_connect(remote, command_args_get(args, "recipients"), NULL, &peer, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    rc = sync_greet(&peer.w, &in, ctx->err, sizeof ctx->err);
    if (rc != 0) {
        char why[256];
        snprintf(why, sizeof why, "%.*s", (int)sizeof why - 1, ctx->err);
        snprintf(ctx->err, sizeof ctx->err, "%s did not answer as casework serve-sync does (%s): check that you reach "
                 "it (for ssh://, try ssh on its own; its message, if any, is above) and that casework is installed there",
                 remote, why);
    }
    if (rc == 0)
        rc = replica_set_for_server(set, in.id, origin, may_add, remote, &which, &created, ctx->err, sizeof ctx->err);
    chosen = rc == 0;
    if (rc == 0)
        rc = sync_session(set->o[which].db, ctx->key, &peer.w, &in, command_args_get(args, "push-file"), &res,
                          ctx->err, sizeof ctx->err);
    /* named (and a new origin recorded) once it is a replica, even when the exchange then failed */
    if (chosen) {
        char why[256];
        if (replica_set_register(set, which, origin, remote, why, sizeof why) != 0 && rc == 0)
            rc = err_set(ctx->err, sizeof ctx->err, ERR_IO, "%s", why);
    }
    if (sync_disconnect(&peer) != 0 && rc == 0)
        rc = err_set(ctx->err, sizeof ctx->err, ERR_IO, "the server end of the exchange failed (see above)");
    if (rc != 0)
        return EXIT_FAILED;
    if (created)
        printf("new origin %s: this replica now syncs with %zu intakes (casework list shows where each case came from)\n",
               set->o[which].name, set->n);
    sodium_bin2hex(hex, sizeof hex, res.head_hash, 8);
    if (res.pulled.lost > 0)
        printf("note: %u case(s) you changed here were erased on the server before your changes reached it; "
               "those changes are gone with them (the audit log keeps your entries)\n", res.pulled.lost);
    if (res.skipped > 0)
        printf("note: %u status change(s) were not applied: another caseworker had changed the case meanwhile "
               "(it is shown here as it is now; change it again if you still mean to)\n", res.skipped);
    if (res.push_written)
        printf("push of %u change(s) written to %s: apply it on the server with casework serve-sync --apply\n",
               res.pushed, command_args_get(args, "push-file"));
    printf("%ssynced with %s (origin %s): %u case(s); pulled %u record(s), %u file(s), %u audit entr%s%s; pushed %u change(s); "
           "server audit head %llu:%s...\n",
           res.created ? "replica made; " : "", remote, set->o[which].name, res.pulled.cases, res.pulled.records, res.pulled.files,
           res.pulled.entries, res.pulled.entries == 1 ? "y" : "ies",
           res.pulled.erased > 0 ? ", removed erased cases" : "", res.pushed, (unsigned long long)res.head_seq, hex);
    return EXIT_DONE;
}

static int serve_run(casework_ctx *ctx, const command_args *args)
{
    const char *path = command_args_has(args, "db") ? command_args_get(args, "db") : ctx->db_path;
    const char *recipients = command_args_get(args, "recipients");
    pubkey *known = NULL;
    size_t nknown = 0;
    sync_wire w = {stdin, stdout, NULL, 0};
    struct stat st;
    store *s = NULL;
    int rc = EXIT_FAILED;

    if (path == NULL) {
        snprintf(ctx->err, sizeof ctx->err, "no database given (use --db DB)");
        return EXIT_USAGE;
    }
    if (stat(path, &st) != 0) {
        snprintf(ctx->err, sizeof ctx->err, "there is no database at %s (serve-sync never creates one)", path);
        return EXIT_FAILED;
    }
    if (recipients != NULL &&
        pubkey_load_role(recipients, PUBKEY_ROLE_CASEWORKER, &known, &nknown, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    if (store_open(path, &s, ctx->err, sizeof ctx->err) != 0)
        goto out;
    if (command_args_has(args, "apply")) {
        const char *file = command_args_get(args, "apply");
        FILE *in = fopen(file, "rb");
        uint64_t head;
        if (in == NULL) {
            snprintf(ctx->err, sizeof ctx->err, "cannot open %s: %s", file, strerror(errno));
            goto out;
        }
        if (nknown == 0)
            snprintf(ctx->err, sizeof ctx->err, "--apply needs --recipients FILE: the caseworkers whose pushes are taken");
        else if (sync_serve_apply_file(s, in, known, nknown, &head, ctx->err, sizeof ctx->err) == 0) {
            printf("push in %s applied: audit head %llu\n", file, (unsigned long long)head);
            rc = EXIT_DONE;
        }
        fclose(in);
    } else if (sync_serve(s, &w, known, nknown, ctx->err, sizeof ctx->err) == 0) {
        rc = EXIT_DONE;
    }
out:
    store_close(s);
    free(known);
    wire_free(&w);
    return rc;
}

static const command_option sync_options[] = {
    {.name = "recipients", .flags = COMMAND_OPT_VALUE, .value_name = "FILE"},
    {.name = "push-file", .flags = COMMAND_OPT_VALUE, .value_name = "FILE"},
    {.name = "origin", .flags = COMMAND_OPT_VALUE, .value_name = "NAME"},
    {.name = NULL}
};

const command cmd_sync = {
    .name = "sync",
    .summary = "exchange with the intake's database: pull what is new into this replica (--db, made by the first sync), push what you did",
    .help = "REMOTE is ssh://[user@]host[:port]/path/to/reports.db (runs casework serve-sync there through ssh;\n"
            "CASEWORK_SSH may name the ssh command with its options), or the path of a database on this\n"
            "machine (--recipients FILE then tells the local server end whose pushes to take).\n"
            "--push-file FILE writes what you did to FILE instead of pushing it: for an air-gapped workstation\n"
            "that syncs from a snapshot (casework sync-snapshot); serve-sync --apply FILE applies it on the server.\n"
            "One replica may sync with several intakes, each an origin with a name: the first is named after\n"
            "REMOTE's host or file unless --origin NAME names it; another is added only by naming it\n"
            "(sync REMOTE --origin NAME), and its replica is kept in DB.origins/NAME.db.",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY | CMD_NAMES_ORIGIN,
    .args = {.options = sync_options, .min_positional = 1, .max_positional = 1, .positional = {{.name = "REMOTE"}}},
    .run = sync_run,
};

static const command_option serve_options[] = {
    {.name = "db", .flags = COMMAND_OPT_VALUE, .value_name = "DB"},
    {.name = "recipients", .flags = COMMAND_OPT_VALUE, .value_name = "FILE"},
    {.name = "apply", .flags = COMMAND_OPT_VALUE, .value_name = "FILE"},
    {.name = NULL}
};

const command cmd_serve_sync = {
    .name = "serve-sync",
    .summary = "the server end of sync, on standard input and output; needs no key; applies only pushes a known caseworker signed",
    .help = "--recipients FILE: the caseworkers whose pushes it takes (the intake's recipients file); without it,\n"
            "replicas can pull but not push. --apply FILE applies a push an air-gapped workstation wrote\n"
            "(casework sync --push-file) instead of serving standard input.",
    .flags = 0,
    .args = {.options = serve_options},
    .run = serve_run,
};

static int snapshot_run(casework_ctx *ctx, const command_args *args)
{
    const char *out = command_args_get(args, "out");
    unsigned char id[16];

    /* The snapshot must carry the database's id (made on first use), which the push names. */
    if (store_secret_setting(ctx->db, "database-id", id, sizeof id, ctx->err, sizeof ctx->err) != 0 ||
        store_sync_snapshot(ctx->db, out, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    printf("snapshot written to %s: on the workstation, casework sync %s --push-file PUSHFILE\n", out, out);
    return EXIT_DONE;
}

static const command_option snapshot_options[] = {
    {.name = "out", .flags = COMMAND_OPT_VALUE | COMMAND_OPT_REQUIRED, .value_name = "FILE"},
    {.name = NULL}
};

const command cmd_sync_snapshot = {
    .name = "sync-snapshot",
    .summary = "write a copy of the database for an air-gapped workstation to sync from (needs no key)",
    .flags = CMD_NEEDS_DB,
    .args = {.options = snapshot_options},
    .run = snapshot_run,
};
