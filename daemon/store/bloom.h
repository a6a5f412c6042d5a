/*
 * bloom.h - a Bloom filter of 64-bit identities: "certainly not stored" for
 * most new events, so only the rest cost a read of a large index.
 */
#ifndef PAYBACK_BLOOM_H
#define PAYBACK_BLOOM_H

#include <stddef.h>
#include <stdint.h>

struct bloom {
	uint64_t *words;
	uint64_t bits;
	size_t n, limit; /* keys added, and how many keep false positives near 1% */
};

/* Sized for at least n keys; 0 or -1 when out of memory. Replaces what b held. */
int bloom_init(struct bloom *b, size_t n);
void bloom_free(struct bloom *b);
void bloom_add(struct bloom *b, uint64_t key);
/* 0: key was never added. 1: it may have been. */
int bloom_has(const struct bloom *b, uint64_t key);
/* Whether n has outgrown the size, so that bloom_init should be called again. */
int bloom_is_full(const struct bloom *b);

#endif
