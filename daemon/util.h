/* util.h - hashing, time and text checks shared by every module. */
#ifndef PAYBACK_UTIL_H
#define PAYBACK_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A 64-bit hash used for event identities: FNV-1a with a final avalanche. */
uint64_t hash64(const void *p, size_t n, uint64_t seed);
uint64_t hash64_str(const char *s, uint64_t seed);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d);

/*
 * Parses an ISO 8601 date-time ("2026-11-20T14:03:11.123Z", any number of
 * fraction digits, "Z" or "+hh:mm") into UTC milliseconds. Returns 0, or -1
 * with *why set for a malformed or impossible value (month 13, 30 February).
 */
int parse_iso8601(const char *s, int64_t *ms, const char **why);
/* Parses "YYYY-MM-DD" strictly; returns 0 or -1. */
int parse_date(const char *s, int *y, unsigned *m, unsigned *d);

/*
 * Checks that [p, p+n) is one well-formed JSON value in valid UTF-8 with no
 * raw control characters. Returns 0, or -1 with *err_at (a byte offset) and
 * *why set. It allocates nothing, so it is cheap enough for every line.
 */
int json_check(const char *p, size_t n, size_t *err_at, const char **why);

/*
 * Returns 1 if [p, p+n) is valid UTF-8 without control characters: what a
 * compact JSON line always is. Much cheaper than json_check, it lets lines
 * that cJSON will parse anyway skip the full check (cJSON does not check
 * UTF-8). 0 means "ask json_check for the details".
 */
int text_is_clean(const char *p, size_t n);

/* SHA-256 of [p, p+n): ingest tokens are compared by their hash. */
void sha256(const void *p, size_t n, unsigned char out[32]);
/* Whether a and b (n bytes each) are equal, in time that does not depend on where they differ. */
int equal_const_time(const void *a, const void *b, size_t n);

/* The cores online, at least 1 and at most max: how many threads share out CPU work. */
int cpu_cores(int max);

/* Levenshtein distance, capped: used for did-you-mean suggestions. */
unsigned edit_distance(const char *a, const char *b);

#endif
