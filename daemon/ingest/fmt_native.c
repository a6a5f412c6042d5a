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
 */
#include "parser.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "../util.h"

struct uint_field {
	const char *key;
	size_t offset;
};

#define EV_FIELD(f) offsetof(struct event, f)

static const struct uint_field uint_fields[] = {
    {"input_tokens", EV_FIELD(input_tokens)},
    {"cache_read_tokens", EV_FIELD(cache_read_tokens)},
    {"cache_write_tokens", EV_FIELD(cache_write_tokens)},
    {"output_tokens", EV_FIELD(output_tokens)},
    {"reasoning_tokens", EV_FIELD(reasoning_tokens)},
    {"lines_added", EV_FIELD(lines_added)},
    {"lines_removed", EV_FIELD(lines_removed)},
    {"lines_suggested", EV_FIELD(lines_suggested)},
    {"lines_accepted", EV_FIELD(lines_accepted)},
};

static const char *const string_fields[] = {
    "ts", "developer", "model", "tool", "task", "project", "session", "request_id", "outcome",
};

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

void native_event(struct parse_ctx *ctx, const cJSON *root, const char *text, size_t len)
{
	const cJSON *v;
	const char *ts, *dev, *model, *req, *outcome, *why;
	struct event ev, *e;

	if (!cJSON_IsObject(root)) {
		parse_reject(ctx, "an event must be a JSON object");
		return;
	}
	memset(&ev, 0, sizeof(ev));
	for (size_t i = 0; i < ARRAY_LEN(string_fields); i++) {
		v = cJSON_GetObjectItemCaseSensitive(root, string_fields[i]);
		if (v && !cJSON_IsNull(v) && !cJSON_IsString(v)) {
			parse_rejectf(ctx, "field '%s' must be a string", string_fields[i]);
			return;
		}
	}
	for (size_t i = 0; i < ARRAY_LEN(uint_fields); i++) {
		if (json_uint(root, uint_fields[i].key,
		              (int64_t *)((char *)&ev + uint_fields[i].offset)) < 0) {
			parse_rejectf(ctx, "field '%s' must be a non-negative integer",
			              uint_fields[i].key);
			return;
		}
	}
	ts = json_str(root, "ts");
	dev = json_str(root, "developer");
	model = json_str(root, "model");
	if (!ts || !dev || !model || !*dev || !*model) {
		parse_rejectf(ctx, "missing required field '%s'",
		              !ts               ? "ts"
		              : (!dev || !*dev) ? "developer"
		                                : "model");
		return;
	}
	if (parse_iso8601(ts, &ev.ts_ms, &why) < 0) {
		parse_rejectf(ctx, "%s: '%.40s'", why, ts);
		return;
	}
	outcome = json_str(root, "outcome");
	if (outcome && native_outcome(outcome, &ev.outcome) < 0) {
		parse_reject(ctx, "field 'outcome' must be accepted, rejected or edited");
		return;
	}
	ev.latency_ms = -1;
	v = cJSON_GetObjectItemCaseSensitive(root, "latency_ms");
	if (v && !cJSON_IsNull(v)) {
		if (json_uint(root, "latency_ms", &ev.latency_ms) < 0) {
			parse_reject(ctx, "field 'latency_ms' must be a non-negative integer");
			return;
		}
	}
	v = cJSON_GetObjectItemCaseSensitive(root, "cost_usd");
	if (v && !cJSON_IsNull(v)) {
		if (!cJSON_IsNumber(v) || v->valuedouble < 0) {
			parse_reject(ctx, "field 'cost_usd' must be a non-negative number");
			return;
		}
		ev.cost_usd = v->valuedouble;
		ev.has_cost = 1;
	}
	if (ev.reasoning_tokens > ev.output_tokens) {
		parse_reject(
		    ctx, "reasoning_tokens exceeds output_tokens (reasoning is part of output)");
		return;
	}
	req = json_str(root, "request_id");
	ev.id = req && *req ? hash64_str(req, 0x4e) : hash64(text, len, 0x4f);

	e = batch_add_event(ctx->out);
	if (e == NULL)
		return;
	*e = ev;
	e->offset = ctx->offset;
	e->developer = parse_strdup(ctx, dev);
	e->model = parse_strdup(ctx, model);
	e->tool = parse_strdup(ctx, json_str(root, "tool"));
	if (e->tool == NULL)
		e->tool = ctx->tool ? ctx->tool : "native";
	e->task = parse_strdup(ctx, json_str(root, "task"));
	e->project = parse_strdup(ctx, json_str(root, "project"));
	e->session = parse_strdup(ctx, json_str(root, "session"));
	e->plan_used_pct = -1;
}

static void native_line(struct parse_ctx *ctx, const char *line, size_t len)
{
	cJSON *root = parse_json(ctx, line, len);

	if (root != NULL)
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
    "native", 0, native_wants, native_line, 0, native_flush, native_save, native_load,
};
