/*
 * lathist.h - latency histograms: percentiles within 2.5% of exact without
 * keeping every latency. Buckets 0-63 hold exact milliseconds; from 64 ms on,
 * each bucket is 5% wider than the one before, so a bucket's middle is
 * never more than 2.5% from any value in it.
 */
#ifndef PAYBACK_LATHIST_H
#define PAYBACK_LATHIST_H

#include <stddef.h>
#include <stdint.h>

#define LATHIST_BUCKETS 448 /* the last bucket holds everything from ~100 days on */

int lathist_bucket(int64_t ms);
/* The value a bucket stands for in percentiles. */
double lathist_value(int bucket);

/*
 * The stored form: (bucket gap, count) pairs as LEB128 varints, for buckets
 * with a non-zero count in ascending order. Writes at most
 * LATHIST_MAX_BLOB bytes; returns the length.
 */
#define LATHIST_MAX_BLOB ((size_t)LATHIST_BUCKETS * 12)
size_t lathist_encode(const int64_t counts[LATHIST_BUCKETS], uint8_t *out);
/* Adds the counts in blob to counts; returns 0, or -1 for a malformed blob. */
int lathist_add_blob(int64_t counts[LATHIST_BUCKETS], const void *blob, size_t len);

/* Nearest-rank percentile (0 < p <= 1) of the values counted; 0 when empty. */
double lathist_percentile(const int64_t counts[LATHIST_BUCKETS], double p);

#endif
