/* arena.h - bump allocation for data that dies together (a parsed batch). */
#ifndef PAYBACK_ARENA_H
#define PAYBACK_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
	size_t block_size;
};

#define ARENA_INIT                                                                                 \
	{                                                                                          \
		NULL, 0                                                                            \
	}

/* Returns 16-byte aligned memory owned by the arena, or NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
int arena_owns(const struct arena *a, const void *p);
/* Keeps the first block for reuse and frees the rest. */
void arena_reset(struct arena *a);
void arena_free(struct arena *a);

/*
 * Routes cJSON's allocations into a per-thread arena while one is set, so a
 * parsed line is dropped in one step instead of node by node. With no arena
 * set, cJSON uses malloc and free as usual.
 */
void arena_cjson_hooks_install(void);
void arena_cjson_use(struct arena *a);

#endif
