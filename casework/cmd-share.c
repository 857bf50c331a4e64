/*
 * cmd-share.c: `casework share CASE --with PUBFILE`: a recipient hands a case over to another
 * caseworker (absence, handover): every record of the case that the sharer can open gets one
 * more key slot, for the new caseworker, and a share record names them, so later notes and
 * replies reach them too. A caseworker the reporter left out is refused.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "case-share.h"
#include "command.h"
#include "errors.h"
#include "fileio.h"

static int load_pub(casework_ctx *ctx, const char *path, pubkey *pk)
{
    unsigned char *buf;
    size_t len;
    char msg[256];
    int rc = fileio_read_all(path, PUBKEY_LINE_MAX * 4, 0, &buf, &len, ctx->err, sizeof ctx->err);

    if (rc != 0)
        return rc;
    rc = pubkey_parse((char *)buf, pk, msg, sizeof msg);
    free(buf);
    if (rc != 0)
        return err_set(ctx->err, sizeof ctx->err, rc, "%s: %s", path, msg);
    return 0;
}

static int share_run(casework_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"with", required_argument, NULL, 'w'}, {NULL, 0, NULL, 0}};
    share_result sd;
    pubkey to;
    const char *with = NULL;
    int c;

    while ((c = getopt_long(argc, argv, COMMAND_OPTSTRING, opts, NULL)) != -1) {
        if (c != 'w')
            return command_option_error(ctx, c, argc, argv);
        with = optarg;
    }
    if (optind != argc - 1 || with == NULL) {
        snprintf(ctx->err, sizeof ctx->err, "give one CASE and --with PUBFILE");
        return EXIT_USAGE;
    }
    if (load_pub(ctx, with, &to) != 0)
        return EXIT_FAILED;
    if (case_share(ctx->db, ctx->key, argv[optind], &to, &sd, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    if (sd.restricted)
        printf("note: the reporter restricted this case; sharing it was your decision, and it is logged\n");
    printf("%s shared with %s (%s): %zu record(s) resealed\n", argv[optind], to.name, sd.id, sd.resealed);
    return EXIT_DONE;
}

const command cmd_share = {
    .name = "share",
    .usage = "CASE --with PUBFILE",
    .summary = "let one more caseworker read a case (handover); refused for anyone the reporter left out",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .run = share_run,
};
