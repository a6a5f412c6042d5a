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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "jv.h"
#include "linediff.h"
#include "task.h"

struct claude_state {
	/* The last event of this batch, to merge the blocks of one response. */
	uint64_t last_id;
	size_t last_index;
	int has_last;
	/* The person's prompts not yet answered: the next request counts them. */
	int64_t pending_prompts;
	/* The model of the file's latest request, which a usage-limit message stopped. */
	char model[128];
	/* When the latest user line (a prompt, a tool's result) was written: the
	 * next request was sent then. 0 when unknown. */
	int64_t trigger_ms;
	/* The task of the latest prompt (task.c), which its turn's requests carry,
	 * and the kinds of the files its turn edited so far (TASK_FILES_*). */
	char task[16];
	int turn_files;
};

/* A response that took longer than this was not timed by its lines: latency unknown. */
#define CLAUDE_LATENCY_MAX_MS (30 * 60000LL)

/* The members of a line (or of the assistant line inside a progress line) read here. */
enum {
	L_TYPE,
	L_MESSAGE,
	L_DATA,
	L_TIMESTAMP,
	L_REQUEST_ID,
	L_SESSION_ID,
	L_CWD,
	L_COST,
	L_API_ERROR,
	L_SIDECHAIN,
	L_META,
	L_COMPACT,
	L_TOOL_RESULT,
	L_COUNT
};
static const char *const line_keys[L_COUNT] = {
    "type",          "message",   "data",
    "timestamp",     "requestId", "sessionId",
    "cwd",           "costUSD",   "isApiErrorMessage",
    "isSidechain",   "isMeta",    "isCompactSummary",
    "toolUseResult",
};

/* Text the client writes as the user's that no person typed as a prompt. */
static const char *const not_prompt_prefixes[] = {
    "<command-name>",         "<command-message>", "<command-args>", "<local-command-stdout>",
    "<local-command-stderr>", "<bash-input>",      "<bash-stdout>",  "<bash-stderr>",
    "[Request interrupted",   "Caveat: ",
};

static const char *const declined_markers[] = {
    "doesn't want to proceed", "rejected", "declined", "denied", "was not approved",
};

static int64_t total_tokens(const struct event *e)
{
	return e->input_tokens + e->cache_read_tokens + e->cache_write_tokens + e->output_tokens;
}

static int read_usage(struct parse_ctx *ctx, struct jv usage, struct event *e)
{
	static const char *const keys[] = {"input_tokens", "cache_read_input_tokens",
	                                   "output_tokens", "cache_creation_input_tokens",
	                                   "cache_creation"};
	static const char *const split_keys[] = {"ephemeral_5m_input_tokens",
	                                         "ephemeral_1h_input_tokens"};
	struct jv f[5], split[2];
	int64_t v5 = 0, v1h = 0;

	jv_fields(usage, keys, 5, f);
	if (jv_uint(f[0], &e->input_tokens) < 0 || jv_uint(f[1], &e->cache_read_tokens) < 0 ||
	    jv_uint(f[2], &e->output_tokens) < 0 || jv_uint(f[3], &e->cache_write_tokens) < 0) {
		parse_reject(ctx, "usage token counts must be non-negative integers");
		return -1;
	}
	/* 5-minute and 1-hour cache writes are priced differently; their sum is
	 * the canonical cache_write_tokens when the split is present. */
	if (jv_type(f[4]) == JV_OBJECT) {
		jv_fields(f[4], split_keys, 2, split);
		if (jv_uint(split[0], &v5) < 0 || jv_uint(split[1], &v1h) < 0) {
			parse_reject(ctx,
			             "usage.cache_creation counts must be non-negative integers");
			return -1;
		}
		if (split[0].p || split[1].p) {
			e->cache_write_tokens = v5 + v1h;
			e->cache_write_1h_tokens = v1h;
		}
	}
	return 0;
}

static int64_t member_lines(struct parse_ctx *ctx, struct jv obj, const char *key)
{
	struct jv v;

	jv_fields(obj, &key, 1, &v);
	return count_lines(jv_str(v, ctx->scratch));
}

/* The line diff of an edit's old_string and new_string (or oldString, newString). */
static void diff_members(struct parse_ctx *ctx, struct jv obj, const char *old_key,
                         const char *new_key, int64_t *added, int64_t *removed)
{
	const char *keys[2] = {old_key, new_key};
	struct jv v[2];
	const char *old_text, *new_text;
	int64_t a = 0, r = 0;

	jv_fields(obj, keys, 2, v);
	old_text = jv_str(v[0], ctx->scratch);
	new_text = jv_str(v[1], ctx->scratch);
	line_diff(old_text, new_text, &a, &r);
	*added += a;
	*removed += r;
}

/*
 * Records Edit, MultiEdit and Write calls of one content array. Each waits
 * for its answer (read_user): the lines it proposes here, a line diff of
 * the strings it replaces, count only if the answer gives none.
 */
static void read_edits(struct parse_ctx *ctx, struct jv content, uint64_t event_id)
{
	static const char *const keys[] = {"type", "name", "id", "input"};
	static const char *const path_key = "file_path";
	struct claude_state *st = ctx->state;
	struct jv_iter it, edits_it;
	struct jv block, f[4], one, path;

	jv_iter(content, &it);
	while (jv_next(&it, &block)) {
		int64_t added = 0, removed = 0;
		const char *id;
		struct edit *ed;

		jv_fields(block, keys, 4, f);
		if (!jv_is(f[0], "tool_use") || jv_type(f[1]) != JV_STRING ||
		    jv_type(f[2]) != JV_STRING || jv_type(f[3]) != JV_OBJECT)
			continue;
		if (jv_is(f[1], "Edit")) {
			diff_members(ctx, f[3], "old_string", "new_string", &added, &removed);
		} else if (jv_is(f[1], "MultiEdit")) {
			static const char *const edits_key = "edits";
			struct jv edits;

			jv_fields(f[3], &edits_key, 1, &edits);
			jv_iter(edits, &edits_it);
			while (jv_next(&edits_it, &one))
				diff_members(ctx, one, "old_string", "new_string", &added,
				             &removed);
		} else if (jv_is(f[1], "Write")) {
			added = member_lines(ctx, f[3], "content");
		} else {
			continue;
		}
		jv_fields(f[3], &path_key, 1, &path);
		st->turn_files |= task_file_kind(jv_str(path, ctx->scratch));
		id = jv_str(f[2], ctx->scratch);
		ed = id ? batch_add_edit(ctx->out) : NULL;
		if (ed == NULL)
			return;
		ed->id = hash64_str(id, 0x7e);
		ed->event_id = event_id;
		ed->lines_added = added;
		ed->lines_removed = removed;
		ed->is_proposed = 1;
	}
}

static const char *const limit_markers[] = {
    "usage limit", "limit reached", "hit your limit", "Usage limit", "Limit reached",
};

/* The string member of a line, or of the progress line around it. */
static const char *str_or(struct parse_ctx *ctx, const struct jv *line, const struct jv *outer,
                          int key)
{
	const char *s = jv_str(line[key], ctx->scratch);

	return s || outer == NULL ? s : jv_str(outer[key], ctx->scratch);
}

/* Records a "usage limit reached" message of the client as a limit hit. */
static void read_limit_message(struct parse_ctx *ctx, const struct jv *line, const struct jv *outer,
                               struct jv msg_id, struct jv content)
{
	static const char *const text_key = "text";
	const char *ts = str_or(ctx, line, outer, L_TIMESTAMP), *id, *why;
	struct claude_state *st = ctx->state;
	struct limit_hit *hit;
	struct jv_iter it;
	struct jv block, text_v;
	int is_limit = 0;
	int64_t ts_ms;

	jv_iter(content, &it);
	while (!is_limit && jv_next(&it, &block)) {
		const char *text;

		jv_fields(block, &text_key, 1, &text_v);
		text = jv_str(text_v, ctx->scratch);
		for (size_t i = 0; text && i < ARRAY_LEN(limit_markers) && !is_limit; i++)
			is_limit = strstr(text, limit_markers[i]) != NULL;
	}
	if (!is_limit || ts == NULL || parse_iso8601(ts, &ts_ms, &why) < 0)
		return;
	hit = batch_add_limit(ctx->out);
	if (hit == NULL)
		return;
	id = jv_str(msg_id, ctx->scratch);
	hit->id = id ? hash64_str(id, 0x11) : hash64_str(ts, 0x12) ^ hash64_str(ctx->path, 0x13);
	hit->ts_ms = ts_ms;
	hit->developer = ctx->developer;
	hit->tool = ctx->tool ? ctx->tool : "claude-code";
	hit->model = st->model[0] ? parse_strdup(ctx, st->model) : NULL;
}

/*
 * The time from the line that triggered a request (the prompt or the tool
 * result before it) to a line of its response; -1 when unknown. A subagent's
 * response copied into its parent's progress lines was triggered in its own
 * file.
 */
static int64_t latency_of(const struct claude_state *st, const struct jv *outer, int64_t ts_ms)
{
	int64_t ms = ts_ms - st->trigger_ms;

	return outer == NULL && st->trigger_ms > 0 && ms >= 0 && ms <= CLAUDE_LATENCY_MAX_MS ? ms
	                                                                                     : -1;
}

/* line holds an assistant line's members; outer, for a nested copy, the progress line's. */
static void read_assistant(struct parse_ctx *ctx, const struct jv *line, const struct jv *outer)
{
	static const char *const msg_keys[] = {"model", "usage", "id", "content"};
	struct claude_state *st = ctx->state;
	struct jv msg[4];
	const char *model, *ts, *msg_id, *req_id, *why;
	struct event ev, *e;
	double cost;

	if (jv_type(line[L_MESSAGE]) != JV_OBJECT) {
		parse_reject(ctx, "assistant line without a message object");
		return;
	}
	jv_fields(line[L_MESSAGE], msg_keys, 4, msg);
	model = jv_str(msg[0], ctx->scratch);
	/* <synthetic> messages are made by the client itself (errors, limits):
	 * not requests, but a usage-limit message tells how a seat is sized. */
	if ((model && strcmp(model, "<synthetic>") == 0) || jv_type(line[L_API_ERROR]) == JV_TRUE) {
		read_limit_message(ctx, line, outer, msg[2], msg[3]);
		return;
	}
	if (model == NULL) {
		parse_reject(ctx, "assistant message without a model");
		return;
	}
	if (jv_type(msg[1]) != JV_OBJECT) {
		parse_reject(ctx, "assistant message without usage");
		return;
	}
	ts = str_or(ctx, line, outer, L_TIMESTAMP);
	memset(&ev, 0, sizeof(ev));
	if (ts == NULL) {
		parse_reject(ctx, "missing timestamp");
		return;
	}
	if (parse_iso8601(ts, &ev.ts_ms, &why) < 0) {
		parse_rejectf(ctx, "%s: '%.40s'", why, ts);
		return;
	}
	if (read_usage(ctx, msg[1], &ev) < 0)
		return;

	msg_id = jv_str(msg[2], ctx->scratch);
	req_id = str_or(ctx, line, outer, L_REQUEST_ID);
	if (msg_id)
		ev.id = hash64_str(msg_id, 0xc1);
	else if (req_id)
		ev.id = hash64_str(req_id, 0xc2);
	else
		ev.id = hash64(&ev, sizeof(ev), 0xc3) ^ hash64_str(ts, 0xc3);

	if (st->has_last && st->last_id == ev.id && st->last_index < ctx->out->n_events) {
		e = &ctx->out->events[st->last_index];
		e->latency_ms = latency_of(st, outer, ev.ts_ms); /* to the response's last line */
		if (total_tokens(&ev) > total_tokens(e)) {
			e->input_tokens = ev.input_tokens;
			e->cache_read_tokens = ev.cache_read_tokens;
			e->cache_write_tokens = ev.cache_write_tokens;
			e->cache_write_1h_tokens = ev.cache_write_1h_tokens;
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
		e->session = parse_strdup(ctx, str_or(ctx, line, outer, L_SESSION_ID));
		e->project = parse_basename(ctx, str_or(ctx, line, outer, L_CWD));
		e->latency_ms = latency_of(st, outer, ev.ts_ms);
		e->plan_used_pct = -1;
		e->prompts = st->pending_prompts;
		st->pending_prompts = 0;
		if (st->task[0] && outer == NULL)
			e->task = parse_strdup(ctx, task_refine(st->task, st->turn_files));
		if (jv_number(line[L_COST], &cost) == 0 && cost >= 0) {
			e->cost_usd = cost;
			e->has_cost = 1;
		}
		st->has_last = 1;
		st->last_id = ev.id;
		st->last_index = ctx->out->n_events - 1;
		if (outer == NULL) /* a subagent's model is not the session's */
			state_copy(st->model, sizeof(st->model), model);
	}
	read_edits(ctx, msg[3], ev.id);
	/* From the request whose edits show it on, the turn's files refine its task. */
	if (st->task[0] && outer == NULL && e->task)
		e->task = task_refine(e->task, st->turn_files);
}

static int is_declined(struct parse_ctx *ctx, struct jv content)
{
	static const char *const text_key = "text";
	const char *text = jv_str(content, ctx->scratch);
	struct jv_iter it;
	struct jv part, text_v;

	if (text == NULL) {
		jv_iter(content, &it);
		while (text == NULL && jv_next(&it, &part)) {
			jv_fields(part, &text_key, 1, &text_v);
			text = jv_str(text_v, ctx->scratch);
		}
	}
	for (size_t i = 0; text && i < ARRAY_LEN(declined_markers); i++)
		if (strstr(text, declined_markers[i]))
			return 1;
	return 0;
}

/* Whether text is something a person typed as a prompt, not the client's own. */
static int is_typed_text(const char *text)
{
	while (*text == ' ' || *text == '\n' || *text == '\t' || *text == '\r')
		text++;
	if (*text == '\0')
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(not_prompt_prefixes); i++)
		if (strncmp(text, not_prompt_prefixes[i], strlen(not_prompt_prefixes[i])) == 0)
			return 0;
	return 1;
}

/*
 * Whether a user line is a prompt the person wrote: its content their text
 * (a string, or text blocks beside any images), not a tool's result, not a
 * line the client made (meta, command output, a compaction's summary), not
 * a subagent's sidechain, whose "user" is the agent that started it.
 */
static int is_prompt(struct parse_ctx *ctx, const struct jv *line, struct jv content,
                     const char **typed)
{
	static const char *const keys[] = {"type", "text"};
	struct jv_iter it;
	struct jv block, f[2];
	const char *text;

	*typed = NULL;
	if (jv_type(line[L_SIDECHAIN]) == JV_TRUE || jv_type(line[L_META]) == JV_TRUE ||
	    jv_type(line[L_COMPACT]) == JV_TRUE || jv_type(line[L_TOOL_RESULT]) != JV_NONE)
		return 0;
	if (jv_type(content) == JV_STRING) {
		if ((text = jv_str(content, ctx->scratch)) != NULL && is_typed_text(text))
			*typed = text;
		return *typed != NULL;
	}
	jv_iter(content, &it);
	while (jv_next(&it, &block)) {
		jv_fields(block, keys, 2, f);
		if (jv_is(f[0], "tool_result"))
			return 0;
		if (*typed == NULL && jv_is(f[0], "text") &&
		    (text = jv_str(f[1], ctx->scratch)) != NULL && is_typed_text(text))
			*typed = text;
	}
	return *typed != NULL;
}

/* Counts the '+' and '-' lines of a structuredPatch's hunks; -1 if it is no list of hunks. */
static int patch_lines(struct parse_ctx *ctx, struct jv patch, int64_t *added, int64_t *removed)
{
	static const char *const lines_key = "lines";
	struct jv_iter hunks, lines;
	struct jv hunk, hunk_lines, line;
	int n_hunks = 0;

	if (jv_type(patch) != JV_ARRAY)
		return -1;
	jv_iter(patch, &hunks);
	while (jv_next(&hunks, &hunk)) {
		jv_fields(hunk, &lines_key, 1, &hunk_lines);
		jv_iter(hunk_lines, &lines);
		while (jv_next(&lines, &line)) {
			const char *text = jv_str(line, ctx->scratch);

			*added += text && text[0] == '+';
			*removed += text && text[0] == '-';
		}
		n_hunks++;
	}
	return n_hunks;
}

/*
 * What a successful edit wrote, from the toolUseResult of its answer: the
 * + and - lines of its structuredPatch; for a Write that created a file (an
 * empty patch), every line of its content; else a line diff of oldString and
 * newString. 0 when the result tells nothing (the call's own lines count).
 */
static int written_lines(struct parse_ctx *ctx, struct jv result, struct decision *d)
{
	static const char *const keys[] = {"structuredPatch", "type", "content", "oldString",
	                                   "userModified"};
	struct jv f[5];

	jv_fields(result, keys, 5, f);
	d->is_modified = jv_type(f[4]) == JV_TRUE;
	if (patch_lines(ctx, f[0], &d->lines_added, &d->lines_removed) > 0)
		return 1;
	if (jv_is(f[1], "create")) {
		d->lines_added = count_lines(jv_str(f[2], ctx->scratch));
		return 1;
	}
	if (jv_type(f[3]) == JV_STRING) {
		diff_members(ctx, result, "oldString", "newString", &d->lines_added,
		             &d->lines_removed);
		return 1;
	}
	return jv_type(f[0]) == JV_ARRAY; /* an empty patch: nothing changed */
}

/*
 * A user line is a prompt, which the next request answers, or answers tool
 * calls: an edit was written (its toolUseResult holds the patch), failed
 * (is_error: the file was not read, the string was not found) or was
 * declined by the person.
 */
static void read_user(struct parse_ctx *ctx, const struct jv *line)
{
	static const char *const content_key = "content";
	static const char *const keys[] = {"type", "tool_use_id", "is_error", "content"};
	struct claude_state *st = ctx->state;
	static const char *const patch_key = "structuredPatch";
	struct jv content, block, f[4], patch;
	struct jv_iter it;
	int n_results = 0, has_patch;

	const char *ts = jv_str(line[L_TIMESTAMP], ctx->scratch), *why, *typed;
	int64_t ts_ms;

	if (ts && parse_iso8601(ts, &ts_ms, &why) == 0)
		st->trigger_ms = ts_ms;
	jv_fields(line[L_MESSAGE], &content_key, 1, &content);
	jv_fields(line[L_TOOL_RESULT], &patch_key, 1, &patch);
	has_patch = jv_type(patch) != JV_NONE;
	if (is_prompt(ctx, line, content, &typed)) {
		/* The turn's requests are of the task its prompt asks for. */
		st->pending_prompts++;
		state_copy(st->task, sizeof(st->task),
		           task_classify(ctx->tasks, ctx->n_tasks, typed));
		return;
	}
	jv_iter(content, &it);
	while (jv_next(&it, &block)) {
		jv_fields(block, keys, 1, f);
		n_results += jv_is(f[0], "tool_result");
	}
	jv_iter(content, &it);
	while (jv_next(&it, &block)) {
		const char *id;
		struct decision *d;
		int is_error;

		jv_fields(block, keys, 4, f);
		if (!jv_is(f[0], "tool_result") || (id = jv_str(f[1], ctx->scratch)) == NULL)
			continue;
		is_error = jv_type(f[2]) == JV_TRUE;
		/* Results of other tools carry no patch: no edit waits for them. */
		if (!is_error && !has_patch)
			continue;
		d = batch_add_decision(ctx->out);
		if (d == NULL)
			return;
		d->edit_id = hash64_str(id, 0x7e);
		if (is_error) {
			d->kind = is_declined(ctx, f[3]) ? DECISION_DECLINED : DECISION_FAILED;
			continue;
		}
		d->kind = DECISION_APPLIED;
		/* One result a line, as the client writes them: the line's toolUseResult is its. */
		d->has_lines = n_results == 1 && written_lines(ctx, line[L_TOOL_RESULT], d);
	}
}

/*
 * Most bytes of a session log are tool output and file snapshots: only lines
 * that can matter are parsed into a tree. Each test scans a whole line that
 * fails it: two. A progress line's agent_progress holds an assistant
 * message, so "assistant" finds it too. Every user line matters: a prompt,
 * an edit's answer, or the moment the next request was sent.
 */
static int claude_wants(const char *line, size_t len)
{
	return HAS(line, len, "\"assistant\"") || HAS(line, len, "\"user\"");
}

static void claude_line(struct parse_ctx *ctx, const char *line, size_t len)
{
	static const char *const data_keys[] = {"type", "message"};
	struct jv root, f[L_COUNT], data[2], inner[L_COUNT];

	if (parse_view(ctx, line, len, &root) < 0)
		return;
	jv_fields(root, line_keys, L_COUNT, f);
	if (jv_type(f[L_TYPE]) != JV_STRING) {
		parse_reject(ctx, "missing field 'type'");
	} else if (jv_is(f[L_TYPE], "assistant")) {
		read_assistant(ctx, f, NULL);
	} else if (jv_is(f[L_TYPE], "user")) {
		read_user(ctx, f);
	} else if (jv_is(f[L_TYPE], "progress")) {
		jv_fields(f[L_DATA], data_keys, 2, data);
		if (!jv_is(data[0], "agent_progress") || jv_type(data[1]) != JV_OBJECT)
			return;
		jv_fields(data[1], line_keys, L_COUNT, inner);
		if (jv_is(inner[L_TYPE], "assistant"))
			read_assistant(ctx, inner, f);
	}
}

static void claude_flush(struct parse_ctx *ctx)
{
	struct claude_state *st = ctx->state;

	st->has_last = 0;
}

/* State text: "prompts N" when prompts wait for their answer, "model M" for the latest. */
static void claude_save(const void *state, struct buf *out)
{
	const struct claude_state *st = state;

	buf_reset(out);
	if (st->pending_prompts > 0)
		buf_printf(out, "prompts %lld\n", (long long)st->pending_prompts);
	if (st->model[0])
		buf_printf(out, "model %s\n", st->model);
	if (st->trigger_ms > 0)
		buf_printf(out, "trigger %lld\n", (long long)st->trigger_ms);
	if (st->task[0])
		buf_printf(out, "task %s\nfiles %d\n", st->task, st->turn_files);
}

static void claude_load(void *state, const char *text)
{
	struct claude_state *st = state;
	char *end;
	long long n;

	memset(st, 0, sizeof(*st));
	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		size_t len = strchr(p, '\n') ? (size_t)(strchr(p, '\n') - p) : strlen(p);

		if (strncmp(p, "prompts ", 8) == 0) {
			n = strtoll(p + 8, &end, 10);
			if (end != p + 8 && n > 0)
				st->pending_prompts = n;
		} else if (strncmp(p, "trigger ", 8) == 0) {
			n = strtoll(p + 8, &end, 10);
			if (end != p + 8 && n > 0)
				st->trigger_ms = n;
		} else if (strncmp(p, "files ", 6) == 0) {
			n = strtoll(p + 6, &end, 10);
			if (end != p + 6 && n > 0 && n < 8)
				st->turn_files = (int)n;
		} else if (strncmp(p, "task ", 5) == 0 && len > 5 && len - 5 < sizeof(st->task)) {
			memcpy(st->task, p + 5, len - 5);
			st->task[len - 5] = '\0';
		} else if (strncmp(p, "model ", 6) == 0 && len > 6 && len - 6 < sizeof(st->model)) {
			memcpy(st->model, p + 6, len - 6);
			st->model[len - 6] = '\0';
		}
	}
}

const struct format fmt_claude = {
    "claude-code",
    sizeof(struct claude_state),
    claude_wants,
    claude_line,
    1,
    claude_flush,
    claude_save,
    claude_load,
};
