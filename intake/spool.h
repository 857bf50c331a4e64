/*
 * spool.h: where an attachment's encrypted chunks wait while the rest of the form arrives.
 * Each spool is an unnamed file (O_TMPFILE, or a file unlinked at once where O_TMPFILE is not
 * supported) in the spool folder, so nothing of an aborted upload survives the request, a crash
 * or a kill. It only ever holds ciphertext under a key that lives in the intake's memory.
 */
#ifndef SEA_INTAKE_SPOOL_H
#define SEA_INTAKE_SPOOL_H

#include <stddef.h>
#include <stdint.h>

typedef struct spool spool;

/*
 * spool_new: a new empty spool in dir, to free with spool_free. Returns NULL on failure (out
 * of memory, disk full, or the folder refused), with a message in err, and then there is
 * nothing to free or close.
 */
spool *spool_new(const char *dir, char *err, size_t errlen);

/* spool_append: appends one chunk. Returns 0, ERR_FULL when the disk is full, ERR_IO. */
int spool_append(spool *s, const unsigned char *chunk, size_t len);

/*
 * spool_each: calls fn with every chunk in order (each in a buffer valid during the call).
 * Returns 0, fn's first non-zero result, ERR_IO or ERR_FORMAT.
 */
int spool_each(spool *s, int (*fn)(void *ctx, const unsigned char *chunk, size_t len), void *ctx);

/* spool_free: closes (and so deletes) the spool; accepts NULL. */
void spool_free(spool *s);

#endif
