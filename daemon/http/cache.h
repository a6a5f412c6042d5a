/*
 * http_cache.h - answers kept until the data changes: a dashboard page or
 * report costs milliseconds to build and microseconds to copy, and most
 * requests ask for what the previous one did.
 */
#ifndef PAYBACK_HTTP_CACHE_H
#define PAYBACK_HTTP_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "../lib/buf.h"

/* Copies the answer kept for key at this generation into out; returns 1, or 0 when none. */
int http_cache_get(const char *key, uint64_t generation, struct buf *out, unsigned *status);
/*
 * The same, but when another request is building this answer, waits for it
 * (up to 10 s) first. On 0 the caller builds the answer and then calls
 * http_cache_put, or http_cache_abandon when it has none to keep.
 */
int http_cache_fetch(const char *key, uint64_t generation, struct buf *out, unsigned *status);
void http_cache_abandon(const char *key, uint64_t generation);
/* Keeps a copy of body for key at this generation, replacing the oldest entry if full. */
void http_cache_put(const char *key, uint64_t generation, const char *body, size_t len,
                    unsigned status);
void http_cache_clear(void);

#endif
