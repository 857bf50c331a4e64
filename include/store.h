/*
 * store.h: the SQLite database that holds cases, their sealed records and encrypted
 * attachments. Both programs open the same file at once: WAL, synchronous=FULL, a busy
 * timeout, secure_delete, foreign keys and trusted_schema=OFF are set on every connection; the
 * schema is brought up to date by numbered migrations recorded in PRAGMA user_version.
 *
 * In the clear the store holds only what the system cannot work without: a random case
 * reference, the UTC day a case or record arrived, the reporter-facing status, each record's
 * audience (who can open it: see store_audience; the record's kind is sealed inside it), sizes,
 * row ids (the order of arrival), the receipt-derived lookup key and the reporter's
 * receipt-derived public key. Everything derived
 * from what a person wrote is a sealed envelope or an encrypted stream.
 */
#ifndef SEA_STORE_H
#define SEA_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "caseref.h"
#include "day.h"
#include "pubkey.h"

#define STORE_SCHEMA_VERSION 10
#define STORE_BUSY_TIMEOUT_MS 10000

/* Who can open a record: the one thing about it the store keeps in the clear. */
enum store_audience {
    STORE_AUDIENCE_CASEWORKERS = 1,  /* an envelope sealed to caseworkers only */
    STORE_AUDIENCE_REPORTER = 2,     /* an envelope sealed to caseworkers and the receipt's key */
    STORE_AUDIENCE_RECEIPT_BOX = 3   /* a receipt box only the receipt's holder opens */
};

/*
 * The store is the only module that speaks SQL: every statement is in its one table
 * (core/store-statements.c), prepared once per connection and reset after each use, and every
 * SQLite result is mapped to the project's errors (errors.h) in one place, with a message that
 * says what to do. Nothing outside core/store*.c sees the connection.
 *
 * Functions that take a callback (the *_each and *_since ones) stop at the callback's first
 * non-zero return and return it; pointers handed to a callback are valid only during it. A
 * callback must not run the same query again (ERR_INTERNAL).
 */
typedef struct store store;

/* A case as the store holds it in the clear. */
typedef struct store_case {
    int64_t id;
    char ref[CASEREF_TEXT_SIZE];
    char received[DAY_TEXT_SIZE];
    char status[16];
    unsigned char reporter_pk[32];
} store_case;

/* One sealed record of a case, as handed to store_records_each's callback. */
typedef struct store_record {
    int64_t id;                      /* random: says nothing of the order of arrival */
    int64_t seq;                     /* 1, 2, ...: the order of arrival within its case */
    int64_t case_id;
    char case_ref[CASEREF_TEXT_SIZE];
    int audience;
    char day[DAY_TEXT_SIZE];
    const unsigned char *envelope;   /* valid only during the callback */
    size_t envelope_len;
} store_record;

/*
 * store_open: opens (creating when missing, mode 0600) the database at path and migrates it to
 * STORE_SCHEMA_VERSION. Returns 0 and *out, a handle to release with store_close; ERR_VERSION
 * when the file was written by a newer version; ERR_FORMAT when it is not a database of ours;
 * ERR_IO, ERR_FULL, ERR_BUSY, ERR_NOMEM otherwise. On failure *out is NULL and there is nothing
 * to free or close (the file may have been created, empty).
 */
int store_open(const char *path, store **out, char *err, size_t errlen);

/*
 * store_open_readonly: opens an existing database for reading only (for auditors, who may have
 * no write access): no file is created, nothing is migrated. Returns 0 and *out (release it
 * with store_close); ERR_NOTFOUND when the file does not exist; ERR_FORMAT when it is not one
 * of ours; ERR_VERSION when its schema is older or newer than this program's; ERR_IO, ERR_BUSY,
 * ERR_NOMEM. On failure *out is NULL and there is nothing to free or close.
 */
int store_open_readonly(const char *path, store **out, char *err, size_t errlen);

/* store_close: closes s; accepts NULL. */
void store_close(store *s);

/* store_set_busy_timeout: how long this connection waits for another's write lock. */
void store_set_busy_timeout(store *s, int ms);

/*
 * store_set_max_size: caps the database this connection may grow to at about mb MiB (SQLite's
 * max_page_count); past it a write fails as on a full disk (ERR_FULL). 0 leaves it uncapped.
 */
void store_set_max_size(store *s, unsigned long mb);

/*
 * store_skip_sync: stops this connection from syncing to disk. Only for generating throwaway
 * benchmark databases: a crash may then lose or damage what was written.
 */
void store_skip_sync(store *s);

/*
 * store_tune_for_writes: for a connection that writes many small transactions (the intake's
 * writer): a 16 MiB page cache, and no checkpoint run by its commits (which would hold up the
 * commits queued behind it): another connection runs store_checkpoint instead, and the writer
 * itself only when store_wal_frames says the log has grown long (then the other has copied most
 * of it, and a checkpoint between two transactions lets the next one start the log over).
 * Durability is unchanged.
 */
void store_tune_for_writes(store *s);

/* store_wal_frames: after store_tune_for_writes, the frames in the WAL after the last commit. */
int store_wal_frames(const store *s);

/* store_checkpoint: copies what the write-ahead log holds into the database as far as readers
 * allow, without waiting for or holding up writers (a passive checkpoint). 0 or ERR_IO; accepts
 * NULL (nothing to do). */
int store_checkpoint(store *s);

/* store_schema_version: the schema version of the open database, or a negative error. */
int store_schema_version(store *s);

/*
 * store_begin, store_commit, store_rollback: an IMMEDIATE transaction (the write lock is taken
 * at once, waiting up to the busy timeout). store_commit returns only once the transaction is
 * durable. store_rollback is safe to call when no transaction is open.
 */
int store_begin(store *s, char *err, size_t errlen);
int store_commit(store *s, char *err, size_t errlen);
/* store_begin_read: a transaction that writes nothing, so that several reads see one snapshot;
 * end it with store_rollback. */
int store_begin_read(store *s, char *err, size_t errlen);
void store_rollback(store *s);

/*
 * store_savepoint, store_savepoint_release, store_savepoint_undo: a step inside the open
 * transaction that can be undone alone (SAVEPOINT, RELEASE, ROLLBACK TO then RELEASE).
 * store_in_transaction: 1 while a transaction is open; after a failed step, 0 means SQLite rolled
 * the whole transaction back (as it may on a full disk or I/O error), taking earlier steps too.
 */
int store_savepoint(store *s, char *err, size_t errlen);
int store_savepoint_release(store *s, char *err, size_t errlen);
void store_savepoint_undo(store *s);
int store_in_transaction(store *s);

/* store_writable: 0 when a write transaction can be taken and released now, else an error. */
int store_writable(store *s, char *err, size_t errlen);

/*
 * store_case_insert: inserts a new case with status "new", received today, keyed by the
 * receipt's lookup and public key. With ref NULL it draws a fresh random reference (retrying on
 * the unlikely collision); otherwise it uses ref, which the caller drew with caseref_generate
 * (records sealed before the insert are bound to it). Fills c. Returns 0; ERR_EXISTS when
 * lookup or the given ref is already used; ERR_FULL; ERR_BUSY; ERR_IO.
 */
int store_case_insert(store *s, const char *ref, const unsigned char lookup[32],
                      const unsigned char reporter_pk[32], store_case *c, char *err, size_t errlen);

/*
 * store_secret_setting: fills out (len bytes) with the value stored under name, first storing
 * len random bytes there when it is missing (so every process sharing the database agrees).
 * For values that protect nothing a database thief could use, such as the csrf MAC key or the
 * database's random id. Inside a transaction the caller opened it takes part in it; otherwise it
 * runs in one of its own.
 */
int store_secret_setting(store *s, const char *name, unsigned char *out, size_t len,
                         char *err, size_t errlen);

/* store_case_erased: 1 when a case with this receipt lookup was erased (purged), 0 when not (or
 * on failure). */
int store_case_erased(store *s, const unsigned char lookup[32]);

/*
 * store_case_refs_by_prefix: the references of the cases whose reference starts with prefix (a
 * canonical start, caseref_prefix), in order, at most max of them into refs; *found is how many
 * match, counted up to max + 1 (so more than max says "and more"). Returns 0 or ERR_IO.
 */
int store_case_refs_by_prefix(store *s, const char *prefix, char (*refs)[CASEREF_TEXT_SIZE], size_t max,
                              size_t *found, char *err, size_t errlen);

/* store_case_by_ref, store_case_by_lookup: fill c. Return 0, ERR_NOTFOUND or ERR_IO. */
int store_case_by_ref(store *s, const char *ref, store_case *c, char *err, size_t errlen);
int store_case_by_lookup(store *s, const unsigned char lookup[32], store_case *c, char *err,
                         size_t errlen);

/*
 * store_cases_each: calls fn for each case (only those in status, when not NULL) in order of
 * arrival (received day, then id).
 */
int store_cases_each(store *s, const char *status, int (*fn)(void *ctx, const store_case *c),
                     void *ctx, char *err, size_t errlen);

/* store_case_count: the number of cases in *n (0 on failure). Returns 0 or an error. */
int store_case_count(store *s, int64_t *n, char *err, size_t errlen);

/* store_case_last_record: the seq of the case's newest record in *seq (0: none, or failure). */
int store_case_last_record(store *s, int64_t case_id, int64_t *seq, char *err, size_t errlen);

/* store_case_set_status: sets the reporter-facing status. ERR_NOTFOUND when no such case. */
int store_case_set_status(store *s, int64_t case_id, const char *status, char *err, size_t errlen);

/*
 * store_record_add: appends a sealed record for audience to a case, dated today, under a fresh
 * random id (62 bits) and the case's next seq. Fills *record_id when not NULL. Returns 0, ERR_NOTFOUND (no such case), ERR_FULL, ERR_BUSY, ERR_IO.
 */
int store_record_add(store *s, int64_t case_id, enum store_audience audience,
                     const unsigned char *envelope, size_t len, int64_t *record_id,
                     char *err, size_t errlen);

/*
 * store_records_each: calls fn for each record of the case in arrival order (audience 0: all).
 * Stops at the first non-zero return of fn and returns it; else 0 or ERR_IO.
 */
int store_records_each(store *s, int64_t case_id, int audience,
                       int (*fn)(void *ctx, const store_record *r), void *ctx,
                       char *err, size_t errlen);

/*
 * store_case_seqs: calls fn with each case's id, the seq of its newest record and that record's
 * id, by case id (cases with no record are left out): what an index needs to find what is new,
 * and to notice a database that went back (a restored backup).
 * store_records_after: calls fn for each record of the case with a seq above after_seq, in order.
 */
int store_case_seqs(store *s, int (*fn)(void *ctx, int64_t case_id, int64_t last_seq, int64_t last_id),
                    void *ctx, char *err, size_t errlen);
int store_records_after(store *s, int64_t case_id, int64_t after_seq,
                        int (*fn)(void *ctx, const store_record *r), void *ctx, char *err, size_t errlen);

/* store_record_replace: replaces a record's envelope (casework share). ERR_NOTFOUND when absent. */
int store_record_replace(store *s, int64_t record_id, const unsigned char *envelope, size_t len,
                         char *err, size_t errlen);

/*
 * store_attachment_add: registers an attachment of a case whose sealed metadata is meta_record,
 * with its stream header. Chunks follow with store_attachment_chunk_add, in order from 0.
 */
int store_attachment_add(store *s, int64_t case_id, int64_t meta_record,
                         const unsigned char header[24], int64_t *attachment_id,
                         char *err, size_t errlen);
int store_attachment_chunk_add(store *s, int64_t attachment_id, int64_t seq,
                               const unsigned char *data, size_t len, char *err, size_t errlen);

/*
 * store_attachment_header: fills header and *meta_record for an attachment; ERR_NOTFOUND.
 * store_attachment_chunks_each: calls fn for each chunk in sequence order, one at a time.
 */
int store_attachment_header(store *s, int64_t attachment_id, unsigned char header[24],
                            int64_t *meta_record, char *err, size_t errlen);
int store_attachment_chunks_each(store *s, int64_t attachment_id,
                                 int (*fn)(void *ctx, const unsigned char *chunk, size_t len),
                                 void *ctx, char *err, size_t errlen);

/* store_attachments_each: calls fn with each attachment of a case (id, metadata record), by id. */
int store_attachments_each(store *s, int64_t case_id,
                           int (*fn)(void *ctx, int64_t attachment_id, int64_t meta_record),
                           void *ctx, char *err, size_t errlen);

/*
 * store_audit_key_entry: calls fn with the audit entry that introduced the key key_id, as
 * recorded in audit_keys (none: fn is not called). The caller checks what the entry says.
 * store_audit_key_set: records that key_id's introduction is audit entry seq.
 */
int store_audit_key_entry(store *s, const unsigned char key_id[PUBKEY_IDBYTES],
                          int (*fn)(void *ctx, const unsigned char *entry, size_t len), void *ctx,
                          char *err, size_t errlen);
int store_audit_key_set(store *s, const unsigned char key_id[PUBKEY_IDBYTES], uint64_t seq,
                        char *err, size_t errlen);

/*
 * store_arrivals_unlogged: calls fn for each case received before before_day (YYYY-MM-DD) whose
 * arrival the audit log does not record yet, in arrival order. store_arrivals_mark_logged marks
 * them all recorded (in the same transaction as the entries).
 */
int store_arrivals_unlogged(store *s, const char *before_day,
                            int (*fn)(void *ctx, const char *ref, const char *received), void *ctx,
                            char *err, size_t errlen);
int store_arrivals_mark_logged(store *s, const char *before_day, char *err, size_t errlen);

/*
 * store_index_generation: the generation of the caseworkers' own case indexes (8 random bytes,
 * kept in settings), in *generation. With bump, draws a new one first (inside the caller's
 * transaction), so that every caseworker's index is rebuilt at its next use: after a share
 * (resealed records an index has passed) or a purge. A random value, not a count: it says
 * nothing of how many there were, and a restored database cannot come back to it. Returns 0 or
 * an error.
 */
int store_index_generation(store *s, int bump, uint64_t *generation, char *err, size_t errlen);

/* store_figures_max_id: the largest retained_figures id in *id (0: none). */
int store_figures_max_id(store *s, int64_t *id, char *err, size_t errlen);

/* store_figures_since: calls fn with each purged case's sealed figures with an id above after_id. */
int store_figures_since(store *s, int64_t after_id,
                        int (*fn)(void *ctx, int64_t id, const unsigned char *envelope, size_t len),
                        void *ctx, char *err, size_t errlen);

/*
 * store_case_erase: erases a closed case for good (its records, attachments and chunks) and
 * keeps its sealed figures, but only when it is still closed and its newest record is still
 * last_record (so a case reopened or added to meanwhile is kept). *erased is 1 when it was
 * erased, 0 when kept. Inside the caller's transaction. Returns 0 or an error.
 */
int store_case_erase(store *s, int64_t case_id, int64_t last_record, const unsigned char *figures,
                     size_t len, int *erased, char *err, size_t errlen);

/*
 * store_reclaim: after erasing, gives the zeroed pages back to the file system and empties the
 * write-ahead log, which held copies of them (a TRUNCATE checkpoint, tried again for up to 5 s
 * while another connection's checkpoint or a reader holds it up; then the busy timeout is the
 * store's default again). Returns 0 when the log was emptied; ERR_BUSY when another connection
 * (a reader in the middle of a transaction, another program) kept part of it, with a message
 * saying what to do; ERR_IO on another failure.
 */
int store_reclaim(store *s, char *err, size_t errlen);

#endif
