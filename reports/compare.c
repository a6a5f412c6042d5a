/*
 * compare.c - the model comparison.
 *
 * Two passes over the period's rollup rows (days, or whole weeks and
 * months: span.c): sums by task and model (requests, prompts, outcomes,
 * retries, tokens, price, and the minutes saved the rollup keeps, each
 * developer-day held to its ceiling: saved.c), then the latency
 * histograms, added up for the percentiles. Every figure is kept per task
 * and for all tasks together (task "").
 */
#include "compare.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../daemon/lib/calendar.h"
#include "../daemon/store/lathist.h"
#include "names.h"
#include "report.h"
#include "span.h"

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

/* columns FROM table of the span's grain, the span's rows bound. */
static int prepare(sqlite3 *db, const char *columns, const char *table, const struct span *sp,
                   sqlite3_stmt **s, char *err, size_t errlen)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "SELECT %s FROM %s WHERE day >= ?1 AND day <= ?2", columns,
	         table);
	if (sqlite3_prepare_v2(db, sql, -1, s, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "compare query: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_int64(*s, 1, sp->first);
	sqlite3_bind_int64(*s, 2, sp->last);
	return 0;
}

/* The integer columns of one (task, model), added up from its rollup rows. */
enum {
	C_REQUESTS,
	C_ACCEPTED,
	C_REJECTED,
	C_EDITED,
	C_INPUT,
	C_CACHE_READ,
	C_CACHE_WRITE,
	C_OUTPUT,
	C_RETRIES,
	C_CACHE_WRITE_1H,
	C_PROMPTS,
	C_COUNT
};

/* Sums and latency histograms of one (task, model), added up from its rollup rows. */
struct task_model_group {
	int64_t task_id, model_id;
	int64_t v[C_COUNT];
	struct scenario minutes; /* saved, each developer-day held to its ceiling */
	int64_t counts[LATHIST_BUCKETS];
};

static struct task_model_group *find_group(struct task_model_group **groups, size_t *n,
                                           int64_t task_id, int64_t model_id)
{
	struct task_model_group *g;

	/* Rows come in key order: a group of the rows just before is the likeliest. */
	for (size_t i = *n; i-- > 0;)
		if ((*groups)[i].task_id == task_id && (*groups)[i].model_id == model_id)
			return &(*groups)[i];
	g = realloc(*groups, (*n + 1) * sizeof(*g));
	if (g == NULL)
		return NULL;
	*groups = g;
	g = &g[(*n)++];
	memset(g, 0, sizeof(*g));
	g->task_id = task_id;
	g->model_id = model_id;
	return g;
}

/* Adds up the span's rows by (task, model): prices and kept minutes are linear in them. */
static int read_sums(sqlite3 *db, const struct span *sp, struct task_model_group **groups,
                     size_t *n_groups, char *err, size_t errlen)
{
	static const char columns[] =
	    "task_id, model_id, requests, accepted, rejected, edited, input_tokens, "
	    "cache_read_tokens, cache_write_tokens, output_tokens, retries, cache_write_1h_tokens, "
	    "prompts, saved_low, saved_likely, saved_high";
	sqlite3_stmt *s;
	int rc;

	if (prepare(db, columns, rollup_table(sp->grain), sp, &s, err, errlen) < 0)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct task_model_group *g = find_group(
		    groups, n_groups, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1));

		if (g == NULL)
			break;
		for (int c = 0; c < C_COUNT; c++)
			g->v[c] += sqlite3_column_int64(s, 2 + c);
		g->minutes.low += sqlite3_column_double(s, 2 + C_COUNT);
		g->minutes.likely += sqlite3_column_double(s, 3 + C_COUNT);
		g->minutes.high += sqlite3_column_double(s, 4 + C_COUNT);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "compare query: %s",
		         rc == SQLITE_ROW ? "out of memory" : sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* Each group's figures, into its task's row and into the all-tasks row. */
static int add_sums(const struct config *cfg, struct name_cache *names,
                    const struct task_model_group *groups, size_t n_groups,
                    struct compare_report *r)
{
	for (size_t i = 0; i < n_groups; i++) {
		const int64_t *v = groups[i].v;
		const char *task = names_text(names, groups[i].task_id);
		const char *model = names_text(names, groups[i].model_id);
		int64_t known = v[C_ACCEPTED] + v[C_REJECTED] + v[C_EDITED];
		struct token_sums t = {v[C_INPUT], v[C_CACHE_READ], v[C_CACHE_WRITE], v[C_OUTPUT],
		                       v[C_CACHE_WRITE_1H]};
		double usd;

		if (task == NULL || model == NULL)
			return -1;
		usd = estimate_api_cost(config_model_price(cfg, model), &t);
		/* Once for the task, once for all tasks: once only when there is no task. */
		for (int all = 0; all < (task[0] ? 2 : 1); all++) {
			struct compare_row *row = row_for(r, all ? "" : task, model);

			if (row == NULL)
				return -1;
			row->requests += v[C_REQUESTS];
			row->with_outcome += known;
			row->accepted += v[C_ACCEPTED] + v[C_EDITED];
			row->retries += v[C_RETRIES];
			row->tokens += t.input + t.cache_read + t.cache_write + t.output;
			row->api_usd += usd;
			row->prompts += v[C_PROMPTS];
			row->minutes.low += groups[i].minutes.low;
			row->minutes.likely += groups[i].minutes.likely;
			row->minutes.high += groups[i].minutes.high;
		}
	}
	return 0;
}

/*
 * Histograms add up exactly, so the percentiles of a task (or of all tasks)
 * come from the sum of its rows' histograms: within 2.5% of exact.
 */
static int read_latencies(sqlite3 *db, const struct span *spans, size_t n_spans,
                          struct name_cache *names, struct compare_report *r, char *err,
                          size_t errlen)
{
	struct task_model_group *groups = NULL;
	size_t n_groups = 0;
	int rc = SQLITE_DONE, is_ok = 1;

	for (size_t i = 0; i < n_spans && is_ok && rc == SQLITE_DONE; i++) {
		sqlite3_stmt *s;

		if (prepare(db, "task_id, model_id, hist", rollup_latency_table(spans[i].grain),
		            &spans[i], &s, err, errlen) < 0) {
			free(groups);
			return -1;
		}
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			struct task_model_group *g =
			    find_group(&groups, &n_groups, sqlite3_column_int64(s, 0),
			               sqlite3_column_int64(s, 1));

			if (g == NULL) {
				is_ok = 0;
				break;
			}
			/* An unreadable histogram leaves those latencies out. */
			lathist_add_blob(g->counts, sqlite3_column_blob(s, 2),
			                 (size_t)sqlite3_column_bytes(s, 2));
		}
		sqlite3_finalize(s);
	}
	/* All tasks together: each model's task histograms added up (requests without a
	 * task are there already). groups may move as it grows: indexes, not pointers. */
	for (size_t i = 0, n_task_groups = n_groups; is_ok && i < n_task_groups; i++) {
		struct task_model_group *all;

		if (groups[i].task_id == 0)
			continue;
		all = find_group(&groups, &n_groups, 0, groups[i].model_id);
		if (all == NULL) {
			is_ok = 0;
			break;
		}
		for (int b = 0; b < LATHIST_BUCKETS; b++)
			all->counts[b] += groups[i].counts[b];
	}
	if (is_ok && rc == SQLITE_DONE) {
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

double compare_minutes_per_prompt(const struct compare_row *row)
{
	return row->prompts > 0 ? row->minutes.likely / (double)row->prompts : 0;
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

/* For each task, the two models with enough prompts that save most time per dollar. */
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

			if (row->prompts < COMPARE_MIN_SAMPLES || row->api_usd <= 0)
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
			a->prompts = best->prompts + second->prompts;
		}
	}
	return 0;
}

int compare_build(sqlite3 *db, const struct config *cfg, const char *from, const char *to,
                  struct compare_report *r, char *err, size_t errlen)
{
	int64_t first = INT64_MIN, last = INT64_MAX;
	struct span spans[SPAN_MAX];
	struct name_cache *names = NULL;
	struct task_model_group *sums = NULL;
	size_t n_spans, n_sums = 0;

	memset(r, 0, sizeof(*r));
	if (cal_period(from, to, &first, &last, err, errlen) < 0)
		return -1;
	snprintf(r->from, sizeof(r->from), "%s", from ? from : "");
	snprintf(r->to, sizeof(r->to), "%s", to ? to : "");
	if ((!from || !to) && report_data_bounds(db, from ? NULL : &first, to ? NULL : &last) < 0)
		return 0; /* nothing stored */
	n_spans = span_split(first, last, spans);
	if ((names = names_new(db)) == NULL) {
		snprintf(err, errlen, "compare query: out of memory");
		goto fail;
	}
	for (size_t i = 0; i < n_spans; i++)
		if (read_sums(db, &spans[i], &sums, &n_sums, err, errlen) < 0)
			goto fail;
	if (add_sums(cfg, names, sums, n_sums, r) < 0) {
		snprintf(err, errlen, "compare query: out of memory");
		goto fail;
	}
	if (read_latencies(db, spans, n_spans, names, r, err, errlen) < 0)
		goto fail;

	if (r->n_rows > 1) /* qsort may not be given NULL, even for no elements */
		qsort(r->rows, r->n_rows, sizeof(*r->rows), by_task_model);
	if (advise(r) < 0) {
		snprintf(err, errlen, "compare query: out of memory");
		goto fail;
	}
	free(sums);
	names_free(names);
	return 0;
fail:
	free(sums);
	names_free(names);
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
		           "for %s: not enough data (a recommendation needs %d prompts from each "
		           "of two priced models)",
		           task, COMPARE_MIN_SAMPLES);
	else
		buf_printf(out,
		           "for %s, %s saved %.1fx more time per dollar than %s over %" PRId64
		           " prompts",
		           task, a->best, a->ratio, a->runner_up, a->prompts);
}
