/*
 * secmem.c: a per-thread cache of wiped sodium_malloc buffers (see secmem.h).
 */
#include "secmem.h"

#include <sodium.h>

#define CLASS_MIN 6                     /* 64 bytes */
#define CLASS_MAX 17                    /* 128 KiB; larger buffers are neither rounded up nor kept */
#define PER_CLASS 8
#define THREAD_BYTES (1024u * 1024)

typedef struct cache {
    void *kept[CLASS_MAX + 1][PER_CLASS];
    unsigned n[CLASS_MAX + 1];
    size_t bytes;
} cache;

static _Thread_local cache mine;

/* The class of size: the smallest power of two at least size (and CLASS_MIN); CLASS_MAX + 1
 * when it is larger than any kept. */
static unsigned class_of(size_t size)
{
    unsigned c = CLASS_MIN;

    while (c <= CLASS_MAX && ((size_t)1 << c) < size)
        c++;
    return c;
}

void *secmem_alloc(size_t size)
{
    unsigned c = class_of(size);

    if (c > CLASS_MAX)
        return sodium_malloc(size);
    if (mine.n[c] > 0) {
        mine.bytes -= (size_t)1 << c;
        return mine.kept[c][--mine.n[c]];
    }
    return sodium_malloc((size_t)1 << c);
}

void secmem_free(void *p, size_t size)
{
    unsigned c = class_of(size);

    if (p == NULL)
        return;
    if (c > CLASS_MAX || mine.n[c] == PER_CLASS || mine.bytes + ((size_t)1 << c) > THREAD_BYTES) {
        sodium_free(p);   /* wipes it too */
        return;
    }
    sodium_memzero(p, (size_t)1 << c);
    mine.kept[c][mine.n[c]++] = p;
    mine.bytes += (size_t)1 << c;
}
