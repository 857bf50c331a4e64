/*
 * cmd-unlock.c: `casework [--key K] unlock [--idle MINUTES]`: unlocks the key once (main.c asks
 * the passphrase, as for any command that needs the key) and leaves it with this user's key
 * agent (secretkey/agent.h), which later commands run with the same key file use instead of
 * asking. The agent forgets the key after MINUTES without use (default 15), on `casework lock`,
 * and at logout. When the agent holds this key already, main.c took it from there and unlock
 * says so (the agent's idle time starts again); when it holds another key, that agent forgets
 * it and a new one holds this key.
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "agent.h"
#include "command.h"
#include "errors.h"

#define IDLE_DEFAULT_MINUTES 15
#define IDLE_MAX_MINUTES (24 * 60)

/* The idle time in seconds: --idle, or for the tests CASEWORK_AGENT_IDLE_SECONDS (1 to a day). */
static long idle_seconds(const command_args *args)
{
    const char *env = getenv("CASEWORK_AGENT_IDLE_SECONDS");
    char *end;
    long s;

    if (env != NULL && env[0] != '\0') {
        errno = 0;
        s = strtol(env, &end, 10);
        if (errno == 0 && *end == '\0' && s >= 1 && s <= IDLE_MAX_MINUTES * 60L)
            return s;
    }
    return command_args_number(args, "idle", IDLE_DEFAULT_MINUTES) * 60;
}

static int unlock_run(casework_ctx *ctx, const command_args *args)
{
    char path[AGENT_PATH_MAX], id[2 * PUBKEY_IDBYTES + 1];
    unsigned char held[PUBKEY_IDBYTES];
    long idle = idle_seconds(args);
    int fd, st;
    pid_t pid;

    if (agent_socket_path(1, path, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    pubkey_id_hex(&ctx->key->pub, id);
    st = agent_request(path, AGENT_OP_STATUS, held, ctx->err, sizeof ctx->err);
    if (st == AGENT_ST_OK && sodium_memcmp(held, ctx->key->pub.key_id, PUBKEY_IDBYTES) == 0) {
        printf("already unlocked: the agent holds key %s (%s)\n", id, ctx->key->pub.name);
        return EXIT_DONE;
    }
    if (st == AGENT_ST_OK) {   /* another key: unlocking this one replaces it */
        char other[2 * PUBKEY_IDBYTES + 1];
        sodium_bin2hex(other, sizeof other, held, PUBKEY_IDBYTES);
        st = agent_request(path, AGENT_OP_LOCK, held, ctx->err, sizeof ctx->err);
        if (st != AGENT_ST_OK && st != ERR_NOTFOUND)
            return EXIT_FAILED;
        printf("the agent held another key (%s): it forgot it\n", other);
        st = ERR_NOTFOUND;
    }
    if (st != ERR_NOTFOUND)
        return EXIT_FAILED;
    ctx->err[0] = '\0';
    if ((fd = agent_listen(path, ctx->err, sizeof ctx->err)) < 0)
        return EXIT_FAILED;
    pid = agent_start(ctx->key, fd, path, idle, ctx->err, sizeof ctx->err);
    if (pid < 0)
        return EXIT_FAILED;
    if (idle % 60 == 0)
        printf("unlocked: key %s (%s) stays with the agent (pid %ld) until %ld minutes without use,\n",
               id, ctx->key->pub.name, (long)pid, idle / 60);
    else
        printf("unlocked: key %s (%s) stays with the agent (pid %ld) until %ld seconds without use,\n",
               id, ctx->key->pub.name, (long)pid, idle);
    printf("casework lock, or logout\n");
    return EXIT_DONE;
}

static const command_option unlock_options[] = {
    {.name = "idle", .flags = COMMAND_OPT_NUMBER, .value_name = "MINUTES", .min = 1, .max = IDLE_MAX_MINUTES},
    {.name = NULL}
};

const command cmd_unlock = {
    .name = "unlock",
    .summary = "unlock your key once: later commands with the same --key ask no passphrase",
    .help = "The key stays with a background agent of yours, which answers only you over a socket\n"
            "in $XDG_RUNTIME_DIR/casework (else /tmp/casework-UID), and forgets it after --idle\n"
            "MINUTES without use (default 15, at most a day), on `casework lock`, and at logout.",
    .flags = CMD_NEEDS_SECRET_KEY | CMD_ACCEPTS_AUDITOR_KEY,
    .args = {.options = unlock_options},
    .run = unlock_run,
};
