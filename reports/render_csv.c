/* render_csv.c - reports as RFC 4180 CSV with a header row. */
#include <inttypes.h>

#include "report.h"
#include "advice.h"
#include "compare.h"
#include "roi.h"

int render_csv_usage(const struct report *r, struct buf *out)
{
	for (size_t k = 0; k < r->n_keys; k++)
		buf_printf(out, "%s,", report_key_names[r->keys[k]]);
	for (int m = 0; m < M_COUNT; m++)
		buf_printf(out, "%s,", report_metric_names[m]);
	buf_puts(out, "api_equivalent_usd\r\n");
	for (size_t i = 0; i < r->n_rows; i++) {
		for (size_t k = 0; k < r->n_keys; k++) {
			buf_append_csv(out, r->rows[i].keys[k]);
			buf_putc(out, ',');
		}
		for (int m = 0; m < M_COUNT; m++)
			buf_printf(out, "%" PRId64 ",", r->rows[i].metrics[m]);
		buf_printf(out, "%.4f\r\n", r->rows[i].api_usd);
	}
	return 0;
}

static void scenario_csv(struct buf *out, struct scenario s, double scale)
{
	buf_printf(out, ",%.4f,%.4f,%.4f", s.low * scale, s.likely * scale, s.high * scale);
}

int render_csv_overview(const struct roi_report *r, struct buf *out)
{
	buf_puts(out, "from,to,currency,requests,seat_cost_usd,payg_usd,total_cost_usd,"
	              "api_equivalent_usd,hours_saved_low,hours_saved_likely,hours_saved_high,"
	              "value_usd_low,value_usd_likely,value_usd_high,net_usd_low,net_usd_likely,"
	              "net_usd_high,roi_low,roi_likely,roi_high,break_even_hours_per_month\r\n");
	buf_printf(out, "%s,%s,", r->from, r->to);
	buf_append_csv(out, r->currency);
	buf_printf(out, ",%" PRId64 ",%.4f,%.4f,%.4f,%.4f", r->requests, r->seat_cost_usd,
	           r->payg_usd, r->seat_cost_usd + r->payg_usd, r->api_usd);
	scenario_csv(out, r->roi.hours, 1);
	scenario_csv(out, r->roi.value_usd, 1);
	scenario_csv(out, r->roi.net_usd, 1);
	scenario_csv(out, r->roi.roi, 1);
	buf_printf(out, ",%.4f\r\n", r->roi.break_even_hours_month);
	return 0;
}

int render_csv_models(const struct roi_report *r, struct buf *out)
{
	buf_puts(out, "model,requests,seat_cost_usd,payg_usd,api_equivalent_usd,hours_saved_low,"
	              "hours_saved_likely,hours_saved_high\r\n");
	for (size_t i = 0; i < r->n_models; i++) {
		const struct roi_model *m = &r->models[i];

		buf_append_csv(out, m->model);
		buf_printf(out, ",%" PRId64 ",%.4f,%.4f,%.4f", m->requests, m->seat_cost_usd,
		           m->payg_usd, m->api_usd);
		scenario_csv(out, m->minutes, 1.0 / 60);
		buf_puts(out, "\r\n");
	}
	return 0;
}

static void group_csv_header(struct buf *out, const char *first, const char *second)
{
	buf_printf(out,
	           "%s,%s,requests,seat_cost_usd,payg_usd,total_cost_usd,api_equivalent_usd,"
	           "hours_saved_low,hours_saved_likely,hours_saved_high,value_usd_low,"
	           "value_usd_likely,value_usd_high,roi_low,roi_likely,roi_high\r\n",
	           first, second);
}

static void group_csv(struct buf *out, int64_t requests, double seat, double payg, double api,
                      const struct roi *x)
{
	buf_printf(out, ",%" PRId64 ",%.4f,%.4f,%.4f,%.4f", requests, seat, payg, seat + payg, api);
	scenario_csv(out, x->hours, 1);
	scenario_csv(out, x->value_usd, 1);
	scenario_csv(out, x->roi, 1);
	buf_puts(out, "\r\n");
}

int render_csv_developers(const struct roi_report *r, struct buf *out)
{
	group_csv_header(out, "developer", "team");
	for (size_t i = 0; i < r->n_people; i++) {
		const struct roi_person *p = &r->people[i];

		buf_append_csv(out, p->id);
		buf_putc(out, ',');
		buf_append_csv(out, p->team);
		group_csv(out, p->requests, p->seat_cost_usd, p->payg_usd, p->api_usd, &p->roi);
	}
	return 0;
}

int render_csv_teams(const struct roi_report *r, struct buf *out)
{
	group_csv_header(out, "team", "people");
	for (size_t i = 0; i < r->n_teams; i++) {
		const struct roi_team *t = &r->teams[i];

		buf_append_csv(out, t->team);
		buf_printf(out, ",%" PRId64, t->people);
		group_csv(out, t->requests, t->seat_cost_usd, t->payg_usd, t->api_usd, &t->roi);
	}
	return 0;
}

int render_csv_compare(const struct compare_report *r, struct buf *out)
{
	buf_puts(out, "task,model,requests,prompts,acceptance_rate,latency_p50_ms,latency_p95_ms,"
	              "retry_rate,tokens_per_request,api_equivalent_usd_per_request,"
	              "minutes_saved_per_prompt,minutes_saved_per_usd\r\n");
	for (size_t i = 0; i < r->n_rows; i++) {
		const struct compare_row *row = &r->rows[i];
		double reqs = (double)row->requests;

		buf_append_csv(out, row->task);
		buf_putc(out, ',');
		buf_append_csv(out, row->model);
		buf_printf(out, ",%" PRId64 ",%" PRId64 ",", row->requests, row->prompts);
		if (compare_acceptance(row) >= 0)
			buf_printf(out, "%.4f", compare_acceptance(row));
		buf_putc(out, ',');
		if (row->latency_p50_ms >= 0)
			buf_printf(out, "%.0f,%.0f", row->latency_p50_ms, row->latency_p95_ms);
		else
			buf_putc(out, ',');
		buf_printf(out, ",%.4f,%.1f,%.6f,%.4f,%.4f\r\n", (double)row->retries / reqs,
		           (double)row->tokens / reqs, row->api_usd / reqs,
		           compare_minutes_per_prompt(row), compare_minutes_per_dollar(row));
	}
	return 0;
}

int render_csv_seats(const struct advice_report *r, struct buf *out)
{
	buf_puts(out,
	         "person,plan,monthly_usd,advice,requests,idle_days,api_equivalent_monthly_usd,"
	         "near_limit_share,alternative,monthly_delta_usd\r\n");
	for (size_t i = 0; i < r->n_items; i++) {
		const struct seat_advice *a = &r->items[i];

		buf_append_csv(out, a->person);
		buf_putc(out, ',');
		buf_append_csv(out, a->plan);
		buf_printf(out, ",%.2f,%s,%" PRId64 ",%" PRId64 ",%.4f,%.4f,", a->monthly_usd,
		           advice_kind_name(a->kind), a->requests, a->idle_days, a->api_monthly_usd,
		           a->near_limit_share);
		buf_append_csv(out, a->alternative ? a->alternative : "");
		buf_printf(out, ",%.4f\r\n", a->monthly_delta_usd);
	}
	return 0;
}
