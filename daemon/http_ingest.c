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

#include "arena.h"
#include "http_internal.h"
#include "ingest/parser.h"
#include "log.h"
#include "store.h"
#include "util.h"

#define MAX_WAITING_WRITERS 32 /* requests queued for the writer before 503 */
#define WRITER_WAIT_S       10 /* how long one waits before 503 */
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
		cJSON *root = cJSON_ParseWithLength(text, len), *item;

		if (root == NULL || !cJSON_IsArray(root)) {
			cJSON_Delete(root);
			*why = "the body starts with '[' but is not a JSON array";
			return -1;
		}
		cJSON_ArrayForEach(item, root)
		{
			char *one = cJSON_PrintUnformatted(item);

			ctx.line_no = ++n;
			ctx.offset = n;
			if (one != NULL)
				native_event(&ctx, item, one, strlen(one));
			cJSON_free(one);
		}
		cJSON_Delete(root);
		arena_free(&scratch);
		return n;
	}
	arena_cjson_use(&scratch);
	for (size_t start = 0; start < len;) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - text) : len, at;
		size_t l = end - start;
		char *line = (char *)text + start;
		const char *bad;

		n++;
		if (l && line[l - 1] == '\r')
			l--;
		if (l > 0) {
			ctx.line_no = n;
			ctx.offset = (int64_t)start;
			if (json_check(line, l, &at, &bad) < 0)
				parse_rejectf(&ctx, "%s at column %zu", bad, at + 1);
			else {
				char saved = line[l];

				line[l] = '\0';
				fmt_native.line(&ctx, line, l);
				line[l] = saved;
			}
		} else {
			n--; /* blank lines are not events */
		}
		start = end + 1;
	}
	arena_cjson_use(NULL);
	arena_free(&scratch);
	return n;
}

int http_store_batch(struct http_server *s, const char *stream, int64_t bytes, int64_t lines,
                     struct batch *b, struct store_counts *counts,
                     int (*also)(struct store *st, void *arg), void *arg, unsigned *status,
                     const char **why)
{
	struct timespec until;
	int64_t id, base;
	int rc;

	memset(counts, 0, sizeof(*counts));
	if (atomic_fetch_add(&s->writers_waiting, 1) >= MAX_WAITING_WRITERS) {
		atomic_fetch_sub(&s->writers_waiting, 1);
		*status = MHD_HTTP_TOO_MANY_REQUESTS;
		*why = "too many requests are waiting to be stored; retry later";
		return -1;
	}
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += WRITER_WAIT_S;
	rc = pthread_mutex_timedlock(s->writer_lock, &until);
	atomic_fetch_sub(&s->writers_waiting, 1);
	if (rc != 0) {
		*status = MHD_HTTP_SERVICE_UNAVAILABLE;
		*why = "the database is busy; retry later";
		return -1;
	}
	rc = -1;
	if (store_begin(s->writer) == 0 &&
	    store_stream_open(s->writer, stream, "native", &id, &base) == 0) {
		/* Offsets within the request become offsets within the stream. */
		for (size_t i = 0; i < b->n_events; i++)
			b->events[i].offset += base;
		for (size_t i = 0; i < b->n_rejects; i++)
			b->rejects[i].offset += base;
		if (store_add_batch(s->writer, id, b, counts) == 0 &&
		    (also == NULL || also(s->writer, arg) == 0) &&
		    store_stream_add(s->writer, id, bytes, lines, counts) == 0 &&
		    store_commit(s->writer) == 0)
			rc = 0;
	}
	if (rc < 0) {
		store_rollback(s->writer);
		memset(counts, 0, sizeof(*counts));
		*status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		*why = "the events could not be stored; see the daemon's log";
	}
	pthread_mutex_unlock(s->writer_lock);
	if (rc == 0)
		http_data_changed(s);
	return rc;
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
	text = http_body(s, c, body, &inflated, &why);
	if (text == NULL) {
		buf_free(&inflated);
		return http_reply_error(c, MHD_HTTP_BAD_REQUEST, why);
	}
	items = parse_events(text->data ? text->data : "", text->len, &b, &why);
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
