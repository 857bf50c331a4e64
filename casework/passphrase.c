/*
 * passphrase.c: reading passphrases without echo or from a file (see passphrase.h).
 */
#include "passphrase.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "errors.h"
#include "fileio.h"

void passphrase_free(char *p)
{
    sodium_free(p);
}

/* Reads one line from fd into buf (cap bytes), without the line ending; returns its length or -1. */
static ssize_t read_line(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    char c;

    for (;;) {
        ssize_t r = read(fd, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0 || c == '\n')
            break;
        if (n + 1 < cap)
            buf[n++] = c;
        else
            return -2;
    }
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    return (ssize_t)n;
}

static int ask_tty(const char *prompt, char *buf, size_t cap, char *err, size_t errlen)
{
    struct termios old, quiet;
    ssize_t n;
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

    if (fd < 0)
        return err_set(err, errlen, ERR_NOTFOUND, "no terminal to ask for the passphrase (use --passphrase-file or CASEWORK_PASSPHRASE_FILE)");
    if (tcgetattr(fd, &old) != 0) {
        close(fd);
        return err_set(err, errlen, ERR_NOTFOUND, "no terminal to ask for the passphrase (use --passphrase-file or CASEWORK_PASSPHRASE_FILE)");
    }
    quiet = old;
    quiet.c_lflag &= (tcflag_t)~(ECHO | ECHONL);
    quiet.c_lflag |= ICANON;
    if (write(fd, prompt, strlen(prompt)) < 0 || tcsetattr(fd, TCSAFLUSH, &quiet) != 0) {
        close(fd);
        return err_set(err, errlen, ERR_IO, "cannot turn off echo on the terminal");
    }
    n = read_line(fd, buf, cap);
    tcsetattr(fd, TCSAFLUSH, &old);
    if (write(fd, "\n", 1) < 0) {
        /* the newline is cosmetic */
    }
    close(fd);
    if (n == -2)
        return err_set(err, errlen, ERR_FORMAT, "passphrase longer than %d bytes", PASSPHRASE_MAX - 1);
    if (n < 0)
        return err_set(err, errlen, ERR_IO, "cannot read the passphrase from the terminal");
    return 0;
}

static int from_file(const char *file, char *buf, size_t cap, char *err, size_t errlen)
{
    unsigned char *data;
    size_t len, line;
    int rc = fileio_read_all(file, 64 * 1024, 1, &data, &len, err, errlen);

    if (rc != 0)
        return err_set(err, errlen, rc, "cannot read the passphrase file %s (check --passphrase-file or CASEWORK_PASSPHRASE_FILE)", file);
    line = strcspn((char *)data, "\n");
    if (line > 0 && data[line - 1] == '\r')
        line--;
    if (line >= cap) {
        sodium_free(data);
        return err_set(err, errlen, ERR_FORMAT, "the passphrase in %s is longer than %d bytes", file, PASSPHRASE_MAX - 1);
    }
    memcpy(buf, data, line);
    buf[line] = '\0';
    sodium_free(data);
    return 0;
}

int passphrase_get(const char *file, const char *prompt, int confirm, char **out, size_t *len,
                   char *err, size_t errlen)
{
    char *pass = sodium_malloc(PASSPHRASE_MAX), *again = NULL;
    int rc;

    *out = NULL;
    *len = 0;
    if (pass == NULL)
        return err_set(err, errlen, ERR_NOMEM, "out of memory for the passphrase");
    if (file != NULL) {
        rc = from_file(file, pass, PASSPHRASE_MAX, err, errlen);
    } else {
        rc = ask_tty(prompt, pass, PASSPHRASE_MAX, err, errlen);
        if (rc == 0 && confirm && pass[0] != '\0') {
            again = sodium_malloc(PASSPHRASE_MAX);
            if (again == NULL)
                rc = err_set(err, errlen, ERR_NOMEM, "out of memory for the passphrase");
            else
                rc = ask_tty("Repeat the passphrase: ", again, PASSPHRASE_MAX, err, errlen);
            if (rc == 0 && (strlen(pass) != strlen(again) ||
                            sodium_memcmp(pass, again, strlen(pass)) != 0))
                rc = err_set(err, errlen, ERR_AUTH, "the two passphrases differ (run the command again)");
        }
    }
    if (rc == 0 && pass[0] == '\0')
        rc = err_set(err, errlen, ERR_FORMAT, "the passphrase is empty (choose one)");
    sodium_free(again);
    if (rc != 0) {
        sodium_free(pass);
        return rc;
    }
    *out = pass;
    *len = strlen(pass);
    return 0;
}
