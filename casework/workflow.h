/*
 * workflow.h: the life of a case (new -> triaged -> investigating -> referred -> closed, and
 * reopening with a reason) and texts typed with -m or in $EDITOR. The fixed vocabularies
 * (statuses, categories, severities, outcomes) are core's, in vocab.h, included here.
 */
#ifndef SEA_CASEWORK_WORKFLOW_H
#define SEA_CASEWORK_WORKFLOW_H

#include <stddef.h>

#include "case-write.h"
#include "day.h"
#include "vocab.h"

/* The deadlines every case is held to: acknowledge within WORKFLOW_ACK_DAYS of receipt, give
 * feedback within WORKFLOW_FEEDBACK_MONTHS of the acknowledgement. */
enum { WORKFLOW_ACK_DAYS = 7, WORKFLOW_FEEDBACK_MONTHS = 3 };

/* workflow_ack_due: the day by which a case received on `received` must be acknowledged. */
void workflow_ack_due(const char *received, char out[DAY_TEXT_SIZE]);

/* workflow_feedback_due: the day by which a case acknowledged on `acknowledged` needs feedback. */
void workflow_feedback_due(const char *acknowledged, char out[DAY_TEXT_SIZE]);

/*
 * workflow_check_status: a case_change check: may a case in status go to ch->new_status?
 * Forward moves need nothing; leaving "closed" (reopening) needs a reason; nothing goes back to
 * "new"; "closed" is reached only with casework close.
 */
int workflow_check_status(case_change *ch, const case_data *d, const char *status,
                          char *err, size_t errlen);

/* workflow_check_open: a case_change check refusing closed cases (reopen them first). */
int workflow_check_open(case_change *ch, const case_data *d, const char *status,
                        char *err, size_t errlen);

/*
 * workflow_text: the text of -m (given), or else of -F (file: a path, or "-" for standard
 * input), or else one written in $EDITOR (VISUAL, EDITOR, then vi) in a private temporary file
 * (on /dev/shm when it exists), whose lines starting with '#' are dropped. Trailing blank space
 * is removed. An empty text aborts. Both given and file: ERR_LIMIT. Without either and without a
 * terminal (standard input and output), no editor is started: ERR_LIMIT. (ERR_LIMIT is a usage
 * error.) On success *out is sodium_malloc memory (free with sodium_free). Returns 0, or
 * non-zero with a message (empty text, no such file, editor failed); then *out is NULL and
 * there is nothing to free (the text read back was wiped, and the temporary file and its folder
 * were removed).
 */
int workflow_text(const char *given, const char *file, const char *what, char **out, char *err, size_t errlen);

#endif
