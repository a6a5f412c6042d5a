/*
 * advice.c - what to do with each seat.
 *
 * A seat's usage in the period is what its holder sent to models its plan
 * covers while holding it. Rules, in order (thresholds in `advice:`):
 *   idle        no use for idle_days or more: cancel or reassign it;
 *   undersized  at least near_limit_share of its requests ran at or above
 *               near_limit_percent of the plan's limits (Codex rate_limits):
 *               the next larger plan covering the same models;
 *   oversized   usage at API prices below oversized_ratio of the price: the
 *               cheapest of pay-as-you-go and smaller plans covering it;
 *   good value  otherwise; the money is what the seat saves over API billing.
 */
#include "advice.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../daemon/lib/calendar.h"
#include "../daemon/lib/util.h"
#include "names.h"
#include "report.h"

#define MAX_SEAT_MODELS 32

/* What one seat was used for in the period. */
struct seat_use {
	const struct person *who;
	const struct seat *seat;
	int64_t requests, near_limit, last_day, limit_hits;
	double api_usd;
	char *models[MAX_SEAT_MODELS];
	size_t n_models;
};

static struct seat_use *use_for(struct seat_use *uses, size_t n, const struct seat *seat)
{
	for (size_t i = 0; i < n; i++)
		if (uses[i].seat == seat)
			return &uses[i];
	return NULL;
}

static void note_model(struct seat_use *u, const char *model)
{
	for (size_t i = 0; i < u->n_models; i++)
		if (strcmp(u->models[i], model) == 0)
			return;
	if (u->n_models < MAX_SEAT_MODELS && (u->models[u->n_models] = strdup(model)) != NULL)
		u->n_models++;
}

static int covers_all(const struct plan *plan, const struct seat_use *u)
{
	for (size_t i = 0; i < u->n_models; i++)
		if (!estimate_plan_covers(plan, u->models[i]))
			return 0;
	return 1;
}

const char *advice_kind_name(enum advice_kind k)
{
	static const char *const names[] = {"idle", "oversized", "undersized", "good value"};

	return names[k];
}

/* Near-limit counts use the rollup's percent: store_rollup_ensure keeps it the configured one. */
static int read_use(sqlite3 *db, const struct config *cfg, int64_t first, int64_t last,
                    struct seat_use *uses, size_t n_uses, char *err, size_t errlen)
{
	static const char sql[] =
	    "SELECT developer_id, model_id, day, requests, input_tokens, cache_read_tokens, "
	    "cache_write_tokens, output_tokens, near_limit, cache_write_1h_tokens FROM rollup "
	    "WHERE day >= ?1 AND day <= ?2";
	struct name_cache *names = names_new(db);
	int64_t last_dev = -1, last_model = -1, last_day = INT64_MIN;
	const struct person *who = NULL;
	const struct model_price *price = NULL;
	const char *model = NULL;
	struct seat_use *u = NULL;
	sqlite3_stmt *s;
	int rc;

	if (names == NULL || sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "advice query: %s", sqlite3_errmsg(db));
		names_free(names);
		return -1;
	}
	sqlite3_bind_int64(s, 1, first);
	sqlite3_bind_int64(s, 2, last);
	/*
	 * Rows come in key order (day, developer, model, task, tool): the seat
	 * and price found for one row hold for the rows after it until the
	 * developer, the model or the day changes.
	 */
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t dev_id = sqlite3_column_int64(s, 0), model_id = sqlite3_column_int64(s, 1);
		int64_t day = sqlite3_column_int64(s, 2);
		struct token_sums t = {sqlite3_column_int64(s, 4), sqlite3_column_int64(s, 5),
		                       sqlite3_column_int64(s, 6), sqlite3_column_int64(s, 7),
		                       sqlite3_column_int64(s, 9)};

		if (dev_id != last_dev || model_id != last_model || day != last_day) {
			const char *dev = names_text(names, dev_id);
			const char *name = names_text(names, model_id);

			if (dev_id != last_dev)
				who = dev ? config_person(cfg, dev) : NULL;
			if (model_id != last_model)
				price = name ? config_model_price(cfg, name) : NULL;
			last_dev = dev_id;
			last_model = model_id;
			last_day = day;
			model = name;
			u = NULL;
			if (dev && name) {
				const struct seat *seat =
				    estimate_covering_seat(cfg, who, name, day);

				u = seat ? use_for(uses, n_uses, seat) : NULL;
			}
			if (u) {
				if (day > u->last_day)
					u->last_day = day;
				note_model(u, model);
			}
		}
		if (u == NULL)
			continue;
		u->requests += sqlite3_column_int64(s, 3);
		u->near_limit += sqlite3_column_int64(s, 8);
		u->api_usd += estimate_api_cost(price, &t);
	}
	sqlite3_finalize(s);
	names_free(names);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "advice query: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* The vendor whose plans a tool's usage limits are those of. */
static const char *tool_vendor(const char *tool)
{
	return strcmp(tool, "claude-code") == 0 ? "anthropic"
	       : strcmp(tool, "codex") == 0     ? "openai"
	                                        : tool;
}

/*
 * A usage-limit message counts against the holder's seats held on its day
 * whose plan covers the model it stopped; one that names no model (stored
 * before models were kept), against those of its tool's vendor.
 */
static int read_limit_hits(sqlite3 *db, const struct config *cfg, int64_t lo, int64_t hi,
                           struct seat_use *uses, size_t n_uses)
{
	static const char sql[] = "SELECT d.text, m.text, t.text, l.ts FROM limit_hit l "
	                          "JOIN name d ON d.id = l.developer_id "
	                          "JOIN name t ON t.id = l.tool_id "
	                          "LEFT JOIN name m ON m.id = l.model_id "
	                          "WHERE l.ts >= ?1 AND l.ts < ?2";
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(s, 1, lo);
	sqlite3_bind_int64(s, 2, hi);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *dev = (const char *)sqlite3_column_text(s, 0);
		const char *model = (const char *)sqlite3_column_text(s, 1);
		const char *tool = (const char *)sqlite3_column_text(s, 2);
		const struct person *who = dev ? config_person(cfg, dev) : NULL;
		int64_t day = cal_local_day(sqlite3_column_int64(s, 3));

		for (size_t i = 0; who && i < n_uses; i++) {
			const struct seat *seat = uses[i].seat;
			const struct plan *plan = config_plan(cfg, seat->plan);

			if (uses[i].who != who || plan == NULL || day < seat->since ||
			    day > seat->until)
				continue;
			if (model ? estimate_plan_covers(plan, model)
			          : plan->vendor && tool &&
			                strcmp(plan->vendor, tool_vendor(tool)) == 0)
				uses[i].limit_hits++;
		}
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void judge(const struct config *cfg, const struct seat_use *u, const struct plan *plan,
                  int64_t first, int64_t last, struct seat_advice *a)
{
	const struct advice_rules *rules = &cfg->advice;
	int64_t held_from = u->seat->since > first ? u->seat->since : first;
	int64_t held_to = u->seat->until < last ? u->seat->until : last;
	double days = (double)(held_to - held_from + 1);

	a->plan = plan->id;
	a->monthly_usd = plan->monthly_usd;
	a->requests = u->requests;
	a->api_monthly_usd = u->api_usd * ESTIMATE_MONTH_DAYS / days;
	a->near_limit_share = u->requests ? (double)u->near_limit / (double)u->requests : 0;
	a->idle_days = u->requests ? held_to - u->last_day : held_to - held_from + 1;
	if (a->idle_days >= rules->idle_days) {
		a->kind = ADVICE_IDLE;
		a->monthly_delta_usd = plan->monthly_usd;
		return;
	}
	a->limit_hits = u->limit_hits;
	if ((u->requests && a->near_limit_share >= rules->near_limit_share) ||
	    u->limit_hits >= rules->limit_hits) {
		const struct plan *bigger = NULL;

		for (size_t i = 0; i < cfg->n_plans; i++) {
			const struct plan *p = &cfg->plans[i];

			if (p->monthly_usd > plan->monthly_usd && covers_all(p, u) &&
			    (!bigger || p->monthly_usd < bigger->monthly_usd))
				bigger = p;
		}
		a->kind = ADVICE_UNDERSIZED;
		a->alternative = bigger ? bigger->id : NULL;
		a->monthly_delta_usd = bigger ? plan->monthly_usd - bigger->monthly_usd : 0;
		return;
	}
	if (a->api_monthly_usd < plan->monthly_usd * rules->oversized_ratio) {
		double best = a->api_monthly_usd;

		a->alternative = "pay-as-you-go";
		for (size_t i = 0; i < cfg->n_plans; i++) {
			const struct plan *p = &cfg->plans[i];

			if (p->monthly_usd < best && p->monthly_usd < plan->monthly_usd &&
			    covers_all(p, u)) {
				best = p->monthly_usd;
				a->alternative = p->id;
			}
		}
		a->kind = ADVICE_OVERSIZED;
		a->monthly_delta_usd = plan->monthly_usd - best;
		return;
	}
	a->kind = ADVICE_GOOD;
	a->monthly_delta_usd = a->api_monthly_usd - plan->monthly_usd;
}

static int64_t last_event_day(sqlite3 *db)
{
	sqlite3_stmt *s;
	int64_t day = cal_local_day((int64_t)time(NULL) * 1000);

	if (sqlite3_prepare_v2(db, "SELECT max(day) FROM rollup", -1, &s, NULL) != SQLITE_OK)
		return day;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		day = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return day;
}

int advice_build(sqlite3 *db, const struct config *cfg, const char *from, const char *to,
                 struct advice_report *r, char *err, size_t errlen)
{
	struct seat_use *uses = NULL;
	size_t n_uses = 0;
	int64_t first, last, lo, hi;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	last = to ? 0 : last_event_day(db);
	if (cal_period(from, to, &first, &last, err, errlen) < 0)
		return -1;
	if (!from)
		first = last - 29;
	cal_day_text(first, r->from);
	cal_day_text(last, r->to);
	for (size_t p = 0; p < cfg->n_people; p++)
		n_uses += cfg->people[p].n_seats;
	uses = calloc(n_uses ? n_uses : 1, sizeof(*uses));
	if (uses == NULL)
		return -1;
	n_uses = 0;
	for (size_t p = 0; p < cfg->n_people; p++)
		for (size_t k = 0; k < cfg->people[p].n_seats; k++) {
			const struct seat *seat = &cfg->people[p].seats[k];

			if (seat->since > last || seat->until < first)
				continue; /* not held in the period */
			uses[n_uses].who = &cfg->people[p];
			uses[n_uses].seat = seat;
			uses[n_uses].last_day = INT64_MIN;
			n_uses++;
		}
	if (cal_day_bound(r->from, 0, &lo, err, errlen) < 0 ||
	    cal_day_bound(r->to, 1, &hi, err, errlen) < 0 ||
	    read_use(db, cfg, first, last, uses, n_uses, err, errlen) < 0)
		goto done;
	if (read_limit_hits(db, cfg, lo, hi, uses, n_uses) < 0) {
		snprintf(err, errlen, "advice query: %s", sqlite3_errmsg(db));
		goto done;
	}
	r->items = calloc(n_uses ? n_uses : 1, sizeof(*r->items));
	if (r->items == NULL)
		goto done;
	for (size_t i = 0; i < n_uses; i++) {
		const struct plan *plan = config_plan(cfg, uses[i].seat->plan);
		struct seat_advice *a = &r->items[r->n_items];

		if (plan == NULL)
			continue;
		char name[512];

		report_developer_name(cfg, uses[i].who->id, name, sizeof(name));
		a->person = strdup(name);
		a->holder = uses[i].who;
		if (a->person == NULL)
			goto done;
		judge(cfg, &uses[i], plan, first, last, a);
		r->n_items++;
	}
	rc = 0;
done:
	for (size_t i = 0; i < n_uses; i++)
		for (size_t m = 0; m < uses[i].n_models; m++)
			free(uses[i].models[m]);
	free(uses);
	if (rc < 0)
		advice_free(r);
	return rc;
}

void advice_free(struct advice_report *r)
{
	for (size_t i = 0; r->items && i < r->n_items; i++)
		free(r->items[i].person);
	free(r->items);
	memset(r, 0, sizeof(*r));
}

void advice_sentence(const struct seat_advice *a, struct buf *out)
{
	switch (a->kind) {
	case ADVICE_IDLE:
		buf_printf(out,
		           "cancel or reassign: unused for %" PRId64 " days; saves %.2f a month",
		           a->idle_days, a->monthly_delta_usd);
		break;
	case ADVICE_UNDERSIZED:
		if (a->limit_hits > 0)
			buf_printf(out, "hit the plan's usage limit %" PRId64 " times; ",
			           a->limit_hits);
		if (a->near_limit_share > 0)
			buf_printf(out, "%.0f%% of requests ran near the plan's limits; ",
			           100 * a->near_limit_share);
		if (a->alternative)
			buf_printf(out, "consider %s, %.2f more a month", a->alternative,
			           -a->monthly_delta_usd);
		else
			buf_puts(out, "no larger plan is configured");
		break;
	case ADVICE_OVERSIZED:
		buf_printf(
		    out,
		    "switch to %s: its usage is worth %.2f a month at API prices; saves %.2f "
		    "a month",
		    a->alternative, a->api_monthly_usd, a->monthly_delta_usd);
		break;
	case ADVICE_GOOD:
		if (a->monthly_delta_usd >= 0)
			buf_printf(out,
			           "good value: its usage is worth %.2f a month at API prices, "
			           "%.2f more than the seat",
			           a->api_monthly_usd, a->monthly_delta_usd);
		else
			buf_printf(out,
			           "keep: its usage is worth %.2f a month at API prices, %.2f "
			           "less than the seat; watch it",
			           a->api_monthly_usd, -a->monthly_delta_usd);
		break;
	}
}
