/* util.c - hashing, calendar arithmetic, ISO 8601 and a JSON/UTF-8 checker. */
#include "util.h"

#include <gnutls/crypto.h>

#include <string.h>
#include <time.h>
#include <unistd.h>

uint64_t hash64(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;

	while (n--) {
		h ^= *s++;
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

uint64_t hash64_str(const char *s, uint64_t seed)
{
	return hash64(s, strlen(s), seed);
}

/* Howard Hinnant's days_from_civil: exact for every proleptic Gregorian date. */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era, yy;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(int y, unsigned m)
{
	static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int parse_date(const char *s, int *y, unsigned *m, unsigned *d)
{
	int yy, mm, dd;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &yy) ||
	    digits(s + 5, 2, &mm) || digits(s + 8, 2, &dd))
		return -1;
	if (mm < 1 || mm > 12 || dd < 1 || (unsigned)dd > month_days(yy, (unsigned)mm))
		return -1;
	*y = yy;
	*m = (unsigned)mm;
	*d = (unsigned)dd;
	return 0;
}

int parse_iso8601(const char *s, int64_t *ms, const char **why)
{
	int y, mo, d, h, mi, sec, frac = 0, fdig = 0, off = 0;
	const char *p;

	*why = "timestamp is not ISO 8601 (YYYY-MM-DDThh:mm:ssZ)";
	if (strlen(s) < 19 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &sec))
		return -1;
	p = s + 19;
	if (*p == '.' || *p == ',') {
		for (p++; *p >= '0' && *p <= '9'; p++, fdig++)
			if (fdig < 3)
				frac = frac * 10 + (*p - '0');
		if (fdig == 0)
			return -1;
		for (int i = fdig; i < 3; i++)
			frac *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;

		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 ||
		    om > 59)
			return -1;
		off = (oh * 60 + om) * (*p == '+' ? 1 : -1);
		p += 6;
	} else {
		*why = "timestamp has no time zone (expected Z or +hh:mm)";
		return -1;
	}
	if (*p != '\0')
		return -1;
	*why = "impossible timestamp";
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || (unsigned)d > month_days(y, (unsigned)mo) ||
	    h > 23 || mi > 59 || sec > 60)
		return -1;
	*ms = (days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + (int64_t)h * 3600 +
	       (int64_t)mi * 60 + sec - (int64_t)off * 60) *
	          1000 +
	      frac;
	return 0;
}

/*
 * The checker is a small recursive-descent recogniser. Depth is capped so a
 * line of ten thousand '[' cannot exhaust the stack.
 */
struct jscan {
	const unsigned char *p, *end, *start;
	const char *why;
	int depth;
	struct jindex *index; /* members to record, or NULL */
	int parent;           /* member (+1) holding the container being read; 0 the root */
	int saw_escape;       /* the last string held a backslash escape */
};

/* The container being read is not one whose members are recorded. */
#define NOT_INDEXED (-1)

static void ws(struct jscan *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int fail(struct jscan *j, const char *why)
{
	j->why = why;
	return -1;
}

/* Validates one UTF-8 sequence starting at j->p (a byte >= 0x80). */
static int utf8_seq(struct jscan *j)
{
	const unsigned char *p = j->p;
	unsigned c = *p, n, cp;

	if (c >= 0xc2 && c <= 0xdf)
		n = 1, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 2, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 3, cp = c & 0x07;
	else
		return fail(j, "invalid UTF-8");
	if ((size_t)(j->end - p) <= n)
		return fail(j, "invalid UTF-8");
	for (unsigned i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return fail(j, "invalid UTF-8");
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return fail(j, "invalid UTF-8");
	j->p += n + 1;
	return 0;
}

/* Bytes a string may hold as they are: everything but '"', '\\', controls and non-ASCII. */
static const unsigned char is_plain[256] = {
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
    R16(0), R16(0), 1,      1,      0,      1,      1,      1,      1,      1,
    1,      1,      1,      1,      1,      1,      1,      1, /* 0x22 '"' */
    R16(1), R16(1), 1,      1,      1,      1,      1,      1,      1,      1,
    1,      1,      1,      1,      0,      1,      1,      1, /* 0x5c '\\' */
    R16(1), R16(1), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0),
#undef R16
};

/*
 * Eight bytes at a time, with the has-a-zero-byte trick: a test never misses
 * a byte it looks for, and a false alarm only sends the bytes through the
 * byte-at-a-time path.
 */
#define ONES8 0x0101010101010101ULL
#define HIGH8 0x8080808080808080ULL

static uint64_t load8(const void *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

/* The high bit of each byte of w that is a control or non-ASCII (and maybe of later bytes). */
static uint64_t ctl_or_high8(uint64_t w)
{
	return (w | (w - ONES8 * 0x20)) & HIGH8;
}

static int string(struct jscan *j)
{
	j->saw_escape = 0;
	j->p++; /* opening quote */
	while (j->p < j->end) {
		unsigned c;

		/* Most string bytes are plain ASCII: skip them sixteen at a time. */
		while (j->end - j->p >= 16) {
			unsigned run = plain_run16(j->p);

			j->p += run;
			if (run < 16)
				break;
		}
		c = *j->p;
		if (is_plain[c]) {
			j->p++;
			continue;
		}

		if (c == '"') {
			j->p++;
			return 0;
		}
		if (c == '\\') {
			j->saw_escape = 1;
			if (j->end - j->p < 2)
				break;
			c = j->p[1];
			if (c == 'u') {
				if (j->end - j->p < 6)
					break;
				for (int i = 2; i < 6; i++) {
					unsigned h = j->p[i];
					if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') ||
					      (h >= 'A' && h <= 'F')))
						return fail(j, "bad \\u escape");
				}
				j->p += 6;
			} else if (strchr("\"\\/bfnrt", (int)c) && c) {
				j->p += 2;
			} else {
				return fail(j, "bad escape in string");
			}
		} else if (c < 0x20) {
			return fail(j, c == 0 ? "binary data (NUL byte)"
			                      : "control character in string");
		} else if (c >= 0x80) {
			if (utf8_seq(j) < 0)
				return -1;
		} else {
			j->p++;
		}
	}
	return fail(j, "truncated JSON (unterminated string)");
}

static int number(struct jscan *j)
{
	const unsigned char *s = j->p;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (j->p < j->end && *j->p >= '1' && *j->p <= '9')
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	else
		return fail(j, "bad number");
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return fail(j, "bad number");
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return fail(j, "bad number");
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	return j->p > s ? 0 : fail(j, "bad number");
}

static int literal(struct jscan *j, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
		return fail(j, j->depth == 0 ? "not JSON" : "unexpected character");
	j->p += n;
	return 0;
}

static int value(struct jscan *j);

/* Starts a record of the member whose key was just read, or returns NOT_INDEXED. */
static int index_member(struct jscan *j, const unsigned char *key)
{
	struct jindex *x = j->index;
	struct jmember *m;

	if (x == NULL || j->parent == NOT_INDEXED || j->depth > JINDEX_DEPTH)
		return NOT_INDEXED;
	if (x->n == JINDEX_MAX) {
		x->is_full = 1;
		return NOT_INDEXED;
	}
	m = &x->m[x->n];
	m->key = (const char *)key + 1;
	m->key_end = (const char *)j->p - 1;
	m->has_escape = j->saw_escape;
	m->has_members = j->depth < JINDEX_DEPTH;
	m->parent = j->parent - 1;
	return ++x->n;
}

static int container(struct jscan *j, unsigned char close)
{
	int is_object = close == '}', parent = j->parent;

	if (++j->depth > 512)
		return fail(j, "nesting too deep");
	j->p++;
	ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return 0;
	}
	for (;;) {
		int member = NOT_INDEXED;

		ws(j);
		if (is_object) {
			const unsigned char *key = j->p;

			if (j->p >= j->end)
				break;
			if (*j->p != '"')
				return fail(j, "expected a key string");
			if (string(j) < 0)
				return -1;
			j->parent = parent;
			member = index_member(j, key);
			ws(j);
			if (j->p >= j->end)
				break;
			if (*j->p != ':')
				return fail(j, "expected ':'");
			j->p++;
			ws(j);
			if (member != NOT_INDEXED)
				j->index->m[member - 1].value = (const char *)j->p;
		}
		/* Members of what this value holds are recorded under it. */
		j->parent = member;
		if (value(j) < 0)
			return -1;
		if (member != NOT_INDEXED)
			j->index->m[member - 1].value_end = (const char *)j->p;
		ws(j);
		if (j->p >= j->end)
			break;
		if (*j->p == close) {
			j->p++;
			j->depth--;
			j->parent = parent;
			return 0;
		}
		if (*j->p != ',')
			return fail(j, "expected ',' or end of container");
		j->p++;
	}
	return fail(j, "truncated JSON");
}

static int value(struct jscan *j)
{
	ws(j);
	if (j->p >= j->end)
		return fail(j, "truncated JSON");
	switch (*j->p) {
	case '{':
		return container(j, '}');
	case '[':
		return container(j, ']');
	case '"':
		return string(j);
	case 't':
		return literal(j, "true");
	case 'f':
		return literal(j, "false");
	case 'n':
		return literal(j, "null");
	case 0:
		return fail(j, "binary data (NUL byte)");
	default:
		if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))
			return number(j);
		if (*j->p >= 0x80 || *j->p < 0x20)
			return fail(j, "binary data, not JSON");
		return fail(j, "not JSON");
	}
}

int json_check_index(const char *p, size_t n, struct jindex *index, size_t *err_at,
                     const char **why)
{
	struct jscan j = {(const unsigned char *)p,
	                  (const unsigned char *)p + n,
	                  (const unsigned char *)p,
	                  NULL,
	                  0,
	                  index,
	                  0,
	                  0};

	if (index) {
		index->n = 0;
		index->is_full = 0;
	}
	if (value(&j) == 0) {
		ws(&j);
		if (j.p == j.end)
			return 0;
		j.why = "trailing data after JSON value";
	}
	*err_at = (size_t)(j.p - j.start);
	*why = j.why;
	return -1;
}

int json_check(const char *p, size_t n, size_t *err_at, const char **why)
{
	return json_check_index(p, n, NULL, err_at, why);
}

int text_is_clean(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p, *end = s + n;

	while (s < end) {
		/* Eight ASCII bytes, none below 0x20, in a few instructions. */
		if (end - s >= 8 && ctl_or_high8(load8(s)) == 0) {
			s += 8;
			continue;
		}
		if (*s < 0x20)
			return 0;
		if (*s < 0x80) {
			s++;
			continue;
		}
		{
			struct jscan j = {s, end, s, NULL, 0, NULL, 0, 0};

			if (utf8_seq(&j) < 0)
				return 0;
			s = j.p;
		}
	}
	return 1;
}

unsigned edit_distance(const char *a, const char *b)
{
	unsigned row[64], la = (unsigned)strlen(a), lb = (unsigned)strlen(b);

	if (la >= 63 || lb >= 63)
		return 99;
	for (unsigned j = 0; j <= lb; j++)
		row[j] = j;
	for (unsigned i = 1; i <= la; i++) {
		unsigned prev = row[0], tmp;

		row[0] = i;
		for (unsigned j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = a[i - 1] == b[j - 1]
			             ? prev
			             : 1 + (prev < row[j - 1]
			                        ? (prev < row[j] ? prev : row[j])
			                        : (row[j - 1] < row[j] ? row[j - 1] : row[j]));
			prev = tmp;
		}
	}
	return row[lb];
}

void sha256(const void *p, size_t n, unsigned char out[32])
{
	/* GnuTLS is already there for libmicrohttpd's TLS; its hash is well tested. */
	gnutls_hash_fast(GNUTLS_DIG_SHA256, p, n, out);
}

int cpu_cores(int max)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > max ? max : (int)n;
}

int equal_const_time(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *x = a, *y = b;
	unsigned char diff = 0;

	for (size_t i = 0; i < n; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

int64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
