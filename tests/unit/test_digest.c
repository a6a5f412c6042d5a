/*
 * test_digest.c - digest schedules and periods, the smtp and digests
 * configuration, RFC 2047 headers, and what a rendered digest says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "../../daemon/lib/calendar.h"
#include "../../daemon/config/config.h"
#include "../../daemon/digest/run.h"
#include "../../daemon/digest/mailer.h"
#include "../../daemon/digest/schedule.h"
#include "../../daemon/lib/util.h"
#include "../../reports/digest.h"
#include "../../reports/report.h"

static char err[4096];

/* Unix seconds of a local time in the zone of TZ. */
static int64_t local(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

static void day_text(int64_t day, char out[11])
{
	cal_day_text(day, out);
}

static void test_sched_parses_plain_words_and_rejects_the_rest(void **state)
{
	struct schedule s;
	char why[256], text[64];

	(void)state;
	assert_int_equal(sched_parse("daily 08:00", &s, why, sizeof(why)), 0);
	assert_int_equal(s.kind, SCHED_DAILY);
	assert_int_equal(s.hour, 8);
	assert_int_equal(sched_parse("weekly Monday 07:30:15", &s, why, sizeof(why)), 0);
	assert_int_equal(s.kind, SCHED_WEEKLY);
	assert_int_equal(s.weekday, 1);
	assert_int_equal(s.second, 15);
	sched_text(&s, text, sizeof(text));
	assert_string_equal(text, "weekly monday 07:30:15");
	assert_int_equal(sched_parse("weekly fri 18:00", &s, why, sizeof(why)), 0);
	assert_int_equal(s.weekday, 5);
	assert_int_equal(sched_parse("monthly 31 06:00", &s, why, sizeof(why)), 0);
	assert_int_equal(s.mday, 31);
	assert_int_equal(sched_parse("hourly", &s, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "'daily HH:MM'"));
	assert_int_equal(sched_parse("weekly funday 08:00", &s, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "'funday' is not a day of the week"));
	assert_int_equal(sched_parse("monthly 32 08:00", &s, why, sizeof(why)), -1);
	assert_int_equal(sched_parse("daily 24:00", &s, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "'24:00' is not a time of day"));
	assert_int_equal(sched_parse("daily 8:5x", &s, why, sizeof(why)), -1);
}

static void test_sched_last_and_next_firing_and_the_period_they_cover(void **state)
{
	struct schedule s;
	char why[128], from[11], to[11];
	int64_t f, t, now = local(2026, 11, 24, 10, 0, 0); /* a Tuesday */

	(void)state;
	setenv("TZ", "Europe/Lisbon", 1);
	tzset();
	now = local(2026, 11, 24, 10, 0, 0);
	sched_parse("daily 08:00", &s, why, sizeof(why));
	assert_int_equal(sched_last_due(&s, now), local(2026, 11, 24, 8, 0, 0));
	assert_int_equal(sched_next_due(&s, now), local(2026, 11, 25, 8, 0, 0));
	sched_period(&s, sched_last_due(&s, now), &f, &t);
	day_text(f, from);
	day_text(t, to);
	assert_string_equal(from, "2026-11-23");
	assert_string_equal(to, "2026-11-23");
	/* Weekly on Monday: the week Monday to Sunday that just ended. */
	sched_parse("weekly monday 08:00", &s, why, sizeof(why));
	assert_int_equal(sched_last_due(&s, now), local(2026, 11, 23, 8, 0, 0));
	sched_period(&s, sched_last_due(&s, now), &f, &t);
	day_text(f, from);
	day_text(t, to);
	assert_string_equal(from, "2026-11-16");
	assert_string_equal(to, "2026-11-22");
	/* Before Monday's firing, the last one was a week earlier. */
	assert_int_equal(sched_last_due(&s, local(2026, 11, 23, 7, 59, 59)),
	                 local(2026, 11, 16, 8, 0, 0));
	/* Monthly on the 1st: the calendar month before. */
	sched_parse("monthly 1 08:00", &s, why, sizeof(why));
	sched_period(&s, sched_last_due(&s, now), &f, &t);
	day_text(f, from);
	day_text(t, to);
	assert_string_equal(from, "2026-10-01");
	assert_string_equal(to, "2026-10-31");
	/* The 31st fires on a shorter month's last day. */
	sched_parse("monthly 31 08:00", &s, why, sizeof(why));
	assert_int_equal(sched_last_due(&s, local(2026, 3, 1, 0, 0, 0)),
	                 local(2026, 2, 28, 8, 0, 0));
	/* 08:00 stays 08:00 local across the change to summer time (29 March 2026). */
	sched_parse("daily 08:00", &s, why, sizeof(why));
	assert_int_equal(sched_next_due(&s, local(2026, 3, 28, 9, 0, 0)),
	                 local(2026, 3, 29, 8, 0, 0));
	assert_int_equal(local(2026, 3, 29, 8, 0, 0) - local(2026, 3, 28, 8, 0, 0), 23 * 3600);
	setenv("TZ", "UTC", 1);
	tzset();
}

static void test_digest_periods_from_the_command_line(void **state)
{
	struct digest_period p;
	char a[11], b[11];

	(void)state;
	assert_int_equal(digest_parse_period("2026-03", &p), 0);
	day_text(p.from, a);
	day_text(p.to, b);
	assert_string_equal(a, "2026-03-01");
	assert_string_equal(b, "2026-03-31");
	day_text(p.prev_from, a);
	day_text(p.prev_to, b);
	assert_string_equal(a, "2026-02-01");
	assert_string_equal(b, "2026-02-28");
	assert_int_equal(digest_parse_period("2026-11-16..2026-11-22", &p), 0);
	day_text(p.prev_from, a);
	day_text(p.prev_to, b);
	assert_string_equal(a, "2026-11-09");
	assert_string_equal(b, "2026-11-15");
	assert_int_equal(digest_parse_period("2026-11-22..2026-11-16", &p), -1);
	assert_int_equal(digest_parse_period("2026-02-30", &p), -1);
	assert_int_equal(digest_parse_period("last week", &p), -1);
}

static int load(struct config *c, const char *text)
{
	return config_load_text(c, "/etc/payback/payback.yaml", text, err, sizeof(err));
}

static void test_config_smtp_and_digests_load_with_positions_on_errors(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(
	    load(&c, "people:\n"
	             "  - {id: ana@example.com, team: payments}\n"
	             "  - {id: bo, email: bo@example.com}\n"
	             "http: {public_url: https://payback.example.com}\n"
	             "smtp:\n"
	             "  url: smtp://mail.example.com:587\n"
	             "  from: Payback <payback@example.com>\n"
	             "  user: payback\n"
	             "  password_env: SMTP_PASSWORD\n"
	             "  retry_first: 30s\n"
	             "  retry_max: 2h\n"
	             "digests:\n"
	             "  - {name: weekly, schedule: weekly monday 08:00, to: [boss@example.com]}\n"
	             "  - {name: team, schedule: daily 07:00, to: lead@example.com, scope: "
	             "'team:payments', format: text}\n"
	             "  - {name: mine, schedule: monthly 1 08:00, scope: personal}\n"),
	    0);
	assert_int_equal(c.n_digests, 3);
	assert_int_equal(c.digests[0].scope, SCOPE_ORG);
	assert_int_equal(c.digests[0].schedule.kind, SCHED_WEEKLY);
	assert_int_equal(c.digests[1].scope, SCOPE_TEAM);
	assert_string_equal(c.digests[1].team, "payments");
	assert_int_equal(c.digests[1].is_text_only, 1);
	assert_string_equal(c.digests[1].to[0], "lead@example.com");
	assert_int_equal(c.digests[2].scope, SCOPE_PERSONAL);
	assert_int_equal(c.smtp.retry_first_s, 30);
	assert_int_equal(c.smtp.retry_max_s, 7200);
	assert_int_equal(c.smtp.is_tls_off, 0);
	assert_string_equal(config_person_address(&c.people[0]), "ana@example.com");
	assert_string_equal(config_person_address(&c.people[1]), "bo@example.com");
	assert_ptr_equal(config_digest(&c, "team"), &c.digests[1]);
	config_free(&c);

	assert_int_equal(
	    load(&c, "smtp: {url: 'http://x', from: a@b.c, password: x}\n"
	             "digests:\n"
	             "  - {name: a, schedule: every day, to: [nobody]}\n"
	             "  - {name: a, schedule: daily 08:00, scope: 'team:ghosts', "
	             "to: [x@y.z]}\n"
	             "  - {name: p, schedule: daily 08:00, scope: personal, to: [x@y.z]}\n"),
	    -1);
	assert_non_null(
	    strstr(err, "payback.yaml:1:13: smtp.url must start with smtp:// or smtps://"));
	assert_non_null(strstr(err, ":1:48: the SMTP password does not belong in the YAML"));
	assert_non_null(strstr(err, ":3:25: schedule 'every day' is not one of"));
	assert_non_null(strstr(err, ":3:41: 'nobody' is not an e-mail address"));
	assert_non_null(strstr(err, ":4:12: a digest named 'a' is already listed"));
	assert_non_null(strstr(err, "no person is in team 'ghosts'"));
	assert_null(strstr(err, "unknown key"));
	assert_non_null(strstr(err, ":5:59: a personal digest goes to each person"));
	config_free(&c);
	assert_int_equal(load(&c, "digests:\n  - {name: a, schedule: daily 08:00, to: [a@b.c]}\n"),
	                 -1);
	assert_non_null(strstr(err, "digests need an 'smtp' section"));
	config_free(&c);
}

static void test_mailer_encodes_non_ascii_headers_in_whole_characters(void **state)
{
	struct buf b = BUF_INIT;
	char addr[128];

	(void)state;
	mailer_header_text("Weekly digest", &b);
	assert_string_equal(b.data, "Weekly digest");
	buf_reset(&b);
	mailer_header_text("Zoë", &b);
	assert_string_equal(b.data, "=?UTF-8?B?Wm/Dqw==?=");
	buf_reset(&b);
	/* Long text: several encoded words, each at most 75 characters. */
	mailer_header_text("Payback digest for Zoë Ñúñez-Østergård, ROI 3.1x likely on "
	                   "€1,234.00 — the payments team",
	                   &b);
	for (char *w = b.data; (w = strstr(w, "=?UTF-8?B?")) != NULL; w++) {
		char *end = strstr(w + 10, "?=");

		assert_non_null(end);
		assert_true(end + 2 - w <= 75);
	}
	assert_non_null(strstr(b.data, "?=\r\n =?UTF-8?B?"));
	buf_free(&b);
	mailer_address("Payback <payback@example.com>", addr, sizeof(addr));
	assert_string_equal(addr, "payback@example.com");
	mailer_address("ops@example.com", addr, sizeof(addr));
	assert_string_equal(addr, "ops@example.com");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sched_parses_plain_words_and_rejects_the_rest),
	    cmocka_unit_test(test_sched_last_and_next_firing_and_the_period_they_cover),
	    cmocka_unit_test(test_digest_periods_from_the_command_line),
	    cmocka_unit_test(test_config_smtp_and_digests_load_with_positions_on_errors),
	    cmocka_unit_test(test_mailer_encodes_non_ascii_headers_in_whole_characters),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests_name("digest", tests, NULL, NULL);
}
