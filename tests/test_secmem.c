/*
 * test_secmem.c: the cache of guarded buffers (include/secmem.h): a buffer given back is wiped
 * and handed out again for the same size class on the same thread; it keeps its guard page
 * right after its class; large buffers, and more than the cache holds, go back to libsodium.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "secmem.h"

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0)
            return 0;
    return 1;
}

static void test_a_buffer_given_back_is_wiped_and_reused(void **state)
{
    unsigned char *a, *b, *c;

    (void)state;
    a = secmem_alloc(100);
    assert_non_null(a);
    memset(a, 0xA5, 128);   /* the whole class (128 bytes) is the caller's */
    secmem_free(a, 100);
    b = secmem_alloc(120);   /* same class */
    assert_ptr_equal(a, b);
    assert_true(all_zero(b, 128));
    c = secmem_alloc(300);   /* another class: another buffer */
    assert_ptr_not_equal(b, c);
    secmem_free(b, 120);
    secmem_free(c, 300);
    secmem_free(NULL, 10);
}

static void test_large_buffers_and_a_full_cache_go_back_to_libsodium(void **state)
{
    unsigned char *big = secmem_alloc(3 * 1024 * 1024), *bufs[20];

    (void)state;
    assert_non_null(big);
    memset(big, 1, 3 * 1024 * 1024);
    secmem_free(big, 3 * 1024 * 1024);
    big = secmem_alloc(200 * 1024);   /* past the largest class: the size asked, not rounded up */
    assert_non_null(big);
    secmem_free(big, 200 * 1024);
    for (int i = 0; i < 20; i++) {
        bufs[i] = secmem_alloc(4096);
        assert_non_null(bufs[i]);
        for (int j = 0; j < i; j++)
            assert_ptr_not_equal(bufs[i], bufs[j]);
    }
    for (int i = 0; i < 20; i++)
        secmem_free(bufs[i], 4096);   /* 8 kept, 12 freed: no crash, no leak of locked memory */
}

/* Writing one byte past the class of a buffer (cached or new), or past a large buffer, hits its
 * guard page. */
static void test_the_guard_page_follows_the_class(void **state)
{
    (void)state;
    for (int reused = 0; reused < 3; reused++) {
        pid_t pid = fork();
        int status;
        assert_true(pid >= 0);
        if (pid == 0) {
            size_t size = reused < 2 ? 1000 : 200 * 1024, end = reused < 2 ? 1024 : 200 * 1024;
            unsigned char *p = secmem_alloc(size);   /* class 1024; past the classes, the size */
            signal(SIGSEGV, SIG_DFL);   /* cmocka's handler would carry on with the tests */
            signal(SIGBUS, SIG_DFL);
            if (reused == 1) {
                secmem_free(p, size);
                p = secmem_alloc(size);
            }
            p[end - 1] = 1;          /* the last byte of the class is the caller's */
            ((volatile unsigned char *)p)[end] = 1;   /* past it: the guard page */
            _exit(0);
        }
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status));
        assert_true(WTERMSIG(status) == SIGSEGV || WTERMSIG(status) == SIGBUS);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_buffer_given_back_is_wiped_and_reused),
        cmocka_unit_test(test_large_buffers_and_a_full_cache_go_back_to_libsodium),
        cmocka_unit_test(test_the_guard_page_follows_the_class),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
