/*
 * profile.h: the organisation profile: who reads the reports, other ways to reach them, support
 * services and emergency numbers, the timeline the organisation commits to and how long cases
 * are kept, in each language. Read once at start from a key file (GLib's GKeyFile format: an
 * [Organisation] group, each key optionally localised as Key[fr]=...; the keys and their limits
 * are in deploy/organisation.ini), shown on the form, the receipt page and the status page.
 * Its text is trusted (the administrator's), but is escaped like everything else.
 */
#ifndef SEA_INTAKE_PROFILE_H
#define SEA_INTAKE_PROFILE_H

#include <stddef.h>

#include "messages.h"

#define PROFILE_MAX_ITEMS 8      /* lines of a list (contacts, support services) */
#define PROFILE_MAX_TEXT 1024    /* bytes of one value */

typedef struct profile_text {
    char *name, *caseworkers, *timeline, *retention;        /* NULL when not given */
    char *contact[PROFILE_MAX_ITEMS], *support[PROFILE_MAX_ITEMS];
    size_t ncontact, nsupport;
} profile_text;

typedef struct org_profile {
    profile_text lang[LANG_COUNT];
} org_profile;

/*
 * profile_load: reads the profile at path. Name and Timeline are required; every value must be
 * UTF-8 without control characters, at most PROFILE_MAX_TEXT bytes, lists at most
 * PROFILE_MAX_ITEMS lines. A language without its own value gets the unlocalised one. Returns 0
 * and *out (free with profile_free), or ERR_FORMAT / ERR_IO / ERR_NOMEM with a sentence in err
 * that names the file and the key.
 */
int profile_load(const char *path, org_profile **out, char *err, size_t errlen);

void profile_free(org_profile *p);

#endif
