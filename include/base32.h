/*
 * base32.h: Crockford's base32, the alphabet of receipts and case references. Written with the
 * 32 symbols 0-9 and A-Z less I, L, O and U, so no two symbols look alike; read back
 * case-insensitively, with O taken as 0 and I or L as 1, and with spaces and dashes ignored.
 */
#ifndef SEA_BASE32_H
#define SEA_BASE32_H

#include <stddef.h>

/*
 * base32_encode: writes nsym symbols for the first nsym * 5 bits of in (most significant bit
 * first), each group of `group` symbols separated by a dash (group 0: no dashes), then a NUL.
 * in must hold at least ceil(nsym * 5 / 8) bytes; out must hold nsym + (nsym - 1) / group + 1
 * bytes (group 0: nsym + 1).
 */
void base32_encode(const unsigned char *in, size_t nsym, size_t group, char *out);

/*
 * base32_decode: reads text, skipping spaces, tabs and dashes, and expects exactly nsym symbols;
 * fills out (ceil(nsym * 5 / 8) bytes, unused low bits zero). Returns 0, or ERR_FORMAT when a
 * character is outside the alphabet or the count of symbols differs.
 */
int base32_decode(const char *text, size_t nsym, unsigned char *out);

#endif
