/*
 * audit.h: the tamper-evident audit log: who did what to which case, and when. Anyone can verify
 * its chain and signatures with public keys only; only auditors (and the acting caseworker) can
 * read what each entry says; only casework (which holds a caseworker's key) appends.
 *
 * An entry, version 2 (integers little-endian):
 *
 *     version (1: 2) || seq (8) || prev_hash (32) || signer key id (8) || kind (1) ||
 *     clear length (2) || clear || sealed length (4) || sealed ||
 *     signature algorithm (1: Ed25519) || signature (64)
 *
 * The signature is over hash = BLAKE2b-256("sea-audit-v2" || every byte before the algorithm).
 * prev_hash is the hash of entry seq - 1 (zeros for entry 1), so entries form a chain: changing,
 * removing, inserting or reordering any entry breaks it at that point. Kinds:
 *
 *   1 action:       clear is empty; sealed is an envelope (envelope.h) of kind
 *                   ENVELOPE_KIND_AUDIT, case ref "audit", sealed to every auditor and the
 *                   signer, holding the readable part padded to AUDIT_SEALED_PLAIN bytes:
 *                   seq (8) || signer key id (8) || time (1+n) || action (1+n) ||
 *                   case ref (1+n) || details (2+n) || outcome || zeros
 *                   where outcome is one byte 0 (not recorded: entries written before outcomes
 *                   were, whose padding reads as this) or, for 1..4 (enum audit_outcome),
 *                   that byte || attempt id (8) || reason (1+n)
 *   2 introduction: as 1 (action "key-added"), and clear is the signer's `.pub` line without
 *                   its newline: the key every later entry of that signer verifies under.
 *   3 old log:      clear is empty; sealed is an envelope of kind ENVELOPE_KIND_AUDIT_LEGACY,
 *                   case ref "audit-legacy", holding the next piece (at most AUDIT_LEGACY_CHUNK
 *                   bytes) of an audit export (see below) of the version-1 entries this log
 *                   held before it was sealed.
 *
 * time is "YYYY-MM-DDTHH:MM:SSZ" for caseworker actions and "YYYY-MM-DD" for a report's arrival
 * (so the log cannot time a reporter); details are short "key=value" pairs that never hold text
 * a person wrote. The first entry is entry 1 with zero prev_hash, or, in a log whose version-1
 * entries were sealed, an introduction numbered one past them whose prev_hash is the hash of
 * the last of them, followed at once by the old-log entries.
 *
 * Version 1 (databases before schema 7) kept everything in the clear:
 *
 *     version (1) || seq (8) || prev_hash (32) || time (1+n) || actor key id (8) ||
 *     actor name (1+n) || action (1+n) || case ref (1+n) || details (2+n) || algorithm || sig
 *
 * signed over BLAKE2b-256("sea-audit-v1" || body); a "key-added" entry's details are
 * "pub=<.pub line>". casework seals such a log into old-log entries on its first append.
 *
 * Truncation of the newest entries cannot be seen from the log alone: an auditor records the
 * head (seq and hash) elsewhere and later checks it is still there.
 */
#ifndef SEA_AUDIT_H
#define SEA_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "pubkey.h"
#include "store.h"

#define AUDIT_V1 1
#define AUDIT_V2 2
#define AUDIT_HASHBYTES 32
#define AUDIT_SIGBYTES 64
#define AUDIT_SIG_ED25519 1
#define AUDIT_TIME_MAX 32
#define AUDIT_ACTION_MAX 32
#define AUDIT_DETAILS_MAX 512        /* version 1; version 2 holds what fits in the padding */
#define AUDIT_ENTRY_MAX 2048         /* a version-1 entry's body */
#define AUDIT_SEALED_PLAIN 510       /* with the kind byte, one 512-byte envelope bucket */
#define AUDIT_LEGACY_CHUNK (512u * 1024)
#define AUDIT_EXPORT_MAGIC "SEA-AUDIT-EXPORT-1\n"
#define AUDIT_ATTEMPT_BYTES 8
#define AUDIT_REASON_MAX 64

/* Whether an action took effect, as its entry says (the outcome byte of the readable part):
 *   NONE     not recorded (entries from before outcomes were recorded);
 *   DONE     it took effect: a read whose access the entry records, a change written in the
 *            same transaction as the entry, or the follow-up of a BEGUN entry;
 *   REFUSED  checked before acting and refused: nothing was done; reason says why;
 *   BEGUN    appended before acting; a later entry of the same signer with the same attempt id
 *            records the outcome (DONE or FAILED); none means the command was interrupted;
 *   FAILED   the follow-up of a BEGUN entry: it did not take effect; reason says why.
 * Reasons are fixed texts of casework's (never text a person wrote). */
enum audit_outcome {
    AUDIT_OUTCOME_NONE = 0,
    AUDIT_OUTCOME_DONE = 1,
    AUDIT_OUTCOME_REFUSED = 2,
    AUDIT_OUTCOME_BEGUN = 3,
    AUDIT_OUTCOME_FAILED = 4
};

/* audit_outcome_name: "done", "refused", "begun", "failed", or "not recorded" (0 and others). */
const char *audit_outcome_name(int outcome);

enum audit_kind {
    AUDIT_KIND_ACTION = 1,
    AUDIT_KIND_INTRO = 2,
    AUDIT_KIND_LEGACY = 3
};

/* What an entry says: in the clear in version 1, sealed in version 2 (actor is then the name on
 * the signer's introduction, filled by whoever reads it; sig is version 1's only). */
typedef struct audit_entry {
    uint64_t seq;
    unsigned char prev_hash[AUDIT_HASHBYTES];
    char time[AUDIT_TIME_MAX + 1];
    unsigned char key_id[PUBKEY_IDBYTES];
    char actor[PUBKEY_NAME_MAX + 1];
    char action[AUDIT_ACTION_MAX + 1];
    char case_ref[CASEREF_TEXT_SIZE];
    char details[AUDIT_DETAILS_MAX + 1];
    int outcome;                                   /* enum audit_outcome; version 1: NONE */
    unsigned char attempt[AUDIT_ATTEMPT_BYTES];    /* pairs a BEGUN entry with its follow-up */
    char reason[AUDIT_REASON_MAX + 1];             /* REFUSED, FAILED: why; else usually "" */
    unsigned char sig[AUDIT_SIGBYTES];
} audit_entry;

/* What anyone sees of a stored entry of either version: enough to check the chain and the
 * signature. Pointers point into the parsed buffer. */
typedef struct audit_frame {
    int version;
    uint64_t seq;
    unsigned char prev_hash[AUDIT_HASHBYTES];
    unsigned char key_id[PUBKEY_IDBYTES];
    int kind;                                 /* enum audit_kind (version 1: 2 for key-added) */
    char pub[PUBKEY_LINE_MAX];                /* kind 2: the signer's `.pub` line, else "" */
    const unsigned char *sealed;              /* version 2: the envelope */
    size_t sealed_len;
    size_t body_len;                          /* the signed bytes */
    unsigned char hash[AUDIT_HASHBYTES];      /* the entry hash */
    unsigned char sig[AUDIT_SIGBYTES];
} audit_frame;

/*
 * audit_frame_parse: parses a stored entry of either version into f and computes its hash.
 * Returns 0 or ERR_FORMAT (malformed, unknown version or kind, trailing bytes).
 */
int audit_frame_parse(const unsigned char *buf, size_t len, audit_frame *f);

/*
 * audit_seal: builds a version-2 entry of kind, numbered e->seq after e->prev_hash, signer
 * e->key_id. For kinds 1 and 2, e's time, action, case_ref and details are sealed to the
 * nreaders X25519 keys in readers (32 bytes each, 1..ENVELOPE_MAX_SLOTS), and pub_line is the
 * clear part of kind 2 (NULL otherwise). For kind 3, piece (piece_len <= AUDIT_LEGACY_CHUNK) is
 * sealed instead. On success *out is a new malloc'd buffer of *body_len + 1 + AUDIT_SIGBYTES
 * bytes holding the body, with the entry hash in hash: the caller writes the algorithm byte
 * and the signature after the body, and frees *out. Returns 0, ERR_LIMIT (a field too long for
 * the padding), ERR_NOMEM, ERR_INTERNAL; then *out is NULL.
 */
int audit_seal(const audit_entry *e, int kind, const char *pub_line,
               const unsigned char *readers, size_t nreaders,
               const unsigned char *piece, size_t piece_len,
               unsigned char **out, size_t *body_len, unsigned char hash[AUDIT_HASHBYTES],
               char *err, size_t errlen);

/*
 * audit_open: reads what a version-2 entry of kind 1 or 2 says, with the keypair (pk, sk).
 * Fills e (actor left empty) and checks that the sealed seq and key id are the frame's.
 * Returns 0; ERR_NOT_RECIPIENT (sealed to other readers); ERR_AUTH (altered, or sealed for
 * another entry); ERR_FORMAT; ERR_NOMEM. The plaintext is wiped before returning.
 */
int audit_open(const audit_frame *f, const unsigned char pk[32], const unsigned char sk[32],
               audit_entry *e, char *err, size_t errlen);

/*
 * audit_relink: the version-2 entry f (kind 1 or 2), renumbered seq and chained after
 * prev_hash, for a replica that puts its own pending entries after the server's new ones. Only
 * a reader of f ((pk, sk), normally its signer) can do it; the new sealed part has the same
 * readers (envelope_reseal). On success *out and *body_len are as for audit_seal (the caller
 * signs). Returns 0, or an error as audit_open.
 */
int audit_relink(const audit_frame *f, const unsigned char pk[32], const unsigned char sk[32], uint64_t seq,
                 const unsigned char prev_hash[AUDIT_HASHBYTES], unsigned char **out, size_t *body_len,
                 unsigned char hash[AUDIT_HASHBYTES], char *err, size_t errlen);

/*
 * audit_open_legacy: opens an old-log entry (kind 3) with (pk, sk). On success *piece is a
 * sodium_malloc buffer of *piece_len bytes (free with sodium_free). Errors as audit_open.
 */
int audit_open_legacy(const audit_frame *f, const unsigned char pk[32], const unsigned char sk[32],
                      unsigned char **piece, size_t *piece_len, char *err, size_t errlen);

/*
 * audit_encode_body: writes e's version-1 body (everything but the signature) into out
 * (AUDIT_ENTRY_MAX bytes) and its length into *len. Returns 0, or ERR_LIMIT when a field is too
 * long. Version 1 is only read now; this writes it for tests and tools.
 */
int audit_encode_body(const audit_entry *e, unsigned char *out, size_t *len);

/* audit_hash: the entry hash of a version-1 body. */
void audit_hash(const unsigned char *body, size_t len, unsigned char hash[AUDIT_HASHBYTES]);

/*
 * audit_decode: parses a stored version-1 entry (body, algorithm, signature) into e and sets
 * *body_len to the length of its body. Returns 0 or ERR_FORMAT.
 */
int audit_decode(const unsigned char *buf, size_t len, audit_entry *e, size_t *body_len);

/*
 * An incremental verifier: feed entries in order with audit_verify_next; it keeps the chain,
 * the keys introduced so far and the expected sequence number. It needs no secret key.
 */
typedef struct audit_verifier audit_verifier;

/*
 * audit_verify_new: a verifier. trusted (may be NULL) lists the caseworker keys the auditor
 * accepts; when given, an introduction of any other key is a failure. head_seq (0: none) is
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
 * audit_verify_finish: checks what can only be checked at the end: that a log starting past
 * entry 1 went on with the sealed old log; and when the verifier was made with a head, that its
 * entry is still in the log with hash head_hash (so the log was neither truncated nor rewritten
 * from there). A head inside the sealed old log cannot be checked without a key: ERR_AUTH says
 * so (audit-read.h checks it). Returns 0 or ERR_AUTH.
 */
int audit_verify_finish(audit_verifier *v, const unsigned char *head_hash, char *err, size_t errlen);

/* audit_verify_first: the seq of the first entry verified: 1, or past the entries sealed in the
 * old log (0: none yet). */
uint64_t audit_verify_first(const audit_verifier *v);

/* audit_verify_last: the seq and hash of the last entry verified (0 and zeros: none). */
uint64_t audit_verify_last(const audit_verifier *v, unsigned char hash[AUDIT_HASHBYTES]);

/* audit_verify_signer: the key that signed the last entry verified (NULL: none). The pointer
 * stays valid until the next call on v. */
const pubkey *audit_verify_signer(const audit_verifier *v);

/*
 * audit_verify_resume: after audit_verify_next failed on entry (len bytes), goes on as if the
 * chain continued from it: the next entry must follow it (its seq + 1 and its hash, when it
 * parses; else the seq that was expected + 1). A key the failed entry introduced is not learnt,
 * so the entries it signs fail too. For readers that mark each failing entry and read on; the
 * log as a whole still failed (audit_verify_finish does not know it: the caller counts).
 */
void audit_verify_resume(audit_verifier *v, const unsigned char *entry, size_t len);

/* audit_verify_keys: the keys introduced so far (*n of them); valid until the next call on v. */
const pubkey *audit_verify_keys(const audit_verifier *v, size_t *n);

/* audit_verify_free: frees v; accepts NULL. */
void audit_verify_free(audit_verifier *v);

/* audit_store_each: calls fn with each stored entry in seq order; stops at fn's non-zero. */
int audit_store_each(store *s, int (*fn)(void *ctx, const unsigned char *entry, size_t len),
                     void *ctx, char *err, size_t errlen);

/* audit_store_head: the newest entry's seq and hash (*seq 0 and zero hash when empty). */
int audit_store_head(store *s, uint64_t *seq, unsigned char hash[AUDIT_HASHBYTES],
                     char *err, size_t errlen);

/* audit_store_version: the version of the oldest stored entry (0: the log is empty). */
int audit_store_version(store *s, int *version, char *err, size_t errlen);

/*
 * audit_store_insert: stores an entry (inside the caller's transaction). Returns 0, ERR_EXISTS
 * when its seq is taken (another caseworker appended first), ERR_FULL, ERR_BUSY, ERR_IO.
 */
int audit_store_insert(store *s, uint64_t seq, const unsigned char *entry, size_t len,
                       char *err, size_t errlen);

/*
 * audit_store_drop_v1: inside the caller's transaction, deletes every version-1 entry and
 * forgets where each key was introduced (for the sealing of an old log; the schema lets only
 * version-1 entries be deleted). Returns 0 or an error.
 */
int audit_store_drop_v1(store *s, char *err, size_t errlen);

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

/*
 * audit_store_export: the whole stored log as an export, in a new malloc'd buffer (*out, *len;
 * the caller frees it). Returns 0, ERR_NOMEM or a store error; then *out is NULL.
 */
int audit_store_export(store *s, unsigned char **out, size_t *len, char *err, size_t errlen);

/* audit_hash_parse: reads 64 hex digits into hash; 0 or ERR_FORMAT. */
int audit_hash_parse(const char *hex, unsigned char hash[AUDIT_HASHBYTES]);

#endif
