/*
 * bloom.c - ten bits and three probes per key: about 1.7% false positives
 * at the limit. The probes come from one remix of the key (double hashing),
 * so keys that are not hashes spread as well as those that are.
 */
#include "bloom.h"

#include <stdlib.h>

#define BITS_PER_KEY 10
#define PROBES       3
#define MIN_KEYS     65536

int bloom_init(struct bloom *b, size_t n)
{
	uint64_t bits = (uint64_t)(n < MIN_KEYS ? MIN_KEYS : n) * BITS_PER_KEY;
	uint64_t *words;

	bits = (bits + 63) / 64 * 64;
	if ((words = calloc(bits / 64, sizeof(*words))) == NULL)
		return -1;
	bloom_free(b);
	b->words = words;
	b->bits = bits;
	b->n = 0;
	b->limit = bits / BITS_PER_KEY;
	return 0;
}

void bloom_free(struct bloom *b)
{
	free(b->words);
	b->words = NULL;
	b->bits = 0;
	b->n = b->limit = 0;
}

static uint64_t remix(uint64_t x)
{
	x = (x ^ (x >> 31)) * 0x7fb5d329728ea185ULL;
	x = (x ^ (x >> 27)) * 0x81dadef4bc2dd44dULL;
	return x ^ (x >> 33);
}

/* A bit of the filter from 64 bits of hash, without a division. */
static uint64_t bit_of(const struct bloom *b, uint64_t h)
{
	return (uint64_t)(((unsigned __int128)h * b->bits) >> 64);
}

void bloom_add(struct bloom *b, uint64_t key)
{
	uint64_t step;

	key = remix(key);
	step = key << 32 | key >> 32 | 1;

	for (int i = 0; i < PROBES; i++, key += step) {
		uint64_t bit = bit_of(b, key);

		b->words[bit >> 6] |= (uint64_t)1 << (bit & 63);
	}
	b->n++;
}

int bloom_has(const struct bloom *b, uint64_t key)
{
	uint64_t step;

	key = remix(key);
	step = key << 32 | key >> 32 | 1;

	for (int i = 0; i < PROBES; i++, key += step) {
		uint64_t bit = bit_of(b, key);

		if (!(b->words[bit >> 6] & (uint64_t)1 << (bit & 63)))
			return 0;
	}
	return 1;
}

int bloom_is_full(const struct bloom *b)
{
	return b->n > b->limit;
}
