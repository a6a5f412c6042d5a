/*
 * ingest_api.c - POST /api/v1/events: native events over HTTP.
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

#include "../lib/arena.h"
#include "body.h"
#include "ingest_api.h"
#include "../ingest/parser.h"
#include "../lib/log.h"
#include "../store/store.h"
#include "../lib/util.h"

#define MAX_LISTED_ERRORS 100

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

enum MHD_Result http_ingest_events(struct http_server *s, struct MHD_Connection *c,
                                   const struct http_call *call)
{
	const char *sender = call->sender;
	const struct buf *body = call->body;
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
	text = http_body(c, body, (size_t)s->cfg->max_body_bytes, &inflated, &why);
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
	if (http_writer_store(&s->writer, stream.data, (int64_t)body->len, items, &b, &counts, NULL,
	                      NULL, &status, &why) < 0) {
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
