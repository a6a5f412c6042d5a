/*
 * schedule.h - digest schedules in plain words ("daily 08:00", "weekly monday
 * 08:00", "monthly 1 08:00"), in the local time of the configured zone, and
 * the period of local days each firing reports on.
 */
#ifndef PAYBACK_SCHEDULE_H
#define PAYBACK_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

enum sched_kind { SCHED_DAILY, SCHED_WEEKLY, SCHED_MONTHLY };

struct schedule {
	enum sched_kind kind;
	int weekday; /* SCHED_WEEKLY: 0 Sunday ... 6 Saturday */
	int mday;    /* SCHED_MONTHLY: 1-31, the month's last day when it has fewer */
	int hour, minute, second;
};

/* Parses text; returns 0, or -1 with why naming what is wrong. */
int sched_parse(const char *text, struct schedule *out, char *why, size_t whylen);
/* "weekly monday 08:00" again, for logs and pages. */
void sched_text(const struct schedule *s, char *out, size_t n);
/* The latest firing at or before now (Unix seconds). */
int64_t sched_last_due(const struct schedule *s, int64_t now);
/* The first firing after now. */
int64_t sched_next_due(const struct schedule *s, int64_t now);
/*
 * The local days [*from, *to] a firing at due reports on: from the day of
 * the firing before it to the day before it, so the day, the week or the
 * month that just ended.
 */
void sched_period(const struct schedule *s, int64_t due, int64_t *from, int64_t *to);
/* What the period is called in a sentence: "day", "week" or "month". */
const char *sched_period_name(const struct schedule *s);
/* "daily", "weekly" or "monthly". */
const char *sched_kind_name(const struct schedule *s);

#endif
