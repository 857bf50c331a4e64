/*
 * messages.c: catalogue lookup and the choice of language (see messages.h).
 */
#include "messages.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const *const catalogues[LANG_COUNT] = {messages_en, messages_fr};

static const char *const id_names[MESSAGE_COUNT] = {
#define MESSAGE_NAME(id) #id,
    MESSAGE_IDS(MESSAGE_NAME)
#undef MESSAGE_NAME
};

const char *msg(lang l, message_id id)
{
    const char *s;

    if ((unsigned)l >= LANG_COUNT || (unsigned)id >= MESSAGE_COUNT)
        return "";
    s = catalogues[l][id];
    return s != NULL ? s : messages_en[id] != NULL ? messages_en[id] : "";
}

const char *msg_id_name(message_id id)
{
    return (unsigned)id < MESSAGE_COUNT ? id_names[id] : "?";
}

static int lang_of(const char *tag, size_t len, lang *out)
{
    if (len >= 2 && (len == 2 || tag[2] == '-' || tag[2] == '_')) {
        if (strncasecmp(tag, "en", 2) == 0) {
            *out = LANG_EN;
            return 0;
        }
        if (strncasecmp(tag, "fr", 2) == 0) {
            *out = LANG_FR;
            return 0;
        }
    }
    return -1;
}

lang lang_choose(const char *query_lang, const char *accept_language)
{
    lang best = LANG_EN, l;
    double best_q = -1;

    if (query_lang != NULL && lang_of(query_lang, strlen(query_lang), &l) == 0 && strlen(query_lang) == 2)
        return l;
    if (accept_language == NULL)
        return LANG_EN;
    for (const char *p = accept_language; *p != '\0';) {
        size_t len = strcspn(p, ",");
        size_t tag_len = strcspn(p, ";,");
        const char *q = memchr(p, ';', len);
        double weight = 1.0;
        while (*p == ' ' && tag_len > 0) {
            p++;
            tag_len--;
            len--;
        }
        if (q != NULL) {
            const char *v = strstr(q, "q=");
            if (v != NULL && v < p + len)
                weight = strtod(v + 2, NULL);
        }
        if (lang_of(p, tag_len, &l) == 0 && weight > best_q && weight > 0) {
            best = l;
            best_q = weight;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return best;
}
