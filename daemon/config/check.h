/*
 * check.h - what the files that read payback.yaml share: the error list and
 * the checks that report a problem at its file:line:col.
 */
#ifndef PAYBACK_CONFIG_CHECK_H
#define PAYBACK_CONFIG_CHECK_H

#include <stddef.h>

#include "../lib/buf.h"
#include "yamldoc.h"

struct config_ctx {
	const char *path;
	struct buf errors;
	int n_errors;
};

/* Records "file:line:col: problem" at node n (NULL: the file's start). */
void config_error(struct config_ctx *c, const struct ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Reports every key of map that is not in known (with a did-you-mean); 0 if none. */
int config_check_keys(struct config_ctx *c, const struct ynode *map, const char *where,
                      const char *const *known);
int config_want_type(struct config_ctx *c, const struct ynode *n, enum ynode_type t,
                     const char *what);
/* Replaces *out with the scalar of n; returns -1 (reported) if n is not a non-empty one. */
int config_take_string(struct config_ctx *c, const struct ynode *n, const char *what, char **out);
/* A number in [lo, hi); -1 (reported, with what it should be) otherwise. */
int config_take_bounded(struct config_ctx *c, const struct ynode *n, const char *what, double lo,
                        double hi, const char *should, double *out);
/* A list of names, or one name on its own. */
int config_take_list(struct config_ctx *c, const struct ynode *n, const char *what, char ***out,
                     size_t *count);
/* Makes a relative path relative to the configuration file's folder. */
void config_resolve_path(const char *config_path, char **p);

#endif
