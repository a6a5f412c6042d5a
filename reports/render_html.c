/*
 * render_html.c - the dashboard's pages. They read the same report structs
 * as the text, CSV and JSON renderers, so every page agrees with its twins.
 */
#include "render_html.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "numfmt.h"

#define TOP_N 8 /* models and teams shown on the overview */

static void card(struct buf *b, const char *key)
{
	buf_puts(b, "<div class=\"card\"><div class=\"k\">");
	html_text(b, key);
	buf_puts(b, "</div><div class=\"v\">");
}

static void card_sub(struct buf *b)
{
	buf_puts(b, "</div><div class=\"s\">");
}

static void card_end(struct buf *b)
{
	buf_puts(b, "</div></div>");
}

static void roi_range(struct buf *b, const struct roi *x, double cost)
{
	if (cost <= 0) {
		buf_puts(b, "&ndash;");
		return;
	}
	struct scenario pct = {x->roi.low * 100, x->roi.likely * 100, x->roi.high * 100};

	html_range(b, &pct, " %", 0);
}

static void hours_range(struct buf *b, const struct scenario *minutes)
{
	struct scenario h = {minutes->low / 60, minutes->likely / 60, minutes->high / 60};

	html_range(b, &h, " h", 1);
}

static void table_begin(struct buf *b, const char *const *heads, size_t n)
{
	buf_puts(b, "<div class=\"scroll\"><table><thead><tr>");
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "<th>%s</th>", heads[i]);
	buf_puts(b, "</tr></thead><tbody>\n");
}

static void table_end(struct buf *b)
{
	buf_puts(b, "</tbody></table></div>\n");
}

static void cell_text(struct buf *b, const char *s)
{
	buf_puts(b, "<td class=\"t\">");
	html_text(b, s);
	buf_puts(b, "</td>");
}

static void cell_count(struct buf *b, int64_t v)
{
	buf_puts(b, "<td>");
	html_count(b, v);
	buf_puts(b, "</td>");
}

static void cell_money(struct buf *b, double v, const char *currency)
{
	buf_puts(b, "<td>");
	html_money(b, v, currency);
	buf_puts(b, "</td>");
}

static void cell_hours(struct buf *b, const struct scenario *minutes)
{
	buf_puts(b, "<td>");
	hours_range(b, minutes);
	buf_puts(b, "</td>");
}

static void cell_roi(struct buf *b, const struct roi *x, double cost)
{
	buf_puts(b, "<td>");
	roi_range(b, x, cost);
	buf_puts(b, "</td>");
}

static void empty_row(struct buf *b, int cols, const char *text)
{
	buf_printf(b, "<tr><td class=\"t muted\" colspan=\"%d\">", cols);
	html_text(b, text);
	buf_puts(b, "</td></tr>\n");
}

/* A team's row, with its API-equivalent cost when with_api. */
static void team_row(struct buf *out, const struct roi_team *t, const char *currency, int with_api)
{
	buf_puts(out, "<tr>");
	cell_text(out, t->team);
	cell_count(out, t->people);
	cell_count(out, t->requests);
	cell_money(out, t->seat_cost_usd + t->payg_usd, currency);
	if (with_api)
		cell_money(out, t->api_usd, currency);
	cell_hours(out, &t->minutes);
	cell_roi(out, &t->roi, t->seat_cost_usd + t->payg_usd);
	buf_puts(out, "</tr>\n");
}

static int by_likely_desc(const void *a, const void *b)
{
	const struct html_bar *x = a, *y = b;

	return (x->value < y->value) - (x->value > y->value);
}

/* What the summary cards show, of everyone or of one developer. */
struct card_figures {
	int64_t requests, prompts, active_ms;
	double developer_weeks;
	double seat, payg, api;
	const struct scenario *minutes;
	const struct roi *roi;
};

static void summary_cards(struct buf *b, const struct card_figures *f, const char *currency)
{
	buf_puts(b, "<div class=\"cards\">");
	card(b, "Spend");
	html_money(b, f->seat + f->payg, currency);
	card_sub(b);
	buf_puts(b, "seats ");
	html_money(b, f->seat, currency);
	buf_puts(b, " &middot; pay-as-you-go ");
	html_money(b, f->payg, currency);
	card_end(b);
	card(b, "API-equivalent");
	html_money(b, f->api, currency);
	card_sub(b);
	buf_puts(b, "the same tokens at list prices");
	card_end(b);
	card(b, "Hours saved");
	hours_range(b, f->minutes);
	card_sub(b);
	if (f->developer_weeks > 0)
		buf_printf(b, "likely %.1f h a developer-week &middot; ",
		           f->minutes->likely / 60 / f->developer_weeks);
	buf_puts(b, "worth ");
	html_money_range(b, &f->roi->value_usd, currency);
	card_end(b);
	card(b, "Return on spend");
	roi_range(b, f->roi, f->seat + f->payg);
	card_sub(b);
	buf_printf(b, "break-even at %.1f hours saved a month", f->roi->break_even_hours_month);
	card_end(b);
	card(b, "Prompts");
	html_count(b, f->prompts);
	card_sub(b);
	buf_printf(b, "%.1f hours active &middot; ", (double)f->active_ms / 3600000.0);
	html_count(b, f->requests);
	buf_puts(b, " model requests");
	card_end(b);
	buf_puts(b, "</div>\n");
}

void render_html_overview(const struct roi_report *r, const struct report *trend,
                          const struct html_page *p, struct buf *out)
{
	static const char *const team_heads[] = {"team",  "people",      "requests",
	                                         "spend", "hours saved", "return"};
	struct html_bar *bars = calloc(trend->n_rows + r->n_models + 1, sizeof(*bars));
	size_t n = 0;

	html_begin(out, p);
	summary_cards(out,
	              &(struct card_figures){r->requests, r->prompts, r->active_ms,
	                                     roi_developer_weeks(r), r->seat_cost_usd, r->payg_usd,
	                                     r->api_usd, &r->minutes, &r->roi},
	              r->currency);
	unpriced_sentence(&r->unpriced, 1, out);
	if (bars == NULL) {
		html_end(out, p);
		return;
	}
	buf_puts(out, "<h2>Trend</h2>");
	for (size_t i = 0; i < trend->n_rows; i++) {
		struct html_bar *bar = &bars[i];
		char reqs[28], money[40];

		bar->label = trend->rows[i].keys[0];
		bar->value = (double)trend->rows[i].metrics[M_REQUESTS];
		fmt_thousands(trend->rows[i].metrics[M_REQUESTS], reqs, sizeof(reqs));
		fmt_money(trend->rows[i].api_usd, money, sizeof(money));
		snprintf(bar->note, sizeof(bar->note), "%s requests, %s API-equivalent", reqs,
		         money);
	}
	html_columns(out, trend->keys[0] == KEY_WEEK ? "Requests per week" : "Requests per day",
	             bars, trend->n_rows);

	buf_puts(out, "<div class=\"grid2\"><div><h2>Top models</h2>");
	for (size_t i = 0; i < r->n_models; i++) {
		const struct roi_model *m = &r->models[i];
		char reqs[32];

		if (m->requests == 0)
			continue; /* "(unused seats)" holds cost, not use */
		bars[n].label = m->model;
		bars[n].value = m->minutes.likely / 60;
		fmt_thousands(m->requests, reqs, sizeof(reqs));
		snprintf(bars[n].note, sizeof(bars[n].note), "%.1f h, %s req", bars[n].value, reqs);
		n++;
	}
	qsort(bars, n, sizeof(*bars), by_likely_desc);
	html_hbars(out, "Likely hours saved by model", bars, n < TOP_N ? n : TOP_N);
	buf_puts(out, "</div><div><h2>Top teams</h2>");
	table_begin(out, team_heads, 6);
	n = 0;
	for (size_t i = 0; i < r->n_teams && n < TOP_N; i++, n++) {
		team_row(out, &r->teams[i], r->currency, 0);
	}
	if (r->n_teams == 0)
		empty_row(out, 6, "no teams in the period");
	table_end(out);
	buf_puts(out, "</div></div>\n");
	free(bars);
	html_end(out, p);
}

static void percent_cell(struct buf *b, double share)
{
	if (share < 0)
		buf_puts(b, "<td>&ndash;</td>");
	else
		buf_printf(b, "<td>%.0f%%</td>", 100 * share);
}

static void latency_cell(struct buf *b, double ms)
{
	if (ms < 0)
		buf_puts(b, "<td>&ndash;</td>");
	else {
		buf_puts(b, "<td>");
		html_count(b, (int64_t)ms);
		buf_puts(b, " ms</td>");
	}
}

void render_html_models(const struct roi_report *r, const struct compare_report *c,
                        const struct html_page *p, struct buf *out)
{
	static const char *const cost_heads[] = {"model",         "requests",       "seat share",
	                                         "pay-as-you-go", "API-equivalent", "hours saved"};
	static const char *const cmp_heads[] = {
	    "task", "model",   "requests",   "prompts",  "accepted",         "p50",
	    "p95",  "retries", "tokens/req", "cost/req", "min saved/prompt", "min per $"};
	struct html_bar *lat = calloc(c->n_rows + 1, sizeof(*lat));
	struct html_bar *acc = calloc(c->n_rows + 1, sizeof(*acc));
	size_t n_lat = 0, n_acc = 0;

	html_begin(out, p);
	unpriced_sentence(&r->unpriced, 1, out);
	buf_puts(out, "<h2>Recommendations</h2><ul class=\"advice\">");
	for (size_t i = 0; i < c->n_advice; i++) {
		struct buf line = BUF_INIT;

		compare_advice_sentence(&c->advice[i], &line);
		buf_puts(out, "<li>");
		html_text(out, line.data);
		buf_puts(out, "</li>");
		buf_free(&line);
	}
	if (c->n_advice == 0)
		buf_puts(out, "<li class=\"muted\">no usage in the period</li>");
	buf_puts(out, "</ul>\n<h2>Cost and time saved</h2>");
	table_begin(out, cost_heads, 6);
	for (size_t i = 0; i < r->n_models; i++) {
		const struct roi_model *m = &r->models[i];

		buf_puts(out, "<tr>");
		cell_text(out, m->model);
		cell_count(out, m->requests);
		cell_money(out, m->seat_cost_usd, r->currency);
		cell_money(out, m->payg_usd, r->currency);
		cell_money(out, m->api_usd, r->currency);
		cell_hours(out, &m->minutes);
		buf_puts(out, "</tr>\n");
	}
	if (r->n_models == 0)
		empty_row(out, 6, "no usage in the period");
	table_end(out);

	buf_puts(out, "<h2>Comparison by task</h2>");
	table_begin(out, cmp_heads, 12);
	for (size_t i = 0; i < c->n_rows; i++) {
		const struct compare_row *row = &c->rows[i];
		double reqs = row->requests > 0 ? (double)row->requests : 1;

		buf_puts(out, "<tr>");
		cell_text(out, row->task[0] ? row->task : "all tasks");
		cell_text(out, row->model);
		cell_count(out, row->requests);
		cell_count(out, row->prompts);
		percent_cell(out, compare_acceptance(row));
		latency_cell(out, row->latency_p50_ms);
		latency_cell(out, row->latency_p95_ms);
		percent_cell(out, (double)row->retries / reqs);
		cell_count(out, (int64_t)((double)row->tokens / reqs + 0.5));
		buf_printf(out, "<td>%.4f</td><td>%.2f</td><td>%.1f</td></tr>\n",
		           row->api_usd / reqs, compare_minutes_per_prompt(row),
		           compare_minutes_per_dollar(row));
		if (row->task[0] != '\0' || lat == NULL || acc == NULL)
			continue;
		if (row->latency_p50_ms >= 0) {
			lat[n_lat].label = row->model;
			lat[n_lat].value = row->latency_p50_ms;
			lat[n_lat].whisker = row->latency_p95_ms;
			snprintf(lat[n_lat].note, sizeof(lat[n_lat].note),
			         "p50 %.0f ms, p95 %.0f ms", row->latency_p50_ms,
			         row->latency_p95_ms);
			n_lat++;
		}
		if (compare_acceptance(row) >= 0) {
			acc[n_acc].label = row->model;
			acc[n_acc].value = 100 * compare_acceptance(row);
			snprintf(acc[n_acc].note, sizeof(acc[n_acc].note), "%.0f%% of %" PRId64,
			         acc[n_acc].value, row->with_outcome);
			n_acc++;
		}
	}
	if (c->n_rows == 0)
		empty_row(out, 11, "no usage in the period");
	table_end(out);
	buf_puts(out, "<div class=\"grid2\"><div><h2>Latency</h2>");
	html_hbars(out, "Median latency (bar) and p95 (line), all tasks", lat, n_lat);
	buf_puts(out, "</div><div><h2>Acceptance</h2>");
	html_hbars(out, "Share of answered suggestions accepted or edited, all tasks", acc, n_acc);
	buf_puts(out, "</div></div>\n");
	free(lat);
	free(acc);
	html_end(out, p);
}

static void person_link(struct buf *b, const char *id)
{
	buf_puts(b, "<td><a href=\"/developers/");
	html_url_part(b, id);
	buf_puts(b, "\">");
	html_text(b, id);
	buf_puts(b, "</a></td>");
}

void render_html_developers(const struct roi_report *r, int is_linked, const struct html_page *p,
                            struct buf *out)
{
	static const char *const heads[] = {"developer",      "team",         "requests",
	                                    "prompts",        "active hours", "spend",
	                                    "API-equivalent", "hours saved",  "return"};

	html_begin(out, p);
	table_begin(out, heads, 9);
	for (size_t i = 0; i < r->n_people; i++) {
		const struct roi_person *x = &r->people[i];

		buf_puts(out, "<tr>");
		if (is_linked)
			person_link(out, x->id);
		else
			cell_text(out, x->id);
		cell_text(out, x->team);
		cell_count(out, x->requests);
		cell_count(out, x->prompts);
		buf_printf(out, "<td>%.1f</td>", (double)x->active_ms / 3600000.0);
		cell_money(out, x->seat_cost_usd + x->payg_usd, r->currency);
		cell_money(out, x->api_usd, r->currency);
		cell_hours(out, &x->minutes);
		cell_roi(out, &x->roi, x->seat_cost_usd + x->payg_usd);
		buf_puts(out, "</tr>\n");
	}
	if (r->n_people == 0)
		empty_row(out, 9,
		          is_linked ? "no usage in the period"
		                    : "developers are hidden by privacy.developers");
	table_end(out);
	html_end(out, p);
}

void render_html_developer(const struct config *cfg, const struct roi_report *r,
                           const struct roi_person *who, const struct report *usage,
                           const struct html_page *p, struct buf *out)
{
	static const char *const heads[] = {"model",      "tool",         "requests",
	                                    "prompts",    "active hours", "input",
	                                    "cache read", "output",       "API-equivalent"};
	size_t shown = 0;

	html_begin(out, p);
	buf_puts(out, "<p>Team: ");
	html_text(out, who->team);
	buf_puts(out, "</p>");
	summary_cards(out,
	              &(struct card_figures){who->requests, who->prompts, who->active_ms,
	                                     (double)r->days / 7.0, who->seat_cost_usd,
	                                     who->payg_usd, who->api_usd, &who->minutes, &who->roi},
	              r->currency);
	buf_puts(out, "<h2>Usage by model and tool</h2>");
	table_begin(out, heads, 9);
	for (size_t i = 0; i < usage->n_rows; i++) {
		const struct report_row *row = &usage->rows[i];
		char name[128];

		report_developer_name(cfg, row->keys[0], name, sizeof(name));
		if (strcmp(name, who->id) != 0)
			continue;
		buf_puts(out, "<tr>");
		cell_text(out, row->keys[1]);
		cell_text(out, row->keys[2]);
		cell_count(out, row->metrics[M_REQUESTS]);
		cell_count(out, row->metrics[M_PROMPTS]);
		buf_printf(out, "<td>%.1f</td>", (double)row->metrics[M_ACTIVE_MINUTES] / 60.0);
		for (int m = M_INPUT; m <= M_OUTPUT; m++) {
			char t[32];

			if (m == M_CACHE_WRITE)
				continue;
			fmt_short((double)row->metrics[m], t, sizeof(t));
			buf_printf(out, "<td>%s</td>", t);
		}
		cell_money(out, row->api_usd, r->currency);
		buf_puts(out, "</tr>\n");
		shown++;
	}
	if (shown == 0)
		empty_row(out, 9, "no usage in the period");
	table_end(out);
	html_end(out, p);
}

void render_html_teams(const struct roi_report *r, const struct html_page *p, struct buf *out)
{
	static const char *const heads[] = {"team",           "people",      "requests", "spend",
	                                    "API-equivalent", "hours saved", "return"};

	html_begin(out, p);
	table_begin(out, heads, 7);
	for (size_t i = 0; i < r->n_teams; i++) {
		team_row(out, &r->teams[i], r->currency, 1);
	}
	if (r->n_teams == 0)
		empty_row(out, 7, "no usage in the period");
	table_end(out);
	buf_puts(out, "<p class=\"muted\">Teams smaller than privacy.min_group people are shown "
	              "together as \"other\".</p>");
	html_end(out, p);
}

void render_html_seats(const struct advice_report *a, const char *currency,
                       const struct html_page *p, struct buf *out)
{
	static const char *const heads[] = {"person", "plan",    "price a month",
	                                    "advice", "a month", "why"};
	double saved = 0;

	html_begin(out, p);
	for (size_t i = 0; i < a->n_items; i++)
		if (a->items[i].kind != ADVICE_GOOD && a->items[i].monthly_delta_usd > 0)
			saved += a->items[i].monthly_delta_usd;
	buf_puts(out, "<div class=\"cards\">");
	card(out, "Savings on offer");
	html_money(out, saved, currency);
	card_sub(out);
	buf_puts(out, "a month, by following the advice below");
	card_end(out);
	card(out, "Seats");
	html_count(out, (int64_t)a->n_items);
	card_sub(out);
	buf_puts(out, "held in the period");
	card_end(out);
	buf_puts(out, "</div><h2>Advice</h2>");
	table_begin(out, heads, 6);
	for (size_t i = 0; i < a->n_items; i++) {
		const struct seat_advice *s = &a->items[i];
		struct buf why = BUF_INIT;

		advice_sentence(s, &why);
		buf_puts(out, "<tr>");
		cell_text(out, s->person);
		cell_text(out, s->plan);
		cell_money(out, s->monthly_usd, currency);
		cell_text(out, advice_kind_name(s->kind));
		buf_printf(out, "<td class=\"%s\">", s->monthly_delta_usd >= 0 ? "good" : "bad");
		html_money(out, s->monthly_delta_usd, currency);
		buf_puts(out, "</td><td class=\"t\">");
		html_text(out, why.data);
		buf_puts(out, "</td></tr>\n");
		buf_free(&why);
	}
	if (a->n_items == 0)
		empty_row(out, 6, "no seats held in the period: configure people[].seats");
	table_end(out);
	html_end(out, p);
}

static void ago(struct buf *b, int64_t then, int64_t now)
{
	int64_t s = now - then;

	if (then <= 0)
		buf_puts(b, "never");
	else if (s < 120)
		buf_printf(b, "%" PRId64 " s ago", s < 0 ? 0 : s);
	else if (s < 7200)
		buf_printf(b, "%" PRId64 " min ago", s / 60);
	else if (s < 172800)
		buf_printf(b, "%" PRId64 " h ago", s / 3600);
	else
		buf_printf(b, "%" PRId64 " days ago", s / 86400);
}

/* The latest digest deliveries: sent, waiting for a retry, or refused. */
static void render_digest_runs(const struct sources_report *s, int64_t now, struct buf *out)
{
	static const char *const heads[] = {"digest", "period", "to",   "status",
	                                    "tries",  "when",   "error"};

	buf_puts(out, "<h2>E-mail digests</h2>");
	table_begin(out, heads, 7);
	for (size_t i = 0; i < s->n_digests; i++) {
		const struct source_digest *d = &s->digests[i];

		buf_puts(out, "<tr>");
		cell_text(out, d->digest);
		cell_text(out, d->period);
		cell_text(out, d->recipient);
		cell_text(out, d->status);
		cell_count(out, d->attempts);
		buf_puts(out, "<td>");
		ago(out, d->updated_at, now);
		if (strcmp(d->status, "retrying") == 0 && d->next_try > now)
			buf_printf(out, ", next try in %" PRId64 " s", d->next_try - now);
		buf_puts(out, "</td><td class=\"t\">");
		html_text(out, d->error);
		buf_puts(out, "</td></tr>\n");
	}
	if (s->n_digests == 0)
		empty_row(out, 7, "no digest has been sent yet");
	table_end(out);
}

void render_html_sources(const struct sources_report *s, const struct html_health *h,
                         const struct html_page *p, struct buf *out)
{
	static const char *const file_heads[] = {"source",   "format", "developer", "events",
	                                         "rejected", "unread", "last read"};
	static const char *const reject_heads[] = {"source", "line", "reason", "excerpt"};
	int64_t now = (int64_t)time(NULL);
	char size[32];

	html_begin(out, p);
	buf_puts(out, "<div class=\"cards\">");
	card(out, "Events stored");
	html_count(out, s->events);
	card_sub(out);
	buf_printf(out, "from %zu sources", s->n_files);
	card_end(out);
	card(out, "Lines rejected");
	html_count(out, s->rejected);
	card_sub(out);
	buf_puts(out, "with reasons below");
	card_end(out);
	card(out, "Daemon");
	buf_printf(out, "up %" PRId64 " h %02" PRId64 " min", h->uptime_s / 3600,
	           h->uptime_s / 60 % 60);
	card_sub(out);
	html_count(out, h->requests);
	buf_printf(out, " requests, %.1f ms mean", h->request_ms_mean);
	card_end(out);
	card(out, "Database");
	fmt_short((double)h->db_bytes, size, sizeof(size));
	buf_printf(out, "%sB", size);
	card_sub(out);
	buf_puts(out, "on disk");
	card_end(out);
	buf_puts(out, "</div><h2>Sources</h2>");
	table_begin(out, file_heads, 7);
	for (size_t i = 0; i < s->n_files; i++) {
		const struct source_row *f = &s->files[i];

		buf_puts(out, "<tr>");
		cell_text(out, f->path);
		cell_text(out, f->format);
		cell_text(out, f->developer);
		cell_count(out, f->events);
		cell_count(out, f->rejected);
		fmt_short((double)f->unread_bytes, size, sizeof(size));
		buf_printf(out, "<td>%sB</td><td>", size);
		ago(out, f->last_read, now);
		buf_puts(out, "</td></tr>\n");
	}
	if (s->n_files == 0)
		empty_row(out, 7, "nothing read yet: configure sources, or send events");
	table_end(out);
	buf_puts(out, "<h2>Latest rejected lines</h2>");
	table_begin(out, reject_heads, 4);
	for (size_t i = 0; i < s->n_rejects; i++) {
		const struct source_reject *r = &s->rejects[i];

		buf_puts(out, "<tr>");
		cell_text(out, r->path);
		cell_count(out, r->line_no);
		buf_puts(out, "<td class=\"t\">");
		html_text(out, r->reason);
		buf_puts(out, "</td><td class=\"t\"><code>");
		html_text(out, r->excerpt);
		buf_puts(out, "</code></td></tr>\n");
	}
	if (s->n_rejects == 0)
		empty_row(out, 4, "no line has been rejected");
	table_end(out);
	render_digest_runs(s, now, out);
	html_end(out, p);
}

void render_html_message(const char *title, const char *message, struct buf *out)
{
	struct html_page p = {title, "", "/", NULL, NULL, NULL, NULL, 0};

	html_begin(out, &p);
	buf_puts(out, "<p>");
	html_text(out, message);
	buf_puts(out, "</p>");
	html_end(out, &p);
}
