/* test_estimate.c - seat proration, API-equivalent cost and allocation, by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/lib/util.h"
#include "../../reports/estimate.h"

#define CLOSE(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static int64_t day(int y, unsigned m, unsigned d)
{
	return days_from_civil(y, m, d);
}

static void test_month_lengths_follow_the_calendar(void **state)
{
	(void)state;
	assert_int_equal(estimate_month_days(day(2026, 2, 10)), 28);
	assert_int_equal(estimate_month_days(day(2028, 2, 29)), 29);
	assert_int_equal(estimate_month_days(day(2026, 9, 30)), 30);
	assert_int_equal(estimate_month_days(day(2026, 12, 31)), 31);
}

static void test_a_whole_month_costs_the_monthly_price(void **state)
{
	struct plan pro = {"pro", "openai", 200, NULL, 0};
	struct seat s = {"pro", day(2026, 9, 1), INT64_MAX};

	(void)state;
	CLOSE(estimate_seat_cost(&pro, &s, day(2026, 9, 1), day(2026, 9, 30)), 200);
	CLOSE(estimate_seat_cost(&pro, &s, day(2026, 2, 1), day(2026, 2, 28)), 0);
	/* February: 28 days of 200/28. */
	s.since = day(2026, 1, 1);
	CLOSE(estimate_seat_cost(&pro, &s, day(2026, 2, 1), day(2026, 2, 28)), 200);
}

static void test_partial_seats_are_prorated_across_month_boundaries(void **state)
{
	struct plan pro = {"pro", "openai", 200, NULL, 0};
	/* Held from Sep 21 to Oct 10: 10 days of September (200/30 each) and
	 * 10 days of October (200/31 each). */
	struct seat s = {"pro", day(2026, 9, 21), day(2026, 10, 10)};

	(void)state;
	CLOSE(estimate_seat_cost(&pro, &s, day(2026, 9, 1), day(2026, 10, 31)),
	      10 * 200.0 / 30 + 10 * 200.0 / 31);
	/* A period inside the seat: Sep 25 to Oct 1 is 6 September days and 1 October day. */
	CLOSE(estimate_seat_cost(&pro, &s, day(2026, 9, 25), day(2026, 10, 1)),
	      6 * 200.0 / 30 + 200.0 / 31);
	/* A period after the seat ended costs nothing. */
	CLOSE(estimate_seat_cost(&pro, &s, day(2026, 11, 1), day(2026, 11, 30)), 0);
	/* A year held whole is twelve monthly prices. */
	s.since = day(2025, 1, 1);
	s.until = INT64_MAX;
	CLOSE(estimate_seat_cost(&pro, &s, day(2026, 1, 1), day(2026, 12, 31)), 2400);
}

static void test_api_cost_prices_all_four_token_kinds(void **state)
{
	struct model_price sonnet = {"claude-sonnet-4*", 3, 0.30, 3.75, 15, -1};
	struct token_sums t = {1000000, 2000000, 400000, 100000, 0};

	(void)state;
	/* 1M x 3 + 2M x 0.30 + 0.4M x 3.75 + 0.1M x 15 = 3 + 0.6 + 1.5 + 1.5 */
	CLOSE(estimate_api_cost(&sonnet, &t), 6.6);
	CLOSE(estimate_api_cost(NULL, &t), 0);
	/* A quarter of the writes for an hour: at twice the input price, 6.0 a million,
	 * not 3.75 (Anthropic: 1.25x input for five minutes, 2x for an hour). */
	t.cache_write_1h = 100000;
	CLOSE(estimate_api_cost(&sonnet, &t), 6.6 - 0.1 * 3.75 + 0.1 * 6);
	/* A price given for them wins. */
	sonnet.cache_write_1h = 5;
	CLOSE(estimate_api_cost(&sonnet, &t), 6.6 - 0.1 * 3.75 + 0.1 * 5);
}

static void test_allocation_follows_the_weights_and_sums_to_the_cost(void **state)
{
	double w[3] = {30, 10, 0}, out[3], none[2] = {0, 0}, eq[2];

	(void)state;
	estimate_allocate(200, w, 3, out);
	CLOSE(out[0], 150);
	CLOSE(out[1], 50);
	CLOSE(out[2], 0);
	estimate_allocate(200, none, 2, eq);
	CLOSE(eq[0], 100);
	CLOSE(eq[1], 100);
}

static void test_usage_is_covered_only_by_a_held_seat_whose_plan_covers_the_model(void **state)
{
	static char *covers_pro[] = {"chatgpt-5.5*", "codex-5.3-spark*"};
	static char *covers_max[] = {"claude-*"};
	struct plan plans[2] = {{"pro", "openai", 200, covers_pro, 2},
	                        {"max", "anthropic", 100, covers_max, 1}};
	struct seat seats[2] = {{"pro", day(2026, 9, 1), INT64_MAX},
	                        {"max", day(2026, 10, 1), day(2026, 10, 31)}};
	struct person ana = {.id = "ana", .seats = seats, .n_seats = 2};
	struct config cfg = {0};

	(void)state;
	cfg.plans = plans;
	cfg.n_plans = 2;
	assert_ptr_equal(estimate_covering_seat(&cfg, &ana, "codex-5.3-spark", day(2026, 9, 5)),
	                 &seats[0]);
	assert_null(estimate_covering_seat(&cfg, &ana, "codex-5.3-spark", day(2026, 8, 31)));
	assert_ptr_equal(estimate_covering_seat(&cfg, &ana, "claude-opus-4-5", day(2026, 10, 31)),
	                 &seats[1]);
	assert_null(estimate_covering_seat(&cfg, &ana, "claude-opus-4-5", day(2026, 11, 1)));
	assert_null(estimate_covering_seat(&cfg, &ana, "gpt-5", day(2026, 10, 5)));
	assert_null(estimate_covering_seat(&cfg, NULL, "gpt-5", day(2026, 10, 5)));
}

static struct estimate_model simple_model(void)
{
	struct estimate_model m;

	memset(&m, 0, sizeof(m));
	m.hourly_cost_usd = 90;
	m.minutes_per_prompt[OUTCOME_UNKNOWN] = (struct scenario){-0.5, 1, 2};
	m.minutes_per_prompt[OUTCOME_ACCEPTED] = (struct scenario){1, 3, 5};
	m.minutes_per_prompt[OUTCOME_REJECTED] = (struct scenario){-1, 0, 0};
	m.minutes_per_prompt[OUTCOME_EDITED] = (struct scenario){0, 2, 4};
	m.minutes_per_line = (struct scenario){0, 0.1, 0.2};
	m.review_per_rejection = (struct scenario){2, 1, 0.5};
	m.waiting_share = (struct scenario){1, 0.5, 0};
	return m;
}

static void test_minutes_saved_follow_the_documented_formula(void **state)
{
	struct estimate_model m = simple_model();
	struct task_factor debug = {"debug", 1.5};
	/* 20 prompts; 4 accepted, 2 rejected and 4 edited requests decide 10 of them, so
	 * 10 are unknown; 100 lines; 6 active minutes. */
	struct time_usage u = {20, {10, 4, 2, 4}, 100, 360000};
	struct scenario s;

	(void)state;
	s = estimate_minutes_saved(&m, NULL, &u);
	/* low:    10x-0.5 + 4x1 + 2x-1 + 4x0 + 100x0   - 2x2   - 6x1   = -13
	 * likely: 10x1    + 4x3 + 2x0  + 4x2 + 100x0.1 - 2x1   - 6x0.5 =  35
	 * high:   10x2    + 4x5 + 2x0  + 4x4 + 100x0.2 - 2x0.5 - 6x0   =  75 */
	CLOSE(s.low, -13);
	CLOSE(s.likely, 35);
	CLOSE(s.high, 75);
	/* A task factor multiplies the per-prompt part only: likely 1.5 x 30 + 10 - 2 - 3. */
	m.tasks = &debug;
	m.n_tasks = 1;
	s = estimate_minutes_saved(&m, "debug", &u);
	CLOSE(s.likely, 50);
	s = estimate_minutes_saved(&m, "docs", &u);
	CLOSE(s.likely, 35);
}

static void test_prompts_take_the_outcome_mix_of_decided_requests(void **state)
{
	struct estimate_model m = simple_model();
	/* 5 prompts, 10 decisions (6 accepted, 2 rejected, 2 edited): the prompts are
	 * 3 accepted, 1 rejected, 1 edited. likely: 3x3 + 1x0 + 1x2 - 2 rejections x1 = 9. */
	struct time_usage u = {5, {100, 6, 2, 2}, 0, 0};
	double by[OUTCOME_KINDS];

	(void)state;
	estimate_prompt_outcomes(&u, by);
	CLOSE(by[OUTCOME_UNKNOWN], 0);
	CLOSE(by[OUTCOME_ACCEPTED], 3);
	CLOSE(by[OUTCOME_REJECTED], 1);
	CLOSE(by[OUTCOME_EDITED], 1);
	CLOSE(estimate_minutes_saved(&m, NULL, &u).likely, 9);
	/* An agent twice as chatty (twice the undecided requests) saves the same. */
	u.requests[OUTCOME_UNKNOWN] = 200;
	CLOSE(estimate_minutes_saved(&m, NULL, &u).likely, 9);
	/* No prompts, no per-prompt minutes: only the rejections' review is left. */
	u.prompts = 0;
	CLOSE(estimate_minutes_saved(&m, NULL, &u).likely, -2);
}

static void test_a_day_is_held_between_its_attended_time_and_the_ceiling(void **state)
{
	struct estimate_model m = simple_model();
	struct scenario rows[3] = {{-10, 60, 100}, {5, 30, 50}, {-5, 10, 50}};
	struct scenario lost[2] = {{-300, 0, 0}, {-100, 0, 0}};

	(void)state;
	m.active_ceiling = (struct scenario){1.2, 1.2, 1.2};
	m.workday_hours = 8;
	/* 50 active minutes allow 60: likely 100 and high 200 are scaled down to 60,
	 * each row in proportion; low (-10) is left as it is. */
	CLOSE(estimate_attended_minutes(&m, 50 * 60000), 50);
	estimate_apply_bounds(&m, rows, 3, 50 * 60000);
	CLOSE(rows[0].low, -10);
	CLOSE(rows[0].likely, 36);
	CLOSE(rows[1].likely, 18);
	CLOSE(rows[2].likely, 6);
	CLOSE(rows[0].high + rows[1].high + rows[2].high, 60);
	CLOSE(rows[2].high, 15);
	/* Nobody loses more time than they spent: -400 over 50 minutes is -50. */
	estimate_apply_bounds(&m, lost, 2, 50 * 60000);
	CLOSE(lost[0].low + lost[1].low, -50);
	/* Agents in parallel around the clock: 30 hours of sessions, a working day attended. */
	CLOSE(estimate_attended_minutes(&m, 30 * 3600000LL), 480);
}

static void test_value_roi_net_and_break_even(void **state)
{
	struct estimate_model m = simple_model();
	struct scenario minutes = {-60, 180, 600};
	struct roi r;

	(void)state;
	/* A $200 seat for 30 days; a developer hour costs $90. */
	estimate_roi(&m, minutes, 200, 30, &r);
	CLOSE(r.hours.low, -1);
	CLOSE(r.hours.likely, 3);
	CLOSE(r.hours.high, 10);
	CLOSE(r.value_usd.likely, 270);
	CLOSE(r.net_usd.low, -290);
	CLOSE(r.net_usd.likely, 70);
	/* ROI is net over cost: (270 - 200) / 200, (900 - 200) / 200, (-90 - 200) / 200. */
	CLOSE(r.roi.likely, 0.35);
	CLOSE(r.roi.high, 3.5);
	CLOSE(r.roi.low, -1.45);
	/* Break-even is per average month: $200 over 30 days is $202.91 a month. */
	CLOSE(r.break_even_hours_month, 200.0 / 30 * 30.436875 / 90);
	/* The same cost over twice the days is half the cost a month. */
	estimate_roi(&m, minutes, 200, 60, &r);
	CLOSE(r.break_even_hours_month, 200.0 / 60 * 30.436875 / 90);
	estimate_roi(&m, minutes, 0, 30, &r);
	CLOSE(r.roi.likely, 0);
	CLOSE(r.break_even_hours_month, 0);
}

/* The worked example of docs/roi.md, with the built-in defaults. */
static void test_the_worked_example_of_docs_roi_md(void **state)
{
	static char *covers[] = {"codex-5.3-spark*"};
	struct plan pro = {"chatgpt-pro", "openai", 200, covers, 1};
	struct seat seat = {"chatgpt-pro", day(2026, 9, 21), INT64_MAX};
	struct model_price spark = {"codex-5.3-spark*", 1.25, 0.125, 0, 10, -1};
	struct token_sums october = {2000000, 8000000, 0, 600000, 0};
	/* 400 prompts over 9,000 requests: 300 accepted, 40 rejected, 20 edited. */
	struct time_usage u = {400, {8640, 300, 40, 20}, 3000, 2400 * 60000LL};
	/* The reference day of a daily user. */
	struct time_usage day_use = {24, {500, 16, 2, 2}, 240, 120 * 60000LL};
	struct config cfg;
	struct scenario minutes;
	struct roi r;
	char err[256];

	(void)state;
	assert_int_equal(config_load(&cfg, NULL, err, sizeof(err)), 0);
	CLOSE(estimate_seat_cost(&pro, &seat, day(2026, 9, 1), day(2026, 10, 31)), 200.0 / 3 + 200);
	CLOSE(estimate_api_cost(&spark, &october), 9.5);

	/* Calibration: likely 54 minutes a day, 4.5 hours a week of five days; low
	 * -21.6 (18 % of the active time lost); high 145, held to 120 x 1.2 = 144. */
	minutes = estimate_minutes_saved(&cfg.estimate, NULL, &day_use);
	CLOSE(minutes.likely, 54);
	CLOSE(minutes.likely * 5 / 60, 4.5);
	CLOSE(minutes.low, -21.6);
	CLOSE(minutes.high, 145);
	estimate_apply_bounds(&cfg.estimate, &minutes, 1, 120 * 60000LL);
	CLOSE(minutes.likely, 54); /* under its ceiling, 0.5 x 120 */
	CLOSE(minutes.high, 144);

	minutes = estimate_minutes_saved(&cfg.estimate, NULL, &u);
	CLOSE(minutes.low, -460);
	CLOSE(minutes.likely, 830);
	CLOSE(minutes.high, 2310);
	estimate_roi(&cfg.estimate, minutes, 200, 31, &r);
	CLOSE(r.value_usd.likely, 830.0 / 60 * 95);
	CLOSE(r.net_usd.likely, 830.0 / 60 * 95 - 200);
	CLOSE(r.value_usd.low, -460.0 / 60 * 95);
	CLOSE(r.value_usd.high, 3657.5);
	CLOSE(r.roi.likely, (830.0 / 60 * 95 - 200) / 200);
	assert_int_equal((int)lround(100 * r.roi.likely), 557);
	assert_int_equal((int)lround(100 * r.roi.low), -464);
	assert_int_equal((int)lround(100 * r.roi.high), 1729);
	CLOSE(r.break_even_hours_month, 200.0 / 31 * 30.436875 / 95);
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_month_lengths_follow_the_calendar),
	    cmocka_unit_test(test_a_whole_month_costs_the_monthly_price),
	    cmocka_unit_test(test_partial_seats_are_prorated_across_month_boundaries),
	    cmocka_unit_test(test_api_cost_prices_all_four_token_kinds),
	    cmocka_unit_test(test_allocation_follows_the_weights_and_sums_to_the_cost),
	    cmocka_unit_test(test_usage_is_covered_only_by_a_held_seat_whose_plan_covers_the_model),
	    cmocka_unit_test(test_minutes_saved_follow_the_documented_formula),
	    cmocka_unit_test(test_prompts_take_the_outcome_mix_of_decided_requests),
	    cmocka_unit_test(test_a_day_is_held_between_its_attended_time_and_the_ceiling),
	    cmocka_unit_test(test_value_roi_net_and_break_even),
	    cmocka_unit_test(test_the_worked_example_of_docs_roi_md),
	};

	return cmocka_run_group_tests_name("estimate", tests, NULL, NULL);
}
