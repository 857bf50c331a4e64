/*
 * term.c: colour on a terminal only, and never with NO_COLOR (see term.h).
 */
#include "term.h"

#include <stdlib.h>
#include <unistd.h>

static int colour(void)
{
    static int decided = -1;

    if (decided < 0) {
        const char *no = getenv("NO_COLOR");
        decided = isatty(STDOUT_FILENO) && (no == NULL || no[0] == '\0');
    }
    return decided;
}

const char *term_bold(void)
{
    return colour() ? "\033[1m" : "";
}

const char *term_warn(void)
{
    return colour() ? "\033[1;31m" : "";
}

const char *term_reset(void)
{
    return colour() ? "\033[0m" : "";
}
