/*
 * fileio.h: careful file creation and reading for secrets and exports. New files are created
 * with O_CREAT|O_EXCL|O_NOFOLLOW (never overwriting, never following a planted link), written
 * in full and synced to disk together with their folder.
 */
#ifndef SEA_FILEIO_H
#define SEA_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

/*
 * fileio_create_exclusive: creates path with the given mode, failing when anything exists
 * there (a symlink included), writes len bytes of data, fsyncs the file and its folder.
 * Returns 0; ERR_EXISTS when path exists; ERR_FULL when the disk is full; ERR_IO otherwise.
 * On failure, nothing is left at path.
 */
int fileio_create_exclusive(const char *path, mode_t mode, const void *data, size_t len,
                            char *err, size_t errlen);

/* fileio_read_all's flags. */
enum {
    FILEIO_SECRET = 1,   /* the buffer comes from sodium_malloc (free it with sodium_free) */
    FILEIO_PRIVATE = 2   /* a regular file must be its reader's (or root's) and readable by no
                            one else: a key or passphrase file, refused otherwise as ssh does */
};

/*
 * fileio_read_all: reads the whole file at path (a regular file, a pipe such as <(...), or a
 * character device; symlinks are followed, as operators' certificates often are links) into a
 * new buffer of at most max bytes. flags are FILEIO_* ORed: with FILEIO_SECRET the buffer comes
 * from sodium_malloc and must be released with sodium_free, otherwise with free; with
 * FILEIO_PRIVATE a regular file whose mode gives group or others any access, or that belongs to
 * another user, is refused with ERR_PERM and a message naming the chmod to run. The buffer gets
 * one extra NUL byte past *len so that text can be used as a C string. Returns 0; ERR_NOTFOUND;
 * ERR_PERM; ERR_LIMIT when the file is larger than max; ERR_NOMEM; ERR_IO. On failure *out is
 * NULL and *len 0, and there is nothing to free (a secret buffer was wiped).
 */
int fileio_read_all(const char *path, size_t max, int flags, unsigned char **out, size_t *len,
                    char *err, size_t errlen);

/* fileio_exists: 1 when something (a dangling symlink too) exists at path, else 0. */
int fileio_exists(const char *path);

#endif
