/*
 * secmem.h: guarded memory for secrets, reused. sodium_malloc gives each buffer guard pages, a
 * canary, mlock and no core dump, at the price of several system calls and page-table changes
 * per allocation (and the same to free it), which dominated the intake's work per report. A
 * buffer from secmem_alloc is a sodium_malloc buffer all the same; secmem_free wipes it
 * (sodium_memzero, all of it) and keeps it in a small cache of this thread's, by size class
 * (powers of two from 64 bytes to 128 KiB), for the next secmem_alloc of that class on this
 * thread; only past the cache's bounds (8 buffers a class, 1 MiB a thread) is it given back
 * with sodium_free. Larger buffers are plain sodium_malloc buffers of the size asked.
 *
 * A buffer's guard page lies after its size class, not after the size asked: an overrun of less
 * than the class is not caught. secmem_free must be given the size that secmem_alloc was; a
 * buffer may also be given back with sodium_free (it is then simply not reused).
 */
#ifndef SEA_SECMEM_H
#define SEA_SECMEM_H

#include <stddef.h>

/* secmem_alloc: at least size bytes of guarded memory (contents undefined), or NULL. */
void *secmem_alloc(size_t size);

/* secmem_free: wipes p (size bytes asked of secmem_alloc) and keeps or frees it; accepts NULL. */
void secmem_free(void *p, size_t size);

#endif
