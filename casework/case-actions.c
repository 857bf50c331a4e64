/*
 * case-actions.c: the caseworker's actions on a case, each a case_change (see case-actions.h).
 */
#include "case-actions.h"

#include <stdio.h>
#include <string.h>

#include "case-readers.h"
#include "case-write.h"
#include "errors.h"
#include "pubkey.h"
#include "vocab.h"
#include "workflow.h"

#define STATUS(id) (vocab_statuses.values[VOCAB_STATUS_##id])

/* Adds name=value to ch's record. */
static void add(case_change *ch, const char *name, const char *value)
{
    fields_set(&ch->fields[ch->nfields++], name, value, strlen(value));
}

/* Refuses a value outside its vocabulary (the caller should have said what is valid). */
static int check_value(const vocab *v, const char *value, char *err, size_t errlen)
{
    if (vocab_has(v, value))
        return 0;
    return err_set(err, errlen, ERR_FORMAT, "unknown %s '%s' (%s)", v->name, value != NULL ? value : "", v->list);
}

static int triage_check(case_change *ch, const case_data *d, const char *status,
                        char *err, size_t errlen)
{
    int rc = workflow_check_open(ch, d, status, err, errlen);

    if (rc != 0)
        return rc;
    /* A new case becomes triaged; a case further along keeps its status. */
    ch->new_status = strcmp(status, STATUS(NEW)) == 0 ? STATUS(TRIAGED) : NULL;
    return 0;
}

int case_triage(store *s, const caseworker_key *k, const char *ref, const char *category,
                const char *severity, char *err, size_t errlen)
{
    case_change ch = {.action = "triage", .kind = ENVELOPE_KIND_TRIAGE, .check = triage_check, .reason = ""};
    int rc;

    if (category == NULL && severity == NULL)
        return err_set(err, errlen, ERR_FORMAT, "give a category, a severity or both");
    if ((category != NULL && (rc = check_value(&vocab_categories, category, err, errlen)) != 0) ||
        (severity != NULL && (rc = check_value(&vocab_severities, severity, err, errlen)) != 0))
        return rc;
    add(&ch, "action", "triage");
    if (category != NULL)
        add(&ch, "category", category);
    if (severity != NULL)
        add(&ch, "severity", severity);
    return case_apply(s, k, ref, &ch, err, errlen);
}

/* What assign_check needs besides the case. */
typedef struct assign_ctx {
    store *s;
    const pubkey *known;
    size_t nknown;
    const char *to;
} assign_ctx;

/* A case_change check: the case is open and (with d) the assignee is one of its readers. */
static int assign_check(case_change *ch, const case_data *d, const char *status, char *err, size_t errlen)
{
    const assign_ctx *a = ch->user;
    case_readers readers;
    int rc = workflow_check_open(ch, d, status, err, errlen);

    if (rc != 0 || d == NULL)
        return rc;   /* (first on the stored status alone; the readers once the case is read) */
    rc = case_readers_of(a->s, d, a->known, a->nknown, &readers, err, errlen);
    if (rc == 0 && (rc = case_readers_check(&readers, a->to, err, errlen)) != 0)
        ch->refusal = "no caseworker who reads the case has that name";
    return rc;
}

int case_assign(store *s, const caseworker_key *k, const char *ref, const char *to, const pubkey *known,
                size_t nknown, char *err, size_t errlen)
{
    assign_ctx a = {s, known, nknown, to};
    case_change ch = {.action = "assign", .kind = ENVELOPE_KIND_TRIAGE, .check = assign_check, .reason = "",
                      .user = &a};

    if (!pubkey_name_valid(to))
        return err_set(err, errlen, ERR_FORMAT, "an assignee is a name of 1 to %d characters", PUBKEY_NAME_MAX);
    snprintf(ch.details, sizeof ch.details, "to=%s", to);
    add(&ch, "action", "assign");
    add(&ch, "assignee", to);
    return case_apply(s, k, ref, &ch, err, errlen);
}

int case_set_status(store *s, const caseworker_key *k, const char *ref, const char *status,
                    const char *reason, char *err, size_t errlen)
{
    case_change ch = {.action = "status", .kind = ENVELOPE_KIND_TRIAGE, .check = workflow_check_status,
                      .reason = reason != NULL ? reason : ""};
    int rc;

    if ((rc = check_value(&vocab_statuses, status, err, errlen)) != 0)
        return rc;
    ch.new_status = status;
    snprintf(ch.details, sizeof ch.details, "status=%s", status);
    add(&ch, "action", "status");
    add(&ch, "status", status);
    if (ch.reason[0] != '\0')
        add(&ch, "reason", ch.reason);
    return case_apply(s, k, ref, &ch, err, errlen);
}

int case_close(store *s, const caseworker_key *k, const char *ref, const char *outcome,
               const char *reason, char *err, size_t errlen)
{
    case_change ch = {.action = "close", .kind = ENVELOPE_KIND_TRIAGE, .check = workflow_check_status,
                      .new_status = STATUS(CLOSED), .reason = ""};
    int rc;

    if ((rc = check_value(&vocab_outcomes, outcome, err, errlen)) != 0)
        return rc;
    snprintf(ch.details, sizeof ch.details, "outcome=%s", outcome);
    add(&ch, "action", "close");
    add(&ch, "status", STATUS(CLOSED));
    add(&ch, "outcome", outcome);
    add(&ch, "reason", reason);
    return case_apply(s, k, ref, &ch, err, errlen);
}

/* A note or a reply: a text record. */
static int add_text(store *s, const caseworker_key *k, const char *ref, const char *action,
                    enum envelope_kind kind, const char *text, char *err, size_t errlen)
{
    case_change ch = {.action = action, .kind = kind, .to_reporter = kind == ENVELOPE_KIND_REPLY, .reason = ""};

    add(&ch, "text", text);
    return case_apply(s, k, ref, &ch, err, errlen);
}

int case_note(store *s, const caseworker_key *k, const char *ref, const char *text,
              char *err, size_t errlen)
{
    return add_text(s, k, ref, "note", ENVELOPE_KIND_NOTE, text, err, errlen);
}

int case_reply(store *s, const caseworker_key *k, const char *ref, const char *text,
               char *err, size_t errlen)
{
    return add_text(s, k, ref, "reply", ENVELOPE_KIND_REPLY, text, err, errlen);
}
