/*
 * store-sync.h: what `casework sync` and `casework serve-sync` read and write in the store: rows
 * as they are, ids included, so that a caseworker's replica and the server's database hold the
 * same cases, records, attachments and audit entries (see casework/sync-*.c and SECURITY.md,
 * "Replicas"). A replica also keeps its own state (sync_state) and what it did that the server
 * has not taken yet (sync_outbox, filled by triggers: store_sync_make_replica).
 */
#ifndef SEA_STORE_SYNC_H
#define SEA_STORE_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* A case's clear columns, as the exchange carries them. */
typedef struct store_sync_case {
    char ref[CASEREF_TEXT_SIZE];
    char received[DAY_TEXT_SIZE];
    char status[16];
    unsigned char lookup[32];
    unsigned char reporter_pk[32];
    int arrival_logged;
} store_sync_case;

/* An attachment's row, and how many chunks it has. */
typedef struct store_sync_attachment {
    char ref[CASEREF_TEXT_SIZE];
    int64_t id, meta_record, stored_size, nchunks;
    unsigned char header[24];
} store_sync_attachment;

/* What a replica did that its server has not taken yet (the kinds are the push's items). */
enum store_outbox_kind {
    STORE_OUTBOX_RECORD_ADDED = 2,
    STORE_OUTBOX_RECORD_RESEALED = 3,
    STORE_OUTBOX_STATUS_SET = 4,
    STORE_OUTBOX_ARRIVAL_LOGGED = 5,
    STORE_OUTBOX_CASE_ERASED = 6,
    STORE_OUTBOX_FIGURES_KEPT = 7
};

typedef struct store_outbox_item {
    int64_t id;
    uint64_t audit_seq;           /* the newest audit entry when it was done */
    int kind;                     /* enum store_outbox_kind */
    char ref[CASEREF_TEXT_SIZE];  /* the case ("" for figures) */
    int64_t item;                 /* the record id, the erased case's last record id, the figures id */
    char was[16];                 /* a status change: the status it changed ("" when unknown) */
} store_outbox_item;

/* Reading every row (a server answering a pull; a replica comparing). Callbacks as store.h. */
int store_sync_cases_each(store *s, int (*fn)(void *ctx, const store_sync_case *c), void *ctx,
                          char *err, size_t errlen);
int store_sync_records_each(store *s, int (*fn)(void *ctx, const store_record *r), void *ctx,
                            char *err, size_t errlen);
/* store_sync_record: calls fn with the record whose id is id; ERR_NOTFOUND when there is none. */
int store_sync_record(store *s, int64_t id, int (*fn)(void *ctx, const store_record *r), void *ctx,
                      char *err, size_t errlen);
int store_sync_attachments_each(store *s, int (*fn)(void *ctx, const store_sync_attachment *a), void *ctx,
                                char *err, size_t errlen);
/* store_sync_has_attachment: *has is 1 when attachment id exists, with all its chunks. */
int store_sync_has_attachment(store *s, int64_t id, int64_t nchunks, int *has, char *err, size_t errlen);
/* store_sync_figures_has: *has is 1 when retained_figures holds exactly this envelope. */
int store_sync_figures_has(store *s, const unsigned char *envelope, size_t len, int *has,
                           char *err, size_t errlen);

/* Writing what the other side has (inside the caller's transaction). */
/* store_sync_case_put: inserts the case, or updates its status (unless keep_status) and marks
 * its arrival logged when c says so. */
int store_sync_case_put(store *s, const store_sync_case *c, int keep_status, char *err, size_t errlen);
/* store_sync_case_delete: deletes the case and everything of it (a case the server erased). */
int store_sync_case_delete(store *s, const char *ref, char *err, size_t errlen);
/* store_sync_record_put: a record with its id and seq, inserted or updated (a replica). */
int store_sync_record_put(store *s, const store_record *r, char *err, size_t errlen);
/* store_sync_record_add: a new record with its id, given the next seq of its case (a server);
 * ERR_EXISTS when the id is taken, ERR_NOTFOUND when the case is not there. */
int store_sync_record_add(store *s, const store_record *r, char *err, size_t errlen);
/* store_sync_record_seq: sets a record's seq (the server's). */
int store_sync_record_seq(store *s, int64_t id, int64_t seq, char *err, size_t errlen);
/* store_sync_record_delete: removes a record the server left out (a change it did not take). */
int store_sync_record_delete(store *s, int64_t id, char *err, size_t errlen);
/* store_sync_records_park / _unpark: before a pull writes the server's seqs, every record's seq
 * is made negative; after, the records the server did not send (this replica's own, not pushed
 * yet) get the next seqs of their case, in their old order. */
int store_sync_records_park(store *s, char *err, size_t errlen);
int store_sync_records_unpark(store *s, char *err, size_t errlen);
/* store_sync_attachment_put: the attachment row (its chunks follow, store_attachment_chunk_add). */
int store_sync_attachment_put(store *s, const store_sync_attachment *a, char *err, size_t errlen);
/* store_sync_attachment_drop: removes a partly copied attachment. */
int store_sync_attachment_drop(store *s, int64_t id, char *err, size_t errlen);
/* store_sync_figures_add: one more purged case's sealed figures. */
int store_sync_figures_add(store *s, const unsigned char *envelope, size_t len, char *err, size_t errlen);
/* store_sync_set_status: sets the status of the case ref (ERR_NOTFOUND: no such case). */
int store_sync_set_status(store *s, const char *ref, const char *status, char *err, size_t errlen);
/* store_sync_mark_arrival: the case's arrival is in the audit log (ERR_NOTFOUND: no case). */
int store_sync_mark_arrival(store *s, const char *ref, char *err, size_t errlen);
/* store_sync_erase: deletes the case when it is closed and its newest record is last_record;
 * *erased says whether it was. */
int store_sync_erase(store *s, const char *ref, int64_t last_record, int *erased, char *err, size_t errlen);

/* A replica's own state. */
/* store_sync_make_replica: makes s a replica of the database named server_id (16 bytes), whose
 * audit log it holds up to nothing yet. Inside the caller's transaction. */
int store_sync_make_replica(store *s, const unsigned char server_id[16], char *err, size_t errlen);
/* store_sync_replica_of: *is 1 and server_id filled when s is a replica, else *is 0. */
int store_sync_replica_of(store *s, unsigned char server_id[16], int *is, char *err, size_t errlen);
/* store_sync_base / _set_base: the newest server audit entry the replica holds (seq 0: none). */
int store_sync_base(store *s, uint64_t *seq, unsigned char hash[32], char *err, size_t errlen);
int store_sync_set_base(store *s, uint64_t seq, const unsigned char hash[32], char *err, size_t errlen);
/*
 * A replica's origin: the name it shows for its server (`list`), and, in the replica given with
 * --db, the files of the replicas of its other servers (casework/replica-set.h). Names are at
 * most STORE_ORIGIN_NAME_MAX bytes; files are paths relative to the replica's folder.
 * store_sync_origin: name ("" and *found 0 when it has none yet).
 */
#define STORE_ORIGIN_NAME_MAX 32
int store_sync_origin(store *s, char name[STORE_ORIGIN_NAME_MAX + 1], int *found, char *err, size_t errlen);
int store_sync_set_origin(store *s, const char *name, char *err, size_t errlen);
/* store_sync_origin_files_each: calls fn with each other origin's name and file, by name. */
int store_sync_origin_files_each(store *s, int (*fn)(void *ctx, const char *name, const char *file), void *ctx,
                                 char *err, size_t errlen);
int store_sync_add_origin_file(store *s, const char *name, const char *file, char *err, size_t errlen);
/* store_sync_applying: on while a pull writes the server's state (the outbox triggers rest). */
int store_sync_applying(store *s, int on, char *err, size_t errlen);
/* store_sync_outbox_each: calls fn with each pending item, in the order they were done. */
int store_sync_outbox_each(store *s, int (*fn)(void *ctx, const store_outbox_item *it), void *ctx,
                           char *err, size_t errlen);
/* store_sync_outbox_pending: *kinds gets a bit (1 << kind) for each kind pending for the case. */
int store_sync_outbox_pending(store *s, const char *ref, unsigned *kinds, char *err, size_t errlen);
/* store_sync_outbox_park / _renumber: before a replica's own audit entries are renumbered,
 * every pending item's entry number is set aside; then each old_seq becomes new_seq. */
int store_sync_outbox_park(store *s, char *err, size_t errlen);
int store_sync_outbox_renumber(store *s, uint64_t old_seq, uint64_t new_seq, char *err, size_t errlen);
/* store_sync_outbox_forget: the server took the items done up to audit entry seq (a push whose
 * answer was lost). */
int store_sync_outbox_forget(store *s, uint64_t seq, char *err, size_t errlen);
/* store_sync_outbox_clear: the server took every pending item. */
int store_sync_outbox_clear(store *s, char *err, size_t errlen);

/*
 * store_sync_snapshot: writes a consistent copy of the whole database to path (which must not
 * exist; mode as the umask allows), for carrying to an air-gapped workstation, which syncs from
 * it as from a server. Returns 0, ERR_EXISTS, or a store error.
 */
int store_sync_snapshot(store *s, const char *path, char *err, size_t errlen);

/* audit_store_from: calls fn with each audit entry whose seq is at least from, in order. */
int audit_store_from(store *s, uint64_t from, int (*fn)(void *ctx, const unsigned char *entry, size_t len),
                     void *ctx, char *err, size_t errlen);
/* audit_store_drop_after: deletes the entries after seq (a replica's own, to be renumbered). */
int audit_store_drop_after(store *s, uint64_t seq, char *err, size_t errlen);

#endif
