/*
 * check.c - the checks every section of payback.yaml is read through: each
 * problem is recorded as "file:line:col: problem", unknown keys with a
 * did-you-mean.
 */
#include "check.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"

void config_error(struct config_ctx *c, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;

	if (c->n_errors++ >= 20)
		return;
	buf_printf(&c->errors, "%s:%d:%d: ", c->path, n ? n->line : 1, n ? n->col : 1);
	va_start(ap, fmt);
	buf_vprintf(&c->errors, fmt, ap);
	va_end(ap);
	buf_putc(&c->errors, '\n');
}

static const char *suggest(const char *word, const char *const *known)
{
	const char *best = NULL;
	unsigned best_d = 3;

	for (; *known; known++) {
		unsigned d = edit_distance(word, *known);

		if (d < best_d || (d <= 4 && strstr(*known, word) && best == NULL)) {
			best = *known;
			best_d = d;
		}
	}
	return best;
}

/* Reports every key of map that is not in known; returns 0 if there were none. */
int config_check_keys(struct config_ctx *c, const struct ynode *map, const char *where,
                      const char *const *known)
{
	int bad = 0;

	for (size_t i = 0; i < map->n; i++) {
		const char *k = map->keys[i]->scalar, *s;
		size_t j;

		for (j = 0; known[j] && strcmp(known[j], k) != 0; j++)
			;
		if (known[j])
			continue;
		bad = -1;
		s = suggest(k, known);
		if (s)
			config_error(c, map->keys[i], "unknown key '%s'%s (did you mean '%s'?)", k,
			             where, s);
		else
			config_error(c, map->keys[i], "unknown key '%s'%s", k, where);
	}
	return bad;
}

int config_want_type(struct config_ctx *c, const struct ynode *n, enum ynode_type t,
                     const char *what)
{
	static const char *const names[] = {"a value", "a list", "a mapping"};

	if (n->type == t)
		return 0;
	config_error(c, n, "%s must be %s", what, names[t]);
	return -1;
}

/* Replaces *out with the scalar of n; returns -1 (reported) if n is not one. */
int config_take_string(struct config_ctx *c, const struct ynode *n, const char *what, char **out)
{
	if (config_want_type(c, n, YNODE_SCALAR, what) < 0)
		return -1;
	if (n->scalar[0] == '\0' || ydoc_is_null(n)) {
		config_error(c, n, "%s must not be empty", what);
		return -1;
	}
	free(*out);
	*out = strdup(n->scalar);
	return *out ? 0 : -1;
}

/* Relative paths in a file are relative to the file's folder, wherever paybackd runs. */
void config_resolve_path(const char *config_path, char **p)
{
	const char *slash = strrchr(config_path, '/');
	char *joined;
	size_t dir_len;

	if (*p == NULL || (*p)[0] == '/' || slash == NULL || strcmp(*p, ":memory:") == 0)
		return;
	dir_len = (size_t)(slash - config_path);
	joined = malloc(dir_len + strlen(*p) + 2);
	if (joined == NULL)
		return;
	memcpy(joined, config_path, dir_len);
	joined[dir_len] = '/';
	memcpy(joined + dir_len + 1, *p, strlen(*p) + 1);
	free(*p);
	*p = joined;
}

/* A number in [lo, hi); -1 (reported, with what it should be) otherwise. */
int config_take_bounded(struct config_ctx *c, const struct ynode *n, const char *what, double lo,
                        double hi, const char *should, double *out)
{
	char *end;
	double v;

	if (config_want_type(c, n, YNODE_SCALAR, what) < 0)
		return -1;
	errno = 0;
	v = strtod(n->scalar, &end);
	if (errno || end == n->scalar || *end != '\0' || !(v >= lo && v < hi)) {
		config_error(c, n, "%s must be %s, not '%s'", what, should, n->scalar);
		return -1;
	}
	*out = v;
	return 0;
}

/* A list of names, or one name on its own. */
int config_take_list(struct config_ctx *c, const struct ynode *n, const char *what, char ***out,
                     size_t *count)
{
	size_t items = n->type == YNODE_SEQ ? n->n : 1;

	*out = calloc(items, sizeof(**out));
	*count = 0;
	if (*out == NULL)
		return -1;
	if (n->type == YNODE_MAP) {
		config_error(c, n, "%s must be a list of names", what);
		return -1;
	}
	for (size_t i = 0; i < items; i++) {
		const struct ynode *v = n->type == YNODE_SEQ ? n->items[i] : n;

		if (config_take_string(c, v, what, &(*out)[*count]) == 0)
			(*count)++;
	}
	return 0;
}
