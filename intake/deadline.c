/*
 * deadline.c: cutting connections that outstay their deadlines (see deadline.h).
 */
#include "deadline.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "errors.h"

enum stage { STAGE_HEADERS, STAGE_BODY, STAGE_ANSWERING };

/* Every field but window_bytes is read and written under the keeper's lock, so that the keeper
 * never cuts a connection whose request has moved on to being answered. */
struct deadline_conn {
    deadline_keeper *k;
    int fd;                           /* our duplicate of the connection's socket */
    enum stage stage;
    long long since;                  /* when the stage began (monotonic milliseconds) */
    long long window_start;           /* the rate window (body stage), in milliseconds */
    atomic_ullong window_bytes;
    int cut;                          /* shut down already */
    deadline_conn *prev, *next;       /* the keeper's list */
};

struct deadline_keeper {
    deadline_limits lim;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    int stopping;
    deadline_conn *conns;
};

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Moves c to stage s; returns 1 when the keeper has cut it already (0 for NULL). */
static int enter(deadline_conn *c, enum stage s)
{
    long long now = now_ms();
    int cut;

    if (c == NULL)
        return 0;
    pthread_mutex_lock(&c->k->lock);
    c->since = now;
    c->window_start = now;
    atomic_store(&c->window_bytes, 0);
    c->stage = s;
    cut = c->cut;
    pthread_mutex_unlock(&c->k->lock);
    return cut;
}

/* 1 when c has outstayed a deadline at now (ms); a body's rate window starts again when it was
 * met. Under the keeper's lock. */
static int overdue(const deadline_limits *lim, deadline_conn *c, long long now)
{
    long long window;

    switch (c->stage) {
    case STAGE_HEADERS:
        return now - c->since > 1000LL * lim->header_seconds;
    case STAGE_BODY:
        if (now - c->since > 1000LL * lim->request_seconds)
            return 1;
        window = now - c->window_start;
        if (window < 1000LL * lim->window_seconds)
            return 0;
        if (atomic_exchange(&c->window_bytes, 0) * 1000ULL < (unsigned long long)lim->min_rate * (unsigned long long)window)
            return 1;   /* (taken and reset at once: no byte that arrives meanwhile is lost) */
        c->window_start = now;
        return 0;
    default:
        return 0;
    }
}

static void *keep(void *arg)
{
    deadline_keeper *k = arg;

    pthread_mutex_lock(&k->lock);
    while (!k->stopping) {
        struct timespec until;
        long long now = now_ms();
        for (deadline_conn *c = k->conns; c != NULL; c = c->next) {
            if (c->cut || !overdue(&k->lim, c, now))
                continue;
            shutdown(c->fd, SHUT_RDWR);   /* libmicrohttpd reads the end, closes, and untracks it */
            c->cut = 1;
        }
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 500 * 1000 * 1000;
        if (until.tv_nsec >= 1000 * 1000 * 1000) {
            until.tv_sec++;
            until.tv_nsec -= 1000 * 1000 * 1000;
        }
        pthread_cond_timedwait(&k->wake, &k->lock, &until);
    }
    pthread_mutex_unlock(&k->lock);
    return NULL;
}

deadline_keeper *deadline_start(const deadline_limits *lim, char *err, size_t errlen)
{
    deadline_keeper *k = calloc(1, sizeof *k);

    if (k == NULL) {
        err_set(err, errlen, ERR_NOMEM, "out of memory");
        return NULL;
    }
    k->lim = *lim;
    {
        /* a limit left 0 is the default (a zeroed configuration must not cut every connection) */
        const deadline_limits d = DEADLINE_DEFAULTS;
        if (k->lim.header_seconds == 0)
            k->lim.header_seconds = d.header_seconds;
        if (k->lim.request_seconds == 0)
            k->lim.request_seconds = d.request_seconds;
        if (k->lim.window_seconds == 0)
            k->lim.window_seconds = d.window_seconds;
    }
    pthread_mutex_init(&k->lock, NULL);
    pthread_cond_init(&k->wake, NULL);
    if (pthread_create(&k->thread, NULL, keep, k) != 0) {
        pthread_cond_destroy(&k->wake);
        pthread_mutex_destroy(&k->lock);
        free(k);
        err_set(err, errlen, ERR_IO, "cannot start the thread that keeps connections' deadlines");
        return NULL;
    }
    return k;
}

void deadline_stop(deadline_keeper *k)
{
    if (k == NULL)
        return;
    pthread_mutex_lock(&k->lock);
    k->stopping = 1;
    pthread_cond_signal(&k->wake);
    pthread_mutex_unlock(&k->lock);
    pthread_join(k->thread, NULL);
    while (k->conns != NULL)   /* connections libmicrohttpd never reported closed */
        deadline_untrack(k, k->conns);
    pthread_cond_destroy(&k->wake);
    pthread_mutex_destroy(&k->lock);
    free(k);
}

deadline_conn *deadline_track(deadline_keeper *k, int fd)
{
    deadline_conn *c;

    if (k == NULL || fd < 0 || (c = calloc(1, sizeof *c)) == NULL)
        return NULL;
    c->k = k;
    c->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (c->fd < 0) {
        free(c);
        return NULL;
    }
    c->stage = STAGE_HEADERS;
    c->since = c->window_start = now_ms();
    pthread_mutex_lock(&k->lock);
    c->next = k->conns;
    if (k->conns != NULL)
        k->conns->prev = c;
    k->conns = c;
    pthread_mutex_unlock(&k->lock);
    return c;
}

void deadline_untrack(deadline_keeper *k, deadline_conn *c)
{
    if (k == NULL || c == NULL)
        return;
    pthread_mutex_lock(&k->lock);
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        k->conns = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    pthread_mutex_unlock(&k->lock);
    close(c->fd);
    free(c);
}

void deadline_body_started(deadline_conn *c)
{
    (void)enter(c, STAGE_BODY);
}

void deadline_body_bytes(deadline_conn *c, size_t n)
{
    if (c != NULL)
        atomic_fetch_add(&c->window_bytes, (unsigned long long)n);
}

int deadline_answering(deadline_conn *c)
{
    return enter(c, STAGE_ANSWERING);
}

void deadline_waiting(deadline_conn *c)
{
    (void)enter(c, STAGE_HEADERS);
}
