/*
 * schedule.c - when a digest fires and what it covers.
 *
 * Firings are computed with mktime() on local broken-down time, so a daily
 * 08:00 stays at 08:00 across daylight-saving changes.
 */
#include "schedule.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../lib/calendar.h"
#include "../lib/util.h"

static const char *const weekdays[] = {"sunday",   "monday", "tuesday", "wednesday",
                                       "thursday", "friday", "saturday"};

/* Two digits at *p, advancing it; -1 when they are not there. */
static int two_digits(const char **p)
{
	const char *s = *p;

	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
		return -1;
	*p = s + 2;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* "08:00" or "08:00:30" (a single-digit hour too); returns 0 or -1. */
static int parse_clock(const char *s, struct schedule *out)
{
	char padded[16];
	const char *p = padded;
	int h, m, sec = 0;

	snprintf(padded, sizeof(padded), "%s%s", s[1] == ':' ? "0" : "", s);
	if ((h = two_digits(&p)) < 0 || *p++ != ':' || (m = two_digits(&p)) < 0)
		return -1;
	if (*p == ':' && (++p, (sec = two_digits(&p)) < 0))
		return -1;
	if (*p != '\0' || h > 23 || m > 59 || sec > 59)
		return -1;
	out->hour = h;
	out->minute = m;
	out->second = sec;
	return 0;
}

int sched_parse(const char *text, struct schedule *out, char *why, size_t whylen)
{
	char copy[128], *words[4], *save = NULL, *w;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	snprintf(copy, sizeof(copy), "%s", text);
	for (w = strtok_r(copy, " \t", &save); w && n < 4; w = strtok_r(NULL, " \t", &save))
		words[n++] = w;
	if (n == 0)
		goto bad;
	if (strcasecmp(words[0], "daily") == 0 && n == 2) {
		out->kind = SCHED_DAILY;
	} else if (strcasecmp(words[0], "weekly") == 0 && n == 3) {
		out->kind = SCHED_WEEKLY;
		for (out->weekday = 0; out->weekday < 7; out->weekday++)
			if (strcasecmp(words[1], weekdays[out->weekday]) == 0 ||
			    (strlen(words[1]) == 3 &&
			     strncasecmp(words[1], weekdays[out->weekday], 3) == 0))
				break;
		if (out->weekday == 7) {
			snprintf(why, whylen, "'%s' is not a day of the week (monday ... sunday)",
			         words[1]);
			return -1;
		}
	} else if (strcasecmp(words[0], "monthly") == 0 && n == 3) {
		char *end;
		long d = strtol(words[1], &end, 10);

		if (*end != '\0' || end == words[1] || d < 1 || d > 31) {
			snprintf(why, whylen, "'%s' is not a day of the month (1-31)", words[1]);
			return -1;
		}
		out->kind = SCHED_MONTHLY;
		out->mday = (int)d;
	} else {
		goto bad;
	}
	if (parse_clock(words[n - 1], out) < 0) {
		snprintf(why, whylen, "'%s' is not a time of day (HH:MM or HH:MM:SS, 24-hour)",
		         words[n - 1]);
		return -1;
	}
	return 0;
bad:
	snprintf(why, whylen,
	         "schedule '%s' is not one of 'daily HH:MM', 'weekly DAY HH:MM' or "
	         "'monthly DAY-OF-MONTH HH:MM'",
	         text);
	return -1;
}

void sched_text(const struct schedule *s, char *out, size_t n)
{
	char clock[16];

	if (s->second)
		snprintf(clock, sizeof(clock), "%02d:%02d:%02d", s->hour, s->minute, s->second);
	else
		snprintf(clock, sizeof(clock), "%02d:%02d", s->hour, s->minute);
	if (s->kind == SCHED_DAILY)
		snprintf(out, n, "daily %s", clock);
	else if (s->kind == SCHED_WEEKLY)
		snprintf(out, n, "weekly %s %s", weekdays[s->weekday], clock);
	else
		snprintf(out, n, "monthly %d %s", s->mday, clock);
}

const char *sched_period_name(const struct schedule *s)
{
	return s->kind == SCHED_DAILY ? "day" : s->kind == SCHED_WEEKLY ? "week" : "month";
}

const char *sched_kind_name(const struct schedule *s)
{
	return s->kind == SCHED_DAILY ? "daily" : s->kind == SCHED_WEEKLY ? "weekly" : "monthly";
}

/* The firing time on local day (days since 1970-01-01). */
static int64_t at_day(const struct schedule *s, int64_t day)
{
	struct tm tm;
	int y;
	unsigned m, d;

	civil_from_days(day, &y, &m, &d);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = (int)m - 1;
	tm.tm_mday = (int)d;
	tm.tm_hour = s->hour;
	tm.tm_min = s->minute;
	tm.tm_sec = s->second;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

/* The local day of month (y, m) on which a monthly schedule fires. */
static int64_t monthly_day(const struct schedule *s, int y, unsigned m)
{
	int64_t first = days_from_civil(y, m, 1);
	int64_t next = m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1);
	int64_t len = next - first;

	return first + (s->mday <= len ? s->mday : len) - 1;
}

/* Whether the schedule fires on local day at all. */
static int fires_on(const struct schedule *s, int64_t day)
{
	int y;
	unsigned m, d;

	if (s->kind == SCHED_DAILY)
		return 1;
	if (s->kind == SCHED_WEEKLY)
		return ((day + 4) % 7 + 7) % 7 == s->weekday; /* 1970-01-01 was a Thursday */
	civil_from_days(day, &y, &m, &d);
	return monthly_day(s, y, m) == day;
}

int64_t sched_last_due(const struct schedule *s, int64_t now)
{
	int64_t day = cal_local_day(now * 1000);

	/* At most a month and a day back; the loop is short and obviously right. */
	for (int64_t d = day; d > day - 64; d--) {
		int64_t at = fires_on(s, d) ? at_day(s, d) : INT64_MAX;

		if (at <= now)
			return at;
	}
	return 0;
}

int64_t sched_next_due(const struct schedule *s, int64_t now)
{
	int64_t day = cal_local_day(now * 1000);

	for (int64_t d = day; d < day + 64; d++) {
		int64_t at = fires_on(s, d) ? at_day(s, d) : INT64_MIN;

		if (at > now)
			return at;
	}
	return INT64_MAX;
}

void sched_period(const struct schedule *s, int64_t due, int64_t *from, int64_t *to)
{
	int64_t day = cal_local_day(due * 1000);

	*to = day - 1;
	*from = cal_local_day(sched_last_due(s, at_day(s, day) - 1) * 1000);
	if (*from > *to)
		*from = *to;
}
