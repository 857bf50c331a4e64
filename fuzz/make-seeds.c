/*
 * make-seeds.c: writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/), each a
 * small valid input made by the project's own encoders under the fixed keys of fuzz.h, plus a
 * few near misses. The committed corpus was made with
 *
 *     build-fuzz/fuzz/make-seeds fuzz/corpus
 *
 * Rerun it after a format changes. Envelopes and key files hold fresh random nonces and salts,
 * so a rerun changes their bytes but not what they exercise.
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audit.h"
#include "envelope.h"
#include "fields.h"
#include "fuzz.h"
#include "keyfile.h"
#include "receipt.h"
#include "stream.h"

static const char *outdir;

static void die(const char *what)
{
    fprintf(stderr, "make-seeds: %s\n", what);
    exit(1);
}

/* A growing byte buffer. */
typedef struct buf {
    unsigned char *data;
    size_t len;
} buf;

static void add(buf *b, const void *data, size_t len)
{
    b->data = realloc(b->data, b->len + len + 1);
    if (b->data == NULL)
        die("out of memory");
    if (len > 0)
        memcpy(b->data + b->len, data, len);
    b->len += len;
}

static void add_str(buf *b, const char *s)
{
    add(b, s, strlen(s));
}

static void add_len(buf *b, size_t len, int width)
{
    unsigned char le[3] = {(unsigned char)len, (unsigned char)(len >> 8), (unsigned char)(len >> 16)};

    add(b, le, (size_t)width);
}

static void write_seed(const char *target, const char *name, const void *data, size_t len)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", outdir, target);
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        die("cannot create a corpus folder");
    snprintf(path, sizeof path, "%s/%s/%s", outdir, target, name);
    f = fopen(path, "wb");
    if (f == NULL || (len > 0 && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
        die("cannot write a seed");
}

static void write_str(const char *target, const char *name, const char *text)
{
    write_seed(target, name, text, strlen(text));
}

static void write_buf(const char *target, const char *name, buf *b)
{
    write_seed(target, name, b->data, b->len);
    free(b->data);
    b->data = NULL;
    b->len = 0;
}

static void receipt_seeds(void)
{
    unsigned char raw[RECEIPT_BYTES];
    char text[RECEIPT_TEXT_SIZE], lower[64];

    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (unsigned char)(17 * i + 3);
    receipt_format(raw, text);
    write_str("fuzz_receipt", "receipt", text);
    for (size_t i = 0, o = 0; text[i] != '\0'; i++) {   /* typed: lower case, spaces */
        lower[o++] = text[i] == '-' ? ' ' : (char)(text[i] >= 'A' && text[i] <= 'Z' ? text[i] + 32 : text[i]);
        lower[o] = '\0';
    }
    write_str("fuzz_receipt", "receipt-typed", lower);
    write_str("fuzz_receipt", "receipt-confusables", "oOiI-lL01-ABCD-EFGH-JKMN-PQRS");
    write_str("fuzz_receipt", "receipt-short", "7KQM-3XH9-ABCD");
    write_str("fuzz_receipt", "caseref", FUZZ_CASE_REF);
    write_str("fuzz_receipt", "caseref-typed", "k7qm3xh9a2");
}

static void pubkey_seeds(const fuzz_identity *one, const fuzz_identity *two, const fuzz_identity *three)
{
    char line[PUBKEY_LINE_MAX], crlf[PUBKEY_LINE_MAX + 2];
    pubkey auditor;
    buf b = {0};

    pubkey_format(&one->pub, line);
    write_str("fuzz_pubkey", "line", line);
    pubkey_format(&two->pub, line);
    write_str("fuzz_pubkey", "line-utf8-name", line);
    snprintf(crlf, sizeof crlf, "%.*s\r\n", (int)strcspn(line, "\n"), line);
    write_str("fuzz_pubkey", "line-crlf", crlf);
    line[7] = line[7] == '0' ? '1' : '0';   /* a mistyped key id */
    write_str("fuzz_pubkey", "line-bad-id", line);

    add_str(&b, "# caseworkers who receive reports\n\n");
    pubkey_format(&one->pub, line);
    add_str(&b, line);
    pubkey_format(&two->pub, line);
    add_str(&b, line);
    write_buf("fuzz_recipients", "two", &b);
    pubkey_format(&one->pub, line);
    line[strcspn(line, "\n")] = '\0';
    write_str("fuzz_recipients", "one-no-newline", line);
    add_str(&b, "\r\n   \r\n");
    add_str(&b, line);
    add_str(&b, "\r\n# the end\r\n");
    write_buf("fuzz_recipients", "crlf-and-blanks", &b);

    /* An auditor's line (identity three's keys under the auditor's key id), alone and beside the
     * caseworkers' lines as an intake's recipients file may hold it. */
    auditor = three->pub;
    auditor.role = PUBKEY_ROLE_AUDITOR;
    pubkey_compute_id(PUBKEY_ROLE_AUDITOR, auditor.x25519, auditor.ed25519, auditor.key_id);
    pubkey_format(&auditor, line);
    write_str("fuzz_pubkey", "line-auditor", line);
    add_str(&b, "# caseworkers\n");
    pubkey_format(&one->pub, line);
    add_str(&b, line);
    add_str(&b, "# the auditor (never a recipient)\n");
    pubkey_format(&auditor, line);
    add_str(&b, line);
    write_buf("fuzz_recipients", "with-auditor", &b);
}

static void keyfile_seeds(const fuzz_identity *one, const fuzz_identity *two, const fuzz_identity *three)
{
    const keyfile_kdf_limits fast = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
    const keyfile_kdf_limits fuzz_max = {2, 64 * 1024};
    const fuzz_identity *ids[3] = {one, two, three};
    const char *names[3] = {"key", "key-utf8-name", "key-auditor"};
    char err[256];

    for (int i = 0; i < 3; i++) {
        caseworker_key *k = sodium_malloc(sizeof *k);
        unsigned char *out;
        size_t len;
        if (k == NULL)
            die("out of memory");
        memcpy(k->x25519_sk, ids[i]->x25519_sk, 32);
        memcpy(k->ed25519_sk, ids[i]->ed25519_sk, 64);
        k->pub = ids[i]->pub;
        if (i == 2) {   /* an auditor's key: the same format, the auditor's key id */
            k->pub.role = PUBKEY_ROLE_AUDITOR;
            pubkey_compute_id(PUBKEY_ROLE_AUDITOR, k->pub.x25519, k->pub.ed25519, k->pub.key_id);
        }
        if (keyfile_encode(k, FUZZ_PASSPHRASE, strlen(FUZZ_PASSPHRASE), i != 1 ? fast : fuzz_max,
                           &out, &len, err, sizeof err) != 0)
            die(err);
        write_seed("fuzz_keyfile", names[i], out, len);
        if (i == 0) {
            out[len - 1] ^= 1;   /* altered: the AEAD must refuse it */
            write_seed("fuzz_keyfile", "key-altered", out, len);
        }
        free(out);
        keyfile_free(k);
    }
}

static void envelope_seeds(const fuzz_identity *ids, size_t nids, const unsigned char *fields_enc,
                           size_t fields_len)
{
    unsigned char pks[3 * 32], include[3] = {0, 1, 1}, *out;
    size_t len;
    char err[256];

    for (size_t i = 0; i < nids; i++)
        memcpy(pks + 32 * i, ids[i].pub.x25519, 32);
    if (envelope_seal(pks, 1, NULL, ENVELOPE_KIND_REPORT, FUZZ_CASE_REF, fields_enc, fields_len,
                      &out, &len, err, sizeof err) != 0)
        die(err);
    write_seed("fuzz_envelope", "report-one-reader", out, len);
    free(out);
    if (envelope_seal(pks, nids, NULL, ENVELOPE_KIND_NOTE, FUZZ_CASE_REF,
                      (const unsigned char *)"a caseworker's note", 19, &out, &len, err, sizeof err) != 0)
        die(err);
    write_seed("fuzz_envelope", "note-three-readers", out, len);
    free(out);
    if (envelope_seal(pks, nids, NULL, ENVELOPE_KIND_REPLY, FUZZ_CASE_REF, NULL, 0, &out, &len,
                      err, sizeof err) != 0)
        die(err);
    write_seed("fuzz_envelope", "reply-empty", out, len);
    free(out);
    if (envelope_seal(pks, nids, include, ENVELOPE_KIND_REPORT, FUZZ_CASE_REF, fields_enc,
                      fields_len, &out, &len, err, sizeof err) != 0)
        die(err);
    write_seed("fuzz_envelope", "report-reader-left-out", out, len);
    free(out);
    if (envelope_seal(pks, 1, NULL, ENVELOPE_KIND_REPORT, "OTHER-CASE", fields_enc, fields_len,
                      &out, &len, err, sizeof err) != 0)
        die(err);
    write_seed("fuzz_envelope", "report-other-case", out, len);
    free(out);
}

static int collect(void *ctx, const unsigned char *chunk, size_t len)
{
    add_len(ctx, len, 3);
    add(ctx, chunk, len);
    return 0;
}

static void stream_seed(const char *name, size_t plain_len)
{
    unsigned char key[STREAM_KEYBYTES], header[STREAM_HEADERBYTES], *plain = malloc(plain_len + 1);
    stream_writer *w;
    buf chunks = {0}, b = {0};

    fuzz_stream_key(key);
    w = stream_writer_new(key, FUZZ_CASE_REF, header);
    if (w == NULL || plain == NULL)
        die("cannot start a stream");
    for (size_t i = 0; i < plain_len; i++)
        plain[i] = (unsigned char)("attachment bytes "[i % 17]);
    if (stream_writer_write(w, plain, plain_len, collect, &chunks) != 0 ||
        stream_writer_finish(w, collect, &chunks) != 0)
        die("cannot write a stream");
    stream_writer_free(w);
    add(&b, header, sizeof header);
    add(&b, chunks.data, chunks.len);
    write_buf("fuzz_stream", name, &b);
    free(chunks.data);
    free(plain);
}

static size_t encode_fields(unsigned char *out, size_t cap)
{
    static const char said[] = "It happened twice, in the \xc3\xa9quipe meeting.";
    field f[6];
    size_t n = 0;
    unsigned char key[32];

    fields_set(&f[n++], "category", "harassment", 10);
    fields_set(&f[n++], "description", said, strlen(said));
    fields_set(&f[n++], "when", "", 0);
    fields_set(&f[n++], "lang", "fr", 2);
    fuzz_stream_key(key);
    fields_set(&f[n++], "stream_key", key, sizeof key);
    fields_set(&f[n++], "description", "repeated name", 13);
    if (fields_encoded_size(f, n) > cap || fields_encode(f, n, out) != 0)
        die("cannot encode fields");
    return fields_encoded_size(f, n);
}

/* Appends one signed audit entry (seq, chained on *prev) by id to b, as a 2-byte length and
 * the entry when framed, else bare; updates *prev. */
static void audit_entry_add(buf *b, int framed, const fuzz_identity *id, uint64_t seq,
                            unsigned char prev[AUDIT_HASHBYTES], const char *time_text,
                            const char *action, const char *case_ref, const char *details)
{
    unsigned char entry[AUDIT_ENTRY_MAX + 1 + AUDIT_SIGBYTES];
    audit_entry e;
    size_t len;

    memset(&e, 0, sizeof e);
    e.seq = seq;
    memcpy(e.prev_hash, prev, AUDIT_HASHBYTES);
    snprintf(e.time, sizeof e.time, "%s", time_text);
    memcpy(e.key_id, id->pub.key_id, PUBKEY_IDBYTES);
    snprintf(e.actor, sizeof e.actor, "%s", id->pub.name);
    snprintf(e.action, sizeof e.action, "%s", action);
    snprintf(e.case_ref, sizeof e.case_ref, "%s", case_ref);
    snprintf(e.details, sizeof e.details, "%s", details);
    if (audit_encode_body(&e, entry, &len) != 0)
        die("cannot encode an audit entry");
    audit_hash(entry, len, prev);
    entry[len] = AUDIT_SIG_ED25519;
    crypto_sign_detached(entry + len + 1, NULL, prev, AUDIT_HASHBYTES, id->ed25519_sk);
    if (framed)
        add_len(b, len + 1 + AUDIT_SIGBYTES, 2);
    add(b, entry, len + 1 + AUDIT_SIGBYTES);
}

static void key_added_details(const fuzz_identity *id, char out[AUDIT_DETAILS_MAX + 1])
{
    char line[PUBKEY_LINE_MAX];

    pubkey_format(&id->pub, line);
    line[strcspn(line, "\n")] = '\0';
    snprintf(out, AUDIT_DETAILS_MAX + 1, "pub=%s", line);
}

/* Appends one version-2 entry (seq, chained on *prev) of kind by id, sealed to id itself, to b
 * as audit_entry_add does; updates *prev. */
static void audit_v2_add(buf *b, int framed, const fuzz_identity *id, uint64_t seq,
                         unsigned char prev[AUDIT_HASHBYTES], int kind, const char *action,
                         const char *case_ref, const char *details)
{
    unsigned char *entry, hash[AUDIT_HASHBYTES];
    char line[PUBKEY_LINE_MAX], err[256];
    audit_entry e;
    size_t len;

    memset(&e, 0, sizeof e);
    e.seq = seq;
    memcpy(e.prev_hash, prev, AUDIT_HASHBYTES);
    snprintf(e.time, sizeof e.time, "2024-05-01T10:00:0%dZ", (int)(seq % 10));
    memcpy(e.key_id, id->pub.key_id, PUBKEY_IDBYTES);
    snprintf(e.action, sizeof e.action, "%s", action);
    snprintf(e.case_ref, sizeof e.case_ref, "%s", case_ref);
    snprintf(e.details, sizeof e.details, "%s", details);
    pubkey_format(&id->pub, line);
    line[strcspn(line, "\n")] = '\0';
    if (audit_seal(&e, kind, kind == AUDIT_KIND_INTRO ? line : NULL, id->pub.x25519, 1,
                   (const unsigned char *)"SEA-AUDIT-EXPORT-1\n", kind == AUDIT_KIND_LEGACY ? 19 : 0,
                   &entry, &len, hash, err, sizeof err) != 0)
        die("cannot seal an audit entry");
    memcpy(prev, hash, AUDIT_HASHBYTES);
    entry[len] = AUDIT_SIG_ED25519;
    crypto_sign_detached(entry + len + 1, NULL, hash, AUDIT_HASHBYTES, id->ed25519_sk);
    if (framed)
        add_len(b, len + 1 + AUDIT_SIGBYTES, 2);
    add(b, entry, len + 1 + AUDIT_SIGBYTES);
    free(entry);
}

static void audit_seeds(const fuzz_identity *trusted, const fuzz_identity *other)
{
    unsigned char prev[AUDIT_HASHBYTES];
    char details[AUDIT_DETAILS_MAX + 1];
    buf b = {0};

    key_added_details(trusted, details);
    memset(prev, 0, sizeof prev);
    audit_entry_add(&b, 0, trusted, 1, prev, "2024-05-01T10:00:00Z", "key-added", "", details);
    write_buf("fuzz_audit", "entry-key-added", &b);

    memset(prev, 0, sizeof prev);
    audit_entry_add(&b, 1, trusted, 1, prev, "2024-05-01T10:00:00Z", "key-added", "", details);
    audit_entry_add(&b, 1, trusted, 2, prev, "2024-05-01", "received", FUZZ_CASE_REF, "");
    audit_entry_add(&b, 1, trusted, 3, prev, "2024-05-01T10:00:05Z", "case-read", FUZZ_CASE_REF, "records=2");
    audit_entry_add(&b, 1, trusted, 4, prev, "2024-05-02T08:30:00Z", "closed", FUZZ_CASE_REF,
                    "outcome=substantiated status=closed");
    write_buf("fuzz_audit", "log-four-entries", &b);

    memset(prev, 0, sizeof prev);
    audit_entry_add(&b, 1, trusted, 1, prev, "2024-05-01T10:00:00Z", "key-added", "", details);
    key_added_details(other, details);
    audit_entry_add(&b, 1, other, 2, prev, "2024-05-01T11:00:00Z", "key-added", "", details);
    audit_entry_add(&b, 1, other, 3, prev, "2024-05-01T11:00:01Z", "note", FUZZ_CASE_REF, "record=7");
    write_buf("fuzz_audit", "log-untrusted-key", &b);

    memset(prev, 0, sizeof prev);
    audit_v2_add(&b, 0, trusted, 1, prev, AUDIT_KIND_INTRO, "key-added", "", "");
    write_buf("fuzz_audit", "entry-v2-introduction", &b);

    memset(prev, 0, sizeof prev);
    audit_v2_add(&b, 1, trusted, 1, prev, AUDIT_KIND_INTRO, "key-added", "", "");
    audit_v2_add(&b, 1, trusted, 2, prev, AUDIT_KIND_ACTION, "received", FUZZ_CASE_REF, "");
    audit_v2_add(&b, 1, trusted, 3, prev, AUDIT_KIND_ACTION, "assign", FUZZ_CASE_REF, "to=Jo");
    audit_v2_add(&b, 1, trusted, 4, prev, AUDIT_KIND_ACTION, "close", FUZZ_CASE_REF, "outcome=substantiated");
    write_buf("fuzz_audit", "log-v2-four-entries", &b);

    memset(prev, 0x5a, sizeof prev);   /* the hash of a sealed old log's last entry */
    audit_v2_add(&b, 1, trusted, 7, prev, AUDIT_KIND_INTRO, "key-added", "", "");
    audit_v2_add(&b, 1, trusted, 8, prev, AUDIT_KIND_LEGACY, "", "", "");
    audit_v2_add(&b, 1, trusted, 9, prev, AUDIT_KIND_ACTION, "show", FUZZ_CASE_REF, "");
    write_buf("fuzz_audit", "log-v2-sealed-old-log", &b);
}

static void form_seeds(const fuzz_identity *two)
{
    char id_hex[2 * PUBKEY_IDBYTES + 1], text[1024];
    buf b = {0};

    pubkey_id_hex(&two->pub, id_hex);
    snprintf(text, sizeof text,
             "%ccsrf=@CSRF@&lang=en&category=harassment&description=It+happened+at+the+%%C3%%A9quipe+"
             "meeting.&when=Last+week&where=&people=&witnesses=&sex=female&age_band=25-34&"
             "contact=&exclude=%s", 0, id_hex);
    write_seed("fuzz_form", "report-urlencoded", text, strlen(text + 1) + 1);
    write_str("fuzz_form", "report-bad-csrf", "\x02" "csrf=nope&category=other&description=%E2%82%AC+%FF%00");

    add(&b, "\x01", 1);
    add_str(&b, "--XX\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n@CSRF@\r\n"
                "--XX\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\nbullying\r\n"
                "--XX\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nSee the file.\r\n"
                "--XX\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"note.txt\"\r\n"
                "Content-Type: text/plain\r\n\r\nwhat was said, word for word\r\n"
                "--XX\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n\r\n--XX--\r\n");
    write_buf("fuzz_form", "report-multipart-file", &b);

    write_str("fuzz_form", "status", "\x04" "csrf=@CSRF@&receipt=@RCPT@&lang=fr");
    write_str("fuzz_form", "status-unknown-receipt", "\x04" "csrf=@CSRF@&receipt=0000-0000-0000-0000-0000-0000");
    write_str("fuzz_form", "followup-urlencoded", "\x06" "csrf=@CSRF@&receipt=@RCPT@&message=One+more+thing.");

    add(&b, "\x07", 1);
    add_str(&b, "--XX\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n@CSRF@\r\n"
                "--XX\r\nContent-Disposition: form-data; name=\"receipt\"\r\n\r\n@RCPT@\r\n"
                "--XX\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n\r\n"
                "--XX\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"photo.jpg\"\r\n"
                "Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0 not really a jpeg\r\n--XX--\r\n");
    write_buf("fuzz_form", "followup-multipart-file", &b);
}

int main(int argc, char **argv)
{
    fuzz_identity ids[3];
    unsigned char fields_enc[1024];
    size_t fields_len;

    if (argc != 2) {
        fprintf(stderr, "usage: make-seeds CORPUS_DIR (e.g. fuzz/corpus)\n");
        return 2;
    }
    outdir = argv[1];
    if (mkdir(outdir, 0755) != 0 && errno != EEXIST)
        die("cannot create the corpus folder");
    fuzz_init();
    fuzz_identity_make(0, "Caseworker One", &ids[0]);
    fuzz_identity_make(1, "Zo\xc3\xab M\xc3\xbcller (HR)", &ids[1]);
    fuzz_identity_make(2, "Third", &ids[2]);

    receipt_seeds();
    pubkey_seeds(&ids[0], &ids[1], &ids[2]);
    keyfile_seeds(&ids[0], &ids[1], &ids[2]);
    fields_len = encode_fields(fields_enc, sizeof fields_enc);
    write_seed("fuzz_fields", "report", fields_enc, fields_len);
    write_seed("fuzz_fields", "empty", "\x01", 1);
    write_seed("fuzz_fields", "truncated", fields_enc, fields_len - 3);
    envelope_seeds(ids, 3, fields_enc, fields_len);
    stream_seed("small", 100);
    stream_seed("empty", 0);
    stream_seed("two-chunks", STREAM_CHUNK + 10);
    audit_seeds(&ids[0], &ids[1]);
    form_seeds(&ids[1]);
    return 0;
}
