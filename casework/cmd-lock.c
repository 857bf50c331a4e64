/*
 * cmd-lock.c: `casework lock`: tells this user's key agent (secretkey/agent.h) to forget its key
 * and exit. Done (exit 0) also when no agent was running. Needs no key and no database.
 */
#include <sodium.h>
#include <stdio.h>

#include "agent.h"
#include "command.h"
#include "errors.h"

static int lock_run(casework_ctx *ctx, const command_args *args)
{
    char path[AGENT_PATH_MAX], id[2 * PUBKEY_IDBYTES + 1];
    unsigned char held[PUBKEY_IDBYTES];
    int rc;

    (void)args;
    rc = agent_socket_path(0, path, ctx->err, sizeof ctx->err);
    if (rc == 0)
        rc = agent_request(path, AGENT_OP_LOCK, held, ctx->err, sizeof ctx->err);
    if (rc == ERR_NOTFOUND) {
        printf("no agent was running: nothing to lock\n");
        return EXIT_DONE;
    }
    if (rc != AGENT_ST_OK) {
        if (rc > 0)
            err_set(ctx->err, sizeof ctx->err, ERR_FORMAT, "the agent refused to lock (status %d)", rc);
        return EXIT_FAILED;
    }
    sodium_bin2hex(id, sizeof id, held, PUBKEY_IDBYTES);
    printf("locked: the agent forgot key %s\n", id);
    return EXIT_DONE;
}

const command cmd_lock = {
    .name = "lock",
    .summary = "make your key agent forget your key (casework unlock starts it)",
    .help = NULL,
    .flags = 0,
    .args = {.options = NULL},
    .run = lock_run,
};
