/* lathist.c - latency histograms with 5% buckets, and their stored form. */
#include "lathist.h"

#include <math.h>

#define EXACT_BUCKETS 64

int lathist_bucket(int64_t ms)
{
	int b;

	if (ms < EXACT_BUCKETS)
		return ms < 0 ? 0 : (int)ms;
	b = EXACT_BUCKETS + (int)floor(log((double)ms / EXACT_BUCKETS) / log(1.05));
	return b < LATHIST_BUCKETS ? b : LATHIST_BUCKETS - 1;
}

double lathist_value(int bucket)
{
	if (bucket < EXACT_BUCKETS)
		return bucket;
	/* The geometric middle of [64 * 1.05^k, 64 * 1.05^(k+1)). */
	return EXACT_BUCKETS * pow(1.05, (double)(bucket - EXACT_BUCKETS) + 0.5);
}

static size_t put_varint(uint8_t *out, uint64_t v)
{
	size_t n = 0;

	do {
		out[n] = (uint8_t)(v & 0x7f);
		v >>= 7;
		out[n++] |= v ? 0x80 : 0;
	} while (v);
	return n;
}

static int get_varint(const uint8_t *p, size_t len, size_t *at, uint64_t *v)
{
	if (*at < len && p[*at] < 0x80) { /* most gaps and counts are small */
		*v = p[(*at)++];
		return 0;
	}
	*v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (*at >= len)
			return -1;
		*v |= (uint64_t)(p[*at] & 0x7f) << shift;
		if ((p[(*at)++] & 0x80) == 0)
			return 0;
	}
	return -1;
}

size_t lathist_encode(const int64_t counts[LATHIST_BUCKETS], uint8_t *out)
{
	size_t n = 0;
	int prev = -1;

	for (int b = 0; b < LATHIST_BUCKETS; b++) {
		if (counts[b] <= 0)
			continue;
		n += put_varint(out + n, (uint64_t)(b - prev));
		n += put_varint(out + n, (uint64_t)counts[b]);
		prev = b;
	}
	return n;
}

int lathist_add_blob(int64_t counts[LATHIST_BUCKETS], const void *blob, size_t len)
{
	size_t at = 0;
	int64_t b = -1;

	while (at < len) {
		uint64_t gap, n;

		if (get_varint(blob, len, &at, &gap) < 0 || get_varint(blob, len, &at, &n) < 0 ||
		    gap == 0 || gap > LATHIST_BUCKETS || b + (int64_t)gap >= LATHIST_BUCKETS ||
		    n > INT64_MAX / 2)
			return -1;
		b += (int64_t)gap;
		counts[b] += (int64_t)n;
	}
	return 0;
}

double lathist_percentile(const int64_t counts[LATHIST_BUCKETS], double p)
{
	int64_t total = 0, rank, seen = 0;

	for (int b = 0; b < LATHIST_BUCKETS; b++)
		total += counts[b];
	if (total == 0)
		return 0;
	rank = (int64_t)ceil(p * (double)total);
	if (rank < 1)
		rank = 1;
	for (int b = 0; b < LATHIST_BUCKETS; b++) {
		seen += counts[b];
		if (seen >= rank)
			return lathist_value(b);
	}
	return lathist_value(LATHIST_BUCKETS - 1);
}
