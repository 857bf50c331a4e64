/*
 * cmd-purge.c: `casework purge --closed-before YYYY-MM-DD`: erases for good the closed cases
 * whose closing day is before the date (records, attachments and their chunks; secure_delete
 * zeroes the freed pages, which are then given back to the file system, and the WAL is
 * truncated). Each leaves one sealed record of the figures the annual statistics need (day of
 * arrival, category, sex and age band as given, outcome, days of acknowledgement and closing),
 * and nothing else. Writes its audit entry first.
 */
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-append.h"
#include "case-index.h"
#include "case-write.h"
#include "command.h"
#include "day.h"
#include "errors.h"

typedef struct purge_item {
    int64_t case_id;
    int64_t last_record;       /* the case's newest record when it was read */
    char ref[CASEREF_TEXT_SIZE];
    unsigned char *figures;
    size_t len;
} purge_item;

/* The day the case was last closed, and its outcome; 0 when it has no close record. */
static int closing(const case_data *d, char day[DAY_TEXT_SIZE], const case_record **rec)
{
    *rec = NULL;
    for (size_t i = 0; i < d->nrecords; i++)
        if (d->records[i].kind == ENVELOPE_KIND_TRIAGE && case_value_is(&d->records[i], "action", "close"))
            *rec = &d->records[i];
    if (*rec == NULL)
        return 0;
    snprintf(day, DAY_TEXT_SIZE, "%s", (*rec)->day);
    return 1;
}

/* Seals the figures of d for its recipients and the purging caseworker. */
static int seal_figures(casework_ctx *ctx, const case_data *d, const case_record *closed,
                        const char *closed_day, purge_item *item)
{
    case_state st;
    char year[8];
    const char *v;
    size_t len, n = 0, npks;
    unsigned char *pks = NULL, *plain;
    field fl[10];
    int rc;

    case_state_of(d, &st);
    snprintf(year, sizeof year, "%.4s", d->c.received);
    fields_set(&fl[n++], "year", year, strlen(year));
    fields_set(&fl[n++], "received", d->c.received, strlen(d->c.received));
    fields_set(&fl[n++], "category", st.category, st.category_len);
    v = case_value(st.report, "sex", &len);
    fields_set(&fl[n++], "sex", v, len);
    v = case_value(st.report, "age_band", &len);
    fields_set(&fl[n++], "age_band", v, len);
    v = case_value(closed, "outcome", &len);
    fields_set(&fl[n++], "outcome", v, len);
    fields_set(&fl[n++], "ack_day", st.acknowledged, strlen(st.acknowledged));
    fields_set(&fl[n++], "closed_day", closed_day, strlen(closed_day));
    if ((rc = case_recipients(d, &pks, &npks)) != 0)
        return rc;
    memcpy(pks + 32 * npks++, ctx->key->pub.x25519, 32);
    len = fields_encoded_size(fl, n);
    plain = sodium_malloc(len);
    rc = plain == NULL ? ERR_NOMEM : fields_encode(fl, n, plain);
    if (rc == 0)
        rc = envelope_seal(pks, npks, NULL, ENVELOPE_KIND_FIGURES, "figures", plain, len,
                           &item->figures, &item->len, ctx->err, sizeof ctx->err);
    sodium_free(plain);
    free(pks);
    return rc;
}

static int64_t last_record_of(store *s, int64_t case_id)
{
    sqlite3_stmt *st;
    int64_t id = 0;

    if (sqlite3_prepare_v2(store_db(s), "SELECT max(id) FROM records WHERE case_id = ?", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, case_id);
        if (sqlite3_step(st) == SQLITE_ROW)
            id = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    return id;
}

/*
 * Erases the cases in one transaction. A case that changed since it was read (reopened, or
 * given a new record by another caseworker) is left alone. *erased gets the count.
 */
static int store_purge(casework_ctx *ctx, purge_item *items, size_t n, size_t *erased)
{
    sqlite3 *db = store_db(ctx->db);
    int rc = store_begin(ctx->db, ctx->err, sizeof ctx->err);

    *erased = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "DELETE FROM cases WHERE id = ?1 AND status = 'closed'"
                                   " AND (SELECT max(id) FROM records WHERE case_id = ?1) = ?2", -1, &st, NULL) != SQLITE_OK) {
            rc = ERR_IO;
            break;
        }
        sqlite3_bind_int64(st, 1, items[i].case_id);
        sqlite3_bind_int64(st, 2, items[i].last_record);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : ERR_IO;
        sqlite3_finalize(st);
        if (rc != 0 || sqlite3_changes(db) == 0)
            continue;   /* changed meanwhile: kept */
        if (sqlite3_prepare_v2(db, "INSERT INTO retained_figures(envelope) VALUES (?)", -1, &st, NULL) != SQLITE_OK) {
            rc = ERR_IO;
            break;
        }
        sqlite3_bind_blob(st, 1, items[i].figures, (int)items[i].len, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : ERR_IO;
        sqlite3_finalize(st);
        (*erased)++;
    }
    /* Every caseworker's index is rebuilt: it may hold the erased cases. */
    if (rc == 0 && *erased > 0)
        rc = case_index_forget(ctx->db, NULL);
    if (rc != 0) {
        if (ctx->err[0] == '\0')
            snprintf(ctx->err, sizeof ctx->err, "purging failed, nothing was erased: %s", sqlite3_errmsg(db));
        store_rollback(ctx->db);
        return rc;
    }
    if ((rc = store_commit(ctx->db, ctx->err, sizeof ctx->err)) != 0)
        return rc;
    /* Give the zeroed pages back and empty the WAL, which held copies of them. */
    sqlite3_exec(db, "PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);", NULL, NULL, NULL);
    return 0;
}

static int purge_run(casework_ctx *ctx, const command_args *args)
{
    const char *before = command_args_get(args, "closed-before");
    char details[64];
    purge_item *items = NULL;
    size_t n = 0, cap = 0, not_mine = 0, damaged = 0, erased = 0;
    sqlite3_stmt *st;
    int rc = EXIT_FAILED;

    if (!day_valid(before)) {
        snprintf(ctx->err, sizeof ctx->err, "give --closed-before YYYY-MM-DD");
        return EXIT_USAGE;
    }
    snprintf(details, sizeof details, "closed-before=%s", before);
    if (audit_append(ctx->db, ctx->key, "purge", "", details, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    if (sqlite3_prepare_v2(store_db(ctx->db), "SELECT id, ref, received, status FROM cases WHERE status = 'closed' ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK) {
        snprintf(ctx->err, sizeof ctx->err, "cannot read the cases: %s", sqlite3_errmsg(store_db(ctx->db)));
        return EXIT_FAILED;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        store_case sc = {0};
        case_data *d = NULL;
        const case_record *closed;
        char day[DAY_TEXT_SIZE], err[512];
        sc.id = sqlite3_column_int64(st, 0);
        snprintf(sc.ref, sizeof sc.ref, "%s", (const char *)sqlite3_column_text(st, 1));
        snprintf(sc.received, sizeof sc.received, "%s", (const char *)sqlite3_column_text(st, 2));
        snprintf(sc.status, sizeof sc.status, "%s", (const char *)sqlite3_column_text(st, 3));
        int64_t last = last_record_of(ctx->db, sc.id);
        int load = case_load(ctx->db, ctx->key, &sc, &d, err, sizeof err);
        if (load == ERR_NOT_RECIPIENT) {
            not_mine++;
            continue;
        }
        if (load != 0) {
            /* A damaged case is named and kept; the others are still purged. */
            fprintf(stderr, "casework purge: %s\n", err);
            damaged++;
            continue;
        }
        if (closing(d, day, &closed) && strcmp(day, before) < 0) {
            if (n == cap) {
                cap = cap ? 2 * cap : 16;
                purge_item *bigger = realloc(items, cap * sizeof *bigger);
                if (bigger == NULL) {
                    case_free(d);
                    goto out;
                }
                items = bigger;
            }
            items[n].case_id = sc.id;
            items[n].last_record = last;
            snprintf(items[n].ref, sizeof items[n].ref, "%s", sc.ref);
            if (seal_figures(ctx, d, closed, day, &items[n]) != 0) {
                case_free(d);
                goto out;
            }
            n++;
        }
        case_free(d);
    }
    /* Each case gets its own audit entry before it is erased. */
    for (size_t i = 0; i < n; i++)
        if (audit_append(ctx->db, ctx->key, "purge", items[i].ref, details, ctx->err, sizeof ctx->err) != 0)
            goto out;
    if (n > 0 && store_purge(ctx, items, n, &erased) != 0)
        goto out;
    printf("purged %zu closed case(s) closed before %s", erased, before);
    if (erased < n)
        printf("; %zu changed while purging and were kept", n - erased);
    if (not_mine > 0)
        printf("; %zu closed case(s) you cannot read were left alone", not_mine);
    printf("\n");
    if (damaged > 0) {
        snprintf(ctx->err, sizeof ctx->err, "%zu closed case(s) could not be read (named above) and were kept", damaged);
        goto out;
    }
    rc = EXIT_DONE;
out:
    sqlite3_finalize(st);
    for (size_t i = 0; i < n; i++)
        free(items[i].figures);
    free(items);
    return rc;
}

static const command_option purge_options[] = {
    {.name = "closed-before", .flags = COMMAND_OPT_VALUE | COMMAND_OPT_REQUIRED, .value_name = "YYYY-MM-DD"},
    {.name = NULL}
};

const command cmd_purge = {
    .name = "purge",
    .summary = "erase closed cases for good, keeping only their figures for the statistics",
    .flags = CMD_NEEDS_DB | CMD_NEEDS_SECRET_KEY,
    .args = {.options = purge_options},
    .run = purge_run,
};
