/*
 * fileio.c: exclusive creation, durable writes and bounded reads of files (see fileio.h).
 */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"

int fileio_exists(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0;
}

/* Fsyncs the folder holding path so a new entry in it is durable. */
static int sync_parent(const char *path, char *err, size_t errlen)
{
    char copy[PATH_MAX];
    int fd, rc = 0;

    if (strlen(path) >= sizeof copy)
        return err_set(err, errlen, ERR_IO, "path too long: %s", path);
    strcpy(copy, path);
    fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return err_set(err, errlen, ERR_IO, "cannot open the folder of %s: %s", path, strerror(errno));
    if (fsync(fd) != 0)
        rc = err_set(err, errlen, ERR_IO, "cannot sync the folder of %s: %s", path, strerror(errno));
    close(fd);
    return rc;
}

static int write_error(const char *path, int e, char *err, size_t errlen)
{
    if (e == ENOSPC || e == EDQUOT)
        return err_set(err, errlen, ERR_FULL, "no space left to write %s (free some space and try again)", path);
    return err_set(err, errlen, ERR_IO, "cannot write %s: %s", path, strerror(e));
}

int fileio_create_exclusive(const char *path, mode_t mode, const void *data, size_t len,
                            char *err, size_t errlen)
{
    const unsigned char *p = data;
    int fd, rc = 0;

    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
        if (errno == EEXIST)
            return err_set(err, errlen, ERR_EXISTS, "%s already exists (choose another name; it is never overwritten)", path);
        return write_error(path, errno, err, errlen);
    }
    if (fchmod(fd, mode) != 0) {
        rc = write_error(path, errno, err, errlen);
        goto out;
    }
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = write_error(path, n < 0 ? errno : ENOSPC, err, errlen);
            goto out;
        }
        p += n;
        len -= (size_t)n;
    }
    if (fsync(fd) != 0)
        rc = write_error(path, errno, err, errlen);
out:
    if (close(fd) != 0 && rc == 0)
        rc = write_error(path, errno, err, errlen);
    if (rc == 0)
        rc = sync_parent(path, err, errlen);
    if (rc != 0)
        unlink(path);
    return rc;
}

int fileio_read_all(const char *path, size_t max, int flags, unsigned char **out, size_t *len,
                    char *err, size_t errlen)
{
    struct stat st;
    unsigned char *buf = NULL;
    size_t size, got = 0;
    int fd, rc = 0;

    *out = NULL;
    *len = 0;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return err_set(err, errlen, ERR_NOTFOUND, "%s does not exist", path);
        return err_set(err, errlen, ERR_IO, "cannot open %s: %s", path, strerror(errno));
    }
    if (fstat(fd, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))) {
        rc = err_set(err, errlen, ERR_IO, "%s is not a file", path);
        goto out;
    }
    if ((flags & FILEIO_PRIVATE) && S_ISREG(st.st_mode) && (st.st_uid != geteuid() && st.st_uid != 0)) {
        rc = err_set(err, errlen, ERR_PERM, "%s belongs to another user (uid %lu): use a copy of your own, "
                     "made readable by you only (chmod 600)", path, (unsigned long)st.st_uid);
        goto out;
    }
    if ((flags & FILEIO_PRIVATE) && S_ISREG(st.st_mode) && (st.st_mode & 077) != 0) {
        rc = err_set(err, errlen, ERR_PERM, "%s is open to others (mode %04o): make it readable by you only "
                     "with: chmod 600 %s", path, (unsigned)(st.st_mode & 07777), path);
        goto out;
    }
    if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max) {
        rc = err_set(err, errlen, ERR_LIMIT, "%s is larger than %zu bytes", path, max);
        goto out;
    }
    /* A pipe or device has no size: read up to the limit, and one byte more to notice excess. */
    size = S_ISREG(st.st_mode) ? (size_t)st.st_size : max + 1;
    buf = (flags & FILEIO_SECRET) ? sodium_malloc(size + 1) : malloc(size + 1);
    if (buf == NULL) {
        rc = err_set(err, errlen, ERR_NOMEM, "out of memory reading %s", path);
        goto out;
    }
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = err_set(err, errlen, ERR_IO, "cannot read %s: %s", path, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    if (got > max) {
        rc = err_set(err, errlen, ERR_LIMIT, "%s is larger than %zu bytes", path, max);
        goto out;
    }
    buf[got] = '\0';
    *out = buf;
    *len = got;
    buf = NULL;
out:
    if (buf != NULL) {
        if (flags & FILEIO_SECRET)
            sodium_free(buf);
        else
            free(buf);
    }
    close(fd);
    return rc;
}
