/*
 * unpriced.h - models used with no price configured or built in. Their
 * tokens cost nothing in API-equivalent or pay-as-you-go figures, so every
 * report names them, with what they left out, rather than show a silent $0.
 */
#ifndef PAYBACK_UNPRICED_H
#define PAYBACK_UNPRICED_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "../daemon/lib/buf.h"

struct config;

struct unpriced {
	char *model;
	int64_t requests, tokens;
};

struct unpriced_list {
	struct unpriced *items; /* in the order first seen */
	size_t n;
};

/* Adds requests and tokens to model's entry; -1 when out of memory. */
int unpriced_add(struct unpriced_list *l, const char *model, int64_t requests, int64_t tokens);
void unpriced_free(struct unpriced_list *l);
/* The requests of all of them. */
int64_t unpriced_requests(const struct unpriced_list *l);
/*
 * "no price for: m (12 requests, 3.4M tokens): the dollar figures leave them
 * out ..." and a newline, HTML-escaped in a <p> when is_html; nothing for none.
 */
void unpriced_sentence(const struct unpriced_list *l, int is_html, struct buf *out);
/* ", \"unpriced\": [{\"model\": ..., \"requests\": ..., \"tokens\": ...}]" */
void unpriced_json(const struct unpriced_list *l, const char *key, struct buf *out);
/* The stored models, every day, with no price in cfg; 0 or -1. */
int unpriced_stored(sqlite3 *db, const struct config *cfg, struct unpriced_list *out);

#endif
