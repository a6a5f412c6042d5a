/*
 * render_email.c - a digest as a subject line, plain text and HTML mail.
 *
 * Mail clients ignore style sheets and scripts and block remote images, so
 * the HTML is nested tables with inline styles and nothing to load. Every
 * name from a log or the configuration goes through html_text().
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "digest.h"
#include "html.h"
#include "numfmt.h"
#include "report.h"

#define FONT  "font-family:Arial,Helvetica,sans-serif;"
#define MUTED "color:#59636e;"
#define CELL  "padding:6px 8px;border-bottom:1px solid #e1e4e8;"

static double total_cost(const struct roi_report *r)
{
	return r->seat_cost_usd + r->payg_usd;
}

/* "2026-11-23", or "2026-11-16 to 2026-11-22". */
static void period_text(const struct roi_report *r, char *out, size_t n)
{
	if (strcmp(r->from, r->to) == 0)
		snprintf(out, n, "%s", r->from);
	else
		snprintf(out, n, "%s to %s", r->from, r->to);
}

/* "+12%", "-3%", "new" (nothing before), "no change". */
static void change_text(double now, double before, char *out, size_t n)
{
	double pct;

	if (fabs(before) < 1e-9) {
		snprintf(out, n, "%s", fabs(now) < 1e-9 ? "no change" : "new");
		return;
	}
	pct = 100 * (now - before) / fabs(before);
	if (fabs(pct) < 0.5)
		snprintf(out, n, "no change");
	else
		snprintf(out, n, "%+.0f%%", pct);
}

static void money_text(double v, const char *currency, char *out, size_t n)
{
	char digits[48];

	fmt_money(fabs(v), digits, sizeof(digits));
	if (currency == NULL || strcmp(currency, "USD") == 0)
		snprintf(out, n, "%s$%s", v < 0 ? "-" : "", digits);
	else
		snprintf(out, n, "%s%s %s", v < 0 ? "-" : "", digits, currency);
}

static void hours_range_text(const struct scenario *h, char *out, size_t n)
{
	snprintf(out, n, "%.1f to %.1f h (likely %.1f)", h->low, h->high, h->likely);
}

static void roi_range_text(const struct roi_report *r, char *out, size_t n)
{
	if (total_cost(r) <= 0)
		snprintf(out, n, "no cost in the period");
	else
		snprintf(out, n, "%.0f%% to %.0f%% (likely %.0f%%)", r->roi.roi.low * 100,
		         r->roi.roi.high * 100, r->roi.roi.likely * 100);
}

void render_email_subject(const struct digest_report *r, struct buf *out)
{
	char period[32], money[64];

	period_text(&r->now, period, sizeof(period));
	buf_printf(out, "Payback %s digest for %s, %s: ", sched_kind_name(&r->digest->schedule),
	           r->scope_label, period);
	if (total_cost(&r->now) > 0) {
		money_text(total_cost(&r->now), r->now.currency, money, sizeof(money));
		buf_printf(out, "ROI %.0f%% likely (%.0f%% to %.0f%%) on %s",
		           r->now.roi.roi.likely * 100, r->now.roi.roi.low * 100,
		           r->now.roi.roi.high * 100, money);
	} else {
		buf_printf(out, "%.1f h saved likely, no cost", r->now.roi.hours.likely);
	}
}

/* "https://payback.example.com/?from=...&to=..." into out, or nothing without a public URL. */
static void dashboard_link(const struct digest_report *r, struct buf *out)
{
	size_t len;

	if (r->public_url == NULL)
		return;
	len = strlen(r->public_url);
	buf_printf(out, "%.*s/", (int)(len > 0 && r->public_url[len - 1] == '/' ? len - 1 : len),
	           r->public_url);
	if (r->digest->scope == SCOPE_PERSONAL && r->person) {
		buf_puts(out, "developers/");
		html_url_part(out, r->person->id);
	}
	buf_printf(out, "?from=%s&to=%s", r->now.from, r->now.to);
}

void render_email_text(const struct digest_report *r, struct buf *out)
{
	const struct roi_report *now = &r->now, *before = &r->before;
	char period[32], a[96], b[96], c[32];
	struct buf line = BUF_INIT;

	period_text(now, period, sizeof(period));
	buf_printf(out, "Payback %s digest for %s\nPeriod: %s\n\n",
	           sched_kind_name(&r->digest->schedule), r->scope_label, period);
	fmt_thousands(now->requests, a, sizeof(a));
	buf_printf(out, "Requests          %s\n", a);
	money_text(now->seat_cost_usd, now->currency, a, sizeof(a));
	buf_printf(out, "Seat cost         %s\n", a);
	money_text(now->payg_usd, now->currency, a, sizeof(a));
	buf_printf(out, "Pay-as-you-go     %s\n", a);
	money_text(now->api_usd, now->currency, a, sizeof(a));
	buf_printf(out, "API-equivalent    %s\n", a);
	unpriced_sentence(&now->unpriced, 0, out);
	hours_range_text(&now->roi.hours, a, sizeof(a));
	buf_printf(out, "Hours saved       %s\n", a);
	roi_range_text(now, a, sizeof(a));
	buf_printf(out, "ROI               %s\n", a);
	money_text(now->roi.net_usd.likely, now->currency, a, sizeof(a));
	buf_printf(out, "Net value         %s likely\n\n", a);

	period_text(before, a, sizeof(a));
	buf_printf(out, "Compared with the %s before (%s):\n", r->period_name, a);
	change_text((double)now->requests, (double)before->requests, c, sizeof(c));
	buf_printf(out, "  requests %s, ", c);
	change_text(now->roi.hours.likely, before->roi.hours.likely, c, sizeof(c));
	buf_printf(out, "hours saved %s, ", c);
	change_text(total_cost(now), total_cost(before), c, sizeof(c));
	buf_printf(out, "cost %s\n", c);
	if (r->has_week) {
		buf_printf(out, "Week over week (%s to %s against the 7 days before):\n",
		           r->week.from, r->week.to);
		change_text((double)r->week.requests, (double)r->week_before.requests, c,
		            sizeof(c));
		buf_printf(out, "  requests %s, ", c);
		change_text(r->week.roi.hours.likely, r->week_before.roi.hours.likely, c,
		            sizeof(c));
		buf_printf(out, "hours saved %s, ", c);
		change_text(total_cost(&r->week), total_cost(&r->week_before), c, sizeof(c));
		buf_printf(out, "cost %s\n", c);
	}
	buf_putc(out, '\n');

	buf_puts(out, "Top models\n");
	if (r->n_top == 0)
		buf_puts(out, "  no requests in the period\n");
	for (size_t i = 0; i < r->n_top; i++) {
		fmt_thousands(r->top[i]->requests, a, sizeof(a));
		money_text(r->top[i]->api_usd, now->currency, b, sizeof(b));
		buf_printf(out, "  %-28s %10s requests  %12s API-equivalent  %.1f h saved likely\n",
		           r->top[i]->model, a, b, r->top[i]->minutes.likely / 60);
	}

	buf_puts(out, "\nWhich model for what (everyone's data)\n");
	for (size_t i = 0, shown = 0; i < r->compare.n_advice || shown == 0; i++) {
		if (i == r->compare.n_advice) {
			buf_printf(out,
			           "  not enough data yet: a recommendation needs %d requests "
			           "of each model in a task\n",
			           COMPARE_MIN_SAMPLES);
			break;
		}
		if (r->compare.advice[i].best == NULL)
			continue;
		buf_reset(&line);
		compare_advice_sentence(&r->compare.advice[i], &line);
		buf_printf(out, "  %s\n", line.data);
		shown++;
	}

	buf_puts(out, "\nSeat advice\n");
	if (r->advice.n_items == 0)
		buf_puts(out, "  every seat in scope is good value\n");
	for (size_t i = 0; i < r->advice.n_items; i++) {
		const struct seat_advice *s = &r->advice.items[i];

		buf_reset(&line);
		advice_sentence(s, &line);
		buf_printf(out, "  %s (%s): %s\n", s->person, s->plan, line.data);
	}
	buf_free(&line);
	if (r->public_url) {
		buf_puts(out, "\nDashboard: ");
		dashboard_link(r, out);
		buf_putc(out, '\n');
	}
	buf_puts(out, "\nHours saved are estimates in three scenarios (low, likely, high); "
	              "the model and its sources are in Payback's docs/roi.md.\n");
}

/* A headline figure: a label over a value (already HTML). */
static void figure_cell(struct buf *out, const char *label, const char *value_html)
{
	buf_printf(out,
	           "<td valign=\"top\" style=\"" FONT "padding:8px;width:25%%;\">"
	           "<div style=\"" MUTED "font-size:12px;\">%s</div>"
	           "<div style=\"font-size:17px;font-weight:bold;\">%s</div></td>",
	           label, value_html);
}

static void html_heading(struct buf *out, const char *text)
{
	buf_printf(out,
	           "<tr><td style=\"" FONT "padding:18px 20px 4px;font-size:16px;"
	           "font-weight:bold;\">%s</td></tr>\n",
	           text);
}

static void html_headline(const struct digest_report *r, struct buf *out)
{
	const struct roi_report *now = &r->now;
	struct buf v = BUF_INIT;

	buf_puts(out, "<tr><td style=\"padding:4px 12px;\"><table role=\"presentation\" "
	              "width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr>");
	html_money(&v, now->seat_cost_usd, now->currency);
	if (now->payg_usd > 0) {
		buf_puts(&v, "<div style=\"" MUTED "font-size:12px;font-weight:normal;\">+ ");
		html_money(&v, now->payg_usd, now->currency);
		buf_puts(&v, " pay-as-you-go</div>");
	}
	figure_cell(out, "Seat cost", v.data);
	buf_reset(&v);
	html_money(&v, now->api_usd, now->currency);
	figure_cell(out, "API-equivalent", v.data);
	buf_reset(&v);
	buf_printf(&v,
	           "%.1f h<div style=\"" MUTED "font-size:12px;font-weight:normal;\">"
	           "%.1f to %.1f h</div>",
	           now->roi.hours.likely, now->roi.hours.low, now->roi.hours.high);
	figure_cell(out, "Hours saved (likely)", v.data);
	buf_reset(&v);
	if (total_cost(now) > 0)
		buf_printf(&v,
		           "%.0f%%<div style=\"" MUTED "font-size:12px;font-weight:normal;\">"
		           "%.0f%% to %.0f%%</div>",
		           now->roi.roi.likely * 100, now->roi.roi.low * 100,
		           now->roi.roi.high * 100);
	else
		buf_puts(&v, "&ndash;<div style=\"" MUTED "font-size:12px;font-weight:normal;\">"
		             "no cost</div>");
	figure_cell(out, "ROI (likely)", v.data);
	buf_puts(out, "</tr></table></td></tr>\n");
	if (now->unpriced.n) {
		buf_puts(out, "<tr><td style=\"padding:4px 12px;" MUTED "\">");
		unpriced_sentence(&now->unpriced, 1, out);
		buf_puts(out, "</td></tr>\n");
	}
	buf_free(&v);
}

/* "requests <b>+3%</b>, hours saved <b>+1%</b>, cost <b>no change</b>" of a against b. */
static void html_changes(const struct roi_report *a, const struct roi_report *b, struct buf *out)
{
	char c1[32], c2[32], c3[32];

	change_text((double)a->requests, (double)b->requests, c1, sizeof(c1));
	change_text(a->roi.hours.likely, b->roi.hours.likely, c2, sizeof(c2));
	change_text(total_cost(a), total_cost(b), c3, sizeof(c3));
	buf_printf(out, "requests <b>%s</b>, hours saved <b>%s</b>, cost <b>%s</b>", c1, c2, c3);
}

static void html_change(const struct digest_report *r, struct buf *out)
{
	buf_printf(out,
	           "<tr><td style=\"" FONT MUTED "padding:4px 20px;font-size:13px;\">"
	           "Compared with the %s before: ",
	           r->period_name);
	html_changes(&r->now, &r->before, out);
	if (r->has_week) {
		buf_puts(out, ".<br>Week over week: ");
		html_changes(&r->week, &r->week_before, out);
	}
	buf_puts(out, ".</td></tr>\n");
}

static void html_top_models(const struct digest_report *r, struct buf *out)
{
	html_heading(out, "Top models");
	buf_puts(out, "<tr><td style=\"padding:0 20px;\"><table role=\"presentation\" "
	              "width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"" FONT
	              "font-size:13px;\"><tr>"
	              "<th align=\"left\" style=\"" CELL "\">Model</th>"
	              "<th align=\"right\" style=\"" CELL "\">Requests</th>"
	              "<th align=\"right\" style=\"" CELL "\">API-equivalent</th>"
	              "<th align=\"right\" style=\"" CELL "\">Hours saved</th></tr>\n");
	if (r->n_top == 0)
		buf_puts(out, "<tr><td colspan=\"4\" style=\"" CELL MUTED "\">No requests in the "
		              "period.</td></tr>\n");
	for (size_t i = 0; i < r->n_top; i++) {
		buf_puts(out, "<tr><td style=\"" CELL "\">");
		html_text(out, r->top[i]->model);
		buf_puts(out, "</td><td align=\"right\" style=\"" CELL "\">");
		html_count(out, r->top[i]->requests);
		buf_puts(out, "</td><td align=\"right\" style=\"" CELL "\">");
		html_money(out, r->top[i]->api_usd, r->now.currency);
		buf_printf(out, "</td><td align=\"right\" style=\"" CELL "\">%.1f</td></tr>\n",
		           r->top[i]->minutes.likely / 60);
	}
	buf_puts(out, "</table></td></tr>\n");
}

static void html_recommendations(const struct digest_report *r, struct buf *out)
{
	struct buf line = BUF_INIT;
	size_t shown = 0;

	html_heading(out, "Which model for what");
	buf_puts(out, "<tr><td style=\"" FONT "padding:0 20px;font-size:13px;\"><ul "
	              "style=\"margin:4px 0;padding-left:18px;\">");
	for (size_t i = 0; i < r->compare.n_advice; i++) {
		if (r->compare.advice[i].best == NULL)
			continue;
		buf_reset(&line);
		compare_advice_sentence(&r->compare.advice[i], &line);
		buf_puts(out, "<li>");
		html_text(out, line.data);
		buf_puts(out, "</li>");
		shown++;
	}
	if (shown == 0)
		buf_printf(out,
		           "<li style=\"" MUTED "\">Not enough data yet: a recommendation needs "
		           "%d requests of each model in a task.</li>",
		           COMPARE_MIN_SAMPLES);
	buf_puts(out, "</ul><div style=\"" MUTED "font-size:12px;\">Compared on everyone's "
	              "data.</div></td></tr>\n");
	buf_free(&line);
}

static void html_seat_advice(const struct digest_report *r, struct buf *out)
{
	struct buf line = BUF_INIT;

	html_heading(out, "Seat advice");
	buf_puts(out, "<tr><td style=\"padding:0 20px;\"><table role=\"presentation\" "
	              "width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"" FONT
	              "font-size:13px;\">\n");
	if (r->advice.n_items == 0)
		buf_puts(out, "<tr><td style=\"" CELL MUTED "\">Every seat in scope is good "
		              "value.</td></tr>\n");
	for (size_t i = 0; i < r->advice.n_items; i++) {
		const struct seat_advice *s = &r->advice.items[i];

		buf_reset(&line);
		advice_sentence(s, &line);
		buf_puts(out, "<tr><td style=\"" CELL "\"><b>");
		html_text(out, s->person);
		buf_puts(out, "</b> (");
		html_text(out, s->plan);
		buf_puts(out, "): ");
		html_text(out, line.data);
		buf_printf(out, "</td><td align=\"right\" style=\"" CELL "white-space:nowrap;%s\">",
		           s->monthly_delta_usd >= 0 ? "color:#1a7f37;" : "color:#cf222e;");
		html_money(out, s->monthly_delta_usd, r->now.currency);
		buf_puts(out, "/month</td></tr>\n");
	}
	buf_puts(out, "</table></td></tr>\n");
	buf_free(&line);
}

void render_email_html(const struct digest_report *r, struct buf *out)
{
	struct buf subject = BUF_INIT, link = BUF_INIT;
	char period[32];

	render_email_subject(r, &subject);
	period_text(&r->now, period, sizeof(period));
	buf_puts(out, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
	              "<meta name=\"viewport\" content=\"width=device-width\"><title>");
	html_text(out, subject.data);
	buf_puts(out, "</title></head>\n<body style=\"margin:0;padding:0;background:#f4f5f7;\">\n"
	              "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" "
	              "cellspacing=\"0\" style=\"background:#f4f5f7;\"><tr><td align=\"center\" "
	              "style=\"padding:20px 8px;\">\n<table role=\"presentation\" width=\"600\" "
	              "cellpadding=\"0\" cellspacing=\"0\" style=\"width:100%;max-width:600px;"
	              "background:#ffffff;border:1px solid #e1e4e8;color:#1f2328;\">\n");
	buf_printf(out,
	           "<tr><td style=\"" FONT "padding:18px 20px 2px;\"><div style=\"" MUTED
	           "font-size:12px;\">Payback %s digest</div><div style=\"font-size:20px;"
	           "font-weight:bold;\">",
	           sched_kind_name(&r->digest->schedule));
	{
		char heading[sizeof(r->scope_label)];

		snprintf(heading, sizeof(heading), "%s", r->scope_label);
		if (heading[0] >= 'a' && heading[0] <= 'z')
			heading[0] = (char)(heading[0] - 'a' + 'A');
		html_text(out, heading);
	}
	buf_printf(out, "</div><div style=\"" MUTED "font-size:13px;\">%s &middot; ", period);
	html_count(out, r->now.requests);
	buf_puts(out, " requests</div></td></tr>\n");
	html_headline(r, out);
	html_change(r, out);
	html_top_models(r, out);
	html_recommendations(r, out);
	html_seat_advice(r, out);
	dashboard_link(r, &link);
	if (link.len) {
		buf_puts(out, "<tr><td style=\"" FONT "padding:20px;\"><a href=\"");
		html_text(out, link.data);
		buf_puts(out, "\" style=\"background:#0969da;color:#ffffff;padding:10px 16px;"
		              "text-decoration:none;font-weight:bold;font-size:14px;\">Open the "
		              "dashboard</a></td></tr>\n");
	}
	buf_puts(out, "<tr><td style=\"" FONT MUTED "padding:14px 20px 18px;font-size:11px;"
	              "border-top:1px solid #e1e4e8;\">Hours saved are estimates in three "
	              "scenarios (low, likely, high), never one number; the model and its "
	              "sources are in Payback's docs/roi.md.</td></tr>\n"
	              "</table></td></tr></table>\n</body></html>\n");
	buf_free(&subject);
	buf_free(&link);
}
