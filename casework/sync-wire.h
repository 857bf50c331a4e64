/*
 * sync-wire.h: the framing of the exchange between `casework sync` and `casework serve-sync`
 * (SECURITY.md, "Replicas"): over a pair of byte streams (a pipe, or ssh's standard input and
 * output), each message is
 *
 *     type (1 byte) || payload length (4 bytes, little-endian) || payload
 *
 * with payloads of at most SYNC_FRAME_MAX bytes, built and read with the wire_buf and
 * wire_reader helpers below (integers little-endian; a "text" is a 1-byte length and its
 * bytes; a "blob" a 4-byte length and its bytes).
 */
#ifndef SEA_CASEWORK_SYNC_WIRE_H
#define SEA_CASEWORK_SYNC_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SYNC_FRAME_MAX (4u * 1024 * 1024)
#define SYNC_MAGIC "SEA-SYNC-1"

/* Message types. Client to server: */
enum {
    SYNC_HELLO = 'H',        /* magic */
    SYNC_GET_LOG = 'L',      /* from seq (8): the audit entries from there on */
    SYNC_GET_CASES = 'C',    /* every case's clear columns */
    SYNC_GET_RECORDS = 'R',  /* every record's summary */
    SYNC_WANT = 'W',         /* record ids (8 each): those records whole */
    SYNC_GET_FILES = 'A',    /* every attachment's row */
    SYNC_GET_CHUNKS = 'K',   /* attachment id (8): its chunks */
    SYNC_GET_FIGURES = 'F',  /* every purged case's figures */
    SYNC_PUSH = 'P',         /* key id (8), database id (16), base seq (8), base hash (32) */
    SYNC_ITEM = 'p',         /* one pushed change: kind (1) and its fields */
    SYNC_SIGN = 'S',         /* Ed25519 signature (64) of the push */
    SYNC_BYE = 'Q',
    /* Server to client: */
    SYNC_INFO = 'I',         /* database id (16), head seq (8), head hash (32), takes pushes (1) */
    SYNC_ENTRY = 'l',        /* an audit entry (blob) */
    SYNC_CASE = 'c',         /* ref, received, status (texts), lookup (32), reporter_pk (32), arrival logged (1) */
    SYNC_SUMMARY = 'r',      /* ref, id (8), seq (8), audience (1), day, BLAKE2b-128 of the envelope (16) */
    SYNC_RECORD = 'w',       /* ref, id (8), seq (8), audience (1), day, envelope (blob) */
    SYNC_FILE = 'a',         /* ref, id (8), meta record (8), header (24), stored size (8), chunks (8) */
    SYNC_CHUNK = 'k',        /* a chunk (blob) */
    SYNC_FIGURES = 'f',      /* a figures envelope (blob) */
    SYNC_END = 'e',          /* the end of a list */
    SYNC_DONE = 'O',         /* a push was applied: new head seq (8), head hash (32) */
    SYNC_REFUSED = 'N'       /* code (1: pull first, 2: refused), message (text, up to 255 bytes) */
};

/* One end of an exchange. */
typedef struct sync_wire {
    FILE *in, *out;
    unsigned char *buf;   /* the last payload received */
    size_t cap;
} sync_wire;

/* wire_send: writes one message (buffered; wire_flush sends). 0 or ERR_IO. */
int wire_send(sync_wire *w, int type, const void *payload, size_t len, char *err, size_t errlen);
/* wire_flush: sends what is buffered. 0 or ERR_IO. */
int wire_flush(sync_wire *w, char *err, size_t errlen);
/*
 * wire_recv: reads one message: *type and *payload (valid until the next wire_recv), *len.
 * Returns 0; ERR_TRUNCATED when the stream ends, at a message boundary or inside one;
 * ERR_FORMAT for a length over SYNC_FRAME_MAX; ERR_NOMEM.
 */
int wire_recv(sync_wire *w, int *type, const unsigned char **payload, size_t *len, char *err, size_t errlen);
/* wire_free: frees the receive buffer (not the streams). */
void wire_free(sync_wire *w);

/* A payload being built: grows as needed; failed is set when memory runs out. */
typedef struct wire_buf {
    unsigned char *data;
    size_t len, cap;
    int failed;
} wire_buf;

void wbuf_u8(wire_buf *b, unsigned v);
void wbuf_u64(wire_buf *b, uint64_t v);
void wbuf_bytes(wire_buf *b, const void *p, size_t n);
void wbuf_text(wire_buf *b, const char *s);     /* at most 255 bytes (longer is cut) */
void wbuf_blob(wire_buf *b, const void *p, size_t n);
void wbuf_reset(wire_buf *b);                   /* empties it, keeps the memory */
void wbuf_free(wire_buf *b);

/* A payload being read: any read past its end sets bad and yields zeros. */
typedef struct wire_reader {
    const unsigned char *p;
    size_t len, off;
    int bad;
} wire_reader;

unsigned rd_u8(wire_reader *r);
uint64_t rd_u64(wire_reader *r);
const unsigned char *rd_bytes(wire_reader *r, size_t n);
void rd_text(wire_reader *r, char *out, size_t cap);   /* bad when it does not fit or holds a NUL */
const unsigned char *rd_blob(wire_reader *r, size_t *n);
/* rd_done: 1 when everything was read and nothing was bad. */
int rd_done(const wire_reader *r);

#endif
