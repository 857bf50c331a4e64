/*
 * stream.h: chunked encryption of attachments with crypto_secretstream_xchacha20poly1305, so
 * that memory use does not grow with the size of a file, and truncation, reordering, dropping
 * or moving chunks to another case is detected.
 *
 * An encrypted attachment is a 24-byte stream header followed by chunks. Every chunk but the
 * last holds STREAM_CHUNK bytes of plaintext (STREAM_CHUNK + 17 bytes of ciphertext). The last
 * chunk carries the FINAL tag and its plaintext is padded (as sodium_pad) to a power of two of at
 * least 256 bytes, so the stored size reveals the file size only roughly. Every chunk is
 * authenticated with the associated data "sea-stream-v1" || len(case ref) || case ref.
 * The 32-byte stream key is random per attachment and kept in the attachment's sealed metadata.
 */
#ifndef SEA_STREAM_H
#define SEA_STREAM_H

#include <stddef.h>

#define STREAM_KEYBYTES 32
#define STREAM_HEADERBYTES 24
#define STREAM_CHUNK (64 * 1024)
#define STREAM_ABYTES 17
/* The largest ciphertext chunk: a full last chunk padded to the next power of two. */
#define STREAM_MAX_CT (2 * STREAM_CHUNK + STREAM_ABYTES)

/* Receives each ciphertext chunk in order; returns 0 to go on, or a negative error code. */
typedef int (*stream_sink)(void *ctx, const unsigned char *chunk, size_t len);

typedef struct stream_writer stream_writer;
typedef struct stream_reader stream_reader;

/*
 * stream_writer_new: starts a stream under key (STREAM_KEYBYTES) for case_ref, writing its header
 * into header. Returns a new writer in guarded memory, to free with stream_writer_free; or NULL
 * when case_ref is too long or memory is short, and then there is nothing to free.
 */
stream_writer *stream_writer_new(const unsigned char *key, const char *case_ref,
                                 unsigned char header[STREAM_HEADERBYTES]);

/*
 * stream_writer_write: buffers len bytes, handing each full chunk's ciphertext to sink.
 * Returns 0 or the sink's error.
 */
int stream_writer_write(stream_writer *w, const unsigned char *data, size_t len,
                        stream_sink sink, void *ctx);

/* stream_writer_finish: pads and emits the final chunk. Returns 0 or the sink's error. */
int stream_writer_finish(stream_writer *w, stream_sink sink, void *ctx);

/* stream_writer_free: wipes and frees w; accepts NULL. */
void stream_writer_free(stream_writer *w);

/*
 * stream_reader_new: starts reading a stream with key, case_ref and the stored header. Returns a
 * new reader in guarded memory, to free with stream_reader_free; or NULL when the header is
 * invalid, case_ref is too long or memory is short, and then there is nothing to free.
 */
stream_reader *stream_reader_new(const unsigned char *key, const char *case_ref,
                                 const unsigned char header[STREAM_HEADERBYTES]);

/*
 * stream_reader_pull: decrypts one ciphertext chunk into out (at least STREAM_MAX_CT bytes),
 * setting *out_len. Returns 0; ERR_AUTH when the chunk was altered, reordered or belongs to
 * another stream or case; ERR_FORMAT when a chunk follows the final one or is too large.
 */
int stream_reader_pull(stream_reader *r, const unsigned char *chunk, size_t len,
                       unsigned char *out, size_t *out_len);

/* stream_reader_finish: 0 when the final chunk was seen, ERR_TRUNCATED otherwise. */
int stream_reader_finish(const stream_reader *r);

/* stream_reader_free: wipes and frees r; accepts NULL. */
void stream_reader_free(stream_reader *r);

#endif
