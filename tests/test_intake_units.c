/*
 * test_intake_units.c: the intake's small parts on their own: csrf tokens (valid for hours,
 * reusable, refused when forged, expired or from the future), the choice of language, the
 * completeness of both catalogues, HTML escaping of what people type, and the listening socket
 * closed by a server that fails to start.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "csrf.h"
#include "errors.h"
#include "html.h"
#include "messages.h"
#include "recent.h"
#include "receipt.h"
#include "sent.h"
#include "server.h"

static void test_csrf_token_is_valid_for_hours_and_reusable(void **state)
{
    unsigned char key[CSRF_KEYBYTES];
    char token[CSRF_TOKEN_SIZE];
    const uint64_t issued = 29000000;

    (void)state;
    randombytes_buf(key, sizeof key);
    csrf_issue(key, issued, token);
    assert_int_equal(strlen(token), 32);
    assert_int_equal(csrf_check(key, issued, token), 0);
    assert_int_equal(csrf_check(key, issued, token), 0);   /* reusable */
    assert_int_equal(csrf_check(key, issued + 6 * 60, token), 0);
    assert_int_equal(csrf_check(key, issued + CSRF_VALID_MINUTES, token), 0);
    assert_int_equal(csrf_check(key, issued + CSRF_VALID_MINUTES + 1, token), -1);
    assert_int_equal(csrf_check(key, issued - 5, token), 0);    /* a little clock skew */
    assert_int_equal(csrf_check(key, issued - 60, token), -1);  /* from the future */
}

static void test_csrf_refuses_forged_and_malformed_tokens(void **state)
{
    unsigned char key[CSRF_KEYBYTES], other[CSRF_KEYBYTES];
    char token[CSRF_TOKEN_SIZE], copy[CSRF_TOKEN_SIZE];
    const uint64_t now = 29000000;

    (void)state;
    randombytes_buf(key, sizeof key);
    randombytes_buf(other, sizeof other);
    csrf_issue(key, now, token);
    assert_int_equal(csrf_check(other, now, token), -1);
    for (size_t i = 0; i < strlen(token); i++) {
        memcpy(copy, token, sizeof copy);
        copy[i] = copy[i] == 'A' ? 'B' : 'A';
        assert_int_equal(csrf_check(key, now, copy), -1);
    }
    assert_int_equal(csrf_check(key, now, ""), -1);
    assert_int_equal(csrf_check(key, now, NULL), -1);
    assert_int_equal(csrf_check(key, now, "not a token at all, not at all!!"), -1);
}

static void test_language_follows_the_query_then_accept_language(void **state)
{
    (void)state;
    assert_int_equal(lang_choose(NULL, NULL), LANG_EN);
    assert_int_equal(lang_choose("fr", "en"), LANG_FR);
    assert_int_equal(lang_choose("en", "fr"), LANG_EN);
    assert_int_equal(lang_choose("de", "fr-CA"), LANG_FR);
    assert_int_equal(lang_choose(NULL, "fr-FR,fr;q=0.9,en;q=0.8"), LANG_FR);
    assert_int_equal(lang_choose(NULL, "de-DE, en;q=0.3, fr;q=0.7"), LANG_FR);
    assert_int_equal(lang_choose(NULL, "en-GB,en;q=0.9,fr;q=0.8"), LANG_EN);
    assert_int_equal(lang_choose(NULL, "fr;q=0, en;q=0.1"), LANG_EN);
    assert_int_equal(lang_choose(NULL, "frisian, de"), LANG_EN);
    assert_int_equal(lang_choose(NULL, ""), LANG_EN);
    assert_int_equal(lang_choose(NULL, "fr;q=0.5, en;q=0.50"), LANG_FR);   /* a tie: the first */
    assert_int_equal(lang_choose(NULL, "en;level=1;Q=0.2,fr;q=0.1"), LANG_EN);
    assert_int_equal(lang_choose(NULL, "en;q=0.999, fr"), LANG_FR);
    assert_int_equal(lang_choose(NULL, "fr;q=2, en;q=0.9"), LANG_EN);    /* not well-formed: not chosen */
    assert_int_equal(lang_choose(NULL, "fr;q=x"), LANG_EN);
    assert_int_equal(lang_choose(NULL, " \tfr"), LANG_FR);
    {
        /* only the first LANG_HEADER_MAX bytes are read */
        char *header = malloc(3 * LANG_HEADER_MAX);
        assert_non_null(header);
        memset(header, ',', 3 * LANG_HEADER_MAX);
        memcpy(header + LANG_HEADER_MAX - 10, "fr", 2);
        strcpy(header + 2 * LANG_HEADER_MAX, "en;q=1");
        assert_int_equal(lang_choose(NULL, header), LANG_FR);
        memset(header, ',', LANG_HEADER_MAX);
        memcpy(header + 2 * LANG_HEADER_MAX - 10, "fr", 2);
        assert_int_equal(lang_choose(NULL, header), LANG_EN);
        free(header);
    }
}

/* The {N} placeholders of a message, as a bit set. */
static unsigned placeholders(const char *s)
{
    unsigned set = 0;

    for (const char *p = strchr(s, '{'); p != NULL; p = strchr(p + 1, '{'))
        if (p[1] >= '1' && p[1] <= '9' && p[2] == '}')
            set |= 1u << (p[1] - '0');
    return set;
}

static void test_both_catalogues_have_every_message_with_the_same_placeholders(void **state)
{
    (void)state;
    for (int id = 0; id < MESSAGE_COUNT; id++) {
        const char *en = messages_en[id], *fr = messages_fr[id];
        if (en == NULL || en[0] == '\0')
            fail_msg("English lacks %s", msg_id_name((message_id)id));
        if (fr == NULL || fr[0] == '\0')
            fail_msg("French lacks %s", msg_id_name((message_id)id));
        if (placeholders(en) != placeholders(fr))
            fail_msg("%s: placeholders differ between English and French", msg_id_name((message_id)id));
        if ((strstr(en, "<strong>") != NULL) != (strstr(fr, "<strong>") != NULL))
            fail_msg("%s: markup differs between English and French", msg_id_name((message_id)id));
    }
    assert_string_equal(msg(LANG_EN, M_LANG_CODE), "en");
    assert_string_equal(msg(LANG_FR, M_LANG_CODE), "fr");
}

static void test_typed_text_is_escaped(void **state)
{
    html h;

    (void)state;
    html_init(&h);
    html_raw(&h, "<p title=\"");
    html_str(&h, "\"><script>alert('x')</script>&amp;");
    html_raw(&h, "\">");
    assert_false(h.failed);
    static const char expect[] = "<p title=\"&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;amp;\">";
    assert_string_equal(h.buf, expect);
    html_rawf(&h, "%0600d", 7);   /* long formatted output grows the buffer */
    assert_false(h.failed);
    assert_int_equal(h.len, strlen(expect) + 600);
    html_free(&h);
    html_free(&h);
}

/* A socket listening on a free loopback port, as server_bind hands it over. */
static int loopback_listener(void)
{
    struct sockaddr_in sa;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    assert_true(fd >= 0);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(fd, 4), 0);
    return fd;
}

static int fd_is_closed(int fd)
{
    return fcntl(fd, F_GETFD) == -1 && errno == EBADF;
}

static void test_a_server_that_fails_to_start_closes_its_socket_and_leaves_nothing(void **state)
{
    intake_config cfg = {.listen_addr = "localhost", .port = 0, .max_connections = 8,
                         .timeout_seconds = 5, .threads = 1};
    intake_server *server = (intake_server *)&cfg;   /* anything but NULL */
    intake_app app;
    char err[256] = "";
    int fd;

    (void)state;
    memset(&app, 0, sizeof app);
    /* refused before libmicrohttpd is called: not a numeric address */
    fd = loopback_listener();
    assert_int_equal(server_start(&cfg, fd, &app, &server, err, sizeof err), ERR_FORMAT);
    assert_null(server);
    assert_true(fd_is_closed(fd));
    /* refused by libmicrohttpd: a certificate that is not one */
    cfg.listen_addr = "127.0.0.1";
    cfg.tls_cert_pem = "not a certificate";
    cfg.tls_key_pem = "not a key";
    server = (intake_server *)&cfg;
    fd = loopback_listener();
    assert_int_equal(server_start(&cfg, fd, &app, &server, err, sizeof err), ERR_IO);
    assert_null(server);
    assert_true(fd_is_closed(fd));
}


/* The memory of follow-up forms: a token is claimed once per case, released when its save
 * failed, forgotten after a day, and a client that posts no token is never refused. */
static void test_a_follow_up_form_is_remembered_once_per_case(void **state)
{
    recent *r = recent_new();
    char t1[RECENT_TOKEN_TEXT], t2[RECENT_TOKEN_TEXT];
    unsigned char case_a[32], case_b[32];

    (void)state;
    assert_non_null(r);
    recent_token(t1);
    recent_token(t2);
    assert_int_equal(strlen(t1), 32);
    assert_string_not_equal(t1, t2);
    randombytes_buf(case_a, sizeof case_a);
    randombytes_buf(case_b, sizeof case_b);
    assert_int_equal(recent_claim(r, t1, case_a, 1000), RECENT_NEW);        /* claimed */
    assert_int_equal(recent_claim(r, t1, case_a, 1001), RECENT_IN_FLIGHT);  /* again, while saving */
    assert_int_equal(recent_state(r, t1, case_a, 1001), RECENT_IN_FLIGHT);
    recent_saved(r, t1, case_a);
    assert_int_equal(recent_claim(r, t1, case_a, 1001), RECENT_SAVED);      /* again, once saved */
    assert_int_equal(recent_claim(r, t1, case_b, 1001), RECENT_NEW);        /* another case's: not refused */
    assert_int_equal(recent_claim(r, t2, case_a, 1002), RECENT_NEW);
    recent_release(r, t2, case_a);                                          /* its save failed */
    assert_int_equal(recent_state(r, t2, case_a, 1003), RECENT_NEW);
    assert_int_equal(recent_claim(r, t2, case_a, 1003), RECENT_NEW);        /* so sending again saves it */
    assert_int_equal(recent_claim(r, t1, case_a, 1000 + RECENT_SECONDS + 1), RECENT_NEW);   /* a day later */
    assert_int_equal(recent_claim(r, "", case_a, 1004), RECENT_NONE);      /* no token: nothing to remember */
    assert_int_equal(recent_claim(r, "not a token", case_a, 1004), RECENT_NONE);
    assert_int_equal(recent_claim(r, "ZZ", case_a, 1004), RECENT_NONE);
    /* past its capacity, the oldest are forgotten first */
    for (int i = 0; i < RECENT_CAPACITY; i++) {
        char t[RECENT_TOKEN_TEXT];
        recent_token(t);
        assert_int_equal(recent_claim(r, t, case_a, 2000), RECENT_NEW);
    }
    assert_int_equal(recent_claim(r, t2, case_a, 2001), RECENT_NEW);
    recent_free(r);
}


/* The list of what was sent: entries in order; the oldest follow-ups give way (never the
 * report); when the report and one follow-up alone are too many, the follow-up lists fewer
 * files and says how many more came; a list under another case's reference does not open. */
static void test_the_list_of_what_was_sent_keeps_within_its_bounds(void **state)
{
    unsigned char raw[RECEIPT_BYTES], *box = NULL, *next = NULL, *plain = NULL;
    size_t box_len = 0, next_len = 0, plain_len = 0;
    const char *names[32];
    uint64_t sizes[32];
    receipt_keys *rk;
    sent_list *list = calloc(1, sizeof *list);
    sent_item report = {1, "2026-11-30", 120, 32, names, sizes}, big = {0, "2026-12-01", 0, 30, names, sizes};
    sent_item small = {0, "2026-12-02", 7, 0, NULL, NULL};

    (void)state;
    assert_non_null(list);
    for (int i = 0; i < 32; i++) {
        names[i] = i % 2 ? "photo.jpg" : "letter <1>.pdf";
        sizes[i] = 1000u + (uint64_t)i;
    }
    randombytes_buf(raw, sizeof raw);
    rk = receipt_keys_derive(raw);
    assert_non_null(rk);
    assert_int_equal(sent_seal(rk, "K7QM3-XH9A2", NULL, 0, &report, &box, &box_len), 0);
    assert_int_equal(sent_seal(rk, "K7QM3-XH9A2", box, box_len, &big, &next, &next_len), 0);
    assert_int_equal(receipt_box_open(rk, "K7QM3-XH9A2", next, next_len, &plain, &plain_len), 0);
    assert_int_equal(sent_read(plain, plain_len, list), 0);
    assert_int_equal(list->n, 2);
    assert_true(list->e[0].is_report);
    assert_int_equal(list->e[0].nfiles, 32);
    assert_int_equal(list->e[0].text_bytes, 120);
    assert_false(list->e[1].is_report);
    assert_int_equal(list->e[1].nfiles + list->e[1].more_files, 30);   /* none lost without a word */
    assert_true(list->e[1].more_files > 0);
    sodium_free(plain);
    free(box);
    box = next;
    box_len = next_len;
    /* forty small follow-ups: the oldest give way, the report stays, and the list says so */
    for (int i = 0; i < 40; i++) {
        assert_int_equal(sent_seal(rk, "K7QM3-XH9A2", box, box_len, &small, &next, &next_len), 0);
        free(box);
        box = next;
        box_len = next_len;
    }
    assert_int_equal(receipt_box_open(rk, "K7QM3-XH9A2", box, box_len, &plain, &plain_len), 0);
    assert_int_equal(sent_read(plain, plain_len, list), 0);
    assert_true(list->e[0].is_report);
    assert_true(list->older_dropped);
    assert_int_equal(list->e[list->n - 1].text_bytes, 7);
    sodium_free(plain);
    /* moved to another case, it does not open */
    assert_int_not_equal(sent_seal(rk, "OTHER-CASE1", box, box_len, &small, &next, &next_len), 0);
    free(box);
    receipt_keys_free(rk);
    free(list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csrf_token_is_valid_for_hours_and_reusable),
        cmocka_unit_test(test_csrf_refuses_forged_and_malformed_tokens),
        cmocka_unit_test(test_language_follows_the_query_then_accept_language),
        cmocka_unit_test(test_both_catalogues_have_every_message_with_the_same_placeholders),
        cmocka_unit_test(test_typed_text_is_escaped),
        cmocka_unit_test(test_a_follow_up_form_is_remembered_once_per_case),
        cmocka_unit_test(test_the_list_of_what_was_sent_keeps_within_its_bounds),
        cmocka_unit_test(test_a_server_that_fails_to_start_closes_its_socket_and_leaves_nothing),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
