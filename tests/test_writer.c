/*
 * test_writer.c: group commit (intake/writer.h) on a real SQLite store. Every task queued is
 * applied and committed before it is told so, and what it was told can be read by another
 * connection at once; a task that fails is undone alone and the others of its batch are
 * committed, also when its failure took SQLite's whole transaction with it; a full queue
 * refuses more; stopping finishes what was queued.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseref.h"
#include "errors.h"
#include "store.h"
#include "test_support.h"
#include "writer.h"

typedef struct fixture {
    char dir[PATH_MAX], db[PATH_MAX];
    store *w, *ckpt, *other;
} fixture;

/* One task: insert a case with reference ref (drop: then end SQLite's transaction and fail, as
 * a full disk may); done records the result and whether another connection sees the case. */
typedef struct insert_task {
    writer_task t;
    fixture *f;
    char ref[CASEREF_TEXT_SIZE];
    int drop;
    int rc, seen, called;
    pthread_mutex_t *lock;
    pthread_cond_t *cond;
} insert_task;

static int insert(store *db, void *arg)
{
    insert_task *it = arg;
    unsigned char lookup[32], pk[32];
    store_case c;

    if (it->drop) {
        store_rollback(db);
        return ERR_FULL;
    }
    randombytes_buf(lookup, sizeof lookup);
    randombytes_buf(pk, sizeof pk);
    return store_case_insert(db, it->ref, lookup, pk, &c, NULL, 0);
}

static void inserted(void *ctx, int rc)
{
    insert_task *it = ctx;
    store_case c;

    pthread_mutex_lock(it->lock);
    it->rc = rc;
    it->seen = store_case_by_ref(it->f->other, it->ref, &c, NULL, 0) == 0;
    it->called++;
    pthread_cond_broadcast(it->cond);
    pthread_mutex_unlock(it->lock);
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;

static void task_init(insert_task *it, fixture *f, int drop)
{
    memset(it, 0, sizeof *it);
    it->f = f;
    caseref_generate(it->ref);
    it->drop = drop;
    it->lock = &lock;
    it->cond = &cond;
    it->t = (writer_task){.apply = insert, .arg = it, .done = inserted, .ctx = it};
}

static void wait_all(insert_task *tasks, size_t n)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < n; i++)
        while (tasks[i].called == 0)
            pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[300];

    ts_tmpdir(f->dir);
    ts_path(f->db, f->dir, "reports.db");
    assert_int_equal(store_open(f->db, &f->w, err, sizeof err), 0);
    assert_int_equal(store_open(f->db, &f->ckpt, err, sizeof err), 0);
    assert_int_equal(store_open(f->db, &f->other, err, sizeof err), 0);
    store_tune_for_writes(f->w);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    store_close(f->w);
    store_close(f->ckpt);
    store_close(f->other);
    ts_rmtree(f->dir);
    free(f);
    return 0;
}

/* A task that holds the writer until the test lets it go. */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int gate_open, gate_entered;

static int gate(store *db, void *arg)
{
    (void)db;
    (void)arg;
    pthread_mutex_lock(&gate_lock);
    gate_entered = 1;
    pthread_cond_broadcast(&gate_cond);
    while (!gate_open)
        pthread_cond_wait(&gate_cond, &gate_lock);
    pthread_mutex_unlock(&gate_lock);
    return 0;
}

static void gate_done(void *ctx, int rc)
{
    (void)ctx;
    (void)rc;
}

/* Queues a gate task and waits until the writer is held in it. */
static void hold(writer *w, writer_task *held)
{
    gate_open = gate_entered = 0;
    *held = (writer_task){.apply = gate, .done = gate_done, .solo = 1};
    assert_int_equal(writer_submit(w, held, 100), 0);
    pthread_mutex_lock(&gate_lock);
    while (!gate_entered)
        pthread_cond_wait(&gate_cond, &gate_lock);
    pthread_mutex_unlock(&gate_lock);
}

static void release(void)
{
    pthread_mutex_lock(&gate_lock);
    gate_open = 1;
    pthread_cond_broadcast(&gate_cond);
    pthread_mutex_unlock(&gate_lock);
}

static void test_each_task_is_told_only_once_committed(void **state)
{
    fixture *f = *state;
    insert_task tasks[40];
    char err[300];
    writer *w = writer_start(f->w, f->ckpt, err, sizeof err);

    assert_non_null(w);
    for (size_t i = 0; i < 40; i++) {
        task_init(&tasks[i], f, 0);
        assert_int_equal(writer_submit(w, &tasks[i].t, 100), 0);
    }
    wait_all(tasks, 40);
    for (size_t i = 0; i < 40; i++) {
        assert_int_equal(tasks[i].rc, 0);
        assert_int_equal(tasks[i].seen, 1);   /* committed when told, not after */
        assert_int_equal(tasks[i].called, 1);
    }
    writer_stop(w);
    assert_int_equal(ts_count_rows(f->db, "cases"), 40);
}

static void test_a_failing_task_is_undone_alone(void **state)
{
    fixture *f = *state;
    insert_task tasks[5];
    writer_task held;
    char err[300];
    writer *w = writer_start(f->w, f->ckpt, err, sizeof err);

    assert_non_null(w);
    hold(w, &held);   /* so that the five are queued together: one batch */
    for (size_t i = 0; i < 5; i++)
        task_init(&tasks[i], f, 0);
    strcpy(tasks[2].ref, tasks[0].ref);          /* a reference collision */
    tasks[3].drop = 1;                            /* takes SQLite's transaction with it */
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(writer_submit(w, &tasks[i].t, 100), 0);
    release();
    wait_all(tasks, 5);
    writer_stop(w);
    assert_int_equal(tasks[0].rc, 0);
    assert_int_equal(tasks[1].rc, 0);
    assert_int_equal(tasks[2].rc, ERR_EXISTS);
    assert_int_equal(tasks[3].rc, ERR_FULL);
    assert_int_equal(tasks[4].rc, 0);
    assert_int_equal(ts_count_rows(f->db, "cases"), 3);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(tasks[i].called, 1);
}

static void test_a_full_queue_refuses_and_stopping_finishes_what_was_queued(void **state)
{
    fixture *f = *state;
    writer_task held;
    insert_task tasks[3], refused;
    char err[300];
    writer *w = writer_start(f->w, f->ckpt, err, sizeof err);

    assert_non_null(w);
    hold(w, &held);
    for (size_t i = 0; i < 3; i++) {
        task_init(&tasks[i], f, 0);
        assert_int_equal(writer_submit(w, &tasks[i].t, 4), 0);
    }
    assert_int_equal(writer_queued(w), 4);      /* the one being applied counts */
    task_init(&refused, f, 0);
    assert_int_equal(writer_submit(w, &refused.t, 4), ERR_BUSY);
    release();
    writer_stop(w);                              /* finishes the three queued */
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(tasks[i].rc, 0);
    assert_int_equal(refused.called, 0);
    assert_int_equal(ts_count_rows(f->db, "cases"), 3);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_each_task_is_told_only_once_committed),
        T(test_a_failing_task_is_undone_alone),
        T(test_a_full_queue_refuses_and_stopping_finishes_what_was_queued),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
