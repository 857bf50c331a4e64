/*
 * form.h: receiving a form (urlencoded or multipart/form-data) through libmicrohttpd's post
 * processor. Text fields are kept in guarded memory up to twice their limit (so an over-long
 * answer can be shown back for shortening); fields the intake does not know are dropped.
 * Files in the field "attachment" are encrypted as they arrive (stream.h) into spool files,
 * under a fresh key per file and bound to the case they will belong to, so the intake never
 * holds a whole file, and nothing of it survives if the request is abandoned. A new report's
 * case reference is drawn when the form starts; a follow-up's comes from its receipt field,
 * which the page places before the file input.
 */
#ifndef SEA_INTAKE_FORM_H
#define SEA_INTAKE_FORM_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "caseref.h"
#include "pubkey.h"
#include "stream.h"

struct MHD_Connection;

#define FORM_MAX_VALUES 48
#define FORM_MAX_FILES 32
#define FORM_FILE_NAME_MAX 255
#define FORM_FILE_TYPE_MAX 127

typedef struct form form;

typedef struct form_limits {
    unsigned max_files;          /* attachments per request */
    uint64_t max_file_bytes;     /* per attachment */
    uint64_t spool_budget;       /* bytes every upload in progress may spool together */
    atomic_ullong *spool_used;   /* shared by all requests; NULL: no budget */
} form_limits;

/* Problems found while receiving; several may be set. */
enum {
    FORM_BROKEN = 1 << 0,          /* the body could not be parsed to its end */
    FORM_TOO_MANY_FILES = 1 << 1,
    FORM_FILE_TOO_LARGE = 1 << 2,
    FORM_SPOOL_FULL = 1 << 3,      /* the disk holding the spool is full */
    FORM_SPOOL_FAILED = 1 << 4,    /* another spool error */
    FORM_UNBOUND_FILES = 1 << 5,   /* files came before a receipt that names their case */
    FORM_NO_MEMORY = 1 << 6        /* the text could not all be kept (memory or budget) */
};

/* Guarded memory all of a request's text fields may take together. */
#define FORM_TEXT_BUDGET (512 * 1024)

/*
 * Finds the case reference that files of a form belong to (into ref), from the fields received
 * so far. Returns 0, or non-zero when there is none yet.
 */
typedef int (*form_binder)(void *ctx, const form *f, char ref[CASEREF_TEXT_SIZE]);

typedef struct form_value {
    char name[32];
    unsigned char *data;   /* sodium_malloc, NUL-terminated; grows as text arrives */
    size_t len;
    size_t cap;
    size_t max;            /* the field's limit; len may exceed it (up to 2 * max) */
    int truncated;         /* more than 2 * max arrived */
} form_value;

typedef struct form_file {
    char name[FORM_FILE_NAME_MAX + 1];   /* as the browser sent it, control characters removed */
    char type[FORM_FILE_TYPE_MAX + 1];
    uint64_t size;                       /* plaintext bytes received */
    unsigned char key[STREAM_KEYBYTES];
    unsigned char header[STREAM_HEADERBYTES];
    struct stream_writer *writer;
    struct spool *spool;
} form_file;                             /* lives in sodium_malloc memory */

/*
 * form_new: prepares to receive the body of conn's request. With bind NULL, files belong to a
 * new case whose reference is drawn now; otherwise bind(bind_ctx, ...) names the case when the
 * first file arrives. Returns a new form to free with form_free; or NULL when the request is
 * not a form (wrong Content-Type) or memory is short, *not_a_form telling which, and then there
 * is nothing to free.
 */
form *form_new(struct MHD_Connection *conn, const form_limits *limits, const char *spool_dir,
               form_binder bind, void *bind_ctx, int *not_a_form);

/* form_feed: hands the next piece of the body to the parser. */
void form_feed(form *f, const char *data, size_t size);

/* form_finish: the body is complete: finishes the last file and checks the parse ended well. */
void form_finish(form *f);

/* form_problems: the FORM_* flags set so far. */
unsigned form_problems(const form *f);

/* form_spooled: the bytes of encrypted attachments the form has spooled. */
uint64_t form_spooled(const form *f);

/* form_case_ref: the case reference attachments were bound to ("" when none was needed yet). */
const char *form_case_ref(const form *f);

/* form_get: the first value of name, or NULL. */
const form_value *form_get(const form *f, const char *name);

/* form_text: the first value of name as a C string, "" when absent. */
const char *form_text(const form *f, const char *name);

/* form_values: all values, in arrival order (*n of them). */
const form_value *form_values(const form *f, size_t *n);

/* form_files: the files received (file inputs left empty are not among them), *n of them. */
form_file *const *form_files(const form *f, size_t *n);

/* form_free: wipes and frees everything, deleting spool files; accepts NULL. */
void form_free(form *f);

#endif
