/* batch.c - the growable arrays a parser fills. */
#include "event.h"

#include <stdlib.h>
#include <string.h>

static void *grow(void *arr, size_t *cap, size_t n, size_t size)
{
	void *p;
	size_t c;

	if (n < *cap)
		return arr;
	c = *cap ? *cap * 2 : 256;
	p = realloc(arr, c * size);
	if (p == NULL)
		return NULL;
	*cap = c;
	return p;
}

#define BATCH_ADD(fn, type, arr, n, cap)                                                           \
	type *fn(struct batch *b)                                                                  \
	{                                                                                          \
		type *p = grow(b->arr, &b->cap, b->n, sizeof(type));                               \
		if (p == NULL)                                                                     \
			return NULL;                                                               \
		b->arr = p;                                                                        \
		memset(&p[b->n], 0, sizeof(type));                                                 \
		return &p[b->n++];                                                                 \
	}

BATCH_ADD(batch_add_event, struct event, events, n_events, cap_events)
BATCH_ADD(batch_add_edit, struct edit, edits, n_edits, cap_edits)
BATCH_ADD(batch_add_decision, struct decision, decisions, n_decisions, cap_decisions)
BATCH_ADD(batch_add_reject, struct reject, rejects, n_rejects, cap_rejects)
BATCH_ADD(batch_add_limit, struct limit_hit, limits, n_limits, cap_limits)

void batch_reset(struct batch *b)
{
	b->n_events = b->n_edits = b->n_decisions = b->n_rejects = b->n_limits = 0;
	arena_reset(&b->mem);
}

void batch_free(struct batch *b)
{
	free(b->events);
	free(b->edits);
	free(b->decisions);
	free(b->rejects);
	free(b->limits);
	arena_free(&b->mem);
	memset(b, 0, sizeof(*b));
}
