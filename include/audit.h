/*
 * audit.h: the tamper-evident audit log: who did what to which case, and when. Auditors read and
 * verify it with public keys only; only casework (which holds a caseworker's key) appends.
 *
 * An entry's body, version 1 (integers little-endian, strings as length || bytes):
 *
 *     version (1) || seq (8) || prev_hash (32) || time (1+n) || actor key id (8) ||
 *     actor name (1+n) || action (1+n) || case ref (1+n) || details (2+n)
 *
 * and the stored entry is body || signature algorithm (1: Ed25519) || signature (64) over
 * hash = BLAKE2b-256("sea-audit-v1" || body). prev_hash is the hash of entry seq - 1 (zeros for
 * entry 1), so entries form a chain: changing, removing, inserting or reordering any entry
 * breaks the chain at that point. time is "YYYY-MM-DDTHH:MM:SSZ" for caseworker actions, and
 * "YYYY-MM-DD" for a report's arrival (so the log cannot time a reporter). details are short
 * "key=value" pairs that never hold text a person wrote.
 *
 * A "key-added" entry introduces a caseworker's public keys (details "pub=<.pub line>") and is
 * signed by that key; every later entry of that actor must verify under it. Truncation of the
 * newest entries cannot be seen from the log alone: an auditor records the head (seq and hash)
 * elsewhere and later checks it is still there.
 */
#ifndef SEA_AUDIT_H
#define SEA_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "pubkey.h"
#include "store.h"

#define AUDIT_VERSION 1
#define AUDIT_HASHBYTES 32
#define AUDIT_SIGBYTES 64
#define AUDIT_SIG_ED25519 1
#define AUDIT_TIME_MAX 32
#define AUDIT_ACTION_MAX 32
#define AUDIT_DETAILS_MAX 512
#define AUDIT_ENTRY_MAX 2048
#define AUDIT_EXPORT_MAGIC "SEA-AUDIT-EXPORT-1\n"

typedef struct audit_entry {
    uint64_t seq;
    unsigned char prev_hash[AUDIT_HASHBYTES];
    char time[AUDIT_TIME_MAX + 1];
    unsigned char key_id[PUBKEY_IDBYTES];
    char actor[PUBKEY_NAME_MAX + 1];
    char action[AUDIT_ACTION_MAX + 1];
    char case_ref[CASEREF_TEXT_SIZE];
    char details[AUDIT_DETAILS_MAX + 1];
    unsigned char sig[AUDIT_SIGBYTES];
} audit_entry;

/*
 * audit_encode_body: writes e's body (everything but the signature) into out (AUDIT_ENTRY_MAX
 * bytes) and its length into *len. Returns 0, or ERR_LIMIT when a field is too long.
 */
int audit_encode_body(const audit_entry *e, unsigned char *out, size_t *len);

/* audit_hash: the entry hash of a body. */
void audit_hash(const unsigned char *body, size_t len, unsigned char hash[AUDIT_HASHBYTES]);

/*
 * audit_decode: parses a stored entry (body, algorithm, signature) into e and sets *body_len to
 * the length of its body. Returns 0 or ERR_FORMAT.
 */
int audit_decode(const unsigned char *buf, size_t len, audit_entry *e, size_t *body_len);

/*
 * An incremental verifier: feed entries in order with audit_verify_next; it keeps the chain,
 * the keys introduced so far and the expected sequence number.
 */
typedef struct audit_verifier audit_verifier;

/*
 * audit_verify_new: a verifier. trusted (may be NULL) lists the caseworker keys the auditor
 * accepts; when given, a key-added entry for any other key is a failure. head_seq (0: none) is
 * the sequence number of a head the auditor recorded earlier, checked by audit_verify_finish.
 * trusted must outlive the verifier, which keeps a pointer to it. Returns a new verifier to free
 * with audit_verify_free, or NULL when memory is short (and then there is nothing to free).
 */
audit_verifier *audit_verify_new(const pubkey *trusted, size_t ntrusted, uint64_t head_seq);

/*
 * audit_verify_next: checks the next stored entry. Returns 0, or ERR_AUTH with a message naming
 * the entry and what is wrong (a changed field, a broken chain, a gap or reordering, a bad or
 * foreign signature). After a failure the verifier stays failed.
 */
int audit_verify_next(audit_verifier *v, const unsigned char *entry, size_t len,
                      char *err, size_t errlen);

/*
 * audit_verify_finish: checks what can only be checked at the end: when the verifier was made
 * with a head, that its entry is still in the log with hash head_hash (so the log was neither
 * truncated nor rewritten from there). Returns 0 or ERR_AUTH.
 */
int audit_verify_finish(audit_verifier *v, const unsigned char *head_hash, char *err, size_t errlen);

/* audit_verify_last: the seq and hash of the last entry verified (0 and zeros: none). */
uint64_t audit_verify_last(const audit_verifier *v, unsigned char hash[AUDIT_HASHBYTES]);

/* audit_verify_free: frees v; accepts NULL. */
void audit_verify_free(audit_verifier *v);

/* audit_store_each: calls fn with each stored entry in seq order; stops at fn's non-zero. */
int audit_store_each(store *s, int (*fn)(void *ctx, const unsigned char *entry, size_t len),
                     void *ctx, char *err, size_t errlen);

/* audit_store_head: the newest entry's seq and hash (*seq 0 and zero hash when empty). */
int audit_store_head(store *s, uint64_t *seq, unsigned char hash[AUDIT_HASHBYTES],
                     char *err, size_t errlen);

/*
 * audit_store_insert: stores an entry (inside the caller's transaction). Returns 0, ERR_EXISTS
 * when its seq is taken (another caseworker appended first), ERR_FULL, ERR_BUSY, ERR_IO.
 */
int audit_store_insert(store *s, uint64_t seq, const unsigned char *entry, size_t len,
                       char *err, size_t errlen);

/*
 * An audit export (casework audit export) is AUDIT_EXPORT_MAGIC followed by the stored entries
 * in seq order, each as its length (4 bytes, little-endian) and its bytes.
 *
 * audit_export_each: calls fn with each entry of the export in buf (len bytes), in order;
 * stops at fn's first non-zero return and returns it. Returns 0; or ERR_FORMAT with err set to
 * "is not an audit export (...)" or "is truncated" (meant to follow the file's name), after fn
 * has seen the entries before the damage.
 */
int audit_export_each(const unsigned char *buf, size_t len,
                      int (*fn)(void *ctx, const unsigned char *entry, size_t len), void *ctx,
                      char *err, size_t errlen);

/* audit_hash_parse: reads 64 hex digits into hash; 0 or ERR_FORMAT. */
int audit_hash_parse(const char *hex, unsigned char hash[AUDIT_HASHBYTES]);

#endif
