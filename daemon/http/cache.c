/*
 * http_cache.c - a small table of recent answers, dropped when the data
 * changes, and the answers being built now: when many requests ask for the
 * same missing answer at once (the first page views after new data), one
 * builds it and the others wait for its copy instead of each running the
 * same report with its own database connection and memory.
 */
#include "cache.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../lib/util.h"

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

#define CACHE_BUILDS 64 /* more answers built at once are built without waiters */
#define BUILD_WAIT_S 10 /* a waiter gives up and builds its own after this */

static struct build {
	uint64_t hash, generation;
	char *key; /* NULL: a free slot */
} builds[CACHE_BUILDS];
static pthread_mutex_t build_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t build_done = PTHREAD_COND_INITIALIZER;

static uint64_t key_hash(const char *key)
{
	return hash64_str(key, 0x5c);
}

int http_cache_get(const char *key, uint64_t generation, struct buf *out, unsigned *status)
{
	uint64_t h = key_hash(key);
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

/* The build of key at generation under way, or NULL. Called with build_lock held. */
static struct build *find_build(const char *key, uint64_t hash, uint64_t generation)
{
	for (size_t i = 0; i < CACHE_BUILDS; i++)
		if (builds[i].key && builds[i].hash == hash && builds[i].generation == generation &&
		    strcmp(builds[i].key, key) == 0)
			return &builds[i];
	return NULL;
}

int http_cache_fetch(const char *key, uint64_t generation, struct buf *out, unsigned *status)
{
	uint64_t h = key_hash(key);
	struct timespec until;
	int found;

	if (http_cache_get(key, generation, out, status))
		return 1;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += BUILD_WAIT_S;
	pthread_mutex_lock(&build_lock);
	while (find_build(key, h, generation) != NULL)
		if (pthread_cond_timedwait(&build_done, &build_lock, &until) == ETIMEDOUT)
			break;
	/* Whoever built it kept it before leaving the list; or nobody is building it. */
	found = http_cache_get(key, generation, out, status);
	if (!found && find_build(key, h, generation) == NULL) {
		for (size_t i = 0; i < CACHE_BUILDS; i++) {
			if (builds[i].key == NULL) {
				builds[i].key = strdup(key);
				builds[i].hash = h;
				builds[i].generation = generation;
				break;
			}
		}
	}
	pthread_mutex_unlock(&build_lock);
	return found;
}

void http_cache_abandon(const char *key, uint64_t generation)
{
	struct build *b;

	pthread_mutex_lock(&build_lock);
	if ((b = find_build(key, key_hash(key), generation)) != NULL) {
		free(b->key);
		b->key = NULL;
		pthread_cond_broadcast(&build_done);
	}
	pthread_mutex_unlock(&build_lock);
}

void http_cache_put(const char *key, uint64_t generation, const char *body, size_t len,
                    unsigned status)
{
	struct entry *victim = &slots[0];
	char *k, *b;

	if (len > CACHE_MAX_ENTRY || (k = strdup(key)) == NULL) {
		http_cache_abandon(key, generation);
		return;
	}
	if ((b = malloc(len ? len : 1)) == NULL) {
		free(k);
		http_cache_abandon(key, generation);
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
	victim->hash = key_hash(key);
	victim->generation = generation;
	victim->used = __atomic_add_fetch(&clock_tick, 1, __ATOMIC_RELAXED);
	victim->key = k;
	victim->body = b;
	victim->len = len;
	victim->status = status;
	pthread_rwlock_unlock(&lock);
	http_cache_abandon(key, generation); /* built: the waiters find it now */
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
	pthread_mutex_lock(&build_lock);
	for (size_t i = 0; i < CACHE_BUILDS; i++) {
		free(builds[i].key);
		builds[i].key = NULL;
	}
	pthread_cond_broadcast(&build_done);
	pthread_mutex_unlock(&build_lock);
}
