/* latest.c - a direct-mapped table of each session's latest request. */
#include "latest.h"

#include <stdlib.h>
#include <string.h>

#define LATEST_SLOTS 8192 /* a power of two; a collision forgets an entry */

struct slot {
	int64_t key, ts_ms, uid;
	int is_used;
};

struct latest {
	struct slot slots[LATEST_SLOTS];
};

static struct slot *slot_of(const struct latest *l, int64_t key)
{
	uint64_t h = (uint64_t)key * 0x9e3779b97f4a7c15ULL;

	return (struct slot *)&l->slots[(h >> 40) & (LATEST_SLOTS - 1)];
}

struct latest *latest_new(void)
{
	return calloc(1, sizeof(struct latest));
}

void latest_free(struct latest *l)
{
	free(l);
}

void latest_clear(struct latest *l)
{
	memset(l, 0, sizeof(*l));
}

int latest_get(const struct latest *l, int64_t key, int64_t *ts_ms, int64_t *uid)
{
	const struct slot *s = slot_of(l, key);

	if (!s->is_used || s->key != key)
		return 0;
	*ts_ms = s->ts_ms;
	*uid = s->uid;
	return 1;
}

void latest_put(struct latest *l, int64_t key, int64_t ts_ms, int64_t uid)
{
	struct slot *s = slot_of(l, key);

	s->key = key;
	s->ts_ms = ts_ms;
	s->uid = uid;
	s->is_used = 1;
}
