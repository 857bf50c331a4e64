/*
 * case-purge.c: erasing closed cases for good (see case-purge.h).
 */
#include "case-purge.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-append.h"
#include "case-index.h"
#include "case-write.h"
#include "day.h"
#include "errors.h"
#include "store-sync.h"
#include "vocab.h"

/* What every step of a purge works with. */
typedef struct purge_env {
    store *db;
    const caseworker_key *key;
    char *err;
    size_t errlen;
} purge_env;

typedef struct purge_item {
    int64_t case_id;
    int64_t last_record;       /* the case's newest record when it was read */
    char ref[CASEREF_TEXT_SIZE];
    char closed[DAY_TEXT_SIZE];
    unsigned char *figures;
    size_t len;
} purge_item;

struct purge_plan {
    char before[DAY_TEXT_SIZE];
    purge_item *items;
    size_t n;
};

/* Seals the figures of d (whose state is st) for its recipients and the purging caseworker. */
static int seal_figures(purge_env *env, const case_data *d, const case_state *st, purge_item *item)
{
    char year[5];
    field fl[CASE_STATE_FIGURES];
    size_t n = case_state_figures(st, year, fl);

    return case_seal(env->key, d, ENVELOPE_KIND_FIGURES, "figures", fl, n, env->key->pub.x25519, 0, &item->figures,
                     &item->len, env->err, env->errlen);
}

/*
 * Erases the cases in one transaction, with the outcome "done" of each erased case's attempt
 * (attempts[i], begun) in it. A case that changed since it was read (reopened, or given a new
 * record by another caseworker) is left alone: kept[i] is set. *erased gets the count.
 */
static int store_purge(purge_env *env, purge_item *items, size_t n, audit_attempt *attempts, int *kept,
                       size_t *erased)
{
    int rc = store_begin(env->db, env->err, env->errlen);

    *erased = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int gone = 0;
        rc = store_case_erase(env->db, items[i].case_id, items[i].last_record, items[i].figures,
                              items[i].len, &gone, env->err, env->errlen);
        if (rc == 0 && gone)
            rc = audit_end_done_in(&attempts[i], "", env->err, env->errlen);
        kept[i] = !gone;
        *erased += (size_t)gone;
    }
    /* Every caseworker's own index is rebuilt, so that none keeps what the erased cases said. */
    if (rc == 0 && *erased > 0) {
        uint64_t generation;
        rc = store_index_generation(env->db, 1, &generation, env->err, env->errlen);
    }
    if (rc != 0) {
        store_rollback(env->db);
        *erased = 0;
        return rc;
    }
    return store_commit(env->db, env->err, env->errlen);
}

typedef struct purge_walk {
    purge_env *env;
    const char *before;
    purge_item *items;
    size_t n, cap;
    purge_result *res;
    int rc;
} purge_walk;

/* Counts a damaged case and names the first ones in the result. */
static void note_damaged(purge_result *res, const char *ref, const char *why)
{
    if (res->ndamaged < PURGE_DAMAGED_NAMED) {
        snprintf(res->damaged[res->ndamaged].ref, sizeof res->damaged[res->ndamaged].ref, "%s", ref);
        snprintf(res->damaged[res->ndamaged].why, sizeof res->damaged[res->ndamaged].why, "%s", why);
    }
    res->ndamaged++;
}

/* Reads one closed case and, when it was closed before the date, seals its figures. */
static int consider(void *ctx, const store_case *c)
{
    purge_walk *w = ctx;
    case_data *d = NULL;
    case_state st = {0};
    int64_t last;
    char why[512];
    int rc;

    if ((rc = store_case_last_record(w->env->db, c->id, &last, w->env->err, w->env->errlen)) != 0)
        goto fail;
    rc = case_load(w->env->db, w->env->key, c, &d, why, sizeof why);
    if (rc == ERR_NOT_RECIPIENT) {
        w->res->not_mine++;
        return 0;
    }
    if (rc != 0) {
        /* A damaged case is named and kept; the others are still purged. */
        note_damaged(w->res, c->ref, why);
        return 0;
    }
    case_state_of(d, &st);
    if (st.closed[0] != '\0' && strcmp(st.closed, w->before) < 0) {
        unsigned pending;
        if ((rc = store_sync_outbox_pending(w->env->db, c->ref, &pending, w->env->err, w->env->errlen)) != 0)
            goto fail;
        if (pending & ((1u << STORE_OUTBOX_RECORD_ADDED) | (1u << STORE_OUTBOX_RECORD_RESEALED) |
                       (1u << STORE_OUTBOX_STATUS_SET))) {
            w->res->unsynced++;
            case_state_wipe(&st);
            case_free(d);
            return 0;
        }
        if (w->n == w->cap) {
            size_t cap = w->cap ? 2 * w->cap : 16;
            purge_item *bigger = realloc(w->items, cap * sizeof *bigger);
            if (bigger == NULL) {
                rc = err_set(w->env->err, w->env->errlen, ERR_NOMEM, "out of memory");
                goto fail;
            }
            w->items = bigger;
            w->cap = cap;
        }
        memset(&w->items[w->n], 0, sizeof w->items[w->n]);
        w->items[w->n].case_id = c->id;
        w->items[w->n].last_record = last;
        snprintf(w->items[w->n].ref, sizeof w->items[w->n].ref, "%s", c->ref);
        snprintf(w->items[w->n].closed, sizeof w->items[w->n].closed, "%s", st.closed);
        if ((rc = seal_figures(w->env, d, &st, &w->items[w->n])) != 0)
            goto fail;
        w->n++;
    }
    case_state_wipe(&st);
    case_free(d);
    return 0;
fail:
    case_state_wipe(&st);
    case_free(d);
    w->rc = rc;
    return 1;
}

int case_purge_plan(store *s, const caseworker_key *k, const char *before, int dry_run, purge_plan **out,
                    purge_result *res, char *err, size_t errlen)
{
    purge_env env = {s, k, err, errlen};
    purge_walk w = {.env = &env, .before = before, .res = res};
    char details[64], today[DAY_TEXT_SIZE];
    purge_plan *plan;
    int rc;

    *out = NULL;
    memset(res, 0, sizeof *res);
    if (!day_valid(before))
        return err_set(err, errlen, ERR_FORMAT, "give --closed-before YYYY-MM-DD");
    day_today(today);
    if (strcmp(before, today) > 0)
        return err_set(err, errlen, ERR_FORMAT, "--closed-before %s is in the future (today is %s): give a day "
                       "no later than today; cases closed today can be purged from tomorrow", before, today);
    plan = calloc(1, sizeof *plan);
    if (plan == NULL)
        return err_set(err, errlen, ERR_NOMEM, "out of memory");
    snprintf(plan->before, sizeof plan->before, "%s", before);
    snprintf(details, sizeof details, "closed-before=%s%s", before, dry_run ? " dry-run" : "");
    if ((rc = audit_append(s, k, "purge", "", details, err, errlen)) != 0) {
        free(plan);
        return rc;
    }
    rc = store_cases_each(s, vocab_statuses.values[VOCAB_STATUS_CLOSED], consider, &w, err, errlen);
    if (rc == 1)
        rc = w.rc;
    plan->items = w.items;
    plan->n = w.n;
    if (rc != 0) {
        purge_plan_free(plan);
        return rc;
    }
    *out = plan;
    return 0;
}

size_t purge_plan_count(const purge_plan *plan)
{
    return plan != NULL ? plan->n : 0;
}

void purge_plan_case(const purge_plan *plan, size_t i, const char **ref, const char **closed)
{
    *ref = plan->items[i].ref;
    *closed = plan->items[i].closed;
}

int case_purge_apply(store *s, const caseworker_key *k, const purge_plan *plan, purge_result *res,
                     char *err, size_t errlen)
{
    purge_env env = {s, k, err, errlen};
    audit_attempt *attempts = calloc(plan->n + 1, sizeof *attempts);
    int *kept = calloc(plan->n + 1, sizeof *kept);
    char details[64], why[300];
    size_t erased = 0, begun = 0;
    int rc = 0;

    if (attempts == NULL || kept == NULL) {
        free(attempts);
        free(kept);
        return err_set(err, errlen, ERR_NOMEM, "out of memory");
    }
    snprintf(details, sizeof details, "closed-before=%s", plan->before);
    /* Each case's attempt is in the log before it is erased; its outcome says what happened. */
    for (; rc == 0 && begun < plan->n; begun++)
        if ((rc = audit_begin(s, k, "purge", plan->items[begun].ref, details, &attempts[begun], err, errlen)) != 0)
            break;
    if (rc == 0 && plan->n > 0)
        rc = store_purge(&env, plan->items, plan->n, attempts, kept, &erased);
    for (size_t i = 0; i < begun; i++)
        if (rc != 0 || kept[i])   /* (an erased case's "done" went in with the erasure) */
            (void)audit_end(&attempts[i], 0, rc != 0 ? audit_reason_for(rc) : "changed while purging: kept", NULL,
                            why, sizeof why);
    free(attempts);
    free(kept);
    if (rc != 0)
        return rc;
    res->erased = erased;
    res->changed = plan->n - erased;
    /* Also when nothing was due: a purge run again finishes what a busy reader held up. */
    return store_reclaim(s, err, errlen);
}

void purge_plan_free(purge_plan *plan)
{
    if (plan == NULL)
        return;
    for (size_t i = 0; i < plan->n; i++)
        free(plan->items[i].figures);
    free(plan->items);
    free(plan);
}
