/*
 * cmd-audit.c: `casework audit verify|head|log|export`, the auditor's commands, each a
 * subcommand entry of its own. verify, head and export need no key; log needs the key of an
 * auditor (or of a caseworker, who reads the entries of their own actions). Each opens the
 * database read-only, or none with --file.
 *
 *   audit verify [--head SEQ:HASH] [--file FILE] [--keys FILE]
 *   audit head
 *   audit log [--head SEQ:HASH] [--keys FILE] [--case CASE] [--file FILE] [--actor TEXT]
 *             [--action NAME] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--json]
 *
 * audit log verifies every entry as it prints it and marks each that fails (then exits 1 at
 * the end), prints every field through the terminal filter (term.h), shows each entry's key id
 * and whether the action took effect, and warns when two keys share a name or no --keys was
 * given. Filters: --actor is a substring of the name in any case, --since and --until are
 * inclusive days (UTC); an entry that fails verification is shown whatever the filters.
 *   audit export --out FILE
 */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit-read.h"
#include "audit.h"
#include "caseref.h"
#include "command.h"
#include "day.h"
#include "errors.h"
#include "fileio.h"
#include "json.h"
#include "replica-set.h"
#include "term.h"

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
    char why[256] = "";
    int rc = fileio_read_all(path, EXPORT_MAX, 0, &buf, &len, ctx->err, sizeof ctx->err);

    if (rc != 0)
        return rc;
    rc = audit_export_each(buf, len, fn, fnctx, why, sizeof why);
    free(buf);
    if (rc == ERR_FORMAT && why[0] != '\0')   /* the export's framing, not what fn found */
        return err_set(ctx->err, sizeof ctx->err, rc, "%s %s", path, why);
    return rc;
}

/* The --head SEQ:HASH and --keys FILE (caseworkers' keys the auditor trusts) of verify and
 * log. Returns EXIT_DONE, or EXIT_USAGE / EXIT_FAILED with ctx->err set. */
static int head_and_keys(casework_ctx *ctx, const command_args *args, uint64_t *head_seq,
                         unsigned char head_hash[AUDIT_HASHBYTES], pubkey **keys, size_t *nkeys)
{
    const char *head = command_args_get(args, "head"), *keys_path = command_args_get(args, "keys");

    *head_seq = 0;
    memset(head_hash, 0, AUDIT_HASHBYTES);
    if (head != NULL) {
        const char *colon = strchr(head, ':');
        char *end;
        *head_seq = strtoull(head, &end, 10);
        if (colon == NULL || end != colon || *head_seq == 0 || audit_hash_parse(colon + 1, head_hash) != 0) {
            snprintf(ctx->err, sizeof ctx->err, "--head takes SEQ:HASH as printed by casework audit head");
            return EXIT_USAGE;
        }
    }
    if (keys_path != NULL &&
        pubkey_load_role(keys_path, PUBKEY_ROLE_CASEWORKER, keys, nkeys, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    return EXIT_DONE;
}

/* Verifies one log: the database db's, or the export file; prefix goes before the line. */
static int verify_one(casework_ctx *ctx, store *db, const char *file, uint64_t head_seq,
                      const unsigned char head_hash[AUDIT_HASHBYTES], const pubkey *keys, size_t nkeys,
                      const char *prefix)
{
    unsigned char last_hash[AUDIT_HASHBYTES];
    char hex[2 * AUDIT_HASHBYTES + 1];
    audit_verifier *v = audit_verify_new(keys, nkeys, head_seq);
    void *pair[2] = {v, ctx->err};
    uint64_t last;
    int rc = EXIT_FAILED;

    if (v == NULL) {
        snprintf(ctx->err, sizeof ctx->err, "out of memory");
        return EXIT_FAILED;
    }
    if (file != NULL) {
        if (each_exported(ctx, file, feed_entry, pair) != 0)
            goto out;
    } else if (audit_store_each(db, feed_entry, pair, ctx->err, sizeof ctx->err) != 0) {
        goto out;
    }
    if (audit_verify_finish(v, head_hash, ctx->err, sizeof ctx->err) != 0)
        goto out;
    last = audit_verify_last(v, last_hash);
    sodium_bin2hex(hex, sizeof hex, last_hash, sizeof last_hash);
    printf("%s", prefix);
    if (audit_verify_first(v) > 1)
        printf("audit log intact: entries %llu to %llu (1 to %llu are sealed in the old log, which casework audit "
               "log checks with an auditor's key)", (unsigned long long)audit_verify_first(v), (unsigned long long)last,
               (unsigned long long)audit_verify_first(v) - 1);
    else
        printf("audit log intact: %llu entr%s", (unsigned long long)last, last == 1 ? "y" : "ies");
    if (last > 0)
        printf(", head %llu:%s", (unsigned long long)last, hex);
    if (head_seq > 0)
        printf(", recorded head %llu still present", (unsigned long long)head_seq);
    printf("\n");
    rc = EXIT_DONE;
out:
    audit_verify_free(v);
    return rc;
}

/* 1 when the command works on the log of one origin, which a replica of several intakes must
 * be told with --origin (else err says so). */
static int one_origin(casework_ctx *ctx, const char *what)
{
    const replica_set *set = ctx->origins;
    char names[256];

    if (set == NULL || set->n == 1)
        return 1;
    replica_set_names(set, names, sizeof names);
    snprintf(ctx->err, sizeof ctx->err, "this replica holds the audit logs of several intakes: say whose %s with "
             "--origin NAME (one of %s)", what, names);
    return 0;
}

static int audit_verify_cmd(casework_ctx *ctx, const command_args *args)
{
    const char *file = command_args_get(args, "file");
    const replica_set *set = ctx->origins;
    unsigned char head_hash[AUDIT_HASHBYTES];
    uint64_t head_seq = 0;
    pubkey *keys = NULL;
    size_t nkeys = 0;
    int rc;

    if ((rc = head_and_keys(ctx, args, &head_seq, head_hash, &keys, &nkeys)) != EXIT_DONE)
        return rc;
    if (file != NULL || set->n == 1)
        rc = verify_one(ctx, ctx->db, file, head_seq, head_hash, keys, nkeys, "");
    else if (head_seq > 0 && !one_origin(ctx, "head --head names"))
        rc = EXIT_USAGE;
    for (size_t i = 0; file == NULL && set->n > 1 && rc == EXIT_DONE && i < set->n; i++) {
        char prefix[STORE_ORIGIN_NAME_MAX + 4];
        snprintf(prefix, sizeof prefix, "%s: ", set->o[i].name);
        rc = verify_one(ctx, set->o[i].db, NULL, 0, head_hash, keys, nkeys, prefix);
        if (rc != EXIT_DONE) {
            char why[sizeof ctx->err - STORE_ORIGIN_NAME_MAX - 16];
            snprintf(why, sizeof why, "%.*s", (int)sizeof why - 1, ctx->err);
            snprintf(ctx->err, sizeof ctx->err, "origin %s: %s", set->o[i].name, why);
        }
    }
    free(keys);
    return rc;
}

static int audit_head_cmd(casework_ctx *ctx, const command_args *args)
{
    unsigned char hash[AUDIT_HASHBYTES];
    char hex[2 * AUDIT_HASHBYTES + 1];
    uint64_t seq;

    (void)args;
    if (!one_origin(ctx, "head to print"))
        return EXIT_USAGE;
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
    const char *actor;   /* a substring of the name, any case */
    const char *action;
    const char *since, *until;
    int json;
    unsigned long shown, sealed;
} log_filter;

/* 1 when needle is in hay, ignoring ASCII case. */
static int contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    for (; *hay != '\0'; hay++) {
        size_t i = 0;
        while (i < n && hay[i] != '\0' && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return n == 0;
}

/* 1 when the filters leave the item out. An entry that fails verification is always shown:
 * nothing it says can be trusted, not even the fields a filter would look at. */
static int filtered_out(const log_filter *lf, const audit_item *it)
{
    const audit_entry *e = &it->e;

    if (it->failed)
        return 0;
    return (lf->case_ref[0] && (it->sealed || strcmp(e->case_ref, lf->case_ref) != 0)) ||
           (lf->actor != NULL && !contains_nocase(e->actor, lf->actor)) ||
           (lf->action != NULL && (it->sealed || strcmp(e->action, lf->action) != 0)) ||
           (lf->since != NULL && (it->sealed || strncmp(e->time, lf->since, 10) < 0)) ||
           (lf->until != NULL && (it->sealed || strncmp(e->time, lf->until, 10) > 0));
}

/* What the OUTCOME column says: whether the action took effect (audit.h). */
static void outcome_text(const audit_item *it, char *out, size_t cap)
{
    const audit_entry *e = &it->e;
    char reason[AUDIT_REASON_MAX + 1];

    term_safe_copy(reason, sizeof reason, e->reason, strlen(e->reason));
    if (it->sealed || it->old || (e->outcome == AUDIT_OUTCOME_NONE && strcmp(e->action, "key-added") == 0))
        snprintf(out, cap, "-");
    else if (e->outcome == AUDIT_OUTCOME_BEGUN)
        snprintf(out, cap, "begun (its outcome follows)");
    else if (e->outcome == AUDIT_OUTCOME_REFUSED)
        snprintf(out, cap, "refused: %s", reason);
    else if ((e->outcome == AUDIT_OUTCOME_DONE || e->outcome == AUDIT_OUTCOME_FAILED) && it->outcome_of > 0)
        snprintf(out, cap, "%s (of %llu)%s%s", audit_outcome_name(e->outcome), (unsigned long long)it->outcome_of,
                 reason[0] ? ": " : "", reason);
    else
        snprintf(out, cap, "%s%s%s", audit_outcome_name(e->outcome), reason[0] ? ": " : "", reason);
}

static int print_item(void *vctx, const audit_item *it)
{
    log_filter *lf = vctx;
    const audit_entry *e = &it->e;
    char id[2 * PUBKEY_IDBYTES + 1] = "", readers[64] = "", outcome[AUDIT_REASON_MAX + 64];
    char time[AUDIT_TIME_MAX + 1], actor[PUBKEY_NAME_MAX + 1], action[AUDIT_ACTION_MAX + 1];
    char ref[CASEREF_TEXT_SIZE], details[AUDIT_DETAILS_MAX + 1], why[sizeof it->why];

    if (it->sealed && !it->failed)
        lf->sealed++;
    if (filtered_out(lf, it))
        return 0;
    if (!(it->sealed && it->old))
        sodium_bin2hex(id, sizeof id, e->key_id, sizeof e->key_id);
    if (it->sealed && it->readers > 0)
        snprintf(readers, sizeof readers, "sealed to %d reader%s, not to this key", it->readers,
                 it->readers == 1 ? "" : "s");
    /* Every field goes through the terminal filter: an entry may have been written by anyone
     * holding a key the log introduced. */
    term_safe_copy(time, sizeof time, e->time, strlen(e->time));
    term_safe_copy(actor, sizeof actor, e->actor, strlen(e->actor));
    term_safe_copy(action, sizeof action, e->action, strlen(e->action));
    term_safe_copy(ref, sizeof ref, e->case_ref, strlen(e->case_ref));
    term_safe_copy(details, sizeof details, e->details, strlen(e->details));
    term_safe_copy(why, sizeof why, it->why, strlen(it->why));
    outcome_text(it, outcome, sizeof outcome);
    if (lf->json) {
        printf("%s\n  {\"seq\": %llu, \"verified\": %s, \"problem\": ", lf->shown ? "," : "",
               (unsigned long long)e->seq, it->failed ? "false" : "true");
        json_str(stdout, it->failed ? it->why : NULL);
        printf(", \"sealed\": %s, \"old\": %s, \"readers\": %d, \"time\": ", it->sealed ? "true" : "false",
               it->old ? "true" : "false", it->readers);
        json_str(stdout, it->sealed ? NULL : e->time);
        printf(", \"actor\": ");
        json_str(stdout, e->actor[0] ? e->actor : NULL);
        printf(", \"key_id\": ");
        json_str(stdout, id[0] ? id : NULL);
        printf(", \"action\": ");
        json_str(stdout, it->sealed ? NULL : e->action);
        printf(", \"case\": ");
        json_str(stdout, e->case_ref[0] ? e->case_ref : NULL);
        printf(", \"details\": ");
        json_str(stdout, it->sealed ? NULL : e->details);
        printf(", \"outcome\": ");
        json_str(stdout, it->sealed || it->old || e->outcome == AUDIT_OUTCOME_NONE ? NULL : audit_outcome_name(e->outcome));
        printf(", \"outcome_of\": ");
        if (it->outcome_of > 0)
            printf("%llu", (unsigned long long)it->outcome_of);
        else
            printf("null");
        printf(", \"reason\": ");
        json_str(stdout, it->sealed || e->reason[0] == '\0' ? NULL : e->reason);
        printf("}");
    } else if (it->sealed && it->old) {
        printf("%-6s %s\n", "1-", "(the entries before the upgrade: sealed to the auditors, not to this key)");
    } else {
        /* A key-added entry's details are the whole public key line: KEY shows its id. */
        const char *shown = it->sealed ? readers : strcmp(e->action, "key-added") == 0 ? "" : details;
        printf("%-6llu %-20s %-16s %-16s %-12s %-11s %-12s %s\n", (unsigned long long)e->seq,
               it->sealed ? "(sealed)" : time, it->failed ? "?" : actor[0] ? actor : "-", id[0] ? id : "-",
               it->sealed ? "(sealed)" : action, e->case_ref[0] ? ref : "-", outcome, shown);
    }
    if (it->failed && !lf->json)
        printf("%s       ^ entry %llu FAILS VERIFICATION: %s: do not believe what it says%s\n", term_warn(),
               (unsigned long long)e->seq, why, term_reset());
    lf->shown++;
    return 0;
}

/* Warns (on stderr) when two of the keys share a name: their entries are told apart only by
 * their key ids. keys are the log's introductions, then the trusted keys. */
static void warn_shared_names(const pubkey *a, size_t na, const pubkey *b, size_t nb)
{
    size_t n = na + nb;

    for (size_t i = 0; i < n; i++) {
        const pubkey *p = i < na ? &a[i] : &b[i - na];
        for (size_t j = i + 1; j < n; j++) {
            const pubkey *q = j < na ? &a[j] : &b[j - na];
            char name[PUBKEY_NAME_MAX + 1], pid[2 * PUBKEY_IDBYTES + 1], qid[2 * PUBKEY_IDBYTES + 1];
            if (memcmp(p->key_id, q->key_id, PUBKEY_IDBYTES) == 0 || strcasecmp(p->name, q->name) != 0)
                continue;
            term_safe_copy(name, sizeof name, p->name, strlen(p->name));
            sodium_bin2hex(pid, sizeof pid, p->key_id, PUBKEY_IDBYTES);
            sodium_bin2hex(qid, sizeof qid, q->key_id, PUBKEY_IDBYTES);
            fprintf(stderr, "casework audit log: warning: keys %s and %s both carry the name \"%s\": only the KEY "
                    "column tells their entries apart (check both with the caseworker, and give --keys FILE)\n",
                    pid, qid, name);
        }
    }
}

static int feed_reader(void *vctx, const unsigned char *entry, size_t len)
{
    void **pair = vctx;

    return audit_reader_next(pair[0], entry, len, pair[1], 512);
}

/*
 * Whose log `audit log --case` reads, on a replica of several intakes: ORIGIN:REF names it; a
 * plain REF, the origin whose cases hold it (a purged case is in none: then say which). The
 * reference (less its origin) is left in *typed. Returns EXIT_DONE with *db, or an error.
 */
static int case_log(casework_ctx *ctx, const char **typed, store **db)
{
    const replica_set *set = ctx->origins;
    const char *colon = strchr(*typed, ':');
    char origin[STORE_ORIGIN_NAME_MAX + 1], ref[CASEREF_TEXT_SIZE];
    size_t which;

    if (colon != NULL) {
        size_t len = (size_t)(colon - *typed);
        snprintf(origin, sizeof origin, "%.*s", (int)(len > STORE_ORIGIN_NAME_MAX ? STORE_ORIGIN_NAME_MAX : len), *typed);
        *typed = colon + 1;
        if (set == NULL)
            return EXIT_DONE;   /* --file: an export is one log */
        if (len > STORE_ORIGIN_NAME_MAX || (*db = replica_set_store_named(set, origin)) == NULL) {
            snprintf(ctx->err, sizeof ctx->err, "no origin %s here (see casework list)", origin);
            return EXIT_FAILED;
        }
        return EXIT_DONE;
    }
    if (set == NULL || set->n == 1)
        return EXIT_DONE;
    if (replica_set_find_case(set, *typed, &which, ref, ctx->err, sizeof ctx->err) != 0) {
        snprintf(ctx->err, sizeof ctx->err, "say whose log to read: --case ORIGIN:REF or --origin NAME (a purged "
                 "case is in no intake's list any more)");
        return EXIT_USAGE;
    }
    *db = set->o[which].db;
    return EXIT_DONE;
}

static int audit_log_cmd(casework_ctx *ctx, const command_args *args)
{
    log_filter lf = {.actor = command_args_get(args, "actor"), .action = command_args_get(args, "action"),
                     .since = command_args_get(args, "since"), .until = command_args_get(args, "until"),
                     .json = command_args_has(args, "json")};
    const char *case_ref = command_args_get(args, "case"), *file = command_args_get(args, "file");
    unsigned char head_hash[AUDIT_HASHBYTES];
    unsigned long failures;
    const pubkey *introduced;
    size_t nintroduced;
    uint64_t head_seq;
    pubkey *keys = NULL;
    size_t nkeys = 0;
    audit_reader *r;
    void *pair[2];
    int rc;

    store *db = ctx->db;

    if (case_ref != NULL && (rc = case_log(ctx, &case_ref, &db)) != EXIT_DONE)
        return rc;
    if (case_ref != NULL && caseref_normalize(case_ref, lf.case_ref) != 0) {
        snprintf(ctx->err, sizeof ctx->err, "%s is not a case reference (like K7QM3-XH9A2)", case_ref);
        return EXIT_USAGE;
    }
    if (lf.since != NULL && lf.until != NULL && strcmp(lf.since, lf.until) > 0) {
        snprintf(ctx->err, sizeof ctx->err, "--since %s is after --until %s: nothing could be shown", lf.since, lf.until);
        return EXIT_USAGE;
    }
    if (case_ref == NULL && file == NULL && !one_origin(ctx, "log to read"))
        return EXIT_USAGE;
    if ((rc = head_and_keys(ctx, args, &head_seq, head_hash, &keys, &nkeys)) != EXIT_DONE)
        return rc;
    if ((r = audit_reader_new(ctx->key, keys, nkeys, head_seq, head_hash, print_item, &lf)) == NULL) {
        free(keys);
        snprintf(ctx->err, sizeof ctx->err, "out of memory");
        return EXIT_FAILED;
    }
    audit_reader_mark_failures(r);
    if (command_args_get(args, "keys") == NULL)
        fprintf(stderr, "casework audit log: warning: no --keys given: every key the log introduces is taken at the "
                "name it gives itself, so a key someone added under a caseworker's name would pass as theirs; give "
                "--keys FILE (the caseworkers' .pub lines) and compare the KEY column\n");
    if (lf.json)
        printf("[");
    else
        printf("%-6s %-20s %-16s %-16s %-12s %-11s %-12s %s\n", "SEQ", "TIME (UTC)", "ACTOR", "KEY", "ACTION", "CASE",
               "OUTCOME", "DETAILS");
    pair[0] = r;
    pair[1] = ctx->err;
    rc = file != NULL ? each_exported(ctx, file, feed_reader, pair)
                      : audit_store_each(db, feed_reader, pair, ctx->err, sizeof ctx->err);
    if (rc == 0)
        rc = audit_reader_finish(r, ctx->err, sizeof ctx->err);
    failures = audit_reader_failures(r);
    introduced = audit_reader_keys(r, &nintroduced);
    if (lf.json)
        printf("%s]\n", lf.shown ? "\n" : "");
    warn_shared_names(introduced, nintroduced, keys, nkeys);
    audit_reader_free(r);
    free(keys);
    if (rc == 0 && failures > 0)
        snprintf(ctx->err, sizeof ctx->err, "%lu audit entr%s FAIL%s verification (marked above): do not believe what "
                 "%s; check the log with casework audit verify, and restore it from a backup or an export",
                 failures, failures == 1 ? "y" : "ies", failures == 1 ? "S" : "", failures == 1 ? "it says" : "they say");
    if (rc != 0 || failures > 0)
        return EXIT_FAILED;
    if (lf.sealed > 0 && ctx->key->pub.role == PUBKEY_ROLE_AUDITOR)
        fprintf(stderr, "casework audit log: %lu entr%s not sealed to this auditor (written without --auditors, or "
                "before this auditor was listed): DETAILS says how many readers each has\n",
                lf.sealed, lf.sealed == 1 ? "y is" : "ies are");
    else if (lf.sealed > 0)
        fprintf(stderr, "casework audit log: %lu entr%s sealed to other readers (an auditor's key reads every entry)\n",
                lf.sealed, lf.sealed == 1 ? "y is" : "ies are");
    return EXIT_DONE;
}

static int audit_export_cmd(casework_ctx *ctx, const command_args *args)
{
    const char *out = command_args_get(args, "out");
    unsigned char *buf;
    size_t len;
    int rc;

    if (!one_origin(ctx, "log to export"))
        return EXIT_USAGE;
    if (audit_store_export(ctx->db, &buf, &len, ctx->err, sizeof ctx->err) != 0)
        return EXIT_FAILED;
    rc = fileio_create_exclusive(out, 0600, buf, len, ctx->err, sizeof ctx->err);
    free(buf);
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
    {.name = "head", .flags = COMMAND_OPT_VALUE, .value_name = "SEQ:HASH"},
    {.name = "keys", .flags = COMMAND_OPT_VALUE, .value_name = "FILE"},
    {.name = "case", .flags = COMMAND_OPT_VALUE, .value_name = "CASE"},
    {.name = "file", .flags = COMMAND_OPT_VALUE | COMMAND_OPT_NO_DB, .value_name = "FILE"},
    {.name = "actor", .flags = COMMAND_OPT_VALUE, .value_name = "TEXT"},
    {.name = "action", .flags = COMMAND_OPT_VALUE, .value_name = "NAME"},
    {.name = "since", .flags = COMMAND_OPT_DAY, .value_name = "YYYY-MM-DD"},
    {.name = "until", .flags = COMMAND_OPT_DAY, .value_name = "YYYY-MM-DD"},
    {.name = "json"},
    {.name = NULL}
};

static const command audit_log = {
    .name = "log",
    .summary = "who did what to which case, when, and whether it took effect (needs an auditor's key, or a caseworker's for their own actions)",
    .flags = CMD_NEEDS_DB_READONLY | CMD_NEEDS_SECRET_KEY | CMD_ACCEPTS_AUDITOR_KEY,   /* no database with --file */
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
    .summary = "check the tamper-evident audit log, print its head or export it (no key needed), or read it (an auditor's key)",
    .subcommands = audit_subcommands,
};
