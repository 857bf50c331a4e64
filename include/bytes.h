/*
 * bytes.h: explicit little-endian encoding of integers inside our on-disk formats, so that a
 * file written on one machine reads the same on any other.
 */
#ifndef SEA_BYTES_H
#define SEA_BYTES_H

#include <stdint.h>

/* bytes_store16_le, bytes_store32_le, bytes_store64_le: write v into p, least significant byte first. */
void bytes_store16_le(unsigned char *p, uint16_t v);
void bytes_store32_le(unsigned char *p, uint32_t v);
void bytes_store64_le(unsigned char *p, uint64_t v);

/* bytes_load16_le, bytes_load32_le, bytes_load64_le: read a value written by the matching store. */
uint16_t bytes_load16_le(const unsigned char *p);
uint32_t bytes_load32_le(const unsigned char *p);
uint64_t bytes_load64_le(const unsigned char *p);

#endif
