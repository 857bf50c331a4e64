/*
 * envelope.h: how one record (a report, a follow-up, a reply, a note, attachment metadata) is
 * encrypted for the caseworkers who may read it.
 *
 * Layout, version 1 (all integers little-endian):
 *
 *     offset  size        field
 *     0       1           version (1)
 *     1       1           algorithm (1: X25519 sealed box + XChaCha20-Poly1305-IETF)
 *     2       2           reserved, 0
 *     4       2           slot count n (1..ENVELOPE_MAX_SLOTS)
 *     6       80 * n      key slots: crypto_box_seal(content key) to each recipient
 *     6+80n   32          key commitment: BLAKE2b-256(key = content key, "sea-envelope-commit-v1")
 *     38+80n  24          nonce
 *     62+80n  rest        XChaCha20-Poly1305 ciphertext of pad(kind (1 byte) || plaintext), tag
 *
 * A fresh random 32-byte content key encrypts the content. Associated data is
 * "sea-envelope-v1" || len(case ref) (one byte) || case ref || bytes 0 to 38+80n-1 of the record
 * (header, every slot and the commitment), so a record cannot be moved to another case and no
 * byte of it can be changed unnoticed. The commitment is checked before decrypting, so no two
 * recipients can be handed slots with different keys that open the same ciphertext to different
 * texts. The record kind travels inside the ciphertext (a reader of the database sees no kind)
 * and is checked after decryption. Slots say nothing of whose they are: a record carries one
 * slot per configured recipient, recipients left out get a slot sealed to a throwaway key
 * (indistinguishable from a real one), and slots are shuffled. A reader finds its slot by trying
 * each. kind || plaintext is padded (ISO/IEC 7816-4, as sodium_pad) to the smallest power of two
 * of at least ENVELOPE_MIN_BUCKET bytes above its length, so the length says little.
 */
#ifndef SEA_ENVELOPE_H
#define SEA_ENVELOPE_H

#include <stddef.h>
#include <stdint.h>

#define ENVELOPE_VERSION 1
#define ENVELOPE_ALG_SEALBOX_XCHACHA 1
#define ENVELOPE_HEADERBYTES 6
#define ENVELOPE_COMMITBYTES 32
#define ENVELOPE_SLOTBYTES 80
#define ENVELOPE_NONCEBYTES 24
#define ENVELOPE_TAGBYTES 16
#define ENVELOPE_KEYBYTES 32
#define ENVELOPE_MAX_SLOTS 64
#define ENVELOPE_MIN_BUCKET 256
#define ENVELOPE_MAX_PLAIN (1024 * 1024)

/* Record kinds, sealed inside each record. Never renumber, only add. */
enum envelope_kind {
    ENVELOPE_KIND_REPORT = 1,
    ENVELOPE_KIND_ATTACHMENT_META = 2,
    ENVELOPE_KIND_FOLLOWUP = 3,
    ENVELOPE_KIND_REPLY = 4,
    ENVELOPE_KIND_NOTE = 5,
    ENVELOPE_KIND_TRIAGE = 6,
    ENVELOPE_KIND_SHARE = 7,    /* a caseworker given the case later: their public key */
    ENVELOPE_KIND_FIGURES = 8,  /* what a purged case leaves for the statistics */
    ENVELOPE_KIND_AUDIT = 9,    /* the readable part of an audit entry (audit.h) */
    ENVELOPE_KIND_AUDIT_LEGACY = 10   /* a piece of a sealed version-1 audit log (audit.h) */
};

/*
 * envelope_seal: encrypts plain (plain_len <= ENVELOPE_MAX_PLAIN) for the nrecipients X25519
 * public keys in recipients (32 bytes each, 1..ENVELOPE_MAX_SLOTS). When include is not NULL,
 * only recipients with include[i] != 0 get a working slot; the others get a dummy slot. At
 * least one must be included. On success *out is a new malloc'd buffer of *out_len bytes (the
 * caller frees it). Returns 0, ERR_LIMIT, ERR_NOMEM or ERR_INTERNAL. On failure *out is NULL and
 * *out_len 0, and there is nothing to free (the content key and padded text were wiped).
 */
int envelope_seal(const unsigned char *recipients, size_t nrecipients, const unsigned char *include,
                  enum envelope_kind kind, const char *case_ref,
                  const unsigned char *plain, size_t plain_len,
                  unsigned char **out, size_t *out_len, char *err, size_t errlen);

/*
 * envelope_open: opens env with the keypair (pk, sk). On success *plain is a new buffer from
 * sodium_malloc holding *plain_len bytes and a NUL past them; free it with sodium_free (which
 * wipes it). Returns 0; ERR_FORMAT (not an envelope of a known version); ERR_NOT_RECIPIENT (no
 * slot opens with this key); ERR_AUTH (a slot opens but the content was altered, or belongs to
 * another case, or is of another kind); ERR_NOMEM. On failure *plain is NULL and *plain_len 0,
 * and there is nothing to free (whatever was decrypted was wiped).
 */
int envelope_open(const unsigned char pk[32], const unsigned char sk[32],
                  enum envelope_kind kind, const char *case_ref,
                  const unsigned char *env, size_t env_len,
                  unsigned char **plain, size_t *plain_len, char *err, size_t errlen);

/*
 * envelope_open_any: as envelope_open, for a record of any kind; the kind found inside is
 * written to *kind. On failure *plain is NULL and *plain_len 0, *kind is left as it was, and
 * there is nothing to free.
 */
int envelope_open_any(const unsigned char pk[32], const unsigned char sk[32], const char *case_ref,
                      const unsigned char *env, size_t env_len, enum envelope_kind *kind,
                      unsigned char **plain, size_t *plain_len, char *err, size_t errlen);

/*
 * envelope_open_key: finds this keypair's slot and hands back the record's content key (into
 * key, ENVELOPE_KEYBYTES of guarded memory the caller provides), checked against the commitment.
 * For sharing a record with one more caseworker. Returns 0, ERR_FORMAT, ERR_NOT_RECIPIENT,
 * ERR_AUTH.
 */
int envelope_open_key(const unsigned char pk[32], const unsigned char sk[32],
                      const unsigned char *env, size_t env_len, unsigned char *key,
                      char *err, size_t errlen);

/*
 * envelope_add_recipient: opens env with (pk, sk) and writes into *out (malloc'd) the same
 * record, same content key and content, with one more slot, sealed to new_pk, at a random
 * position, re-encrypted under a fresh nonce (the associated data covers the slots). Everyone
 * who could open env can open the result; the caller frees *out. Returns 0, or an error as
 * envelope_open; ERR_LIMIT when the record has ENVELOPE_MAX_SLOTS slots already; ERR_INTERNAL
 * when new_pk cannot be sealed to. On failure *out is NULL and *out_len 0, and there is
 * nothing to free (the content key and plaintext were wiped).
 */
int envelope_add_recipient(const unsigned char pk[32], const unsigned char sk[32],
                           const char *case_ref, const unsigned char *env, size_t env_len,
                           const unsigned char new_pk[32], unsigned char **out, size_t *out_len,
                           char *err, size_t errlen);

/*
 * envelope_reseal: opens env (of kind, for case_ref) with (pk, sk) and writes into *out
 * (malloc'd; the caller frees it) a record with the same slots, the same content key and so the
 * same readers, holding plain (plain_len <= ENVELOPE_MAX_PLAIN) under a fresh nonce. For
 * renumbering an audit entry whose readers the caller may not know. Returns 0, or an error as
 * envelope_open; on failure *out is NULL and *out_len 0, and the content key was wiped.
 */
int envelope_reseal(const unsigned char pk[32], const unsigned char sk[32], enum envelope_kind kind,
                    const char *case_ref, const unsigned char *env, size_t env_len,
                    const unsigned char *plain, size_t plain_len, unsigned char **out, size_t *out_len,
                    char *err, size_t errlen);

/*
 * envelope_slot_count: the slot count of the well-formed envelope header at env (len bytes), or
 * 0 when it is not one.
 */
size_t envelope_slot_count(const unsigned char *env, size_t len);

/*
 * envelope_sealed_size: the size of an envelope with nslots slots holding plain_len bytes, or 0
 * when plain_len is over ENVELOPE_MAX_PLAIN.
 */
size_t envelope_sealed_size(size_t nslots, size_t plain_len);

/*
 * envelope_pad_bucket: the padded size of len bytes: the smallest power of two of at least
 * ENVELOPE_MIN_BUCKET that is greater than len; 0 when len is over 2^40.
 */
size_t envelope_pad_bucket(size_t len);

#endif
