/* test_roi.c - the overview and per-model figures on a small store, worked by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "../../daemon/lib/calendar.h"
#include "report_helper.h"

#include "../../daemon/config/config.h"
#include "../../daemon/store/store.h"
#include "../../daemon/lib/util.h"
#include "../../reports/report.h"
#include "../../reports/roi.h"

#define CLOSE(a, b) assert_true(fabs((a) - (b)) < 1e-6)

static const char config_text[] =
    "people:\n"
    "  - {id: ana, team: pay, seats: [{plan: pro, since: 2026-11-11}]}\n"
    "  - {id: bob, team: pay, seats: [{plan: max, since: 2026-10-01, until: 2026-10-31}]}\n"
    "plans:\n"
    "  - {id: pro, monthly_usd: 300, covers: [\"m-a*\", \"m-b*\"]}\n"
    "  - {id: max, monthly_usd: 100, covers: [\"m-a*\"]}\n"
    "models:\n"
    "  - {match: \"m-a*\", input: 1, cache_read: 0, cache_write: 0, output: 10}\n"
    "  - {match: \"m-b*\", input: 2, cache_read: 0, cache_write: 0, output: 0}\n"
    "estimate:\n"
    "  hourly_cost_usd: 60\n"
    "  minutes_per_prompt: {unknown: 1, accepted: 2, rejected: 0, edited: 1}\n"
    "  minutes_per_line: 0\n"
    "  review_per_rejection: 0\n"
    "  waiting_share: 0\n";

static void put(struct batch *b, uint64_t id, const char *ts, const char *dev, const char *model,
                int64_t in, int64_t out, enum outcome o)
{
	struct event *e = batch_add_event(b);
	const char *why;

	e->id = id;
	assert_int_equal(parse_iso8601(ts, &e->ts_ms, &why), 0);
	e->developer = dev;
	e->tool = "native";
	e->model = model;
	e->input_tokens = in;
	e->output_tokens = out;
	e->outcome = o;
	e->prompts = 1;
	/* Ten minutes to answer: each request's day has room under its ceiling. */
	e->latency_ms = 600000;
	e->plan_used_pct = -1;
}

/*
 * November (30 days). ana's pro seat is held from Nov 11: 20 days of 300/30
 * = $200, split between m-a and m-b by their API-equivalent use under it.
 * bob's max seat ended in October: his November use is pay-as-you-go.
 *   ana m-a, Nov 12: 1M in, 0.1M out -> 1 + 1 = $2 (covered), accepted
 *   ana m-b, Nov 12: 3M in            -> $6 (covered), unknown
 *   ana m-a, Nov 5:  0.5M in          -> $0.5 (before the seat: payg), rejected
 *   bob m-a, Nov 20: 2M in            -> $2 (payg), accepted
 * Seat split: m-a 2/8 x 200 = $50, m-b 6/8 x 200 = $150.
 * Minutes (likely = low = high here): 2 + 1 + 0 + 2 = 5.
 */
static void test_overview_and_models_for_a_month(void **state)
{
	struct config cfg;
	struct store *st;
	struct batch b;
	struct store_counts c = {0, 0, 0};
	struct roi_report r;
	char err[512];

	(void)state;
	st = open_report_store(&cfg, config_text);
	memset(&b, 0, sizeof(b));
	put(&b, 1, "2026-11-12T10:00:00Z", "ana", "m-a1", 1000000, 100000, OUTCOME_ACCEPTED);
	put(&b, 2, "2026-11-12T11:00:00Z", "ana", "m-b1", 3000000, 0, OUTCOME_UNKNOWN);
	put(&b, 3, "2026-11-05T10:00:00Z", "ana", "m-a1", 500000, 0, OUTCOME_REJECTED);
	put(&b, 4, "2026-11-20T10:00:00Z", "bob", "m-a1", 2000000, 0, OUTCOME_ACCEPTED);
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);

	assert_int_equal(
	    roi_build(store_db(st), &cfg, "2026-11-01", "2026-11-30", &r, err, sizeof(err)), 0);
	assert_int_equal(r.requests, 4);
	CLOSE(r.seat_cost_usd, 200);
	CLOSE(r.payg_usd, 2.5);
	CLOSE(r.api_usd, 10.5);
	CLOSE(r.minutes.likely, 5);
	CLOSE(r.roi.hours.likely, 5.0 / 60);
	CLOSE(r.roi.value_usd.likely, 5);
	CLOSE(r.roi.net_usd.likely, 5 - 202.5);
	CLOSE(r.roi.roi.likely, (5 - 202.5) / 202.5);
	/* November's 30 days cost 202.5: per average month 202.5 / 30 x 30.436875. */
	CLOSE(r.roi.break_even_hours_month, 202.5 / 30 * 30.436875 / 60);
	/* Per developer and team: ana pays the seat and $0.5 before it, bob $2. */
	assert_int_equal(r.n_people, 2);
	assert_string_equal(r.people[0].id, "ana");
	assert_string_equal(r.people[0].team, "pay");
	assert_int_equal(r.people[0].requests, 3);
	CLOSE(r.people[0].seat_cost_usd, 200);
	CLOSE(r.people[0].payg_usd, 0.5);
	CLOSE(r.people[0].api_usd, 8.5);
	CLOSE(r.people[0].minutes.likely, 3);
	CLOSE(r.people[0].roi.value_usd.likely, 3);
	CLOSE(r.people[1].payg_usd, 2);
	CLOSE(r.people[1].seat_cost_usd, 0);
	assert_int_equal(r.n_teams, 1);
	assert_string_equal(r.teams[0].team, "pay");
	assert_int_equal(r.teams[0].people, 2);
	assert_int_equal(r.teams[0].requests, 4);
	CLOSE(r.teams[0].seat_cost_usd + r.teams[0].payg_usd, 202.5);
	assert_int_equal(r.n_models, 2);
	assert_string_equal(r.models[0].model, "m-a1");
	assert_int_equal(r.models[0].requests, 3);
	CLOSE(r.models[0].seat_cost_usd, 50);
	CLOSE(r.models[0].payg_usd, 2.5);
	CLOSE(r.models[0].api_usd, 4.5);
	CLOSE(r.models[0].minutes.likely, 4);
	CLOSE(r.models[1].seat_cost_usd, 150);
	CLOSE(r.models[1].payg_usd, 0);
	roi_free(&r);

	/* October: bob's seat held all month and unused; nobody else has one. */
	assert_int_equal(
	    roi_build(store_db(st), &cfg, "2026-10-01", "2026-10-31", &r, err, sizeof(err)), 0);
	CLOSE(r.seat_cost_usd, 100);
	assert_int_equal(r.n_models, 1);
	assert_string_equal(r.models[0].model, "(unused seats)");
	CLOSE(r.models[0].seat_cost_usd, 100);
	/* Nothing saved for $100 spent: every dollar is lost, (0 - 100) / 100. */
	CLOSE(r.roi.roi.likely, -1);
	roi_free(&r);

	/* Split by requests instead: one covered request each, $100 each. */
	cfg.estimate.is_allocated_by_requests = 1;
	assert_int_equal(
	    roi_build(store_db(st), &cfg, "2026-11-01", "2026-11-30", &r, err, sizeof(err)), 0);
	CLOSE(r.models[0].seat_cost_usd, 100);
	CLOSE(r.models[1].seat_cost_usd, 100);
	roi_free(&r);
	cfg.estimate.is_allocated_by_requests = 0;

	/* Privacy: teams smaller than min_group fold into "other"; pseudonyms
	 * are stable; hidden developers leave the team figures alone. */
	cfg.privacy.min_group = 3;
	cfg.privacy.developers = PRIVACY_PSEUDONYMOUS;
	assert_int_equal(
	    roi_build(store_db(st), &cfg, "2026-11-01", "2026-11-30", &r, err, sizeof(err)), 0);
	assert_int_equal(r.n_teams, 1);
	assert_string_equal(r.teams[0].team, "other");
	assert_int_equal(r.teams[0].people, 2);
	assert_int_equal(r.n_people, 2);
	assert_int_equal(strncmp(r.people[0].id, "developer-", 10), 0);
	assert_int_equal(strlen(r.people[0].id), 16);
	assert_null(strstr(r.people[0].id, "ana"));
	roi_free(&r);
	cfg.privacy.developers = PRIVACY_HIDDEN;
	assert_int_equal(
	    roi_build(store_db(st), &cfg, "2026-11-01", "2026-11-30", &r, err, sizeof(err)), 0);
	assert_int_equal(r.n_people, 0);
	assert_int_equal(r.teams[0].requests, 4);
	roi_free(&r);
	cfg.privacy.developers = PRIVACY_VISIBLE;
	cfg.privacy.min_group = 1;

	/* Without bounds, the period is the days that have events. */
	assert_int_equal(roi_build(store_db(st), &cfg, NULL, NULL, &r, err, sizeof(err)), 0);
	assert_string_equal(r.from, "2026-11-05");
	assert_string_equal(r.to, "2026-11-20");
	roi_free(&r);
	batch_free(&b);
	store_close(st);
	config_free(&cfg);
}

/*
 * A long period is read as whole months and weeks (reports/span.c), a
 * person's week or month with a seat change day by day. Pay-as-you-go,
 * API-equivalent, requests and minutes add up over days, so the period's
 * figures must equal the sum of its single days, which read day rows only.
 * Seats here start on a Wednesday (Oct 14) and end mid-month (Nov 17).
 */
static void test_a_long_period_equals_the_sum_of_its_days(void **state)
{
	static const char text[] =
	    "people:\n"
	    "  - {id: ana, team: pay, seats: [{plan: pro, since: 2026-10-14, until: 2026-11-17}]}\n"
	    "  - {id: bob, team: pay, aliases: [bobby], seats: [{plan: max, since: 2026-09-01}]}\n"
	    "plans:\n"
	    "  - {id: pro, monthly_usd: 300, covers: [\"m-a*\", \"m-b*\"]}\n"
	    "  - {id: max, monthly_usd: 100, covers: [\"m-a*\"]}\n"
	    "models:\n"
	    "  - {match: \"m-a*\", input: 1, cache_read: 0, cache_write: 0, output: 10}\n"
	    "  - {match: \"m-b*\", input: 2, cache_read: 0, cache_write: 0, output: 0}\n";
	static const char *const devs[] = {"ana", "bob", "bobby", "carl"};
	const int64_t start = 1789948800; /* 2026-09-21T00:00:00Z, a Monday */
	struct config cfg;
	struct store *st = open_report_store(&cfg, text);
	struct store_counts c = {0, 0, 0};
	struct roi_report whole, one;
	double payg = 0, api = 0, minutes = 0, ana_payg = 0;
	int64_t requests = 0;
	struct batch b;
	char err[512];

	(void)state;
	memset(&b, 0, sizeof(b));
	for (uint64_t i = 0; i < 2000; i++) {
		struct event *e = batch_add_event(&b);

		e->id = i + 1;
		e->ts_ms = (start + (int64_t)i * 4111) * 1000; /* every 68.5 minutes, 95 days */
		e->developer = devs[i % 4];
		e->tool = "native";
		e->model = i % 3 ? "m-a1" : "m-b1";
		e->task = i % 5 ? "debug" : "docs";
		e->input_tokens = 1000 + (int64_t)i * 37;
		e->output_tokens = 100 + (int64_t)i % 900;
		e->outcome = (enum outcome)(i % 4);
		e->latency_ms = 1000;
		e->plan_used_pct = -1;
	}
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(
	    roi_build(store_db(st), &cfg, "2026-09-21", "2026-12-25", &whole, err, sizeof(err)), 0);
	for (int64_t d = days_from_civil(2026, 9, 21); d <= days_from_civil(2026, 12, 25); d++) {
		char day[11];

		cal_day_text(d, day);
		assert_int_equal(roi_build(store_db(st), &cfg, day, day, &one, err, sizeof(err)),
		                 0);
		requests += one.requests;
		payg += one.payg_usd;
		api += one.api_usd;
		minutes += one.minutes.likely;
		for (size_t p = 0; p < one.n_people; p++)
			if (strcmp(one.people[p].id, "ana") == 0)
				ana_payg += one.people[p].payg_usd;
		roi_free(&one);
	}
	assert_int_equal(whole.requests, 2000);
	assert_int_equal(requests, 2000);
	CLOSE(whole.api_usd, api);
	CLOSE(whole.payg_usd, payg);
	CLOSE(whole.minutes.likely, minutes);
	assert_string_equal(whole.people[0].id, "ana");
	CLOSE(whole.people[0].payg_usd, ana_payg);
	/* Some of ana's use fell outside her seat, some under it. */
	assert_true(ana_payg > 0 && ana_payg < whole.people[0].api_usd);
	roi_free(&whole);
	batch_free(&b);
	store_close(st);
	config_free(&cfg);
}

/* A model with no price is named, with what it holds, never a silent $0. */
static void test_unpriced_models_are_named_with_their_use(void **state)
{
	struct config cfg;
	struct store *st;
	struct batch b;
	struct store_counts c = {0, 0, 0};
	struct roi_report r;
	struct buf out = BUF_INIT;
	char err[512];

	(void)state;
	st = open_report_store(&cfg, config_text);
	memset(&b, 0, sizeof(b));
	put(&b, 1, "2026-11-12T10:00:00Z", "bob", "m-a1", 1000000, 0, OUTCOME_UNKNOWN);
	put(&b, 2, "2026-11-12T11:00:00Z", "bob", "zz-<new>", 3000, 500, OUTCOME_UNKNOWN);
	put(&b, 3, "2026-11-13T11:00:00Z", "bob", "zz-<new>", 1000, 500, OUTCOME_UNKNOWN);
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(
	    roi_build(store_db(st), &cfg, "2026-11-01", "2026-11-30", &r, err, sizeof(err)), 0);
	CLOSE(r.payg_usd, 1);
	assert_int_equal(r.unpriced.n, 1);
	assert_string_equal(r.unpriced.items[0].model, "zz-<new>");
	assert_int_equal(r.unpriced.items[0].requests, 2);
	assert_int_equal(r.unpriced.items[0].tokens, 5000);
	render_text_overview(&r, &out);
	assert_non_null(strstr(out.data, "no price for: zz-<new> (2 requests, 5.0k tokens): the "
	                                 "dollar figures leave them out"));
	buf_reset(&out);
	render_json_overview(&r, &out);
	assert_non_null(strstr(out.data, "\"unpriced_models\": [{\"model\": \"zz-<new>\", "
	                                 "\"requests\": 2, \"tokens\": 5000}]"));
	buf_free(&out);
	roi_free(&r);
	batch_free(&b);
	store_close(st);
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_unpriced_models_are_named_with_their_use),
	    cmocka_unit_test(test_overview_and_models_for_a_month),
	    cmocka_unit_test(test_a_long_period_equals_the_sum_of_its_days),
	};

	return cmocka_run_group_tests_name("roi", tests, NULL, NULL);
}
