/* test_estimate.c - seat proration, API-equivalent cost and allocation, by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../daemon/util.h"
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
	struct model_price sonnet = {"claude-sonnet-4*", 3, 0.30, 3.75, 15};
	struct token_sums t = {1000000, 2000000, 400000, 100000};

	(void)state;
	/* 1M x 3 + 2M x 0.30 + 0.4M x 3.75 + 0.1M x 15 = 3 + 0.6 + 1.5 + 1.5 */
	CLOSE(estimate_api_cost(&sonnet, &t), 6.6);
	CLOSE(estimate_api_cost(NULL, &t), 0);
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
	struct person ana = {"ana", NULL, NULL, NULL, 0, seats, 2};
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_month_lengths_follow_the_calendar),
	    cmocka_unit_test(test_a_whole_month_costs_the_monthly_price),
	    cmocka_unit_test(test_partial_seats_are_prorated_across_month_boundaries),
	    cmocka_unit_test(test_api_cost_prices_all_four_token_kinds),
	    cmocka_unit_test(test_allocation_follows_the_weights_and_sums_to_the_cost),
	    cmocka_unit_test(test_usage_is_covered_only_by_a_held_seat_whose_plan_covers_the_model),
	};

	return cmocka_run_group_tests_name("estimate", tests, NULL, NULL);
}
