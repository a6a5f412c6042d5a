/*
 * span.h - a period of local days as the rollup rows that add up to it
 * exactly: whole months, then whole ISO weeks of what is left, then days.
 * A year then reads twelve month rows per combination instead of 365.
 */
#ifndef PAYBACK_SPAN_H
#define PAYBACK_SPAN_H

#include <stddef.h>
#include <stdint.h>

#include "../daemon/store/rollup.h"

/* Rows of one grain whose keys (the units' first days) lie in [first, last]. */
struct span {
	enum rollup_grain grain;
	int64_t first, last;
};

/* Days, weeks, days before the months; months; days, weeks, days after. */
#define SPAN_MAX 7

/* Splits [first, last] into spans that cover each day once; returns how many. */
size_t span_split(int64_t first, int64_t last, struct span out[SPAN_MAX]);

#endif
