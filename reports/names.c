/* names.c - name id to text, each looked up once per report. */
#include "names.h"

#include <stdlib.h>
#include <string.h>

struct slot {
	int64_t id; /* 0: free */
	char *text;
};

struct name_cache {
	sqlite3_stmt *find;
	struct slot *slots;
	size_t n, cap; /* cap is a power of two */
};

struct name_cache *names_new(sqlite3 *db)
{
	struct name_cache *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	if (sqlite3_prepare_v2(db, "SELECT text FROM name WHERE id = ?1", -1, &c->find, NULL) !=
	    SQLITE_OK) {
		free(c);
		return NULL;
	}
	return c;
}

void names_free(struct name_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->cap; i++)
		free(c->slots[i].text);
	free(c->slots);
	sqlite3_finalize(c->find);
	free(c);
}

static struct slot *find_slot(struct slot *slots, size_t cap, int64_t id)
{
	size_t i = ((uint64_t)id * 0x9e3779b97f4a7c15ULL >> 20) & (cap - 1);

	while (slots[i].id && slots[i].id != id)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

const char *names_text(struct name_cache *c, int64_t id)
{
	struct slot *s;
	const unsigned char *text;

	if (id <= 0)
		return "";
	if ((c->n + 1) * 2 > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct slot *slots = calloc(cap, sizeof(*slots));

		if (slots == NULL)
			return NULL;
		for (size_t i = 0; i < c->cap; i++)
			if (c->slots[i].id)
				*find_slot(slots, cap, c->slots[i].id) = c->slots[i];
		free(c->slots);
		c->slots = slots;
		c->cap = cap;
	}
	s = find_slot(c->slots, c->cap, id);
	if (s->id)
		return s->text;
	sqlite3_bind_int64(c->find, 1, id);
	text = sqlite3_step(c->find) == SQLITE_ROW ? sqlite3_column_text(c->find, 0) : NULL;
	s->text = strdup(text ? (const char *)text : "");
	sqlite3_reset(c->find);
	if (s->text == NULL)
		return NULL;
	s->id = id;
	c->n++;
	return s->text;
}
