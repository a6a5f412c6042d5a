/*
 * otlp.c - the OpenTelemetry receiver: OTLP/HTTP with JSON encoding.
 *
 * POST /v1/logs: Claude Code's claude_code.api_request records, and any
 * record with GenAI semantic-convention usage (gen_ai.usage.*), become
 * events; Codex's codex.sse_event records of kind response.completed count
 * too. claude_code.tool_decision sets the outcome of the latest request of
 * its session in the same export, and claude_code.user_prompt (or
 * codex.user_prompt) is a prompt the next request of its session answers.
 * POST /v1/metrics: claude_code.lines_of_code.count adds the lines to the
 * latest stored request of its session, and claude_code.code_edit_tool.
 * decision sets that request's outcome, as a tool_decision record would
 * (delta points as they are, cumulative ones as the growth since the last
 * point seen; a point that did not grow decides nothing).
 *
 * Who a record belongs to is user.email, user.id, user.account_uuid or
 * enduser.id, looked up in the record and then its resource; people[].
 * aliases turn it into a person at report time. Protobuf is answered 415.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../lib/arena.h"
#include "body.h"
#include "otlp.h"
#include "../ingest/event.h"
#include "../lib/log.h"
#include "../store/store.h"
#include "../lib/util.h"

#define MAX_SERIES 4096 /* cumulative series remembered; beyond, the oldest go */

/*
 * A record's key/value list, indexed once: each record is asked for some
 * thirty keys (several spellings of each field), and walking the list for
 * every one cost more than parsing the record.
 */
#define ATTRS_INDEXED 48

struct attrs {
	size_t n;
	const char *key[ATTRS_INDEXED];
	const cJSON *value[ATTRS_INDEXED];
	const cJSON *rest; /* the entries past ATTRS_INDEXED, walked when asked */
};

/* The key of one {"key": ..., "value": ...} entry, NULL when it has none. */
static const char *entry_key(const cJSON *kv)
{
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(kv, "key");

	return cJSON_IsString(k) ? k->valuestring : NULL;
}

static const struct attrs *attrs_index(struct attrs *a, const cJSON *list)
{
	const cJSON *kv = cJSON_IsArray(list) ? list->child : NULL;

	for (a->n = 0; kv != NULL && a->n < ATTRS_INDEXED; kv = kv->next) {
		if ((a->key[a->n] = entry_key(kv)) != NULL)
			a->value[a->n++] = cJSON_GetObjectItemCaseSensitive(kv, "value");
	}
	a->rest = kv;
	return a;
}

/* An attribute's value object ({"stringValue": ...}), the first of its key. */
static const cJSON *attr(const struct attrs *a, const char *key)
{
	if (a == NULL)
		return NULL;
	for (size_t i = 0; i < a->n; i++)
		if (a->key[i][0] == key[0] && strcmp(a->key[i], key) == 0)
			return a->value[i];
	for (const cJSON *kv = a->rest; kv != NULL; kv = kv->next) {
		const char *k = entry_key(kv);

		if (k && strcmp(k, key) == 0)
			return cJSON_GetObjectItemCaseSensitive(kv, "value");
	}
	return NULL;
}

/* Looks in the record's attributes, then in its resource's. */
static const cJSON *attr2(const struct attrs *rec, const struct attrs *res, const char *key)
{
	const cJSON *v = attr(rec, key);

	return v ? v : attr(res, key);
}

static const char *value_str(const cJSON *v)
{
	const cJSON *s = v ? cJSON_GetObjectItemCaseSensitive(v, "stringValue") : NULL;

	return s != NULL && cJSON_IsString(s) && s->valuestring[0] ? s->valuestring : NULL;
}

/* A number from intValue (a JSON string or number), doubleValue or a numeric stringValue. */
static int value_num(const cJSON *v, double *out)
{
	static const char *const kinds[] = {"intValue", "doubleValue", "stringValue"};

	for (size_t i = 0; v && i < 3; i++) {
		const cJSON *x = cJSON_GetObjectItemCaseSensitive(v, kinds[i]);
		char *end;

		if (cJSON_IsNumber(x)) {
			*out = x->valuedouble;
			return isfinite(*out) ? 0 : -1;
		}
		if (cJSON_IsString(x) && x->valuestring[0]) {
			*out = strtod(x->valuestring, &end);
			if (*end == '\0')
				return isfinite(*out) ? 0 : -1;
		}
	}
	return -1;
}

/* The first of keys present as a number, as a count of tokens (0 when none is). */
static int64_t tokens(const struct attrs *rec, const char *const *keys)
{
	double v;

	for (; *keys; keys++)
		if (value_num(attr(rec, *keys), &v) == 0 && v >= 0 && v < 9e15)
			return (int64_t)v;
	return 0;
}

static const char *first_str(const struct attrs *rec, const struct attrs *res,
                             const char *const *keys)
{
	const char *s;

	for (; *keys; keys++)
		if ((s = value_str(attr2(rec, res, *keys))) != NULL)
			return s;
	return NULL;
}

/* A uint64 in nanoseconds, which OTLP/JSON sends as a string. */
static int64_t nanos(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (cJSON_IsString(v))
		return strtoll(v->valuestring, NULL, 10);
	if (cJSON_IsNumber(v))
		return (int64_t)v->valuedouble;
	return 0;
}

static const char *const who_keys[] = {"user.email", "user.id", "user.account_uuid", "enduser.id",
                                       NULL};

/* The record's event name without the tool's prefix: "api_request", "tool_decision". */
static const char *event_name(const cJSON *lr, const struct attrs *attrs)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(lr, "eventName");
	const char *name = cJSON_IsString(n) && n->valuestring[0] ? n->valuestring : NULL;
	const cJSON *body = cJSON_GetObjectItemCaseSensitive(lr, "body");

	if (name == NULL)
		name = value_str(attr(attrs, "event.name"));
	if (name == NULL)
		name = value_str(body);
	if (name == NULL)
		return "";
	if (strncmp(name, "claude_code.", 12) == 0)
		return name + 12;
	return name;
}

/* A decision whose request came in an earlier export: applied under the writer. */
struct late_decision {
	const char *session; /* in the batch's arena */
	int64_t ts_ms;       /* INT64_MAX when the record has no time */
	int is_accept;
};

/* What an export could not use: how much, and the first reason, for partialSuccess. */
struct rejections {
	int64_t n;
	char first[200];
};

static void note_rejected(struct rejections *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void note_rejected(struct rejections *r, const char *fmt, ...)
{
	va_list ap;

	if (r->n++ > 0)
		return;
	va_start(ap, fmt);
	vsnprintf(r->first, sizeof(r->first), fmt, ap);
	va_end(ap);
}

struct decisions {
	struct late_decision *items;
	size_t n, cap;
};

struct logs_ctx {
	struct batch *b;
	int64_t seen;
	struct rejections rejected;
	struct decisions late;
};

static void reject(struct logs_ctx *x, const char *why)
{
	note_rejected(&x->rejected, "%s", why);
}

static void add_request(struct logs_ctx *x, const cJSON *lr, const struct attrs *attrs,
                        const struct attrs *res_attrs, const char *name)
{
	static const char *const model_keys[] = {"model", "gen_ai.response.model",
	                                         "gen_ai.request.model", NULL};
	static const char *const in_keys[] = {"input_tokens", "gen_ai.usage.input_tokens",
	                                      "input_token_count", NULL};
	static const char *const out_keys[] = {"output_tokens", "gen_ai.usage.output_tokens",
	                                       "output_token_count", NULL};
	static const char *const read_keys[] = {
	    "cache_read_tokens", "gen_ai.usage.cache_read.input_tokens",
	    "gen_ai.usage.cache_read_input_tokens", "cached_token_count", NULL};
	static const char *const write_keys[] = {"cache_creation_tokens",
	                                         "gen_ai.usage.cache_creation.input_tokens",
	                                         "gen_ai.usage.cache_creation_input_tokens", NULL};
	static const char *const reason_keys[] = {"reasoning_tokens", "reasoning_token_count",
	                                          "gen_ai.usage.reasoning_tokens", NULL};
	static const char *const tool_keys[] = {"service.name", "gen_ai.provider.name", NULL};
	const char *model = first_str(attrs, res_attrs, model_keys);
	const char *who = first_str(attrs, res_attrs, who_keys);
	const char *ts_text = value_str(attr(attrs, "event.timestamp"));
	const char *session = value_str(attr2(attrs, res_attrs, "session.id"));
	int64_t ts_ns = nanos(lr, "timeUnixNano");
	struct event ev, *e;
	double v;
	char key[512];

	memset(&ev, 0, sizeof(ev));
	if (model == NULL) {
		reject(x, "a request record names no model (model or gen_ai.*.model)");
		return;
	}
	if (ts_ns <= 0)
		ts_ns = nanos(lr, "observedTimeUnixNano");
	if (ts_text == NULL || parse_iso8601(ts_text, &ev.ts_ms, &(const char *){NULL}) < 0)
		ev.ts_ms = ts_ns / 1000000;
	if (ev.ts_ms <= 0) {
		reject(x, "a request record has no time (timeUnixNano or event.timestamp)");
		return;
	}
	ev.input_tokens = tokens(attrs, in_keys);
	ev.output_tokens = tokens(attrs, out_keys);
	ev.cache_read_tokens = tokens(attrs, read_keys);
	ev.cache_write_tokens = tokens(attrs, write_keys);
	ev.reasoning_tokens = tokens(attrs, reason_keys);
	/* GenAI conventions count cached input inside input_tokens; ours does not. */
	if (attr(attrs, "gen_ai.usage.input_tokens") != NULL && attr(attrs, "input_tokens") == NULL)
		ev.input_tokens =
		    ev.input_tokens > ev.cache_read_tokens + ev.cache_write_tokens
		        ? ev.input_tokens - ev.cache_read_tokens - ev.cache_write_tokens
		        : 0;
	if (ev.reasoning_tokens > ev.output_tokens)
		ev.output_tokens += ev.reasoning_tokens; /* Codex counts them apart */
	ev.latency_ms = -1;
	if (value_num(attr(attrs, "duration_ms"), &v) == 0 && v >= 0)
		ev.latency_ms = (int64_t)v;
	if (value_num(attr(attrs, "cost_usd"), &v) == 0 && v >= 0) {
		ev.cost_usd = v;
		ev.has_cost = 1;
	}
	ev.plan_used_pct = -1;
	/* A prompt.id names the person's prompt the request answers; Claude Code's
	 * and Codex's requests without one get theirs from a user_prompt record;
	 * other GenAI records, one call each, are each their own prompt. */
	if (value_str(attr2(attrs, res_attrs, "prompt.id")) != NULL) {
		ev.prompts = 1;
		ev.prompt_key = hash64_str(value_str(attr2(attrs, res_attrs, "prompt.id")),
		                           hash64_str(session ? session : "", 0x70));
	} else {
		ev.prompts =
		    strcmp(name, "api_request") != 0 && strcmp(name, "codex.sse_event") != 0;
	}
	/* The same record sent twice (an exporter's retry) is one event. */
	snprintf(key, sizeof(key), "%s|%s|%s|%lld|%s|%lld|%lld|%lld|%lld|%s", name, who ? who : "",
	         session ? session : "", (long long)ts_ns, model, (long long)ev.input_tokens,
	         (long long)ev.output_tokens, (long long)ev.cache_read_tokens,
	         (long long)ev.cache_write_tokens,
	         value_str(attr(attrs, "event.sequence")) ? value_str(attr(attrs, "event.sequence"))
	                                                  : "");
	ev.id = hash64_str(key, 0x07);
	if ((e = batch_add_event(x->b)) == NULL)
		return;
	*e = ev;
	e->developer = arena_strdup(&x->b->mem, who ? who : "unknown");
	e->model = arena_strdup(&x->b->mem, model);
	e->tool = arena_strdup(&x->b->mem, first_str(NULL, res_attrs, tool_keys)
	                                       ? first_str(NULL, res_attrs, tool_keys)
	                                       : "otlp");
	e->session = session ? arena_strdup(&x->b->mem, session) : NULL;
	e->offset = x->seen;
}

/* Keeps a decision for the stored requests of its session; -1 out of memory. */
static int keep_decision(struct decisions *list, struct arena *mem, const char *session,
                         int64_t ts_ns, int is_accept)
{
	struct late_decision *d;

	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 16;
		struct late_decision *more = realloc(list->items, cap * sizeof(*more));

		if (more == NULL)
			return -1;
		list->items = more;
		list->cap = cap;
	}
	d = &list->items[list->n];
	d->session = arena_strdup(mem, session);
	d->ts_ms = ts_ns > 0 ? ts_ns / 1000000 : INT64_MAX;
	d->is_accept = is_accept;
	if (d->session == NULL)
		return -1;
	list->n++;
	return 0;
}

/* Under the writer: each decision sets the outcome of its session's stored request. */
static int apply_decisions(struct store *st, const struct decisions *list,
                           struct rejections *rejected)
{
	for (size_t i = 0; i < list->n; i++) {
		const struct late_decision *d = &list->items[i];
		int rc = store_session_decision(st, d->session, d->ts_ms, d->is_accept);

		if (rc < 0)
			return -1;
		if (rc == 0)
			note_rejected(rejected, "no request of session '%.80s' is stored yet",
			              d->session);
	}
	return 0;
}

/*
 * A tool decision answers the latest earlier request of its session: in
 * this export if it has one, else among the stored ones (exporters batch
 * by time, so a request and its decision may travel apart).
 */
static void add_decision(struct logs_ctx *x, const cJSON *lr, const struct attrs *attrs,
                         const struct attrs *res_attrs)
{
	const char *decision = value_str(attr(attrs, "decision"));
	const char *session = value_str(attr2(attrs, res_attrs, "session.id"));
	struct event *best = NULL;

	if (decision == NULL || session == NULL ||
	    (strcmp(decision, "accept") != 0 && strcmp(decision, "reject") != 0))
		return;
	for (size_t i = 0; i < x->b->n_events; i++) {
		struct event *e = &x->b->events[i];

		if (e->session && strcmp(e->session, session) == 0 &&
		    (best == NULL || e->ts_ms >= best->ts_ms))
			best = e;
	}
	if (best == NULL) {
		if (keep_decision(&x->late, &x->b->mem, session, nanos(lr, "timeUnixNano"),
		                  strcmp(decision, "accept") == 0) < 0)
			reject(x, "out of memory");
		return;
	}
	if (strcmp(decision, "accept") == 0)
		best->outcome = best->outcome == OUTCOME_REJECTED ? OUTCOME_EDITED
		                : best->outcome == OUTCOME_EDITED ? OUTCOME_EDITED
		                                                  : OUTCOME_ACCEPTED;
	else if (strcmp(decision, "reject") == 0)
		best->outcome = best->outcome == OUTCOME_ACCEPTED || best->outcome == OUTCOME_EDITED
		                    ? OUTCOME_EDITED
		                    : OUTCOME_REJECTED;
}

/*
 * A user_prompt record without a prompt.id is counted by the first request
 * of its session at or after it in this export; one whose requests carry
 * its prompt.id is counted by them.
 */
static void add_prompt(struct logs_ctx *x, const cJSON *lr, const struct attrs *attrs,
                       const struct attrs *res_attrs)
{
	const char *session = value_str(attr2(attrs, res_attrs, "session.id"));
	int64_t ts_ms = nanos(lr, "timeUnixNano") / 1000000;
	struct event *first = NULL;

	if (session == NULL || value_str(attr2(attrs, res_attrs, "prompt.id")) != NULL)
		return;
	for (size_t i = 0; i < x->b->n_events; i++) {
		struct event *e = &x->b->events[i];

		if (e->session && e->prompt_key == 0 && e->ts_ms >= ts_ms &&
		    strcmp(e->session, session) == 0 && (first == NULL || e->ts_ms < first->ts_ms))
			first = e;
	}
	if (first)
		first->prompts++;
}

static int is_request(const char *name, const struct attrs *attrs)
{
	const char *kind;

	if (strcmp(name, "api_request") == 0)
		return 1;
	if (strcmp(name, "codex.sse_event") == 0) {
		kind = value_str(attr(attrs, "event.kind"));
		return kind && strcmp(kind, "response.completed") == 0;
	}
	return attr(attrs, "gen_ai.usage.input_tokens") != NULL ||
	       attr(attrs, "gen_ai.usage.output_tokens") != NULL;
}

static void read_logs(const cJSON *root, struct logs_ctx *x)
{
	const cJSON *rl, *sl, *lr;

	cJSON_ArrayForEach(rl, cJSON_GetObjectItemCaseSensitive(root, "resourceLogs"))
	{
		const cJSON *res = cJSON_GetObjectItemCaseSensitive(rl, "resource");
		struct attrs res_attrs;

		attrs_index(&res_attrs, cJSON_GetObjectItemCaseSensitive(res, "attributes"));

		/* Requests first, then decisions, whatever order the records came in. */
		for (int pass = 0; pass < 2; pass++)
			cJSON_ArrayForEach(sl, cJSON_GetObjectItemCaseSensitive(rl, "scopeLogs"))
			{
				cJSON_ArrayForEach(
				    lr, cJSON_GetObjectItemCaseSensitive(sl, "logRecords"))
				{
					struct attrs attrs;
					const char *name;

					attrs_index(&attrs, cJSON_GetObjectItemCaseSensitive(
					                        lr, "attributes"));
					name = event_name(lr, &attrs);
					if (pass == 0) {
						x->seen++;
						if (is_request(name, &attrs))
							add_request(x, lr, &attrs, &res_attrs,
							            name);
					} else if (strcmp(name, "tool_decision") == 0) {
						add_decision(x, lr, &attrs, &res_attrs);
					} else if (strcmp(name, "user_prompt") == 0 ||
					           strcmp(name, "codex.user_prompt") == 0) {
						add_prompt(x, lr, &attrs, &res_attrs);
					}
				}
			}
	}
}

/* Lines of code from metrics, to be credited to sessions under the writer. */
struct lines {
	char *session;
	int64_t added, removed;
};

struct metrics_ctx {
	struct http_server *s;
	struct batch *b; /* empty: its arena holds the decisions' sessions */
	struct lines *items;
	size_t n, cap;
	struct decisions decisions;
	int64_t points;
	struct rejections rejected;
};

/* Cumulative series: the last value seen of each, to turn totals into growth. */
static pthread_mutex_t series_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	uint64_t key;
	int64_t start_ns;
	double value;
} series[MAX_SERIES];
static size_t n_series, next_series;

static double cumulative_growth(struct http_server *s, uint64_t key, int64_t start_ns, double v)
{
	double growth = -1;
	size_t i;

	pthread_mutex_lock(&series_lock);
	for (i = 0; i < n_series && series[i].key != key; i++)
		;
	if (i < n_series && series[i].start_ns == start_ns) {
		growth = v >= series[i].value ? v - series[i].value : v;
	} else {
		/* A series first seen: all of it is new only if it began while we ran. */
		growth = start_ns / 1000000000 >= (int64_t)s->started ? v : 0;
		if (i == n_series) {
			if (n_series < MAX_SERIES)
				i = n_series++;
			else
				i = next_series++ % MAX_SERIES;
		}
		series[i].key = key;
	}
	series[i].start_ns = start_ns;
	series[i].value = v;
	pthread_mutex_unlock(&series_lock);
	return growth;
}

static void add_lines(struct metrics_ctx *x, const char *session, const char *type, double n)
{
	struct lines *l = NULL;

	if (n <= 0)
		return;
	for (size_t i = 0; i < x->n && l == NULL; i++)
		if (strcmp(x->items[i].session, session) == 0)
			l = &x->items[i];
	if (l == NULL) {
		if (x->n == x->cap) {
			size_t cap = x->cap ? x->cap * 2 : 16;
			struct lines *p = realloc(x->items, cap * sizeof(*p));

			if (p == NULL)
				return;
			x->items = p;
			x->cap = cap;
		}
		l = &x->items[x->n++];
		memset(l, 0, sizeof(*l));
		if ((l->session = strdup(session)) == NULL) {
			x->n--;
			return;
		}
	}
	if (strcmp(type, "added") == 0)
		l->added += (int64_t)n;
	else if (strcmp(type, "removed") == 0)
		l->removed += (int64_t)n;
}

/*
 * One metric: the sums claude_code.lines_of_code.count and
 * claude_code.code_edit_tool.decision are read, the rest ignored.
 */
static void read_metric(struct metrics_ctx *x, const cJSON *m, const struct attrs *res_attrs)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(m, "name");
	const cJSON *sum = cJSON_GetObjectItemCaseSensitive(m, "sum");
	const cJSON *temp = cJSON_GetObjectItemCaseSensitive(sum, "aggregationTemporality");
	int is_cumulative = cJSON_IsNumber(temp) && temp->valueint == 2;
	int is_lines, is_decision;
	const cJSON *dp;

	if (!cJSON_IsString(name) || sum == NULL)
		return;
	is_lines = strcmp(name->valuestring, "claude_code.lines_of_code.count") == 0;
	is_decision = strcmp(name->valuestring, "claude_code.code_edit_tool.decision") == 0;
	if (!is_lines && !is_decision)
		return;
	cJSON_ArrayForEach(dp, cJSON_GetObjectItemCaseSensitive(sum, "dataPoints"))
	{
		struct attrs point;
		const struct attrs *attrs =
		    attrs_index(&point, cJSON_GetObjectItemCaseSensitive(dp, "attributes"));
		const char *session = value_str(attr2(attrs, res_attrs, "session.id"));
		/* type is added / removed; decision is accept / reject. */
		const char *kind = value_str(attr(attrs, is_lines ? "type" : "decision"));
		const char *who = first_str(attrs, res_attrs, who_keys);
		const char *tool = value_str(attr(attrs, "tool_name"));
		const char *language = value_str(attr(attrs, "language"));
		const cJSON *iv = cJSON_GetObjectItemCaseSensitive(dp, "asInt");
		const cJSON *dv = cJSON_GetObjectItemCaseSensitive(dp, "asDouble");
		double v = cJSON_IsString(iv)   ? strtod(iv->valuestring, NULL)
		           : cJSON_IsNumber(iv) ? iv->valuedouble
		           : cJSON_IsNumber(dv) ? dv->valuedouble
		                                : -1;
		char key[768];

		x->points++;
		if (tool == NULL)
			tool = value_str(attr(attrs, "tool"));
		if (session == NULL || kind == NULL || v < 0) {
			note_rejected(&x->rejected, "a %s point needs session.id, %s and a value",
			              is_lines ? "lines_of_code" : "code_edit_tool.decision",
			              is_lines ? "type" : "decision");
			continue;
		}
		if (is_decision && strcmp(kind, "accept") != 0 && strcmp(kind, "reject") != 0) {
			note_rejected(&x->rejected,
			              "a code_edit_tool.decision is accept or reject");
			continue;
		}
		if (is_cumulative) {
			/* A series is every attribute that tells points apart. */
			snprintf(key, sizeof(key), "%d|%s|%s|%s|%s|%s", is_lines, session, kind,
			         who ? who : "", tool ? tool : "", language ? language : "");
			v = cumulative_growth(x->s, hash64_str(key, 0x11),
			                      nanos(dp, "startTimeUnixNano"), v);
		}
		if (is_lines)
			add_lines(x, session, kind, v);
		else if (v > 0 &&
		         keep_decision(&x->decisions, &x->b->mem, session,
		                       nanos(dp, "timeUnixNano"), strcmp(kind, "accept") == 0) < 0)
			note_rejected(&x->rejected, "out of memory");
	}
}

static void read_metrics(const cJSON *root, struct metrics_ctx *x)
{
	const cJSON *rm, *sm, *m;

	cJSON_ArrayForEach(rm, cJSON_GetObjectItemCaseSensitive(root, "resourceMetrics"))
	{
		struct attrs res_attrs;

		attrs_index(&res_attrs,
		            cJSON_GetObjectItemCaseSensitive(
		                cJSON_GetObjectItemCaseSensitive(rm, "resource"), "attributes"));

		cJSON_ArrayForEach(sm, cJSON_GetObjectItemCaseSensitive(rm, "scopeMetrics"))
		{
			cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(sm, "metrics"))
			{
				read_metric(x, m, &res_attrs);
			}
		}
	}
}

static int apply_late_decisions(struct store *st, void *arg)
{
	struct logs_ctx *x = arg;

	return apply_decisions(st, &x->late, &x->rejected);
}

/* Under the writer: each session's lines and edit decisions go to its latest request. */
static int apply_metrics(struct store *st, void *arg)
{
	struct metrics_ctx *x = arg;

	for (size_t i = 0; i < x->n; i++) {
		int rc = store_add_session_lines(st, x->items[i].session, x->items[i].added,
		                                 x->items[i].removed);

		if (rc < 0)
			return -1;
		if (rc == 0)
			note_rejected(&x->rejected, "no request of session '%.80s' is stored yet",
			              x->items[i].session);
	}
	return apply_decisions(st, &x->decisions, &x->rejected);
}

static enum MHD_Result answer(struct MHD_Connection *c, int is_logs, int64_t rejected,
                              const char *why)
{
	struct buf b = BUF_INIT;
	enum MHD_Result ret;

	if (rejected == 0)
		buf_puts(&b, "{}");
	else {
		buf_printf(&b, "{\"partialSuccess\": {\"%s\": \"%lld\", \"errorMessage\": ",
		           is_logs ? "rejectedLogRecords" : "rejectedDataPoints",
		           (long long)rejected);
		buf_append_json(&b, why);
		buf_puts(&b, "}}");
	}
	ret = http_reply(c, MHD_HTTP_OK, "application/json", b.data, b.len);
	buf_free(&b);
	return ret;
}

/* The export as a tree in tree's blocks, or NULL with *why. */
static cJSON *parse_export(struct http_server *s, struct MHD_Connection *c, struct buf *body,
                           struct arena *tree, const char **why)
{
	struct buf inflated = BUF_INIT;
	const struct buf *text = http_body(c, body, (size_t)s->cfg->max_body_bytes, &inflated, why);
	cJSON *root = NULL;

	if (text != NULL) {
		arena_cjson_use(tree);
		root = cJSON_ParseWithLength(text->data ? text->data : "", text->len);
		arena_cjson_use(NULL);
		if (!cJSON_IsObject(root)) {
			root = NULL;
			*why = "the body is not an OTLP JSON object";
		}
	}
	buf_free(&inflated);
	return root;
}

static enum MHD_Result otlp(struct http_server *s, struct MHD_Connection *c, const char *sender,
                            int is_logs, struct buf *body)
{
	const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	struct buf stream = BUF_INIT;
	const char *why = NULL;
	unsigned status = MHD_HTTP_OK;
	struct store_counts counts;
	enum MHD_Result ret;
	struct batch b;
	struct logs_ctx logs = {&b, 0, {0, ""}, {NULL, 0, 0}};
	struct metrics_ctx metrics = {s, &b, NULL, 0, 0, {NULL, 0, 0}, 0, {0, ""}};
	/* The export's tree lives in big blocks, given back whole once it is read:
	 * what is kept was copied, so nothing of it waits for the writer. */
	struct arena tree = {NULL, (size_t)1 << 20};
	cJSON *root;

	if (type == NULL || strncasecmp(type, "application/json", 16) != 0)
		return http_reply_error(
		    c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
		    "this receiver speaks OTLP/HTTP with JSON encoding only (Content-Type: "
		    "application/json); set OTEL_EXPORTER_OTLP_PROTOCOL=http/json");
	memset(&b, 0, sizeof(b));
	http_parse_begin(s);
	root = parse_export(s, c, body, &tree, &why);
	if (root != NULL && is_logs)
		read_logs(root, &logs);
	else if (root != NULL)
		read_metrics(root, &metrics);
	arena_free(&tree);
	http_parse_end(s);
	if (root == NULL)
		return http_reply_error(c, MHD_HTTP_BAD_REQUEST, why);
	buf_printf(&stream, "otlp:%s", sender);
	if (is_logs) {
		if (http_writer_store(&s->writer, stream.data, (int64_t)body->len, logs.seen, &b,
		                      &counts, logs.late.n ? apply_late_decisions : NULL, &logs,
		                      &status, &why) < 0)
			ret = http_reply_error(c, status, why);
		else {
			s->otlp_records += (unsigned long long)logs.seen;
			s->otlp_rejected += (unsigned long long)logs.rejected.n;
			s->events_received += (unsigned long long)counts.added;
			ret = answer(c, 1, logs.rejected.n, logs.rejected.first);
		}
		free(logs.late.items);
	} else {
		/* Points that change no request need no writer. */
		if ((metrics.n > 0 || metrics.decisions.n > 0) &&
		    http_writer_store(&s->writer, stream.data, (int64_t)body->len, metrics.points,
		                      &b, &counts, apply_metrics, &metrics, &status, &why) < 0)
			ret = http_reply_error(c, status, why);
		else
			ret = answer(c, 0, metrics.rejected.n, metrics.rejected.first);
		for (size_t i = 0; i < metrics.n; i++)
			free(metrics.items[i].session);
		free(metrics.items);
		free(metrics.decisions.items);
	}
	batch_free(&b);
	buf_free(&stream);
	return ret;
}

enum MHD_Result http_otlp_logs(struct http_server *s, struct MHD_Connection *c,
                               const struct http_call *call)
{
	return otlp(s, c, call->sender, 1, call->body);
}

enum MHD_Result http_otlp_metrics(struct http_server *s, struct MHD_Connection *c,
                                  const struct http_call *call)
{
	return otlp(s, c, call->sender, 0, call->body);
}
