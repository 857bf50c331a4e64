/*
 * sync-client.c: a replica's exchange with its server (see sync-client.h).
 */
#include "sync-client.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audit-append.h"
#include "audit.h"
#include "errors.h"
#include "store-sync.h"
#include "sync-push.h"

#define PUSH_TRIES 4

int sync_greet(sync_wire *w, sync_server_info *in, char *err, size_t errlen)
{
    const unsigned char *p;
    size_t len;
    int type, rc;
    wire_reader r;

    if ((rc = wire_send(w, SYNC_HELLO, SYNC_MAGIC, sizeof SYNC_MAGIC - 1, err, errlen)) != 0 ||
        (rc = wire_flush(w, err, errlen)) != 0 || (rc = wire_recv(w, &type, &p, &len, err, errlen)) != 0)
        return rc;
    const unsigned char *id, *hash;

    r = (wire_reader){p, len, 0, 0};
    if (type != SYNC_INFO)
        return err_set(err, errlen, ERR_FORMAT, "the other end is not casework serve-sync");
    id = rd_bytes(&r, 16);
    in->head_seq = rd_u64(&r);
    hash = rd_bytes(&r, AUDIT_HASHBYTES);
    in->takes_pushes = (int)rd_u8(&r);
    if (!rd_done(&r))
        return err_set(err, errlen, ERR_FORMAT, "the server's greeting is malformed");
    memcpy(in->id, id, 16);
    memcpy(in->head_hash, hash, AUDIT_HASHBYTES);
    return 0;
}

/* The local database is this server's replica: made so on the first exchange. */
static int be_replica(store *local, const sync_server_info *in, int *created, char *err, size_t errlen)
{
    unsigned char of[16];
    int64_t cases;
    int is, rc;

    *created = 0;
    if ((rc = store_sync_replica_of(local, of, &is, err, errlen)) != 0)
        return rc;
    if (is)
        return sodium_memcmp(of, in->id, 16) == 0
                   ? 0
                   : err_set(err, errlen, ERR_AUTH, "this replica belongs to another database than REMOTE's "
                             "(give sync the right REMOTE, or a new --db for this one)");
    if ((rc = store_case_count(local, &cases, err, errlen)) != 0)
        return rc;
    if (cases > 0)
        return err_set(err, errlen, ERR_EXISTS, "the local database holds cases of its own and is not a replica "
                       "(give sync a new file with --db)");
    if ((rc = store_begin(local, err, errlen)) != 0)
        return rc;
    rc = store_sync_make_replica(local, in->id, err, errlen);
    if (rc == 0)
        rc = store_commit(local, err, errlen);
    else
        store_rollback(local);
    *created = rc == 0;
    return rc;
}

static int count_item(void *ctx, const store_outbox_item *it)
{
    (void)it;
    (*(unsigned *)ctx)++;
    return 0;
}

/* 1 when the replica did something the server has not taken. Changes whose audit entries were
 * pushed already (a sync ran between an entry and its change) go with a "sync" entry of their
 * own, since a push carries at least one entry. */
static int has_news(store *local, const caseworker_key *k, uint64_t base, int *news, char *err, size_t errlen)
{
    unsigned char hash[AUDIT_HASHBYTES];
    unsigned items = 0;
    uint64_t head;
    int rc;

    *news = 0;
    if ((rc = audit_store_head(local, &head, hash, err, errlen)) != 0 ||
        (rc = store_sync_outbox_each(local, count_item, &items, err, errlen)) != 0)
        return rc;
    if (items > 0 && head <= base) {
        char details[32];
        snprintf(details, sizeof details, "changes=%u", items);
        if ((rc = audit_append(local, k, "sync", "", details, err, errlen)) != 0)
            return rc;
    }
    *news = head > base || items > 0;
    return 0;
}

/* The server took the push: the replica's base is its new head, which must be the replica's. */
static int pushed(store *local, uint64_t seq, const unsigned char hash[AUDIT_HASHBYTES], char *err, size_t errlen)
{
    unsigned char mine[AUDIT_HASHBYTES];
    uint64_t head;
    int rc;

    if ((rc = store_begin(local, err, errlen)) != 0)
        return rc;
    rc = audit_store_head(local, &head, mine, err, errlen);
    if (rc == 0 && (head != seq || sodium_memcmp(mine, hash, AUDIT_HASHBYTES) != 0))
        rc = err_set(err, errlen, ERR_AUTH, "after the push, the server's audit head is not this replica's (sync again)");
    if (rc == 0)
        rc = store_sync_outbox_clear(local, err, errlen);
    if (rc == 0)
        rc = store_sync_set_base(local, seq, hash, err, errlen);
    if (rc == 0)
        return store_commit(local, err, errlen);
    store_rollback(local);
    return rc;
}

/* Writes the push into a new file instead of sending it. */
static int push_to_file(store *local, const caseworker_key *k, const char *path, const unsigned char server_id[16],
                        uint64_t base, const unsigned char base_hash[AUDIT_HASHBYTES], unsigned *pushed, char *err,
                        size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    sync_wire w = {NULL, NULL, NULL, 0};
    int rc;

    if (fd < 0)
        return err_set(err, errlen, errno == EEXIST ? ERR_EXISTS : ERR_IO, "cannot create %s: %s", path,
                       errno == EEXIST ? "it exists already" : strerror(errno));
    if ((w.out = fdopen(fd, "w")) == NULL) {
        close(fd);
        unlink(path);
        return err_set(err, errlen, ERR_NOMEM, "out of memory writing %s", path);
    }
    rc = sync_push_write(local, k, &w, server_id, base, base_hash, pushed, err, errlen);
    if (rc == 0 && (fsync(fileno(w.out)) != 0 || ferror(w.out)))
        rc = err_set(err, errlen, ERR_IO, "cannot write %s (full?)", path);
    if (fclose(w.out) != 0 && rc == 0)
        rc = err_set(err, errlen, ERR_IO, "cannot write %s (full?)", path);
    if (rc != 0)
        unlink(path);
    return rc;
}

int sync_session(store *local, const caseworker_key *k, sync_wire *w, const sync_server_info *in,
                 const char *push_file, sync_result *res, char *err, size_t errlen)
{
    unsigned char base_hash[AUDIT_HASHBYTES];
    uint64_t base;
    int rc, news;

    memset(res, 0, sizeof *res);
    if ((rc = be_replica(local, in, &res->created, err, errlen)) != 0)
        return rc;
    for (int tries = 0;; tries++) {
        sync_counts c;
        if ((rc = sync_pull(local, k, w, &c, err, errlen)) != 0)
            return rc;
        res->pulled.entries += c.entries;
        res->pulled.records += c.records;
        res->pulled.files += c.files;
        res->pulled.erased += c.erased;
        res->pulled.relinked += c.relinked;
        res->pulled.lost += c.lost;
        res->pulled.cases = c.cases;
        if ((rc = store_sync_base(local, &base, base_hash, err, errlen)) != 0 ||
            (rc = has_news(local, k, base, &news, err, errlen)) != 0)
            return rc;
        res->head_seq = base;
        memcpy(res->head_hash, base_hash, sizeof base_hash);
        if (!news)
            break;
        if (push_file != NULL) {
            rc = push_to_file(local, k, push_file, in->id, base, base_hash, &res->pushed, err, errlen);
            res->push_written = rc == 0;
            break;
        }
        if (!in->takes_pushes)
            return err_set(err, errlen, ERR_AUTH, "the server takes no pushes (its serve-sync has no --recipients): "
                           "what you did here stays here");
        rc = sync_push(local, k, w, in->id, base, base_hash, &res->pushed, &res->head_seq, res->head_hash,
                       &res->skipped, err, errlen);
        if (rc == 0) {
            rc = pushed(local, res->head_seq, res->head_hash, err, errlen);
            if (rc == 0 && res->skipped > 0) {
                /* what the server left out is shown as the server has it */
                sync_counts again;
                rc = sync_pull(local, k, w, &again, err, errlen);
            }
            break;
        }
        if (rc != ERR_EXISTS || tries + 1 >= PUSH_TRIES)
            return rc;   /* refused; or others keep pushing first */
    }
    if (rc == 0 && (rc = wire_send(w, SYNC_BYE, NULL, 0, err, errlen)) == 0)
        rc = wire_flush(w, err, errlen);
    return rc;
}
