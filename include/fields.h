/*
 * fields.h: the plaintext inside a sealed record: a list of named values. Encoded as
 *
 *     version (1 byte, 1) || entries
 *     entry = name length (1 byte, 1..FIELDS_NAME_MAX) || name || value length (4 bytes LE) || value
 *
 * Names are ASCII identifiers chosen by the program ("category", "description"); values are any
 * bytes (UTF-8 text, or binary such as a stream key). A name may repeat. Decoding never copies a
 * value: decoded fields point into the caller's buffer.
 */
#ifndef SEA_FIELDS_H
#define SEA_FIELDS_H

#include <stddef.h>

#define FIELDS_VERSION 1
#define FIELDS_NAME_MAX 31
#define FIELDS_MAX 128

typedef struct field {
    char name[FIELDS_NAME_MAX + 1];
    const unsigned char *value;
    size_t len;
} field;

/* fields_set: fills f with name and a value of len bytes (not copied). */
void fields_set(field *f, const char *name, const void *value, size_t len);

/* fields_encoded_size: the bytes fields_encode writes for n fields. */
size_t fields_encoded_size(const field *f, size_t n);

/*
 * fields_encode: writes the encoding of n fields into out, which must hold
 * fields_encoded_size(f, n) bytes. Returns 0, or ERR_LIMIT for a bad name or too many fields.
 */
int fields_encode(const field *f, size_t n, unsigned char *out);

/*
 * fields_decode: parses buf into at most max fields (pointing into buf); *n gets the count.
 * Returns 0, ERR_FORMAT for a malformed or truncated encoding, ERR_LIMIT for too many fields.
 */
int fields_decode(const unsigned char *buf, size_t len, field *out, size_t max, size_t *n);

/* fields_find: the first field called name among n, or NULL. */
const field *fields_find(const field *f, size_t n, const char *name);

#endif
