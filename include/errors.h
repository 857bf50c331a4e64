/*
 * errors.h: the error codes every library function of this project returns, and the helper
 * that writes a message into a caller's buffer. Library code never prints and never exits; it
 * returns 0 or one of the negative codes below and, when the caller passed a buffer, a sentence
 * that says what went wrong and what to do. Only a program's top level prints.
 */
#ifndef SEA_ERRORS_H
#define SEA_ERRORS_H

#include <stddef.h>

enum {
    ERR_OK = 0,
    ERR_IO = -1,           /* the operating system refused a read, write or sync */
    ERR_FORMAT = -2,       /* input is not in the expected format (truncated, bad tag) */
    ERR_AUTH = -3,         /* authentication failed: wrong passphrase or altered data */
    ERR_NOMEM = -4,        /* out of memory, or guarded memory could not be locked */
    ERR_EXISTS = -5,       /* refusing to overwrite something that exists */
    ERR_NOTFOUND = -6,     /* no such file, case or record */
    ERR_NOT_RECIPIENT = -7,/* none of the key slots opens with this key */
    ERR_TRUNCATED = -8,    /* a stream ended before its final chunk */
    ERR_FULL = -9,         /* no space left on the device or in the database */
    ERR_BUSY = -10,        /* the database stayed locked past the busy timeout */
    ERR_LIMIT = -11,       /* input exceeds a configured limit */
    ERR_VERSION = -12,     /* written by a newer version of this program */
    ERR_INTERNAL = -13,    /* a library call failed in a way that should not happen */
    ERR_PERM = -14         /* a file's owner or mode is not safe for what it holds */
};

/*
 * err_set: formats a message into err (of errlen bytes, always NUL-terminated when errlen > 0)
 * and returns code, so that callers can write `return err_set(err, errlen, ERR_IO, "...")`.
 * err may be NULL, in which case only code is returned.
 */
int err_set(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));


#endif
