/* jv.c - member lookup over the bytes of a checked JSON line. */
#include "jv.h"

#include "../lib/util.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Input is valid JSON (json_check accepted the line), so nothing here checks syntax. */

static const char *ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* p is an opening quote: returns its closing quote, and whether an escape came first. */
static const char *string_end(const char *p, const char *end, int *has_escape)
{
	int escaped = 0;

	p++;
	while (p < end) {
		while (end - p >= 16) {
			unsigned run = quote_run16(p);

			p += run;
			if (run < 16)
				break;
		}
		if (p >= end)
			break;
		if (*p == '"')
			break;
		if (*p == '\\') {
			escaped = 1;
			p++;
		}
		p++;
	}
	if (has_escape)
		*has_escape = escaped;
	return p < end ? p : end;
}

static int is_scalar_byte(char c)
{
	return c != ',' && c != '}' && c != ']' && c != ' ' && c != '\t' && c != '\n' && c != '\r';
}

/* Returns the first byte after the value that starts at p. */
static const char *skip(const char *p, const char *end)
{
	size_t depth = 0;

	if (p >= end)
		return end;
	if (*p == '"')
		return string_end(p, end, NULL) + 1;
	if (*p != '{' && *p != '[') {
		while (p < end && is_scalar_byte(*p))
			p++;
		return p;
	}
	while (p < end) {
		switch (*p) {
		case '"':
			p = string_end(p, end, NULL) + 1;
			continue;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			if (--depth == 0)
				return p + 1;
			break;
		default:
			break;
		}
		p++;
	}
	return end;
}

struct jv jv_root(const char *line, size_t len, const struct jindex *index)
{
	struct jv v = {ws(line, line + len), line + len, index, -1};

	if (v.p == v.end)
		v.p = NULL;
	if (index && index->is_full)
		v.index = NULL;
	return v;
}

size_t jv_len(struct jv v)
{
	return v.p ? (size_t)(skip(v.p, v.end) - v.p) : 0;
}

enum jv_type jv_type(struct jv v)
{
	if (v.p == NULL || v.p >= v.end)
		return JV_NONE;
	switch (*v.p) {
	case '{':
		return JV_OBJECT;
	case '[':
		return JV_ARRAY;
	case '"':
		return JV_STRING;
	case 't':
		return JV_TRUE;
	case 'f':
		return JV_FALSE;
	case 'n':
		return JV_NULL;
	default:
		return *v.p == '-' || (*v.p >= '0' && *v.p <= '9') ? JV_NUMBER : JV_NONE;
	}
}

static unsigned hex4(const char *s)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		v |= (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

static char *put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | cp >> 12);
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | cp >> 18);
		*o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

/*
 * Unescapes the string body [s, e) into out, which has room for e - s bytes
 * (no escape grows). A surrogate without its pair becomes U+FFFD. Returns the
 * length written.
 */
static size_t unescape(const char *s, const char *e, char *out)
{
	char *o = out;

	while (s < e) {
		const char *bs = memchr(s, '\\', (size_t)(e - s));
		size_t plain = (size_t)((bs ? bs : e) - s);
		unsigned cp;

		memcpy(o, s, plain);
		o += plain;
		s += plain;
		if (s >= e)
			break;
		switch (s[1]) {
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'u':
			cp = hex4(s + 2);
			if (cp >= 0xd800 && cp < 0xdc00 && e - s >= 12 && s[6] == '\\' &&
			    s[7] == 'u' && hex4(s + 8) >= 0xdc00 && hex4(s + 8) < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (hex4(s + 8) - 0xdc00);
				s += 6;
			} else if (cp >= 0xd800 && cp < 0xe000) {
				cp = 0xfffd;
			}
			o = put_utf8(o, cp);
			s += 4;
			break;
		default: /* '"', '\\' and '/' stand for themselves */
			*o++ = s[1];
			break;
		}
		s += 2;
	}
	return (size_t)(o - out);
}

/* Whether the string body [s, e), which holds an escape, unescapes to the n bytes of want. */
static int escaped_equals(const char *s, const char *e, const char *want, size_t n)
{
	char stack[256], *tmp;
	size_t len = (size_t)(e - s), got;
	int is_equal;

	/* An escape is at most six bytes for one: a long body cannot be short. */
	if (len > 6 * n + 6)
		return 0;
	tmp = len <= sizeof(stack) ? stack : malloc(len);
	if (tmp == NULL)
		return 0;
	got = unescape(s, e, tmp);
	is_equal = got == n && memcmp(tmp, want, n) == 0;
	if (tmp != stack)
		free(tmp);
	return is_equal;
}

static int body_equals(const char *s, const char *e, int has_escape, const char *want, size_t n)
{
	if (has_escape)
		return escaped_equals(s, e, want, n);
	return (size_t)(e - s) == n && memcmp(s, want, n) == 0;
}

/* Whether the raw key [key, key_end) is keys[i] for some i not found yet: out gets value. */
static int match_key(const char *key, const char *key_end, int has_escape, const char *const *keys,
                     const size_t *lens, size_t n, struct jv *out, struct jv value)
{
	int found = 0;

	for (size_t i = 0; i < n; i++)
		if (out[i].p == NULL && body_equals(key, key_end, has_escape, keys[i], lens[i])) {
			out[i] = value;
			found++;
		}
	return found;
}

void jv_fields(struct jv obj, const char *const *keys, size_t n, struct jv *out)
{
	const char *p = obj.p, *end = obj.end;
	size_t left = n, lens[16];

	for (size_t i = 0; i < n; i++) {
		out[i].p = NULL;
		out[i].end = end;
		out[i].index = NULL;
		out[i].id = -1;
		lens[i] = i < ARRAY_LEN(lens) ? strlen(keys[i]) : 0;
	}
	if (jv_type(obj) != JV_OBJECT || n > ARRAY_LEN(lens))
		return;
	if (obj.index) {
		/* Members follow their object in the index, each after the last. */
		const struct jindex *x = obj.index;
		const char *stop = obj.id >= 0 ? x->m[obj.id].value_end : end;

		for (int i = obj.id + 1; i < x->n && left && x->m[i].key < stop; i++) {
			const struct jmember *m = &x->m[i];
			struct jv value = {m->value, end, m->has_members ? x : NULL, i};

			if (m->parent == obj.id)
				left -= (size_t)match_key(m->key, m->key_end, m->has_escape, keys,
				                          lens, n, out, value);
		}
		return;
	}
	p = ws(p + 1, end);
	while (p < end && *p == '"' && left) {
		int has_escape;
		const char *key = p + 1, *key_end = string_end(p, end, &has_escape);
		struct jv value = {NULL, end, NULL, -1};

		p = ws(key_end + 1, end);
		value.p = ws(p + 1, end); /* past ':' */
		left -= (size_t)match_key(key, key_end, has_escape, keys, lens, n, out, value);
		p = ws(skip(value.p, end), end);
		if (p < end && *p == ',')
			p = ws(p + 1, end);
	}
}

int jv_iter(struct jv v, struct jv_iter *it)
{
	enum jv_type t = jv_type(v);

	it->end = v.end;
	it->is_object = t == JV_OBJECT;
	it->p = t == JV_OBJECT || t == JV_ARRAY ? v.p + 1 : NULL;
	return it->p ? 0 : -1;
}

int jv_next(struct jv_iter *it, struct jv *elem)
{
	const char *p;

	if (it->p == NULL)
		return 0;
	p = ws(it->p, it->end);
	if (p >= it->end || *p == ']' || *p == '}') {
		it->p = NULL;
		return 0;
	}
	if (it->is_object) {
		p = ws(string_end(p, it->end, NULL) + 1, it->end);
		p = ws(p + 1, it->end); /* past ':' */
	}
	elem->p = p;
	elem->end = it->end;
	elem->index = NULL;
	elem->id = -1;
	p = ws(skip(p, it->end), it->end);
	if (p < it->end && *p == ',')
		p++;
	it->p = p;
	return 1;
}

int jv_is(struct jv v, const char *s)
{
	int has_escape;
	const char *body_end;

	if (jv_type(v) != JV_STRING)
		return 0;
	body_end = string_end(v.p, v.end, &has_escape);
	return body_equals(v.p + 1, body_end, has_escape, s, strlen(s));
}

const char *jv_str(struct jv v, struct arena *a)
{
	const char *body, *body_end;
	char *out;

	if (jv_type(v) != JV_STRING)
		return NULL;
	body = v.p + 1;
	body_end = string_end(v.p, v.end, NULL);
	out = arena_alloc(a, (size_t)(body_end - body) + 1);
	if (out == NULL)
		return NULL;
	out[unescape(body, body_end, out)] = '\0';
	return out;
}

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void c_locale_init(void)
{
	c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

int jv_number(struct jv v, double *out)
{
	char stack[64], *tmp, *stop;
	const char *e = v.p;
	size_t len;

	if (jv_type(v) != JV_NUMBER)
		return -1;
	while (e < v.end && is_scalar_byte(*e))
		e++;
	len = (size_t)(e - v.p);
	tmp = len < sizeof(stack) ? stack : malloc(len + 1);
	if (tmp == NULL)
		return -1;
	memcpy(tmp, v.p, len);
	tmp[len] = '\0';
	/* JSON numbers use '.', whatever the process locale says. */
	pthread_once(&c_locale_once, c_locale_init);
	*out = c_locale ? strtod_l(tmp, &stop, c_locale) : strtod(tmp, &stop);
	if (tmp != stack)
		free(tmp);
	/* 1e999 reads as infinity: no count, cost or percent is ever one. */
	return isfinite(*out) ? 0 : -1;
}

int jv_uint(struct jv v, int64_t *out)
{
	const char *p = v.p;
	int64_t x = 0;
	int digits = 0;
	double d;

	*out = 0;
	switch (jv_type(v)) {
	case JV_NONE:
	case JV_NULL:
		return 0;
	case JV_NUMBER:
		break;
	default:
		return -1;
	}
	/* Token counts are plain digits: read them without strtod. */
	while (p < v.end && *p >= '0' && *p <= '9' && digits < 16) {
		x = x * 10 + (*p++ - '0');
		digits++;
	}
	if (digits > 0 && digits <= 15 && (p == v.end || !is_scalar_byte(*p))) {
		*out = x;
		return 0;
	}
	if (jv_number(v, &d) < 0 || d < 0 || d > 9.0e15 || d != (double)(int64_t)d)
		return -1;
	*out = (int64_t)d;
	return 0;
}
