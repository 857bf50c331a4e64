/*
 * recent.h: the follow-ups sent lately, by the submission token their form carried, so that one
 * form sent twice (a reload, a double click, Back and Send) saves one follow-up. Kept in memory
 * only, for a day at most and for the last RECENT_CAPACITY forms, and forgotten when the intake
 * stops: nothing of it reaches the disk. A token counts only with the case it was sent to (as a
 * keyed hash of both), so another case's form cannot be refused by it.
 */
#ifndef SEA_INTAKE_RECENT_H
#define SEA_INTAKE_RECENT_H

#include <stddef.h>

#define RECENT_TOKEN_BYTES 16
#define RECENT_TOKEN_TEXT (2 * RECENT_TOKEN_BYTES + 1)
#define RECENT_CAPACITY 8192
#define RECENT_SECONDS (24 * 60 * 60)

typedef struct recent recent;

/* recent_new: an empty memory of submissions, or NULL when memory is short. */
recent *recent_new(void);
void recent_free(recent *r);

/* recent_token: a fresh random token, as the hex text a form carries. */
void recent_token(char out[RECENT_TOKEN_TEXT]);

enum { RECENT_NEW = 0, RECENT_SAVED = 1, RECENT_IN_FLIGHT = 2, RECENT_NONE = -1 };

/*
 * recent_claim: when the token text (from a form) is well formed and was not claimed for this
 * case (its receipt lookup) in the last RECENT_SECONDS, claims it (as in flight) and returns
 * RECENT_NEW; when it was, returns RECENT_SAVED or RECENT_IN_FLIGHT (the same form sent again,
 * while the first is still being saved); RECENT_NONE when text is not a token (a client that
 * posts none: nothing to remember). now is in seconds.
 */
int recent_claim(recent *r, const char *text, const unsigned char lookup[32], long long now);

/* recent_state: what recent_claim would say of text for this case, claiming nothing. */
int recent_state(recent *r, const char *text, const unsigned char lookup[32], long long now);

/* recent_saved: the claim's follow-up is committed. */
void recent_saved(recent *r, const char *text, const unsigned char lookup[32]);

/* recent_release: forgets a claim whose follow-up was not saved, so that sending the form again
 * saves it. */
void recent_release(recent *r, const char *text, const unsigned char lookup[32]);

#endif
