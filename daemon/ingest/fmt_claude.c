/*
 * fmt_claude.c - Claude Code session logs (~/.claude/projects/<dir>/<id>.jsonl).
 *
 * One JSON object per line. A model response is written as one "assistant"
 * line per content block, all with the same message.id and requestId:
 *
 *   {"type":"assistant","sessionId":"8f1c..","cwd":"/home/ana/src/billing",
 *    "timestamp":"2026-11-20T14:03:11.123Z","requestId":"req_01..",
 *    "message":{"id":"msg_01..","model":"claude-sonnet-4-5-20250929","content":[..],
 *    "usage":{"input_tokens":12,"cache_creation_input_tokens":2048,
 *             "cache_read_input_tokens":40110,"output_tokens":512}}}
 *
 * The same response also reappears in resumed sessions (copied lines), in a
 * subagent's own file and inside the parent's "progress" lines, and as a
 * sidechain replay under a new requestId. Anthropic's message.id names one
 * API response, so it alone is the identity: every copy counts once, and the
 * copy with the largest token total wins (streamed lines carry partial
 * output counts). Lines without a message.id fall back to requestId.
 */
#include "parser.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "../util.h"

struct claude_state {
	/* The last event of this batch, to merge the blocks of one response. */
	uint64_t last_id;
	size_t last_index;
	int has_last;
};

static const char *const declined_markers[] = {
    "doesn't want to proceed", "rejected", "declined", "denied", "was not approved",
};

static int64_t total_tokens(const struct event *e)
{
	return e->input_tokens + e->cache_read_tokens + e->cache_write_tokens + e->output_tokens;
}

static int read_usage(struct parse_ctx *ctx, const cJSON *usage, struct event *e)
{
	const cJSON *cc = cJSON_GetObjectItemCaseSensitive(usage, "cache_creation");
	int64_t v5 = 0, v1h = 0;

	if (json_uint(usage, "input_tokens", &e->input_tokens) < 0 ||
	    json_uint(usage, "cache_read_input_tokens", &e->cache_read_tokens) < 0 ||
	    json_uint(usage, "output_tokens", &e->output_tokens) < 0 ||
	    json_uint(usage, "cache_creation_input_tokens", &e->cache_write_tokens) < 0) {
		parse_reject(ctx, "usage token counts must be non-negative integers");
		return -1;
	}
	/* 5-minute and 1-hour cache writes are priced differently; their sum is
	 * the canonical cache_write_tokens when the split is present. */
	if (cJSON_IsObject(cc)) {
		if (json_uint(cc, "ephemeral_5m_input_tokens", &v5) < 0 ||
		    json_uint(cc, "ephemeral_1h_input_tokens", &v1h) < 0) {
			parse_reject(ctx,
			             "usage.cache_creation counts must be non-negative integers");
			return -1;
		}
		if (cJSON_GetObjectItemCaseSensitive(cc, "ephemeral_5m_input_tokens") ||
		    cJSON_GetObjectItemCaseSensitive(cc, "ephemeral_1h_input_tokens"))
			e->cache_write_tokens = v5 + v1h;
	}
	return 0;
}

/* Records Edit, MultiEdit and Write calls of one content array. */
static void read_edits(struct parse_ctx *ctx, const cJSON *content, uint64_t event_id)
{
	const cJSON *block;

	cJSON_ArrayForEach(block, content)
	{
		const char *type = json_str(block, "type"), *name = json_str(block, "name");
		const char *id = json_str(block, "id");
		const cJSON *in = cJSON_GetObjectItemCaseSensitive(block, "input");
		int64_t added = 0, removed = 0;
		struct edit *ed;

		if (!type || strcmp(type, "tool_use") != 0 || !name || !id || !cJSON_IsObject(in))
			continue;
		if (strcmp(name, "Edit") == 0) {
			added = count_lines(json_str(in, "new_string"));
			removed = count_lines(json_str(in, "old_string"));
		} else if (strcmp(name, "MultiEdit") == 0) {
			const cJSON *one;

			cJSON_ArrayForEach(one, cJSON_GetObjectItemCaseSensitive(in, "edits"))
			{
				added += count_lines(json_str(one, "new_string"));
				removed += count_lines(json_str(one, "old_string"));
			}
		} else if (strcmp(name, "Write") == 0) {
			added = count_lines(json_str(in, "content"));
		} else {
			continue;
		}
		ed = batch_add_edit(ctx->out);
		if (ed == NULL)
			return;
		ed->id = hash64_str(id, 0x7e);
		ed->event_id = event_id;
		ed->lines_added = added;
		ed->lines_removed = removed;
	}
}

static const char *const limit_markers[] = {
    "usage limit", "limit reached", "hit your limit", "Usage limit", "Limit reached",
};

/* Records a "usage limit reached" message of the client as a limit hit. */
static void read_limit_message(struct parse_ctx *ctx, const cJSON *line, const cJSON *outer,
                               const cJSON *msg)
{
	const cJSON *content = cJSON_GetObjectItemCaseSensitive(msg, "content"), *block;
	const char *ts = json_str(line, "timestamp"), *id = json_str(msg, "id"), *why;
	struct limit_hit *hit;
	int is_limit = 0;
	int64_t ts_ms;

	if (ts == NULL && outer)
		ts = json_str(outer, "timestamp");
	cJSON_ArrayForEach(block, content)
	{
		const char *text = json_str(block, "text");

		for (size_t i = 0; text && i < ARRAY_LEN(limit_markers) && !is_limit; i++)
			is_limit = strstr(text, limit_markers[i]) != NULL;
	}
	if (!is_limit || ts == NULL || parse_iso8601(ts, &ts_ms, &why) < 0)
		return;
	hit = batch_add_limit(ctx->out);
	if (hit == NULL)
		return;
	hit->id = id ? hash64_str(id, 0x11) : hash64_str(ts, 0x12) ^ hash64_str(ctx->path, 0x13);
	hit->ts_ms = ts_ms;
	hit->developer = ctx->developer;
	hit->tool = ctx->tool ? ctx->tool : "claude-code";
}

static const char *str_or(const cJSON *line, const cJSON *outer, const char *key)
{
	const char *s = json_str(line, key);

	return s ? s : json_str(outer, key);
}

/* line is an assistant line; outer, for a nested copy, the progress line around it. */
static void read_assistant(struct parse_ctx *ctx, const cJSON *line, const cJSON *outer)
{
	struct claude_state *st = ctx->state;
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(line, "message");
	const cJSON *usage, *cost, *api_err;
	const char *model, *ts, *msg_id, *req_id, *why;
	struct event ev, *e;

	if (!cJSON_IsObject(msg)) {
		parse_reject(ctx, "assistant line without a message object");
		return;
	}
	model = json_str(msg, "model");
	api_err = cJSON_GetObjectItemCaseSensitive(line, "isApiErrorMessage");
	/* <synthetic> messages are made by the client itself (errors, limits):
	 * not requests, but a usage-limit message tells how a seat is sized. */
	if ((model && strcmp(model, "<synthetic>") == 0) || cJSON_IsTrue(api_err)) {
		read_limit_message(ctx, line, outer, msg);
		return;
	}
	if (model == NULL) {
		parse_reject(ctx, "assistant message without a model");
		return;
	}
	usage = cJSON_GetObjectItemCaseSensitive(msg, "usage");
	if (!cJSON_IsObject(usage)) {
		parse_reject(ctx, "assistant message without usage");
		return;
	}
	ts = str_or(line, outer, "timestamp");
	memset(&ev, 0, sizeof(ev));
	if (ts == NULL) {
		parse_reject(ctx, "missing timestamp");
		return;
	}
	if (parse_iso8601(ts, &ev.ts_ms, &why) < 0) {
		parse_rejectf(ctx, "%s: '%.40s'", why, ts);
		return;
	}
	if (read_usage(ctx, usage, &ev) < 0)
		return;

	msg_id = json_str(msg, "id");
	req_id = str_or(line, outer, "requestId");
	if (msg_id)
		ev.id = hash64_str(msg_id, 0xc1);
	else if (req_id)
		ev.id = hash64_str(req_id, 0xc2);
	else
		ev.id = hash64(&ev, sizeof(ev), 0xc3) ^ hash64_str(ts, 0xc3);

	if (st->has_last && st->last_id == ev.id && st->last_index < ctx->out->n_events) {
		e = &ctx->out->events[st->last_index];
		if (total_tokens(&ev) > total_tokens(e)) {
			e->input_tokens = ev.input_tokens;
			e->cache_read_tokens = ev.cache_read_tokens;
			e->cache_write_tokens = ev.cache_write_tokens;
			e->output_tokens = ev.output_tokens;
		}
	} else {
		e = batch_add_event(ctx->out);
		if (e == NULL)
			return;
		*e = ev;
		e->offset = ctx->offset;
		e->developer = ctx->developer;
		e->tool = ctx->tool ? ctx->tool : "claude-code";
		e->model = parse_strdup(ctx, model);
		e->session = parse_strdup(ctx, str_or(line, outer, "sessionId"));
		e->project = parse_basename(ctx, str_or(line, outer, "cwd"));
		e->latency_ms = -1;
		e->plan_used_pct = -1;
		cost = cJSON_GetObjectItemCaseSensitive(line, "costUSD");
		if (cJSON_IsNumber(cost) && cost->valuedouble >= 0) {
			e->cost_usd = cost->valuedouble;
			e->has_cost = 1;
		}
		st->has_last = 1;
		st->last_id = ev.id;
		st->last_index = ctx->out->n_events - 1;
	}
	read_edits(ctx, cJSON_GetObjectItemCaseSensitive(msg, "content"), ev.id);
}

static int is_declined(const cJSON *result)
{
	const cJSON *content = cJSON_GetObjectItemCaseSensitive(result, "content"), *part;
	const char *text = cJSON_IsString(content) ? content->valuestring : NULL;

	if (text == NULL) {
		cJSON_ArrayForEach(part, content)
		{
			text = json_str(part, "text");
			if (text)
				break;
		}
	}
	for (size_t i = 0; text && i < ARRAY_LEN(declined_markers); i++)
		if (strstr(text, declined_markers[i]))
			return 1;
	return 0;
}

/* A user line answers tool calls; a failed edit the user declined is recorded. */
static void read_user(struct parse_ctx *ctx, const cJSON *line)
{
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(line, "message"), *block;

	cJSON_ArrayForEach(block, cJSON_GetObjectItemCaseSensitive(msg, "content"))
	{
		const char *type = json_str(block, "type"), *id = json_str(block, "tool_use_id");
		struct decision *d;

		if (!type || strcmp(type, "tool_result") != 0 || !id ||
		    !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(block, "is_error")) ||
		    !is_declined(block))
			continue;
		d = batch_add_decision(ctx->out);
		if (d == NULL)
			return;
		d->edit_id = hash64_str(id, 0x7e);
		d->is_declined = 1;
	}
}

/* Most bytes of a session log are prompts, tool output and file snapshots
 * that hold no usage: only lines that can matter are parsed into a tree. */
/* Some "is_error" key is true (JSON spaces allowed): a tool result that may be a decline. */
static int has_error_result(const char *line, size_t len)
{
	static const char key[] = "\"is_error\":";
	const char *p = line, *end = line + len;

	while ((p = memmem(p, (size_t)(end - p), key, sizeof(key) - 1)) != NULL) {
		p += sizeof(key) - 1;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p >= 4 && memcmp(p, "true", 4) == 0)
			return 1;
	}
	return 0;
}

/* Each test scans a whole line that fails it: two, as most lines are not wanted
 * ones. A progress line's agent_progress holds an assistant message, so
 * "assistant" finds it too. */
static int claude_wants(const char *line, size_t len)
{
	return HAS(line, len, "\"assistant\"") || has_error_result(line, len);
}

static void claude_line(struct parse_ctx *ctx, const char *line, size_t len)
{
	const char *type;
	cJSON *root = parse_json(ctx, line, len);

	if (root == NULL)
		return;
	type = json_str(root, "type");
	if (type == NULL) {
		parse_reject(ctx, "missing field 'type'");
	} else if (strcmp(type, "assistant") == 0) {
		read_assistant(ctx, root, NULL);
	} else if (strcmp(type, "user") == 0) {
		read_user(ctx, root);
	} else if (strcmp(type, "progress") == 0) {
		const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
		const char *dtype = json_str(data, "type");
		const cJSON *inner = cJSON_GetObjectItemCaseSensitive(data, "message");
		const char *itype = json_str(inner, "type");

		if (dtype && strcmp(dtype, "agent_progress") == 0 && cJSON_IsObject(inner) &&
		    itype && strcmp(itype, "assistant") == 0)
			read_assistant(ctx, inner, root);
	}
}

static void claude_flush(struct parse_ctx *ctx)
{
	struct claude_state *st = ctx->state;

	st->has_last = 0;
}

static void claude_save(const void *state, struct buf *out)
{
	(void)state;
	buf_reset(out);
}

static void claude_load(void *state, const char *text)
{
	(void)text;
	memset(state, 0, sizeof(struct claude_state));
}

const struct format fmt_claude = {
    "claude-code", sizeof(struct claude_state),
    claude_wants,  claude_line,
    claude_flush,  claude_save,
    claude_load,
};
