/*
 * cmd-audit.c: `casework audit verify|head|log|export`, the auditor's commands, each a
 * subcommand entry of its own. None needs a secret key; each opens the database read-only (head,
 * log and export through CMD_NEEDS_DB_READONLY; verify itself, as with --file it needs none).
 *
 *   audit verify [--head SEQ:HASH] [--file FILE] [--keys FILE]
 *   audit head
 *   audit log [--case CASE] [--actor NAME] [--since YYYY-MM-DD] [--json]
 *   audit export --out FILE
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "bytes.h"
#include "caseref.h"
#include "command.h"
#include "day.h"
#include "errors.h"
#include "fileio.h"
#include "json.h"

#define EXPORT_MAX (512u * 1024 * 1024)

static int feed_entry(void *vctx, const unsigned char *entry, size_t len)
{
    void **pair = vctx;

    return audit_verify_next(pair[0], entry, len, pair[1], 512) != 0 ? ERR_AUTH : 0;
}

/* Feeds every entry of the export file at path to fn. */
static int each_exported(casework_ctx *ctx, const char *path,
                         int (*fn)(void *c, const unsigned char *e, size_t len), void *fnctx)
{
    unsigned char *buf;
    size_t len;
    char why[256];
    int rc = fileio_read_all(path, EXPORT_MAX, 0, &buf, &len, ctx->err, sizeof ctx->err);

    if (rc != 0)
        return rc;
    rc = audit_export_each(buf, len, fn, fnctx, why, sizeof why);
    free(buf);
    if (rc == ERR_FORMAT)
        return err_set(ctx->err, sizeof ctx->err, rc, "%s %s", path, why);
    return rc;
}

static int audit_verify_cmd(casework_ctx *ctx, const command_args *args)
{
    const char *head = command_args_get(args, "head"), *file = command_args_get(args, "file");
    const char *keys_path = command_args_get(args, "keys");
    unsigned char head_hash[AUDIT_HASHBYTES], last_hash[AUDIT_HASHBYTES];
    char hex[2 * AUDIT_HASHBYTES + 1];
    unsigned long long head_seq = 0;
    pubkey *keys = NULL;
    size_t nkeys = 0;
    audit_verifier *v = NULL;
    void *pair[2];
    uint64_t last;
    int rc = EXIT_FAILED;

    if (head != NULL) {
        const char *colon = strchr(head, ':');
        char *end;
        head_seq = strtoull(head, &end, 10);
        if (colon == NULL || end != colon || head_seq == 0 || audit_hash_parse(colon + 1, head_hash) != 0) {
            snprintf(ctx->err, sizeof ctx->err, "--head takes SEQ:HASH as printed by casework audit head");
            return EXIT_USAGE;
        }
    }
    if (keys_path != NULL && pubkey_load_file(keys_path, &keys, &nkeys, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    v = audit_verify_new(keys, nkeys, head_seq);
    if (v == NULL) {
        snprintf(ctx->err, sizeof ctx->err, "out of memory");
        goto out;
    }
    pair[0] = v;
    pair[1] = ctx->err;
    if (file != NULL) {
        if (each_exported(ctx, file, feed_entry, pair) != 0)
            goto out;
    } else if (audit_store_each(ctx->db, feed_entry, pair, ctx->err, sizeof ctx->err) != 0) {
        goto out;
    }
    if (audit_verify_finish(v, head_hash, ctx->err, sizeof ctx->err) != 0)
        goto out;
    last = audit_verify_last(v, last_hash);
    sodium_bin2hex(hex, sizeof hex, last_hash, sizeof last_hash);
    printf("audit log intact: %llu entr%s", (unsigned long long)last, last == 1 ? "y" : "ies");
    if (last > 0)
        printf(", head %llu:%s", (unsigned long long)last, hex);
    if (head_seq > 0)
        printf(", recorded head %llu still present", head_seq);
    printf("\n");
    rc = EXIT_DONE;
out:
    audit_verify_free(v);
    free(keys);
    return rc;
}

static int audit_head_cmd(casework_ctx *ctx, const command_args *args)
{
    unsigned char hash[AUDIT_HASHBYTES];
    char hex[2 * AUDIT_HASHBYTES + 1];
    uint64_t seq;

    (void)args;
    if (audit_store_head(ctx->db, &seq, hash, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    if (seq == 0) {
        snprintf(ctx->err, sizeof ctx->err, "the audit log is empty: there is no head to record yet");
        return EXIT_FAILED;
    }
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    printf("%llu:%s\n", (unsigned long long)seq, hex);
    return EXIT_DONE;
}

typedef struct log_filter {
    char case_ref[CASEREF_TEXT_SIZE];
    const char *actor;
    const char *since;
    int json;
    unsigned long shown;
    char *err;
} log_filter;

static int print_entry(void *vctx, const unsigned char *entry, size_t len)
{
    log_filter *lf = vctx;
    char id[2 * PUBKEY_IDBYTES + 1], key_note[8 + 2 * PUBKEY_IDBYTES];
    audit_entry e;
    size_t body_len;
    const char *details;

    if (audit_decode(entry, len, &e, &body_len) != 0)
        return err_set(lf->err, 512, ERR_FORMAT, "an audit entry is damaged (run casework audit verify)");
    if ((lf->case_ref[0] && strcmp(e.case_ref, lf->case_ref) != 0) ||
        (lf->actor != NULL && strcmp(e.actor, lf->actor) != 0) ||
        (lf->since != NULL && strncmp(e.time, lf->since, 10) < 0))
        return 0;
    sodium_bin2hex(id, sizeof id, e.key_id, sizeof e.key_id);
    /* A key-added entry's details are the whole public key line: the table shows its id. */
    snprintf(key_note, sizeof key_note, "key %s", id);
    details = strcmp(e.action, "key-added") == 0 ? key_note : e.details;
    if (lf->json) {
        printf("%s\n  {\"seq\": %llu, \"time\": ", lf->shown ? "," : "", (unsigned long long)e.seq);
        json_str(stdout, e.time);
        printf(", \"actor\": ");
        json_str(stdout, e.actor);
        printf(", \"key_id\": \"%s\", \"action\": ", id);
        json_str(stdout, e.action);
        printf(", \"case\": ");
        json_str(stdout, e.case_ref[0] ? e.case_ref : NULL);
        printf(", \"details\": ");
        json_str(stdout, e.details);
        printf("}");
    } else {
        printf("%-6llu %-20s %-20s %-16s %-11s %s\n", (unsigned long long)e.seq, e.time, e.actor,
               e.action, e.case_ref[0] ? e.case_ref : "-", details);
    }
    lf->shown++;
    return 0;
}

static int audit_log_cmd(casework_ctx *ctx, const command_args *args)
{
    log_filter lf = {.err = ctx->err, .actor = command_args_get(args, "actor"), .json = command_args_has(args, "json")};
    const char *case_ref = command_args_get(args, "case"), *since = command_args_get(args, "since");

    if (case_ref != NULL && caseref_normalize(case_ref, lf.case_ref) != 0) {
        snprintf(ctx->err, sizeof ctx->err, "%s is not a case reference (like K7QM3-XH9A2)", case_ref);
        return EXIT_USAGE;
    }
    lf.since = since;
    if (lf.json)
        printf("[");
    else
        printf("%-6s %-20s %-20s %-16s %-11s %s\n", "SEQ", "TIME (UTC)", "ACTOR", "ACTION", "CASE", "DETAILS");
    if (audit_store_each(ctx->db, print_entry, &lf, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    if (lf.json)
        printf("%s]\n", lf.shown ? "\n" : "");
    return EXIT_DONE;
}

typedef struct export_buf {
    unsigned char *data;
    size_t used;
} export_buf;

static int add_exported(void *vctx, const unsigned char *entry, size_t len)
{
    export_buf *b = vctx;
    unsigned char *bigger = realloc(b->data, b->used + 4 + len);

    if (bigger == NULL)
        return ERR_NOMEM;
    b->data = bigger;
    bytes_store32_le(bigger + b->used, (uint32_t)len);
    memcpy(bigger + b->used + 4, entry, len);
    b->used += 4 + len;
    return 0;
}

static int audit_export_cmd(casework_ctx *ctx, const command_args *args)
{
    const char *out = command_args_get(args, "out");
    export_buf b = {NULL, sizeof AUDIT_EXPORT_MAGIC - 1};
    int rc;

    b.data = malloc(b.used);
    if (b.data == NULL)
        return EXIT_FAILED;
    memcpy(b.data, AUDIT_EXPORT_MAGIC, b.used);
    rc = audit_store_each(ctx->db, add_exported, &b, ctx->err, sizeof ctx->err);
    if (rc == ERR_NOMEM)
        snprintf(ctx->err, sizeof ctx->err, "out of memory exporting the audit log");
    if (rc == 0)
        rc = fileio_create_exclusive(out, 0600, b.data, b.used, ctx->err, sizeof ctx->err);
    free(b.data);
    if (rc != 0)
        return EXIT_FAILED;
    printf("audit log exported to %s (check it anywhere with: casework audit verify --file %s)\n", out, out);
    return EXIT_DONE;
}

static const command_option verify_options[] = {
    {.name = "head", .flags = COMMAND_OPT_VALUE, .value_name = "SEQ:HASH"},
    {.name = "file", .flags = COMMAND_OPT_VALUE | COMMAND_OPT_NO_DB, .value_name = "FILE"},
    {.name = "keys", .flags = COMMAND_OPT_VALUE, .value_name = "FILE"},
    {.name = NULL}
};

static const command audit_verify = {
    .name = "verify",
    .summary = "exit 0 when the audit log (or an export, with --file) is intact; exit 1 naming the first bad entry",
    .flags = CMD_NEEDS_DB_READONLY,   /* none with --file */
    .args = {.options = verify_options},
    .run = audit_verify_cmd,
};

static const command audit_head = {
    .name = "head",
    .summary = "print the newest entry's sequence number and hash, to record elsewhere",
    .flags = CMD_NEEDS_DB_READONLY,
    .run = audit_head_cmd,
};

static const command_option log_options[] = {
    {.name = "case", .flags = COMMAND_OPT_VALUE, .value_name = "CASE"},
    {.name = "actor", .flags = COMMAND_OPT_VALUE, .value_name = "NAME"},
    {.name = "since", .flags = COMMAND_OPT_DAY, .value_name = "YYYY-MM-DD"},
    {.name = "json"},
    {.name = NULL}
};

static const command audit_log = {
    .name = "log",
    .summary = "who did what to which case, when, and whether it took effect",
    .flags = CMD_NEEDS_DB_READONLY,
    .args = {.options = log_options},
    .run = audit_log_cmd,
};

static const command_option export_options[] = {
    {.name = "out", .flags = COMMAND_OPT_VALUE | COMMAND_OPT_REQUIRED, .value_name = "FILE"},
    {.name = NULL}
};

static const command audit_export = {
    .name = "export",
    .summary = "write a self-contained copy of the log that audit verify --file checks offline",
    .flags = CMD_NEEDS_DB_READONLY,
    .args = {.options = export_options},
    .run = audit_export_cmd,
};

static const command *const audit_subcommands[] = {&audit_verify, &audit_head, &audit_log, &audit_export, NULL};

const command cmd_audit = {
    .name = "audit",
    .summary = "check the tamper-evident audit log, print its head, list or export it (no secret key needed)",
    .subcommands = audit_subcommands,
};
