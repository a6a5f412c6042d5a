/* render_text.c - reports as aligned tables for a terminal. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "advice.h"
#include "compare.h"
#include "numfmt.h"
#include "roi.h"

/* Display width: counts UTF-8 lead bytes, not bytes. */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void pad(struct buf *out, const char *s, size_t w, int is_right)
{
	size_t have = width(s);

	if (is_right)
		for (size_t i = have; i < w; i++)
			buf_putc(out, ' ');
	buf_puts(out, s);
	if (!is_right)
		for (size_t i = have; i < w; i++)
			buf_putc(out, ' ');
}

/* Control characters from logs would move the cursor: show them as '?'. */
static void clean(const char *s, char *out, size_t n)
{
	size_t i = 0;

	for (; s[i] && i + 1 < n; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	out[i] = '\0';
}

#define TEXT_COLS (REPORT_MAX_KEYS + M_COUNT + 1)
#define CELL      96

/* The cells of row i (i == n_rows: the TOTAL row), keys first. */
static void row_cells(const struct report *r, size_t i, char cells[TEXT_COLS][CELL])
{
	const int64_t *metrics = i < r->n_rows ? r->rows[i].metrics : r->totals;
	size_t nk = r->n_keys;

	for (size_t k = 0; k < nk; k++) {
		if (i < r->n_rows)
			clean(r->rows[i].keys[k][0] ? r->rows[i].keys[k] : "-", cells[k], CELL);
		else
			snprintf(cells[k], CELL, "%s", k == 0 ? "TOTAL" : "");
	}
	for (int m = 0; m < M_COUNT; m++)
		fmt_thousands(metrics[m], cells[nk + (size_t)m], CELL);
	fmt_money(i < r->n_rows ? r->rows[i].api_usd : r->total_api_usd, cells[nk + M_COUNT], CELL);
}

static void print_row(struct buf *out, char cells[TEXT_COLS][CELL], const size_t *w, size_t nk,
                      size_t n_cols)
{
	for (size_t c = 0; c < n_cols; c++) {
		pad(out, cells[c], w[c], c >= nk);
		buf_puts(out, c + 1 < n_cols ? "  " : "\n");
	}
}

int render_text_usage(const struct report *r, struct buf *out)
{
	size_t nk = r->n_keys, n_cols = nk + M_COUNT + 1, w[TEXT_COLS], line = 0;
	char cells[TEXT_COLS][CELL];

	for (size_t k = 0; k < nk; k++)
		snprintf(cells[k], CELL, "%s", report_key_names[r->keys[k]]);
	for (int m = 0; m < M_COUNT; m++)
		snprintf(cells[nk + (size_t)m], CELL, "%s", report_metric_names[m]);
	snprintf(cells[nk + M_COUNT], CELL, "api_equivalent_usd");
	for (size_t c = 0; c < n_cols; c++)
		w[c] = width(cells[c]);
	if (nk && w[0] < 5)
		w[0] = 5; /* "TOTAL" */
	for (size_t i = 0; i <= r->n_rows; i++) {
		char row[TEXT_COLS][CELL];

		row_cells(r, i, row);
		for (size_t c = 0; c < n_cols; c++)
			if (width(row[c]) > w[c])
				w[c] = width(row[c]);
	}
	print_row(out, cells, w, nk, n_cols);
	for (size_t c = 0; c < n_cols; c++)
		line += w[c] + (c + 1 < n_cols ? 2 : 0);
	for (size_t i = 0; i <= r->n_rows; i++) {
		if (i == r->n_rows) {
			for (size_t k = 0; k < line; k++)
				buf_putc(out, '-');
			buf_putc(out, '\n');
		}
		row_cells(r, i, cells);
		print_row(out, cells, w, nk, n_cols);
	}
	unpriced_sentence(&r->unpriced, 0, out);
	return 0;
}

static void hours_text(double h, char *out, size_t n)
{
	snprintf(out, n, "%.1f", h);
}

int render_text_overview(const struct roi_report *r, struct buf *out)
{
	const struct roi *x = &r->roi;
	char a[64], b[64], c[64];
	double total = r->seat_cost_usd + r->payg_usd, dev_weeks = roi_developer_weeks(r);

	buf_printf(out, "Period            %s .. %s\n", r->from, r->to);
	fmt_thousands(r->requests, a, sizeof(a));
	buf_printf(out, "Requests          %s\n", a);
	fmt_thousands(r->prompts, a, sizeof(a));
	buf_printf(out, "Prompts           %s\n", a);
	buf_printf(out, "Active time       %.1f hours (%" PRId64 " developers, %.1f weeks)\n",
	           (double)r->active_ms / 3600000.0, r->developers, (double)r->days / 7.0);
	fmt_money(r->seat_cost_usd, a, sizeof(a));
	buf_printf(out, "Seat cost         %s %s\n", a, r->currency);
	fmt_money(r->payg_usd, a, sizeof(a));
	buf_printf(out, "Pay-as-you-go     %s %s\n", a, r->currency);
	fmt_money(total, a, sizeof(a));
	buf_printf(out, "Total cost        %s %s\n", a, r->currency);
	fmt_money(r->api_usd, a, sizeof(a));
	buf_printf(out, "API-equivalent    %s %s\n", a, r->currency);
	unpriced_sentence(&r->unpriced, 0, out);
	buf_putc(out, '\n');
	buf_printf(out, "%-16s  %12s  %12s  %12s\n", "", "low", "likely", "high");
	hours_text(x->hours.low, a, sizeof(a));
	hours_text(x->hours.likely, b, sizeof(b));
	hours_text(x->hours.high, c, sizeof(c));
	buf_printf(out, "%-16s  %12s  %12s  %12s\n", "Hours saved", a, b, c);
	if (dev_weeks > 0) {
		hours_text(x->hours.low / dev_weeks, a, sizeof(a));
		hours_text(x->hours.likely / dev_weeks, b, sizeof(b));
		hours_text(x->hours.high / dev_weeks, c, sizeof(c));
		buf_printf(out, "%-16s  %12s  %12s  %12s\n", "  per dev-week", a, b, c);
	}
	fmt_money(x->value_usd.low, a, sizeof(a));
	fmt_money(x->value_usd.likely, b, sizeof(b));
	fmt_money(x->value_usd.high, c, sizeof(c));
	buf_printf(out, "%-16s  %12s  %12s  %12s\n", "Value", a, b, c);
	fmt_money(x->net_usd.low, a, sizeof(a));
	fmt_money(x->net_usd.likely, b, sizeof(b));
	fmt_money(x->net_usd.high, c, sizeof(c));
	buf_printf(out, "%-16s  %12s  %12s  %12s\n", "Net", a, b, c);
	if (total > 0)
		buf_printf(out, "%-16s  %11.0f%%  %11.0f%%  %11.0f%%\n", "ROI", x->roi.low * 100,
		           x->roi.likely * 100, x->roi.high * 100);
	else
		buf_printf(out, "%-16s  %12s  %12s  %12s\n", "ROI", "-", "-", "-");
	buf_printf(out, "\nBreak-even: %.1f hours saved a month pay for a month's cost.\n",
	           x->break_even_hours_month);
	return 0;
}

int render_text_models(const struct roi_report *r, struct buf *out)
{
	char cells[8][64];

	buf_printf(out, "%-28s  %9s  %12s  %12s  %12s  %8s  %8s  %8s\n", "model", "requests",
	           "seat_cost", "payg", "api_equiv", "h_low", "h_likely", "h_high");
	for (size_t i = 0; i < r->n_models; i++) {
		const struct roi_model *m = &r->models[i];

		clean(m->model, cells[0], sizeof(cells[0]));
		fmt_thousands(m->requests, cells[1], sizeof(cells[1]));
		fmt_money(m->seat_cost_usd, cells[2], sizeof(cells[2]));
		fmt_money(m->payg_usd, cells[3], sizeof(cells[3]));
		fmt_money(m->api_usd, cells[4], sizeof(cells[4]));
		hours_text(m->minutes.low / 60, cells[5], sizeof(cells[5]));
		hours_text(m->minutes.likely / 60, cells[6], sizeof(cells[6]));
		hours_text(m->minutes.high / 60, cells[7], sizeof(cells[7]));
		buf_printf(out, "%-28s  %9s  %12s  %12s  %12s  %8s  %8s  %8s\n", cells[0], cells[1],
		           cells[2], cells[3], cells[4], cells[5], cells[6], cells[7]);
	}
	return 0;
}

/* One line of the developers or teams table. */
static void group_line(struct buf *out, const char *name, const char *second, int64_t requests,
                       double seat, double payg, double api, const struct roi *x)
{
	char cells[8][64];

	clean(name, cells[0], sizeof(cells[0]));
	clean(second, cells[1], sizeof(cells[1]));
	fmt_thousands(requests, cells[2], sizeof(cells[2]));
	fmt_money(seat + payg, cells[3], sizeof(cells[3]));
	fmt_money(api, cells[4], sizeof(cells[4]));
	hours_text(x->hours.low, cells[5], sizeof(cells[5]));
	hours_text(x->hours.likely, cells[6], sizeof(cells[6]));
	hours_text(x->hours.high, cells[7], sizeof(cells[7]));
	buf_printf(out, "%-26s  %-12s  %9s  %10s  %10s  %7s  %8s  %7s", cells[0], cells[1],
	           cells[2], cells[3], cells[4], cells[5], cells[6], cells[7]);
	if (seat + payg > 0)
		buf_printf(out, "  %5.0f%%  %5.0f%%  %5.0f%%\n", x->roi.low * 100,
		           x->roi.likely * 100, x->roi.high * 100);
	else
		buf_puts(out, "      -       -       -\n");
}

static void group_header(struct buf *out, const char *first, const char *second)
{
	buf_printf(out, "%-26s  %-12s  %9s  %10s  %10s  %7s  %8s  %7s  %6s  %6s  %6s\n", first,
	           second, "requests", "cost", "api_equiv", "h_low", "h_likely", "h_high", "roi_lo",
	           "roi_li", "roi_hi");
}

int render_text_developers(const struct roi_report *r, struct buf *out)
{
	if (r->n_people == 0) {
		buf_puts(
		    out,
		    "(developer figures are hidden by the privacy setting, or there are none)\n");
		return 0;
	}
	group_header(out, "developer", "team");
	for (size_t i = 0; i < r->n_people; i++) {
		const struct roi_person *p = &r->people[i];

		group_line(out, p->id, p->team, p->requests, p->seat_cost_usd, p->payg_usd,
		           p->api_usd, &p->roi);
	}
	return 0;
}

int render_text_teams(const struct roi_report *r, struct buf *out)
{
	group_header(out, "team", "people");
	for (size_t i = 0; i < r->n_teams; i++) {
		const struct roi_team *t = &r->teams[i];
		char people[32];

		snprintf(people, sizeof(people), "%" PRId64, t->people);
		group_line(out, t->team, people, t->requests, t->seat_cost_usd, t->payg_usd,
		           t->api_usd, &t->roi);
	}
	return 0;
}

static void recommendation_sentence(const struct compare_advice *a, struct buf *out)
{
	struct buf line = BUF_INIT;
	char text[4 * CELL];

	compare_advice_sentence(a, &line);
	clean(line.data ? line.data : "", text, sizeof(text));
	buf_printf(out, "%s\n", text);
	buf_free(&line);
}

int render_text_compare(const struct compare_report *r, struct buf *out)
{
	buf_printf(out, "%-10s  %-28s  %8s  %7s  %6s  %8s  %8s  %6s  %9s  %9s  %8s  %8s\n", "task",
	           "model", "requests", "prompts", "accept", "p50_ms", "p95_ms", "retry", "tok/req",
	           "usd/req", "min/prm", "min/usd");
	for (size_t i = 0; i < r->n_rows; i++) {
		const struct compare_row *row = &r->rows[i];
		char task[CELL], model[CELL], n[32], np[32], acc[16], p50[32], p95[32];
		double reqs = (double)row->requests;

		clean(row->task[0] ? row->task : "(all)", task, sizeof(task));
		clean(row->model, model, sizeof(model));
		fmt_thousands(row->requests, n, sizeof(n));
		fmt_thousands(row->prompts, np, sizeof(np));
		if (compare_acceptance(row) < 0)
			snprintf(acc, sizeof(acc), "-");
		else
			snprintf(acc, sizeof(acc), "%.0f%%", 100 * compare_acceptance(row));
		if (row->latency_p50_ms < 0) {
			snprintf(p50, sizeof(p50), "-");
			snprintf(p95, sizeof(p95), "-");
		} else {
			fmt_thousands((int64_t)row->latency_p50_ms, p50, sizeof(p50));
			fmt_thousands((int64_t)row->latency_p95_ms, p95, sizeof(p95));
		}
		buf_printf(
		    out,
		    "%-10s  %-28s  %8s  %7s  %6s  %8s  %8s  %5.0f%%  %9.0f  %9.4f  %8.2f  %8.1f\n",
		    task, model, n, np, acc, p50, p95, 100 * (double)row->retries / reqs,
		    (double)row->tokens / reqs, row->api_usd / reqs,
		    compare_minutes_per_prompt(row), compare_minutes_per_dollar(row));
	}
	buf_putc(out, '\n');
	for (size_t i = 0; i < r->n_advice; i++)
		recommendation_sentence(&r->advice[i], out);
	return 0;
}

int render_text_seats(const struct advice_report *r, struct buf *out)
{
	buf_printf(out, "Seats held %s .. %s\n", r->from, r->to);
	for (size_t i = 0; i < r->n_items; i++) {
		const struct seat_advice *a = &r->items[i];
		char who[CELL], plan[CELL], money[64];

		clean(a->person, who, sizeof(who));
		clean(a->plan, plan, sizeof(plan));
		fmt_money(a->monthly_delta_usd, money, sizeof(money));
		buf_printf(out, "%-26s  %-14s  %-10s  %10s/month  ", who, plan,
		           advice_kind_name(a->kind), money);
		advice_sentence(a, out);
		buf_putc(out, '\n');
	}
	if (r->n_items == 0)
		buf_puts(out, "(no seats held in the period: configure people[].seats)\n");
	return 0;
}
