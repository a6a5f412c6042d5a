/*
 * compare.c - the model comparison.
 *
 * Two passes over the period's rollup rows: sums by task and model
 * (requests, outcomes, retries, tokens, price, time saved), then the
 * latency histograms, added up for the percentiles. Every figure is kept
 * per task and for all tasks together (task "").
 */
#include "compare.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../daemon/lathist.h"
#include "names.h"
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

static int prepare(sqlite3 *db, const char *sql, int64_t first, int64_t last, sqlite3_stmt **s,
                   char *err, size_t errlen)
{
	if (sqlite3_prepare_v2(db, sql, -1, s, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "compare query: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_int64(*s, 1, first);
	sqlite3_bind_int64(*s, 2, last);
	return 0;
}

static int read_sums(sqlite3 *db, const struct config *cfg, int64_t first, int64_t last,
                     struct compare_report *r, char *err, size_t errlen)
{
	static const char sql[] =
	    "SELECT task_id, model_id, requests, accepted, rejected, edited, input_tokens, "
	    "cache_read_tokens, cache_write_tokens, output_tokens, lines_added + lines_accepted, "
	    "latency_ms, retries FROM rollup WHERE day >= ?1 AND day <= ?2";
	struct name_cache *names = names_new(db);
	const struct model_price *price = NULL;
	int64_t price_model = -1;
	sqlite3_stmt *s;
	int rc;

	if (names == NULL) {
		snprintf(err, errlen, "compare query: out of memory");
		return -1;
	}
	if (prepare(db, sql, first, last, &s, err, errlen) < 0) {
		names_free(names);
		return -1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *task = names_text(names, sqlite3_column_int64(s, 0));
		const char *model = names_text(names, sqlite3_column_int64(s, 1));
		int64_t n = sqlite3_column_int64(s, 2), known = 0;
		struct token_sums t = {sqlite3_column_int64(s, 6), sqlite3_column_int64(s, 7),
		                       sqlite3_column_int64(s, 8), sqlite3_column_int64(s, 9)};
		struct time_usage u;
		struct scenario min;
		double usd;

		if (task == NULL || model == NULL)
			break;
		if (sqlite3_column_int64(s, 1) != price_model) {
			price_model = sqlite3_column_int64(s, 1);
			price = config_model_price(cfg, model);
		}
		usd = estimate_api_cost(price, &t);
		memset(&u, 0, sizeof(u));
		for (int o = OUTCOME_ACCEPTED; o < OUTCOME_KINDS; o++)
			known += u.requests[o] = sqlite3_column_int64(s, 2 + o);
		u.requests[OUTCOME_UNKNOWN] = n - known;
		u.lines = sqlite3_column_int64(s, 10);
		u.latency_ms = sqlite3_column_int64(s, 11);
		min = estimate_minutes_saved(&cfg->estimate, task, &u);
		/* Once for the task, once for all tasks: once only when there is no task. */
		for (int all = 0; all < (task[0] ? 2 : 1); all++) {
			struct compare_row *row = row_for(r, all ? "" : task, model);

			if (row == NULL)
				break;
			row->requests += n;
			row->with_outcome += known;
			row->accepted += u.requests[OUTCOME_ACCEPTED] + u.requests[OUTCOME_EDITED];
			row->retries += sqlite3_column_int64(s, 12);
			row->tokens += t.input + t.cache_read + t.cache_write + t.output;
			row->api_usd += usd;
			row->minutes.low += min.low;
			row->minutes.likely += min.likely;
			row->minutes.high += min.high;
		}
	}
	sqlite3_finalize(s);
	names_free(names);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "compare query: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* The latencies of one (task, model), added up from its rollup rows. */
struct latency_group {
	int64_t task_id, model_id;
	int64_t counts[LATHIST_BUCKETS];
};

static int64_t *group_counts(struct latency_group **groups, size_t *n, int64_t task_id,
                             int64_t model_id)
{
	struct latency_group *g;

	/* Rows come in key order: the group of the row before is the likeliest. */
	for (size_t i = *n; i-- > 0;)
		if ((*groups)[i].task_id == task_id && (*groups)[i].model_id == model_id)
			return (*groups)[i].counts;
	g = realloc(*groups, (*n + 1) * sizeof(*g));
	if (g == NULL)
		return NULL;
	*groups = g;
	g = &g[(*n)++];
	memset(g, 0, sizeof(*g));
	g->task_id = task_id;
	g->model_id = model_id;
	return g->counts;
}

/*
 * Histograms add up exactly, so the percentiles of a task (or of all tasks)
 * come from the sum of its rows' histograms: within 2.5% of exact.
 */
static int read_latencies(sqlite3 *db, int64_t first, int64_t last, struct compare_report *r,
                          char *err, size_t errlen)
{
	static const char sql[] = "SELECT task_id, model_id, hist FROM rollup_latency "
	                          "WHERE day >= ?1 AND day <= ?2";
	struct latency_group *groups = NULL;
	size_t n_groups = 0;
	struct name_cache *names = NULL;
	sqlite3_stmt *s;
	int rc, is_ok = 1;

	if (prepare(db, sql, first, last, &s, err, errlen) < 0)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t *counts = group_counts(&groups, &n_groups, sqlite3_column_int64(s, 0),
		                               sqlite3_column_int64(s, 1));

		if (counts == NULL) {
			is_ok = 0;
			break;
		}
		/* An unreadable histogram leaves those latencies out. */
		lathist_add_blob(counts, sqlite3_column_blob(s, 2),
		                 (size_t)sqlite3_column_bytes(s, 2));
	}
	/* All tasks together: each model's task histograms added up (requests without a
	 * task are there already). groups may move as it grows: indexes, not pointers. */
	for (size_t i = 0, n_task_groups = n_groups; is_ok && i < n_task_groups; i++) {
		int64_t *all;

		if (groups[i].task_id == 0)
			continue;
		all = group_counts(&groups, &n_groups, 0, groups[i].model_id);
		if (all == NULL) {
			is_ok = 0;
			break;
		}
		for (int b = 0; b < LATHIST_BUCKETS; b++)
			all[b] += groups[i].counts[b];
	}
	sqlite3_finalize(s);
	if (is_ok && rc == SQLITE_DONE && (names = names_new(db)) != NULL) {
		for (size_t i = 0; i < n_groups; i++) {
			const char *task = names_text(names, groups[i].task_id);
			const char *model = names_text(names, groups[i].model_id);
			struct compare_row *row = task && model ? row_for(r, task, model) : NULL;
			int64_t n = 0;

			for (int b = 0; b < LATHIST_BUCKETS; b++)
				n += groups[i].counts[b];
			if (row == NULL || n == 0)
				continue;
			row->with_latency = n;
			row->latency_p50_ms = lathist_percentile(groups[i].counts, 0.50);
			row->latency_p95_ms = lathist_percentile(groups[i].counts, 0.95);
		}
		names_free(names);
	} else {
		is_ok = 0;
	}
	free(groups);
	if (!is_ok) {
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
	int64_t first = INT64_MIN, last = INT64_MAX;

	memset(r, 0, sizeof(*r));
	if ((from && report_day_of(from, &first) < 0) || (to && report_day_of(to, &last) < 0)) {
		snprintf(err, errlen, "'%s' is not a date (YYYY-MM-DD)", from ? from : to);
		return -1;
	}
	snprintf(r->from, sizeof(r->from), "%s", from ? from : "");
	snprintf(r->to, sizeof(r->to), "%s", to ? to : "");
	if (read_sums(db, cfg, first, last, r, err, errlen) < 0 ||
	    read_latencies(db, first, last, r, err, errlen) < 0)
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

void compare_advice_sentence(const struct compare_advice *a, struct buf *out)
{
	const char *task = a->task[0] ? a->task : "all tasks";

	if (a->best == NULL)
		buf_printf(out,
		           "for %s: not enough data (a recommendation needs %d requests from each "
		           "of two priced models)",
		           task, COMPARE_MIN_SAMPLES);
	else
		buf_printf(out,
		           "for %s, %s saved %.1fx more time per dollar than %s over %" PRId64
		           " requests",
		           task, a->best, a->ratio, a->runner_up, a->requests);
}
