/* render_json.c - reports as JSON (documented in docs/report-json.md). */
#include <inttypes.h>

#include "report.h"
#include "roi.h"

static void metrics(struct buf *out, const int64_t *v, double api_usd)
{
	for (int m = 0; m < M_COUNT; m++)
		buf_printf(out, "%s\"%s\": %" PRId64, m ? ", " : "", report_metric_names[m], v[m]);
	buf_printf(out, ", \"api_equivalent_usd\": %.4f", api_usd);
}

int render_json_usage(const struct report *r, struct buf *out)
{
	buf_puts(out, "{\"report\": \"usage\", \"from\": ");
	if (r->from[0])
		buf_append_json(out, r->from);
	else
		buf_puts(out, "null");
	buf_puts(out, ", \"to\": ");
	if (r->to[0])
		buf_append_json(out, r->to);
	else
		buf_puts(out, "null");
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
	for (size_t i = 0; i < r->n_unpriced; i++) {
		buf_puts(out, i ? ", " : "");
		buf_append_json(out, r->unpriced[i]);
	}
	buf_puts(out, "]}\n");
	return 0;
}

static void scenario_json(struct buf *out, const char *key, struct scenario s, double scale)
{
	buf_printf(out, ", \"%s\": {\"low\": %.4f, \"likely\": %.4f, \"high\": %.4f}", key,
	           s.low * scale, s.likely * scale, s.high * scale);
}

static void period_json(struct buf *out, const char *report, const struct roi_report *r)
{
	buf_printf(out, "{\"report\": \"%s\", \"from\": ", report);
	buf_append_json(out, r->from);
	buf_puts(out, ", \"to\": ");
	buf_append_json(out, r->to);
	buf_puts(out, ", \"currency\": ");
	buf_append_json(out, r->currency);
}

int render_json_overview(const struct roi_report *r, struct buf *out)
{
	period_json(out, "overview", r);
	buf_printf(out,
	           ",\n \"requests\": %" PRId64 ", \"seat_cost_usd\": %.4f, \"payg_usd\": %.4f, "
	           "\"total_cost_usd\": %.4f, \"api_equivalent_usd\": %.4f",
	           r->requests, r->seat_cost_usd, r->payg_usd, r->seat_cost_usd + r->payg_usd,
	           r->api_usd);
	scenario_json(out, "hours_saved", r->roi.hours, 1);
	scenario_json(out, "value_usd", r->roi.value_usd, 1);
	scenario_json(out, "net_usd", r->roi.net_usd, 1);
	scenario_json(out, "roi", r->roi.roi, 1);
	buf_printf(out, ",\n \"break_even_hours\": %.4f}\n", r->roi.break_even_hours);
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
		           ", \"requests\": %" PRId64
		           ", \"seat_cost_usd\": %.4f, \"payg_usd\": %.4f, "
		           "\"api_equivalent_usd\": %.4f",
		           m->requests, m->seat_cost_usd, m->payg_usd, m->api_usd);
		scenario_json(out, "hours_saved", m->minutes, 1.0 / 60);
		buf_putc(out, '}');
	}
	buf_puts(out, r->n_models ? "\n ]}\n" : "]}\n");
	return 0;
}

static void group_json(struct buf *out, int64_t requests, double seat, double payg, double api,
                       const struct roi *x)
{
	buf_printf(out,
	           ", \"requests\": %" PRId64 ", \"seat_cost_usd\": %.4f, \"payg_usd\": %.4f, "
	           "\"total_cost_usd\": %.4f, \"api_equivalent_usd\": %.4f",
	           requests, seat, payg, seat + payg, api);
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
		group_json(out, p->requests, p->seat_cost_usd, p->payg_usd, p->api_usd, &p->roi);
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
		group_json(out, t->requests, t->seat_cost_usd, t->payg_usd, t->api_usd, &t->roi);
	}
	buf_puts(out, r->n_teams ? "\n ]}\n" : "]}\n");
	return 0;
}
