/*
 * test_casework_agent.c: `casework unlock` and `casework lock` with the real binary and its real
 * key agent: a command after unlock asks no passphrase; lock, the idle time, SIGTERM, a removed
 * socket and the end of the unlocking session each make the agent forget; the folder and socket
 * modes, and a folder open to others or owned by someone else refused; a peer of another uid
 * refused (as root); a wrong passphrase starts no agent; an agent for another key is not used;
 * the wire format's vectors (SECURITY.md) and the key file side (keyfile_decode_secret).
 *
 * Each test's XDG_RUNTIME_DIR is a fresh folder of its own, so no real agent of the user is
 * touched. This process is a child subreaper: every agent ends up its child, so teardown can
 * end and reap any that a failing test left, and "the agent went away" is a waitpid.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent.h"
#include "errors.h"
#include "keyfile.h"
#include "store.h"
#include "test_support.h"

static const keyfile_kdf_limits fast = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};

typedef struct fixture {
    char dir[PATH_MAX], run[PATH_MAX], agent_dir[PATH_MAX], sock[PATH_MAX];
    char db[PATH_MAX], pass[PATH_MAX], wrong[PATH_MAX], alice[PATH_MAX], bob[PATH_MAX];
    pid_t agents[8];
    int nagents;
} fixture;

static void make_key(const char *path, const char *name)
{
    caseworker_key *k = keyfile_generate(name, PUBKEY_ROLE_CASEWORKER);
    char err[300];

    assert_int_equal(keyfile_write(path, k, "pw", 2, fast, err, sizeof err), 0);
    keyfile_free(k);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[300];
    store *s = NULL;

    ts_tmpdir(f->dir);
    ts_path(f->run, f->dir, "run");
    assert_int_equal(mkdir(f->run, 0700), 0);
    ts_path(f->agent_dir, f->run, "casework");
    ts_path(f->sock, f->agent_dir, "agent");
    setenv("XDG_RUNTIME_DIR", f->run, 1);
    ts_write_file(ts_path(f->pass, f->dir, "pass"), "pw\n", 3);
    ts_write_file(ts_path(f->wrong, f->dir, "wrong"), "not it\n", 7);
    make_key(ts_path(f->alice, f->dir, "alice.key"), "Alice Martin");
    make_key(ts_path(f->bob, f->dir, "bob.key"), "Bob Ng");
    ts_path(f->db, f->dir, "reports.db");
    assert_int_equal(store_open(f->db, &s, err, sizeof err), 0);
    store_close(s);
    *state = f;
    return 0;
}

/* Runs casework with argv after the program name (NULL-terminated), and env. */
static ts_result cw(const char *const *args, const char *const env[])
{
    const char *argv[16] = {CASEWORK_BIN};
    int i = 0;

    while (args[i] != NULL && i < 14) {
        argv[i + 1] = args[i];
        i++;
    }
    argv[i + 1] = NULL;
    return ts_run(argv, env);
}

static void lock_quietly(void)
{
    const char *args[] = {"lock", NULL};
    ts_result r = cw(args, NULL);
    ts_result_free(&r);
}

static int teardown(void **state)
{
    fixture *f = *state;
    int st;

    lock_quietly();
    for (int i = 0; i < f->nagents; i++) {
        kill(f->agents[i], SIGKILL);
        waitpid(f->agents[i], &st, 0);
    }
    while (waitpid(-1, &st, WNOHANG) > 0)
        ;
    ts_rmtree(f->dir);
    unsetenv("XDG_RUNTIME_DIR");
    free(f);
    return 0;
}

/* The agent's pid from unlock's output "(pid N)", remembered for teardown. */
static pid_t agent_pid(fixture *f, const char *out)
{
    const char *p = strstr(out, "(pid ");
    pid_t pid;

    assert_non_null(p);
    pid = (pid_t)strtol(p + 5, NULL, 10);
    assert_true(pid > 1);
    assert_true(f->nagents < 8);
    f->agents[f->nagents++] = pid;
    return pid;
}

/* unlock with key (and its passphrase from pass_file); returns the agent's pid. */
static pid_t unlock_with(fixture *f, const char *key, const char *pass_file, const char *const env[])
{
    const char *args[] = {"--key", key, "--passphrase-file", pass_file, "unlock", NULL};
    ts_result r = cw(args, env);
    pid_t pid;

    if (r.status != 0)
        fail_msg("unlock exited %d: %s", r.status, r.err);
    assert_non_null(strstr(r.out, "unlocked: key "));
    pid = agent_pid(f, r.out);
    ts_result_free(&r);
    return pid;
}

/* Waits (up to a minute) for the agent to go away; asserts that it did, and removed its socket. */
static void assert_agent_gone(const fixture *f, pid_t pid)
{
    int st = ts_wait(pid, 60000);

    assert_int_equal(st, 0);
    assert_int_equal(access(f->sock, F_OK), -1);
}

/* `list` with key and no passphrase (no file, no terminal). */
static ts_result list_without_passphrase(const fixture *f, const char *key)
{
    const char *args[] = {"--db", f->db, "--key", key, "list", NULL};
    return cw(args, NULL);
}

static void assert_asks_passphrase(const fixture *f, const char *key)
{
    ts_result r = list_without_passphrase(f, key);

    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "no terminal to ask for the passphrase"));
    ts_result_free(&r);
}

static void assert_runs_without_passphrase(const fixture *f, const char *key)
{
    ts_result r = list_without_passphrase(f, key);

    if (r.status != 0)
        fail_msg("list exited %d: %s", r.status, r.err);
    ts_result_free(&r);
}

static void test_unlock_then_a_command_asks_no_passphrase(void **state)
{
    fixture *f = *state;

    assert_asks_passphrase(f, f->alice);
    unlock_with(f, f->alice, f->pass, NULL);
    assert_runs_without_passphrase(f, f->alice);
    assert_runs_without_passphrase(f, f->alice);
}

/* A key file opened up to others after unlock is refused with the agent too, as without one. */
static void test_a_key_file_open_to_others_is_refused_with_an_agent_too(void **state)
{
    fixture *f = *state;
    ts_result r;

    unlock_with(f, f->alice, f->pass, NULL);
    assert_int_equal(chmod(f->alice, 0644), 0);
    r = list_without_passphrase(f, f->alice);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "chmod 600"));
    ts_result_free(&r);
    assert_int_equal(chmod(f->alice, 0600), 0);
    assert_runs_without_passphrase(f, f->alice);
}

static void test_unlock_again_with_the_same_key_asks_nothing(void **state)
{
    fixture *f = *state;
    const char *args[] = {"--key", f->alice, "unlock", NULL};
    ts_result r;

    unlock_with(f, f->alice, f->pass, NULL);
    r = cw(args, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "already unlocked"));
    ts_result_free(&r);
}

static void test_lock_forgets_and_the_next_command_asks_again(void **state)
{
    fixture *f = *state;
    const char *args[] = {"lock", NULL};
    pid_t pid = unlock_with(f, f->alice, f->pass, NULL);
    ts_result r = cw(args, NULL);

    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "locked: the agent forgot key"));
    ts_result_free(&r);
    assert_agent_gone(f, pid);
    assert_asks_passphrase(f, f->alice);
    r = cw(args, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "no agent was running"));
    ts_result_free(&r);
}

static void test_folder_is_0700_and_socket_0600(void **state)
{
    fixture *f = *state;
    struct stat st;

    unlock_with(f, f->alice, f->pass, NULL);
    assert_int_equal(ts_file_mode(f->agent_dir), 0700);
    assert_int_equal(ts_file_mode(f->sock), 0600);
    assert_int_equal(lstat(f->sock, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    assert_int_equal(st.st_uid, geteuid());
}

/* The value after "field" in a /proc/PID file, as a number; -1 when absent. */
static long proc_field(pid_t pid, const char *file, const char *field)
{
    char path[64], *text, *p;
    long v = -1;

    snprintf(path, sizeof path, "/proc/%ld/%s", (long)pid, file);
    text = ts_read_file(path, NULL);
    assert_non_null(text);
    p = strstr(text, field);
    if (p != NULL)
        v = strtol(p + strlen(field) + strspn(p + strlen(field), " \t:"), NULL, 10);
    free(text);
    return v;
}

static void test_agent_memory_is_locked_and_never_dumped(void **state)
{
    fixture *f = *state;
    pid_t pid = unlock_with(f, f->alice, f->pass, NULL);
    char path[64];
    struct stat st;

    assert_runs_without_passphrase(f, f->alice);   /* the agent has answered: it is set up */
#ifndef __SANITIZE_ADDRESS__   /* AddressSanitizer turns mlock into nothing */
    assert_true(proc_field(pid, "status", "VmLck") > 0);            /* sodium_malloc's mlock */
#endif
    assert_int_equal(proc_field(pid, "limits", "Max core file size"), 0);
    /* Not dumpable: the kernel gives its /proc files to root, so a process of the same (non-root)
     * user can neither ptrace it nor read its memory. Root owns them anyway when root runs this. */
    snprintf(path, sizeof path, "/proc/%ld/mem", (long)pid);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_uid, 0);
    if (geteuid() != 0)
        assert_int_equal(open(path, O_RDONLY), -1);
}

static void test_folder_open_to_others_is_refused(void **state)
{
    fixture *f = *state;
    const char *args[] = {"--key", f->alice, "--passphrase-file", f->pass, "unlock", NULL};
    ts_result r;

    assert_int_equal(mkdir(f->agent_dir, 0700), 0);
    assert_int_equal(chmod(f->agent_dir, 0755), 0);
    r = cw(args, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "chmod 700"));
    ts_result_free(&r);
    assert_int_equal(access(f->sock, F_OK), -1);
}

static void test_folder_of_another_user_is_refused(void **state)
{
    fixture *f = *state;
    const char *args[] = {"--key", f->alice, "--passphrase-file", f->pass, "unlock", NULL};
    ts_result r;

    if (geteuid() != 0)
        skip();   /* only root can give a folder away */
    assert_int_equal(mkdir(f->agent_dir, 0700), 0);
    assert_int_equal(chown(f->agent_dir, 65534, 65534), 0);
    r = cw(args, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "belongs to uid 65534"));
    ts_result_free(&r);
    assert_int_equal(access(f->sock, F_OK), -1);
}

/* Connects to path and exchanges one raw request; returns the bytes answered (up to cap). */
static size_t raw_exchange(const char *path, const unsigned char req[16], unsigned char *ans, size_t cap)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    size_t got = 0;
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0 || send(fd, req, 16, MSG_NOSIGNAL) != 16) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    for (;;) {
        ssize_t n = recv(fd, ans + got, cap - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
        if (got == cap)
            break;
    }
    close(fd);
    return got;
}

static void key_id_of(const char *key_path, unsigned char id[8])
{
    size_t len;
    char *buf = ts_read_file(key_path, &len);
    char err[200];

    assert_non_null(buf);
    assert_int_equal(keyfile_key_id((unsigned char *)buf, len, id, err, sizeof err), 0);
    free(buf);
}

static void test_peer_of_another_uid_is_refused(void **state)
{
    fixture *f = *state;
    unsigned char req[16] = {'C', 'W', 'A', 'G', 1, AGENT_OP_GET_KEY, 0, 0};
    pid_t child;
    int st;

    if (geteuid() != 0)
        skip();   /* needs a second uid: only root can become one */
    unlock_with(f, f->alice, f->pass, NULL);
    key_id_of(f->alice, req + 8);
    /* Open the way for nobody, so that only the agent's own check stands between them. */
    assert_int_equal(chmod(f->dir, 0711), 0);
    assert_int_equal(chmod(f->run, 0711), 0);
    assert_int_equal(chmod(f->agent_dir, 0711), 0);
    assert_int_equal(chmod(f->sock, 0666), 0);
    child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        unsigned char ans[256];
        size_t n;
        if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
            _exit(3);
        n = raw_exchange(f->sock, req, ans, sizeof ans);
        /* exactly a REFUSED header naming no key, then the end */
        if (n != 16)
            _exit(10 + (int)(n > 100 ? 99 : n));
        _exit(memcmp(ans, "CWAG\x01\x02\x00\x00", 8) == 0 && sodium_is_zero(ans + 8, 8) ? 0 : 1);
    }
    assert_int_equal(waitpid(child, &st, 0), child);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    {   /* casework itself does not use an agent whose folder is open to others */
        ts_result r = list_without_passphrase(f, f->alice);
        assert_int_equal(r.status, 1);
        assert_non_null(strstr(r.err, "not asking the agent"));
        assert_non_null(strstr(r.err, "chmod 700"));
        ts_result_free(&r);
    }
    assert_int_equal(chmod(f->agent_dir, 0700), 0);
    assert_runs_without_passphrase(f, f->alice);   /* the agent still serves its own user */
}

static void test_wire_status_and_bad_request(void **state)
{
    fixture *f = *state;
    unsigned char req[16] = {'C', 'W', 'A', 'G', 1, AGENT_OP_STATUS, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    unsigned char ans[256], id[8];
    size_t n;

    unlock_with(f, f->alice, f->pass, NULL);
    key_id_of(f->alice, id);
    n = raw_exchange(f->sock, req, ans, sizeof ans);
    assert_int_equal(n, 16);
    assert_memory_equal(ans, "CWAG\x01\x00\x00\x00", 8);
    assert_memory_equal(ans + 8, id, 8);
    /* version 2, an unknown op, reserved bytes set, a key id with STATUS: all BAD_REQUEST */
    for (int i = 0; i < 4; i++) {
        unsigned char bad[16];
        memcpy(bad, req, 16);
        if (i == 0)
            bad[4] = 2;
        if (i == 1)
            bad[5] = 9;
        if (i == 2)
            bad[7] = 1;
        if (i == 3)
            bad[15] = 1;
        n = raw_exchange(f->sock, bad, ans, sizeof ans);
        assert_int_equal(n, 16);
        assert_memory_equal(ans, "CWAG\x01\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 16);
    }
    /* GET_KEY for another id: OTHER_KEY with the held id, and no secret */
    req[5] = AGENT_OP_GET_KEY;
    memset(req + 8, 0xab, 8);
    n = raw_exchange(f->sock, req, ans, sizeof ans);
    assert_int_equal(n, 16);
    assert_memory_equal(ans, "CWAG\x01\x01\x00\x00", 8);
    assert_memory_equal(ans + 8, id, 8);
    assert_runs_without_passphrase(f, f->alice);
}

static void test_idle_timeout_forgets(void **state)
{
    fixture *f = *state;
    const char *env[] = {"CASEWORK_AGENT_IDLE_SECONDS=1", NULL};
    pid_t pid = unlock_with(f, f->alice, f->pass, env);

    assert_agent_gone(f, pid);
    assert_asks_passphrase(f, f->alice);
}

static void test_sigterm_forgets(void **state)
{
    fixture *f = *state;
    pid_t pid = unlock_with(f, f->alice, f->pass, NULL);

    assert_int_equal(kill(pid, SIGTERM), 0);
    assert_agent_gone(f, pid);
    assert_asks_passphrase(f, f->alice);
}

static void test_removed_socket_forgets(void **state)
{
    fixture *f = *state;
    pid_t pid = unlock_with(f, f->alice, f->pass, NULL);

    assert_int_equal(unlink(f->sock), 0);   /* as logout removes $XDG_RUNTIME_DIR */
    assert_agent_gone(f, pid);
}

static void test_end_of_the_unlocking_session_forgets(void **state)
{
    fixture *f = *state;
    char out_path[PATH_MAX], *out;
    int fds[2], st;
    pid_t leader, pid;

    ts_path(out_path, f->dir, "unlock.out");
    assert_int_equal(pipe(fds), 0);
    leader = fork();   /* a login shell: leads its session, runs unlock, stays */
    assert_true(leader >= 0);
    if (leader == 0) {
        pid_t c;
        char b = 'x';
        setsid();
        c = fork();
        if (c == 0) {
            int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600), n = open("/dev/null", O_RDWR);
            dup2(n, 0);
            dup2(o, 1);
            dup2(n, 2);
            execl(CASEWORK_BIN, CASEWORK_BIN, "--key", f->alice, "--passphrase-file", f->pass, "unlock", (char *)NULL);
            _exit(127);
        }
        waitpid(c, &st, 0);
        if (write(fds[1], &b, 1) != 1)
            _exit(1);
        pause();
        _exit(0);
    }
    close(fds[1]);
    {
        char b;
        assert_int_equal(read(fds[0], &b, 1), 1);
    }
    close(fds[0]);
    out = ts_read_file(out_path, NULL);
    assert_non_null(out);
    pid = agent_pid(f, out);
    free(out);
    assert_runs_without_passphrase(f, f->alice);
    kill(leader, SIGKILL);   /* the session ends */
    assert_int_equal(waitpid(leader, &st, 0), leader);
    assert_agent_gone(f, pid);
}

static void test_wrong_passphrase_starts_no_agent(void **state)
{
    fixture *f = *state;
    const char *args[] = {"--key", f->alice, "--passphrase-file", f->wrong, "unlock", NULL};
    const char *lock[] = {"lock", NULL};
    ts_result r = cw(args, NULL);

    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "wrong passphrase"));
    ts_result_free(&r);
    assert_int_equal(access(f->sock, F_OK), -1);
    r = cw(lock, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "no agent was running"));
    ts_result_free(&r);
}

static void test_agent_for_another_key_is_not_used(void **state)
{
    fixture *f = *state;
    const char *args[] = {"--db", f->db, "--key", f->bob, "--passphrase-file", f->pass, "list", NULL};
    ts_result r;

    unlock_with(f, f->alice, f->pass, NULL);
    r = list_without_passphrase(f, f->bob);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "the agent holds key"));
    assert_non_null(strstr(r.err, "no terminal to ask for the passphrase"));
    ts_result_free(&r);
    r = cw(args, NULL);   /* with Bob's passphrase, Bob works as before */
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "the agent holds key"));
    ts_result_free(&r);
    assert_runs_without_passphrase(f, f->alice);
}

static void test_unlock_with_another_key_replaces_the_agent(void **state)
{
    fixture *f = *state;
    pid_t first = unlock_with(f, f->alice, f->pass, NULL);
    const char *args[] = {"--key", f->bob, "--passphrase-file", f->pass, "unlock", NULL};
    ts_result r = cw(args, NULL);

    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "it forgot it"));
    agent_pid(f, r.out);
    ts_result_free(&r);
    assert_int_equal(ts_wait(first, 60000), 0);
    assert_runs_without_passphrase(f, f->bob);
    assert_asks_passphrase(f, f->alice);
}

static void test_idle_option_is_checked_and_shown(void **state)
{
    fixture *f = *state;
    const char *zero[] = {"--key", f->alice, "--passphrase-file", f->pass, "unlock", "--idle", "0", NULL};
    const char *five[] = {"--key", f->alice, "--passphrase-file", f->pass, "unlock", "--idle", "5", NULL};
    ts_result r = cw(zero, NULL);

    assert_int_equal(r.status, 2);   /* a usage error: no passphrase read, no agent */
    ts_result_free(&r);
    assert_int_equal(access(f->sock, F_OK), -1);
    r = cw(five, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "until 5 minutes without use"));
    agent_pid(f, r.out);
    ts_result_free(&r);
}

/* The key file's side: the secret from an agent must fit the file's key id. */
static void test_decode_secret_checks_the_key_id(void **state)
{
    fixture *f = *state;
    size_t alen, blen;
    char *abuf = ts_read_file(f->alice, &alen), *bbuf = ts_read_file(f->bob, &blen), err[200];
    caseworker_key *a = NULL, *got = NULL;
    unsigned char secret[KEYFILE_SECRETBYTES], id[8];

    assert_int_equal(keyfile_read(f->alice, "pw", 2, &a, err, sizeof err), 0);
    memcpy(secret, a->x25519_sk, 32);
    memcpy(secret + 32, a->ed25519_sk, 64);
    assert_int_equal(keyfile_decode_secret((unsigned char *)abuf, alen, secret, &got, err, sizeof err), 0);
    assert_memory_equal(got->pub.key_id, a->pub.key_id, 8);
    assert_string_equal(got->pub.name, "Alice Martin");
    assert_int_equal(got->pub.role, PUBKEY_ROLE_CASEWORKER);
    keyfile_free(got);
    got = NULL;
    assert_int_equal(keyfile_decode_secret((unsigned char *)bbuf, blen, secret, &got, err, sizeof err), ERR_AUTH);
    assert_null(got);
    abuf[0] = 'X';
    assert_int_equal(keyfile_key_id((unsigned char *)abuf, alen, id, err, sizeof err), ERR_FORMAT);
    assert_int_equal(keyfile_decode_secret((unsigned char *)abuf, alen, secret, &got, err, sizeof err), ERR_FORMAT);
    sodium_memzero(secret, sizeof secret);
    keyfile_free(a);
    free(abuf);
    free(bbuf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unlock_then_a_command_asks_no_passphrase, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_key_file_open_to_others_is_refused_with_an_agent_too, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unlock_again_with_the_same_key_asks_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_forgets_and_the_next_command_asks_again, setup, teardown),
        cmocka_unit_test_setup_teardown(test_folder_is_0700_and_socket_0600, setup, teardown),
        cmocka_unit_test_setup_teardown(test_agent_memory_is_locked_and_never_dumped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_folder_open_to_others_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_folder_of_another_user_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_peer_of_another_uid_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wire_status_and_bad_request, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idle_timeout_forgets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sigterm_forgets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_removed_socket_forgets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_end_of_the_unlocking_session_forgets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_passphrase_starts_no_agent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_agent_for_another_key_is_not_used, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unlock_with_another_key_replaces_the_agent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idle_option_is_checked_and_shown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decode_secret_checks_the_key_id, setup, teardown),
    };

    if (sodium_init() < 0)
        return 1;
    prctl(PR_SET_CHILD_SUBREAPER, 1);   /* every agent becomes this process's child */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
