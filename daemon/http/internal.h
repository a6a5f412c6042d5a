/*
 * http_internal.h - what the parts of the HTTP server share: the server, a
 * request's state, and the helpers that answer.
 */
#ifndef PAYBACK_HTTP_INTERNAL_H
#define PAYBACK_HTTP_INTERNAL_H

#include <microhttpd.h>
#include <pthread.h>
#include <semaphore.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <time.h>

#include "../lib/buf.h"
#include "../config/config.h"
#include "server.h"

struct http_server {
	struct MHD_Daemon *daemon;
	const struct config *cfg;
	char *db_path;
	struct store *writer;         /* for POSTed events, or NULL */
	pthread_mutex_t *writer_lock; /* held while writer is in use */
	/* POSTed batches wait here for the writer thread, which commits all that
	 * queued up in one transaction (http_ingest.c). */
	pthread_mutex_t queue_lock;
	pthread_cond_t queue_ready, queue_done;
	struct http_pending *queue_head, *queue_tail;
	int queued, is_stopping, has_writer_thread;
	pthread_t writer_thread;
	/* Bodies parsed at once: one per core; more would only hold more trees in memory. */
	sem_t parse_slots;
	/* Bytes of POST bodies held across connections, at most ingest.max_body. */
	atomic_ullong body_bytes;
	time_t started;
	int is_loopback;
	/* For /metrics: requests answered, and their time, in microseconds. */
	atomic_ullong requests, request_us;
	atomic_ullong generation;    /* bumped whenever stored data changes */
	atomic_int is_rollup_behind; /* the writer kept committed events out of the rollup */
	atomic_ullong events_received, events_rejected, otlp_records, otlp_rejected;
	/* SHA-256 of each user's last good password: crypt(3) runs once per password. */
	pthread_mutex_t verified_lock;
	unsigned char (*verified)[32];
	size_t n_verified;
};

/* Who a request comes from, once authenticated. */
struct http_user {
	const char *name; /* NULL when the dashboard is open (no users configured) */
	enum user_role role;
	const char *developer; /* for ROLE_DEVELOPER: the person they are */
};

/* An answer with the security headers every answer carries; disposition may be NULL. */
enum MHD_Result http_reply_with(struct MHD_Connection *c, unsigned status, const char *type,
                                const char *csp, const char *disposition, const char *body,
                                size_t len);
/* The same with b's text, which the answer takes over, leaving b empty: a
 * page is not copied once more for each request. */
enum MHD_Result http_reply_buf(struct MHD_Connection *c, unsigned status, const char *type,
                               const char *csp, const char *disposition, struct buf *b);
/* The same with Content-Security-Policy: default-src 'none'. */
enum MHD_Result http_reply(struct MHD_Connection *c, unsigned status, const char *type,
                           const char *body, size_t len);
/* {"error": msg} with status. */
enum MHD_Result http_reply_error(struct MHD_Connection *c, unsigned status, const char *msg);
/* A query argument, NULL when absent or empty. */
const char *http_arg(struct MHD_Connection *c, const char *key);
/*
 * The period a request asks for: from/to, or period=YYYY-MM, or last=Nd
 * (written into from_buf/to_buf). Returns 0 or -1 for a bad combination.
 */
int http_request_period(struct MHD_Connection *c, char from_buf[11], char to_buf[11],
                        const char **from, const char **to);
/*
 * The cache key of a GET: what (a page or report), the period arguments,
 * who asks, and today's date (presets such as last=7d move with it).
 */
void http_cache_key(struct MHD_Connection *c, const char *what, const struct http_user *u,
                    struct buf *key);
/*
 * The generation of the stored data for a page or report about to be built,
 * after the writer has put the events it kept out of the rollup in: every
 * answer shows every event committed before the request came.
 */
unsigned long long http_data_generation(struct http_server *s);
/* A read-only connection with the report functions, or NULL (logged). */
sqlite3 *http_open_db(struct http_server *s);

/* The dashboard: answers GET of / and the other pages; MHD_NO when url is not one. */
int http_is_page(const char *url);
enum MHD_Result http_page(struct http_server *s, struct MHD_Connection *c, const char *url,
                          const struct http_user *u);

struct batch;
struct store_counts;

/* Inflates a gzip body into out, up to max bytes; returns 0 or -1 with *why. */
int http_gunzip(const struct buf *in, size_t max, struct buf *out, const char **why);
/* The request's body, decompressed into inflated if it came gzip-encoded; NULL with *why. */
const struct buf *http_body(struct http_server *s, struct MHD_Connection *c, const struct buf *body,
                            struct buf *inflated, const char **why);
/*
 * Stores b as the next request of the stream (a source_file row) named
 * stream, and runs also (when not NULL) in the same transaction,
 * committing before it returns. Returns 0, or -1 with the status to
 * answer (429, 503, 500) and *why.
 */
int http_store_batch(struct http_server *s, const char *stream, int64_t bytes, int64_t lines,
                     struct batch *b, struct store_counts *counts,
                     int (*also)(struct store *st, void *arg), void *arg, unsigned *status,
                     const char **why);

/* Around the parsing of a POSTed body: waits for one of the parse slots. */
void http_parse_begin(struct http_server *s);
void http_parse_end(struct http_server *s);

/* Starts and stops the thread that writes POSTed batches (with o->writer only). */
int http_writer_start(struct http_server *s);
void http_writer_stop(struct http_server *s);

/* POST /api/v1/events: native NDJSON or a JSON array, maybe gzip-encoded. */
enum MHD_Result http_ingest_events(struct http_server *s, struct MHD_Connection *c,
                                   const char *sender, struct buf *body);
/* POST /v1/logs (is_logs) or /v1/metrics: OTLP/HTTP in JSON. */
enum MHD_Result http_otlp(struct http_server *s, struct MHD_Connection *c, const char *sender,
                          int is_logs, struct buf *body);

#endif
