/*
 * cmd-share.c: `casework share CASE --with PUBFILE`: a recipient hands a case over to another
 * caseworker (absence, handover): every record of the case that the sharer can open gets one
 * more key slot, for the new caseworker, and a share record names them, so later notes and
 * replies reach them too. A caseworker the reporter left out is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "case-index.h"
#include "case-write.h"
#include "command.h"
#include "errors.h"
#include "fileio.h"

typedef struct reseal_ctx {
    casework_ctx *ctx;
    const store_case *c;
    const pubkey *to;
    size_t done;
    int rc;
} reseal_ctx;

static int reseal(void *vctx, const store_record *r)
{
    reseal_ctx *rs = vctx;
    unsigned char *env = NULL;
    size_t len;
    int rc;

    if (r->audience == STORE_AUDIENCE_RECEIPT_BOX)
        return 0;
    rc = envelope_add_recipient(rs->ctx->key->pub.x25519, rs->ctx->key->x25519_sk, rs->c->ref,
                                r->envelope, r->envelope_len, rs->to->x25519, &env, &len,
                                rs->ctx->err, sizeof rs->ctx->err);
    if (rc == ERR_NOT_RECIPIENT)
        return 0;
    if (rc == 0)
        rc = store_record_replace(rs->ctx->db, r->id, env, len, rs->ctx->err, sizeof rs->ctx->err);
    free(env);
    if (rc != 0) {
        rs->rc = rc;
        return 1;
    }
    rs->done++;
    return 0;
}

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

typedef struct share_data {
    pubkey to;
    char id[2 * PUBKEY_IDBYTES + 1];
    int restricted;
    size_t resealed;
} share_data;

/* Refuses anyone the reporter left out, and anyone who can read the case already. */
static int share_check(case_change *ch, const case_data *d, const char *status, char *err, size_t errlen)
{
    share_data *sd = ch->user;
    unsigned char *pks = NULL;
    size_t n = 0;
    case_state st;
    int already = 0;

    (void)status;
    case_state_of(d, &st);
    sd->restricted = st.restricted;
    for (size_t i = 0; i < st.report->nfields; i++) {
        const field *f = &st.report->fields[i];
        if (strcmp(f->name, "excluded") == 0 && f->len == strlen(sd->id) && memcmp(f->value, sd->id, f->len) == 0)
            return err_set(err, errlen, ERR_FORMAT, "the reporter left %s (%s) out of case %s: it cannot be shared with them",
                           sd->to.name, sd->id, d->c.ref);
    }
    if (case_recipients(d, &pks, &n) == 0)
        for (size_t i = 0; i < n; i++)
            already |= memcmp(pks + 32 * i, sd->to.x25519, 32) == 0;
    free(pks);
    if (already)
        return err_set(err, errlen, ERR_EXISTS, "%s can read case %s already (nothing was changed)", sd->to.name, d->c.ref);
    return 0;
}

/* Gives the new reader a slot in every record of the case the sharer can open. */
static int share_reseal(case_change *ch, casework_ctx *ctx, const store_case *c)
{
    share_data *sd = ch->user;
    reseal_ctx rs = {.ctx = ctx, .c = c, .to = &sd->to};
    int rc = store_records_each(ctx->db, c->id, 0, reseal, &rs, ctx->err, sizeof ctx->err);

    sd->resealed = rs.done;
    /* The new reader's case index has passed these records by: make it start again. A failure
     * here costs nothing but a stale index until the next share or purge. */
    if (rc == 0 && rs.rc == 0)
        (void)case_index_forget(ctx->db, sd->to.key_id);
    return rc != 0 ? rc : rs.rc;
}

static int share_run(casework_ctx *ctx, const command_args *args)
{
    share_data sd = {0};
    case_change ch = {.action = "share", .kind = ENVELOPE_KIND_SHARE, .reason = "", .check = share_check,
                      .in_transaction = share_reseal, .user = &sd};
    const char *ref = args->positional[0];
    const char *with = command_args_get(args, "with");

    if (load_pub(ctx, with, &sd.to) != 0)
        return EXIT_FAILED;
    pubkey_id_hex(&sd.to, sd.id);
    snprintf(ch.details, sizeof ch.details, "with=%s", sd.id);
    ch.also_to = sd.to.x25519;
    fields_set(&ch.fields[ch.nfields++], "x25519", sd.to.x25519, 32);
    fields_set(&ch.fields[ch.nfields++], "name", sd.to.name, strlen(sd.to.name));
    fields_set(&ch.fields[ch.nfields++], "key_id", sd.id, strlen(sd.id));
    if (case_apply(ctx, ref, &ch) != EXIT_DONE)
        return EXIT_FAILED;
    if (sd.restricted)
        printf("note: the reporter restricted this case; sharing it was your decision, and it is logged\n");
    printf("%s shared with %s (%s): %zu record(s) resealed\n", ref, sd.to.name, sd.id, sd.resealed);
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
