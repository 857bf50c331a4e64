/*
 * command-args.c: the one parser of casework command arguments (see command-args.h). Each
 * command declares its options and positionals in its `command` entry; this file checks argv
 * against that declaration once for every command, so that no command parses anything itself,
 * and writes the usage line from the same declaration, so that the two cannot disagree.
 */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command-args.h"
#include "command.h"

#define SPELLED_MAX 64   /* how much of an unknown option's name a message repeats */

static int refuse(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Writes the message into err and returns EXIT_USAGE. */
static int refuse(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err != NULL && errlen > 0) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return EXIT_USAGE;
}

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
    return (o->flags & (COMMAND_OPT_VALUE | COMMAND_OPT_NUMBER)) != 0;
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
        return refuse(err, errlen, "--%s must be at least %ld and at most %ld%s%s%s", o->name, o->min, o->max,
                      o->hint != NULL ? " (" : "", o->hint != NULL ? o->hint : "", o->hint != NULL ? ")" : "");
    *value = v;
    return 0;
not_number:
    return refuse(err, errlen, "--%s takes a whole number from %ld to %ld, not '%s'", o->name, o->min, o->max, text);
}

/* Records option i with its value (spelled: how it was written, for messages). */
static int set_option(command_args *out, size_t i, const char *value, const char *spelled, char *err, size_t errlen)
{
    const command_option *o = &out->spec->options[i];

    if (out->value[i] != NULL)
        return refuse(err, errlen, "option %s given twice (give it once)", spelled);
    if ((o->flags & COMMAND_OPT_NUMBER) && parse_number(o, value, &out->number[i], err, errlen) != 0)
        return EXIT_USAGE;
    out->value[i] = value;
    return 0;
}

/* "--name", "--name=VALUE" or "--name VALUE" at argv[*i]; moves *i past a separate value. */
static int long_option(command_args *out, int argc, const char *const argv[], int *i, char *err, size_t errlen)
{
    const char *name = argv[*i] + 2, *eq = strchr(name, '='), *value;
    size_t len = eq != NULL ? (size_t)(eq - name) : strlen(name);
    int shown = len > SPELLED_MAX ? SPELLED_MAX : (int)len;
    int idx = find_long(out->spec, name, len);
    char spelled[SPELLED_MAX + 3];
    const command_option *o;

    snprintf(spelled, sizeof spelled, "--%.*s", shown, name);
    if (idx < 0) {
        o = abbreviated(out->spec, name, len);
        if (o != NULL)
            return refuse(err, errlen, "unknown option %s (options are never abbreviated: write --%s)", spelled, o->name);
        return refuse(err, errlen, "unknown option %s", spelled);
    }
    o = &out->spec->options[idx];
    if (!takes_value(o)) {
        if (eq != NULL)
            return refuse(err, errlen, "option %s takes no value", spelled);
        return set_option(out, (size_t)idx, "", spelled, err, errlen);
    }
    if (eq != NULL)
        value = eq + 1;
    else if (*i + 1 < argc)
        value = argv[++*i];
    else
        return refuse(err, errlen, "option %s needs a value", spelled);
    return set_option(out, (size_t)idx, value, spelled, err, errlen);
}

/* "-m VALUE", "-mVALUE", or a cluster of one-letter flags, at argv[*i]. */
static int short_options(command_args *out, int argc, const char *const argv[], int *i, char *err, size_t errlen)
{
    const char *a = argv[*i];

    for (size_t k = 1; a[k] != '\0'; k++) {
        char spelled[3] = {'-', a[k], '\0'};
        int idx = find_short(out->spec, a[k]);
        const char *value;

        if (idx < 0)
            return refuse(err, errlen, "unknown option %s", spelled);
        if (!takes_value(&out->spec->options[idx])) {
            if (set_option(out, (size_t)idx, "", spelled, err, errlen) != 0)
                return EXIT_USAGE;
            continue;
        }
        if (a[k + 1] != '\0')
            value = a + k + 1;
        else if (*i + 1 < argc)
            value = argv[++*i];
        else
            return refuse(err, errlen, "option %s needs a value", spelled);
        return set_option(out, (size_t)idx, value, spelled, err, errlen);
    }
    return 0;
}

/* After the scan: the positional counts, then the required options. */
static int check_complete(command_args *out, const char *extra, char *err, size_t errlen)
{
    const command_argspec *spec = out->spec;
    char name[64], needs[384];

    if (extra != NULL) {
        if (spec->max_positional == 0)
            return refuse(err, errlen, "unexpected argument %s", extra);
        if (spec->max_positional == 1) {
            lower(spec->positional[0].name, name, sizeof name);
            return refuse(err, errlen, "one %s at a time (unexpected argument %s)", name, extra);
        }
        return refuse(err, errlen, "unexpected argument %s", extra);
    }
    requirements(spec, needs, sizeof needs);
    if (out->npositional < spec->min_positional) {
        lower(spec->positional[out->npositional].name, name, sizeof name);
        return refuse(err, errlen, "which %s? (give %s)", name, needs);
    }
    for (size_t i = 0; spec->options != NULL && spec->options[i].name != NULL; i++)
        if ((spec->options[i].flags & COMMAND_OPT_REQUIRED) && out->value[i] == NULL)
            return refuse(err, errlen, "missing --%s (give %s)", spec->options[i].name, needs);
    return 0;
}

int command_args_parse(const command_argspec *spec, int argc, const char *const argv[], command_args *out,
                       char *err, size_t errlen)
{
    const char *extra = NULL;
    int only_positional = 0;
    size_t noptions = count_options(spec);

    assert(noptions <= COMMAND_MAX_OPTIONS);
    (void)noptions;
    assert(spec->min_positional >= 0 && spec->min_positional <= spec->max_positional);
    assert(spec->max_positional <= COMMAND_MAX_POSITIONAL);
    memset(out, 0, sizeof *out);
    out->spec = spec;
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int rc;

        if (only_positional || a[0] != '-' || a[1] == '\0') {
            if (out->npositional < spec->max_positional)
                out->positional[out->npositional++] = a;
            else if (extra == NULL)
                extra = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_positional = 1;
            continue;
        }
        rc = a[1] == '-' ? long_option(out, argc, argv, &i, err, errlen) : short_options(out, argc, argv, &i, err, errlen);
        if (rc != 0)
            goto fail;
    }
    if (check_complete(out, extra, err, errlen) != 0)
        goto fail;
    return EXIT_DONE;
fail:
    memset(out, 0, sizeof *out);
    out->spec = spec;
    return EXIT_USAGE;
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
