/*
 * compare.c - the model comparison.
 *
 * Three passes over the period's events: sums by task, model and outcome
 * (requests, tokens, price, time saved), latencies in order for the
 * percentiles, and each session in time order for retries. Every figure is
 * kept per task and for all tasks together (task "").
 */
#include "compare.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static struct compare_row *row_for(struct compare_report *r, const char *task, const char *model)
{
	struct compare_row *p;

	for (size_t i = 0; i < r->n_rows; i++)
		if (strcmp(r->rows[i].task, task) == 0 && strcmp(r->rows[i].model, model) == 0)
			return &r->rows[i];
	p = realloc(r->rows, (r->n_rows + 1) * sizeof(*p));
	if (p == NULL)
		return NULL;
	r->rows = p;
	p = &r->rows[r->n_rows];
	memset(p, 0, sizeof(*p));
	p->task = strdup(task);
	p->model = strdup(model);
	p->latency_p50_ms = p->latency_p95_ms = -1;
	if (p->task == NULL || p->model == NULL) {
		free(p->task);
		free(p->model);
		return NULL;
	}
	r->n_rows++;
	return p;
}

static const char *text_or_empty(sqlite3_stmt *s, int i)
{
	const char *v = (const char *)sqlite3_column_text(s, i);

	return v ? v : "";
}

static int prepare(sqlite3 *db, const char *sql, int64_t lo, int64_t hi, sqlite3_stmt **s,
                   char *err, size_t errlen)
{
	if (sqlite3_prepare_v2(db, sql, -1, s, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "compare query: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_int64(*s, 1, lo);
	sqlite3_bind_int64(*s, 2, hi);
	return 0;
}

static int read_sums(sqlite3 *db, const struct config *cfg, int64_t lo, int64_t hi,
                     struct compare_report *r, char *err, size_t errlen)
{
	static const char sql[] =
	    "SELECT coalesce(task, ''), model, coalesce(outcome, ''), count(*), "
	    "sum(input_tokens), sum(cache_read_tokens), sum(cache_write_tokens), "
	    "sum(output_tokens), sum(lines_added + lines_accepted), "
	    "sum(coalesce(latency_ms, 0)) FROM event_named WHERE ts >= ?1 AND ts < ?2 "
	    "GROUP BY 1, 2, 3";
	sqlite3_stmt *s;
	int rc;

	if (prepare(db, sql, lo, hi, &s, err, errlen) < 0)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *task = text_or_empty(s, 0), *model = text_or_empty(s, 1);
		const char *outcome = text_or_empty(s, 2);
		int64_t n = sqlite3_column_int64(s, 3);
		struct token_sums t = {sqlite3_column_int64(s, 4), sqlite3_column_int64(s, 5),
		                       sqlite3_column_int64(s, 6), sqlite3_column_int64(s, 7)};
		struct time_usage u;
		struct scenario min;
		double usd = estimate_api_cost(config_model_price(cfg, model), &t);
		int o = strcmp(outcome, "accepted") == 0   ? OUTCOME_ACCEPTED
		        : strcmp(outcome, "rejected") == 0 ? OUTCOME_REJECTED
		        : strcmp(outcome, "edited") == 0   ? OUTCOME_EDITED
		                                           : OUTCOME_UNKNOWN;

		memset(&u, 0, sizeof(u));
		u.requests[o] = n;
		u.lines = sqlite3_column_int64(s, 8);
		u.latency_ms = sqlite3_column_int64(s, 9);
		min = estimate_minutes_saved(&cfg->estimate, task, &u);
		/* Once for the task, once for all tasks: once only when there is no task. */
		for (int all = 0; all < (task[0] ? 2 : 1); all++) {
			struct compare_row *row = row_for(r, all ? "" : task, model);

			if (row == NULL)
				break;
			row->requests += n;
			row->with_outcome += o != OUTCOME_UNKNOWN ? n : 0;
			row->accepted += o == OUTCOME_ACCEPTED || o == OUTCOME_EDITED ? n : 0;
			row->tokens += t.input + t.cache_read + t.cache_write + t.output;
			row->api_usd += usd;
			row->minutes.low += min.low;
			row->minutes.likely += min.likely;
			row->minutes.high += min.high;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "compare query: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* Nearest-rank percentile of sorted values. */
static double percentile(const int64_t *v, size_t n, double p)
{
	size_t rank = (size_t)ceil(p * (double)n);

	return (double)v[rank ? rank - 1 : 0];
}

/* Latencies come sorted within each (task, model) group, or each model when by_model. */
static int read_latencies(sqlite3 *db, int64_t lo, int64_t hi, int by_model,
                          struct compare_report *r, char *err, size_t errlen)
{
	const char *sql = by_model
	                      ? "SELECT '', model, latency_ms FROM event_named WHERE ts >= ?1 "
	                        "AND ts < ?2 AND latency_ms IS NOT NULL ORDER BY 2, 3"
	                      : "SELECT coalesce(task, ''), model, latency_ms FROM event_named "
	                        "WHERE ts >= ?1 AND ts < ?2 AND latency_ms IS NOT NULL "
	                        "ORDER BY 1, 2, 3";
	size_t row = SIZE_MAX, n = 0, cap = 0;
	int64_t *v = NULL;
	sqlite3_stmt *s;
	int rc;

	if (prepare(db, sql, lo, hi, &s, err, errlen) < 0)
		return -1;
	for (;;) {
		size_t next = SIZE_MAX;

		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			struct compare_row *found =
			    row_for(r, text_or_empty(s, 0), text_or_empty(s, 1));

			if (found == NULL)
				break;
			next = (size_t)(found - r->rows);
		}
		/* A group ends: its percentiles are known. */
		if (row != SIZE_MAX && row != next && n > 0) {
			r->rows[row].with_latency = (int64_t)n;
			r->rows[row].latency_p50_ms = percentile(v, n, 0.50);
			r->rows[row].latency_p95_ms = percentile(v, n, 0.95);
			n = 0;
		}
		if (rc != SQLITE_ROW)
			break;
		row = next;
		if (n == cap) {
			int64_t *p = realloc(v, (cap = cap ? cap * 2 : 1024) * sizeof(*v));

			if (p == NULL)
				break;
			v = p;
		}
		v[n++] = sqlite3_column_int64(s, 2);
	}
	free(v);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "compare query: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/*
 * A retry is a request that repeats one the developer did not keep: in the
 * same session right after a rejection, or, for tools where each request is
 * the developer's own (not an agent's next step), within a minute of the
 * previous one. Agents (Claude Code, Codex) send requests seconds apart as
 * they work, which is no sign of a retry.
 */
static int is_agent(const char *tool)
{
	return strcmp(tool, "claude-code") == 0 || strcmp(tool, "codex") == 0;
}

static int read_retries(sqlite3 *db, int64_t lo, int64_t hi, struct compare_report *r, char *err,
                        size_t errlen)
{
	static const char sql[] = "SELECT session, coalesce(task, ''), model, ts, outcome, tool "
	                          "FROM event_named WHERE ts >= ?1 AND ts < ?2 AND session IS NOT "
	                          "NULL ORDER BY session, ts";
	char *prev_session = NULL;
	int64_t prev_ts = 0;
	int was_rejected = 0, rc;
	sqlite3_stmt *s;

	if (prepare(db, sql, lo, hi, &s, err, errlen) < 0)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *session = text_or_empty(s, 0), *outcome = text_or_empty(s, 4);
		int64_t ts = sqlite3_column_int64(s, 3);

		if (prev_session && strcmp(prev_session, session) == 0 &&
		    (was_rejected ||
		     (!is_agent(text_or_empty(s, 5)) && ts - prev_ts < COMPARE_RETRY_MS))) {
			const char *task = text_or_empty(s, 1);

			for (int all = 0; all < (task[0] ? 2 : 1); all++) {
				struct compare_row *row =
				    row_for(r, all ? "" : task, text_or_empty(s, 2));

				if (row)
					row->retries++;
			}
		}
		if (prev_session == NULL || strcmp(prev_session, session) != 0) {
			free(prev_session);
			prev_session = strdup(session);
		}
		prev_ts = ts;
		was_rejected = strcmp(outcome, "rejected") == 0;
	}
	free(prev_session);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "compare query: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

double compare_acceptance(const struct compare_row *row)
{
	return row->with_outcome ? (double)row->accepted / (double)row->with_outcome : -1;
}

double compare_minutes_per_dollar(const struct compare_row *row)
{
	return row->api_usd > 0 ? row->minutes.likely / row->api_usd : 0;
}

static int by_task_model(const void *a, const void *b)
{
	const struct compare_row *x = a, *y = b;
	int c = strcmp(x->task, y->task);

	return c ? c : strcmp(x->model, y->model);
}

/* For each task, the two models with enough requests that save most time per dollar. */
static int advise(struct compare_report *r)
{
	for (size_t i = 0; i < r->n_rows; i++) {
		const char *task = r->rows[i].task;
		const struct compare_row *best = NULL, *second = NULL;
		struct compare_advice *a;

		if (i > 0 && strcmp(r->rows[i - 1].task, task) == 0)
			continue;
		for (size_t k = i; k < r->n_rows && strcmp(r->rows[k].task, task) == 0; k++) {
			const struct compare_row *row = &r->rows[k];

			if (row->requests < COMPARE_MIN_SAMPLES || row->api_usd <= 0)
				continue;
			if (!best ||
			    compare_minutes_per_dollar(row) > compare_minutes_per_dollar(best)) {
				second = best;
				best = row;
			} else if (!second || compare_minutes_per_dollar(row) >
			                          compare_minutes_per_dollar(second)) {
				second = row;
			}
		}
		a = realloc(r->advice, (r->n_advice + 1) * sizeof(*a));
		if (a == NULL)
			return -1;
		r->advice = a;
		a = &r->advice[r->n_advice++];
		memset(a, 0, sizeof(*a));
		a->task = strdup(task);
		if (best && second && compare_minutes_per_dollar(second) > 0) {
			a->best = strdup(best->model);
			a->runner_up = strdup(second->model);
			a->ratio =
			    compare_minutes_per_dollar(best) / compare_minutes_per_dollar(second);
			a->requests = best->requests + second->requests;
		}
	}
	return 0;
}

int compare_build(sqlite3 *db, const struct config *cfg, const char *from, const char *to,
                  struct compare_report *r, char *err, size_t errlen)
{
	int64_t lo = INT64_MIN, hi = INT64_MAX;

	memset(r, 0, sizeof(*r));
	if ((from && report_day_bound(from, 0, &lo, err, errlen) < 0) ||
	    (to && report_day_bound(to, 1, &hi, err, errlen) < 0))
		return -1;
	snprintf(r->from, sizeof(r->from), "%s", from ? from : "");
	snprintf(r->to, sizeof(r->to), "%s", to ? to : "");
	if (read_sums(db, cfg, lo, hi, r, err, errlen) < 0 ||
	    read_latencies(db, lo, hi, 0, r, err, errlen) < 0 ||
	    read_latencies(db, lo, hi, 1, r, err, errlen) < 0 ||
	    read_retries(db, lo, hi, r, err, errlen) < 0)
		goto fail;
	qsort(r->rows, r->n_rows, sizeof(*r->rows), by_task_model);
	if (advise(r) < 0)
		goto fail;
	return 0;
fail:
	compare_free(r);
	return -1;
}

void compare_free(struct compare_report *r)
{
	for (size_t i = 0; i < r->n_rows; i++) {
		free(r->rows[i].task);
		free(r->rows[i].model);
	}
	free(r->rows);
	for (size_t i = 0; i < r->n_advice; i++) {
		free(r->advice[i].task);
		free(r->advice[i].best);
		free(r->advice[i].runner_up);
	}
	free(r->advice);
	memset(r, 0, sizeof(*r));
}
