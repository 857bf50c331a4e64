/*
 * workflow.c: case statuses, deadlines and typed texts (see workflow.h).
 */
#include "workflow.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errors.h"
#include "fileio.h"
#include "utf8.h"
#include "vocab.h"

#define TEXT_MAX (64 * 1024)
#define STATUS_NEW (vocab_statuses.values[VOCAB_STATUS_NEW])
#define STATUS_CLOSED (vocab_statuses.values[VOCAB_STATUS_CLOSED])

void workflow_ack_due(const char *received, char out[DAY_TEXT_SIZE])
{
    day_add(received, WORKFLOW_ACK_DAYS, 0, out);
}

void workflow_feedback_due(const char *acknowledged, char out[DAY_TEXT_SIZE])
{
    day_add(acknowledged, 0, WORKFLOW_FEEDBACK_MONTHS, out);
}

int workflow_check_status(case_change *ch, const case_data *d, const char *status,
                          char *err, size_t errlen)
{
    const char *to = ch->new_status;

    (void)d;
    if (strcmp(status, to) == 0)
        return err_set(err, errlen, ERR_FORMAT, "the case is %s already (nothing was changed)", to);
    if (strcmp(to, STATUS_NEW) == 0)
        return err_set(err, errlen, ERR_FORMAT, "a case cannot go back to new (it was %s)", status);
    if (strcmp(to, STATUS_CLOSED) == 0 && strcmp(ch->action, "close") != 0)
        return err_set(err, errlen, ERR_FORMAT, "close a case with casework close CASE --outcome O -m REASON");
    if (strcmp(status, STATUS_CLOSED) == 0 && strcmp(ch->action, "close") != 0 && ch->reason[0] == '\0')
        return err_set(err, errlen, ERR_FORMAT, "the case is closed: to reopen it, give a reason with -m");
    return 0;
}

int workflow_check_open(case_change *ch, const case_data *d, const char *status,
                        char *err, size_t errlen)
{
    (void)ch;
    (void)d;
    if (strcmp(status, STATUS_CLOSED) == 0)
        return err_set(err, errlen, ERR_FORMAT, "the case is closed (reopen it with casework status CASE investigating -m REASON)");
    return 0;
}

/* Runs $VISUAL, $EDITOR or vi on path, through the shell as git does. */
static int run_editor(const char *path, char *err, size_t errlen)
{
    const char *editor = getenv("VISUAL");
    pid_t pid;
    int st;

    if (editor == NULL || editor[0] == '\0')
        editor = getenv("EDITOR");
    if (editor == NULL || editor[0] == '\0')
        editor = "vi";
    pid = fork();
    if (pid < 0)
        return err_set(err, errlen, ERR_IO, "cannot start the editor: %s", strerror(errno));
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", "exec $0 \"$1\"", editor, path, (char *)NULL);
        _exit(127);
    }
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return err_set(err, errlen, ERR_IO, "the editor (%s) failed: nothing was done", editor);
    return 0;
}

/* Copies text, without comment lines when comments, and without trailing blank space. */
static size_t strip(const char *text, size_t len, int comments, char *out)
{
    size_t o = 0;

    for (size_t i = 0; i < len;) {
        size_t end = i;
        while (end < len && text[end] != '\n')
            end++;
        if (!comments || text[i] != '#') {
            memcpy(out + o, text + i, end - i);
            o += end - i;
            if (end < len)
                out[o++] = '\n';
        }
        i = end + 1;
    }
    while (o > 0 && (out[o - 1] == '\n' || out[o - 1] == ' ' || out[o - 1] == '\t' || out[o - 1] == '\r'))
        o--;
    out[o] = '\0';
    return o;
}

int workflow_text(const char *given, const char *file, const char *what, char **out, char *err, size_t errlen)
{
    char dir[] = "/dev/shm/casework-XXXXXX", path[64];
    const char *base = access("/dev/shm", W_OK) == 0 ? NULL : "/tmp/casework-XXXXXX";
    unsigned char *data = NULL;
    size_t len = 0, kept;
    char *text;
    int rc = 0;

    *out = NULL;
    if (given != NULL && file != NULL)
        return err_set(err, errlen, ERR_LIMIT, "give the %s once: -m TEXT or -F FILE, not both", what);
    if (given != NULL) {
        data = (unsigned char *)(uintptr_t)given;
        len = strlen(given);
    } else if (file != NULL) {
        /* -F -: standard input (a pipe, a file, or what is typed until Ctrl-D) */
        rc = fileio_read_all(strcmp(file, "-") == 0 ? "/dev/stdin" : file, TEXT_MAX + 4096, FILEIO_SECRET, &data,
                             &len, err, errlen);
        if (rc == ERR_LIMIT)
            return err_set(err, errlen, ERR_FORMAT, "the %s must be at most 64 KiB of UTF-8 text", what);
        if (rc != 0)
            return rc;
    } else if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        /* no terminal for an editor (a script, a pipe): say so rather than start one blind */
        return err_set(err, errlen, ERR_LIMIT, "no %s given and no terminal to write it in: give -F FILE (or -F - to"
                       " read standard input), or run this in a terminal to write it in $EDITOR", what);
    } else {
        char hint[256];
        if (base != NULL)
            snprintf(dir, sizeof dir, "%s", base);
        /* A private folder on a memory file system when there is one: the text is plaintext. */
        if (mkdtemp(dir) == NULL)
            return err_set(err, errlen, ERR_IO, "cannot make a private folder for the editor: %s", strerror(errno));
        snprintf(path, sizeof path, "%s/%s.txt", dir, what);
        snprintf(hint, sizeof hint, "\n# Write the %s above. Lines starting with '#' are left out.\n"
                                    "# An empty %s aborts: nothing is done.\n", what, what);
        rc = fileio_create_exclusive(path, 0600, hint, strlen(hint), err, errlen);
        if (rc == 0)
            rc = run_editor(path, err, errlen);
        if (rc == 0)
            rc = fileio_read_all(path, TEXT_MAX + 4096, FILEIO_SECRET, &data, &len, err, errlen);
        unlink(path);
        rmdir(dir);
        if (rc != 0) {
            sodium_free(data);
            return rc;
        }
    }
    text = sodium_malloc(len + 1);
    if (text == NULL) {
        if (given == NULL)
            sodium_free(data);
        return err_set(err, errlen, ERR_NOMEM, "out of memory");
    }
    kept = strip((const char *)data, len, given == NULL && file == NULL, text);
    if (given == NULL)
        sodium_free(data);
    if (kept == 0) {
        sodium_free(text);
        return err_set(err, errlen, ERR_FORMAT, "the %s is empty: nothing was done", what);
    }
    if (kept > TEXT_MAX || !utf8_valid(text, kept, 1)) {
        sodium_free(text);
        return err_set(err, errlen, ERR_FORMAT, "the %s must be at most 64 KiB of UTF-8 text", what);
    }
    *out = text;
    return 0;
}
