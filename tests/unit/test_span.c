/* test_span.c - a period read as whole months, whole weeks and days, each day once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/lib/util.h"
#include "../../reports/span.h"

static int64_t day(int y, unsigned m, unsigned d)
{
	return days_from_civil(y, m, d);
}

static void assert_span(const struct span *sp, enum rollup_grain g, int64_t first, int64_t last)
{
	assert_int_equal(sp->grain, g);
	assert_int_equal(sp->first, first);
	assert_int_equal(sp->last, last);
}

/*
 * 2026-08-24 (a Monday) to 2026-11-23 (a Monday): September and October are
 * whole; before them the week of Aug 24 and Aug 31 alone; after them Nov 1
 * (a Sunday), the weeks of Nov 2, 9 and 16, and Nov 23.
 */
static void test_a_quarter_reads_months_then_weeks_then_days(void **state)
{
	struct span sp[SPAN_MAX];

	(void)state;
	assert_int_equal(span_split(day(2026, 8, 24), day(2026, 11, 23), sp), 6);
	assert_span(&sp[0], ROLLUP_WEEK, day(2026, 8, 24), day(2026, 8, 24));
	assert_span(&sp[1], ROLLUP_DAY, day(2026, 8, 31), day(2026, 8, 31));
	assert_span(&sp[2], ROLLUP_MONTH, day(2026, 9, 1), day(2026, 10, 1));
	assert_span(&sp[3], ROLLUP_DAY, day(2026, 11, 1), day(2026, 11, 1));
	assert_span(&sp[4], ROLLUP_WEEK, day(2026, 11, 2), day(2026, 11, 16));
	assert_span(&sp[5], ROLLUP_DAY, day(2026, 11, 23), day(2026, 11, 23));
}

static void test_short_periods_and_calendar_edges(void **state)
{
	struct span sp[SPAN_MAX];

	(void)state;
	/* Thursday to Sunday: no whole week. */
	assert_int_equal(span_split(day(2026, 11, 19), day(2026, 11, 22), sp), 1);
	assert_span(&sp[0], ROLLUP_DAY, day(2026, 11, 19), day(2026, 11, 22));
	/* One whole month, nothing around it. */
	assert_int_equal(span_split(day(2026, 11, 1), day(2026, 11, 30), sp), 1);
	assert_span(&sp[0], ROLLUP_MONTH, day(2026, 11, 1), day(2026, 11, 1));
	/* A leap February is whole only with its 29th. */
	assert_int_equal(span_split(day(2028, 2, 1), day(2028, 2, 29), sp), 1);
	assert_span(&sp[0], ROLLUP_MONTH, day(2028, 2, 1), day(2028, 2, 1));
	assert_int_equal(span_split(day(2028, 2, 1), day(2028, 2, 28), sp), 3);
	assert_span(&sp[0], ROLLUP_DAY, day(2028, 2, 1), day(2028, 2, 6));
	assert_span(&sp[1], ROLLUP_WEEK, day(2028, 2, 7), day(2028, 2, 21));
	assert_span(&sp[2], ROLLUP_DAY, day(2028, 2, 28), day(2028, 2, 28));
	/* Across a year end: 2026-12-28 is a Monday, its week ends in 2027. */
	assert_int_equal(span_split(day(2026, 12, 28), day(2027, 1, 3), sp), 1);
	assert_span(&sp[0], ROLLUP_WEEK, day(2026, 12, 28), day(2026, 12, 28));
	assert_int_equal(span_split(day(2026, 12, 28), day(2027, 1, 31), sp), 2);
	assert_span(&sp[0], ROLLUP_DAY, day(2026, 12, 28), day(2026, 12, 31));
	assert_span(&sp[1], ROLLUP_MONTH, day(2027, 1, 1), day(2027, 1, 1));
	/* One day, and nothing for an empty period. */
	assert_int_equal(span_split(day(2026, 11, 5), day(2026, 11, 5), sp), 1);
	assert_int_equal(span_split(day(2026, 11, 5), day(2026, 11, 4), sp), 0);
	/* Weeks start on Monday before 1970 too: 1969-12-31 is in the week of Dec 29. */
	assert_int_equal(rollup_unit_first(ROLLUP_WEEK, -1), -3);
	assert_int_equal(rollup_unit_first(ROLLUP_MONTH, day(2026, 11, 23)), day(2026, 11, 1));
	assert_int_equal(rollup_unit_last(ROLLUP_MONTH, day(2026, 12, 1)), day(2026, 12, 31));
}

/* Any period: each of its days in exactly one span's units, and no day outside it. */
static void test_every_period_is_covered_once(void **state)
{
	static unsigned char seen[800];
	const int64_t base = day(2026, 1, 1);

	(void)state;
	srand(11);
	for (int trial = 0; trial < 3000; trial++) {
		int64_t first = base + rand() % 400, last = first - 1 + rand() % 400;
		struct span sp[SPAN_MAX];
		size_t n = span_split(first, last, sp);

		memset(seen, 0, sizeof(seen));
		for (size_t i = 0; i < n; i++) {
			assert_true(i == 0 || sp[i].first > sp[i - 1].last);
			for (int64_t u = sp[i].first; u <= sp[i].last;
			     u = rollup_unit_last(sp[i].grain, u) + 1) {
				assert_int_equal(rollup_unit_first(sp[i].grain, u), u);
				for (int64_t d = u; d <= rollup_unit_last(sp[i].grain, u); d++) {
					assert_true(d >= first && d <= last);
					seen[d - base]++;
				}
			}
		}
		for (int64_t d = first; d <= last; d++)
			assert_int_equal(seen[d - base], 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_a_quarter_reads_months_then_weeks_then_days),
	    cmocka_unit_test(test_short_periods_and_calendar_edges),
	    cmocka_unit_test(test_every_period_is_covered_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
