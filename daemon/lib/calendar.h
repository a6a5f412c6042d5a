/*
 * calendar.h - local days, ISO weeks and months in the zone of localtime():
 * what the rollup, the reports and the digest schedules all count in.
 *
 * A day is a number of days since 1970-01-01; its text is "YYYY-MM-DD", a
 * week's "YYYY-Www" (ISO 8601), a month's "YYYY-MM".
 */
#ifndef PAYBACK_CALENDAR_H
#define PAYBACK_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

/* The local day of a time in milliseconds since the epoch. */
int64_t cal_local_day(int64_t ts_ms);
/* The first millisecond of local day y-m-d. */
int64_t cal_day_start_ms(int y, unsigned m, unsigned d);
/* "YYYY-MM-DD" to a day; -1 for anything else. */
int cal_day_of(const char *s, int64_t *day);
void cal_day_text(int64_t day, char out[11]);
/*
 * The days of the given ends of a period (from, to: "YYYY-MM-DD" or NULL),
 * each written only when given. Returns 0, or -1 with err filled when an
 * end is not a date or from is after to: an inverted period is the
 * caller's mistake, never an empty report.
 */
int cal_period(const char *from, const char *to, int64_t *first, int64_t *last, char *err,
               size_t errlen);
/* The first millisecond of local day s (YYYY-MM-DD), or of the day after when next. */
int cal_day_bound(const char *s, int next, int64_t *ms, char *err, size_t errlen);
/* The day, week and month keys of a time in milliseconds. */
void cal_day_key(int64_t ts_ms, char out[11]);
void cal_week_key(int64_t ts_ms, char out[9]);
void cal_month_key(int64_t ts_ms, char out[8]);
/* The week and month keys of a day. */
void cal_week_of_day(int64_t day, char out[9]);
void cal_month_of_day(int64_t day, char out[8]);

#endif
