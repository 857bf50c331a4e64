/*
 * command-table.c: the one table of casework commands, and the lookup by exact name.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "command.h"
#include "errors.h"
#include "workflow.h"

extern const command cmd_assign;
extern const command cmd_audit;
extern const command cmd_close;
extern const command cmd_export;
extern const command cmd_keygen;
extern const command cmd_list;
extern const command cmd_lock;
extern const command cmd_note;
extern const command cmd_purge;
extern const command cmd_reply;
extern const command cmd_share;
extern const command cmd_show;
extern const command cmd_stats;
extern const command cmd_sync;
extern const command cmd_serve_sync;
extern const command cmd_sync_snapshot;
extern const command cmd_status;
extern const command cmd_triage;
extern const command cmd_unlock;

static const command *const table[] = {
    &cmd_list,
    &cmd_show,
    &cmd_triage,
    &cmd_assign,
    &cmd_status,
    &cmd_note,
    &cmd_reply,
    &cmd_close,
    &cmd_export,
    &cmd_share,
    &cmd_purge,
    &cmd_stats,
    &cmd_sync,
    &cmd_serve_sync,
    &cmd_sync_snapshot,
    &cmd_keygen,
    &cmd_unlock,
    &cmd_lock,
    &cmd_audit,
    NULL
};

int command_run_text(casework_ctx *ctx, const command_args *args, const char *what,
                     int (*act)(struct store *s, const struct caseworker_key *k, const char *ref,
                                const char *text, char *err, size_t errlen),
                     const char *done_before, const char *done_after)
{
    const char *ref = args->positional[0];
    char *text = NULL;
    int rc;

    if ((rc = workflow_text(command_args_get(args, "message"), command_args_get(args, "file"), what, &text, ctx->err,
                            sizeof ctx->err)) != 0)
        return rc == ERR_LIMIT ? EXIT_USAGE : EXIT_FAILED;
    rc = act(ctx->db, ctx->key, ref, text, ctx->err, sizeof ctx->err);
    sodium_free(text);
    if (rc != 0)
        return EXIT_FAILED;
    printf("%s%s%s", done_before, ref, done_after);
    return EXIT_DONE;
}

const command *const *command_list(void)
{
    return table;
}

const command *command_find_in(const command *const *list, const char *name)
{
    for (size_t i = 0; list != NULL && list[i] != NULL; i++)
        if (strcmp(list[i]->name, name) == 0)
            return list[i];
    return NULL;
}

/* The optimal string alignment distance between a and b (each at most 31 bytes counted), or a
 * large number for longer words. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), d[32][32];

    if (la > 31 || lb > 31)
        return 99;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

const command *command_nearest(const command *const *list, const char *name)
{
    const command *prefixed = NULL, *nearest = NULL;
    size_t n_prefixed = 0, best = 3, n_best = 0;

    if (list == NULL || name[0] == '\0')
        return NULL;
    for (size_t i = 0; list[i] != NULL; i++) {
        size_t dist = edit_distance(name, list[i]->name);
        if (strncmp(list[i]->name, name, strlen(name)) == 0) {
            prefixed = list[i];
            n_prefixed++;
        }
        if (dist < best) {
            best = dist;
            nearest = list[i];
            n_best = 1;
        } else if (dist == best) {
            n_best++;
        }
    }
    if (n_prefixed == 1)
        return prefixed;
    return n_best == 1 ? nearest : NULL;
}

const command *command_find(const char *name)
{
    return command_find_in(table, name);
}
