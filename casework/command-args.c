/*
 * command-args.c: the one parser of casework command arguments (see command-args.h). Each
 * command declares its options and positionals in its `command` entry; this file checks argv
 * against that declaration once for every command, so that no command parses anything itself,
 * and writes the usage line from the same declaration, so that the two cannot disagree.
 */
#include <assert.h>
#include <getopt.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "command-args.h"
#include "command.h"
#include "day.h"
#include "errors.h"

#define SPELLED_MAX 64   /* how much of an unknown option's name a message repeats */

/* Appends formatted text to out (cap bytes) at *used, never past the end. */
static void append(char *out, size_t cap, size_t *used, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void append(char *out, size_t cap, size_t *used, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (*used >= cap)
        return;
    va_start(ap, fmt);
    n = vsnprintf(out + *used, cap - *used, fmt, ap);
    va_end(ap);
    if (n > 0)
        *used = *used + (size_t)n < cap ? *used + (size_t)n : cap - 1;
}

static size_t count_options(const command_argspec *spec)
{
    size_t n = 0;

    if (spec->options != NULL)
        while (spec->options[n].name != NULL)
            n++;
    return n;
}

static int takes_value(const command_option *o)
{
    return (o->flags & (COMMAND_OPT_VALUE | COMMAND_OPT_NUMBER | COMMAND_OPT_DAY)) != 0;
}

/* The index of the option whose long name is exactly the len bytes of name, or -1. */
static int find_long(const command_argspec *spec, const char *name, size_t len)
{
    for (size_t i = 0; spec->options != NULL && spec->options[i].name != NULL; i++)
        if (strlen(spec->options[i].name) == len && memcmp(spec->options[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

static int find_short(const command_argspec *spec, char c)
{
    for (size_t i = 0; spec->options != NULL && spec->options[i].name != NULL; i++)
        if (spec->options[i].short_name != 0 && spec->options[i].short_name == c)
            return (int)i;
    return -1;
}

/* An option whose long name starts with the len bytes of name: only to say what was meant. */
static const command_option *abbreviated(const command_argspec *spec, const char *name, size_t len)
{
    for (size_t i = 0; len > 0 && spec->options != NULL && spec->options[i].name != NULL; i++)
        if (strncmp(spec->options[i].name, name, len) == 0)
            return &spec->options[i];
    return NULL;
}

/* How an option is written in usage lines and messages: "-m TEXT", "--out PATH", "--json". */
static void option_text(const command_option *o, char *out, size_t cap)
{
    size_t used = 0;

    if (o->short_name != 0)
        append(out, cap, &used, "-%c", o->short_name);
    else
        append(out, cap, &used, "--%s", o->name);
    if (takes_value(o))
        append(out, cap, &used, " %s", o->value_name != NULL ? o->value_name : "VALUE");
}

/* Lower-case copy of an ASCII name ("CASE" -> "case") for messages. */
static void lower(const char *name, char *out, size_t cap)
{
    size_t i;

    for (i = 0; name[i] != '\0' && i + 1 < cap; i++)
        out[i] = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] - 'A' + 'a') : name[i];
    out[i] = '\0';
}

/* "CASE, --category C and --severity S": what a command needs, for a message saying what to give. */
static void requirements(const command_argspec *spec, char *out, size_t cap)
{
    const char *items[COMMAND_MAX_POSITIONAL + COMMAND_MAX_OPTIONS];
    char texts[COMMAND_MAX_OPTIONS][128];
    size_t n = 0, used = 0;

    out[0] = '\0';
    for (int i = 0; i < spec->min_positional && i < COMMAND_MAX_POSITIONAL; i++)
        items[n++] = spec->positional[i].name;
    for (size_t i = 0, t = 0; spec->options != NULL && spec->options[i].name != NULL && t < COMMAND_MAX_OPTIONS; i++)
        if (spec->options[i].flags & COMMAND_OPT_REQUIRED) {
            option_text(&spec->options[i], texts[t], sizeof texts[t]);
            items[n++] = texts[t++];
        }
    for (size_t i = 0; i < n; i++)
        append(out, cap, &used, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", items[i]);
}

/* Checks a number's text in full: an optional '-', digits only, no overflow, within the range. */
static int parse_number(const command_option *o, const char *text, long *value, char *err, size_t errlen)
{
    const char *p = text[0] == '-' ? text + 1 : text;
    char *end;
    long v;

    if (*p < '0' || *p > '9')
        goto not_number;
    errno = 0;
    v = strtol(text, &end, 10);
    if (*end != '\0')
        goto not_number;
    if (errno == ERANGE || v < o->min || v > o->max)
        return err_set(err, errlen, EXIT_USAGE, "--%s must be at least %ld and at most %ld%s%s%s", o->name, o->min, o->max,
                      o->hint != NULL ? " (" : "", o->hint != NULL ? o->hint : "", o->hint != NULL ? ")" : "");
    *value = v;
    return 0;
not_number:
    return err_set(err, errlen, EXIT_USAGE, "--%s takes a whole number from %ld to %ld, not '%s'", o->name, o->min, o->max, text);
}

/* Refuses a value outside its vocabulary, listing the valid ones. */
static int check_choice(const vocab *v, const char *value, char *err, size_t errlen)
{
    if (vocab_has(v, value))
        return 0;
    return err_set(err, errlen, EXIT_USAGE, "unknown %s '%s' (%s)", v->name, value, v->list);
}

/* Records option i with its value (spelled: how it was written, for messages). */
static int set_option(command_args *out, size_t i, const char *value, const char *spelled, char *err, size_t errlen)
{
    const command_option *o = &out->spec->options[i];

    if (out->value[i] != NULL)
        return err_set(err, errlen, EXIT_USAGE, "option %s given twice (give it once)", spelled);
    if ((o->flags & COMMAND_OPT_NUMBER) && parse_number(o, value, &out->number[i], err, errlen) != 0)
        return EXIT_USAGE;
    if ((o->flags & COMMAND_OPT_DAY) && !day_valid(value))
        return err_set(err, errlen, EXIT_USAGE, "%s takes a day written YYYY-MM-DD, not '%s'", spelled, value);
    if (o->choices != NULL && check_choice(o->choices, value, err, errlen) != 0)
        return EXIT_USAGE;
    out->value[i] = value;
    return 0;
}

/* How the option word at argv[at] was written: "--name" (without any "=VALUE") or "-m". */
static void spelled_at(const char *const argv[], int at, char out[SPELLED_MAX + 3])
{
    const char *w = argv[at];
    size_t len = w[1] == '-' ? strcspn(w, "=") : 2;

    snprintf(out, SPELLED_MAX + 3, "%.*s", (int)(len > SPELLED_MAX + 2 ? SPELLED_MAX + 2 : len), w);
}

/* Refuses an option getopt_long did not take: unknown, ambiguous, or abbreviated. */
static int unknown(const command_argspec *spec, const char *spelled, char *err, size_t errlen)
{
    const command_option *o = spelled[1] == '-' ? abbreviated(spec, spelled + 2, strlen(spelled + 2)) : NULL;

    if (o != NULL)
        return err_set(err, errlen, EXIT_USAGE, "unknown option %s (options are never abbreviated: write --%s)", spelled, o->name);
    return err_set(err, errlen, EXIT_USAGE, "unknown option %s", spelled);
}

/* After the scan: the positional counts, then the required options. */
static int check_complete(command_args *out, const char *extra, char *err, size_t errlen)
{
    const command_argspec *spec = out->spec;
    char name[64], needs[384];

    if (extra != NULL) {
        if (spec->max_positional == 0)
            return err_set(err, errlen, EXIT_USAGE, "unexpected argument %s", extra);
        if (spec->max_positional == 1) {
            lower(spec->positional[0].name, name, sizeof name);
            return err_set(err, errlen, EXIT_USAGE, "one %s at a time (unexpected argument %s)", name, extra);
        }
        return err_set(err, errlen, EXIT_USAGE, "unexpected argument %s", extra);
    }
    requirements(spec, needs, sizeof needs);
    if (out->npositional < spec->min_positional) {
        lower(spec->positional[out->npositional].name, name, sizeof name);
        return err_set(err, errlen, EXIT_USAGE, "which %s? (give %s)", name, needs);
    }
    for (size_t i = 0; spec->options != NULL && spec->options[i].name != NULL; i++)
        if ((spec->options[i].flags & COMMAND_OPT_REQUIRED) && out->value[i] == NULL)
            return err_set(err, errlen, EXIT_USAGE, "missing --%s (give %s)", spec->options[i].name, needs);
    return 0;
}

/* Takes a positional argument, or refuses it when there is one too many or it is not a choice. */
static int add_positional(command_args *out, const char *word, char *err, size_t errlen)
{
    const command_argspec *spec = out->spec;
    const vocab *choices;

    if (out->npositional == spec->max_positional)
        return check_complete(out, word, err, errlen);
    choices = spec->positional[out->npositional].choices;
    if (choices != NULL && check_choice(choices, word, err, errlen) != 0)
        return EXIT_USAGE;
    out->positional[out->npositional++] = word;
    return 0;
}

/*
 * The scan is glibc's getopt_long in RETURN_IN_ORDER mode ("-" first: positionals come back as
 * they are met, so nothing is reordered and POSIXLY_CORRECT changes nothing), which handles
 * "--name=VALUE", "-mVALUE", missing values and "--". What it does not check is done here: it
 * accepts a unique abbreviation, which is refused; an option given twice; values; the counts.
 */
int command_args_parse(const command_argspec *spec, int argc, const char *const argv[], command_args *out,
                       char *err, size_t errlen)
{
    struct option longopts[COMMAND_MAX_OPTIONS + 2];
    char shortopts[3 + 2 * COMMAND_MAX_OPTIONS + 2] = "-:h", spelled[SPELLED_MAX + 3];
    char *const *words = (char *const *)(uintptr_t)argv;   /* not written to in this mode */
    size_t noptions = count_options(spec), ns = 3;
    int c;

    assert(noptions <= COMMAND_MAX_OPTIONS);
    assert(spec->min_positional >= 0 && spec->min_positional <= spec->max_positional);
    assert(spec->max_positional <= COMMAND_MAX_POSITIONAL);
    memset(out, 0, sizeof *out);
    out->spec = spec;
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    memset(longopts, 0, sizeof longopts);
    for (size_t i = 0; i < noptions; i++) {
        const command_option *o = &spec->options[i];
        longopts[i] = (struct option){o->name, takes_value(o) ? required_argument : no_argument, NULL, 256 + (int)i};
        if (o->short_name != 0) {
            shortopts[ns++] = o->short_name;
            if (takes_value(o))
                shortopts[ns++] = ':';
        }
    }
    longopts[noptions] = (struct option){"help", no_argument, NULL, 'h'};
    shortopts[ns] = '\0';
    optind = 0;   /* glibc: a full re-initialisation */
    opterr = 0;
    while ((c = getopt_long(argc, words, shortopts, longopts, NULL)) != -1) {
        int i = c >= 256 ? c - 256 : find_short(spec, (char)c);
        /* The option's own word: the one before its value when the value came as the next word. */
        int at = optarg != NULL && optarg == argv[optind - 1] && optind >= 2 ? optind - 2 : optind - 1;
        if (c == 1) {
            if (add_positional(out, optarg, err, errlen) != 0)
                goto fail;
            continue;
        }
        if (c == 'h') {
            spelled_at(argv, optind - 1, spelled);
            if (spelled[1] == '-' && strcmp(spelled, "--help") != 0) {
                unknown(spec, spelled, err, errlen);
                goto fail;
            }
            memset(out, 0, sizeof *out);
            out->spec = spec;
            return COMMAND_ARGS_HELP;
        }
        if (c == '?' || c == ':') {
            if (c == '?' && optopt >= 256) {
                spelled_at(argv, optind - 1, spelled);
                err_set(err, errlen, EXIT_USAGE, "option %s takes no value", spelled);
            } else if (c == ':' || optopt == 0) {
                if (optopt != 0 && optopt < 256)
                    snprintf(spelled, sizeof spelled, "-%c", optopt);
                else
                    spelled_at(argv, optind - 1, spelled);
                if (c == ':')
                    err_set(err, errlen, EXIT_USAGE, "option %s needs a value", spelled);
                else
                    unknown(spec, spelled, err, errlen);
            } else {
                snprintf(spelled, sizeof spelled, "-%c", optopt);
                err_set(err, errlen, EXIT_USAGE, "unknown option %s", spelled);
            }
            goto fail;
        }
        if (c >= 256)
            spelled_at(argv, at, spelled);
        else
            snprintf(spelled, sizeof spelled, "-%c", c);
        if (c >= 256 && strcmp(spelled + 2, spec->options[i].name) != 0) {
            unknown(spec, spelled, err, errlen);
            goto fail;
        }
        if (set_option(out, (size_t)i, optarg != NULL ? optarg : "", spelled, err, errlen) != 0)
            goto fail;
    }
    for (int i = optind; i < argc; i++)   /* after "--" */
        if (add_positional(out, argv[i], err, errlen) != 0)
            goto fail;
    if (check_complete(out, NULL, err, errlen) != 0)
        goto fail;
    return EXIT_DONE;
fail:
    memset(out, 0, sizeof *out);
    out->spec = spec;
    return EXIT_USAGE;
}

int command_args_no_db(const command_args *args)
{
    for (size_t i = 0; args->spec->options != NULL && args->spec->options[i].name != NULL; i++)
        if ((args->spec->options[i].flags & COMMAND_OPT_NO_DB) && args->value[i] != NULL)
            return 1;
    return 0;
}

/* The index of the declared option long_name; asking for an undeclared one is a bug. */
static int index_of(const command_args *args, const char *long_name)
{
    int i = find_long(args->spec, long_name, strlen(long_name));

    assert(i >= 0 && "the command asked for an option it does not declare");
    return i;
}

const char *command_args_get(const command_args *args, const char *long_name)
{
    int i = index_of(args, long_name);

    return i >= 0 ? args->value[i] : NULL;
}

int command_args_has(const command_args *args, const char *long_name)
{
    return command_args_get(args, long_name) != NULL;
}

long command_args_number(const command_args *args, const char *long_name, long dflt)
{
    int i = index_of(args, long_name);

    assert(i < 0 || (args->spec->options[i].flags & COMMAND_OPT_NUMBER));
    return i >= 0 && args->value[i] != NULL ? args->number[i] : dflt;
}

char *command_args_usage(const command_argspec *spec, char *out, size_t cap)
{
    size_t used = 0;

    if (cap == 0)
        return out;
    out[0] = '\0';
    for (int i = 0; i < spec->max_positional && i < COMMAND_MAX_POSITIONAL; i++) {
        const command_positional *p = &spec->positional[i];
        const char *text = p->usage != NULL ? p->usage : p->name;
        append(out, cap, &used, i < spec->min_positional ? "%s%s" : "%s[%s]", used ? " " : "", text);
    }
    for (size_t i = 0; spec->options != NULL && spec->options[i].name != NULL; i++) {
        char text[128];
        option_text(&spec->options[i], text, sizeof text);
        append(out, cap, &used, spec->options[i].flags & COMMAND_OPT_REQUIRED ? "%s%s" : "%s[%s]",
               used ? " " : "", text);
    }
    return out;
}
