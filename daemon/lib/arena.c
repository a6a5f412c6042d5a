/* arena.c - bump allocation in linked blocks. */
#include "arena.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Blocks hold many parsed lines; larger ones come from the caller. */
#define ARENA_DEFAULT_BLOCK ((size_t)64 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->head;

	n = (n + 15) & ~(size_t)15;
	if (b == NULL || b->size - b->used < n) {
		size_t size = a->block_size ? a->block_size : ARENA_DEFAULT_BLOCK;

		if (size < n)
			size = n;
		b = malloc(sizeof(*b) + size);
		if (b == NULL)
			return NULL;
		b->size = size;
		b->used = 0;
		/* A big one-off allocation goes behind the current block so the
		 * space left in that block is not wasted. */
		if (a->head && n > (a->block_size ? a->block_size : ARENA_DEFAULT_BLOCK) / 2) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	b->used += n;
	return b->data + b->used - n;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

int arena_owns(const struct arena *a, const void *p)
{
	uintptr_t u = (uintptr_t)p;

	for (const struct arena_block *b = a->head; b; b = b->next)
		if (u >= (uintptr_t)b->data && u < (uintptr_t)(b->data + b->size))
			return 1;
	return 0;
}

void arena_reset(struct arena *a)
{
	struct arena_block *b, *next;

	if (a->head == NULL)
		return;
	/* Keep the largest standard block: the next batch will need it too. */
	for (b = a->head->next; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head->next = NULL;
	a->head->used = 0;
}

void arena_free(struct arena *a)
{
	struct arena_block *b, *next;

	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}

static _Thread_local struct arena *cjson_arena;

static void *cjson_malloc(size_t n)
{
	return cjson_arena ? arena_alloc(cjson_arena, n) : malloc(n);
}

static void cjson_free(void *p)
{
	if (cjson_arena && arena_owns(cjson_arena, p))
		return;
	free(p);
}

void arena_cjson_hooks_install(void)
{
	cJSON_Hooks hooks = {cjson_malloc, cjson_free};

	cJSON_InitHooks(&hooks);
}

void arena_cjson_use(struct arena *a)
{
	cjson_arena = a;
}
