/*
 * fmt_codex.c - Codex CLI rollout logs (~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl).
 *
 * Every line is {"timestamp":..,"type":..,"payload":{..}}. session_meta names
 * the session and its directory, turn_context the model in use, and each
 * event_msg of payload type token_count whose cumulative total moved is one
 * model request:
 *
 *   {"timestamp":"2026-11-20T14:03:11.123Z","type":"event_msg","payload":{
 *    "type":"token_count","info":{"total_token_usage":{"input_tokens":65417,
 *    "cached_input_tokens":35580,"output_tokens":4725,"reasoning_output_tokens":470},
 *    "last_token_usage":{..}},"rate_limits":{"primary":{"used_percent":51.9}}}}
 *
 * An event_msg of payload type user_message is a turn the person started:
 * the next request counts it as a prompt.
 *
 * Lines of code: the + and - lines of an apply_patch call's hunks, an edit of
 * the request that made the call (the next token_count), counted once the
 * call's output says the patch applied. A call without a call_id, which no
 * output can answer, adds its lines to that request at once.
 *
 * A fork or subagent (session_meta with forked_from_id or parent_thread_id)
 * first replays its parent's history, token_count events included: those
 * are the parent's requests, counted from the parent's own file, and are
 * skipped here whatever order the files are read in. They are told from the
 * fork's own by time: stamped at or before its creation, or in the burst of
 * writing that follows it (CODEX_REPLAY_WINDOW_MS).
 *
 * OpenAI counts cached tokens inside input_tokens and reasoning inside
 * output_tokens; both are converted here to the canonical fields. There is no
 * request id: the identity is the timestamp, model and counts of the event,
 * which stay the same when a file is copied (archived_sessions/) or rewritten.
 */
#include "parser.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "jv.h"
#include "task.h"

enum { U_INPUT, U_CACHED, U_OUTPUT, U_REASONING, U_COUNT };

/* An apply_patch call made since the last request: the next one made it. */
struct codex_patch {
	uint64_t call;
	int64_t added, removed;
};

#define CODEX_PATCHES_WAITING 8

struct codex_state {
	char session[128];
	char project[256];
	char model[128];
	int has_total;
	int64_t total[U_COUNT];
	/* Lines patched since the last request: they belong to the next one. */
	int64_t patch_added, patch_removed;
	/* Patch calls since the last request, oldest first. */
	struct codex_patch waiting[CODEX_PATCHES_WAITING];
	int n_waiting;
	/* The person's messages since the last request: the next one answers them. */
	int64_t pending_prompts;
	/* When the latest person's message or tool output was written: the next
	 * request was sent then. 0 when unknown. */
	int64_t trigger_ms;
	/* The task of the person's latest message (task.c), which its turn's requests carry,
	 * and the kinds of the files its patches touched so far (TASK_FILES_*). */
	char task[16];
	int turn_files;
	/* A fork or subagent: when it was made, and whether its copy of the
	 * parent's history (the replay) may still be going on, until when. */
	int64_t fork_ms, replay_last_ms;
	int is_replaying;
};

/*
 * A fork writes its parent's history first, stamped with the fork's creation
 * time (written in a burst just after it) or with the parent's own times
 * (before it); its own first request needs a model's answer after it.
 */
#define CODEX_REPLAY_WINDOW_MS 5000
/* A request that took longer than this was not timed by its lines: latency unknown. */
#define CODEX_LATENCY_MAX_MS  (30 * 60000LL)
#define CODEX_REPLAY_BURST_MS 250

static const char *const usage_keys[U_COUNT] = {
    "input_tokens",
    "cached_input_tokens",
    "output_tokens",
    "reasoning_output_tokens",
};

static int read_counts(struct jv obj, int64_t out[U_COUNT])
{
	struct jv f[U_COUNT];

	jv_fields(obj, usage_keys, U_COUNT, f);
	for (int i = 0; i < U_COUNT; i++)
		if (jv_uint(f[i], &out[i]) < 0)
			return -1;
	return 0;
}

/* The kind of the file a patch's "*** Update File: path" line names (task.c). */
static int patch_file_kind(const char *line)
{
	char path[512];
	size_t n = strcspn(line, "\n");

	if (n >= sizeof(path))
		n = sizeof(path) - 1;
	memcpy(path, line, n);
	path[n] = '\0';
	return task_file_kind(path);
}

/*
 * Counts '+' and '-' lines inside the hunks of an apply_patch body, and
 * adds the kinds of the files it touches to *files.
 */
static void count_patch(const char *patch, int64_t *added, int64_t *removed, int *files)
{
	const char *p = strstr(patch, "*** Begin Patch");

	if (p == NULL)
		return;
	while (p && *p) {
		if (p[0] == '+' && strncmp(p, "+++", 3) != 0)
			(*added)++;
		else if (p[0] == '-' && strncmp(p, "---", 3) != 0)
			(*removed)++;
		else if (strncmp(p, "*** Update File: ", 17) == 0)
			*files |= patch_file_kind(p + 17);
		else if (strncmp(p, "*** Add File: ", 14) == 0)
			*files |= patch_file_kind(p + 14);
		else if (strncmp(p, "*** End Patch", 13) == 0)
			break;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

/* Finds the patch text in any string of v, however the call wrapped it. */
static const char *find_patch(const cJSON *v)
{
	const cJSON *item;

	if (cJSON_IsString(v))
		return strstr(v->valuestring, "*** Begin Patch") ? v->valuestring : NULL;
	cJSON_ArrayForEach(item, v)
	{
		const char *p = find_patch(item);

		if (p)
			return p;
	}
	return NULL;
}

/*
 * The output of a patch call that applied ("Success. Updated the following
 * files:", written by apply_patch itself) applies the edit its request
 * proposed. A patch that failed verification or was declined has another
 * output, is not read, and adds nothing.
 */
static void read_tool_output(struct parse_ctx *ctx, struct jv payload)
{
	static const char *const call_key = "call_id";
	struct jv call_v;
	struct decision *d;
	const char *call;

	jv_fields(payload, &call_key, 1, &call_v);
	if ((call = jv_str(call_v, ctx->scratch)) == NULL ||
	    (d = batch_add_decision(ctx->out)) == NULL)
		return;
	d->edit_id = hash64_str(call, 0xca11);
	d->kind = DECISION_APPLIED;
}

/* Tool calls are rare and their patch may sit anywhere: the payload becomes a tree. */
static void read_tool_call(struct parse_ctx *ctx, struct jv payload_v)
{
	struct codex_state *st = ctx->state;
	cJSON *payload = cJSON_ParseWithLength(payload_v.p, jv_len(payload_v)), *parsed = NULL;
	const char *type = json_str(payload, "type"), *patch = NULL;
	const cJSON *args;

	if (!type || (strcmp(type, "custom_tool_call") != 0 && strcmp(type, "function_call") != 0 &&
	              strcmp(type, "local_shell_call") != 0))
		goto done;
	patch = find_patch(cJSON_GetObjectItemCaseSensitive(payload, "input"));
	if (patch == NULL) {
		/* function_call arguments are a JSON document inside a string. */
		args = cJSON_GetObjectItemCaseSensitive(payload, "arguments");
		if (cJSON_IsString(args) && strstr(args->valuestring, "*** Begin Patch")) {
			parsed = cJSON_Parse(args->valuestring);
			patch = parsed ? find_patch(parsed) : NULL;
		} else {
			patch = find_patch(
			    args ? args : cJSON_GetObjectItemCaseSensitive(payload, "action"));
		}
	}
	if (patch) {
		const char *call = json_str(payload, "call_id");
		struct codex_patch p = {0, 0, 0};

		count_patch(patch, &p.added, &p.removed, &st->turn_files);
		if (call == NULL) { /* no output can answer it: counted as called */
			st->patch_added += p.added;
			st->patch_removed += p.removed;
			goto done;
		}
		p.call = hash64_str(call, 0xca11);
		if (st->n_waiting == CODEX_PATCHES_WAITING) { /* more than a request makes */
			st->n_waiting--;
			memmove(st->waiting, st->waiting + 1,
			        sizeof(st->waiting[0]) * st->n_waiting);
		}
		st->waiting[st->n_waiting++] = p;
	}
done:
	cJSON_Delete(parsed);
	cJSON_Delete(payload);
}

static double max_used_percent(struct jv limits)
{
	static const char *const pct_key = "used_percent";
	struct jv_iter it;
	struct jv w, pct;
	double best = -1, v;

	jv_iter(limits, &it);
	while (jv_next(&it, &w)) {
		jv_fields(w, &pct_key, 1, &pct);
		if (jv_number(pct, &v) == 0 && v > best)
			best = v;
	}
	return best;
}

enum { P_TYPE, P_INFO, P_RATE_LIMITS, P_ID, P_CWD, P_MODEL, P_FORKED_FROM, P_TIMESTAMP, P_COUNT };
static const char *const payload_keys[P_COUNT] = {"type", "info",  "rate_limits",    "id",
                                                  "cwd",  "model", "forked_from_id", "timestamp"};

/* Whether a request at ts_ms is the replay of a fork's parent history. */
static int is_replay(struct codex_state *st, int64_t ts_ms)
{
	if (!st->is_replaying)
		return 0;
	if (ts_ms <= st->fork_ms + CODEX_REPLAY_WINDOW_MS ||
	    ts_ms <= st->replay_last_ms + CODEX_REPLAY_BURST_MS) {
		if (ts_ms > st->replay_last_ms)
			st->replay_last_ms = ts_ms;
		return 1;
	}
	st->is_replaying = 0; /* the fork's own turns: nothing after is a replay */
	return 0;
}

static void read_token_count(struct parse_ctx *ctx, const char *ts, const struct jv *payload)
{
	static const char *const info_keys[] = {"total_token_usage", "last_token_usage", "model"};
	struct codex_state *st = ctx->state;
	struct jv info[3];
	int64_t total[U_COUNT] = {0}, use[U_COUNT] = {0};
	const char *model, *why;
	int has_total, has_last;
	char key[512];
	struct event *e;
	int64_t ts_ms;

	if (jv_type(payload[P_INFO]) == JV_NONE || jv_type(payload[P_INFO]) == JV_NULL)
		return; /* the session's opening event: no request yet */
	if (jv_type(payload[P_INFO]) != JV_OBJECT) {
		parse_reject(ctx, "token_count info is not an object");
		return;
	}
	if (ts == NULL) {
		parse_reject(ctx, "missing timestamp");
		return;
	}
	if (parse_iso8601(ts, &ts_ms, &why) < 0) {
		parse_rejectf(ctx, "%s: '%.40s'", why, ts);
		return;
	}
	jv_fields(payload[P_INFO], info_keys, 3, info);
	has_total = jv_type(info[0]) == JV_OBJECT;
	has_last = jv_type(info[1]) == JV_OBJECT;
	if (!has_total && !has_last) {
		parse_reject(ctx, "token_count without total_token_usage or last_token_usage");
		return;
	}
	if ((has_total && read_counts(info[0], total) < 0) ||
	    (has_last && read_counts(info[1], use) < 0)) {
		parse_reject(ctx, "token counts must be non-negative integers");
		return;
	}
	if (has_total) {
		int is_same = st->has_total && memcmp(total, st->total, sizeof(total)) == 0;

		if (is_same)
			return; /* the client repeated the last event: not a request */
		if (!has_last) {
			int is_reset = 0;

			for (int i = 0; i < U_COUNT; i++) {
				use[i] = st->has_total ? total[i] - st->total[i] : total[i];
				is_reset |= use[i] < 0;
			}
			if (is_reset)
				memcpy(use, total, sizeof(use));
		}
		memcpy(st->total, total, sizeof(total));
		st->has_total = 1;
	}

	model = jv_str(info[2], ctx->scratch);
	if (model && st->is_replaying && st->model[0] == '\0')
		state_copy(st->model, sizeof(st->model), model); /* a fork without turn_context */
	if (is_replay(st, ts_ms)) {
		/* The parent's request, counted from the parent's file: what led to it too. */
		st->patch_added = st->patch_removed = 0;
		st->pending_prompts = 0;
		st->n_waiting = 0;
		return;
	}
	if (model == NULL)
		model = st->model[0] ? st->model : "gpt-5"; /* sessions before turn_context */
	e = batch_add_event(ctx->out);
	if (e == NULL)
		return;
	e->ts_ms = ts_ms;
	e->offset = ctx->offset;
	e->developer = ctx->developer;
	e->tool = ctx->tool ? ctx->tool : "codex";
	e->model = parse_strdup(ctx, model);
	e->session = st->session[0] ? parse_strdup(ctx, st->session) : NULL;
	e->project = st->project[0] ? parse_strdup(ctx, st->project) : NULL;
	if (use[U_CACHED] > use[U_INPUT])
		use[U_CACHED] = use[U_INPUT];
	if (use[U_REASONING] > use[U_OUTPUT])
		use[U_REASONING] = use[U_OUTPUT];
	e->input_tokens = use[U_INPUT] - use[U_CACHED];
	e->cache_read_tokens = use[U_CACHED];
	e->output_tokens = use[U_OUTPUT];
	e->reasoning_tokens = use[U_REASONING];
	/* From what triggered the request to its token count, written once it completed. */
	e->latency_ms = st->trigger_ms > 0 && ts_ms >= st->trigger_ms &&
	                        ts_ms - st->trigger_ms <= CODEX_LATENCY_MAX_MS
	                    ? ts_ms - st->trigger_ms
	                    : -1;
	e->plan_used_pct = max_used_percent(payload[P_RATE_LIMITS]);
	e->lines_added = st->patch_added;
	e->lines_removed = st->patch_removed;
	st->patch_added = st->patch_removed = 0;
	e->prompts = st->pending_prompts;
	st->pending_prompts = 0;
	if (st->task[0])
		e->task = parse_strdup(ctx, task_refine(st->task, st->turn_files));
	snprintf(key, sizeof(key),
	         "%s|%s|%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 "|%" PRId64 ",%" PRId64
	         ",%" PRId64 ",%" PRId64,
	         ts, model, total[0], total[1], total[2], total[3], use[0], use[1], use[2], use[3]);
	e->id = hash64_str(key, 0xc0de);
	/* This request made the patch calls since the last: each counts once its output says so. */
	for (int i = 0; i < st->n_waiting; i++) {
		struct edit *ed = batch_add_edit(ctx->out);

		if (ed == NULL)
			break;
		ed->id = st->waiting[i].call;
		ed->event_id = e->id;
		ed->lines_added = st->waiting[i].added;
		ed->lines_removed = st->waiting[i].removed;
		ed->is_proposed = 1;
	}
	st->n_waiting = 0;
	st->trigger_ms = ts_ms; /* a request with no tool call in between follows this one */
}

/* What apply_patch prints when it applied a patch. */
#define PATCH_APPLIED "Success. Updated the following files"

/* The value of the first "type" key within [p, p+n), or NULL. */
static const char *type_value(const char *p, size_t n)
{
	const char *t = memmem(p, n, "\"type\":\"", 8);

	return t ? t + 8 : NULL;
}

static int starts(const char *s, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - s) > n && memcmp(s, word, n) == 0 && s[n] == '"';
}

/*
 * Messages, reasoning and tool output make up most of a rollout and carry
 * nothing counted: only lines that can matter become a tree. The client
 * writes "timestamp" first and "type" right after, and a payload's own type
 * first in the payload, so a look at the head of the line usually decides.
 */
static int codex_wants(const char *line, size_t len)
{
	const char *end = line + len, *t = type_value(line, len < 96 ? len : 96), *pt;

	if (t && (starts(t, end, "session_meta") || starts(t, end, "turn_context")))
		return 1;
	pt = t ? type_value(t, (size_t)(end - t) < 64 ? (size_t)(end - t) : 64) : NULL;
	if (t && pt && starts(t, end, "event_msg"))
		return starts(pt, end, "token_count") || starts(pt, end, "user_message");
	if (t && pt && starts(t, end, "response_item"))
		return ((starts(pt, end, "custom_tool_call") || starts(pt, end, "function_call") ||
		         starts(pt, end, "local_shell_call")) &&
		        HAS(line, len, "*** Begin Patch")) ||
		       starts(pt, end, "custom_tool_call_output") ||
		       starts(pt, end, "function_call_output");
	if (t && (starts(t, end, "event_msg") || starts(t, end, "response_item") ||
	          starts(t, end, "compacted")))
		return 0;
	/* Keys in another order: search the whole line. */
	return HAS(line, len, "token_count") || HAS(line, len, "turn_context") ||
	       HAS(line, len, "session_meta") || HAS(line, len, "*** Begin Patch") ||
	       HAS(line, len, "user_message") || HAS(line, len, "call_output");
}

/*
 * The file's first session_meta names its session; a fork's (forked_from_id,
 * or a subagent's parent_thread_id) starts the replay of its parent's
 * history. A later session_meta with another id is the parent's, embedded
 * in the fork: not this session.
 */
static void read_session_meta(struct parse_ctx *ctx, const char *line, size_t len,
                              const char *line_ts, const struct jv *payload)
{
	struct codex_state *st = ctx->state;
	const char *id = jv_str(payload[P_ID], ctx->scratch), *cwd, *ts, *why, *slash;
	const char *parent = jv_str(payload[P_FORKED_FROM], ctx->scratch);
	int64_t ms;

	if (st->session[0] && id && strcmp(id, st->session) != 0)
		return;
	state_copy(st->session, sizeof(st->session), id);
	if ((cwd = jv_str(payload[P_CWD], ctx->scratch)) != NULL) {
		slash = strrchr(cwd, '/');
		state_copy(st->project, sizeof(st->project), slash && slash[1] ? slash + 1 : cwd);
	}
	if ((parent == NULL || parent[0] == '\0') && !HAS(line, len, "\"parent_thread_id\""))
		return;
	ts = jv_str(payload[P_TIMESTAMP], ctx->scratch);
	if ((ts && parse_iso8601(ts, &ms, &why) == 0) ||
	    (line_ts && parse_iso8601(line_ts, &ms, &why) == 0)) {
		st->fork_ms = st->replay_last_ms = ms;
		st->is_replaying = 1;
	}
}

/* A line after which the client sends a request: the person's message, a tool's output. */
static void set_trigger(struct parse_ctx *ctx, const char *ts)
{
	struct codex_state *st = ctx->state;
	const char *why;
	int64_t ms;

	if (ts && parse_iso8601(ts, &ms, &why) == 0)
		st->trigger_ms = ms;
}

static void codex_line(struct parse_ctx *ctx, const char *line, size_t len)
{
	static const char *const root_keys[] = {"type", "payload", "timestamp"};
	struct codex_state *st = ctx->state;
	struct jv root, f[3], payload[P_COUNT];
	const char *type;

	if (parse_view(ctx, line, len, &root) < 0)
		return;
	jv_fields(root, root_keys, 3, f);
	type = jv_str(f[0], ctx->scratch);
	if (type == NULL || jv_type(f[1]) != JV_OBJECT) {
		parse_reject(ctx, type ? "missing object 'payload'" : "missing field 'type'");
		return;
	}
	jv_fields(f[1], payload_keys, P_COUNT, payload);
	if (strcmp(type, "session_meta") == 0) {
		read_session_meta(ctx, line, len, jv_str(f[2], ctx->scratch), payload);
	} else if (strcmp(type, "turn_context") == 0) {
		const char *model = jv_str(payload[P_MODEL], ctx->scratch);
		const char *cwd = jv_str(payload[P_CWD], ctx->scratch);
		const char *slash = cwd ? strrchr(cwd, '/') : NULL;

		if (model)
			state_copy(st->model, sizeof(st->model), model);
		if (cwd)
			state_copy(st->project, sizeof(st->project),
			           slash && slash[1] ? slash + 1 : cwd);
	} else if (strcmp(type, "event_msg") == 0 && jv_is(payload[P_TYPE], "token_count")) {
		read_token_count(ctx, jv_str(f[2], ctx->scratch), payload);
	} else if (strcmp(type, "event_msg") == 0 && jv_is(payload[P_TYPE], "user_message")) {
		static const char *const message_key = "message";
		struct jv message;

		st->pending_prompts++; /* the person's own turn, as the client shows it */
		set_trigger(ctx, jv_str(f[2], ctx->scratch));
		jv_fields(f[1], &message_key, 1, &message);
		state_copy(st->task, sizeof(st->task),
		           task_classify(ctx->tasks, ctx->n_tasks, jv_str(message, ctx->scratch)));
		st->turn_files = 0;
	} else if (strcmp(type, "response_item") == 0 &&
	           (jv_is(payload[P_TYPE], "custom_tool_call_output") ||
	            jv_is(payload[P_TYPE], "function_call_output"))) {
		set_trigger(ctx, jv_str(f[2], ctx->scratch));
		if (memmem(line, len, PATCH_APPLIED, sizeof(PATCH_APPLIED) - 1))
			read_tool_output(ctx, f[1]);
	} else if (strcmp(type, "response_item") == 0) {
		read_tool_call(ctx, f[1]);
	}
}

static void codex_flush(struct parse_ctx *ctx)
{
	(void)ctx;
}

/* State text: one "key value" per line; values never hold a newline. */
static void codex_save(const void *state, struct buf *out)
{
	const struct codex_state *st = state;

	buf_reset(out);
	buf_printf(out, "session %s\nproject %s\nmodel %s\n", st->session, st->project, st->model);
	if (st->has_total)
		buf_printf(out, "total %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 "\n",
		           st->total[0], st->total[1], st->total[2], st->total[3]);
	buf_printf(out, "patch %" PRId64 " %" PRId64 "\n", st->patch_added, st->patch_removed);
	if (st->pending_prompts > 0)
		buf_printf(out, "prompts %" PRId64 "\n", st->pending_prompts);
	if (st->fork_ms)
		buf_printf(out, "fork %" PRId64 " %" PRId64 " %d\n", st->fork_ms,
		           st->replay_last_ms, st->is_replaying);
}

static void load_str(char *dst, size_t n, const char *v, size_t len)
{
	if (len >= n)
		len = n - 1;
	memcpy(dst, v, len);
	dst[len] = '\0';
}

/* Reads n space-separated non-negative integers; -1 if any is missing or bad. */
static int read_numbers(const char *s, int64_t *out, int n)
{
	for (int i = 0; i < n; i++) {
		char *end;

		errno = 0;
		out[i] = strtoll(s, &end, 10);
		if (errno || end == s || out[i] < 0)
			return -1;
		s = end;
	}
	return 0;
}

static void codex_load(void *state, const char *text)
{
	struct codex_state *st = state;
	const char *p = text;

	memset(st, 0, sizeof(*st));
	while (p && *p) {
		const char *nl = strchr(p, '\n'), *sp = strchr(p, ' ');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (sp && sp < p + len) {
			const char *v = sp + 1;
			size_t vlen = len - (size_t)(v - p);

			if (strncmp(p, "session ", 8) == 0)
				load_str(st->session, sizeof(st->session), v, vlen);
			else if (strncmp(p, "task ", 5) == 0)
				load_str(st->task, sizeof(st->task), v, vlen);
			else if (strncmp(p, "files ", 6) == 0) {
				int64_t files;

				if (read_numbers(v, &files, 1) == 0 && files < 8)
					st->turn_files = (int)files;
			} else if (strncmp(p, "project ", 8) == 0)
				load_str(st->project, sizeof(st->project), v, vlen);
			else if (strncmp(p, "model ", 6) == 0)
				load_str(st->model, sizeof(st->model), v, vlen);
			else if (strncmp(p, "total ", 6) == 0)
				st->has_total = read_numbers(v, st->total, U_COUNT) == 0;
			else if (strncmp(p, "prompts ", 8) == 0)
				read_numbers(v, &st->pending_prompts, 1);
			else if (strncmp(p, "trigger ", 8) == 0)
				read_numbers(v, &st->trigger_ms, 1);
			else if (strncmp(p, "waiting ", 8) == 0 &&
			         st->n_waiting < CODEX_PATCHES_WAITING) {
				struct codex_patch *w = &st->waiting[st->n_waiting];
				int64_t lines[2];
				char *end;

				errno = 0;
				w->call = strtoull(v, &end, 10);
				if (errno == 0 && end != v && read_numbers(end, lines, 2) == 0) {
					w->added = lines[0];
					w->removed = lines[1];
					st->n_waiting++;
				}
			} else if (strncmp(p, "fork ", 5) == 0) {
				int64_t fork[3];

				if (read_numbers(v, fork, 3) == 0) {
					st->fork_ms = fork[0];
					st->replay_last_ms = fork[1];
					st->is_replaying = fork[2] != 0;
				}
			} else if (strncmp(p, "patch ", 6) == 0) {
				int64_t patch[2];

				if (read_numbers(v, patch, 2) == 0) {
					st->patch_added = patch[0];
					st->patch_removed = patch[1];
				}
			}
		}
		p = nl ? nl + 1 : NULL;
	}
}

const struct format fmt_codex = {
    "codex",    sizeof(struct codex_state), codex_wants, codex_line, 1, codex_flush, codex_save,
    codex_load,
};
