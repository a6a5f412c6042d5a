/*
 * http_ingest.c - POST /api/v1/events: native events over HTTP.
 *
 * The body is native NDJSON (one event a line) or a JSON array of events,
 * optionally Content-Encoding: gzip. Lines are parsed before the writer is
 * taken, then stored and committed in one transaction before the answer,
 * so a 200 means the events are on disk. Bad lines are reported (400, with
 * each line's reason) while the good ones are stored; a request_id makes a
 * re-sent event count once.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <zlib.h>

#include "../lib/arena.h"
#include "internal.h"
#include "../ingest/parser.h"
#include "../lib/log.h"
#include "../store/store.h"
#include "../lib/util.h"

#define MAX_WAITING_WRITERS 32  /* requests queued for the writer before 503 */
#define IDLE_SYNC_MS        100 /* no batch for this long: the writer writes the rollup */
#define WRITER_WAIT_S       10  /* how long one waits before 503 */
#define MAX_LISTED_ERRORS   100
#define INFLATE_RATIO       20 /* a gzip body may grow to this many times max_body */

int http_gunzip(const struct buf *in, size_t max, struct buf *out, const char **why)
{
	z_stream z;
	unsigned char chunk[65536];
	int rc;

	memset(&z, 0, sizeof(z));
	out->max = max;
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		*why = "cannot start gzip decoding";
		return -1;
	}
	z.next_in = (unsigned char *)in->data;
	z.avail_in = (uInt)in->len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		rc = inflate(&z, Z_NO_FLUSH);
		if (rc != Z_OK && rc != Z_STREAM_END) {
			*why = "the body is not valid gzip";
			inflateEnd(&z);
			return -1;
		}
		if (buf_append(out, chunk, sizeof(chunk) - z.avail_out) < 0) {
			*why = "the body is too large once decompressed";
			inflateEnd(&z);
			return -1;
		}
	} while (rc != Z_STREAM_END && z.avail_in > 0);
	inflateEnd(&z);
	if (rc != Z_STREAM_END) {
		*why = "the gzip body is truncated";
		return -1;
	}
	return 0;
}

/* The body as sent, decompressed when Content-Encoding says gzip. */
const struct buf *http_body(struct http_server *s, struct MHD_Connection *c, const struct buf *body,
                            struct buf *inflated, const char **why)
{
	const char *enc = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Encoding");

	if (enc == NULL || strcasecmp(enc, "identity") == 0)
		return body;
	if (strcasecmp(enc, "gzip") != 0) {
		*why = "Content-Encoding must be gzip or identity";
		return NULL;
	}
	if (http_gunzip(body, (size_t)s->cfg->max_body_bytes * INFLATE_RATIO, inflated, why) < 0)
		return NULL;
	return inflated;
}

/* Parses NDJSON lines or a JSON array into b; returns the number of items seen. */
static int64_t parse_events(const char *text, size_t len, struct batch *b, const char **why)
{
	struct arena scratch = ARENA_INIT;
	struct parse_ctx ctx;
	int64_t n = 0;
	size_t i = 0;

	memset(&ctx, 0, sizeof(ctx));
	ctx.out = b;
	ctx.scratch = &scratch;
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
		i++;
	if (i < len && text[i] == '[') {
		/* The tree only prints each element the same way whatever its
		 * spacing: that text is the identity of an event without request_id. */
		cJSON *root = cJSON_ParseWithLength(text, len), *item;
		struct jv_iter it;
		struct jv elem;
		size_t at;
		const char *bad;

		if (root == NULL || !cJSON_IsArray(root) || json_check(text, len, &at, &bad) < 0) {
			cJSON_Delete(root);
			*why = "the body starts with '[' but is not a JSON array";
			return -1;
		}
		jv_iter(jv_root(text, len, NULL), &it);
		cJSON_ArrayForEach(item, root)
		{
			char *one = cJSON_PrintUnformatted(item);

			ctx.line_no = ++n;
			ctx.offset = n;
			arena_reset(&scratch);
			if (jv_next(&it, &elem) && one != NULL)
				native_event(&ctx, elem, one, strlen(one));
			cJSON_free(one);
		}
		cJSON_Delete(root);
		arena_free(&scratch);
		return n;
	}
	for (size_t start = 0; start < len;) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t l = end - start;
		char *line = (char *)text + start;

		n++;
		if (l && line[l - 1] == '\r')
			l--;
		if (l > 0) {
			char saved = line[l];

			ctx.line_no = n;
			ctx.offset = (int64_t)start;
			line[l] = '\0';
			fmt_native.line(&ctx, line, l); /* which checks the syntax */
			line[l] = saved;
		} else {
			n--; /* blank lines are not events */
		}
		start = end + 1;
	}
	arena_free(&scratch);
	return n;
}

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
static void write_group(struct http_server *s, struct http_pending *list)
{
	struct store *st = s->writer;
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
static void sync_rollup(struct http_server *s)
{
	if (!atomic_load(&s->is_rollup_behind))
		return;
	pthread_mutex_lock(s->writer_lock);
	if (atomic_load(&s->is_rollup_behind)) {
		if (store_rollup_sync(s->writer) < 0) {
			log_err("rollup: %s", store_errmsg(s->writer));
		} else {
			atomic_store(&s->is_rollup_behind, 0);
			s->generation++;
		}
	}
	pthread_mutex_unlock(s->writer_lock);
}

/*
 * Read before the flag: the writer sets the flag before it bumps the
 * generation, so an answer built from a rollup that lacks events is kept
 * under a generation that is gone already.
 */
unsigned long long http_data_generation(struct http_server *s)
{
	unsigned long long generation = s->generation;

	if (s->writer == NULL || !atomic_load(&s->is_rollup_behind))
		return generation;
	sync_rollup(s);
	return s->generation;
}

/* Waits up to ms for a batch or a stop, queue_lock held; 0 once the time is up. */
static int wait_ready(struct http_server *s, long ms)
{
	struct timespec until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += ms % 1000 * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	while (s->queue_head == NULL && !s->is_stopping)
		if (pthread_cond_timedwait(&s->queue_ready, &s->queue_lock, &until) == ETIMEDOUT)
			return 0;
	return 1;
}

static void *writer_main(void *arg)
{
	struct http_server *s = arg;

	pthread_mutex_lock(&s->queue_lock);
	for (;;) {
		struct http_pending *list, *p;
		int is_any_stored = 0;

		if (s->queue_head == NULL && atomic_load(&s->is_rollup_behind) && !s->is_stopping &&
		    wait_ready(s, IDLE_SYNC_MS) == 0 && s->queue_head == NULL) {
			/* Idle for a moment: the rollup catches up before the writer sleeps. */
			pthread_mutex_unlock(&s->queue_lock);
			sync_rollup(s);
			pthread_mutex_lock(&s->queue_lock);
			continue;
		}
		while (s->queue_head == NULL && !s->is_stopping)
			pthread_cond_wait(&s->queue_ready, &s->queue_lock);
		if (s->queue_head == NULL)
			break;
		list = s->queue_head;
		s->queue_head = s->queue_tail = NULL;
		s->queued = 0;
		for (p = list; p; p = p->next)
			p->state = PENDING_TAKEN;
		pthread_mutex_unlock(&s->queue_lock);
		pthread_mutex_lock(s->writer_lock);
		write_group(s, list);
		atomic_store(&s->is_rollup_behind, store_rollup_is_behind(s->writer));
		pthread_mutex_unlock(s->writer_lock);
		for (p = list; p; p = p->next)
			is_any_stored |= p->rc == 0;
		if (is_any_stored)
			http_data_changed(s);
		pthread_mutex_lock(&s->queue_lock);
		for (p = list; p; p = p->next)
			p->state = PENDING_DONE;
		pthread_cond_broadcast(&s->queue_done);
	}
	pthread_mutex_unlock(&s->queue_lock);
	return NULL;
}

int http_writer_start(struct http_server *s)
{
	pthread_condattr_t monotonic;

	pthread_mutex_init(&s->queue_lock, NULL);
	pthread_condattr_init(&monotonic);
	pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
	pthread_cond_init(&s->queue_ready, &monotonic);
	pthread_condattr_destroy(&monotonic);
	pthread_cond_init(&s->queue_done, NULL);
	if (s->writer == NULL)
		return 0;
	if (pthread_create(&s->writer_thread, NULL, writer_main, s) != 0)
		return -1;
	s->has_writer_thread = 1;
	return 0;
}

void http_writer_stop(struct http_server *s)
{
	pthread_mutex_lock(&s->queue_lock);
	s->is_stopping = 1;
	pthread_cond_signal(&s->queue_ready);
	pthread_mutex_unlock(&s->queue_lock);
	if (s->has_writer_thread)
		pthread_join(s->writer_thread, NULL);
	pthread_cond_destroy(&s->queue_ready);
	pthread_cond_destroy(&s->queue_done);
	pthread_mutex_destroy(&s->queue_lock);
}

/* Takes p out of the queue it is still waiting in. */
static void unqueue(struct http_server *s, struct http_pending *p)
{
	struct http_pending **at = &s->queue_head, *prev = NULL;

	while (*at && *at != p) {
		prev = *at;
		at = &(*at)->next;
	}
	if (*at == NULL)
		return;
	*at = p->next;
	if (s->queue_tail == p)
		s->queue_tail = prev;
	s->queued--;
}

int http_store_batch(struct http_server *s, const char *stream, int64_t bytes, int64_t lines,
                     struct batch *b, struct store_counts *counts,
                     int (*also)(struct store *st, void *arg), void *arg, unsigned *status,
                     const char **why)
{
	struct http_pending p = {stream, bytes, lines,          b,  counts,
	                         also,   arg,   PENDING_QUEUED, -1, NULL};
	struct timespec until;

	memset(counts, 0, sizeof(*counts));
	pthread_mutex_lock(&s->queue_lock);
	if (!s->has_writer_thread || s->is_stopping || s->queued >= MAX_WAITING_WRITERS) {
		pthread_mutex_unlock(&s->queue_lock);
		*status = s->has_writer_thread && !s->is_stopping ? MHD_HTTP_TOO_MANY_REQUESTS
		                                                  : MHD_HTTP_SERVICE_UNAVAILABLE;
		*why = *status == MHD_HTTP_TOO_MANY_REQUESTS
		           ? "too many requests are waiting to be stored; retry later"
		           : "events cannot be stored now; retry later";
		return -1;
	}
	/* p lives on this stack while queued: this function returns only once the
	 * writer is done with it or it has been taken out of the queue again. */
	if (s->queue_tail)
		s->queue_tail->next = &p; // cppcheck-suppress autoVariables
	else
		s->queue_head = &p; // cppcheck-suppress autoVariables
	s->queue_tail = &p;         // cppcheck-suppress autoVariables
	s->queued++;
	pthread_cond_signal(&s->queue_ready);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += WRITER_WAIT_S;
	/* Once the writer has taken it, the batch is in use: wait for the end whatever the time. */
	while (p.state != PENDING_DONE) {
		if (pthread_cond_timedwait(&s->queue_done, &s->queue_lock, &until) == ETIMEDOUT &&
		    p.state == PENDING_QUEUED) {
			unqueue(s, &p);
			pthread_mutex_unlock(&s->queue_lock);
			*status = MHD_HTTP_SERVICE_UNAVAILABLE;
			*why = "the database is busy; retry later";
			return -1;
		}
	}
	pthread_mutex_unlock(&s->queue_lock);
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

enum MHD_Result http_ingest_events(struct http_server *s, struct MHD_Connection *c,
                                   const char *sender, struct buf *body)
{
	struct buf inflated = BUF_INIT, answer = BUF_INIT, stream = BUF_INIT;
	struct batch b;
	struct store_counts counts;
	const struct buf *text;
	const char *why = NULL;
	unsigned status = MHD_HTTP_OK;
	enum MHD_Result ret;
	int64_t items;

	memset(&b, 0, sizeof(b));
	http_parse_begin(s);
	text = http_body(s, c, body, &inflated, &why);
	if (text == NULL) {
		http_parse_end(s);
		buf_free(&inflated);
		return http_reply_error(c, MHD_HTTP_BAD_REQUEST, why);
	}
	items = parse_events(text->data ? text->data : "", text->len, &b, &why);
	http_parse_end(s);
	if (items < 0) {
		ret = http_reply_error(c, MHD_HTTP_BAD_REQUEST, why);
		goto done;
	}
	buf_printf(&stream, "http:%s", sender);
	if (http_store_batch(s, stream.data, (int64_t)body->len, items, &b, &counts, NULL, NULL,
	                     &status, &why) < 0) {
		ret = http_reply_error(c, status, why);
		goto done;
	}
	s->events_received += (unsigned long long)counts.added;
	s->events_rejected += (unsigned long long)b.n_rejects;
	buf_printf(&answer, "{\"received\": %lld, \"added\": %lld, \"duplicates\": %lld",
	           (long long)items, (long long)counts.added, (long long)counts.duplicates);
	if (b.n_rejects > 0) {
		buf_printf(&answer, ", \"rejected\": %zu, \"errors\": [", b.n_rejects);
		for (size_t i = 0; i < b.n_rejects && i < MAX_LISTED_ERRORS; i++) {
			buf_printf(&answer, "%s\n  {\"line\": %lld, \"error\": ", i ? "," : "",
			           (long long)b.rejects[i].line_no);
			buf_append_json(&answer, b.rejects[i].reason);
			buf_puts(&answer, "}");
		}
		buf_puts(&answer, "]");
		status = MHD_HTTP_BAD_REQUEST;
	}
	buf_puts(&answer, "}\n");
	ret = http_reply(c, status, "application/json", answer.data, answer.len);
done:
	batch_free(&b);
	buf_free(&inflated);
	buf_free(&answer);
	buf_free(&stream);
	return ret;
}
