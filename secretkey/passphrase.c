/*
 * passphrase.c: reading passphrases without echo or from a file (see passphrase.h).
 */
#include "passphrase.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

/* Reads one line from fd into buf (cap bytes), without the line ending; returns its length,
 * -1 on a read error, -2 when the line does not fit. */
static ssize_t read_line(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    ssize_t rc = 0;
    char c = 0;

    for (;;) {
        ssize_t r = read(fd, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = -1;
            break;
        }
        if (r == 0 || c == '\n')
            break;
        if (n + 1 >= cap) {
            rc = -2;
            break;
        }
        buf[n++] = c;
    }
    sodium_memzero(&c, sizeof c);
    if (rc != 0)
        return rc;
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    return (ssize_t)n;
}

/* While echo is off: the terminal to restore if a signal ends the program at the prompt. */
static volatile sig_atomic_t quiet_fd = -1;
static struct termios saved_termios;
static const int prompt_signals[] = {SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGTSTP};

static void restore_and_reraise(int sig)
{
    if (quiet_fd >= 0)
        tcsetattr(quiet_fd, TCSAFLUSH, &saved_termios);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void catch_prompt_signals(struct sigaction *old)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = restore_and_reraise;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof prompt_signals / sizeof prompt_signals[0]; i++)
        sigaction(prompt_signals[i], &sa, &old[i]);
}

static void release_prompt_signals(const struct sigaction *old)
{
    for (size_t i = 0; i < sizeof prompt_signals / sizeof prompt_signals[0]; i++)
        sigaction(prompt_signals[i], &old[i], NULL);
}

static int ask_tty(const char *prompt, char *buf, size_t cap, char *err, size_t errlen)
{
    struct sigaction old_actions[sizeof prompt_signals / sizeof prompt_signals[0]];
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
    saved_termios = old;
    quiet_fd = fd;
    catch_prompt_signals(old_actions);
    /* Echo goes off before the prompt appears, so nothing typed after it can show. */
    if (tcsetattr(fd, TCSAFLUSH, &quiet) != 0 || write(fd, prompt, strlen(prompt)) < 0) {
        tcsetattr(fd, TCSAFLUSH, &old);
        quiet_fd = -1;
        release_prompt_signals(old_actions);
        close(fd);
        return err_set(err, errlen, ERR_IO, "cannot turn off echo on the terminal");
    }
    n = read_line(fd, buf, cap);
    tcsetattr(fd, TCSAFLUSH, &old);
    quiet_fd = -1;
    release_prompt_signals(old_actions);
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
    char cause[300];
    int rc = fileio_read_all(file, 64 * 1024, FILEIO_SECRET | FILEIO_PRIVATE, &data, &len, cause, sizeof cause);

    if (rc != 0)
        return err_set(err, errlen, rc, "cannot read the passphrase file: %s (check --passphrase-file or CASEWORK_PASSPHRASE_FILE)", cause);
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
