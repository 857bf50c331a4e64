/*
 * json.c: JSON string escaping (see json.h).
 */
#include "json.h"

#include <string.h>

#include "utf8.h"

void json_strn(FILE *f, const char *s, size_t len)
{
    fputc('"', f);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                fprintf(f, "\\u%04x", c);
            } else if (c < 0x80) {
                fputc(c, f);
            } else {
                size_t n = utf8_char_len(s + i, len - i);
                if (n == 0) {
                    fputs("\\ufffd", f);   /* not UTF-8: the output stays valid JSON */
                } else {
                    fwrite(s + i, 1, n, f);
                    i += n - 1;
                }
            }
        }
    }
    fputc('"', f);
}

void json_str(FILE *f, const char *s)
{
    if (s == NULL)
        fputs("null", f);
    else
        json_strn(f, s, strlen(s));
}
