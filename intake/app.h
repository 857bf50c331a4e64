/*
 * app.h: what every request handler of the intake shares: the store (one connection, used
 * under db_lock), the recipients, the csrf key, the limits, and aggregate counters (the only
 * figures the intake ever logs).
 */
#ifndef SEA_INTAKE_APP_H
#define SEA_INTAKE_APP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "csrf.h"
#include "form.h"
#include "pubkey.h"
#include "store.h"

typedef struct intake_app {
    store *db;
    pthread_mutex_t db_lock;
    const pubkey *recipients;
    size_t nrecipients;
    unsigned char *recipient_pks;       /* 32 * nrecipients bytes, for envelope_seal */
    unsigned char csrf_key[CSRF_KEYBYTES];
    form_limits limits;
    const char *spool_dir;
    unsigned max_active;                /* requests handled at once before answering 503 */
    atomic_uint active;
    atomic_ulong reports_saved;
    atomic_ulong followups_saved;
    atomic_ulong requests_refused;      /* bad input, overload, errors */
} intake_app;

#endif
