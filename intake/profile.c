/*
 * profile.c: reading the organisation profile with GLib's GKeyFile (see profile.h).
 */
#include "profile.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"

#define GROUP "Organisation"

static const char *const lang_codes[LANG_COUNT] = {"en", "fr"};

/* 1 when s is a value the pages may show: UTF-8, no control character, not too long. */
static int acceptable(const char *s)
{
    size_t len = strlen(s);

    if (len == 0 || len > PROFILE_MAX_TEXT || !g_utf8_validate(s, (gssize)len, NULL))
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

static char *copy(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

/* One localised value into *out (NULL when absent and not required). */
/* 1 when the key itself (any language) is absent, as opposed to present but unreadable. */
static int absent(GKeyFile *kf, const char *key, GError *gerr)
{
    return gerr == NULL || (gerr->domain == G_KEY_FILE_ERROR && gerr->code == G_KEY_FILE_ERROR_KEY_NOT_FOUND &&
                            !g_key_file_has_key(kf, GROUP, key, NULL));
}

/* 1 when a translation Key[code] is written in the file (GKeyFile would fall back silently to
 * the untranslated value when it does not read). */
static int translation_unreadable(GKeyFile *kf, const char *key, const char *code)
{
    char localized[96];
    char *raw;
    int bad;

    snprintf(localized, sizeof localized, "%s[%s]", key, code);
    if ((raw = g_key_file_get_value(kf, GROUP, localized, NULL)) == NULL)
        return 0;
    bad = !g_utf8_validate(raw, -1, NULL);
    g_free(raw);
    return bad;
}

static int text(GKeyFile *kf, const char *path, const char *key, const char *code, int required,
                char **out, char *err, size_t errlen)
{
    GError *gerr = NULL;
    char *v = g_key_file_get_locale_string(kf, GROUP, key, code, &gerr);
    int rc = 0, missing = v == NULL && absent(kf, key, gerr);

    *out = NULL;
    if (gerr != NULL)
        g_error_free(gerr);
    if (translation_unreadable(kf, key, code)) {
        g_free(v);
        return err_set(err, errlen, ERR_FORMAT, "%s: %s[%s] is not UTF-8 text", path, key, code);
    }
    if (v == NULL && !missing)
        return err_set(err, errlen, ERR_FORMAT, "%s: %s is not UTF-8 text", path, key);
    if (v == NULL)
        return required ? err_set(err, errlen, ERR_FORMAT, "%s: [%s] needs %s= (see deploy/organisation.ini)", path, GROUP, key) : 0;
    if (!acceptable(v))
        rc = err_set(err, errlen, ERR_FORMAT, "%s: %s[%s] must be 1 to %d bytes of UTF-8 text on one line", path, key,
                     code, PROFILE_MAX_TEXT);
    else if ((*out = copy(v)) == NULL)
        rc = err_set(err, errlen, ERR_NOMEM, "out of memory");
    g_free(v);
    return rc;
}

/* A localised list (items separated by ';') into items. */
static int list(GKeyFile *kf, const char *path, const char *key, const char *code, char **items, size_t *n,
                char *err, size_t errlen)
{
    gsize count = 0;
    GError *gerr = NULL;
    char **v = g_key_file_get_locale_string_list(kf, GROUP, key, code, &count, &gerr);
    int rc = 0, missing = v == NULL && absent(kf, key, gerr);

    *n = 0;
    if (gerr != NULL)
        g_error_free(gerr);
    if (translation_unreadable(kf, key, code)) {
        g_strfreev(v);
        return err_set(err, errlen, ERR_FORMAT, "%s: %s[%s] is not UTF-8 text", path, key, code);
    }
    if (v == NULL)
        return missing ? 0 : err_set(err, errlen, ERR_FORMAT, "%s: %s is not UTF-8 text", path, key);
    if (count > PROFILE_MAX_ITEMS)
        rc = err_set(err, errlen, ERR_FORMAT, "%s: %s[%s] has %zu items; at most %d", path, key, code, (size_t)count,
                     PROFILE_MAX_ITEMS);
    for (gsize i = 0; rc == 0 && i < count; i++) {
        if (!acceptable(v[i]))
            rc = err_set(err, errlen, ERR_FORMAT, "%s: each item of %s[%s] must be 1 to %d bytes of UTF-8 text", path,
                         key, code, PROFILE_MAX_TEXT);
        else if ((items[(*n)++] = copy(v[i])) == NULL)
            rc = err_set(err, errlen, ERR_NOMEM, "out of memory");
    }
    g_strfreev(v);
    return rc;
}

int profile_load(const char *path, org_profile **out, char *err, size_t errlen)
{
    GKeyFile *kf = g_key_file_new();
    GError *gerr = NULL;
    org_profile *p = calloc(1, sizeof *p);
    int rc = 0;

    *out = NULL;
    if (p == NULL) {
        g_key_file_free(kf);
        return err_set(err, errlen, ERR_NOMEM, "out of memory");
    }
    /* every language's values, not only those of the process's locale */
    if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_KEEP_TRANSLATIONS, &gerr)) {
        rc = err_set(err, errlen, gerr->domain == G_FILE_ERROR ? ERR_IO : ERR_FORMAT, "%s: %s", path, gerr->message);
        g_error_free(gerr);
    } else if (!g_key_file_has_group(kf, GROUP)) {
        rc = err_set(err, errlen, ERR_FORMAT, "%s: no [%s] group (see deploy/organisation.ini)", path, GROUP);
    }
    for (int l = 0; rc == 0 && l < LANG_COUNT; l++) {
        profile_text *t = &p->lang[l];
        const char *code = lang_codes[l];
        if ((rc = text(kf, path, "Name", code, 1, &t->name, err, errlen)) == 0 &&
            (rc = text(kf, path, "Timeline", code, 1, &t->timeline, err, errlen)) == 0 &&
            (rc = text(kf, path, "Caseworkers", code, 0, &t->caseworkers, err, errlen)) == 0 &&
            (rc = text(kf, path, "Retention", code, 0, &t->retention, err, errlen)) == 0 &&
            (rc = list(kf, path, "Contact", code, t->contact, &t->ncontact, err, errlen)) == 0)
            rc = list(kf, path, "Support", code, t->support, &t->nsupport, err, errlen);
    }
    g_key_file_free(kf);
    if (rc != 0) {
        profile_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

void profile_free(org_profile *p)
{
    if (p == NULL)
        return;
    for (int l = 0; l < LANG_COUNT; l++) {
        profile_text *t = &p->lang[l];
        free(t->name);
        free(t->caseworkers);
        free(t->timeline);
        free(t->retention);
        for (size_t i = 0; i < t->ncontact; i++)
            free(t->contact[i]);
        for (size_t i = 0; i < t->nsupport; i++)
            free(t->support[i]);
    }
    free(p);
}
