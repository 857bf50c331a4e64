/*
 * errors.c: the message helper behind every library error (see errors.h).
 */
#include "errors.h"

#include <stdarg.h>
#include <stdio.h>

int err_set(char *err, size_t errlen, int code, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || errlen == 0)
        return code;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return code;
}

const char *err_name(int code)
{
    switch (code) {
    case ERR_OK: return "no error";
    case ERR_IO: return "i/o error";
    case ERR_FORMAT: return "bad format";
    case ERR_AUTH: return "authentication failed";
    case ERR_NOMEM: return "out of memory";
    case ERR_EXISTS: return "already exists";
    case ERR_NOTFOUND: return "not found";
    case ERR_NOT_RECIPIENT: return "not a recipient";
    case ERR_TRUNCATED: return "truncated";
    case ERR_FULL: return "no space left";
    case ERR_BUSY: return "database busy";
    case ERR_LIMIT: return "over a limit";
    case ERR_VERSION: return "unsupported version";
    case ERR_INTERNAL: return "internal error";
    default: return "unknown error";
    }
}
