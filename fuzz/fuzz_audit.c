/*
 * fuzz_audit.c: the audit entry decoders and the chain verifier. audit_decode reads the whole
 * input as one stored version-1 entry; an entry it accepts must encode back to the same body.
 * audit_frame_parse reads it as an entry of either version; a version-2 frame it accepts must
 * lie inside the input, and its sealed part is opened with the fixed caseworker 0's key. Then the
 * input is read as a log: entries, each as a 2-byte little-endian length and that many bytes,
 * fed in order to audit_verify_next under a verifier that trusts the fixed caseworker 0 and
 * expects the head recorded at entry 2. Last, the input after the export magic is read as an
 * audit export (audit_export_each): every entry handed out lies inside the input, in order.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "errors.h"
#include "fuzz.h"

static fuzz_identity trusted;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    fuzz_identity_make(0, "Caseworker One", &trusted);
    return 0;
}

static void decode_one(const uint8_t *data, size_t size)
{
    unsigned char body[AUDIT_ENTRY_MAX];
    audit_entry e;
    size_t body_len = 0, len = 0;

    if (audit_decode(data, size, &e, &body_len) != 0)
        return;
    FUZZ_CHECK(body_len + 1 + AUDIT_SIGBYTES == size);
    FUZZ_CHECK(audit_encode_body(&e, body, &len) == 0);
    FUZZ_CHECK(len == body_len && memcmp(body, data, len) == 0);
}

static void parse_frame(const uint8_t *data, size_t size)
{
    audit_frame f;
    audit_entry e;
    unsigned char *piece = NULL;
    size_t piece_len = 0;
    char err[256];
    int rc;

    if (audit_frame_parse(data, size, &f) != 0)
        return;
    FUZZ_CHECK(f.body_len + 1 + AUDIT_SIGBYTES == size);
    FUZZ_CHECK(f.version == AUDIT_V1 || f.version == AUDIT_V2);
    if (f.version != AUDIT_V2)
        return;
    FUZZ_CHECK(f.sealed >= data && f.sealed + f.sealed_len <= data + f.body_len);
    if (f.kind == AUDIT_KIND_LEGACY) {
        rc = audit_open_legacy(&f, trusted.pub.x25519, trusted.x25519_sk, &piece, &piece_len, err, sizeof err);
        FUZZ_CHECK(rc != 0 || piece != NULL);
        if (piece != NULL)
            sodium_free(piece);
        return;
    }
    rc = audit_open(&f, trusted.pub.x25519, trusted.x25519_sk, &e, err, sizeof err);
    FUZZ_CHECK(rc != 0 || (e.seq == f.seq && memcmp(e.key_id, f.key_id, PUBKEY_IDBYTES) == 0));
}

static void verify_log(const uint8_t *data, size_t size)
{
    audit_verifier *v = audit_verify_new(&trusted.pub, 1, 2);
    unsigned char hash[AUDIT_HASHBYTES], head[AUDIT_HASHBYTES];
    uint64_t accepted = 0;
    size_t o = 0;
    char err[256];
    int failed = 0, rc;

    FUZZ_CHECK(v != NULL);
    memset(head, 0, sizeof head);
    while (size - o >= 2) {
        size_t len = (size_t)data[o] | (size_t)data[o + 1] << 8;
        o += 2;
        if (len > size - o)
            len = size - o;
        rc = audit_verify_next(v, data + o, len, err, sizeof err);
        FUZZ_CHECK(rc == 0 || rc == ERR_AUTH);
        FUZZ_CHECK(rc != 0 || !failed);   /* a failed verifier stays failed */
        if (rc == 0) {
            accepted++;
            audit_frame f;
            FUZZ_CHECK(audit_frame_parse(data + o, len, &f) == 0);
            if (accepted == 2)
                memcpy(head, f.hash, AUDIT_HASHBYTES);
        }
        failed |= rc != 0;
        o += len;
    }
    FUZZ_CHECK(audit_verify_last(v, hash) == accepted);
    rc = audit_verify_finish(v, head, err, sizeof err);
    FUZZ_CHECK(rc == 0 || rc == ERR_AUTH);
    FUZZ_CHECK(rc != 0 || failed || accepted >= 2);
    /* head is entry 2's own hash (in a log that starts after a sealed old log, entry 2 is not
     * in it and cannot be checked without a key) */
    FUZZ_CHECK(rc == 0 || failed || accepted < 2 || audit_verify_last(v, hash) > accepted);
    audit_verify_free(v);
}

typedef struct export_walk {
    const uint8_t *start, *end, *next;
} export_walk;

static int check_exported(void *ctx, const unsigned char *entry, size_t len)
{
    export_walk *w = ctx;

    FUZZ_CHECK(entry >= w->next && entry <= w->end && len <= (size_t)(w->end - entry));
    w->next = entry + len;
    return 0;
}

static void read_export(const uint8_t *data, size_t size)
{
    static const char magic[] = AUDIT_EXPORT_MAGIC;
    uint8_t *buf = malloc(sizeof magic - 1 + size);
    export_walk w;
    char err[256];
    int rc;

    FUZZ_CHECK(buf != NULL);
    memcpy(buf, magic, sizeof magic - 1);
    if (size > 0)
        memcpy(buf + sizeof magic - 1, data, size);
    w.start = w.next = buf;
    w.end = buf + sizeof magic - 1 + size;
    rc = audit_export_each(buf, sizeof magic - 1 + size, check_exported, &w, err, sizeof err);
    FUZZ_CHECK(rc == 0 || rc == ERR_FORMAT);
    FUZZ_CHECK(rc != 0 || w.next == w.end || w.next == w.start);   /* all of it, when accepted */
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    decode_one(data, size);
    parse_frame(data, size);
    verify_log(data, size);
    read_export(data, size);
    return 0;
}
