/*
 * yamldoc.c - builds a small tree from libyaml's event stream. Positions are
 * kept on every node so configuration errors can name file:line:col.
 * Anchors and aliases are refused: a configuration file has no use for them
 * and they make "billion laughs" expansions possible.
 */
#include "yamldoc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct yctx {
	yaml_parser_t parser;
	const char *path;
	char *err;
	size_t errlen;
	int depth;
};

static struct ynode *node_new(enum ynode_type type, const yaml_mark_t *mark)
{
	struct ynode *n = calloc(1, sizeof(*n));

	if (n) {
		n->type = type;
		n->line = (int)mark->line + 1;
		n->col = (int)mark->column + 1;
	}
	return n;
}

void ydoc_free(struct ynode *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->n; i++) {
		ydoc_free(n->items[i]);
		if (n->keys)
			ydoc_free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->scalar);
	free(n);
}

static int add_child(struct ynode *parent, struct ynode *key, struct ynode *val)
{
	struct ynode **items = realloc(parent->items, (parent->n + 1) * sizeof(struct ynode *));

	if (items == NULL)
		return -1;
	parent->items = items;
	if (parent->type == YNODE_MAP) {
		struct ynode **keys =
		    realloc(parent->keys, (parent->n + 1) * sizeof(struct ynode *));

		if (keys == NULL)
			return -1;
		parent->keys = keys;
		keys[parent->n] = key;
	}
	items[parent->n++] = val;
	return 0;
}

static void set_err(struct yctx *y, const yaml_mark_t *m, const char *what)
{
	snprintf(y->err, y->errlen, "%s:%zu:%zu: %s", y->path, m->line + 1, m->column + 1, what);
}

/* libyaml's problem, with its context ("while scanning a quoted scalar"). */
static void syntax_err(struct yctx *y)
{
	char what[256];

	snprintf(what, sizeof(what), "%s%s%s",
	         y->parser.problem ? y->parser.problem : "YAML syntax error",
	         y->parser.context ? " " : "", y->parser.context ? y->parser.context : "");
	set_err(y, &y->parser.problem_mark, what);
}

static struct ynode *parse_node(struct yctx *y, yaml_event_t *ev);

/* Parses the children of a sequence or mapping until its end event. */
static int parse_children(struct yctx *y, struct ynode *parent, yaml_event_type_t end)
{
	for (;;) {
		yaml_event_t ev;
		struct ynode *key = NULL, *val;

		if (!yaml_parser_parse(&y->parser, &ev)) {
			syntax_err(y);
			return -1;
		}
		if (ev.type == end) {
			yaml_event_delete(&ev);
			return 0;
		}
		if (parent->type == YNODE_MAP) {
			key = parse_node(y, &ev);
			if (key == NULL)
				return -1;
			if (key->type != YNODE_SCALAR) {
				snprintf(y->err, y->errlen, "%s:%d:%d: a key must be a plain name",
				         y->path, key->line, key->col);
				ydoc_free(key);
				return -1;
			}
			for (size_t i = 0; i < parent->n; i++)
				if (strcmp(parent->keys[i]->scalar, key->scalar) == 0) {
					snprintf(y->err, y->errlen,
					         "%s:%d:%d: duplicate key '%s' (first at line %d)",
					         y->path, key->line, key->col, key->scalar,
					         parent->keys[i]->line);
					ydoc_free(key);
					return -1;
				}
			if (!yaml_parser_parse(&y->parser, &ev)) {
				syntax_err(y);
				ydoc_free(key);
				return -1;
			}
		}
		val = parse_node(y, &ev);
		if (val == NULL || add_child(parent, key, val) < 0) {
			ydoc_free(key);
			ydoc_free(val);
			return -1;
		}
	}
}

/* Takes ownership of ev. */
static struct ynode *parse_node(struct yctx *y, yaml_event_t *ev)
{
	struct ynode *n = NULL;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = node_new(YNODE_SCALAR, &ev->start_mark);
		if (n) {
			n->scalar =
			    strndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
			n->is_plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			if (n->scalar == NULL || strlen(n->scalar) != ev->data.scalar.length) {
				set_err(y, &ev->start_mark, "NUL byte in a value");
				ydoc_free(n);
				n = NULL;
			}
		}
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (++y->depth > 64) {
			set_err(y, &ev->start_mark, "nesting too deep");
			break;
		}
		n = node_new(ev->type == YAML_SEQUENCE_START_EVENT ? YNODE_SEQ : YNODE_MAP,
		             &ev->start_mark);
		if (n && parse_children(y, n,
		                        ev->type == YAML_SEQUENCE_START_EVENT
		                            ? YAML_SEQUENCE_END_EVENT
		                            : YAML_MAPPING_END_EVENT) < 0) {
			ydoc_free(n);
			n = NULL;
		}
		y->depth--;
		break;
	case YAML_ALIAS_EVENT:
		set_err(y, &ev->start_mark, "aliases (*name) are not supported");
		break;
	default:
		set_err(y, &ev->start_mark, "unexpected YAML structure");
		break;
	}
	if (n && ev->type == YAML_SCALAR_EVENT && ev->data.scalar.anchor) {
		set_err(y, &ev->start_mark, "anchors (&name) are not supported");
		ydoc_free(n);
		n = NULL;
	}
	yaml_event_delete(ev);
	return n;
}

struct ynode *ydoc_load(const char *path, const char *text, char *err, size_t errlen)
{
	struct yctx y;
	struct ynode *root = NULL;
	yaml_event_t ev;
	FILE *fp = NULL;
	int done = 0;

	memset(&y, 0, sizeof(y));
	err[0] = '\0';
	y.path = path;
	y.err = err;
	y.errlen = errlen;
	if (!yaml_parser_initialize(&y.parser)) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	if (text) {
		yaml_parser_set_input_string(&y.parser, (const unsigned char *)text, strlen(text));
	} else {
		fp = fopen(path, "rb");
		if (fp == NULL) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			yaml_parser_delete(&y.parser);
			return NULL;
		}
		yaml_parser_set_input_file(&y.parser, fp);
	}
	while (!done) {
		if (!yaml_parser_parse(&y.parser, &ev)) {
			syntax_err(&y);
			ydoc_free(root);
			root = NULL;
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			yaml_event_delete(&ev);
			break;
		case YAML_DOCUMENT_START_EVENT:
			yaml_event_delete(&ev);
			if (root) {
				snprintf(err, errlen, "%s: only one YAML document is allowed",
				         path);
				ydoc_free(root);
				root = NULL;
				done = 1;
			}
			break;
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			done = 1;
			if (root == NULL && err[0] == '\0') {
				yaml_mark_t m = {0, 0, 0};

				root = node_new(YNODE_MAP, &m);
			}
			break;
		default:
			ydoc_free(root); /* a document has one root; never more */
			root = parse_node(&y, &ev);
			if (root == NULL)
				done = 1;
			break;
		}
	}
	yaml_parser_delete(&y.parser);
	if (fp)
		fclose(fp);
	return root;
}

struct ynode *ydoc_get(const struct ynode *map, const char *key)
{
	if (map == NULL || map->type != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->scalar, key) == 0)
			return map->items[i];
	return NULL;
}

int ydoc_is_null(const struct ynode *n)
{
	return n == NULL || (n->type == YNODE_SCALAR && n->is_plain &&
	                     (n->scalar[0] == '\0' || strcmp(n->scalar, "~") == 0 ||
	                      strcmp(n->scalar, "null") == 0));
}
