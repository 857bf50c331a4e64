/*
 * sync-push.h: a push, the one message sequence that changes the server: what a replica did,
 * with the audit entries that record it, signed as a whole by the caseworker's Ed25519 key.
 *
 *     PUSH:  signer key id (8) || server database id (16) || base seq (8) || base hash (32)
 *     ITEM:  kind (1) || fields (one message per item; audit entries first)
 *     SIGN:  Ed25519 signature (64) of BLAKE2b-256("sea-push-v1" || len(PUSH) (4) || PUSH ||
 *            for each ITEM: len(ITEM) (4) || ITEM), lengths little-endian
 *
 * Item kinds and fields (texts and blobs as sync-wire.h; every kind but 1 starts with the seq
 * (8) of a pushed audit entry that records it):
 *
 *   1 audit entry:  the entry (blob), numbered on from the base, signed by the signer
 *   2 record added: seq, case ref, record id (8), audience (1: 1 or 2), day, envelope (blob)
 *   3 resealed:     seq, case ref, record id (8), envelope (blob)
 *   4 status:       seq, case ref, status, the status it changed (applied only to a case still
 *                   in that status; otherwise skipped, and counted in the answer)
 *   5 arrival:      seq, case ref (its arrival is in the log)
 *   6 erased:       seq, case ref, the id (8) of its newest record
 *   7 figures:      seq, envelope (blob)
 *
 * The server applies it in one transaction, only when the signer is one of its caseworkers, the
 * database id is its own, the base is its audit head, every entry verifies and chains on, every
 * change names a pushed entry, and the signature verifies; otherwise it applies nothing.
 */
#ifndef SEA_CASEWORK_SYNC_PUSH_H
#define SEA_CASEWORK_SYNC_PUSH_H

#include <sodium.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "keyfile.h"
#include "pubkey.h"
#include "store.h"
#include "sync-wire.h"

#define SYNC_RECORD_HASHBYTES 16

/* Refusal codes of SYNC_REFUSED. */
enum { SYNC_PULL_FIRST = 1, SYNC_REFUSED_WHOLE = 2 };

enum { SYNC_ITEM_AUDIT = 1 };   /* the other kinds are enum store_outbox_kind's */

/* sync_record_hash: what a record summary carries of its envelope (BLAKE2b-128). */
void sync_record_hash(const unsigned char *envelope, size_t len, unsigned char out[SYNC_RECORD_HASHBYTES]);

/* The server's side of one push. */
#define SYNC_PUSH_MAX (256u * 1024 * 1024)   /* the items of one push, held until it is signed */

typedef struct sync_apply {
    store *s;
    const pubkey *signer;
    crypto_generichash_state transcript;
    unsigned char db_id[16], base_hash[AUDIT_HASHBYTES];
    uint64_t base_seq;
    wire_buf held;   /* the items, until the signature is checked */
    audit_verifier *v;
    uint64_t first_new, next_seq;
    int began, failed, pull_first, skip_figures;
    unsigned entries, changes, skipped;
    /* status changes left out (the case changed meanwhile): their entry's seq and case, whose
     * record of the change is left out with them */
    struct { uint64_t seq; char ref[CASEREF_TEXT_SIZE]; } stale[64];
    size_t nstale;
} sync_apply;

/* sync_apply_begin: reads PUSH (touching no database). A failure is kept (items are still read
 * and ignored) and reported by sync_apply_finish; it returns it too. */
int sync_apply_begin(sync_apply *a, store *s, const pubkey *known, size_t nknown, const unsigned char *p,
                     size_t len, char *why, size_t whylen);
/* sync_apply_item: holds one ITEM (at most SYNC_PUSH_MAX bytes in all). */
void sync_apply_item(sync_apply *a, const unsigned char *p, size_t len, char *why, size_t whylen);
/* sync_apply_finish: checks SIGN, and only then opens the transaction, applies every item and
 * commits. Returns 0; ERR_EXISTS when the client must pull first; another error when the push is
 * refused (why says why); nothing applied then. */
int sync_apply_finish(sync_apply *a, const unsigned char *sig, size_t len, char *why, size_t whylen);
/* sync_apply_abort: the stream broke: rolls back. */
void sync_apply_abort(sync_apply *a);

/*
 * sync_push_write: writes the push of what the replica local did after its base (PUSH, the
 * items, SIGN) on w and flushes it, without waiting for an answer: over a connection, or into an
 * exchange file for an air-gapped workstation. *pushed counts the changes. Returns 0 or an error.
 * sync_push_answer: reads the server's answer, as sync_push returns it.
 */
int sync_push_write(store *local, const caseworker_key *k, sync_wire *w, const unsigned char server_id[16],
                    uint64_t base_seq, const unsigned char base_hash[AUDIT_HASHBYTES], unsigned *pushed,
                    char *err, size_t errlen);
int sync_push_answer(sync_wire *w, uint64_t *head_seq, unsigned char head_hash[AUDIT_HASHBYTES], unsigned *skipped,
                     char *err, size_t errlen);

/*
 * sync_push: sends what the replica local did after its base (its own audit entries and its
 * outbox), signed with k, for the server server_id, and reads the answer. Returns 0 with the
 * server's new head in *head_seq, head_hash; *pushed says how many changes went, *skipped how
 * many the server left out (status changes to a case another caseworker changed meanwhile). ERR_EXISTS
 * when the server says to pull first; ERR_AUTH when it refused the push (err says why).
 */
int sync_push(store *local, const caseworker_key *k, sync_wire *w, const unsigned char server_id[16],
              uint64_t base_seq, const unsigned char base_hash[AUDIT_HASHBYTES], unsigned *pushed,
              uint64_t *head_seq, unsigned char head_hash[AUDIT_HASHBYTES], unsigned *skipped, char *err,
              size_t errlen);

#endif
