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

/* The q-value (RFC 9110: "0" to "1", at most 3 decimals) in [p, end), as thousandths; 1000
 * when the element has none, -1 when it is not well-formed. */
static int qvalue(const char *p, const char *end)
{
    int q = 0, scale = 100;

    for (; p + 1 < end; p++)
        if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
            break;
    if (p + 1 >= end)
        return 1000;
    p += 2;
    if (p >= end || (*p != '0' && *p != '1'))
        return -1;
    q = (*p++ - '0') * 1000;
    if (p < end && *p == '.')
        for (p++; p < end && *p >= '0' && *p <= '9' && scale > 0; p++, scale /= 10)
            q += (*p - '0') * scale;
    return q > 1000 ? 1000 : q;
}

lang lang_choose(const char *query_lang, const char *accept_language)
{
    lang best = LANG_EN, l;
    int best_q = 0;
    const char *p, *stop;

    if (query_lang != NULL && lang_of(query_lang, strlen(query_lang), &l) == 0 && strlen(query_lang) == 2)
        return l;
    if (accept_language == NULL)
        return LANG_EN;
    /* One pass over at most the first LANG_HEADER_MAX bytes: each element is read once. */
    stop = accept_language + strnlen(accept_language, LANG_HEADER_MAX);
    for (p = accept_language; p < stop;) {
        const char *end = memchr(p, ',', (size_t)(stop - p)), *semi;
        int weight;
        if (end == NULL)
            end = stop;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        semi = memchr(p, ';', (size_t)(end - p));
        weight = semi != NULL ? qvalue(semi, end) : 1000;
        if (lang_of(p, (size_t)((semi != NULL ? semi : end) - p), &l) == 0 && weight > best_q) {
            best = l;
            best_q = weight;
        }
        p = end + (end < stop);
    }
    return best;
}
