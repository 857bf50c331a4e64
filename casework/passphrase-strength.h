/*
 * passphrase-strength.h: whether a new key's passphrase is strong enough, judged by
 * libpwquality (the system's /etc/security/pwquality.conf, with at least
 * PASSPHRASE_MIN_LENGTH characters and a score of PASSPHRASE_MIN_SCORE), as passwd judges
 * passwords.
 */
#ifndef SEA_CASEWORK_PASSPHRASE_STRENGTH_H
#define SEA_CASEWORK_PASSPHRASE_STRENGTH_H

#include <stddef.h>

#define PASSPHRASE_MIN_LENGTH 12
#define PASSPHRASE_MIN_SCORE 50   /* of libpwquality's 0-100: below it, a guessable pattern */

/*
 * passphrase_strong_enough: 0 when pass (NUL-terminated) passes libpwquality's checks (length,
 * character classes, repeats, the cracklib dictionary, not containing the key's name) and its
 * score is at least PASSPHRASE_MIN_SCORE. Else
 * ERR_FORMAT with a message that says why and what to choose instead, or ERR_INTERNAL when the
 * checks cannot run (no cracklib dictionary: install cracklib-runtime). Copies of the passphrase
 * made by the library are its own; nothing is kept here.
 */
int passphrase_strong_enough(const char *pass, const char *name, char *err, size_t errlen);

#endif
