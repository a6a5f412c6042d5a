/*
 * fmt_native.c - Payback's own NDJSON, for wrappers, proxies and scripts.
 *
 *   {"ts":"2026-11-20T14:03:11.123Z","developer":"ana@example.com","tool":"chatgpt",
 *    "model":"codex-5.3-spark","task":"debug","input_tokens":1200,"cache_read_tokens":300,
 *    "output_tokens":450,"latency_ms":820,"outcome":"accepted","lines_suggested":24,
 *    "lines_accepted":20,"session":"s-123","request_id":"r-456","project":"billing-api"}
 *
 * Token fields are already canonical. ts, developer and model are required;
 * every other field is optional but must have the documented type. A line
 * with request_id is idempotent on it; without one, identical lines are one
 * event (the same millisecond, person, model and counts twice is a re-send).
 * Requests sharing a prompt_id (of one developer) answer one prompt; a
 * request without one is its own prompt.
 */
#include "parser.h"

#include <stddef.h>
#include <string.h>

#include "../lib/util.h"
#include "jv.h"

/* The members a native line may have, looked up in one pass. */
enum {
	F_TS,
	F_DEVELOPER,
	F_MODEL,
	F_TOOL,
	F_TASK,
	F_PROJECT,
	F_SESSION,
	F_REQUEST_ID,
	F_PROMPT_ID,
	F_OUTCOME,
	F_STRINGS /* those before are strings */
};

static const char *const string_keys[F_STRINGS] = {
    "ts",      "developer", "model",      "tool",      "task",
    "project", "session",   "request_id", "prompt_id", "outcome",
};

#define EV_FIELD(f) offsetof(struct event, f)

/* The counts, then latency_ms and cost_usd, which may also be null. */
static const char *const number_keys[] = {
    "input_tokens",     "cache_read_tokens",     "cache_write_tokens", "output_tokens",
    "reasoning_tokens", "cache_write_1h_tokens", "lines_added",        "lines_removed",
    "lines_suggested",  "lines_accepted",        "latency_ms",         "cost_usd",
};

static const size_t count_offsets[] = {
    EV_FIELD(input_tokens),   EV_FIELD(cache_read_tokens), EV_FIELD(cache_write_tokens),
    EV_FIELD(output_tokens),  EV_FIELD(reasoning_tokens),  EV_FIELD(cache_write_1h_tokens),
    EV_FIELD(lines_added),    EV_FIELD(lines_removed),     EV_FIELD(lines_suggested),
    EV_FIELD(lines_accepted),
};

enum { N_COUNTS = ARRAY_LEN(count_offsets), N_LATENCY = N_COUNTS, N_COST, N_NUMBERS };

static int is_absent(struct jv v)
{
	return jv_type(v) == JV_NONE || jv_type(v) == JV_NULL;
}

int native_outcome(const char *s, enum outcome *out)
{
	static const char *const names[] = {"", "accepted", "rejected", "edited"};

	for (int i = 1; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum outcome)i;
			return 0;
		}
	return -1;
}

/* Every native line is a request. */
static int native_wants(const char *line, size_t len)
{
	(void)line;
	(void)len;
	return 1;
}

void native_event(struct parse_ctx *ctx, struct jv root, const char *text, size_t len)
{
	struct jv str[F_STRINGS], num[N_NUMBERS];
	const char *v[F_STRINGS], *why;
	struct event ev, *e;

	if (jv_type(root) != JV_OBJECT) {
		parse_reject(ctx, "an event must be a JSON object");
		return;
	}
	memset(&ev, 0, sizeof(ev));
	jv_fields(root, string_keys, F_STRINGS, str);
	jv_fields(root, number_keys, N_NUMBERS, num);
	for (size_t i = 0; i < F_STRINGS; i++) {
		if (!is_absent(str[i]) && jv_type(str[i]) != JV_STRING) {
			parse_rejectf(ctx, "field '%s' must be a string", string_keys[i]);
			return;
		}
		v[i] = jv_str(str[i], ctx->scratch);
	}
	for (size_t i = 0; i < N_COUNTS; i++) {
		if (jv_uint(num[i], (int64_t *)((char *)&ev + count_offsets[i])) < 0) {
			parse_rejectf(ctx, "field '%s' must be a non-negative integer",
			              number_keys[i]);
			return;
		}
	}
	if (!v[F_TS] || !v[F_DEVELOPER] || !v[F_MODEL] || !*v[F_DEVELOPER] || !*v[F_MODEL]) {
		parse_rejectf(ctx, "missing required field '%s'",
		              !v[F_TS]                                ? "ts"
		              : (!v[F_DEVELOPER] || !*v[F_DEVELOPER]) ? "developer"
		                                                      : "model");
		return;
	}
	if (parse_iso8601(v[F_TS], &ev.ts_ms, &why) < 0) {
		parse_rejectf(ctx, "%s: '%.40s'", why, v[F_TS]);
		return;
	}
	if (v[F_OUTCOME] && native_outcome(v[F_OUTCOME], &ev.outcome) < 0) {
		parse_reject(ctx, "field 'outcome' must be accepted, rejected or edited");
		return;
	}
	ev.latency_ms = -1;
	if (!is_absent(num[N_LATENCY]) && jv_uint(num[N_LATENCY], &ev.latency_ms) < 0) {
		parse_reject(ctx, "field 'latency_ms' must be a non-negative integer");
		return;
	}
	if (!is_absent(num[N_COST])) {
		if (jv_number(num[N_COST], &ev.cost_usd) < 0 || !(ev.cost_usd >= 0)) {
			parse_reject(ctx, "field 'cost_usd' must be a finite, non-negative number");
			return;
		}
		ev.has_cost = 1;
	}
	if (ev.reasoning_tokens > ev.output_tokens) {
		parse_reject(
		    ctx, "reasoning_tokens exceeds output_tokens (reasoning is part of output)");
		return;
	}
	if (ev.cache_write_1h_tokens > ev.cache_write_tokens) {
		parse_reject(ctx,
		             "cache_write_1h_tokens exceeds cache_write_tokens (one-hour writes "
		             "are part of them)");
		return;
	}
	ev.id = v[F_REQUEST_ID] && *v[F_REQUEST_ID] ? hash64_str(v[F_REQUEST_ID], 0x4e)
	                                            : hash64(text, len, 0x4f);
	ev.prompts = 1;
	if (v[F_PROMPT_ID] && *v[F_PROMPT_ID])
		ev.prompt_key = hash64_str(v[F_PROMPT_ID], hash64_str(v[F_DEVELOPER], 0x50));

	e = batch_add_event(ctx->out);
	if (e == NULL)
		return;
	*e = ev;
	e->offset = ctx->offset;
	e->developer = parse_strdup(ctx, v[F_DEVELOPER]);
	e->model = parse_strdup(ctx, v[F_MODEL]);
	e->tool = parse_strdup(ctx, v[F_TOOL]);
	if (e->tool == NULL)
		e->tool = ctx->tool ? ctx->tool : "native";
	e->task = parse_strdup(ctx, v[F_TASK]);
	e->project = parse_strdup(ctx, v[F_PROJECT]);
	e->session = parse_strdup(ctx, v[F_SESSION]);
	e->plan_used_pct = -1;
}

static void native_line(struct parse_ctx *ctx, const char *line, size_t len)
{
	struct jv root;

	if (parse_view(ctx, line, len, &root) == 0)
		native_event(ctx, root, line, len);
}

static void native_flush(struct parse_ctx *ctx)
{
	(void)ctx;
}

static void native_save(const void *state, struct buf *out)
{
	(void)state;
	buf_reset(out);
}

static void native_load(void *state, const char *text)
{
	(void)state;
	(void)text;
}

const struct format fmt_native = {
    "native", 0, native_wants, native_line, 1, native_flush, native_save, native_load,
};
