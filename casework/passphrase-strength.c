/*
 * passphrase-strength.c: a new passphrase judged by libpwquality (see passphrase-strength.h).
 */
#include "passphrase-strength.h"

#include <pwquality.h>
#include <stdio.h>
#include <string.h>

#include "errors.h"

int passphrase_strong_enough(const char *pass, const char *name, char *err, size_t errlen)
{
    pwquality_settings_t *pw = pwquality_default_settings();
    char why[PWQ_MAX_ERROR_MESSAGE_LEN];
    void *aux = NULL;
    int min_length = 0, score, rc = 0;

    if (pw == NULL)
        return err_set(err, errlen, ERR_NOMEM, "out of memory checking the passphrase");
    /* The system's policy when there is one (a missing file leaves the defaults). */
    (void)pwquality_read_config(pw, NULL, NULL);
    if (pwquality_get_int_value(pw, PWQ_SETTING_MIN_LENGTH, &min_length) != 0 || min_length < PASSPHRASE_MIN_LENGTH)
        (void)pwquality_set_int_value(pw, PWQ_SETTING_MIN_LENGTH, PASSPHRASE_MIN_LENGTH);
    score = pwquality_check(pw, pass, NULL, name, &aux);
    if (score >= PASSPHRASE_MIN_SCORE) {
        rc = 0;
    } else if (score >= 0) {
        snprintf(why, sizeof why, "it is too easy to guess (libpwquality scores it %d of 100; %d is needed)", score,
                 PASSPHRASE_MIN_SCORE);
    } else {
        pwquality_strerror(why, sizeof why, score, aux);
        if (score == PWQ_ERROR_CRACKLIB_CHECK && strstr(why, "error loading") != NULL)
            rc = err_set(err, errlen, ERR_INTERNAL, "cannot check the passphrase's strength: %s "
                         "(install the Debian package cracklib-runtime)", why);
    }
    if (score < PASSPHRASE_MIN_SCORE && rc == 0)
        rc = err_set(err, errlen, ERR_FORMAT, "this passphrase is too weak: %s. Choose at least %d characters "
                     "that no one could guess, such as four or five unrelated words", why,
                     min_length > PASSPHRASE_MIN_LENGTH ? min_length : PASSPHRASE_MIN_LENGTH);
    pwquality_free_settings(pw);
    return rc;
}
