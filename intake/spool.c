/*
 * spool.c: unnamed temporary files for encrypted attachment chunks (see spool.h). Each chunk is
 * stored as a 4-byte little-endian length and the chunk.
 */
#define _GNU_SOURCE 1   /* O_TMPFILE; must come before any header */
#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bytes.h"
#include "errors.h"
#include "stream.h"

struct spool {
    int fd;
    unsigned char *buf;   /* one chunk, for spool_each */
};

static int open_unnamed(const char *dir)
{
    char path[4096];
    int fd;

#ifdef O_TMPFILE
    fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
        return fd;
#endif
    if ((size_t)snprintf(path, sizeof path, "%s/.spool-XXXXXX", dir) >= sizeof path)
        return -1;
    fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    return fd;
}

spool *spool_new(const char *dir, char *err, size_t errlen)
{
    spool *s = calloc(1, sizeof *s);

    if (s == NULL) {
        err_set(err, errlen, ERR_NOMEM, "out of memory");
        return NULL;
    }
    s->fd = open_unnamed(dir);
    if (s->fd < 0) {
        err_set(err, errlen, errno == ENOSPC ? ERR_FULL : ERR_IO, "cannot create a spool file in %s: %s", dir, strerror(errno));
        free(s);
        return NULL;
    }
    return s;
}

static int write_all(int fd, const unsigned char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return (n < 0 && errno != ENOSPC && errno != EDQUOT) ? ERR_IO : ERR_FULL;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int spool_append(spool *s, const unsigned char *chunk, size_t len)
{
    unsigned char head[4];
    int rc;

    if (len > STREAM_MAX_CT)
        return ERR_LIMIT;
    bytes_store32_le(head, (uint32_t)len);
    if ((rc = write_all(s->fd, head, 4)) != 0 || (rc = write_all(s->fd, chunk, len)) != 0)
        return rc;
    return 0;
}

static int read_all(int fd, unsigned char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ERR_IO;
        if (n == 0)
            return ERR_FORMAT;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int spool_each(spool *s, int (*fn)(void *ctx, const unsigned char *chunk, size_t len), void *ctx)
{
    off_t end = lseek(s->fd, 0, SEEK_END);
    off_t pos = 0;
    int rc;

    if (end < 0 || lseek(s->fd, 0, SEEK_SET) != 0)
        return ERR_IO;
    if (s->buf == NULL && (s->buf = malloc(STREAM_MAX_CT)) == NULL)
        return ERR_NOMEM;
    while (pos < end) {
        unsigned char head[4];
        uint32_t len;
        if ((rc = read_all(s->fd, head, 4)) != 0)
            return rc;
        len = bytes_load32_le(head);
        if (len > STREAM_MAX_CT)
            return ERR_FORMAT;
        if ((rc = read_all(s->fd, s->buf, len)) != 0)
            return rc;
        if ((rc = fn(ctx, s->buf, len)) != 0)
            return rc;
        pos += 4 + (off_t)len;
    }
    return 0;
}

void spool_free(spool *s)
{
    if (s == NULL)
        return;
    close(s->fd);
    free(s->buf);
    free(s);
}
