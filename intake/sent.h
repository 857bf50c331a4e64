/*
 * sent.h: the reporter's own list of what they sent: for the report and each follow-up, the day,
 * the size of its text and each file's name and size, never the content. It is kept in a receipt
 * box (receipt.h: only the receipt opens it), as the case's second record of audience 3 after the
 * choice box, written with the report and rewritten, one entry longer, with each follow-up. The
 * status page shows it, so a reporter sees what arrived; someone who takes the receipt sees the
 * list too, but still not what the report said.
 */
#ifndef SEA_INTAKE_SENT_H
#define SEA_INTAKE_SENT_H

#include <stddef.h>
#include <stdint.h>

#include "fields.h"
#include "receipt.h"

#define SENT_MAX_ENTRIES 32
#define SENT_MAX_FILES 96

/* One thing sent, as added to the list. */
typedef struct sent_item {
    int is_report;
    const char *day;                 /* YYYY-MM-DD */
    uint64_t text_bytes;
    size_t nfiles;
    const char *const *names;        /* nfiles names (as the form kept them) */
    const uint64_t *sizes;           /* and sizes */
} sent_item;

/* The list as read back: its values point into the plaintext it was read from. */
typedef struct sent_list {
    size_t n;
    struct {
        int is_report;
        const field *day;
        uint64_t text_bytes;
        size_t first_file, nfiles;
        uint64_t more_files;         /* files it brought that the list had no room for */
    } e[SENT_MAX_ENTRIES];
    size_t nfiles;
    struct {
        const field *name;
        uint64_t size;
    } f[SENT_MAX_FILES];
    int older_dropped;               /* older entries were left out to keep it within its bounds */
    field fields[FIELDS_MAX];
} sent_list;

/*
 * sent_seal: the list in the box old (old_len bytes, opened with rk for case ref; NULL for none)
 * with item added at its end, sealed into a new box (*box, *box_len; free with free). The oldest
 * follow-ups are left out when the list would pass FIELDS_MAX entries (the report's is kept);
 * when the report and item alone are too many, item lists fewer files and how many more came
 * (`more_files`). Returns 0, ERR_AUTH (old does not open), ERR_FORMAT, ERR_NOMEM.
 */
int sent_seal(const receipt_keys *rk, const char *ref, const unsigned char *old, size_t old_len,
              const sent_item *item, unsigned char **box, size_t *box_len);

/*
 * sent_read: decodes an opened list (plain, len: receipt_box_open's plaintext) into out, whose
 * values point into plain. Returns 0 or ERR_FORMAT.
 */
int sent_read(const unsigned char *plain, size_t len, sent_list *out);

#endif
