/*
 * writer.c: the thread that owns the write connection and commits in groups (see writer.h).
 */
#include "writer.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "errors.h"

#define BATCH_MAX 256   /* tasks in one transaction at most */

#define CHECKPOINT_EVERY_MS 200
#define WAL_LONG_FRAMES 1000   /* past this, the writer checkpoints between batches itself */

struct writer {
    store *db;
    store *ckpt;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_cond_t ckpt_wake;
    pthread_t thread, ckpt_thread;
    writer_task *head, *tail;
    unsigned queued;   /* tasks queued or being applied */
    int stopping;
    int ckpt_started;
    int drained;
};

/* Takes the next batch off the queue: a probe or a solo task alone, else the tasks up to the
 * next probe or solo one. */
static writer_task *take_batch(writer *w, size_t *n)
{
    writer_task *first = w->head, *last = first;

    *n = 1;
    if (!first->probe && !first->solo)
        while (last->next != NULL && !last->next->probe && !last->next->solo && *n < BATCH_MAX) {
            last = last->next;
            (*n)++;
        }
    w->head = last->next;
    if (w->head == NULL)
        w->tail = NULL;
    last->next = NULL;
    return first;
}

/*
 * Applies the batch in one transaction, each task under its savepoint, and commits; rcs[i] gets
 * each task's own failure. Returns the commit's result, or -1 when SQLite rolled the whole
 * transaction back after a failed task (a full disk, an I/O error): the caller then runs the
 * batch again, which skips the tasks that failed.
 */
static int apply_batch(writer *w, writer_task *batch, size_t n, int *rcs)
{
    int rc;

    if ((rc = store_begin(w->db, NULL, 0)) != 0)
        return rc;
    for (size_t i = 0; i < n; i++, batch = batch->next) {
        if (rcs[i] != 0)
            continue;
        rc = store_savepoint(w->db, NULL, 0);
        if (rc == 0 && (rc = batch->apply(w->db, batch->arg)) == 0)
            rc = store_savepoint_release(w->db, NULL, 0);
        if (rc == 0)
            continue;
        rcs[i] = rc;
        if (!store_in_transaction(w->db))
            return -1;
        store_savepoint_undo(w->db);
    }
    return store_commit(w->db, NULL, 0);
}

static void run_batch(writer *w, writer_task *batch, size_t n)
{
    int *rcs = calloc(n, sizeof *rcs);
    int rc;

    if (rcs == NULL) {
        rc = ERR_NOMEM;
    } else if (batch->probe) {
        rcs[0] = batch->apply(w->db, batch->arg);
        rc = 0;
    } else {
        while ((rc = apply_batch(w, batch, n, rcs)) == -1)
            store_rollback(w->db);   /* a task failed and took the transaction: again, without it */
    }
    for (size_t i = 0; batch != NULL; i++) {
        writer_task *next = batch->next;
        batch->done(batch->ctx, rcs == NULL ? rc : rcs[i] != 0 ? rcs[i] : rc);
        batch = next;
    }
    free(rcs);
}

static void *write_loop(void *arg)
{
    writer *w = arg;

    pthread_mutex_lock(&w->lock);
    for (;;) {
        writer_task *batch;
        size_t n;
        while (w->head == NULL && !w->stopping)
            pthread_cond_wait(&w->wake, &w->lock);
        if (w->head == NULL)
            break;   /* stopping, and nothing left */
        batch = take_batch(w, &n);
        pthread_mutex_unlock(&w->lock);
        run_batch(w, batch, n);
        if (store_wal_frames(w->db) > WAL_LONG_FRAMES)
            store_checkpoint(w->db);   /* the log starts over with the next transaction */
        pthread_mutex_lock(&w->lock);
        w->queued -= (unsigned)n;
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

static void *checkpoint_loop(void *arg)
{
    writer *w = arg;

    pthread_mutex_lock(&w->lock);
    while (!w->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += CHECKPOINT_EVERY_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&w->ckpt_wake, &w->lock, &until);
        pthread_mutex_unlock(&w->lock);
        store_checkpoint(w->ckpt);   /* concurrently with the writer's commits */
        pthread_mutex_lock(&w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

writer *writer_start(store *db, store *ckpt, char *err, size_t errlen)
{
    writer *w = calloc(1, sizeof *w);

    if (w == NULL) {
        err_set(err, errlen, ERR_NOMEM, "out of memory");
        return NULL;
    }
    w->db = db;
    w->ckpt = ckpt;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    pthread_cond_init(&w->ckpt_wake, NULL);
    if (pthread_create(&w->thread, NULL, write_loop, w) != 0) {
        pthread_cond_destroy(&w->ckpt_wake);
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
        free(w);
        err_set(err, errlen, ERR_IO, "cannot start the thread that writes to the database");
        return NULL;
    }
    if (pthread_create(&w->ckpt_thread, NULL, checkpoint_loop, w) != 0) {
        writer_stop(w);   /* (joins a thread that was never started: guarded below) */
        err_set(err, errlen, ERR_IO, "cannot start the thread that checkpoints the database");
        return NULL;
    }
    w->ckpt_started = 1;
    return w;
}

int writer_submit(writer *w, writer_task *t, unsigned max_queued)
{
    int rc = 0;

    t->next = NULL;
    pthread_mutex_lock(&w->lock);
    if (w->stopping || w->queued >= max_queued) {
        rc = ERR_BUSY;
    } else {
        if (w->tail != NULL)
            w->tail->next = t;
        else
            w->head = t;
        w->tail = t;
        w->queued++;
        pthread_cond_signal(&w->wake);
    }
    pthread_mutex_unlock(&w->lock);
    return rc;
}

unsigned writer_queued(writer *w)
{
    unsigned n;

    pthread_mutex_lock(&w->lock);
    n = w->queued;
    pthread_mutex_unlock(&w->lock);
    return n;
}

void writer_drain(writer *w)
{
    if (w == NULL)
        return;
    pthread_mutex_lock(&w->lock);
    if (w->drained) {
        pthread_mutex_unlock(&w->lock);
        return;
    }
    w->stopping = 1;
    pthread_cond_signal(&w->wake);
    pthread_cond_signal(&w->ckpt_wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    if (w->ckpt_started)
        pthread_join(w->ckpt_thread, NULL);
    store_checkpoint(w->ckpt);   /* what the last batches wrote */
    pthread_mutex_lock(&w->lock);
    w->drained = 1;
    pthread_mutex_unlock(&w->lock);
}

void writer_free(writer *w)
{
    if (w == NULL)
        return;
    pthread_cond_destroy(&w->ckpt_wake);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

void writer_stop(writer *w)
{
    writer_drain(w);
    writer_free(w);
}
