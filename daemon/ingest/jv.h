/*
 * jv.h - reading fields straight from a JSON line that json_check accepted.
 *
 * A session log line is mostly envelope the parsers never look at. Building
 * a cJSON tree of all of it costs several times more than checking it, so the
 * hot parsers check a line once and then pick the few members they need from
 * its bytes: a value is a span, skipped without being decoded unless asked.
 * Lookups follow cJSON's rules: the first member of a name wins, and keys
 * and strings are compared after unescaping.
 */
#ifndef PAYBACK_JV_H
#define PAYBACK_JV_H

#include <stddef.h>
#include <stdint.h>

#include "../lib/arena.h"

struct jindex;

/*
 * A value: p is its first byte (NULL when absent), end the end of the line.
 * index, when set, holds the line's members and id names this value's member
 * in it (-1 the whole line), so its own members are found there.
 */
struct jv {
	const char *p, *end;
	const struct jindex *index;
	int id;
};

enum jv_type { JV_NONE, JV_NULL, JV_FALSE, JV_TRUE, JV_NUMBER, JV_STRING, JV_ARRAY, JV_OBJECT };

/* The value a checked line holds (leading spaces skipped); index may be NULL. */
struct jv jv_root(const char *line, size_t len, const struct jindex *index);
enum jv_type jv_type(struct jv v);
/* The number of bytes of the value, so it can be handed to cJSON whole. */
size_t jv_len(struct jv v);

/*
 * Looks up n member names of an object in one pass over it: out[i] is the
 * first member named keys[i], or has p == NULL (n is at most 16). Nothing is found in a value
 * that is not an object.
 */
void jv_fields(struct jv obj, const char *const *keys, size_t n, struct jv *out);

/* Walks the elements of an array or the member values of an object. */
struct jv_iter {
	const char *p, *end;
	int is_object;
};
/* 0 when v is an array or object; -1 otherwise (and jv_next finds nothing). */
int jv_iter(struct jv v, struct jv_iter *it);
int jv_next(struct jv_iter *it, struct jv *elem);

/* Whether v is a string equal to s, compared without copying when it can be. */
int jv_is(struct jv v, const char *s);
/* The unescaped string in a, NUL-terminated; NULL when v is not a string. */
const char *jv_str(struct jv v, struct arena *a);
/* 0 with *out = 0 when absent or null, -1 when not an integer from 0 to 9e15. */
int jv_uint(struct jv v, int64_t *out);
/* 0 with the value when v is a number; -1 otherwise. */
int jv_number(struct jv v, double *out);

#endif
