/*
 * test_intake_e2e.c: the reporter's whole path through the real intake binary on loopback:
 * file a report (urlencoded, and multipart with attachments), read the status with the receipt
 * typed another way, send a follow-up, and open everything with the real decryption code; every
 * kind of bad input answered 4xx with the typed text kept and nothing stored; no trace of the
 * report, the receipt, the client's address or its User-Agent in the database, WAL or output.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "csrf.h"
#include "envelope.h"
#include "errors.h"
#include "fields.h"
#include "pubkey.h"
#include "receipt.h"
#include "record-sig.h"
#include "store.h"
#include "stream.h"
#include "test_support.h"

#define CLIENT "127.0.0.2"              /* the reporter's address, which must leave no trace */
#define USER_AGENT "SeaTestBrowser/4.2-u7x"

typedef struct worker {
    pubkey pub;
    unsigned char sk[32];
    unsigned char ed_sk[64];
} worker;

typedef struct fixture {
    char dir[PATH_MAX], db[PATH_MAX], recipients[PATH_MAX], log[PATH_MAX], spool[PATH_MAX], profile[PATH_MAX];
    worker w[2];
    int port;
    pid_t pid;
} fixture;

static void make_worker(worker *w, const char *name)
{
    memset(w, 0, sizeof *w);
    crypto_box_keypair(w->pub.x25519, w->sk);
    crypto_sign_keypair(w->pub.ed25519, w->ed_sk);
    pubkey_compute_id(PUBKEY_ROLE_CASEWORKER, w->pub.x25519, w->pub.ed25519, w->pub.key_id);
    snprintf(w->pub.name, sizeof w->pub.name, "%s", name);
}

static void start_intake(fixture *f, const char *max_active)
{
    char listen[32];
    const char *argv[] = {INTAKE_BIN, "--db", f->db, "--recipients", f->recipients, "--listen", listen,
                          "--max-attachment-mb", "1", "--max-attachments", "3", "--spool-dir", f->spool,
                          "--max-active", max_active, "--profile", f->profile, NULL};

    f->port = ts_free_port();
    snprintf(listen, sizeof listen, "127.0.0.1:%d", f->port);
    f->pid = ts_spawn(argv, f->log);
    assert_int_equal(ts_wait_port(f->port, 10000), 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char a[PUBKEY_LINE_MAX], b[PUBKEY_LINE_MAX], both[3 * PUBKEY_LINE_MAX];

    ts_tmpdir(f->dir);
    ts_path(f->db, f->dir, "reports.db");
    ts_path(f->log, f->dir, "intake.log");
    ts_path(f->spool, f->dir, "spool");
    assert_int_equal(mkdir(f->spool, 0700), 0);
    make_worker(&f->w[0], "Alice Martin");
    make_worker(&f->w[1], "Bob Ng");
    pubkey_format(&f->w[0].pub, a);
    pubkey_format(&f->w[1].pub, b);
    snprintf(both, sizeof both, "# caseworkers\n%s%s", a, b);
    ts_write_file(ts_path(f->recipients, f->dir, "recipients"), both, strlen(both));
    {
        static const char profile[] =
            "[Organisation]\nName=Test Ethics Office\nName[fr]=Bureau d'essai\n"
            "Timeline=We answer within 7 days.\nTimeline[fr]=Nous répondons sous 7 jours.\n"
            "Contact=Phone 555-0100;Room 12 <b>east</b>\nSupport=Helpline 555-0199\n"
            "Retention=Two years.\n";
        ts_write_file(ts_path(f->profile, f->dir, "organisation.ini"), profile, sizeof profile - 1);
    }
    start_intake(f, "64");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    if (f->pid > 0) {
        kill(f->pid, SIGTERM);
        ts_wait(f->pid, 10000);
    }
    ts_rmtree(f->dir);
    free(f);
    return 0;
}

/* A fresh csrf token from the report form. */
static void get_csrf(const fixture *f, char out[64])
{
    ts_csrf(f->port, "/", out);
}

static int count_rows(const fixture *f, const char *table)
{
    return ts_count_rows(f->db, table);
}

static char *post_form(const fixture *f, const char *path, const ts_buf *body, int multipart, int *status)
{
    return ts_post(f->port, CLIENT, path,
                   multipart ? "multipart/form-data; boundary=" TS_BOUNDARY : "application/x-www-form-urlencoded",
                   body, "User-Agent: " USER_AGENT "\r\nSec-Fetch-Site: same-origin\r\n", status);
}

/* Everything of one case that the test opens with a caseworker's key. */
typedef struct opened {
    int n;                 /* envelopes opened */
    int not_recipient;     /* envelopes this key could not open */
    char texts[8][512];    /* "name=value" of text fields (values cut at 400 bytes), in order */
    int ntexts;
    unsigned char att_keys[4][32];
    char att_names[4][64];
    int64_t att_meta[4];
    int natt;
} opened;

typedef struct open_ctx {
    const store_case *c;
    const worker *w;
    enum envelope_kind kind;
    opened *o;
} open_ctx;

static int open_record(void *ctx, const store_record *r)
{
    open_ctx *oc = ctx;
    unsigned char *plain;
    size_t len, nf;
    field fl[FIELDS_MAX];
    int rc;

    if (r->audience != STORE_AUDIENCE_CASEWORKERS)
        return 0;
    rc = envelope_open(oc->w->pub.x25519, oc->w->sk, oc->kind, oc->c->ref, r->envelope, r->envelope_len,
                       &plain, &len, NULL, 0);
    if (rc == ERR_NOT_RECIPIENT) {
        oc->o->not_recipient++;
        return 0;
    }
    if (rc != 0)
        return 0;   /* another kind */
    oc->o->n++;
    assert_int_equal(fields_decode(plain, len, fl, FIELDS_MAX, &nf), 0);
    for (size_t i = 0; i < nf; i++) {
        if (oc->kind == ENVELOPE_KIND_ATTACHMENT_META && strcmp(fl[i].name, "key") == 0) {
            memcpy(oc->o->att_keys[oc->o->natt], fl[i].value, 32);
            continue;
        }
        if (oc->kind == ENVELOPE_KIND_ATTACHMENT_META && strcmp(fl[i].name, "name") == 0)
            snprintf(oc->o->att_names[oc->o->natt], 64, "%.*s", (int)(fl[i].len < 60 ? fl[i].len : 60),
                     (const char *)fl[i].value);
        if (strcmp(fl[i].name, "reporter_pk") != 0 && oc->o->ntexts < 8)
            snprintf(oc->o->texts[oc->o->ntexts++], 512, "%.31s=%.*s", fl[i].name,
                     (int)(fl[i].len < 400 ? fl[i].len : 400), (const char *)fl[i].value);
    }
    if (oc->kind == ENVELOPE_KIND_ATTACHMENT_META)
        oc->o->att_meta[oc->o->natt++] = r->id;
    sodium_free(plain);
    return 0;
}

static void open_case(const fixture *f, const char *ref, int who, enum envelope_kind kind, opened *o)
{
    store *s;
    store_case c;
    char err[300];
    open_ctx oc;

    memset(o, 0, sizeof *o);
    assert_int_equal(store_open(f->db, &s, err, sizeof err), 0);
    assert_int_equal(store_case_by_ref(s, ref, &c, err, sizeof err), 0);
    oc = (open_ctx){&c, &f->w[who], kind, o};
    assert_int_equal(store_records_each(s, c.id, 0, open_record, &oc, err, sizeof err), 0);
    store_close(s);
}

static int has_text(const opened *o, const char *name_value)
{
    for (int i = 0; i < o->ntexts; i++)
        if (strcmp(o->texts[i], name_value) == 0)
            return 1;
    return 0;
}

static void file_report(const fixture *f, ts_buf *body, int multipart, char receipt[64], char ref[32])
{
    int status;
    char *page = post_form(f, "/report", body, multipart, &status);

    if (status != 200)
        fail_msg("report refused with %d: %s", status, page);
    assert_int_equal(ts_element_text(page, "receipt", receipt, 64), 0);
    assert_int_equal(ts_element_text(page, "case", ref, 32), 0);
    assert_int_equal(strlen(receipt), 29);
    free(page);
}

static void test_urlencoded_report_opens_with_each_recipients_key(void **state)
{
    fixture *f = *state;
    char csrf[64], receipt[64], ref[32];
    ts_buf body = {0};
    opened o;

    get_csrf(f, csrf);
    ts_urlencode_add(&body, "csrf", csrf);
    ts_urlencode_add(&body, "category", "sexual-harassment");
    ts_urlencode_add(&body, "description", "He sent me messages every night & said \"it's a joke\".");
    ts_urlencode_add(&body, "when", "March to May");
    ts_urlencode_add(&body, "sex", "female");
    ts_urlencode_add(&body, "age_band", "25-34");
    file_report(f, &body, 0, receipt, ref);
    ts_buf_free(&body);

    for (int who = 0; who < 2; who++) {
        open_case(f, ref, who, ENVELOPE_KIND_REPORT, &o);
        assert_int_equal(o.n, 1);
        assert_true(has_text(&o, "category=sexual-harassment"));
        assert_true(has_text(&o, "description=He sent me messages every night & said \"it's a joke\"."));
        assert_true(has_text(&o, "when=March to May"));
        assert_true(has_text(&o, "sex=female"));
        assert_true(has_text(&o, "age_band=25-34"));
    }
    assert_int_equal(count_rows(f, "cases"), 1);
}

typedef struct pull {
    stream_reader *r;
    unsigned char out[STREAM_MAX_CT];
    ts_buf got;
} pull;

static int pull_chunk(void *ctx, const unsigned char *chunk, size_t len)
{
    pull *p = ctx;
    size_t n;
    int rc = stream_reader_pull(p->r, chunk, len, p->out, &n);

    if (rc == 0)
        ts_buf_add(&p->got, p->out, n);
    return rc;
}

/* Decrypts attachment number i of the opened metadata and compares it with data. */
static void check_attachment(const fixture *f, const char *ref, const opened *o, int i,
                             const void *data, size_t len)
{
    store *s;
    char err[300];
    unsigned char header[24];
    int64_t meta;
    sqlite3_stmt *st;
    int64_t att = -1;
    pull p = {0};

    assert_int_equal(store_open(f->db, &s, err, sizeof err), 0);
    assert_int_equal(sqlite3_prepare_v2(ts_store_db(s), "SELECT id FROM attachments WHERE meta_record = ?", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, o->att_meta[i]);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    att = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    assert_int_equal(store_attachment_header(s, att, header, &meta, err, sizeof err), 0);
    p.r = stream_reader_new(o->att_keys[i], ref, header);
    assert_non_null(p.r);
    assert_int_equal(store_attachment_chunks_each(s, att, pull_chunk, &p, err, sizeof err), 0);
    assert_int_equal(stream_reader_finish(p.r), 0);
    assert_int_equal(p.got.len, len);
    assert_memory_equal(p.got.data, data, len);
    stream_reader_free(p.r);
    ts_buf_free(&p.got);
    store_close(s);
}

static void test_multipart_report_with_two_attachments_round_trips(void **state)
{
    fixture *f = *state;
    char csrf[64], receipt[64], ref[32];
    size_t big_len = 200 * 1024 + 17;
    unsigned char *big = malloc(big_len);
    const char note[] = "meeting notes, 3 March";
    ts_buf body = {0};
    opened o;

    randombytes_buf(big, big_len);
    get_csrf(f, csrf);
    ts_multipart_field(&body, "csrf", csrf);
    ts_multipart_field(&body, "category", "bullying");
    ts_multipart_field(&body, "description", "Shouted at in front of the team.\r\nAgain on Friday.");
    ts_multipart_file(&body, "attachment", "photo.jpg", "image/jpeg", big, big_len);
    ts_multipart_file(&body, "attachment", "notes.txt", "text/plain", note, strlen(note));
    ts_multipart_end(&body);
    file_report(f, &body, 1, receipt, ref);
    ts_buf_free(&body);

    open_case(f, ref, 1, ENVELOPE_KIND_REPORT, &o);
    assert_true(has_text(&o, "description=Shouted at in front of the team.\r\nAgain on Friday."));
    open_case(f, ref, 1, ENVELOPE_KIND_ATTACHMENT_META, &o);
    assert_int_equal(o.natt, 2);
    assert_string_equal(o.att_names[0], "photo.jpg");
    assert_true(has_text(&o, "type=image/jpeg"));
    assert_true(has_text(&o, "size=204817"));
    assert_string_equal(o.att_names[1], "notes.txt");
    check_attachment(f, ref, &o, 0, big, big_len);
    check_attachment(f, ref, &o, 1, note, strlen(note));
    free(big);
}

/*
 * Seals a reply to the case's reporter key and recipient 0: signed with signer's Ed25519 key as
 * casework signs (record-sig.h) when signer is not NULL, unsigned (a forgery anyone who can write
 * the database could make) when it is.
 */
static void add_reply_as(const fixture *f, const char *ref, const char *text, const worker *signer)
{
    store *s;
    store_case c;
    char err[300];
    unsigned char pks[64], *plain, *env, hash[32], sig[64];
    size_t len, env_len, n = 1;
    field fl[3];

    assert_int_equal(store_open(f->db, &s, err, sizeof err), 0);
    assert_int_equal(store_case_by_ref(s, ref, &c, err, sizeof err), 0);
    memcpy(pks, c.reporter_pk, 32);   /* as a thief would: the clear column */
    memcpy(pks + 32, f->w[0].pub.x25519, 32);
    fields_set(&fl[0], "text", text, strlen(text));
    if (signer != NULL)
        fields_set(&fl[n++], "signer", signer->pub.ed25519, 32);
    len = fields_encoded_size(fl, n) + (signer != NULL ? RECORD_SIG_ENTRY_BYTES : 0);
    plain = malloc(len);
    fields_encode(fl, n, plain);
    if (signer != NULL) {
        record_sig_hash(c.ref, ENVELOPE_KIND_REPLY, plain, fields_encoded_size(fl, n), hash);
        crypto_sign_detached(sig, NULL, hash, sizeof hash, signer->ed_sk);
        fields_set(&fl[n++], "sig", sig, sizeof sig);
        fields_encode(fl, n, plain);
    }
    assert_int_equal(envelope_seal(pks, 2, NULL, ENVELOPE_KIND_REPLY, c.ref, plain, len, &env, &env_len, err, sizeof err), 0);
    assert_int_equal(store_record_add(s, c.id, STORE_AUDIENCE_REPORTER, env, env_len, NULL, err, sizeof err), 0);
    free(env);
    free(plain);
    store_close(s);
}

/* A reply as casework writes it: signed by caseworker 0. */
static void add_reply(const fixture *f, const char *ref, const char *text)
{
    add_reply_as(f, ref, text, &f->w[0]);
}

static char *ask_status(const fixture *f, const char *typed, int *status)
{
    char csrf[64];
    ts_buf body = {0};
    char *page;

    get_csrf(f, csrf);
    ts_urlencode_add(&body, "csrf", csrf);
    ts_urlencode_add(&body, "receipt", typed);
    page = post_form(f, "/status", &body, 0, status);
    ts_buf_free(&body);
    return page;
}

static void report_simple(const fixture *f, const char *text, const char *exclude, char receipt[64], char ref[32])
{
    char csrf[64];
    ts_buf body = {0};

    get_csrf(f, csrf);
    ts_urlencode_add(&body, "csrf", csrf);
    ts_urlencode_add(&body, "category", "other");
    ts_urlencode_add(&body, "description", text);
    if (exclude != NULL)
        ts_urlencode_add(&body, "exclude", exclude);
    file_report(f, &body, 0, receipt, ref);
    ts_buf_free(&body);
}

static void test_status_takes_the_receipt_typed_any_way_and_shows_replies(void **state)
{
    fixture *f = *state;
    char receipt[64], ref[32], typed[80], value[128];
    size_t n = 0;
    int status;
    char *page;

    report_simple(f, "first report", NULL, receipt, ref);
    add_reply(f, ref, "Thank you. <b>We</b> will call you.");
    add_reply(f, ref, "Second reply");
    /* lower case, spaces instead of dashes, and extra spaces */
    typed[n++] = ' ';
    for (size_t i = 0; receipt[i]; i++)
        typed[n++] = receipt[i] == '-' ? ' ' : (char)(receipt[i] >= 'A' && receipt[i] <= 'Z' ? receipt[i] + 32 : receipt[i]);
    typed[n] = '\0';
    page = ask_status(f, typed, &status);
    assert_int_equal(status, 200);
    assert_int_equal(ts_element_text(page, "status", value, sizeof value), 0);
    assert_string_equal(value, "Read by a caseworker, being handled");   /* a reply came: not "waiting" */
    assert_int_equal(ts_element_text(page, "case", value, sizeof value), 0);
    assert_string_equal(value, ref);
    assert_int_equal(ts_count(page, "class=\"message\""), 2);
    assert_non_null(strstr(page, "Thank you. &lt;b&gt;We&lt;/b&gt; will call you."));
    assert_non_null(strstr(page, "Second reply"));
    assert_non_null(strstr(page, "action=\"/status/followup\""));
    free(page);
    /* and without any separators */
    n = 0;
    for (size_t i = 0; receipt[i]; i++)
        if (receipt[i] != '-')
            typed[n++] = receipt[i];
    typed[n] = '\0';
    page = ask_status(f, typed, &status);
    assert_int_equal(status, 200);
    free(page);
}

static void send_followup(const fixture *f, const char *receipt, const char *message, int with_file, int expect)
{
    char csrf[64];
    ts_buf body = {0};
    int status;
    char *page;

    get_csrf(f, csrf);
    ts_multipart_field(&body, "csrf", csrf);
    ts_multipart_field(&body, "receipt", receipt);
    ts_multipart_field(&body, "message", message);
    if (with_file)
        ts_multipart_file(&body, "attachment", "later.txt", "text/plain", "more", 4);
    ts_multipart_end(&body);
    page = post_form(f, "/status/followup", &body, 1, &status);
    if (status != expect)
        fail_msg("follow-up answered %d, expected %d: %s", status, expect, page);
    if (expect == 200)
        assert_non_null(strstr(page, "role=\"status\""));
    free(page);
    ts_buf_free(&body);
}

static void test_followup_reaches_the_caseworkers_with_its_file(void **state)
{
    fixture *f = *state;
    char receipt[64], ref[32];
    opened o;

    report_simple(f, "report needing more", NULL, receipt, ref);
    send_followup(f, receipt, "I remembered: it was on 3 March.", 1, 200);
    open_case(f, ref, 0, ENVELOPE_KIND_FOLLOWUP, &o);
    assert_int_equal(o.n, 1);
    assert_true(has_text(&o, "text=I remembered: it was on 3 March."));
    open_case(f, ref, 0, ENVELOPE_KIND_ATTACHMENT_META, &o);
    assert_int_equal(o.natt, 1);
    check_attachment(f, ref, &o, 0, "more", 4);
}

static void test_a_left_out_caseworker_can_open_nothing_of_the_case(void **state)
{
    fixture *f = *state;
    char receipt[64], ref[32], bob[17];
    opened o;

    pubkey_id_hex(&f->w[1].pub, bob);
    report_simple(f, "about Bob's friend", bob, receipt, ref);
    send_followup(f, receipt, "more about it", 0, 200);

    open_case(f, ref, 0, ENVELOPE_KIND_REPORT, &o);
    assert_int_equal(o.n, 1);
    {
        char expect[64];
        snprintf(expect, sizeof expect, "excluded=%s", bob);
        assert_true(has_text(&o, expect));
    }
    open_case(f, ref, 0, ENVELOPE_KIND_FOLLOWUP, &o);
    assert_int_equal(o.n, 1);
    open_case(f, ref, 1, ENVELOPE_KIND_REPORT, &o);
    assert_int_equal(o.n, 0);
    assert_int_equal(o.not_recipient, 2);   /* neither the report nor the follow-up */
}

static int receipt_box_size(const fixture *f, const char *ref)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int n = -1;

    assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT length(envelope) FROM records JOIN cases ON cases.id = case_id"
                                            " WHERE ref = ? AND audience = 3 ORDER BY seq LIMIT 1", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void test_followups_go_only_to_those_left_in_even_after_keys_change(void **state)
{
    fixture *f = *state;
    char restricted[64], open_receipt[64], ref_r[32], ref_o[32], bob[17];
    char a[PUBKEY_LINE_MAX], b[PUBKEY_LINE_MAX], c[PUBKEY_LINE_MAX], all[3 * PUBKEY_LINE_MAX];
    worker new_bob = f->w[1], carol;
    opened o;

    pubkey_id_hex(&f->w[1].pub, bob);
    report_simple(f, "about Bob", bob, restricted, ref_r);
    report_simple(f, "about nobody in particular", NULL, open_receipt, ref_o);
    /* Nothing stored in the clear tells the restricted case from the other. */
    assert_int_equal(receipt_box_size(f, ref_r), receipt_box_size(f, ref_o));

    /* Bob gets a new key, and Carol joins. */
    kill(f->pid, SIGTERM);
    assert_int_equal(ts_wait(f->pid, 10000), 0);
    make_worker(&new_bob, "Bob Ng");
    make_worker(&carol, "Carol Diaz");
    f->w[1] = new_bob;
    pubkey_format(&f->w[0].pub, a);
    pubkey_format(&new_bob.pub, b);
    pubkey_format(&carol.pub, c);
    snprintf(all, sizeof all, "%s%s%s", a, b, c);
    ts_write_file(f->recipients, all, strlen(all));
    start_intake(f, "64");

    send_followup(f, restricted, "still about Bob", 0, 200);
    send_followup(f, open_receipt, "more, for everyone", 0, 200);
    open_case(f, ref_r, 0, ENVELOPE_KIND_FOLLOWUP, &o);
    assert_int_equal(o.n, 1);
    open_case(f, ref_r, 1, ENVELOPE_KIND_FOLLOWUP, &o);   /* Bob's new key */
    assert_int_equal(o.n, 0);
    open_case(f, ref_o, 1, ENVELOPE_KIND_FOLLOWUP, &o);
    assert_int_equal(o.n, 1);
    f->w[1] = carol;
    open_case(f, ref_r, 1, ENVELOPE_KIND_FOLLOWUP, &o);   /* joined after a restricted report */
    assert_int_equal(o.n, 0);
    open_case(f, ref_o, 1, ENVELOPE_KIND_FOLLOWUP, &o);
    assert_int_equal(o.n, 1);
}

/* An auditor's cwaud1 line in the recipients file is skipped: the form never offers the auditor,
 * no report is sealed to the auditor, and a reply the auditor signs never reaches a reporter. */
static void test_an_auditor_in_the_recipients_file_is_never_offered_sealed_to_or_believed(void **state)
{
    fixture *f = *state;
    char a[PUBKEY_LINE_MAX], b[PUBKEY_LINE_MAX], i[PUBKEY_LINE_MAX], all[4 * PUBKEY_LINE_MAX];
    char auditor_id[17], receipt[64], ref[32], *page, *log;
    worker auditor, bob = f->w[1];
    opened o;
    int status;

    kill(f->pid, SIGTERM);
    assert_int_equal(ts_wait(f->pid, 10000), 0);
    make_worker(&auditor, "Inès Audit");
    auditor.pub.role = PUBKEY_ROLE_AUDITOR;
    pubkey_compute_id(PUBKEY_ROLE_AUDITOR, auditor.pub.x25519, auditor.pub.ed25519, auditor.pub.key_id);
    pubkey_id_hex(&auditor.pub, auditor_id);
    pubkey_format(&f->w[0].pub, a);
    pubkey_format(&auditor.pub, i);
    pubkey_format(&f->w[1].pub, b);
    assert_int_equal(strncmp(i, "cwaud1 ", 7), 0);
    snprintf(all, sizeof all, "%s# the auditor\n%s%s", a, i, b);
    ts_write_file(f->recipients, all, strlen(all));
    ts_write_file(f->log, "", 0);
    start_intake(f, "64");

    for (int fr = 0; fr < 2; fr++) {
        page = ts_http(f->port, "GET", fr ? "/?lang=fr" : "/", NULL, NULL, &status);
        assert_int_equal(status, 200);
        assert_non_null(strstr(page, "Alice Martin"));
        assert_non_null(strstr(page, "Bob Ng"));
        assert_null(strstr(page, "Inès"));
        assert_null(strstr(page, "In&egrave;s"));
        assert_null(strstr(page, auditor_id));
        assert_int_equal(ts_count(page, "name=\"exclude\""), 2);
        free(page);
    }

    report_simple(f, "for the caseworkers only", NULL, receipt, ref);
    open_case(f, ref, 0, ENVELOPE_KIND_REPORT, &o);
    assert_int_equal(o.n, 1);
    open_case(f, ref, 1, ENVELOPE_KIND_REPORT, &o);
    assert_int_equal(o.n, 1);
    f->w[1] = auditor;
    open_case(f, ref, 1, ENVELOPE_KIND_REPORT, &o);
    f->w[1] = bob;
    assert_int_equal(o.n, 0);
    assert_int_equal(o.not_recipient, 1);

    add_reply_as(f, ref, "Signed by the auditor, not a caseworker.", &auditor);
    page = ask_status(f, receipt, &status);
    assert_int_equal(status, 200);
    assert_int_equal(ts_count(page, "class=\"message\""), 0);
    assert_null(strstr(page, "Signed by the auditor"));
    free(page);

    log = ts_read_file(f->log, NULL);
    assert_non_null(strstr(log, "for 2 recipient(s)"));
    free(log);
}

/* Posts body and checks: status, that every keep string is on the page, and that nothing was stored. */
static void expect_refused(const fixture *f, const char *path, const ts_buf *body, int multipart,
                           int expect, const char *const keep[])
{
    int cases = count_rows(f, "cases"), records = count_rows(f, "records");
    int chunks = count_rows(f, "attachment_chunks"), status;
    char *page = post_form(f, path, body, multipart, &status);

    if (status != expect)
        fail_msg("%s answered %d, expected %d", path, status, expect);
    {
        char csp[512];
        if (ts_header(page, "Content-Security-Policy", csp, sizeof csp) != 0 || strncmp(csp, "default-src 'none'", 18) != 0)
            fail_msg("a %d answer lacks the security headers", status);
    }
    for (size_t i = 0; keep != NULL && keep[i] != NULL; i++)
        if (strstr(page, keep[i]) == NULL)
            fail_msg("the page lost \"%s\"", keep[i]);
    assert_int_equal(count_rows(f, "cases"), cases);
    assert_int_equal(count_rows(f, "records"), records);
    assert_int_equal(count_rows(f, "attachment_chunks"), chunks);
    free(page);
}

static void report_body(ts_buf *b, const char *csrf, const char *category, const char *description)
{
    memset(b, 0, sizeof *b);
    if (csrf != NULL)
        ts_urlencode_add(b, "csrf", csrf);
    ts_urlencode_add(b, "category", category);
    ts_urlencode_add(b, "description", description);
    ts_urlencode_add(b, "where", "the typed place");
}

static void test_bad_reports_get_4xx_keep_the_text_and_store_nothing(void **state)
{
    fixture *f = *state;
    const char *const keep[] = {"my typed words", "the typed place", NULL};
    char csrf[64], forged[64];
    ts_buf b;
    char *big = malloc(70 * 1024);

    get_csrf(f, csrf);
    snprintf(forged, sizeof forged, "%s", csrf);
    forged[5] = forged[5] == 'A' ? 'B' : 'A';

    report_body(&b, NULL, "bullying", "my typed words");
    expect_refused(f, "/report", &b, 0, 403, keep);
    ts_buf_free(&b);
    report_body(&b, forged, "bullying", "my typed words");
    expect_refused(f, "/report", &b, 0, 403, keep);
    ts_buf_free(&b);
    report_body(&b, csrf, "gossip", "my typed words");
    expect_refused(f, "/report", &b, 0, 400, keep);
    ts_buf_free(&b);
    report_body(&b, csrf, "bullying", "   \r\n ");
    expect_refused(f, "/report", &b, 0, 400, (const char *const[]){"the typed place", "Describe what happened.", NULL});
    ts_buf_free(&b);
    memset(big, 'x', 70 * 1024 - 1);
    big[70 * 1024 - 1] = '\0';
    memcpy(big, "my typed words", 14);
    report_body(&b, csrf, "bullying", big);
    expect_refused(f, "/report", &b, 0, 400, keep);
    ts_buf_free(&b);
    report_body(&b, csrf, "bullying", "my typed words \xff\xfe broken");
    expect_refused(f, "/report", &b, 0, 400, (const char *const[]){"the typed place", "could not be read", NULL});
    ts_buf_free(&b);
    report_body(&b, csrf, "bullying", "my typed words");
    ts_urlencode_add(&b, "sex", "unicorn");
    expect_refused(f, "/report", &b, 0, 400, keep);
    ts_buf_free(&b);
    /* leaving out everyone */
    {
        char a[17], c[17];
        pubkey_id_hex(&f->w[0].pub, a);
        pubkey_id_hex(&f->w[1].pub, c);
        report_body(&b, csrf, "bullying", "my typed words");
        ts_urlencode_add(&b, "exclude", a);
        ts_urlencode_add(&b, "exclude", c);
        expect_refused(f, "/report", &b, 0, 400, keep);
        ts_buf_free(&b);
    }
    /* a multipart body cut off in the middle */
    memset(&b, 0, sizeof b);
    ts_multipart_field(&b, "csrf", csrf);
    ts_multipart_field(&b, "category", "bullying");
    ts_multipart_field(&b, "description", "my typed words");
    ts_multipart_field(&b, "where", "the typed place");
    ts_buf_addf(&b, "--%s\r\nContent-Disposition: form-data; name=\"when\"\r\n\r\nhalf", TS_BOUNDARY);
    expect_refused(f, "/report", &b, 1, 400, keep);
    ts_buf_free(&b);
    free(big);
}

static void test_oversized_uploads_are_refused_and_leave_nothing(void **state)
{
    fixture *f = *state;
    const char *const keep[] = {"my typed words", NULL};
    size_t len = 1024 * 1024 + 1;
    char *big = calloc(1, len), csrf[64];
    ts_buf b = {0};
    struct dirent *e;
    DIR *d;

    get_csrf(f, csrf);
    ts_multipart_field(&b, "csrf", csrf);
    ts_multipart_field(&b, "category", "bullying");
    ts_multipart_field(&b, "description", "my typed words");
    ts_multipart_file(&b, "attachment", "video.mp4", "video/mp4", big, len);
    ts_multipart_end(&b);
    expect_refused(f, "/report", &b, 1, 413, keep);
    ts_buf_free(&b);

    ts_multipart_field(&b, "csrf", csrf);
    ts_multipart_field(&b, "category", "bullying");
    ts_multipart_field(&b, "description", "my typed words");
    for (int i = 0; i < 4; i++)
        ts_multipart_file(&b, "attachment", "a.txt", "text/plain", "a", 1);
    ts_multipart_end(&b);
    expect_refused(f, "/report", &b, 1, 413, keep);
    ts_buf_free(&b);

    /* A body larger than anything allowed is refused from its Content-Length. */
    {
        char req[512];
        int status;
        char *answer;
        snprintf(req, sizeof req, "POST /report HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=%s\r\n"
                                  "Content-Length: 99999999999\r\n\r\n", TS_BOUNDARY);
        answer = ts_http_raw(f->port, CLIENT, req, strlen(req), &status);
        assert_int_equal(status, 413);
        free(answer);
    }
    d = opendir(f->spool);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        assert_true(strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0);
    closedir(d);
    free(big);
}

static void test_bad_status_requests_get_4xx_and_keep_the_receipt(void **state)
{
    fixture *f = *state;
    int status;
    char *page;
    ts_buf b = {0};

    page = ask_status(f, "7KQM-3XH9-7KQM-3XH9-7KQM-3XH9", &status);
    assert_int_equal(status, 404);
    assert_non_null(strstr(page, "value=\"7KQM-3XH9-7KQM-3XH9-7KQM-3XH9\""));
    free(page);
    page = ask_status(f, "not a receipt", &status);
    assert_int_equal(status, 400);
    assert_non_null(strstr(page, "value=\"not a receipt\""));
    free(page);
    ts_urlencode_add(&b, "csrf", "forged");
    ts_urlencode_add(&b, "receipt", "7KQM-3XH9-7KQM-3XH9-7KQM-3XH9");
    page = post_form(f, "/status", &b, 0, &status);
    assert_int_equal(status, 403);
    assert_non_null(strstr(page, "value=\"7KQM-3XH9-7KQM-3XH9-7KQM-3XH9\""));
    free(page);
    ts_buf_free(&b);
}

static void test_bad_followups_keep_the_message_and_store_nothing(void **state)
{
    fixture *f = *state;
    char receipt[64], ref[32], csrf[64];
    ts_buf b = {0};

    report_simple(f, "base", NULL, receipt, ref);
    get_csrf(f, csrf);
    ts_multipart_field(&b, "csrf", "forged");
    ts_multipart_field(&b, "receipt", receipt);
    ts_multipart_field(&b, "message", "my follow-up words");
    ts_multipart_end(&b);
    expect_refused(f, "/status/followup", &b, 1, 403, (const char *const[]){"my follow-up words", NULL});
    ts_buf_free(&b);
    ts_multipart_field(&b, "csrf", csrf);
    ts_multipart_field(&b, "receipt", receipt);
    ts_multipart_field(&b, "message", "  ");
    ts_multipart_end(&b);
    expect_refused(f, "/status/followup", &b, 1, 400, NULL);
    ts_buf_free(&b);
    /* an unknown receipt: the message is kept for the next try */
    ts_multipart_field(&b, "csrf", csrf);
    ts_multipart_field(&b, "receipt", "7KQM-3XH9-7KQM-3XH9-7KQM-3XH9");
    ts_multipart_field(&b, "message", "my follow-up words");
    ts_multipart_end(&b);
    expect_refused(f, "/status/followup", &b, 1, 404, (const char *const[]){"my follow-up words", "7KQM-3XH9", NULL});
    ts_buf_free(&b);
    /* files sent before the receipt that names their case */
    ts_multipart_field(&b, "csrf", csrf);
    ts_multipart_file(&b, "attachment", "early.txt", "text/plain", "early", 5);
    ts_multipart_field(&b, "receipt", receipt);
    ts_multipart_field(&b, "message", "my follow-up words");
    ts_multipart_end(&b);
    expect_refused(f, "/status/followup", &b, 1, 400, (const char *const[]){"my follow-up words", NULL});
    ts_buf_free(&b);
    /* a follow-up body cut off in the middle */
    ts_multipart_field(&b, "csrf", csrf);
    ts_multipart_field(&b, "receipt", receipt);
    ts_multipart_field(&b, "message", "my follow-up words");
    ts_buf_addf(&b, "--%s\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"a.txt\"\r\n\r\nhal", TS_BOUNDARY);
    expect_refused(f, "/status/followup", &b, 1, 400, (const char *const[]){"my follow-up words", NULL});
    ts_buf_free(&b);
}

static void test_an_expired_form_keeps_the_text(void **state)
{
    fixture *f = *state;
    unsigned char key[CSRF_KEYBYTES];
    char old[CSRF_TOKEN_SIZE];
    sqlite3 *db;
    sqlite3_stmt *st;
    ts_buf b;

    assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT value FROM settings WHERE name = 'csrf_key'", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    memcpy(key, sqlite3_column_blob(st, 0), sizeof key);
    sqlite3_finalize(st);
    sqlite3_close(db);
    /* A form fetched 13 hours ago, with a genuine but expired token. */
    csrf_issue(key, (uint64_t)time(NULL) / 60 - 13 * 60, old);
    report_body(&b, old, "bullying", "my typed words");
    expect_refused(f, "/report", &b, 0, 403, (const char *const[]){"my typed words", "the typed place", "too old", NULL});
    ts_buf_free(&b);
    /* A few hours old is fine, and a token can be used again. */
    csrf_issue(key, (uint64_t)time(NULL) / 60 - 5 * 60, old);
    for (int i = 0; i < 2; i++) {
        int status;
        char *page;
        report_body(&b, old, "bullying", "still fine");
        page = post_form(f, "/report", &b, 0, &status);
        assert_int_equal(status, 200);
        free(page);
        ts_buf_free(&b);
    }
}

/* How many of the intake's open files are spool files. */
static int open_spool_files(const fixture *f)
{
    char dir[64], link[PATH_MAX + 1], path[PATH_MAX];
    struct dirent *e;
    DIR *d;
    int n = 0;

    snprintf(dir, sizeof dir, "/proc/%d/fd", (int)f->pid);
    d = opendir(dir);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        ssize_t len;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        len = readlink(path, link, sizeof link - 1);
        if (len <= 0)
            continue;
        link[len] = '\0';
        n += strncmp(link, f->spool, strlen(f->spool)) == 0;
    }
    closedir(d);
    return n;
}

static void test_an_abandoned_upload_leaves_nothing(void **state)
{
    fixture *f = *state;
    char csrf[64], head[512];
    ts_buf b = {0};
    unsigned char chunk[32768];
    int fd;
    struct sockaddr_in a = {.sin_family = AF_INET};

    get_csrf(f, csrf);
    ts_multipart_field(&b, "csrf", csrf);
    ts_multipart_field(&b, "category", "bullying");
    ts_buf_addf(&b, "--%s\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"big.bin\"\r\n"
                    "Content-Type: application/octet-stream\r\n\r\n", TS_BOUNDARY);
    memset(chunk, 'x', sizeof chunk);
    snprintf(head, sizeof head, "POST /report HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=%s\r\n"
                                "Content-Length: %zu\r\n\r\n", TS_BOUNDARY, b.len + 900000);
    a.sin_port = htons((uint16_t)f->port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(write(fd, head, strlen(head)), (ssize_t)strlen(head));
    assert_int_equal(write(fd, b.data, b.len), (ssize_t)b.len);
    for (int i = 0; i < 8; i++)
        assert_int_equal(write(fd, chunk, sizeof chunk), (ssize_t)sizeof chunk);
    usleep(300 * 1000);
    assert_int_equal(open_spool_files(f), 1);   /* the encrypted upload, in an unnamed file */
    close(fd);                                   /* the reporter's connection drops */
    for (int i = 0; i < 50 && open_spool_files(f) > 0; i++)
        usleep(100 * 1000);
    assert_int_equal(open_spool_files(f), 0);
    assert_int_equal(count_rows(f, "cases"), 0);
    ts_buf_free(&b);
}

static void test_a_report_in_flight_finishes_after_sigterm(void **state)
{
    fixture *f = *state;
    char csrf[64], head[256];
    ts_buf b = {0};
    int fd, status;
    struct sockaddr_in a = {.sin_family = AF_INET};
    char *answer;

    get_csrf(f, csrf);
    report_body(&b, csrf, "bullying", "sent while the server stops");
    snprintf(head, sizeof head, "POST /report HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n", b.len);
    a.sin_port = htons((uint16_t)f->port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(write(fd, head, strlen(head)), (ssize_t)strlen(head));
    assert_int_equal(write(fd, b.data, 10), 10);
    usleep(200 * 1000);
    assert_int_equal(kill(f->pid, SIGTERM), 0);
    usleep(300 * 1000);
    assert_int_equal(write(fd, b.data + 10, b.len - 10), (ssize_t)(b.len - 10));
    {
        char buf[65536];
        size_t n = 0;
        ssize_t got;
        while (n < sizeof buf - 1 && (got = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
            n += (size_t)got;
        buf[n] = '\0';
        answer = buf;
        status = -1;
        sscanf(answer, "HTTP/1.%*d %d", &status);
        assert_int_equal(status, 200);
        assert_non_null(strstr(answer, "id=\"receipt\""));
    }
    close(fd);
    assert_int_equal(ts_wait(f->pid, 10000), 0);
    f->pid = 0;
    assert_int_equal(count_rows(f, "cases"), 1);
    ts_buf_free(&b);
}



static void test_wrong_methods_paths_and_types_are_refused(void **state)
{
    fixture *f = *state;
    int status;
    char *page;
    ts_buf b = {0};

    page = ts_http(f->port, "GET", "/report", NULL, NULL, &status);
    assert_int_equal(status, 405);
    free(page);
    page = ts_http(f->port, "DELETE", "/", NULL, NULL, &status);
    assert_int_equal(status, 405);
    free(page);
    page = ts_http(f->port, "GET", "/admin", NULL, NULL, &status);
    assert_int_equal(status, 404);
    assert_non_null(strstr(page, "Content-Security-Policy"));
    free(page);
    ts_buf_add(&b, "{\"a\":1}", 7);
    page = ts_post(f->port, NULL, "/report", "application/json", &b, NULL, &status);
    assert_int_equal(status, 415);
    free(page);
    page = ts_post(f->port, NULL, "/report", "application/x-www-form-urlencoded", &b,
                   "Sec-Fetch-Site: cross-site\r\n", &status);
    assert_int_equal(status, 403);
    free(page);
    ts_buf_free(&b);
    assert_int_equal(count_rows(f, "cases"), 0);
}

static void test_pages_come_in_english_and_french(void **state)
{
    fixture *f = *state;
    int status;
    char *page;

    page = ts_http(f->port, "GET", "/?lang=fr", NULL, NULL, &status);
    assert_int_equal(status, 200);
    assert_non_null(strstr(page, "<html lang=\"fr\">"));
    assert_non_null(strstr(page, "name=\"csrf\""));
    assert_non_null(strstr(page, "name=\"switch_lang\" value=\"en\""));   /* the form sent back, typing kept */
    free(page);
    {
        static const char req[] = "GET /status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                  "Accept-Language: de-DE, fr;q=0.8, en;q=0.5\r\n\r\n";
        page = ts_http_raw(f->port, NULL, req, strlen(req), &status);
    }
    assert_int_equal(status, 200);
    assert_non_null(strstr(page, "<html lang=\"fr\">"));
    free(page);
    page = ts_http(f->port, "GET", "/", NULL, NULL, &status);
    assert_non_null(strstr(page, "<html lang=\"en\">"));
    assert_non_null(strstr(page, "Leave this site quickly"));
    assert_null(strstr(page, "<script"));
    free(page);
}


static char form_mac[64];   /* the receipt_mac of the last form get_form fetched */

/* A report form as a browser gets it: its csrf token and the receipt it shows first (its MAC
 * into form_mac). */
static void get_form(const fixture *f, char csrf[64], char receipt[64])
{
    int status;
    char *page = ts_http(f->port, "GET", "/", NULL, NULL, &status), shown[64];

    assert_int_equal(status, 200);
    assert_int_equal(ts_hidden(page, "csrf", csrf, 64), 0);
    assert_int_equal(ts_hidden(page, "receipt", receipt, 64), 0);
    assert_int_equal(ts_hidden(page, "receipt_mac", form_mac, sizeof form_mac), 0);
    assert_int_equal(ts_element_text(page, "new-receipt", shown, sizeof shown), 0);
    assert_string_equal(shown, receipt);   /* shown before anything is sent */
    assert_non_null(strstr(page, "write it down now"));
    free(page);
}

typedef struct twice {
    const fixture *f;
    const ts_buf *body;
    int status;
    char receipt[64], ref[32];
} twice;

static void *post_twice(void *arg)
{
    twice *t = arg;
    char *page = post_form(t->f, "/report", t->body, 0, &t->status);

    if (t->status == 200) {
        ts_element_text(page, "receipt", t->receipt, sizeof t->receipt);
        ts_element_text(page, "case", t->ref, sizeof t->ref);
    }
    free(page);
    return NULL;
}

static void test_the_receipt_comes_first_and_a_form_sent_again_files_nothing_twice(void **state)
{
    fixture *f = *state;
    char csrf[64], receipt[64], got[64], ref[32], again_ref[32], value[64];
    ts_buf body = {0};
    int status;
    char *page;

    get_form(f, csrf, receipt);
    ts_urlencode_add(&body, "csrf", csrf);
    ts_urlencode_add(&body, "lang", "en");
    ts_urlencode_add(&body, "receipt", receipt);
    ts_urlencode_add(&body, "receipt_mac", form_mac);
    ts_urlencode_add(&body, "category", "other");
    ts_urlencode_add(&body, "description", "sent, then the page reloaded");
    file_report(f, &body, 0, got, ref);
    assert_string_equal(got, receipt);   /* the receipt shown before sending is the report's */
    /* a reload sends the same form again: the same receipt page, and still one case */
    page = post_form(f, "/report", &body, 0, &status);
    assert_int_equal(status, 200);
    assert_int_equal(ts_element_text(page, "receipt", value, sizeof value), 0);
    assert_string_equal(value, receipt);
    assert_int_equal(ts_element_text(page, "case", again_ref, sizeof again_ref), 0);
    assert_string_equal(again_ref, ref);
    assert_non_null(strstr(page, "had already been sent"));
    /* no link on the receipt page loses it: the status and the other language carry it */
    assert_null(strstr(page, "href=\"/?lang="));
    assert_null(strstr(page, "href=\"/status"));
    assert_non_null(strstr(page, "action=\"/receipt\""));
    assert_int_equal(ts_hidden(page, "csrf", csrf, sizeof csrf), 0);
    free(page);
    assert_int_equal(count_rows(f, "cases"), 1);
    ts_buf_free(&body);
    /* the language switch of the receipt page shows the same page in French */
    ts_urlencode_add(&body, "csrf", csrf);
    ts_urlencode_add(&body, "receipt", receipt);
    ts_urlencode_add(&body, "lang", "fr");
    page = post_form(f, "/receipt", &body, 0, &status);
    assert_int_equal(status, 200);
    assert_non_null(strstr(page, "<html lang=\"fr\">"));
    assert_int_equal(ts_element_text(page, "receipt", value, sizeof value), 0);
    assert_string_equal(value, receipt);
    assert_int_equal(ts_element_text(page, "case", value, sizeof value), 0);
    assert_string_equal(value, ref);
    free(page);
    ts_buf_free(&body);
    /* that language switch needs the page's csrf token, and a receipt with a case */
    ts_urlencode_add(&body, "receipt", receipt);
    ts_urlencode_add(&body, "lang", "fr");
    page = post_form(f, "/receipt", &body, 0, &status);
    assert_int_equal(status, 403);
    assert_null(strstr(page, ref));
    free(page);
    ts_buf_free(&body);
    ts_urlencode_add(&body, "csrf", csrf);
    ts_urlencode_add(&body, "receipt", "WXYZ-WXYZ-WXYZ-WXYZ-WXYZ-WXYZ");
    page = post_form(f, "/receipt", &body, 0, &status);
    assert_int_equal(status, 404);
    assert_non_null(strstr(page, "No report has this receipt"));
    free(page);
    ts_buf_free(&body);
    /* a double click: the same new form sent four times at once files one case */
    get_form(f, csrf, receipt);
    ts_urlencode_add(&body, "csrf", csrf);
    ts_urlencode_add(&body, "receipt", receipt);
    ts_urlencode_add(&body, "receipt_mac", form_mac);
    ts_urlencode_add(&body, "category", "bullying");
    ts_urlencode_add(&body, "description", "double click");
    {
        twice t[4];
        pthread_t th[4];
        for (int i = 0; i < 4; i++) {
            t[i] = (twice){.f = f, .body = &body};
            assert_int_equal(pthread_create(&th[i], NULL, post_twice, &t[i]), 0);
        }
        for (int i = 0; i < 4; i++) {
            pthread_join(th[i], NULL);
            assert_int_equal(t[i].status, 200);
            assert_string_equal(t[i].receipt, receipt);
            assert_string_equal(t[i].ref, t[0].ref);
        }
    }
    assert_int_equal(count_rows(f, "cases"), 2);
    ts_buf_free(&body);
    /* a form whose receipt was damaged is refused, keeps the text and shows a new receipt */
    ts_urlencode_add(&body, "csrf", csrf);
    ts_urlencode_add(&body, "receipt", "ABCD-EFGH");
    ts_urlencode_add(&body, "category", "other");
    ts_urlencode_add(&body, "description", "kept after a damaged receipt");
    page = post_form(f, "/report", &body, 0, &status);
    assert_int_equal(status, 400);
    assert_non_null(strstr(page, "was damaged"));
    assert_non_null(strstr(page, "kept after a damaged receipt"));
    assert_int_equal(ts_hidden(page, "receipt", value, sizeof value), 0);
    assert_int_equal(strlen(value), 29);
    free(page);
    assert_int_equal(count_rows(f, "cases"), 2);
    ts_buf_free(&body);
    /* a receipt this intake did not draw (no MAC, or another receipt's) files nothing: nobody
     * can fix the receipt of someone else's report, nor file first under one read off a screen */
    ts_urlencode_add(&body, "csrf", csrf);
    ts_urlencode_add(&body, "receipt", "0000-0000-0000-0000-0000-0000");
    ts_urlencode_add(&body, "category", "other");
    ts_urlencode_add(&body, "description", "a chosen receipt");
    page = post_form(f, "/report", &body, 0, &status);
    assert_int_equal(status, 400);
    assert_non_null(strstr(page, "was damaged"));
    free(page);
    ts_buf_free(&body);
    get_form(f, csrf, value);
    ts_urlencode_add(&body, "csrf", csrf);
    ts_urlencode_add(&body, "receipt", receipt);        /* an earlier form's receipt ... */
    ts_urlencode_add(&body, "receipt_mac", form_mac);   /* ... with this form's MAC */
    ts_urlencode_add(&body, "category", "other");
    ts_urlencode_add(&body, "description", "a borrowed receipt");
    page = post_form(f, "/report", &body, 0, &status);
    assert_int_equal(status, 400);
    free(page);
    ts_buf_free(&body);
    assert_int_equal(count_rows(f, "cases"), 2);
}

static void test_switching_language_keeps_what_was_typed(void **state)
{
    fixture *f = *state;
    char csrf[64], receipt[64], value[64], ref[32], report_receipt[64];
    ts_buf body = {0};
    int status, records;
    char *page;

    get_form(f, csrf, receipt);
    ts_multipart_field(&body, "csrf", csrf);
    ts_multipart_field(&body, "lang", "en");
    ts_multipart_field(&body, "receipt", receipt);
    ts_multipart_field(&body, "receipt_mac", form_mac);
    ts_multipart_field(&body, "description", "half written, then French");
    ts_multipart_field(&body, "switch_lang", "fr");
    ts_multipart_file(&body, "attachment", "a.txt", "text/plain", "file", 4);
    ts_multipart_end(&body);
    page = post_form(f, "/report", &body, 1, &status);
    assert_int_equal(status, 200);
    assert_non_null(strstr(page, "<html lang=\"fr\">"));
    assert_non_null(strstr(page, "half written, then French"));
    assert_int_equal(ts_hidden(page, "receipt", value, sizeof value), 0);
    assert_string_equal(value, receipt);           /* the same receipt, still first */
    assert_non_null(strstr(page, "les fichiers ne sont pas conservés"));   /* and says so */
    free(page);
    ts_buf_free(&body);
    assert_int_equal(count_rows(f, "cases"), 0);
    /* on the status page, a half-written follow-up survives the switch too */
    report_simple(f, "a report", NULL, report_receipt, ref);
    records = count_rows(f, "records");
    get_csrf(f, csrf);
    ts_multipart_field(&body, "csrf", csrf);
    ts_multipart_field(&body, "lang", "en");
    ts_multipart_field(&body, "receipt", report_receipt);
    ts_multipart_field(&body, "message", "a follow-up not sent yet");
    ts_multipart_field(&body, "switch_lang", "fr");
    ts_multipart_end(&body);
    page = post_form(f, "/status/followup", &body, 1, &status);
    assert_int_equal(status, 200);
    assert_non_null(strstr(page, "<html lang=\"fr\">"));
    assert_non_null(strstr(page, "a follow-up not sent yet"));
    assert_int_equal(ts_element_text(page, "case", value, sizeof value), 0);
    assert_string_equal(value, ref);
    free(page);
    ts_buf_free(&body);
    assert_int_equal(count_rows(f, "records"), records);
}


static void test_a_follow_up_sent_twice_is_saved_once(void **state)
{
    fixture *f = *state;
    char receipt[64], ref[32], csrf[64], token[64], token2[64];
    ts_buf body = {0};
    int status, records;
    char *page;

    report_simple(f, "for follow-ups", NULL, receipt, ref);
    page = ask_status(f, receipt, &status);
    assert_int_equal(status, 200);
    assert_int_equal(ts_hidden(page, "csrf", csrf, sizeof csrf), 0);
    assert_int_equal(ts_hidden(page, "submission", token, sizeof token), 0);
    assert_int_equal(strlen(token), 32);
    free(page);
    records = count_rows(f, "records");
    ts_multipart_field(&body, "csrf", csrf);
    ts_multipart_field(&body, "receipt", receipt);
    ts_multipart_field(&body, "submission", token);
    ts_multipart_field(&body, "message", "sent, then reloaded");
    ts_multipart_end(&body);
    page = post_form(f, "/status/followup", &body, 1, &status);
    assert_int_equal(status, 200);
    assert_non_null(strstr(page, "your message was saved"));
    assert_null(strstr(page, "had already been sent"));
    assert_int_equal(ts_hidden(page, "submission", token2, sizeof token2), 0);
    assert_string_not_equal(token2, token);   /* the next message gets a new form */
    free(page);
    assert_int_equal(count_rows(f, "records"), records + 1);
    /* a reload sends the same form again: confirmed, not saved twice */
    page = post_form(f, "/status/followup", &body, 1, &status);
    assert_int_equal(status, 200);
    assert_non_null(strstr(page, "had already been sent"));
    free(page);
    assert_int_equal(count_rows(f, "records"), records + 1);
    ts_buf_free(&body);
    /* the new form's message is saved */
    ts_multipart_field(&body, "csrf", csrf);
    ts_multipart_field(&body, "receipt", receipt);
    ts_multipart_field(&body, "submission", token2);
    ts_multipart_field(&body, "message", "a second message");
    ts_multipart_end(&body);
    page = post_form(f, "/status/followup", &body, 1, &status);
    assert_int_equal(status, 200);
    free(page);
    ts_buf_free(&body);
    assert_int_equal(count_rows(f, "records"), records + 2);
    /* a client that posts no token (the contract's fields) is never refused as a repeat */
    send_followup(f, receipt, "no token", 0, 200);
    send_followup(f, receipt, "no token", 0, 200);
    assert_int_equal(count_rows(f, "records"), records + 4);
}


/* The organisation profile on the form (who reads, what happens, how long it is kept), the
 * receipt page (what happens next, how else to reach them) and the status page (how else to
 * reach them, support), escaped, in the page's language. */
static void test_the_profile_is_on_the_form_the_receipt_and_the_status_page(void **state)
{
    fixture *f = *state;
    char receipt[64], ref[32];
    int status;
    char *page;

    page = ts_http(f->port, "GET", "/", NULL, NULL, &status);
    assert_non_null(strstr(page, "Test Ethics Office"));
    assert_non_null(strstr(page, "We answer within 7 days."));
    assert_non_null(strstr(page, "Two years."));
    assert_non_null(strstr(page, "Room 12 &lt;b&gt;east&lt;/b&gt;"));   /* trusted, and still escaped */
    assert_non_null(strstr(page, "Helpline 555-0199"));
    free(page);
    page = ts_http(f->port, "GET", "/?lang=fr", NULL, NULL, &status);
    assert_non_null(strstr(page, "Bureau d"));
    assert_non_null(strstr(page, "Nous répondons sous 7 jours."));
    assert_non_null(strstr(page, "Phone 555-0100"));   /* no French of its own: the default */
    free(page);
    {
        char csrf[64];
        ts_buf body = {0};
        get_csrf(f, csrf);
        ts_urlencode_add(&body, "csrf", csrf);
        ts_urlencode_add(&body, "category", "other");
        ts_urlencode_add(&body, "description", "profile");
        page = post_form(f, "/report", &body, 0, &status);
        assert_int_equal(status, 200);
        assert_non_null(strstr(page, "What happens next"));
        assert_non_null(strstr(page, "We answer within 7 days."));
        assert_non_null(strstr(page, "Phone 555-0100"));   /* the other way the case reference is for */
        assert_int_equal(ts_element_text(page, "receipt", receipt, sizeof receipt), 0);
        assert_int_equal(ts_element_text(page, "case", ref, sizeof ref), 0);
        free(page);
        ts_buf_free(&body);
    }
    page = ask_status(f, receipt, &status);
    assert_int_equal(status, 200);
    assert_non_null(strstr(page, "Phone 555-0100"));
    assert_non_null(strstr(page, "Helpline 555-0199"));
    free(page);
}


/* The status page lists what the reporter sent (their report, each follow-up, each file's name
 * and size, by date), never what it said; the list grows with each follow-up, keeps the report
 * when it has to leave older follow-ups out, and starts with the next follow-up on a case filed
 * before lists were kept. */
static void test_the_status_page_lists_what_was_sent_and_not_what_it_said(void **state)
{
    fixture *f = *state;
    char csrf[64], receipt[64], ref[32];
    ts_buf body = {0};
    int status;
    char *page, *sent;

    get_csrf(f, csrf);
    ts_multipart_field(&body, "csrf", csrf);
    ts_multipart_field(&body, "category", "other");
    ts_multipart_field(&body, "description", "The secret words of the report");
    ts_multipart_file(&body, "attachment", "letter <1>.pdf", "application/pdf", "%PDF-1.4 fake", 13);
    ts_multipart_end(&body);
    file_report(f, &body, 1, receipt, ref);
    ts_buf_free(&body);
    send_followup(f, receipt, "The secret words of a follow-up", 1, 200);
    page = ask_status(f, receipt, &status);
    assert_int_equal(status, 200);
    sent = strstr(page, "id=\"sent\"");
    assert_non_null(sent);
    assert_non_null(strstr(sent, "Your report, 30 bytes of text; files: letter &lt;1&gt;.pdf (13 bytes)"));
    assert_non_null(strstr(sent, "More information, 31 bytes of text; files: later.txt (4 bytes)"));
    assert_non_null(strstr(sent, "Anyone who has your receipt can see this list too."));
    assert_null(strstr(page, "secret words"));   /* never the content */
    free(page);
    /* a long exchange: the oldest follow-ups give way, the report stays */
    for (int i = 0; i < 33; i++)
        send_followup(f, receipt, "again", 0, 200);
    page = ask_status(f, receipt, &status);
    sent = strstr(page, "id=\"sent\"");
    assert_non_null(sent);
    *strstr(sent, "</section>") = '\0';   /* the section alone */
    assert_non_null(strstr(sent, "Older messages are not listed."));
    assert_non_null(strstr(sent, "Your report, 30 bytes"));
    assert_int_equal(ts_count(sent, "<li>"), 32);
    assert_int_equal(ts_count(sent, "More information, 5 bytes of text"), 31);
    free(page);
    /* a case filed before lists were kept: none shown, then one from the next follow-up on */
    report_simple(f, "an older case", NULL, receipt, ref);
    {
        sqlite3 *db;
        assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, "DELETE FROM records WHERE audience = 3 AND seq = (SELECT max(seq) FROM records r2"
                                          " WHERE r2.case_id = records.case_id AND r2.audience = 3) AND case_id ="
                                          " (SELECT id FROM cases ORDER BY id DESC LIMIT 1)", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
    }
    page = ask_status(f, receipt, &status);
    assert_non_null(strstr(page, "No list is kept of what was sent before"));
    free(page);
    send_followup(f, receipt, "first listed", 0, 200);
    page = ask_status(f, receipt, &status);
    sent = strstr(page, "id=\"sent\"");
    assert_non_null(strstr(sent, "More information, 12 bytes of text"));
    assert_null(strstr(sent, "Your report"));
    free(page);
}


typedef struct copy_post {
    const fixture *f;
    const ts_buf *body;
    int status;
    char *page;
} copy_post;

static void *post_copy(void *arg)
{
    copy_post *c = arg;

    c->page = post_form(c->f, "/status/followup", c->body, 1, &c->status);
    return NULL;
}

/* A follow-up form sent twice while its first sending waits for the database: the copy is not
 * confirmed before the first is saved; when the first cannot be saved, neither is confirmed,
 * and sending the form again saves it once. */
static void test_a_copy_of_a_follow_up_waits_for_the_first(void **state)
{
    fixture *f = *state;
    char receipt[64], ref[32], csrf[64], token[64];
    ts_buf body = {0};
    copy_post a, b;
    pthread_t ta, tb;
    sqlite3 *db;
    int status, records;
    char *page;

    report_simple(f, "copies", NULL, receipt, ref);
    page = ask_status(f, receipt, &status);
    assert_int_equal(ts_hidden(page, "csrf", csrf, sizeof csrf), 0);
    assert_int_equal(ts_hidden(page, "submission", token, sizeof token), 0);
    free(page);
    records = count_rows(f, "records");
    ts_multipart_field(&body, "csrf", csrf);
    ts_multipart_field(&body, "receipt", receipt);
    ts_multipart_field(&body, "submission", token);
    ts_multipart_field(&body, "message", "sent while the database is busy");
    ts_multipart_end(&body);
    /* a caseworker holds the write lock past the intake's wait: the first sending fails */
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
    a = (copy_post){.f = f, .body = &body};
    b = (copy_post){.f = f, .body = &body};
    assert_int_equal(pthread_create(&ta, NULL, post_copy, &a), 0);
    usleep(300 * 1000);
    assert_int_equal(pthread_create(&tb, NULL, post_copy, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(a.status, 503);
    assert_int_equal(b.status, 503);   /* never "saved" while nothing was */
    assert_null(strstr(b.page, "your message was saved"));
    assert_non_null(strstr(b.page, "sent while the database is busy"));   /* the text is kept */
    free(a.page);
    free(b.page);
    assert_int_equal(count_rows(f, "records"), records);
    /* the same form sent again saves it, once; two copies at once are confirmed once saved */
    a = (copy_post){.f = f, .body = &body};
    b = (copy_post){.f = f, .body = &body};
    assert_int_equal(pthread_create(&ta, NULL, post_copy, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, post_copy, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_int_equal(a.status, 200);
    assert_int_equal(b.status, 200);
    assert_non_null(strstr(a.page, "your message was saved"));
    assert_non_null(strstr(b.page, "your message was saved"));
    free(a.page);
    free(b.page);
    ts_buf_free(&body);
    assert_int_equal(count_rows(f, "records"), records + 1);
}

/* Seconds that n requests of GET / with the Accept-Language value lang take. */
static double time_pages(int port, const char *lang, int n)
{
    size_t len = strlen(lang) + 128;
    char *req = malloc(len);
    struct timespec t0, t1;
    int status;

    assert_non_null(req);
    snprintf(req, len, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAccept-Language: %s\r\n\r\n", lang);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < n; i++) {
        char *page = ts_http_raw(port, NULL, req, strlen(req), &status);
        assert_int_equal(status, 200);
        free(page);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    free(req);
    return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

/* A 100 KB Accept-Language costs about what a short one does (it used to cost a scan of the
 * rest of the header per element): a generous factor, not a timing target. */
static void test_a_huge_accept_language_costs_no_more_than_a_short_one(void **state)
{
    fixture *f = *state;
    size_t n = 100 * 1000;
    char *lang = malloc(n + 1);
    double huge, small;

    assert_non_null(lang);
    for (size_t i = 0; i < n; i += 4)
        memcpy(lang + i, "x;y,", 4);   /* 25,000 elements with a parameter but no q-value */
    lang[n] = '\0';
    time_pages(f->port, "en", 3);   /* warm up */
    small = time_pages(f->port, "fr;q=0.8, en;q=0.5", 20);
    huge = time_pages(f->port, lang, 20);
    free(lang);
    if (huge > 10 * small + 0.2)
        fail_msg("20 pages with a 100 KB Accept-Language took %.3f s, with a short one %.3f s", huge, small);
}

static void test_nothing_keeps_the_text_the_receipt_the_address_or_the_user_agent(void **state)
{
    fixture *f = *state;
    static const char secret[] = "Distinctive-report-words-6613";
    char receipt[64], ref[32];
    const char *paths[3];
    char wal[PATH_MAX + 8];
    char *data;
    size_t len;

    report_simple(f, secret, NULL, receipt, ref);
    send_followup(f, receipt, "Distinctive-followup-words-2207", 0, 200);
    /* The WAL is folded into the database at a clean stop: look at it while it exists. */
    snprintf(wal, sizeof wal, "%s-wal", f->db);
    data = ts_read_file(wal, &len);
    assert_non_null(data);
    assert_true(len > 0);
    assert_false(ts_contains(data, len, secret));
    assert_false(ts_contains(data, len, receipt));
    assert_false(ts_contains(data, len, CLIENT));
    assert_false(ts_contains(data, len, USER_AGENT));
    free(data);
    kill(f->pid, SIGTERM);
    assert_int_equal(ts_wait(f->pid, 10000), 0);
    f->pid = 0;
    paths[0] = f->db;
    paths[1] = wal;
    paths[2] = f->log;
    for (int i = 0; i < 3; i++) {
        data = ts_read_file(paths[i], &len);
        if (data == NULL)
            continue;   /* the WAL is folded into the database on a clean close */
        assert_false(ts_contains(data, len, secret));
        assert_false(ts_contains(data, len, "Distinctive-followup-words"));
        assert_false(ts_contains(data, len, receipt));
        assert_false(ts_contains(data, len, CLIENT));
        assert_false(ts_contains(data, len, USER_AGENT));
        assert_false(ts_contains(data, len, "SeaTestBrowser"));
        free(data);
    }
}

static void test_stop_refuses_new_connections_and_does_not_wait_for_idle_ones(void **state)
{
    fixture *f = *state;
    int idle = socket(AF_INET, SOCK_STREAM, 0), status;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)f->port)};
    char *page;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(idle, (struct sockaddr *)&a, sizeof a), 0);   /* opened, says nothing */
    assert_int_equal(kill(f->pid, SIGTERM), 0);
    usleep(300 * 1000);
    page = ts_http(f->port, "GET", "/healthz", NULL, NULL, &status);
    assert_int_equal(status, -1);
    free(page);
    assert_int_equal(ts_wait(f->pid, 5000), 0);
    f->pid = 0;
    close(idle);
}

static void test_overload_answers_503_with_retry_after_and_keeps_the_text(void **state)
{
    fixture *f = *state;
    char csrf[64], value[16];
    ts_buf body = {0};
    sqlite3 *db;
    pid_t first;
    int status;
    char *page;

    kill(f->pid, SIGTERM);
    assert_int_equal(ts_wait(f->pid, 10000), 0);
    start_intake(f, "1");
    get_csrf(f, csrf);
    report_body(&body, csrf, "bullying", "my typed words");
    /* A caseworker holds the write lock: the first report waits for it... */
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    first = fork();
    assert_true(first >= 0);
    if (first == 0) {
        char *p = post_form(f, "/report", &body, 0, &status);
        _exit(status == 200 && strstr(p, "id=\"receipt\"") != NULL ? 0 : 1);
    }
    usleep(500 * 1000);
    /* ...so with --max-active 1 the next one is told to come back, its text kept. */
    page = post_form(f, "/report", &body, 0, &status);
    assert_int_equal(status, 503);
    assert_int_equal(ts_header(page, "Retry-After", value, sizeof value), 0);
    assert_non_null(strstr(page, "my typed words"));
    free(page);
    /* Pages that need no write still answer at once. */
    page = ts_http(f->port, "GET", "/", NULL, NULL, &status);
    assert_int_equal(status, 200);
    free(page);
    assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(ts_wait(first, 10000), 0);   /* the first report went through */
    assert_int_equal(count_rows(f, "cases"), 1);
    ts_buf_free(&body);
}

typedef struct box_find {
    int64_t id;
} box_find;

static int find_box(void *ctx, const store_record *r)
{
    ((box_find *)ctx)->id = r->id;
    return 1;   /* the first of audience 3: the choice box (the list of what was sent follows) */
}

/* Replaces the case's receipt box with one as the intake wrote them before replies were signed
 * (no "replies" entry); only the receipt's holder can make one. */
static void make_box_legacy(const fixture *f, const char *receipt, const char *ref)
{
    unsigned char raw[RECEIPT_BYTES], plain[1] = {FIELDS_VERSION}, *box;
    size_t box_len;
    receipt_keys *rk;
    store_case c;
    box_find b = {0};
    char err[300];
    store *s;

    assert_int_equal(receipt_parse(receipt, raw), 0);
    rk = receipt_keys_derive(raw);
    assert_non_null(rk);
    assert_int_equal(receipt_box_seal(rk, ref, plain, sizeof plain, &box, &box_len), 0);
    receipt_keys_free(rk);
    assert_int_equal(store_open(f->db, &s, err, sizeof err), 0);
    assert_int_equal(store_case_by_ref(s, ref, &c, err, sizeof err), 0);
    assert_int_equal(store_records_each(s, c.id, STORE_AUDIENCE_RECEIPT_BOX, find_box, &b, err, sizeof err), 1);
    assert_int_equal(store_record_replace(s, b.id, box, box_len, err, sizeof err), 0);
    store_close(s);
    free(box);
}

static void test_a_forged_reply_never_reaches_the_reporter(void **state)
{
    fixture *f = *state;
    char receipt[64], ref[32];
    worker outsider;
    int status;
    char *page;

    make_worker(&outsider, "Not A Caseworker");
    report_simple(f, "a report", NULL, receipt, ref);
    add_reply_as(f, ref, "Please confirm your identity: write your full name and unit.", NULL);
    add_reply_as(f, ref, "Please send your service number.", &outsider);
    add_reply(f, ref, "We have your report and are looking into it.");
    page = ask_status(f, receipt, &status);
    assert_int_equal(status, 200);
    /* Only the genuine reply is there, and nothing says that others were left out. */
    assert_int_equal(ts_count(page, "class=\"message\""), 1);
    assert_non_null(strstr(page, "We have your report"));
    assert_null(strstr(page, "confirm your identity"));
    assert_null(strstr(page, "service number"));
    free(page);
    /* A case filed before replies were signed still shows its unsigned replies, but never one
     * signed by a key the intake does not know. */
    make_box_legacy(f, receipt, ref);
    page = ask_status(f, receipt, &status);
    assert_int_equal(status, 200);
    assert_int_equal(ts_count(page, "class=\"message\""), 2);
    assert_non_null(strstr(page, "confirm your identity"));
    assert_null(strstr(page, "service number"));
    free(page);
}

/* A caseworker the reporter left out may still write to the database, and sign: the reporter is
 * not shown what they write. */
static void test_a_left_out_caseworker_cannot_speak_to_the_reporter(void **state)
{
    fixture *f = *state;
    char receipt[64], ref[32], bob_id[2 * PUBKEY_IDBYTES + 1];
    int status;
    char *page;

    pubkey_id_hex(&f->w[1].pub, bob_id);
    report_simple(f, "Bob is the one who did it.", bob_id, receipt, ref);
    add_reply_as(f, ref, "This is Bob. Withdraw your report.", &f->w[1]);
    add_reply(f, ref, "Alice here: thank you, we are looking into it.");
    page = ask_status(f, receipt, &status);
    assert_int_equal(status, 200);
    assert_int_equal(ts_count(page, "class=\"message\""), 1);
    assert_non_null(strstr(page, "Alice here"));
    assert_null(strstr(page, "Withdraw your report"));
    free(page);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_urlencoded_report_opens_with_each_recipients_key),
        T(test_multipart_report_with_two_attachments_round_trips),
        T(test_status_takes_the_receipt_typed_any_way_and_shows_replies),
        T(test_a_forged_reply_never_reaches_the_reporter),
        T(test_a_left_out_caseworker_cannot_speak_to_the_reporter),
        T(test_followup_reaches_the_caseworkers_with_its_file),
        T(test_a_left_out_caseworker_can_open_nothing_of_the_case),
        T(test_followups_go_only_to_those_left_in_even_after_keys_change),
        T(test_an_auditor_in_the_recipients_file_is_never_offered_sealed_to_or_believed),
        T(test_bad_reports_get_4xx_keep_the_text_and_store_nothing),
        T(test_oversized_uploads_are_refused_and_leave_nothing),
        T(test_bad_status_requests_get_4xx_and_keep_the_receipt),
        T(test_bad_followups_keep_the_message_and_store_nothing),
        T(test_an_expired_form_keeps_the_text),
        T(test_an_abandoned_upload_leaves_nothing),
        T(test_a_report_in_flight_finishes_after_sigterm),
        T(test_wrong_methods_paths_and_types_are_refused),
        T(test_pages_come_in_english_and_french),
        T(test_the_receipt_comes_first_and_a_form_sent_again_files_nothing_twice),
        T(test_switching_language_keeps_what_was_typed),
        T(test_a_follow_up_sent_twice_is_saved_once),
        T(test_a_copy_of_a_follow_up_waits_for_the_first),
        T(test_the_profile_is_on_the_form_the_receipt_and_the_status_page),
        T(test_the_status_page_lists_what_was_sent_and_not_what_it_said),
        T(test_a_huge_accept_language_costs_no_more_than_a_short_one),
        T(test_nothing_keeps_the_text_the_receipt_the_address_or_the_user_agent),
        T(test_stop_refuses_new_connections_and_does_not_wait_for_idle_ones),
        T(test_overload_answers_503_with_retry_after_and_keeps_the_text),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
