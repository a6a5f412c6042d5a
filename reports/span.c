/*
 * span.c - which rollup rows make up a period. A unit (week or month) is
 * read from its own table only when the period holds all of it; the days
 * around the whole units come from the day rows.
 */
#include "span.h"

static size_t add(struct span *out, size_t n, enum rollup_grain g, int64_t first, int64_t last)
{
	if (first > last)
		return n;
	out[n].grain = g;
	out[n].first = first;
	out[n].last = last;
	return n + 1;
}

/* The whole units of grain g in [first, last]: their first days, or 0 when none. */
static int whole_units(enum rollup_grain g, int64_t first, int64_t last, int64_t *from, int64_t *to)
{
	int64_t a = rollup_unit_first(g, first), b = rollup_unit_first(g, last);

	if (a < first)
		a = rollup_unit_last(g, a) + 1;
	if (rollup_unit_last(g, b) > last)
		b = rollup_unit_first(g, b - 1);
	if (a > b || a > last)
		return 0;
	*from = a;
	*to = b;
	return 1;
}

/* Weeks where they fit, days around them. */
static size_t split_weeks(struct span *out, size_t n, int64_t first, int64_t last)
{
	int64_t a, b;

	if (first > last)
		return n;
	if (!whole_units(ROLLUP_WEEK, first, last, &a, &b))
		return add(out, n, ROLLUP_DAY, first, last);
	n = add(out, n, ROLLUP_DAY, first, a - 1);
	n = add(out, n, ROLLUP_WEEK, a, b);
	return add(out, n, ROLLUP_DAY, rollup_unit_last(ROLLUP_WEEK, b) + 1, last);
}

size_t span_split(int64_t first, int64_t last, struct span out[SPAN_MAX])
{
	int64_t a, b;
	size_t n = 0;

	if (first > last)
		return 0;
	if (!whole_units(ROLLUP_MONTH, first, last, &a, &b))
		return split_weeks(out, 0, first, last);
	n = split_weeks(out, n, first, a - 1);
	n = add(out, n, ROLLUP_MONTH, a, b);
	return split_weeks(out, n, rollup_unit_last(ROLLUP_MONTH, b) + 1, last);
}
