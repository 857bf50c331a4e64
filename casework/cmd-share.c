/*
 * cmd-share.c: `casework share CASE --with PUBFILE`: a recipient hands a case over to another
 * caseworker (absence, handover): every record of the case that the sharer can open gets one
 * more key slot, for the new caseworker, and a share record names them, so later notes and
 * replies reach them too. A caseworker the reporter left out is refused.
 */
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

static int share_run(casework_ctx *ctx, const command_args *args)
{
    const char *ref = args->positional[0];
    const char *with = command_args_get(args, "with");
    share_result sd;
    pubkey to;

    if (load_pub(ctx, with, &to) != 0)
        return EXIT_FAILED;
    if (case_share(ctx->db, ctx->key, ref, &to, &sd, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    if (sd.restricted)
        printf("note: the reporter restricted this case; sharing it was your decision, and it is logged\n");
    printf("%s shared with %s (%s): %zu record(s) resealed\n", ref, to.name, sd.id, sd.resealed);
    return EXIT_DONE;
}

static const command_option share_options[] = {
    {.name = "with", .flags = COMMAND_OPT_VALUE | COMMAND_OPT_REQUIRED, .value_name = "PUBFILE"},
    {.name = NULL}
};

const command cmd_share = {
    .name = "share",
    .summary = "let one more caseworker read a case (handover); refused for anyone the reporter left out",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .args = {.options = share_options, .min_positional = 1, .max_positional = 1, .positional = {{.name = "CASE"}}},
    .run = share_run,
};
