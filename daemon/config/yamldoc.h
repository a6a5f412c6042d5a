/* yamldoc.h - a YAML document as a tree of nodes that remember their position. */
#ifndef PAYBACK_YAMLDOC_H
#define PAYBACK_YAMLDOC_H

#include <stddef.h>

enum ynode_type { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

struct ynode {
	enum ynode_type type;
	int line, col; /* 1-based, where the node starts */
	char *scalar;  /* YNODE_SCALAR */
	int is_plain;  /* an unquoted scalar: null, ~ and empty mean nothing */
	/* YNODE_SEQ: items; YNODE_MAP: keys[i] -> items[i]. */
	struct ynode **items, **keys;
	size_t n;
};

/*
 * Parses the file at path (or text, when text is not NULL, reported under
 * the name path). Returns the root, or NULL with "path:line:col: problem"
 * in err. An empty document gives an empty mapping.
 */
struct ynode *ydoc_load(const char *path, const char *text, char *err, size_t errlen);
void ydoc_free(struct ynode *n);
/* The value for key in a mapping, or NULL. */
struct ynode *ydoc_get(const struct ynode *map, const char *key);
int ydoc_is_null(const struct ynode *n);

#endif
