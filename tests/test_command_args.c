/*
 * test_command_args.c: the one parser of casework command arguments (casework/command-args.h),
 * driven directly with declarations shaped like the real commands', then through the real
 * binary: a usage error exits 2 before any database is opened or passphrase asked for.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "command-args.h"
#include "test_support.h"

#define EXIT_USAGE_CODE 2

/* Like `triage CASE --category C --severity S`. */
static const command_option triage_options[] = {
    {.name = "category", .flags = COMMAND_OPT_VALUE | COMMAND_OPT_REQUIRED, .value_name = "C"},
    {.name = "severity", .flags = COMMAND_OPT_VALUE | COMMAND_OPT_REQUIRED, .value_name = "S"},
    {.name = NULL}
};
static const command_argspec triage = {
    .options = triage_options, .min_positional = 1, .max_positional = 1, .positional = {{.name = "CASE"}}};

/* Like `stats [--k N] [--json] [--html FILE]`. */
static const command_option stats_options[] = {
    {.name = "k", .flags = COMMAND_OPT_NUMBER, .value_name = "N", .min = 3, .max = 1000,
     .hint = "small numbers could single out a reporter"},
    {.name = "json"},
    {.name = "html", .flags = COMMAND_OPT_VALUE, .value_name = "FILE"},
    {.name = NULL}
};
static const command_argspec stats = {.options = stats_options};

/* Like `status CASE STATUS [-m REASON]`. */
static const command_option status_options[] = {
    {.name = "message", .short_name = 'm', .flags = COMMAND_OPT_VALUE, .value_name = "REASON"},
    {.name = NULL}
};
static const command_argspec status = {
    .options = status_options, .min_positional = 2, .max_positional = 2,
    .positional = {{.name = "CASE"}, {.name = "STATUS", .usage = "new|closed"}}};

/* Like `list [--status S] [--since DAY]` and `status CASE STATUS` with their vocabularies. */
static const command_option list_options[] = {
    {.name = "status", .flags = COMMAND_OPT_VALUE, .value_name = "S", .choices = &vocab_statuses},
    {.name = "since", .flags = COMMAND_OPT_DAY, .value_name = "YYYY-MM-DD"},
    {.name = "file", .flags = COMMAND_OPT_VALUE | COMMAND_OPT_NO_DB, .value_name = "FILE"},
    {.name = NULL}
};
static const command_argspec list = {.options = list_options, .max_positional = 1,
                                     .positional = {{.name = "STATUS", .choices = &vocab_statuses}}};

/* Like `audit head`: nothing at all. */
static const command_argspec nothing = {.options = NULL};

/* Parses the NULL-terminated words (the command name first) and returns the result code. */
static int parse(const command_argspec *spec, const char *const words[], command_args *out, char *err, size_t errlen)
{
    int argc = 0;

    while (words[argc] != NULL)
        argc++;
    return command_args_parse(spec, argc, words, out, err, errlen);
}

/* Asserts that words are refused with a message containing want. */
static void refused(const command_argspec *spec, const char *const words[], const char *want)
{
    command_args a;
    char err[512];

    assert_int_equal(parse(spec, words, &a, err, sizeof err), EXIT_USAGE_CODE);
    if (strstr(err, want) == NULL)
        fail_msg("expected \"%s\" in \"%s\"", want, err);
    assert_int_equal(a.npositional, 0);
    assert_null(a.value[0]);
}

static void test_options_and_positionals_in_any_order(void **state)
{
    command_args a;
    char err[512];

    (void)state;
    assert_int_equal(parse(&triage, (const char *const[]){"triage", "K7QM3-XH9A2", "--category", "bullying",
                                                          "--severity=high", NULL}, &a, err, sizeof err), 0);
    assert_int_equal(a.npositional, 1);
    assert_string_equal(a.positional[0], "K7QM3-XH9A2");
    assert_string_equal(command_args_get(&a, "category"), "bullying");
    assert_string_equal(command_args_get(&a, "severity"), "high");
    assert_int_equal(parse(&triage, (const char *const[]){"triage", "--severity", "low", "--category", "other",
                                                          "K7QM3-XH9A2", NULL}, &a, err, sizeof err), 0);
    assert_string_equal(a.positional[0], "K7QM3-XH9A2");
    assert_string_equal(command_args_get(&a, "severity"), "low");
}

static void test_flags_are_present_or_absent(void **state)
{
    command_args a;
    char err[512];

    (void)state;
    assert_int_equal(parse(&stats, (const char *const[]){"stats", "--json", NULL}, &a, err, sizeof err), 0);
    assert_true(command_args_has(&a, "json"));
    assert_false(command_args_has(&a, "html"));
    assert_null(command_args_get(&a, "html"));
    assert_int_equal(command_args_number(&a, "k", 5), 5);   /* the default when not given */
}

static void test_an_unknown_option_is_refused(void **state)
{
    (void)state;
    refused(&stats, (const char *const[]){"stats", "--bogus", NULL}, "unknown option --bogus");
    refused(&stats, (const char *const[]){"stats", "--bogus=1", NULL}, "unknown option --bogus");
    refused(&status, (const char *const[]){"status", "C", "new", "-x", NULL}, "unknown option -x");
}

static void test_an_abbreviated_option_is_refused(void **state)
{
    (void)state;
    refused(&triage, (const char *const[]){"triage", "C", "--cat", "bullying", "--severity", "low", NULL},
            "unknown option --cat (options are never abbreviated: write --category)");
    refused(&stats, (const char *const[]){"stats", "--js", NULL}, "unknown option --js");
    refused(&status, (const char *const[]){"status", "C", "new", "--mess", "x", NULL}, "unknown option --mess");
}

static void test_a_missing_value_is_refused(void **state)
{
    (void)state;
    refused(&triage, (const char *const[]){"triage", "C", "--severity", "low", "--category", NULL},
            "option --category needs a value");
    refused(&status, (const char *const[]){"status", "C", "new", "-m", NULL}, "option -m needs a value");
    refused(&stats, (const char *const[]){"stats", "--json=yes", NULL}, "option --json takes no value");
}

static void test_a_repeated_option_is_refused(void **state)
{
    (void)state;
    refused(&triage, (const char *const[]){"triage", "C", "--category", "a", "--severity", "low", "--category", "b", NULL},
            "option --category given twice");
    refused(&stats, (const char *const[]){"stats", "--json", "--json", NULL}, "option --json given twice");
    refused(&status, (const char *const[]){"status", "C", "new", "--message", "a", "-m", "b", NULL}, "option -m given twice");
}

static void test_a_missing_required_option_says_what_to_give(void **state)
{
    (void)state;
    refused(&triage, (const char *const[]){"triage", "C", "--category", "bullying", NULL},
            "missing --severity (give CASE, --category C and --severity S)");
}

static void test_too_many_or_too_few_positionals(void **state)
{
    (void)state;
    refused(&triage, (const char *const[]){"triage", "--category", "a", "--severity", "b", NULL}, "which case?");
    refused(&triage, (const char *const[]){"triage", "C1", "C2", "--category", "a", "--severity", "b", NULL},
            "one case at a time (unexpected argument C2)");
    refused(&status, (const char *const[]){"status", "C", NULL}, "which status? (give CASE and STATUS)");
    refused(&status, (const char *const[]){"status", "C", "new", "closed", NULL}, "unexpected argument closed");
    refused(&nothing, (const char *const[]){"head", "extra", NULL}, "unexpected argument extra");
}

static void test_double_dash_ends_the_options(void **state)
{
    command_args a;
    char err[512];

    (void)state;
    assert_int_equal(parse(&status, (const char *const[]){"status", "-m", "why", "--", "-C", "--new", NULL},
                           &a, err, sizeof err), 0);
    assert_int_equal(a.npositional, 2);
    assert_string_equal(a.positional[0], "-C");
    assert_string_equal(a.positional[1], "--new");
    assert_string_equal(command_args_get(&a, "message"), "why");
    /* A value is taken as it comes, even one that looks like an option, as getopt did. */
    assert_int_equal(parse(&status, (const char *const[]){"status", "C", "new", "-m", "--", NULL}, &a, err, sizeof err), 0);
    assert_string_equal(command_args_get(&a, "message"), "--");
    assert_int_equal(parse(&status, (const char *const[]){"status", "C", "new", "-mjoined", NULL}, &a, err, sizeof err), 0);
    assert_string_equal(command_args_get(&a, "message"), "joined");
    /* "-" alone is a positional, as for getopt. */
    assert_int_equal(parse(&status, (const char *const[]){"status", "-", "new", NULL}, &a, err, sizeof err), 0);
    assert_string_equal(a.positional[0], "-");
}

static void test_numbers_are_checked_in_full(void **state)
{
    command_args a;
    char err[512];

    (void)state;
    assert_int_equal(parse(&stats, (const char *const[]){"stats", "--k", "7", NULL}, &a, err, sizeof err), 0);
    assert_int_equal(command_args_number(&a, "k", 5), 7);
    assert_int_equal(parse(&stats, (const char *const[]){"stats", "--k=1000", NULL}, &a, err, sizeof err), 0);
    assert_int_equal(command_args_number(&a, "k", 5), 1000);
    refused(&stats, (const char *const[]){"stats", "--k", "5x", NULL}, "--k takes a whole number from 3 to 1000, not '5x'");
    refused(&stats, (const char *const[]){"stats", "--k", "", NULL}, "not ''");
    refused(&stats, (const char *const[]){"stats", "--k=", NULL}, "not ''");
    refused(&stats, (const char *const[]){"stats", "--k", " 7", NULL}, "not ' 7'");
    refused(&stats, (const char *const[]){"stats", "--k", "+7", NULL}, "whole number");
    refused(&stats, (const char *const[]){"stats", "--k", "0x10", NULL}, "whole number");
    refused(&stats, (const char *const[]){"stats", "--k", "99999999999999999999", NULL}, "at most 1000");
    refused(&stats, (const char *const[]){"stats", "--k", "-99999999999999999999", NULL}, "at least 3");
    refused(&stats, (const char *const[]){"stats", "--k", "2", NULL},
            "--k must be at least 3 and at most 1000 (small numbers could single out a reporter)");
    refused(&stats, (const char *const[]){"stats", "--k", "1001", NULL}, "at most 1000");
    refused(&stats, (const char *const[]){"stats", "--k", "-5", NULL}, "at least 3");
}

static void test_vocabulary_values_and_days_are_checked_once_here(void **state)
{
    command_args a;
    char err[512];

    (void)state;
    assert_int_equal(parse(&list, (const char *const[]){"list", "--status", "closed", "--since", "2026-02-28", "new", NULL},
                           &a, err, sizeof err), 0);
    assert_string_equal(command_args_get(&a, "status"), "closed");
    assert_string_equal(a.positional[0], "new");
    assert_false(command_args_no_db(&a));
    refused(&list, (const char *const[]){"list", "--status", "archived", NULL},
            "unknown status 'archived' (new, triaged, investigating, referred, closed)");
    refused(&list, (const char *const[]){"list", "Closed", NULL}, "unknown status 'Closed'");
    refused(&list, (const char *const[]){"list", "--since", "2026-02-30", NULL},
            "--since takes a day written YYYY-MM-DD, not '2026-02-30'");
    refused(&list, (const char *const[]){"list", "--since=yesterday", NULL}, "YYYY-MM-DD");
    assert_int_equal(parse(&list, (const char *const[]){"list", "--file", "x", NULL}, &a, err, sizeof err), 0);
    assert_true(command_args_no_db(&a));
}

static void test_help_is_an_option_of_its_own_never_a_value(void **state)
{
    command_args a;
    char err[512];

    (void)state;
    assert_int_equal(parse(&status, (const char *const[]){"status", "--help", NULL}, &a, err, sizeof err), COMMAND_ARGS_HELP);
    assert_int_equal(parse(&status, (const char *const[]){"status", "C", "-h", NULL}, &a, err, sizeof err), COMMAND_ARGS_HELP);
    /* `-m -h` is a reason that reads "-h", not a request for help. */
    assert_int_equal(parse(&status, (const char *const[]){"status", "C", "new", "-m", "-h", NULL}, &a, err, sizeof err), 0);
    assert_string_equal(command_args_get(&a, "message"), "-h");
    assert_int_equal(parse(&status, (const char *const[]){"status", "C", "new", "--message", "--help", NULL}, &a, err, sizeof err), 0);
    assert_string_equal(command_args_get(&a, "message"), "--help");
    refused(&status, (const char *const[]){"status", "--hel", NULL}, "unknown option --hel");
}

static void test_the_environment_does_not_change_the_scan(void **state)
{
    command_args a;
    char err[512];

    (void)state;
    setenv("POSIXLY_CORRECT", "1", 1);
    assert_int_equal(parse(&triage, (const char *const[]){"triage", "K7QM3-XH9A2", "--category", "bullying",
                                                          "--severity", "high", NULL}, &a, err, sizeof err), 0);
    unsetenv("POSIXLY_CORRECT");
    assert_string_equal(a.positional[0], "K7QM3-XH9A2");
    assert_string_equal(command_args_get(&a, "severity"), "high");
}

static void test_usage_lines_come_from_the_declaration(void **state)
{
    char line[256];

    (void)state;
    assert_string_equal(command_args_usage(&triage, line, sizeof line), "CASE --category C --severity S");
    assert_string_equal(command_args_usage(&stats, line, sizeof line), "[--k N] [--json] [--html FILE]");
    assert_string_equal(command_args_usage(&status, line, sizeof line), "CASE new|closed [-m REASON]");
    assert_string_equal(command_args_usage(&nothing, line, sizeof line), "");
    assert_string_equal(command_args_usage(&triage, line, 8), "CASE --");   /* truncated, terminated */
}

/* Through the real binary: refused with exit 2 before the database or the key is touched (none
 * is given here, which would otherwise be the complaint). */
static void test_the_binary_refuses_before_any_setup(void **state)
{
    const char *k_junk[] = {CASEWORK_BIN, "stats", "--k", "5x", NULL};
    const char *k_big[] = {CASEWORK_BIN, "stats", "--k", "99999999999999999999", NULL};
    const char *abbreviated[] = {CASEWORK_BIN, "triage", "K7QM3-XH9A2", "--cat", "bullying", "--severity", "low", NULL};
    const char *sub_abbreviated[] = {CASEWORK_BIN, "audit", "log", "--cas", "K7QM3-XH9A2", NULL};
    const char *help[] = {CASEWORK_BIN, "help", "audit", "log", NULL};
    const char *sub_help[] = {CASEWORK_BIN, "audit", "export", "--help", NULL};
    const char *late_option[] = {CASEWORK_BIN, "show", "--json", NULL};
    const char *global_abbreviated[] = {CASEWORK_BIN, "--k", "worker.key", "list", NULL};
    const char *global_abbreviated_eq[] = {CASEWORK_BIN, "--d=reports.db", "list", NULL};
    ts_result r;

    (void)state;
    ts_expect(k_junk, NULL, 2, NULL, "--k takes a whole number");
    ts_expect(k_big, NULL, 2, NULL, "at most 1000");
    ts_expect(abbreviated, NULL, 2, NULL, "unknown option --cat");
    ts_expect(sub_abbreviated, NULL, 2, NULL, "casework audit log: unknown option --cas");
    ts_expect(late_option, NULL, 2, NULL, "which case?");
    ts_expect(global_abbreviated, NULL, 2, NULL, "unknown option: --k (options are never abbreviated: write --key)");
    ts_expect(global_abbreviated_eq, NULL, 2, NULL, "unknown option: --d (options are never abbreviated: write --db)");
    ts_expect(help, NULL, 0, "usage: casework audit log [--head SEQ:HASH] [--keys FILE] [--case CASE]", NULL);
    ts_expect(sub_help, NULL, 0, "usage: casework audit export --out FILE", NULL);
    r = ts_run(k_junk, NULL);
    assert_null(strstr(r.err, "CASEWORK_DB"));
    assert_non_null(strstr(r.err, "usage: casework stats"));
    ts_result_free(&r);
}

/* --version: one line, the project's version, on stdout; exit 0; before any command, without a
 * database or a key (a --db that does not exist is not looked at). */
static void test_the_binary_prints_its_version_before_any_command(void **state)
{
    const char *version[] = {CASEWORK_BIN, "--version", NULL};
    const char *after_db[] = {CASEWORK_BIN, "--db", "/nonexistent/reports.db", "--version", NULL};
    const char *env[] = {"CASEWORK_DB=/nonexistent/reports.db", "CASEWORK_KEY=/nonexistent/worker.key", NULL};
    const char *help[] = {CASEWORK_BIN, "--help", NULL};

    (void)state;
    ts_expect_exactly(version, env, 0, "casework " SEA_VERSION "\n", "");
    ts_expect_exactly(after_db, NULL, 0, "casework " SEA_VERSION "\n", "");
    ts_expect(help, NULL, 0, "casework --version", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_and_positionals_in_any_order),
        cmocka_unit_test(test_flags_are_present_or_absent),
        cmocka_unit_test(test_an_unknown_option_is_refused),
        cmocka_unit_test(test_an_abbreviated_option_is_refused),
        cmocka_unit_test(test_a_missing_value_is_refused),
        cmocka_unit_test(test_a_repeated_option_is_refused),
        cmocka_unit_test(test_a_missing_required_option_says_what_to_give),
        cmocka_unit_test(test_too_many_or_too_few_positionals),
        cmocka_unit_test(test_double_dash_ends_the_options),
        cmocka_unit_test(test_numbers_are_checked_in_full),
        cmocka_unit_test(test_vocabulary_values_and_days_are_checked_once_here),
        cmocka_unit_test(test_help_is_an_option_of_its_own_never_a_value),
        cmocka_unit_test(test_the_environment_does_not_change_the_scan),
        cmocka_unit_test(test_usage_lines_come_from_the_declaration),
        cmocka_unit_test(test_the_binary_refuses_before_any_setup),
        cmocka_unit_test(test_the_binary_prints_its_version_before_any_command),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
