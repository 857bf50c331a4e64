/*
 * json.h: the little JSON that casework writes for scripts: strings escaped per RFC 8259.
 */
#ifndef SEA_CASEWORK_JSON_H
#define SEA_CASEWORK_JSON_H

#include <stdio.h>

/* json_str: writes s as a JSON string (quotes included); NULL writes null. */
void json_str(FILE *f, const char *s);

/* json_strn: writes len bytes of s as a JSON string; bytes that are not UTF-8 (and C1 control
 * characters) are written as U+FFFD, so that the output always parses. */
void json_strn(FILE *f, const char *s, size_t len);

#endif
