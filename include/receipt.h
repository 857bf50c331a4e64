/*
 * receipt.h: the reporter's receipt, the only thing that links a reporter to a case.
 *
 * A receipt is RECEIPT_BYTES (120 bits) from randombytes_buf, shown as 24 Crockford base32
 * symbols in six dash-separated groups of four ("7KQM-3XH9-..."), read back case-insensitively
 * with or without spaces and dashes. It is never stored. From it, by keyed BLAKE2b with distinct
 * contexts (crypto_kdf_derive_from_key under "sea-rcpt", from the 32-byte master key
 * BLAKE2b("sea-receipt-master-v1" || receipt)), come:
 *   - lookup (subkey 1): the 32 bytes the store indexes to find the case;
 *   - the reporter's X25519 keypair (subkey 2 as seed): replies are sealed to its public half;
 *   - a 32-byte secret key (subkey 3) for data only the reporter's later requests may read.
 */
#ifndef SEA_RECEIPT_H
#define SEA_RECEIPT_H

#include <stddef.h>

#define RECEIPT_BYTES 15
#define RECEIPT_SYMBOLS 24
#define RECEIPT_GROUP 4
#define RECEIPT_TEXT_SIZE 30   /* 24 symbols, 5 dashes, NUL */
#define RECEIPT_LOOKUPBYTES 32

/* Secrets derived from a receipt. Allocate with receipt_keys_derive, free with receipt_keys_free. */
typedef struct receipt_keys {
    unsigned char lookup[RECEIPT_LOOKUPBYTES];
    unsigned char box_pk[32];
    unsigned char box_sk[32];
    unsigned char secret[32];
} receipt_keys;

/* receipt_generate: fills raw with a fresh random receipt. */
void receipt_generate(unsigned char raw[RECEIPT_BYTES]);

/* receipt_format: writes raw as the grouped text a reporter is shown. */
void receipt_format(const unsigned char raw[RECEIPT_BYTES], char out[RECEIPT_TEXT_SIZE]);

/*
 * receipt_parse: reads a typed receipt into raw. Case, spaces and dashes do not matter, and O,
 * I and L are read as 0, 1 and 1. Returns 0, or ERR_FORMAT when it is not 24 valid symbols.
 */
int receipt_parse(const char *text, unsigned char raw[RECEIPT_BYTES]);

/*
 * receipt_keys_derive: derives every key of a receipt into new sodium_malloc memory; free it
 * with receipt_keys_free. Returns NULL when memory is short, and then there is nothing to free.
 */
receipt_keys *receipt_keys_derive(const unsigned char raw[RECEIPT_BYTES]);

/* receipt_keys_free: wipes and frees k; accepts NULL. */
void receipt_keys_free(receipt_keys *k);

/*
 * Receipt boxes hold what only the receipt's holder may read back (such as which caseworkers a
 * reporter left in): version (1) || nonce (24) || XChaCha20-Poly1305 ciphertext under
 * k->secret, with associated data "sea-receipt-box-v1" || len(case ref) || case ref. The
 * plaintext is padded (as sodium_pad) to RECEIPT_BOX_MIN_PAD bytes, or the next power of two
 * above its length, so a box's size does not tell how much it holds.
 */
#define RECEIPT_BOX_OVERHEAD (1 + 24 + 16)
#define RECEIPT_BOX_MIN_PAD 1024

/*
 * receipt_box_seal: pads and encrypts len bytes of plain for case_ref into a new malloc'd *out
 * (*out_len bytes; the caller frees it). Returns 0, ERR_LIMIT (case ref or plain too long) or
 * ERR_NOMEM. On failure *out is NULL and *out_len 0, and there is nothing to free.
 */
int receipt_box_seal(const receipt_keys *k, const char *case_ref, const unsigned char *plain,
                     size_t len, unsigned char **out, size_t *out_len);

/*
 * receipt_box_open: decrypts a receipt box into new sodium_malloc memory (*plain, *len; free with
 * sodium_free). Returns 0, ERR_FORMAT, ERR_AUTH (altered, other case or other receipt), ERR_NOMEM.
 * On failure *plain is NULL and *len 0, and there is nothing to free (it was wiped).
 */
int receipt_box_open(const receipt_keys *k, const char *case_ref, const unsigned char *box,
                     size_t box_len, unsigned char **plain, size_t *len);

#endif
