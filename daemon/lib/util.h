/* util.h - hashing, time and text checks shared by every module. */
#ifndef PAYBACK_UTIL_H
#define PAYBACK_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#ifdef __SSE2__
#include <emmintrin.h>

/* How many of the 16 bytes at p come before the first '"', '\\', control or
 * non-ASCII byte (16 if none). */
static inline unsigned plain_run16(const void *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)p);
	__m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
	__m128i slash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
	/* Signed: bytes from 0x80 up are negative, so below 0x20 as well. */
	__m128i low = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
	unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, slash), low));

	return m ? (unsigned)__builtin_ctz(m) : 16;
}

/* How many of the 16 bytes at p come before the first '"' or '\\' (16 if none). */
static inline unsigned quote_run16(const void *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)p);
	unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
	    _mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));

	return m ? (unsigned)__builtin_ctz(m) : 16;
}
#else
static inline unsigned plain_run16(const void *p)
{
	const unsigned char *s = p;
	unsigned n = 0;

	while (n < 16 && s[n] >= 0x20 && s[n] < 0x80 && s[n] != '"' && s[n] != '\\')
		n++;
	return n;
}

static inline unsigned quote_run16(const void *p)
{
	const unsigned char *s = p;
	unsigned n = 0;

	while (n < 16 && s[n] != '"' && s[n] != '\\')
		n++;
	return n;
}
#endif

/* A 64-bit hash used for event identities: FNV-1a with a final avalanche. */
/* Milliseconds of CLOCK_MONOTONIC: for intervals, never for dates. */
int64_t monotonic_ms(void);

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
 * The members of the objects near the top of a JSON text (objects within
 * JINDEX_DEPTH levels, reached through members, not arrays), recorded while
 * checking it so a reader can find them without a second pass (jv.h).
 */
#define JINDEX_DEPTH 4
#define JINDEX_MAX   128
struct jmember {
	const char *key, *key_end; /* the raw key, between its quotes */
	const char *value, *value_end;
	int parent; /* the member whose value holds this one; -1 for the top level */
	int has_escape;
	int has_members; /* an object value's members are recorded too */
};
struct jindex {
	int n, is_full; /* a full index is not used: some members are missing */
	struct jmember m[JINDEX_MAX];
};
int json_check_index(const char *p, size_t n, struct jindex *index, size_t *err_at,
                     const char **why);

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
