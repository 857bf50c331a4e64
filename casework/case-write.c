/*
 * case-write.c: applying a change to a case (see case-write.h).
 */
#include "case-write.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-append.h"
#include "case-trust.h"
#include "errors.h"
#include "key-ops.h"
#include "record-sig.h"

#define CASE_RECORD_MIN 400   /* bytes of plaintext a short record is padded to */

int case_recipients(const case_data *d, unsigned char **pks, size_t *n)
{
    size_t cap = 0;

    *pks = NULL;
    *n = 0;
    for (size_t i = 0; i < d->nrecords; i++)
        cap += d->records[i].nfields;
    *pks = malloc(32 * (cap + 2));   /* room for also_to and the reporter */
    if (*pks == NULL)
        return ERR_NOMEM;
    for (size_t i = 0; i < d->nrecords; i++) {
        const case_record *r = &d->records[i];
        const char *name = r->forged ? NULL   /* nothing is ever sealed to a key a forgery names */
                         : r->kind == ENVELOPE_KIND_REPORT ? "recipient"
                         : r->kind == ENVELOPE_KIND_SHARE ? "x25519" : NULL;
        for (size_t j = 0; name != NULL && j < r->nfields; j++) {
            int dup = 0;
            if (strcmp(r->fields[j].name, name) != 0 || r->fields[j].len != 32)
                continue;
            for (size_t k = 0; k < *n; k++)
                dup |= memcmp(*pks + 32 * k, r->fields[j].value, 32) == 0;
            if (!dup)
                memcpy(*pks + 32 * (*n)++, r->fields[j].value, 32);
        }
    }
    if (*n == 0) {
        free(*pks);
        *pks = NULL;
        return ERR_FORMAT;
    }
    return 0;
}

int case_seal(const caseworker_key *k, const case_data *d, enum envelope_kind kind, const char *ref,
              const field *f, size_t n, const unsigned char *also_to, int to_reporter,
              unsigned char **env, size_t *env_len, char *err, size_t errlen)
{
    field all[FIELDS_MAX];
    unsigned char hash[32], sig[64], report_hash[32];
    size_t npks, nslots, len, signed_len, pk_len;
    const char *reporter_pk = case_value(case_first(d, ENVELOPE_KIND_REPORT), "reporter_pk", &pk_len);
    unsigned char *pks = NULL, *slots = NULL, *include = NULL, *plain = NULL;
    int rc;

    *env = NULL;
    *env_len = 0;
    if (n + 4 > FIELDS_MAX)
        return err_set(err, errlen, ERR_LIMIT, "the record has too many fields");
    if ((rc = case_recipients(d, &pks, &npks)) == ERR_NOMEM)
        return err_set(err, errlen, rc, "out of memory");
    if (rc != 0)
        return err_set(err, errlen, rc, "case %s names no recipient in its report (is it damaged?)", d->c.ref);
    if (also_to != NULL)
        memcpy(pks + 32 * npks++, also_to, 32);
    if (to_reporter && pk_len != 32) {
        free(pks);
        return err_set(err, errlen, ERR_FORMAT, "case %s has no reporter key, so a reply cannot reach the reporter", d->c.ref);
    }
    if (to_reporter)
        memcpy(pks + 32 * npks++, reporter_pk, 32);
    /* As many slots as the report has (one per configured recipient, dummies for those left out),
     * plus the extra readers this record has: its slot count says nothing of who was left out. */
    nslots = d->report_slots + (also_to != NULL) + (to_reporter != 0);
    if (nslots < npks)
        nslots = npks;
    slots = calloc(nslots, 32);
    include = calloc(nslots, 1);
    /* The fields, then who signs and the signature (record-sig.h). */
    memcpy(all, f, n * sizeof *f);
    {
        /* Bound to its case's report (case-trust.h). */
        const case_record *report = case_first(d, ENVELOPE_KIND_REPORT);
        if (report != NULL) {
            case_trust_report_hash(report->plain, report->len, report_hash);
            fields_set(&all[n++], "report_hash", report_hash, 32);
        }
    }
    {
        /* Short records all take CASE_RECORD_MIN bytes, so that their length (and so their
         * envelope's size bucket) says nothing of the category, severity or name they hold. */
        static const unsigned char zeros[CASE_RECORD_MIN];
        size_t base;
        fields_set(&all[n], "signer", k->pub.ed25519, 32);
        base = fields_encoded_size(all, n + 1) + RECORD_SIG_ENTRY_BYTES;
        if (base + 8 < CASE_RECORD_MIN) {
            fields_set(&all[n], "pad", zeros, CASE_RECORD_MIN - base - 8);
            n++;
        }
    }
    fields_set(&all[n], "signer", k->pub.ed25519, 32);
    signed_len = fields_encoded_size(all, n + 1);
    len = signed_len + RECORD_SIG_ENTRY_BYTES;
    plain = sodium_malloc(len);
    rc = slots == NULL || include == NULL || plain == NULL ? ERR_NOMEM : fields_encode(all, n + 1, plain);
    if (rc == 0) {
        record_sig_hash(ref, kind, plain, signed_len, hash);
        key_sign(k, hash, sizeof hash, sig);
        fields_set(&all[n + 1], "sig", sig, sizeof sig);
        rc = fields_encode(all, n + 2, plain);   /* the same bytes, and the signature after them */
    }
    if (rc != 0) {
        err_set(err, errlen, rc, rc == ERR_NOMEM ? "out of memory" : "the record has too many fields");
    } else {
        memcpy(slots, pks, 32 * npks);
        memset(include, 1, npks);   /* the rest are dummy slots */
        rc = envelope_seal(slots, nslots, include, kind, ref, plain, len, env, env_len, err, errlen);
    }
    sodium_free(plain);
    free(include);
    free(slots);
    free(pks);
    return rc;
}

/* The reason a refused or failed change gives in the audit log: the status that refused it. */
static void status_reason(const char *status, char *out, size_t cap)
{
    snprintf(out, cap, "the case was %s", status);
}

int case_apply(store *s, const caseworker_key *k, const char *typed_ref, case_change *ch,
               char *err, size_t errlen)
{
    unsigned char *env = NULL;
    size_t env_len = 0;
    case_data *d = NULL;
    store_case c, now;
    audit_attempt a;
    char reason[AUDIT_REASON_MAX + 1] = "", why[300];
    int rc, done = 0;

    if ((rc = case_find(s, typed_ref, &c, err, errlen)) != 0)
        return rc;
    /* What the case's status alone decides is checked before anything is written: the audit
     * entry of a refused change says so, and nothing is decrypted. */
    if (ch->check != NULL && !ch->check_needs_case && (rc = ch->check(ch, NULL, c.status, err, errlen)) != 0) {
        status_reason(c.status, reason, sizeof reason);
        if (audit_append_refused(s, k, ch->action, c.ref, ch->details, reason, why, sizeof why) != 0) {
            size_t used = strlen(err);
            snprintf(err + used, errlen - used, "; and the refusal could not be logged: %s", why);
        }
        return rc;
    }
    if ((rc = audit_begin(s, k, ch->action, c.ref, ch->details, &a, err, errlen)) != 0)
        return rc;
    if ((rc = case_load(s, k, &c, &d, err, errlen)) != 0)
        goto out;
    if (d->tampered) {
        rc = err_set(err, errlen, ERR_AUTH, "case %s was tampered with in the database (a report was added or replaced: "
                     "see casework show %s); nothing was written to it (restore the case from a backup)", c.ref, c.ref);
        goto out;
    }
    fields_set(&ch->fields[ch->nfields++], "by", k->pub.name, strlen(k->pub.name));
    if ((rc = case_seal(k, d, ch->kind, d->c.ref, ch->fields, ch->nfields, ch->also_to, ch->to_reporter,
                        &env, &env_len, err, errlen)) != 0)
        goto out;
    if ((rc = store_begin(s, err, errlen)) != 0)
        goto out;
    if ((rc = store_case_by_ref(s, c.ref, &now, err, errlen)) != 0)
        goto rollback;
    if (ch->check != NULL && (rc = ch->check(ch, d, now.status, err, errlen)) != 0) {
        if (ch->refusal != NULL)
            snprintf(reason, sizeof reason, "%s", ch->refusal);
        else
            status_reason(now.status, reason, sizeof reason);   /* changed since the first check */
        goto rollback;
    }
    /* The outcome "done" goes in with the change: one is written if and only if the other is. */
    if ((ch->in_transaction != NULL && (rc = ch->in_transaction(ch, s, k, &now, err, errlen)) != 0) ||
        (rc = audit_end_done_in(&a, "", err, errlen)) != 0 ||
        (rc = store_record_add(s, c.id, ch->to_reporter ? STORE_AUDIENCE_REPORTER : STORE_AUDIENCE_CASEWORKERS,
                               env, env_len, NULL, err, errlen)) != 0 ||
        (ch->new_status != NULL && (rc = store_case_set_status(s, c.id, ch->new_status, err, errlen)) != 0))
        goto rollback;
    rc = store_commit(s, err, errlen);
    done = rc == 0;
    goto out;
rollback:
    store_rollback(s);
out:
    if (done) {
        a.open = 0;   /* its outcome was committed with the change */
    } else if (audit_end(&a, 0, reason[0] ? reason : audit_reason_for(rc), "", why, sizeof why) != 0) {
        size_t used = strlen(err);
        snprintf(err + used, errlen - used, "; and its outcome could not be logged: %s", why);
    }
    free(env);
    case_free(d);
    return rc;
}
