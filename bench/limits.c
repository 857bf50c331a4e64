/*
 * limits.c: what this machine can do at all, to set the intake's figures against:
 *   seal    crypto_box_seal of 2 KiB per second, on one core
 *   stream  MiB per second through crypto_secretstream_xchacha20poly1305 in 64 KiB chunks, one core
 *   commit  durable SQLite commits per second (WAL, synchronous=FULL), one row each
 *   http    (no subcommand here: bench/run measures a bare libmicrohttpd server with wrk)
 * Usage: limits seal SECONDS | limits stream SECONDS | limits commit SECONDS DIR | limits serve PORT
 */
#include <microhttpd.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int seal(double seconds)
{
    unsigned char pk[32], sk[32], msg[2048], out[2048 + crypto_box_SEALBYTES];
    double start = now(), t;
    long n = 0;

    crypto_box_keypair(pk, sk);
    randombytes_buf(msg, sizeof msg);
    do {
        for (int i = 0; i < 100; i++)
            crypto_box_seal(out, msg, sizeof msg, pk);
        n += 100;
        t = now() - start;
    } while (t < seconds);
    printf("%.0f\n", (double)n / t);
    return 0;
}

static int stream(double seconds)
{
    static unsigned char chunk[65536], out[65536 + crypto_secretstream_xchacha20poly1305_ABYTES];
    unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
    unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    crypto_secretstream_xchacha20poly1305_state st;
    double start = now(), t;
    long n = 0;

    crypto_secretstream_xchacha20poly1305_keygen(key);
    crypto_secretstream_xchacha20poly1305_init_push(&st, header, key);
    randombytes_buf(chunk, sizeof chunk);
    do {
        for (int i = 0; i < 16; i++)
            crypto_secretstream_xchacha20poly1305_push(&st, out, NULL, chunk, sizeof chunk, NULL, 0, 0);
        n += 16;
        t = now() - start;
    } while (t < seconds);
    printf("%.0f\n", (double)n / 16 / t);
    return 0;
}

static int commit(double seconds, const char *dir)
{
    char path[4096];
    sqlite3 *db;
    sqlite3_stmt *st;
    unsigned char row[2048];
    double start, t;
    long n = 0;

    snprintf(path, sizeof path, "%s/commits.db", dir);
    unlink(path);
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return 1;
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t(v BLOB)", NULL, NULL, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO t(v) VALUES (?)", -1, &st, NULL);
    randombytes_buf(row, sizeof row);
    start = now();
    do {
        sqlite3_bind_blob(st, 1, row, sizeof row, SQLITE_STATIC);
        sqlite3_step(st);   /* autocommit: one durable transaction per row */
        sqlite3_reset(st);
        n++;
        t = now() - start;
    } while (t < seconds);
    sqlite3_finalize(st);
    sqlite3_close(db);
    unlink(path);
    printf("%.0f\n", (double)n / t);
    return 0;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *data, size_t *size, void **state)
{
    static char page[] = "<!DOCTYPE html><p>received</p>";
    struct MHD_Response *r;
    enum MHD_Result ok;

    (void)cls; (void)url; (void)method; (void)version; (void)data;
    if (*state == NULL) {
        *state = page;
        return MHD_YES;
    }
    if (*size != 0) {
        *size = 0;
        return MHD_YES;
    }
    r = MHD_create_response_from_buffer(sizeof page - 1, page, MHD_RESPMEM_PERSISTENT);
    ok = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ok;
}

static int serve(int port)
{
    sigset_t s;
    int sig;
    struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, (uint16_t)port,
                                            NULL, NULL, answer, NULL, MHD_OPTION_THREAD_POOL_SIZE, 4u,
                                            MHD_OPTION_END);

    if (d == NULL)
        return 1;
    sigemptyset(&s);
    sigaddset(&s, SIGTERM);
    sigaddset(&s, SIGINT);
    sigprocmask(SIG_BLOCK, &s, NULL);
    sigwait(&s, &sig);
    MHD_stop_daemon(d);
    return 0;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0 || argc < 3)
        return 2;
    if (strcmp(argv[1], "seal") == 0)
        return seal(atof(argv[2]));
    if (strcmp(argv[1], "stream") == 0)
        return stream(atof(argv[2]));
    if (strcmp(argv[1], "commit") == 0 && argc == 4)
        return commit(atof(argv[2]), argv[3]);
    if (strcmp(argv[1], "serve") == 0)
        return serve(atoi(argv[2]));
    return 2;
}
