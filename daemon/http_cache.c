/* http_cache.c - a small table of recent answers, dropped when the data changes. */
#include "http_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define CACHE_SLOTS     64
#define CACHE_MAX_ENTRY (4u << 20) /* larger answers are built each time */

static struct entry {
	uint64_t hash, generation, used;
	char *key, *body;
	size_t len;
	unsigned status;
} slots[CACHE_SLOTS];
static uint64_t clock_tick;
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;

int http_cache_get(const char *key, uint64_t generation, struct buf *out, unsigned *status)
{
	uint64_t h = hash64_str(key, 0x5c);
	int found = 0;

	pthread_rwlock_rdlock(&lock);
	for (size_t i = 0; i < CACHE_SLOTS && !found; i++) {
		struct entry *e = &slots[i];

		if (e->key && e->hash == h && e->generation == generation &&
		    strcmp(e->key, key) == 0) {
			found = buf_append(out, e->body, e->len) == 0;
			*status = e->status;
			/* A racy write of a use mark at worst picks a less good victim. */
			__atomic_store_n(&e->used,
			                 __atomic_add_fetch(&clock_tick, 1, __ATOMIC_RELAXED),
			                 __ATOMIC_RELAXED);
		}
	}
	pthread_rwlock_unlock(&lock);
	return found;
}

void http_cache_put(const char *key, uint64_t generation, const char *body, size_t len,
                    unsigned status)
{
	struct entry *victim = &slots[0];
	char *k, *b;

	if (len > CACHE_MAX_ENTRY || (k = strdup(key)) == NULL)
		return;
	if ((b = malloc(len ? len : 1)) == NULL) {
		free(k);
		return;
	}
	memcpy(b, body, len);
	pthread_rwlock_wrlock(&lock);
	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		struct entry *e = &slots[i];

		/* The same key, an entry from older data, or the least recently used. */
		int is_free = e->key == NULL || e->generation != generation;
		int is_older =
		    victim->key && victim->generation == generation && e->used < victim->used;

		if (e->key && strcmp(e->key, key) == 0) {
			victim = e;
			break;
		}
		if (is_free || is_older)
			victim = e;
	}
	free(victim->key);
	free(victim->body);
	victim->hash = hash64_str(key, 0x5c);
	victim->generation = generation;
	victim->used = __atomic_add_fetch(&clock_tick, 1, __ATOMIC_RELAXED);
	victim->key = k;
	victim->body = b;
	victim->len = len;
	victim->status = status;
	pthread_rwlock_unlock(&lock);
}

void http_cache_clear(void)
{
	pthread_rwlock_wrlock(&lock);
	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		free(slots[i].key);
		free(slots[i].body);
		memset(&slots[i], 0, sizeof(slots[i]));
	}
	pthread_rwlock_unlock(&lock);
}
