/*
 * writer.c - the thread that stores POSTed batches, a group at a time.
 *
 * Each poster queues its batch on its own stack and waits: a 200 means the
 * events are on disk. The thread takes every batch queued meanwhile into
 * one transaction, and writes the rollup it kept back when idle or when a
 * reader asks for an answer.
 */
#include "writer.h"

#include <errno.h>
#include <microhttpd.h>
#include <string.h>
#include <time.h>

#include "../ingest/event.h"
#include "../lib/log.h"
#include "../store/store.h"

#define MAX_WAITING_WRITERS 32  /* requests queued for the writer before 503 */
#define IDLE_SYNC_MS        100 /* no batch for this long: the writer writes the rollup */
#define WRITER_WAIT_S       10  /* how long one waits before 503 */

#define PENDING_BUSY (-2)

/* A POSTed batch waiting for the writer thread, on its poster's stack. */
struct http_pending {
	const char *stream;
	int64_t bytes, lines;
	struct batch *b;
	struct store_counts *counts;
	int (*also)(struct store *st, void *arg);
	void *arg;
	enum { PENDING_QUEUED, PENDING_TAKEN, PENDING_DONE } state;
	int rc; /* 0 stored, -1 failed, PENDING_BUSY when the database stayed locked */
	struct http_pending *next;
};

/* One batch into the open transaction: its stream's offsets, events, extras. */
static int write_one(struct store *st, struct http_pending *p)
{
	int64_t id, base;

	if (store_stream_open(st, p->stream, "native", &id, &base) < 0)
		return -1;
	/* Offsets within the request become offsets within the stream. */
	for (size_t i = 0; i < p->b->n_events; i++)
		p->b->events[i].offset += base;
	for (size_t i = 0; i < p->b->n_rejects; i++)
		p->b->rejects[i].offset += base;
	if (store_add_batch(st, id, p->b, p->counts) < 0 || (p->also && p->also(st, p->arg) < 0) ||
	    store_stream_add(st, id, p->bytes, p->lines, p->counts) < 0) {
		for (size_t i = 0; i < p->b->n_events; i++)
			p->b->events[i].offset -= base;
		for (size_t i = 0; i < p->b->n_rejects; i++)
			p->b->rejects[i].offset -= base;
		return -1;
	}
	return 0;
}

/*
 * Group commit: every batch that queued up while the last transaction was
 * written goes into the next one. A busy API then commits many requests'
 * events at once, and the pages they share (the uid index above all) are
 * written once. Should the group fail, each batch is tried on its own, so
 * one request's failure is not another's; unless another process held the
 * lock past the busy timeout, which would only make each wait again.
 */
static void write_group(struct http_writer *w, struct http_pending *list)
{
	struct store *st = w->store;
	struct http_pending *p;
	int rc = store_begin(st);

	for (p = list; p && rc == 0; p = p->next)
		rc = write_one(st, p);
	/* The rollup may wait: the writer writes it when idle, and readers ask for it. */
	if (rc == 0 && store_commit_more(st) == 0) {
		for (p = list; p; p = p->next)
			p->rc = 0;
		return;
	}
	if (store_is_busy(st)) {
		log_warn("ingest API: %s; the batches are answered 503", store_errmsg(st));
		store_rollback(st);
		for (p = list; p; p = p->next) {
			memset(p->counts, 0, sizeof(*p->counts));
			p->rc = PENDING_BUSY;
		}
		return;
	}
	store_rollback(st);
	for (p = list; p; p = p->next) {
		memset(p->counts, 0, sizeof(*p->counts));
		p->rc =
		    store_begin(st) == 0 && write_one(st, p) == 0 && store_commit(st) == 0 ? 0 : -1;
		if (p->rc < 0) {
			store_rollback(st);
			memset(p->counts, 0, sizeof(*p->counts));
			log_err("ingest API: %s", store_errmsg(st));
		}
	}
}

/* Writes the rollup the writer kept back, if it did; holds writer_lock meanwhile. */
static void sync_rollup(struct http_writer *w)
{
	if (!atomic_load(&w->is_rollup_behind))
		return;
	pthread_mutex_lock(w->lock);
	if (atomic_load(&w->is_rollup_behind)) {
		if (store_rollup_sync(w->store) < 0) {
			log_err("rollup: %s", store_errmsg(w->store));
		} else {
			atomic_store(&w->is_rollup_behind, 0);
			w->generation++;
		}
	}
	pthread_mutex_unlock(w->lock);
}

/*
 * Read before the flag: the writer sets the flag before it bumps the
 * generation, so an answer built from a rollup that lacks events is kept
 * under a generation that is gone already.
 */
unsigned long long http_writer_generation(struct http_writer *w)
{
	unsigned long long generation = w->generation;

	if (w->store == NULL || !atomic_load(&w->is_rollup_behind))
		return generation;
	sync_rollup(w);
	return w->generation;
}

/* Waits up to ms for a batch or a stop, queue_lock held; 0 once the time is up. */
static int wait_ready(struct http_writer *w, long ms)
{
	struct timespec until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += ms % 1000 * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	while (w->queue_head == NULL && !w->is_stopping)
		if (pthread_cond_timedwait(&w->queue_ready, &w->queue_lock, &until) == ETIMEDOUT)
			return 0;
	return 1;
}

static void *writer_main(void *arg)
{
	struct http_writer *w = arg;

	pthread_mutex_lock(&w->queue_lock);
	for (;;) {
		struct http_pending *list, *p;
		int is_any_stored = 0;

		if (w->queue_head == NULL && atomic_load(&w->is_rollup_behind) && !w->is_stopping &&
		    wait_ready(w, IDLE_SYNC_MS) == 0 && w->queue_head == NULL) {
			/* Idle for a moment: the rollup catches up before the writer sleeps. */
			pthread_mutex_unlock(&w->queue_lock);
			sync_rollup(w);
			pthread_mutex_lock(&w->queue_lock);
			continue;
		}
		while (w->queue_head == NULL && !w->is_stopping)
			pthread_cond_wait(&w->queue_ready, &w->queue_lock);
		if (w->queue_head == NULL)
			break;
		list = w->queue_head;
		w->queue_head = w->queue_tail = NULL;
		w->queued = 0;
		for (p = list; p; p = p->next)
			p->state = PENDING_TAKEN;
		pthread_mutex_unlock(&w->queue_lock);
		pthread_mutex_lock(w->lock);
		write_group(w, list);
		atomic_store(&w->is_rollup_behind, store_rollup_is_behind(w->store));
		pthread_mutex_unlock(w->lock);
		for (p = list; p; p = p->next)
			is_any_stored |= p->rc == 0;
		if (is_any_stored)
			http_writer_changed(w);
		pthread_mutex_lock(&w->queue_lock);
		for (p = list; p; p = p->next)
			p->state = PENDING_DONE;
		pthread_cond_broadcast(&w->queue_done);
	}
	pthread_mutex_unlock(&w->queue_lock);
	return NULL;
}

void http_writer_changed(struct http_writer *w)
{
	w->generation++;
}

int http_writer_start(struct http_writer *w, struct store *store, pthread_mutex_t *lock)
{
	pthread_condattr_t monotonic;

	w->store = store;
	w->lock = lock;
	pthread_mutex_init(&w->queue_lock, NULL);
	pthread_condattr_init(&monotonic);
	pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
	pthread_cond_init(&w->queue_ready, &monotonic);
	pthread_condattr_destroy(&monotonic);
	pthread_cond_init(&w->queue_done, NULL);
	if (w->store == NULL)
		return 0;
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0)
		return -1;
	w->has_thread = 1;
	return 0;
}

void http_writer_stop(struct http_writer *w)
{
	pthread_mutex_lock(&w->queue_lock);
	w->is_stopping = 1;
	pthread_cond_signal(&w->queue_ready);
	pthread_mutex_unlock(&w->queue_lock);
	if (w->has_thread)
		pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->queue_ready);
	pthread_cond_destroy(&w->queue_done);
	pthread_mutex_destroy(&w->queue_lock);
}

/* Takes p out of the queue it is still waiting in. */
static void unqueue(struct http_writer *w, struct http_pending *p)
{
	struct http_pending **at = &w->queue_head, *prev = NULL;

	while (*at && *at != p) {
		prev = *at;
		at = &(*at)->next;
	}
	if (*at == NULL)
		return;
	*at = p->next;
	if (w->queue_tail == p)
		w->queue_tail = prev;
	w->queued--;
}

int http_writer_store(struct http_writer *w, const char *stream, int64_t bytes, int64_t lines,
                      struct batch *b, struct store_counts *counts,
                      int (*also)(struct store *st, void *arg), void *arg, unsigned *status,
                      const char **why)
{
	struct http_pending p = {stream, bytes, lines,          b,  counts,
	                         also,   arg,   PENDING_QUEUED, -1, NULL};
	struct timespec until;

	memset(counts, 0, sizeof(*counts));
	pthread_mutex_lock(&w->queue_lock);
	if (!w->has_thread || w->is_stopping || w->queued >= MAX_WAITING_WRITERS) {
		pthread_mutex_unlock(&w->queue_lock);
		*status = w->has_thread && !w->is_stopping ? MHD_HTTP_TOO_MANY_REQUESTS
		                                           : MHD_HTTP_SERVICE_UNAVAILABLE;
		*why = *status == MHD_HTTP_TOO_MANY_REQUESTS
		           ? "too many requests are waiting to be stored; retry later"
		           : "events cannot be stored now; retry later";
		return -1;
	}
	/* p lives on this stack while queued: this function returns only once the
	 * writer is done with it or it has been taken out of the queue again. */
	if (w->queue_tail)
		w->queue_tail->next = &p; // cppcheck-suppress autoVariables
	else
		w->queue_head = &p; // cppcheck-suppress autoVariables
	w->queue_tail = &p;         // cppcheck-suppress autoVariables
	w->queued++;
	pthread_cond_signal(&w->queue_ready);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += WRITER_WAIT_S;
	/* Once the writer has taken it, the batch is in use: wait for the end whatever the time. */
	while (p.state != PENDING_DONE) {
		if (pthread_cond_timedwait(&w->queue_done, &w->queue_lock, &until) == ETIMEDOUT &&
		    p.state == PENDING_QUEUED) {
			unqueue(w, &p);
			pthread_mutex_unlock(&w->queue_lock);
			*status = MHD_HTTP_SERVICE_UNAVAILABLE;
			*why = "the database is busy; retry later";
			return -1;
		}
	}
	pthread_mutex_unlock(&w->queue_lock);
	if (p.rc == PENDING_BUSY) {
		*status = MHD_HTTP_SERVICE_UNAVAILABLE;
		*why = "the database is busy; retry later";
		return -1;
	}
	if (p.rc < 0) {
		memset(counts, 0, sizeof(*counts));
		*status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		*why = "the events could not be stored; see the daemon's log";
		return -1;
	}
	return 0;
}
