/*
 * recent.c: a ring of keyed hashes of (token, case) with the time each was claimed (see
 * recent.h). A linear search over at most RECENT_CAPACITY entries of 24 bytes is a few
 * microseconds, far less than the follow-up it guards.
 */
#include "recent.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define KEY_BYTES 16

typedef struct entry {
    unsigned char key[KEY_BYTES];   /* BLAKE2b(token || lookup), keyed with the ring's own key */
    long long at;                   /* seconds; 0: empty */
    int saved;                      /* committed; else in flight */
} entry;

struct recent {
    pthread_mutex_t lock;
    unsigned char *hash_key;        /* crypto_generichash_KEYBYTES, in guarded memory */
    entry e[RECENT_CAPACITY];
    size_t next;                    /* the oldest entry: overwritten next */
};

recent *recent_new(void)
{
    recent *r = calloc(1, sizeof *r);

    if (r == NULL)
        return NULL;
    if ((r->hash_key = sodium_malloc(crypto_generichash_KEYBYTES)) == NULL) {
        free(r);
        return NULL;
    }
    pthread_mutex_init(&r->lock, NULL);
    randombytes_buf(r->hash_key, crypto_generichash_KEYBYTES);
    return r;
}

void recent_free(recent *r)
{
    if (r == NULL)
        return;
    pthread_mutex_destroy(&r->lock);
    sodium_free(r->hash_key);
    sodium_memzero(r, sizeof *r);
    free(r);
}

void recent_token(char out[RECENT_TOKEN_TEXT])
{
    unsigned char raw[RECENT_TOKEN_BYTES];

    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, RECENT_TOKEN_TEXT, raw, sizeof raw);
}

/* The entry key of (text, lookup) into key; -1 when text is not a token. */
static int key_of(const recent *r, const char *text, const unsigned char lookup[32], unsigned char key[KEY_BYTES])
{
    unsigned char raw[RECENT_TOKEN_BYTES];
    size_t len;
    crypto_generichash_state st;

    if (strlen(text) != 2 * RECENT_TOKEN_BYTES ||
        sodium_hex2bin(raw, sizeof raw, text, strlen(text), NULL, &len, NULL) != 0 || len != sizeof raw)
        return -1;
    crypto_generichash_init(&st, r->hash_key, crypto_generichash_KEYBYTES, KEY_BYTES);
    crypto_generichash_update(&st, raw, sizeof raw);
    crypto_generichash_update(&st, lookup, 32);
    crypto_generichash_final(&st, key, KEY_BYTES);
    return 0;
}

/* The entry holding key, claimed after since, or NULL. Under the lock. */
static entry *find(recent *r, const unsigned char key[KEY_BYTES], long long since)
{
    for (size_t i = 0; i < RECENT_CAPACITY; i++)
        if (r->e[i].at != 0 && r->e[i].at > since && sodium_memcmp(r->e[i].key, key, KEY_BYTES) == 0)
            return &r->e[i];
    return NULL;
}

/* What is known of text for this case; with claim, claims it when nothing is. */
static int look(recent *r, const char *text, const unsigned char lookup[32], long long now, int claim)
{
    unsigned char key[KEY_BYTES];
    entry *e;
    int state = RECENT_NEW;

    if (key_of(r, text, lookup, key) != 0)
        return RECENT_NONE;
    pthread_mutex_lock(&r->lock);
    if ((e = find(r, key, now - RECENT_SECONDS)) != NULL) {
        state = e->saved ? RECENT_SAVED : RECENT_IN_FLIGHT;
    } else if (claim) {
        memcpy(r->e[r->next].key, key, KEY_BYTES);
        r->e[r->next].at = now > 0 ? now : 1;
        r->e[r->next].saved = 0;
        r->next = (r->next + 1) % RECENT_CAPACITY;
    }
    pthread_mutex_unlock(&r->lock);
    return state;
}

int recent_claim(recent *r, const char *text, const unsigned char lookup[32], long long now)
{
    return look(r, text, lookup, now, 1);
}

int recent_state(recent *r, const char *text, const unsigned char lookup[32], long long now)
{
    return look(r, text, lookup, now, 0);
}

/* Marks the claim of text saved (saved 1) or forgets it (0). */
static void settle(recent *r, const char *text, const unsigned char lookup[32], int saved)
{
    unsigned char key[KEY_BYTES];
    entry *e;

    if (key_of(r, text, lookup, key) != 0)
        return;
    pthread_mutex_lock(&r->lock);
    if ((e = find(r, key, 0)) != NULL) {
        if (saved)
            e->saved = 1;
        else
            memset(e, 0, sizeof *e);
    }
    pthread_mutex_unlock(&r->lock);
}

void recent_saved(recent *r, const char *text, const unsigned char lookup[32])
{
    settle(r, text, lookup, 1);
}

void recent_release(recent *r, const char *text, const unsigned char lookup[32])
{
    settle(r, text, lookup, 0);
}
