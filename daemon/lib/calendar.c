/*
 * calendar.c - local days, ISO weeks and months in the zone of localtime().
 */
#include "calendar.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util.h"

static void local_tm(int64_t ts_ms, struct tm *tm)
{
	time_t t = (time_t)(ts_ms >= 0 ? ts_ms / 1000 : (ts_ms - 999) / 1000);

	localtime_r(&t, tm);
}

int64_t cal_local_day(int64_t ts_ms)
{
	struct tm tm;

	local_tm(ts_ms, &tm);
	return days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
}

int64_t cal_day_start_ms(int y, unsigned m, unsigned d)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = (int)m - 1;
	tm.tm_mday = (int)d;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

int cal_day_of(const char *s, int64_t *day)
{
	int y;
	unsigned m, d;

	if (parse_date(s, &y, &m, &d) < 0)
		return -1;
	*day = days_from_civil(y, m, d);
	return 0;
}

void cal_day_text(int64_t day, char out[11])
{
	int y;
	unsigned m, d;

	civil_from_days(day, &y, &m, &d);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, m % 100u, d % 100u);
}

int cal_period(const char *from, const char *to, int64_t *first, int64_t *last, char *err,
               size_t errlen)
{
	int64_t a = 0, b = 0;
	const char *bad = from && cal_day_of(from, &a) < 0 ? from
	                  : to && cal_day_of(to, &b) < 0   ? to
	                                                   : NULL;

	if (bad != NULL) {
		snprintf(err, errlen, "'%s' is not a date (YYYY-MM-DD)", bad);
		return -1;
	}
	if (from && to && a > b) {
		snprintf(err, errlen, "--from %s is after --to %s", from, to);
		return -1;
	}
	if (from)
		*first = a;
	if (to)
		*last = b;
	return 0;
}

int cal_day_bound(const char *s, int next, int64_t *ms, char *err, size_t errlen)
{
	int y;
	unsigned m, d;

	if (parse_date(s, &y, &m, &d) < 0) {
		snprintf(err, errlen, "'%s' is not a date (YYYY-MM-DD)", s);
		return -1;
	}
	if (next)
		civil_from_days(days_from_civil(y, m, d) + 1, &y, &m, &d);
	*ms = cal_day_start_ms(y, m, d);
	return 0;
}

void cal_day_key(int64_t ts_ms, char out[11])
{
	struct tm tm;

	local_tm(ts_ms, &tm);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
	         (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
}

void cal_week_key(int64_t ts_ms, char out[9])
{
	cal_week_of_day(cal_local_day(ts_ms), out);
}

/* ISO 8601 week: weeks start on Monday; week 1 holds the year's first Thursday. */
void cal_week_of_day(int64_t days, char out[9])
{
	int64_t thursday;
	int y;
	unsigned m, d;

	/* 1970-01-01 was a Thursday: weekday 0 = Monday. */
	thursday = days - ((days + 3) % 7 + 7) % 7 + 3;
	civil_from_days(thursday, &y, &m, &d);
	snprintf(out, 9, "%04u-W%02u", (unsigned)y % 10000u,
	         (unsigned)((thursday - days_from_civil(y, 1, 1)) / 7 + 1) % 100u);
}

void cal_month_key(int64_t ts_ms, char out[8])
{
	cal_month_of_day(cal_local_day(ts_ms), out);
}

void cal_month_of_day(int64_t days, char out[8])
{
	int y;
	unsigned m, d;

	civil_from_days(days, &y, &m, &d);
	snprintf(out, 8, "%04u-%02u", (unsigned)y % 10000u, m % 100u);
}
