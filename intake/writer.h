/*
 * writer.h: group commit. One thread owns the intake's write connection. Request handlers hand
 * it tasks (a sealed report or follow-up to store) and suspend their request instead of waiting
 * on a lock; the writer takes every task queued so far, applies each inside one transaction
 * (each under a savepoint of its own, so one that fails leaves the others), commits once,
 * durably, and only then tells each task how it went, which resumes its request: a receipt is
 * still shown only once its report is on disk, and one fsync serves every report of a batch.
 *
 * A task marked solo (a large upload, whose chunks take long to copy) is committed in a
 * transaction of its own, so it does not hold up the small ones queued before it; a probe
 * (`GET /healthz`) runs between transactions. A second thread, on a connection of its own,
 * copies the write-ahead log into the database five times a second (store_checkpoint), so that
 * no commit waits for a checkpoint (store_tune_for_writes turns those off on the writer's).
 */
#ifndef SEA_INTAKE_WRITER_H
#define SEA_INTAKE_WRITER_H

#include <stddef.h>

#include "store.h"

typedef struct writer writer;

typedef struct writer_task {
    /* Inside the transaction (or, for a probe, outside any): stores what the task holds.
     * Returns 0 or an ERR_* code. */
    int (*apply)(store *db, void *arg);
    void *arg;
    int solo;
    int probe;
    /* Called once, from the writer's thread, after the commit (rc 0) or the failure (rc the
     * error: the task's, or the commit's, which fails every task of the batch). */
    void (*done)(void *ctx, int rc);
    void *ctx;
    struct writer_task *next;   /* the writer's */
} writer_task;

/* writer_start: starts the thread that owns db, and the one that checkpoints through ckpt (the
 * same database). Returns NULL (with err) when it cannot. */
writer *writer_start(store *db, store *ckpt, char *err, size_t errlen);

/* writer_submit: queues t. 0, or ERR_BUSY when max_queued tasks are queued or being applied
 * already (or the writer stops): t is then not queued and its done is never called. */
int writer_submit(writer *w, writer_task *t, unsigned max_queued);

/* writer_queued: how many tasks are queued or being applied (for the overload check). */
unsigned writer_queued(writer *w);

/* writer_drain: finishes every task queued, checkpoints once more and stops both threads; from
 * then on writer_submit answers ERR_BUSY (so request threads may still call it) until
 * writer_free. */
void writer_drain(writer *w);

/* writer_free: frees a drained writer, once nothing can call it any more; accepts NULL. */
void writer_free(writer *w);

/* writer_stop: writer_drain, then writer_free; accepts NULL. */
void writer_stop(writer *w);

#endif
