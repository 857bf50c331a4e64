/*
 * passphrase.h: getting a caseworker's passphrase, from the terminal without echo or from the
 * first line of a file, into guarded memory.
 */
#ifndef SEA_PASSPHRASE_H
#define SEA_PASSPHRASE_H

#include <stddef.h>

#define PASSPHRASE_MAX 1024

/*
 * passphrase_get: with file not NULL, takes the first line of file (without its line ending);
 * otherwise asks on /dev/tty with prompt, without echo, and with confirm asks a second time and
 * requires both to match. The passphrase must not be empty. On success *out is NUL-terminated
 * sodium_malloc memory of *len bytes plus the NUL; release it with passphrase_free.
 * Returns 0, ERR_NOTFOUND (no terminal, or no such file), ERR_AUTH (the two entries differ),
 * ERR_FORMAT (empty or too long), ERR_LIMIT (a file over 64 KiB), ERR_NOMEM, ERR_IO. On failure
 * *out is NULL and *len 0, and there is nothing to free (what was typed or read was wiped).
 */
int passphrase_get(const char *file, const char *prompt, int confirm, char **out, size_t *len,
                   char *err, size_t errlen);

/* passphrase_free: wipes and frees p; accepts NULL. */
void passphrase_free(char *p);

#endif
