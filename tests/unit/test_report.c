/* test_report.c - local days, ISO weeks and the usage report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include <cmocka.h>

#include "../../daemon/lib/calendar.h"
#include "../../daemon/config/config.h"
#include "../../daemon/store/store.h"
#include "../../daemon/lib/util.h"
#include "../../reports/report.h"

static int64_t at(const char *iso)
{
	int64_t ms;
	const char *why;

	assert_int_equal(parse_iso8601(iso, &ms, &why), 0);
	return ms;
}

static void set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static void test_iso_weeks_follow_iso_8601_at_year_ends(void **state)
{
	char w[9];

	(void)state;
	set_tz("UTC");
	cal_week_key(at("2026-01-01T12:00:00Z"), w); /* a Thursday */
	assert_string_equal(w, "2026-W01");
	cal_week_key(at("2027-01-01T12:00:00Z"), w); /* a Friday: last week of 2026 */
	assert_string_equal(w, "2026-W53");
	cal_week_key(at("2024-12-30T12:00:00Z"), w); /* a Monday in week 1 of 2025 */
	assert_string_equal(w, "2025-W01");
	cal_week_key(at("2026-11-22T23:59:59Z"), w); /* Sunday ends the week */
	assert_string_equal(w, "2026-W47");
	cal_week_key(at("2026-11-23T00:00:00Z"), w);
	assert_string_equal(w, "2026-W48");
}

static void test_days_and_months_are_local_to_the_configured_zone(void **state)
{
	char d[11], m[8];

	(void)state;
	set_tz("America/New_York");
	cal_day_key(at("2026-12-01T03:30:00Z"), d);
	cal_month_key(at("2026-12-01T03:30:00Z"), m);
	assert_string_equal(d, "2026-11-30");
	assert_string_equal(m, "2026-11");
	set_tz("Asia/Tokyo");
	cal_day_key(at("2026-11-30T15:30:00Z"), d);
	assert_string_equal(d, "2026-12-01");
	set_tz("UTC");
}

static void put(struct batch *b, uint64_t id, const char *ts, const char *dev, const char *model,
                int64_t in, int64_t out)
{
	struct event *e = batch_add_event(b);

	e->id = id;
	e->ts_ms = at(ts);
	e->developer = dev;
	e->tool = "codex";
	e->model = model;
	e->input_tokens = in;
	e->output_tokens = out;
	e->reasoning_tokens = out / 2;
	e->latency_ms = -1;
	e->plan_used_pct = -1;
}

static void test_usage_report_groups_by_keys_within_local_day_bounds(void **state)
{
	struct store *st;
	struct batch b;
	struct store_counts c = {0, 0, 0};
	struct report_query q;
	struct report r;
	struct config cfg;
	char err[256];

	(void)state;
	set_tz("Europe/Lisbon");
	assert_int_equal(
	    config_load_text(&cfg, "p.yaml",
	                     "people:\n  - {id: ana@example.com, team: payments, "
	                     "aliases: [ana]}\nmodels:\n  - {match: \"gpt-5*\", input: 1, "
	                     "cache_read: 0.5, cache_write: 2, output: 4}\n",
	                     err, sizeof(err)),
	    0);
	assert_int_equal(store_open(&st, ":memory:", err, sizeof(err)), 0);
	assert_int_equal(report_register_functions(store_db(st), &cfg), 0);
	memset(&b, 0, sizeof(b));
	put(&b, 1, "2026-10-31T23:30:00Z", "ana", "gpt-5", 10, 2);   /* Oct 31 in Lisbon (WET) */
	put(&b, 2, "2026-11-01T00:30:00Z", "ana", "gpt-5", 20, 4);   /* Nov 1 */
	put(&b, 3, "2026-11-01T10:00:00Z", "bruno", "gpt-5", 30, 6); /* Nov 1 */
	put(&b, 4, "2026-11-02T10:00:00Z", "ana", "o3", 40, 8);      /* Nov 2 */
	store_begin(st);
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	store_commit(st);

	memset(&q, 0, sizeof(q));
	assert_int_equal(report_parse_keys(&q, "developer,day", err, sizeof(err)), 0);
	q.from = "2026-11-01";
	q.to = "2026-11-01";
	assert_int_equal(report_usage(store_db(st), &cfg, &q, &r, err, sizeof(err)), 0);
	assert_int_equal(r.n_rows, 2);
	assert_string_equal(r.rows[0].keys[0], "ana@example.com");
	assert_string_equal(r.rows[0].keys[1], "2026-11-01");
	assert_int_equal(r.rows[0].metrics[M_REQUESTS], 1);
	assert_int_equal(r.rows[0].metrics[M_INPUT], 20);
	assert_string_equal(r.rows[1].keys[0], "bruno");
	assert_int_equal(r.totals[M_INPUT], 50);
	assert_int_equal(r.totals[M_REASONING], 5);
	report_free(&r);

	assert_int_equal(report_parse_keys(&q, "month,model", err, sizeof(err)), 0);
	q.from = q.to = NULL;
	assert_int_equal(report_usage(store_db(st), &cfg, &q, &r, err, sizeof(err)), 0);
	assert_int_equal(r.n_rows, 3);
	assert_string_equal(r.rows[0].keys[0], "2026-10");
	assert_string_equal(r.rows[1].keys[1], "gpt-5");
	assert_int_equal(r.rows[1].metrics[M_REQUESTS], 2);
	assert_string_equal(r.rows[2].keys[1], "o3");
	/* gpt-5 at the configured prices (input 1, output 4 per million), not the
	 * built-in ones; o3 has no price and is named. */
	assert_true(fabs(r.rows[0].api_usd - (10 * 1 + 2 * 4) / 1e6) < 1e-15);
	assert_true(fabs(r.rows[1].api_usd - (50 * 1 + 10 * 4) / 1e6) < 1e-15);
	assert_true(r.rows[2].api_usd == 0);
	assert_true(fabs(r.total_api_usd - 108 / 1e6) < 1e-15);
	assert_int_equal(r.unpriced.n, 1);
	assert_string_equal(r.unpriced.items[0].model, "o3");
	assert_int_equal(r.unpriced.items[0].requests, r.rows[2].metrics[M_REQUESTS]);
	report_free(&r);
	/* Aliases fold into one person; people without a team are "(no team)". */
	assert_int_equal(report_parse_keys(&q, "team", err, sizeof(err)), 0);
	assert_int_equal(report_usage(store_db(st), &cfg, &q, &r, err, sizeof(err)), 0);
	assert_int_equal(r.n_rows, 2);
	assert_string_equal(r.rows[0].keys[0], "(no team)");
	assert_int_equal(r.rows[0].metrics[M_REQUESTS], 1);
	assert_string_equal(r.rows[1].keys[0], "payments");
	assert_int_equal(r.rows[1].metrics[M_REQUESTS], 3);
	report_free(&r);
	assert_int_equal(report_parse_keys(&q, "developer,colour", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown key 'colour'"));
	batch_free(&b);
	store_close(st);
	config_free(&cfg);
	set_tz("UTC");
}

static void test_renderers_agree_and_escape_names_from_logs(void **state)
{
	struct report r;
	struct report_row row;
	struct buf out = BUF_INIT;

	(void)state;
	memset(&r, 0, sizeof(r));
	memset(&row, 0, sizeof(row));
	r.keys[0] = KEY_DEVELOPER;
	r.n_keys = 1;
	row.keys[0] = "=HYPERLINK(\"http://x\",\"a,b\")";
	row.metrics[M_REQUESTS] = 1234567;
	r.rows = &row;
	r.n_rows = 1;
	r.totals[M_REQUESTS] = 1234567;
	row.api_usd = 1234.5;
	r.total_api_usd = 1234.5;
	render_csv_usage(&r, &out);
	assert_string_equal(
	    out.data, "developer,requests,prompts,active_minutes,input_tokens,cache_read_tokens,"
	              "cache_write_tokens,output_tokens,reasoning_tokens,api_equivalent_usd\r\n"
	              "\"'=HYPERLINK(\"\"http://x\"\",\"\"a,b\"\")\",1234567,0,0,0,0,0,0,0,"
	              "1234.5000\r\n");
	buf_reset(&out);
	render_json_usage(&r, &out);
	assert_non_null(
	    strstr(out.data, "\"developer\": \"=HYPERLINK(\\\"http://x\\\",\\\"a,b\\\")\""));
	assert_non_null(strstr(out.data, "\"requests\": 1234567"));
	assert_non_null(strstr(out.data, "\"api_equivalent_usd\": 1234.5000"));
	buf_reset(&out);
	render_text_usage(&r, &out);
	assert_non_null(strstr(out.data, "1,234,567"));
	assert_non_null(strstr(out.data, "1,234.50"));
	assert_non_null(strstr(out.data, "TOTAL"));
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_iso_weeks_follow_iso_8601_at_year_ends),
	    cmocka_unit_test(test_days_and_months_are_local_to_the_configured_zone),
	    cmocka_unit_test(test_usage_report_groups_by_keys_within_local_day_bounds),
	    cmocka_unit_test(test_renderers_agree_and_escape_names_from_logs),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
