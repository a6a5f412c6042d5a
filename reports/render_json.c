/* render_json.c - reports as JSON (documented in docs/report-json.md). */
#include <inttypes.h>

#include "report.h"
#include "advice.h"
#include "compare.h"
#include "roi.h"

static void metrics(struct buf *out, const int64_t *v, double api_usd)
{
	for (int m = 0; m < M_COUNT; m++)
		buf_printf(out, "%s\"%s\": %" PRId64, m ? ", " : "", report_metric_names[m], v[m]);
	buf_printf(out, ", \"api_equivalent_usd\": %.4f", api_usd);
}

/* {"report": name, "from": .., "to": ..: an empty bound is null (open). */
static void open_report(struct buf *out, const char *name, const char *from, const char *to)
{
	buf_printf(out, "{\"report\": \"%s\", \"from\": ", name);
	if (from[0])
		buf_append_json(out, from);
	else
		buf_puts(out, "null");
	buf_puts(out, ", \"to\": ");
	if (to[0])
		buf_append_json(out, to);
	else
		buf_puts(out, "null");
}

int render_json_usage(const struct report *r, struct buf *out)
{
	open_report(out, "usage", r->from, r->to);
	buf_puts(out, ", \"by\": [");
	for (size_t k = 0; k < r->n_keys; k++) {
		buf_puts(out, k ? ", " : "");
		buf_append_json(out, report_key_names[r->keys[k]]);
	}
	buf_puts(out, "],\n \"rows\": [");
	for (size_t i = 0; i < r->n_rows; i++) {
		buf_puts(out, i ? ",\n  {" : "\n  {");
		for (size_t k = 0; k < r->n_keys; k++) {
			buf_append_json(out, report_key_names[r->keys[k]]);
			buf_puts(out, ": ");
			buf_append_json(out, r->rows[i].keys[k]);
			buf_puts(out, ", ");
		}
		metrics(out, r->rows[i].metrics, r->rows[i].api_usd);
		buf_putc(out, '}');
	}
	buf_puts(out, r->n_rows ? "\n ],\n \"totals\": {" : "],\n \"totals\": {");
	metrics(out, r->totals, r->total_api_usd);
	buf_puts(out, "},\n \"unpriced_models\": [");
	for (size_t i = 0; i < r->unpriced.n; i++) {
		buf_puts(out, i ? ", " : "");
		buf_append_json(out, r->unpriced.items[i].model);
	}
	buf_putc(out, ']');
	unpriced_json(&r->unpriced, "unpriced", out);
	buf_puts(out, "}\n");
	return 0;
}

static void scenario_json(struct buf *out, const char *key, struct scenario s, double scale)
{
	buf_printf(out, ", \"%s\": {\"low\": %.4f, \"likely\": %.4f, \"high\": %.4f}", key,
	           s.low * scale, s.likely * scale, s.high * scale);
}

static void period_json(struct buf *out, const char *report, const struct roi_report *r)
{
	open_report(out, report, r->from, r->to);
	buf_puts(out, ", \"currency\": ");
	buf_append_json(out, r->currency);
}

int render_json_overview(const struct roi_report *r, struct buf *out)
{
	double dev_weeks = roi_developer_weeks(r);

	period_json(out, "overview", r);
	buf_printf(out,
	           ",\n \"requests\": %" PRId64 ", \"prompts\": %" PRId64
	           ", \"active_minutes\": %" PRId64 ", \"developers\": %" PRId64
	           ", \"weeks\": %.4f,\n \"seat_cost_usd\": %.4f, \"payg_usd\": %.4f, "
	           "\"total_cost_usd\": %.4f, \"api_equivalent_usd\": %.4f",
	           r->requests, r->prompts, (r->active_ms + 30000) / 60000, r->developers,
	           (double)r->days / 7.0, r->seat_cost_usd, r->payg_usd,
	           r->seat_cost_usd + r->payg_usd, r->api_usd);
	scenario_json(out, "hours_saved", r->roi.hours, 1);
	scenario_json(out, "hours_saved_per_developer_week", r->roi.hours,
	              dev_weeks > 0 ? 1 / dev_weeks : 0);
	scenario_json(out, "value_usd", r->roi.value_usd, 1);
	scenario_json(out, "net_usd", r->roi.net_usd, 1);
	scenario_json(out, "roi", r->roi.roi, 1);
	buf_printf(out, ",\n \"break_even_hours_per_month\": %.4f", r->roi.break_even_hours_month);
	unpriced_json(&r->unpriced, "unpriced_models", out);
	buf_puts(out, "}\n");
	return 0;
}

int render_json_models(const struct roi_report *r, struct buf *out)
{
	period_json(out, "models", r);
	buf_puts(out, ",\n \"models\": [");
	for (size_t i = 0; i < r->n_models; i++) {
		const struct roi_model *m = &r->models[i];

		buf_puts(out, i ? ",\n  {\"model\": " : "\n  {\"model\": ");
		buf_append_json(out, m->model);
		buf_printf(out,
		           ", \"requests\": %" PRId64 ", \"prompts\": %" PRId64
		           ", \"active_minutes\": %" PRId64
		           ", \"seat_cost_usd\": %.4f, \"payg_usd\": %.4f, "
		           "\"api_equivalent_usd\": %.4f",
		           m->requests, m->prompts, (m->active_ms + 30000) / 60000,
		           m->seat_cost_usd, m->payg_usd, m->api_usd);
		scenario_json(out, "hours_saved", m->minutes, 1.0 / 60);
		buf_putc(out, '}');
	}
	buf_puts(out, r->n_models ? "\n ]" : "]");
	unpriced_json(&r->unpriced, "unpriced_models", out);
	buf_puts(out, "}\n");
	return 0;
}

/* What a developer's or a team's figures share. */
struct group_figures {
	int64_t requests, prompts, active_ms;
	double seat, payg, api;
};

static void group_json(struct buf *out, const struct group_figures *g, const struct roi *x)
{
	buf_printf(out,
	           ", \"requests\": %" PRId64 ", \"prompts\": %" PRId64
	           ", \"active_minutes\": %" PRId64
	           ", \"seat_cost_usd\": %.4f, \"payg_usd\": %.4f, "
	           "\"total_cost_usd\": %.4f, \"api_equivalent_usd\": %.4f",
	           g->requests, g->prompts, (g->active_ms + 30000) / 60000, g->seat, g->payg,
	           g->seat + g->payg, g->api);
	scenario_json(out, "hours_saved", x->hours, 1);
	scenario_json(out, "value_usd", x->value_usd, 1);
	scenario_json(out, "roi", x->roi, 1);
	buf_putc(out, '}');
}

int render_json_developers(const struct roi_report *r, struct buf *out)
{
	period_json(out, "developers", r);
	buf_puts(out, ",\n \"developers\": [");
	for (size_t i = 0; i < r->n_people; i++) {
		const struct roi_person *p = &r->people[i];

		buf_puts(out, i ? ",\n  {\"developer\": " : "\n  {\"developer\": ");
		buf_append_json(out, p->id);
		buf_puts(out, ", \"team\": ");
		buf_append_json(out, p->team);
		group_json(out,
		           &(struct group_figures){p->requests, p->prompts, p->active_ms,
		                                   p->seat_cost_usd, p->payg_usd, p->api_usd},
		           &p->roi);
	}
	buf_puts(out, r->n_people ? "\n ]}\n" : "]}\n");
	return 0;
}

int render_json_teams(const struct roi_report *r, struct buf *out)
{
	period_json(out, "teams", r);
	buf_puts(out, ",\n \"teams\": [");
	for (size_t i = 0; i < r->n_teams; i++) {
		const struct roi_team *t = &r->teams[i];

		buf_puts(out, i ? ",\n  {\"team\": " : "\n  {\"team\": ");
		buf_append_json(out, t->team);
		buf_printf(out, ", \"people\": %" PRId64, t->people);
		group_json(out,
		           &(struct group_figures){t->requests, t->prompts, t->active_ms,
		                                   t->seat_cost_usd, t->payg_usd, t->api_usd},
		           &t->roi);
	}
	buf_puts(out, r->n_teams ? "\n ]}\n" : "]}\n");
	return 0;
}

/* A number with `decimals` places, or null when it is not known. */
static void null_or(struct buf *out, double v, int is_known, int decimals)
{
	if (is_known)
		buf_printf(out, "%.*f", decimals, v);
	else
		buf_puts(out, "null");
}

int render_json_compare(const struct compare_report *r, struct buf *out)
{
	open_report(out, "compare", r->from, r->to);
	buf_puts(out, ",\n \"rows\": [");
	for (size_t i = 0; i < r->n_rows; i++) {
		const struct compare_row *row = &r->rows[i];
		double reqs = (double)row->requests;
		double prompts = row->prompts > 0 ? (double)row->prompts : 1;

		buf_puts(out, i ? ",\n  {\"task\": " : "\n  {\"task\": ");
		buf_append_json(out, row->task);
		buf_puts(out, ", \"model\": ");
		buf_append_json(out, row->model);
		buf_printf(out,
		           ", \"requests\": %" PRId64 ", \"prompts\": %" PRId64
		           ", \"acceptance_rate\": ",
		           row->requests, row->prompts);
		null_or(out, compare_acceptance(row), compare_acceptance(row) >= 0, 4);
		buf_puts(out, ", \"latency_p50_ms\": ");
		null_or(out, row->latency_p50_ms, row->latency_p50_ms >= 0, 0);
		buf_puts(out, ", \"latency_p95_ms\": ");
		null_or(out, row->latency_p95_ms, row->latency_p95_ms >= 0, 0);
		buf_printf(out,
		           ", \"retry_rate\": %.4f, \"tokens_per_request\": %.1f, "
		           "\"api_equivalent_usd_per_request\": %.6f",
		           (double)row->retries / reqs, (double)row->tokens / reqs,
		           row->api_usd / reqs);
		/* Kept for readers of earlier versions: the model counts prompts. */
		scenario_json(out, "minutes_saved_per_request",
		              (struct scenario){row->minutes.low / reqs, row->minutes.likely / reqs,
		                                row->minutes.high / reqs},
		              1);
		scenario_json(out, "minutes_saved_per_prompt",
		              (struct scenario){row->minutes.low / prompts,
		                                row->minutes.likely / prompts,
		                                row->minutes.high / prompts},
		              1);
		buf_printf(out, ", \"minutes_saved_per_usd\": %.4f}",
		           compare_minutes_per_dollar(row));
	}
	buf_puts(out, r->n_rows ? "\n ],\n \"recommendations\": [" : "],\n \"recommendations\": [");
	for (size_t i = 0; i < r->n_advice; i++) {
		const struct compare_advice *a = &r->advice[i];

		buf_puts(out, i ? ",\n  {\"task\": " : "\n  {\"task\": ");
		buf_append_json(out, a->task);
		if (a->best) {
			buf_puts(out, ", \"best\": ");
			buf_append_json(out, a->best);
			buf_puts(out, ", \"runner_up\": ");
			buf_append_json(out, a->runner_up);
			buf_printf(out,
			           ", \"ratio\": %.4f, \"requests\": %" PRId64
			           ", \"prompts\": %" PRId64 "}",
			           a->ratio, a->requests, a->prompts);
		} else {
			buf_puts(out, ", \"best\": null, \"insufficient_data\": true}");
		}
	}
	buf_puts(out, r->n_advice ? "\n ]}\n" : "]}\n");
	return 0;
}

int render_json_seats(const struct advice_report *r, struct buf *out)
{
	open_report(out, "seats", r->from, r->to);
	buf_puts(out, ",\n \"seats\": [");
	for (size_t i = 0; i < r->n_items; i++) {
		const struct seat_advice *a = &r->items[i];
		struct buf text = BUF_INIT;

		buf_puts(out, i ? ",\n  {\"person\": " : "\n  {\"person\": ");
		buf_append_json(out, a->person);
		buf_puts(out, ", \"plan\": ");
		buf_append_json(out, a->plan);
		buf_printf(out,
		           ", \"monthly_usd\": %.2f, \"advice\": \"%s\", \"requests\": %" PRId64
		           ", \"idle_days\": %" PRId64 ", \"api_equivalent_monthly_usd\": %.4f, "
		           "\"near_limit_share\": %.4f, \"alternative\": ",
		           a->monthly_usd, advice_kind_name(a->kind), a->requests, a->idle_days,
		           a->api_monthly_usd, a->near_limit_share);
		if (a->alternative)
			buf_append_json(out, a->alternative);
		else
			buf_puts(out, "null");
		buf_printf(out, ", \"monthly_delta_usd\": %.4f, \"text\": ", a->monthly_delta_usd);
		advice_sentence(a, &text);
		buf_append_json(out, text.data ? text.data : "");
		buf_free(&text);
		buf_putc(out, '}');
	}
	buf_puts(out, r->n_items ? "\n ]}\n" : "]}\n");
	return 0;
}
