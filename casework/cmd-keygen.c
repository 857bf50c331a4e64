/*
 * cmd-keygen.c: `casework keygen [--auditor] --out PATH [--name NAME] [--passphrase-file F]`:
 * creates a caseworker's key pair, or with --auditor an auditor's (one that reads the audit log
 * and no case; its key id says so, see keyfile.h), the secret file (0600, wrapped under a
 * passphrase that libpwquality judges strong enough) and PATH.pub.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "errors.h"
#include "keyfile.h"
#include "passphrase.h"
#include "passphrase-strength.h"

static int keygen_run(casework_ctx *ctx, const command_args *args)
{
    const char *out = command_args_get(args, "out"), *name = command_args_get(args, "name");
    int role = command_args_has(args, "auditor") ? PUBKEY_ROLE_AUDITOR : PUBKEY_ROLE_CASEWORKER;
    const char *pass_file = command_args_has(args, "passphrase-file") ? command_args_get(args, "passphrase-file")
                                                                        : ctx->passphrase_file;
    char *pass = NULL;
    size_t pass_len;
    caseworker_key *k = NULL;
    int rc = EXIT_FAILED;

    if (name == NULL)
        name = getenv("USER") != NULL && pubkey_name_valid(getenv("USER")) ? getenv("USER")
               : role == PUBKEY_ROLE_AUDITOR ? "auditor" : "caseworker";
    if (!pubkey_name_valid(name)) {
        err_set(ctx->err, sizeof ctx->err, ERR_FORMAT, "--name must be 1 to %d bytes of text without control characters or outer spaces", PUBKEY_NAME_MAX);
        return EXIT_USAGE;
    }
    /* Refuse before asking for a passphrase; keyfile_write checks again with O_EXCL. */
    if (keyfile_check_free(out, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    if (passphrase_get(pass_file, "Passphrase for the new key: ", 1, &pass, &pass_len, ctx->err, sizeof ctx->err) != 0)
        goto out;
    if (passphrase_strong_enough(pass, name, ctx->err, sizeof ctx->err) != 0)
        goto out;
    k = keyfile_generate(name, role);
    if (k == NULL) {
        err_set(ctx->err, sizeof ctx->err, ERR_NOMEM, "cannot generate keys (out of locked memory?)");
        goto out;
    }
    if (keyfile_write(out, k, pass, pass_len, keyfile_default_limits(), ctx->err, sizeof ctx->err) != 0)
        goto out;
    {
        char id[2 * PUBKEY_IDBYTES + 1];
        pubkey_id_hex(&k->pub, id);
        if (role == PUBKEY_ROLE_AUDITOR)
            printf("an auditor's key: it reads the audit log (casework audit log) and no case\n"
                   "secret key: %s (keep it; it is useless without the passphrase)\n"
                   "public key: %s.pub (give it to the caseworkers (casework --auditors FILE); the intake\n"
                   "            never offers an auditor to reporters and skips it in its recipients file)\n"
                   "key id:     %s\nname:       %s\n", out, out, id, k->pub.name);
        else
            printf("secret key: %s (keep it; it is useless without the passphrase)\n"
                   "public key: %s.pub (give it to whoever runs the intake)\n"
                   "key id:     %s\nname:       %s\n", out, out, id, k->pub.name);
    }
    rc = EXIT_DONE;
out:
    keyfile_free(k);
    passphrase_free(pass);
    return rc;
}

static const command_option keygen_options[] = {
    {.name = "out", .flags = COMMAND_OPT_VALUE | COMMAND_OPT_REQUIRED, .value_name = "PATH"},
    {.name = "name", .flags = COMMAND_OPT_VALUE, .value_name = "NAME"},
    {.name = "passphrase-file", .flags = COMMAND_OPT_VALUE, .value_name = "F"},
    {.name = "auditor"},
    {.name = NULL}
};

const command cmd_keygen = {
    .name = "keygen",
    .summary = "create a key pair, a caseworker's or (--auditor) an auditor's: PATH (secret) and PATH.pub",
    .help = "--auditor makes an auditor's key instead: it reads the audit log and no case. Its\n"
            "PATH.pub (a cwaud1 line) goes to the caseworkers (casework --auditors FILE); the\n"
            "intake never offers an auditor to reporters.",
    .flags = 0,
    .args = {.options = keygen_options},
    .run = keygen_run,
};
