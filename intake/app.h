/*
 * app.h: what every request handler of the intake shares: the store (one connection for writes,
 * which only the writer thread uses, and one for reads, used under its lock, so that a write
 * waiting for the database lock never holds up a status page), the recipients, the csrf key, the limits, and aggregate
 * counters (the only figures the intake ever logs).
 */
#ifndef SEA_INTAKE_APP_H
#define SEA_INTAKE_APP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "csrf.h"
#include "form.h"
#include "pubkey.h"
#include "store.h"

struct writer;
struct recent;

typedef struct intake_app {
    store *db;                          /* writes: reports and follow-ups, by the writer only */
    struct writer *writer;              /* the thread that owns db (writer.h), set by server_start */
    store *db_read;                     /* reads: receipts, replies, choices */
    store *db_checkpoint;               /* the writer's checkpoints (writer.h) */
    pthread_mutex_t read_lock;
    const pubkey *recipients;
    size_t nrecipients;
    unsigned char *recipient_pks;       /* 32 * nrecipients bytes, for envelope_seal */
    unsigned char *recipient_signers;   /* 32 * nrecipients: their Ed25519 keys, for replies' signatures */
    unsigned char csrf_key[CSRF_KEYBYTES];
    form_limits limits;
    const char *spool_dir;
    const char *db_dir;                 /* the database's folder: its file system's free space */
    uint64_t min_free;                  /* bytes a save must leave free there (--min-free-mb) */
    unsigned max_active;                /* saves queued for the database before answering 503 */
    uint64_t spool_budget;              /* bytes all uploads in progress may spool together */
    atomic_ullong spool_used;
    atomic_ulong reports_saved;
    atomic_ulong followups_saved;
    atomic_ulong requests_refused;      /* bad input, overload, errors */
    atomic_int stopping;                /* set by server_stop past its grace: no save is queued any more */
    atomic_llong probe_at;              /* /healthz: when the writer last probed (ms), and what */
    atomic_int probe_rc;                /* it found; one probe at a time (probing) */
    atomic_int probing;
    struct recent *recent;              /* follow-up forms sent lately (recent.h), or NULL */
} intake_app;

/* app_read_begin, app_read_end: take and release the read connection. */
store *app_read_begin(intake_app *app);
void app_read_end(intake_app *app);

/*
 * app_room_for: 1 when saving bytes more (twice: the write-ahead log, then the database) still
 * leaves min_free bytes free on the database's file system, room for casework to keep working
 * (its audit entries, notes, replies); 0 otherwise, and when the free space cannot be read.
 */
int app_room_for(const intake_app *app, uint64_t bytes);

/* app_overloaded: 1 when as many saves as max_active wait for the writer already. */
int app_overloaded(intake_app *app);

#endif
