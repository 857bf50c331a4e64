/*
 * test_support.h: helpers shared by the cmocka tests: scratch folders, running the real
 * programs and capturing what they print, a tiny HTTP client for loopback, fast KDF limits.
 * cmocka's headers must be included before this one.
 */
#ifndef SEA_TEST_SUPPORT_H
#define SEA_TEST_SUPPORT_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

/* ts_tmpdir: creates a fresh private folder under $TMPDIR (or /tmp) and writes its path. */
void ts_tmpdir(char out[PATH_MAX]);

/* ts_rmtree: removes path and everything below it; ignores what does not exist. */
void ts_rmtree(const char *path);

/* ts_path: writes dir/name into out (PATH_MAX) and returns out. */
char *ts_path(char *out, const char *dir, const char *name);

/* ts_write_file: creates (mode 0600) or truncates path with the given bytes. */
void ts_write_file(const char *path, const void *data, size_t len);

/* ts_read_file: the whole file in a new NUL-terminated malloc'd buffer, or NULL. */
char *ts_read_file(const char *path, size_t *len);

struct store;
struct sqlite3;

/*
 * ts_store_db: the SQLite connection inside a store, for white-box tests that check its
 * settings or damage its tables on purpose. Nothing outside core/store*.c and the tests sees it.
 */
struct sqlite3 *ts_store_db(struct store *s);

/*
 * ts_state_dir: the folder (made on first use, removed when the test process exits) that every
 * program ts_run and ts_spawn start gets as CASEWORK_STATE_DIR, where casework keeps the
 * caseworkers' own case indexes; an env entry given to them wins.
 */
const char *ts_state_dir(void);

/* ts_file_mode: the permission bits of path, or -1. */
int ts_file_mode(const char *path);

/* What a program printed and how it ended. Free with ts_result_free. */
typedef struct ts_result {
    int status;     /* exit status, or 128 + signal */
    char *out;      /* stdout, NUL-terminated */
    char *err;      /* stderr, NUL-terminated */
} ts_result;

/*
 * The intake refuses to serve as root. When the tests run as root (as CI does), ts_run and
 * ts_spawn start the intake (directly, or as the argument of a wrapper such as faketime) with
 * "--user nobody" appended and give the folder of its --db (and
 * its --spool-dir) to nobody, as an operator would.
 */

/*
 * ts_run: runs argv[0] with argv in a new session (no controlling terminal), with the current
 * environment less CASEWORK_DB, CASEWORK_KEY, CASEWORK_PASSPHRASE_FILE, CASEWORK_AUDITORS and CASEWORK_ORIGIN, plus the NAME=VALUE
 * strings of env (NULL-terminated, may be NULL), stdin from
 * /dev/null, and waits for it.
 */
ts_result ts_run(const char *const argv[], const char *const env[]);
void ts_result_free(ts_result *r);

/*
 * ts_expect: runs argv like ts_run and asserts its exit status and, when not NULL, that stdout
 * contains out_has and stderr contains err_has.
 */
void ts_expect(const char *const argv[], const char *const env[], int status,
               const char *out_has, const char *err_has);
/* ts_expect_exactly: runs argv like ts_run and asserts its exit status, that stdout is exactly
 * out and stderr exactly err. */
void ts_expect_exactly(const char *const argv[], const char *const env[], int status, const char *out,
                       const char *err);

/* ts_write_recipient: writes to path a recipients file of one caseworker named alice, whose
 * keys are made up and thrown away (for an intake that is never read from). */
void ts_write_recipient(const char *path);

/* ts_spawn: starts argv in the background with stderr to err_path; returns its pid. */
pid_t ts_spawn(const char *const argv[], const char *err_path);

/* ts_wait: waits for pid up to timeout_ms; returns its exit status, 128 + signal, or -1 on timeout. */
int ts_wait(pid_t pid, int timeout_ms);

/* ts_free_port: a loopback TCP port that was free a moment ago. */
int ts_free_port(void);

/* ts_wait_port: waits up to timeout_ms for something to accept on 127.0.0.1:port; 0 when it does. */
int ts_wait_port(int port, int timeout_ms);

/*
 * ts_http: sends one request to 127.0.0.1:port and returns the whole answer (status line,
 * headers and body) as a new malloc'd string; sets *status to the HTTP status or -1.
 */
char *ts_http(int port, const char *method, const char *path, const char *content_type,
              const char *body, int *status);

/*
 * ts_http_raw: sends the len bytes of request (a whole HTTP request) to 127.0.0.1:port from the
 * address source (e.g. "127.0.0.2"; NULL: any) and returns the whole answer as a new malloc'd
 * string; sets *status to the HTTP status or -1.
 */
char *ts_http_raw(int port, const char *source, const void *request, size_t len, int *status);

/* A growing byte buffer for building request bodies. */
typedef struct ts_buf {
    char *data;
    size_t len;
} ts_buf;

/* ts_buf_add, ts_buf_addf: append bytes or formatted text. ts_buf_free releases the buffer. */
void ts_buf_add(ts_buf *b, const void *data, size_t len);
void ts_buf_addf(ts_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ts_buf_free(ts_buf *b);

/* ts_multipart_field, ts_multipart_file, ts_multipart_end: build a multipart/form-data body
 * with boundary TS_BOUNDARY. */
#define TS_BOUNDARY "----sea-test-boundary-7MA4YWxkTrZu0gW"
void ts_multipart_field(ts_buf *b, const char *name, const char *value);
void ts_multipart_file(ts_buf *b, const char *name, const char *filename, const char *type,
                       const void *data, size_t len);
void ts_multipart_end(ts_buf *b);

/* ts_urlencode_add: appends name=value (percent-encoded), with '&' before all but the first. */
void ts_urlencode_add(ts_buf *b, const char *name, const char *value);

/*
 * ts_post: POSTs body with the content type to path on 127.0.0.1:port, with extra header lines
 * (each ending in \r\n; may be NULL), from source (may be NULL). Returns the answer like ts_http.
 */
char *ts_post(int port, const char *source, const char *path, const char *content_type,
              const ts_buf *body, const char *extra_headers, int *status);

/*
 * ts_element_text: the text inside the first element whose attribute is id="id" (without
 * markup translation), copied into out (cap bytes). 0 when found.
 */
int ts_element_text(const char *html, const char *id, char *out, size_t cap);

/* ts_count: how many times needle occurs in hay. */
int ts_count(const char *hay, const char *needle);

/* ts_hidden: the value of the first hidden input named name in page, copied into out (cap
 * bytes). Returns 0, or -1 when there is none. */
int ts_hidden(const char *page, const char *name, char *out, size_t cap);

/* ts_csrf: fetches GET path from 127.0.0.1:port and copies its form's csrf token into out. */
void ts_csrf(int port, const char *path, char out[64]);

/*
 * ts_status_request: asks the intake on port for the status page of receipt (POST /status, with
 * a fresh csrf token), as the reporter does; its HTTP status in *status. The caller frees it.
 * ts_status_page: the same, failing the test unless it answers 200.
 */
char *ts_status_request(int port, const char *receipt, int *status);
char *ts_status_page(int port, const char *receipt);

/* ts_count_rows: how many rows table of the database at db holds (opened read-only). */
int ts_count_rows(const char *db, const char *table);

/* ts_header: the value of header name in an HTTP answer, copied into out (cap bytes); 0 if found. */
int ts_header(const char *answer, const char *name, char *out, size_t cap);

/* ts_count_lines: the number of newline characters in text. */
int ts_count_lines(const char *text);

/* ts_contains: 1 when the len bytes at hay contain needle. */
int ts_contains(const void *hay, size_t len, const char *needle);

#endif
