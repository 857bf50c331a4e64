/*
 * case-readers.c: the names of a case's readers (see case-readers.h).
 */
#include "case-readers.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "errors.h"

/* Adds name once. */
static void add_name(case_readers *r, const char *name, size_t len)
{
    char copy[PUBKEY_NAME_MAX + 1];

    if (len > PUBKEY_NAME_MAX)
        len = PUBKEY_NAME_MAX;
    memcpy(copy, name, len);
    copy[len] = '\0';
    if (!pubkey_name_valid(copy))
        return;
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->names[i], copy) == 0)
            return;
    if (r->n < CASE_READERS_MAX)
        memcpy(r->names[r->n++], copy, len + 1);
}

typedef struct intro_lookup {
    const unsigned char *x25519;
    char name[PUBKEY_NAME_MAX + 1];
} intro_lookup;

/* 1 (which stops the walk) with the name when the entry introduces the key in ctx. */
static int introduction_name(void *ctx, const unsigned char *entry, size_t len)
{
    intro_lookup *l = ctx;
    audit_frame f;
    pubkey pk;

    if (audit_frame_parse(entry, len, &f) != 0 || f.kind != AUDIT_KIND_INTRO ||
        pubkey_parse(f.pub, &pk, NULL, 0) != 0 || memcmp(pk.x25519, l->x25519, 32) != 0)
        return 0;
    snprintf(l->name, sizeof l->name, "%s", pk.name);
    return 1;
}

/* The name of the reader with keys (x25519, ed25519), from the log or known; "" when unknown. */
static int name_of(store *s, const unsigned char *x25519, const unsigned char *ed25519, const pubkey *known,
                   size_t nknown, intro_lookup *l, char *err, size_t errlen)
{
    unsigned char id[PUBKEY_IDBYTES];
    int rc;

    l->x25519 = x25519;
    l->name[0] = '\0';
    for (size_t i = 0; i < nknown; i++)
        if (known[i].role == PUBKEY_ROLE_CASEWORKER && memcmp(known[i].x25519, x25519, 32) == 0) {
            snprintf(l->name, sizeof l->name, "%s", known[i].name);
            return 0;
        }
    if (ed25519 == NULL)
        return 0;
    pubkey_compute_id(PUBKEY_ROLE_CASEWORKER, x25519, ed25519, id);
    rc = store_audit_key_entry(s, id, introduction_name, l, err, errlen);
    return rc == 1 ? 0 : rc;
}

int case_readers_of(store *s, const case_data *d, const pubkey *known, size_t nknown, case_readers *out,
                    char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < d->nrecords; i++) {
        const case_record *r = &d->records[i];
        const field *signers[PUBKEY_MAX_RECIPIENTS];
        size_t nsigners = 0, nth = 0;
        if (r->forged)
            continue;
        if (r->kind == ENVELOPE_KIND_SHARE) {
            size_t len;
            const char *name = case_value(r, "name", &len);
            if (name != NULL)
                add_name(out, name, len);
            continue;
        }
        if (r->kind != ENVELOPE_KIND_REPORT)
            continue;
        /* The report names each recipient's X25519 key, then their Ed25519 keys in the same order. */
        for (size_t j = 0; j < r->nfields; j++)
            if (strcmp(r->fields[j].name, "signer_key") == 0 && r->fields[j].len == 32 && nsigners < PUBKEY_MAX_RECIPIENTS)
                signers[nsigners++] = &r->fields[j];
        for (size_t j = 0; j < r->nfields; j++) {
            intro_lookup l;
            int rc;
            if (strcmp(r->fields[j].name, "recipient") != 0 || r->fields[j].len != 32)
                continue;
            rc = name_of(s, r->fields[j].value, nth < nsigners ? signers[nth]->value : NULL, known, nknown, &l,
                         err, errlen);
            nth++;
            if (rc != 0)
                return rc;
            if (l.name[0] != '\0')
                add_name(out, l.name, strlen(l.name));
            else
                out->unnamed++;
        }
    }
    return 0;
}

int case_readers_check(const case_readers *r, const char *name, char *err, size_t errlen)
{
    char list[CASE_READERS_MAX * 24] = "";
    size_t used = 0;

    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->names[i], name) == 0)
            return 0;
    for (size_t i = 0; i < r->n && used + 1 < sizeof list; i++) {
        int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", r->names[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (used >= sizeof list)
        used = sizeof list - 1;
    return err_set(err, errlen, ERR_NOTFOUND, "no caseworker who can read this case is called '%s'%s%s%s%s "
                   "(names are exact; to hand the case to someone else, share it first: casework share CASE --with "
                   "THEIR.pub%s)", name, r->n ? ": " : "", r->n ? list : "", r->unnamed ? "; readers without a known name: " : "",
                   r->unnamed ? (r->unnamed == 1 ? "one" : "several") : "",
                   r->unnamed ? "; give the intake's recipients file with --auditors to name them" : "");
}
