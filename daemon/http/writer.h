/*
 * writer.h - the thread that stores POSTed batches: every batch that queued
 * up while the last transaction was written goes into the next one (group
 * commit), and each poster waits until its batch is on disk.
 */
#ifndef PAYBACK_HTTP_WRITER_H
#define PAYBACK_HTTP_WRITER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

struct batch;
struct store;
struct store_counts;
struct http_pending;

struct http_writer {
	struct store *store;   /* NULL: a read-only server */
	pthread_mutex_t *lock; /* held while store is in use, shared with file ingest */
	pthread_mutex_t queue_lock;
	pthread_cond_t queue_ready, queue_done;
	struct http_pending *queue_head, *queue_tail;
	int queued, is_stopping, has_thread;
	pthread_t thread;
	atomic_ullong generation;    /* bumped whenever stored data changes */
	atomic_int is_rollup_behind; /* committed events were kept out of the rollup */
};

/* Starts the thread when store is not NULL; 0, or -1 when it cannot. */
int http_writer_start(struct http_writer *w, struct store *store, pthread_mutex_t *lock);
/* Stops the thread once no request waits for it any more. */
void http_writer_stop(struct http_writer *w);
/*
 * Stores b as the next request of the stream (a source_file row) named
 * stream, and runs also (when not NULL) in the same transaction,
 * committing before it returns. Returns 0, or -1 with the HTTP status to
 * answer (429, 503, 500) and *why.
 */
int http_writer_store(struct http_writer *w, const char *stream, int64_t bytes, int64_t lines,
                      struct batch *b, struct store_counts *counts,
                      int (*also)(struct store *st, void *arg), void *arg, unsigned *status,
                      const char **why);
/*
 * The generation of the stored data for an answer about to be built, once
 * the rollup the writer kept back is written: every answer shows every
 * event committed before the request came.
 */
unsigned long long http_writer_generation(struct http_writer *w);
/* Stored data changed: answers kept under the old generation are stale. */
void http_writer_changed(struct http_writer *w);

#endif
