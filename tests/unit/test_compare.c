/* test_compare.c - the model comparison on a small store, worked by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "report_helper.h"

#include "../../daemon/config/config.h"
#include "../../daemon/store/store.h"
#include "../../reports/compare.h"
#include "../../reports/report.h"

#define CLOSE(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static const char config_text[] =
    "models:\n"
    "  - {match: m-a, input: 1, cache_read: 0, cache_write: 0, output: 0}\n"
    "  - {match: m-b, input: 2, cache_read: 0, cache_write: 0, output: 0}\n"
    "estimate:\n"
    "  minutes_per_prompt: {unknown: 1, accepted: 2, rejected: 0, edited: 1}\n"
    "  minutes_per_line: 0\n"
    "  review_per_rejection: 0\n"
    "  waiting_share: 0\n"
    "  active_ceiling: 1.2\n";

/*
 * m-a: 40 debug requests in one session, two minutes apart, each 1M input
 * tokens ($1) and its own prompt; latencies 100, 200, ... 4000 ms; every 4th
 * rejected, the rest accepted. m-b: 30 debug prompts with no outcome, no
 * latency, no session, two minutes apart, 1M tokens at $2 each. Both stay
 * under their day's ceiling (about 78 and 58 active minutes x 1.2).
 *   m-a: minutes 30 x 2 = 60, $40: 1.5 a request, 1.5 a dollar; acceptance
 *        30/40; p50 = 20th value = 2000, p95 = 38th = 3800; retries: the
 *        requests after the 9 rejections that have a successor = 9.
 *   m-b: minutes 30 x 1 = 30, $60: 0.5 a dollar.
 * So for debug, m-a saves 3.0x more time per dollar, over 70 prompts.
 */
static void test_models_are_compared_and_recommended_per_task(void **state)
{
	struct config cfg;
	struct store *st;
	struct batch b;
	struct store_counts c = {0, 0, 0};
	struct compare_report r;
	char err[512];

	(void)state;
	st = open_report_store(&cfg, config_text);
	memset(&b, 0, sizeof(b));
	for (int i = 1; i <= 40; i++) {
		struct event *e = batch_add_event(&b);

		e->id = (uint64_t)i;
		e->ts_ms = 1795000000000LL + i * 120000LL;
		e->developer = "ana";
		e->tool = "native";
		e->model = "m-a";
		e->task = "debug";
		e->session = "s1";
		e->input_tokens = 1000000;
		e->latency_ms = i * 100;
		e->outcome = i % 4 == 0 ? OUTCOME_REJECTED : OUTCOME_ACCEPTED;
		e->prompts = 1;
		e->plan_used_pct = -1;
	}
	for (int i = 1; i <= 30; i++) {
		struct event *e = batch_add_event(&b);

		e->id = 1000 + (uint64_t)i;
		e->ts_ms = 1795000000000LL + i * 120000LL;
		e->developer = "bob";
		e->tool = "native";
		e->model = "m-b";
		e->task = "debug";
		e->input_tokens = 1000000;
		e->latency_ms = -1;
		e->prompts = 1;
		e->plan_used_pct = -1;
	}
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(compare_build(store_db(st), &cfg, NULL, NULL, &r, err, sizeof(err)), 0);

	/* Rows: all tasks first ("" sorts first), then debug; models in order. */
	assert_int_equal(r.n_rows, 4);
	assert_string_equal(r.rows[0].task, "");
	assert_string_equal(r.rows[0].model, "m-a");
	assert_string_equal(r.rows[2].task, "debug");
	assert_int_equal(r.rows[2].requests, 40);
	CLOSE(compare_acceptance(&r.rows[2]), 0.75);
	/* Percentiles come from histograms: within 2.5% of the exact 2000 and 3800. */
	assert_true(fabs(r.rows[2].latency_p50_ms - 2000) <= 0.025 * 2000);
	assert_true(fabs(r.rows[2].latency_p95_ms - 3800) <= 0.025 * 3800);
	assert_int_equal(r.rows[2].retries, 9);
	CLOSE(r.rows[2].api_usd, 40);
	CLOSE(r.rows[2].minutes.likely, 60);
	CLOSE(compare_minutes_per_dollar(&r.rows[2]), 1.5);
	assert_int_equal(r.rows[3].requests, 30);
	assert_true(compare_acceptance(&r.rows[3]) < 0);
	assert_true(r.rows[3].latency_p50_ms < 0);
	CLOSE(compare_minutes_per_dollar(&r.rows[3]), 0.5);
	assert_int_equal(r.rows[0].requests, 40);
	assert_int_equal(r.rows[0].retries, 9);

	assert_int_equal(r.n_advice, 2);
	assert_string_equal(r.advice[1].task, "debug");
	assert_string_equal(r.advice[1].best, "m-a");
	assert_string_equal(r.advice[1].runner_up, "m-b");
	CLOSE(r.advice[1].ratio, 3.0);
	assert_int_equal(r.advice[1].prompts, 70);
	compare_free(&r);
	batch_free(&b);
	store_close(st);
	config_free(&cfg);
}

static void test_too_few_samples_give_no_recommendation(void **state)
{
	struct config cfg;
	struct store *st;
	struct batch b;
	struct store_counts c = {0, 0, 0};
	struct compare_report r;
	struct buf out = BUF_INIT;
	char err[512];

	(void)state;
	st = open_report_store(&cfg, config_text);
	memset(&b, 0, sizeof(b));
	for (int i = 1; i <= 29; i++) {
		struct event *e = batch_add_event(&b);

		e->id = (uint64_t)i;
		e->ts_ms = 1795000000000LL + i;
		e->developer = "ana";
		e->tool = "native";
		e->model = i % 2 ? "m-a" : "m-b";
		e->task = "<script>";
		e->input_tokens = 1000;
		e->latency_ms = -1;
		e->plan_used_pct = -1;
	}
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(compare_build(store_db(st), &cfg, NULL, NULL, &r, err, sizeof(err)), 0);
	assert_int_equal(r.n_advice, 2);
	assert_null(r.advice[0].best);
	assert_null(r.advice[1].best);
	render_json_compare(&r, &out);
	assert_non_null(strstr(out.data, "\"insufficient_data\": true"));
	buf_reset(&out);
	render_text_compare(&r, &out);
	assert_non_null(strstr(out.data, "for <script>: not enough data"));
	buf_free(&out);
	compare_free(&r);
	batch_free(&b);
	store_close(st);
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_models_are_compared_and_recommended_per_task),
	    cmocka_unit_test(test_too_few_samples_give_no_recommendation),
	};

	return cmocka_run_group_tests_name("compare", tests, NULL, NULL);
}
