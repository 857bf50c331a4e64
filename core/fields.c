/*
 * fields.c: encoding and decoding of the named values inside sealed records (see fields.h).
 */
#include "fields.h"

#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "errors.h"

void fields_set(field *f, const char *name, const void *value, size_t len)
{
    snprintf(f->name, sizeof f->name, "%s", name);
    f->value = value;
    f->len = len;
}

size_t fields_encoded_size(const field *f, size_t n)
{
    size_t size = 1;

    for (size_t i = 0; i < n; i++)
        size += 1 + strlen(f[i].name) + 4 + f[i].len;
    return size;
}

int fields_encode(const field *f, size_t n, unsigned char *out)
{
    size_t o = 0;

    if (n > FIELDS_MAX)
        return ERR_LIMIT;
    out[o++] = FIELDS_VERSION;
    for (size_t i = 0; i < n; i++) {
        size_t name_len = strlen(f[i].name);
        if (name_len == 0 || name_len > FIELDS_NAME_MAX || f[i].len > UINT32_MAX)
            return ERR_LIMIT;
        out[o++] = (unsigned char)name_len;
        memcpy(out + o, f[i].name, name_len);
        o += name_len;
        bytes_store32_le(out + o, (uint32_t)f[i].len);
        o += 4;
        if (f[i].len > 0)
            memcpy(out + o, f[i].value, f[i].len);
        o += f[i].len;
    }
    return 0;
}

int fields_decode(const unsigned char *buf, size_t len, field *out, size_t max, size_t *n)
{
    size_t o = 1;

    *n = 0;
    if (len < 1 || buf[0] != FIELDS_VERSION)
        return ERR_FORMAT;
    while (o < len) {
        size_t name_len = buf[o++], value_len;
        if (name_len == 0 || name_len > FIELDS_NAME_MAX || len - o < name_len + 4)
            return ERR_FORMAT;
        if (*n == max)
            return ERR_LIMIT;
        memcpy(out[*n].name, buf + o, name_len);
        out[*n].name[name_len] = '\0';
        if (strlen(out[*n].name) != name_len)
            return ERR_FORMAT;
        o += name_len;
        value_len = bytes_load32_le(buf + o);
        o += 4;
        if (len - o < value_len)
            return ERR_FORMAT;
        out[*n].value = buf + o;
        out[*n].len = value_len;
        o += value_len;
        (*n)++;
    }
    return 0;
}

const field *fields_find(const field *f, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].name, name) == 0)
            return &f[i];
    return NULL;
}
