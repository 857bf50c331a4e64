/*
 * case-share.c: handing a case over to one more caseworker (see case-share.h).
 */
#include "case-share.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case-index.h"
#include "case-write.h"
#include "errors.h"

typedef struct reseal_ctx {
    store *s;
    const caseworker_key *k;
    char *err;
    size_t errlen;
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
    rc = envelope_add_recipient(rs->k->pub.x25519, rs->k->x25519_sk, rs->c->ref,
                                r->envelope, r->envelope_len, rs->to->x25519, &env, &len,
                                rs->err, rs->errlen);
    if (rc == ERR_NOT_RECIPIENT)
        return 0;
    if (rc == 0)
        rc = store_record_replace(rs->s, r->id, env, len, rs->err, rs->errlen);
    free(env);
    if (rc != 0) {
        rs->rc = rc;
        return 1;
    }
    rs->done++;
    return 0;
}

/* Refuses anyone the reporter left out, and anyone who can read the case already. */
static int share_check(case_change *ch, const case_data *d, const char *status, char *err, size_t errlen)
{
    share_result *sd = ch->user;
    unsigned char *pks = NULL;
    size_t n = 0;
    const case_record *report = case_first(d, ENVELOPE_KIND_REPORT);
    case_state st;
    int already = 0;

    (void)status;
    case_state_of(d, &st);
    sd->restricted = st.restricted;
    case_state_wipe(&st);
    for (size_t i = 0; i < report->nfields; i++) {
        const field *f = &report->fields[i];
        if (strcmp(f->name, "excluded") == 0 && f->len == strlen(sd->id) && memcmp(f->value, sd->id, f->len) == 0) {
            ch->refusal = "the reporter left that caseworker out";
            return err_set(err, errlen, ERR_FORMAT, "the reporter left %s (%s) out of case %s: it cannot be shared with them",
                           sd->to->name, sd->id, d->c.ref);
        }
    }
    if (case_recipients(d, &pks, &n) == 0)
        for (size_t i = 0; i < n; i++)
            already |= memcmp(pks + 32 * i, sd->to->x25519, 32) == 0;
    free(pks);
    if (already) {
        ch->refusal = "that caseworker can read the case already";
        return err_set(err, errlen, ERR_EXISTS, "%s can read case %s already (nothing was changed)", sd->to->name, d->c.ref);
    }
    return 0;
}

/* Gives the new reader a slot in every record of the case the sharer can open. */
static int share_reseal(case_change *ch, store *s, const caseworker_key *k, const store_case *c,
                        char *err, size_t errlen)
{
    share_result *sd = ch->user;
    reseal_ctx rs = {.s = s, .k = k, .err = err, .errlen = errlen, .c = c, .to = sd->to};
    int rc = store_records_each(s, c->id, 0, reseal, &rs, err, errlen);

    sd->resealed = rs.done;
    if (rc == 0 && rs.rc == 0) {
        /* The new reader's own index has passed these records by: every index starts again. */
        uint64_t generation;
        rc = store_index_generation(s, 1, &generation, err, errlen);
    }
    return rc != 0 ? rc : rs.rc;
}

int case_share(store *s, const caseworker_key *k, const char *typed_ref, const pubkey *to,
               share_result *res, char *err, size_t errlen)
{
    case_change ch = {.action = "share", .kind = ENVELOPE_KIND_SHARE, .reason = "", .check = share_check,
                      .check_needs_case = 1, .in_transaction = share_reseal, .user = res};

    memset(res, 0, sizeof *res);
    res->to = to;
    pubkey_id_hex(to, res->id);
    if (to->role != PUBKEY_ROLE_CASEWORKER)
        return err_set(err, errlen, ERR_FORMAT, "%s (%s) is an auditor's key: it reads the audit log and no case; share with a caseworker's .pub",
                       to->name, res->id);
    snprintf(ch.details, sizeof ch.details, "with=%s", res->id);
    ch.also_to = to->x25519;
    fields_set(&ch.fields[ch.nfields++], "x25519", to->x25519, 32);
    fields_set(&ch.fields[ch.nfields++], "name", to->name, strlen(to->name));
    fields_set(&ch.fields[ch.nfields++], "key_id", res->id, strlen(res->id));
    fields_set(&ch.fields[ch.nfields++], "ed25519", to->ed25519, 32);   /* now a signer of the case */
    return case_apply(s, k, typed_ref, &ch, err, errlen);
}
