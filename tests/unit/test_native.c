/* test_native.c - Payback's native NDJSON parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "parse_helper.h"

static void test_native_line_keeps_every_documented_field(void **state)
{
	struct parse_fixture f;
	const struct event *e;

	(void)state;
	pf_init(&f, &fmt_native);
	pf_line(&f, "{\"ts\":\"2026-11-20T14:03:11.123Z\",\"developer\":\"ana@example.com\","
	            "\"tool\":\"chatgpt\",\"model\":\"codex-5.3-spark\",\"task\":\"debug\",\"input_"
	            "tokens\":1200,\"cache_read_tokens\":300,\"output_tokens\":450,\"latency_ms\":"
	            "820,\"outcome\":\"accepted\",\"lines_suggested\":24,\"lines_accepted\":20,"
	            "\"session\":\"s-123\",\"request_id\":\"r-456\",\"project\":\"billing-api\","
	            "\"cost_usd\":0.5,\"extra\":[1,2]}");
	assert_int_equal(f.out.n_events, 1);
	e = &f.out.events[0];
	assert_string_equal(e->developer, "ana@example.com");
	assert_string_equal(e->tool, "chatgpt");
	assert_string_equal(e->model, "codex-5.3-spark");
	assert_string_equal(e->task, "debug");
	assert_string_equal(e->project, "billing-api");
	assert_string_equal(e->session, "s-123");
	assert_int_equal(e->input_tokens, 1200);
	assert_int_equal(e->cache_read_tokens, 300);
	assert_int_equal(e->output_tokens, 450);
	assert_int_equal(e->latency_ms, 820);
	assert_int_equal(e->outcome, OUTCOME_ACCEPTED);
	assert_int_equal(e->lines_suggested, 24);
	assert_int_equal(e->lines_accepted, 20);
	assert_true(e->has_cost);
	assert_int_equal(e->id, hash64_str("r-456", 0x4e));
	pf_free(&f);
}

static void test_native_request_id_makes_resends_one_event_and_offsets_are_kept(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_native);
	pf_line(&f, "{\"ts\":\"2026-11-20T14:05:00+02:00\",\"developer\":\"b\",\"model\":\"m\","
	            "\"request_id\":\"r1\"}");
	pf_line(&f, "{\"ts\":\"2026-11-20T14:05:00+02:00\",\"developer\":\"b\",\"model\":\"m\","
	            "\"request_id\":\"r1\",\"output_tokens\":3}");
	pf_line(&f, "{\"ts\":\"2026-11-20T14:05:00Z\",\"developer\":\"b\",\"model\":\"m\"}");
	pf_line(&f, "{\"ts\":\"2026-11-20T14:05:00Z\",\"developer\":\"b\",\"model\":\"m\"}");
	assert_int_equal(f.out.n_events, 4);
	assert_int_equal(f.out.events[0].id, f.out.events[1].id);
	assert_int_equal(f.out.events[2].id, f.out.events[3].id);
	assert_true(f.out.events[0].id != f.out.events[2].id);
	/* +02:00 is two hours before Z. */
	assert_int_equal(f.out.events[2].ts_ms - f.out.events[0].ts_ms, 2 * 3600 * 1000);
	assert_string_equal(f.out.events[2].tool, "native");
	assert_int_equal(f.out.events[2].latency_ms, -1);
	assert_int_equal(f.out.events[1].offset, 2000);
	pf_free(&f);
}

static void test_native_missing_or_wrong_typed_fields_are_rejected_with_a_reason(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_native);
	pf_line(&f, "{\"developer\":\"a\",\"model\":\"m\"}");
	pf_line(&f, "{\"ts\":\"2026-11-20T15:00:00Z\",\"model\":\"m\"}");
	pf_line(&f, "{\"ts\":\"2026-11-20T15:00:00Z\",\"developer\":\"a\"}");
	pf_line(&f, "{\"ts\":\"2026-11-20T15:00:00Z\",\"developer\":\"a\",\"model\":\"m\",\"input_"
	            "tokens\":\"5\"}");
	pf_line(&f, "{\"ts\":\"2026-11-20T15:00:00Z\",\"developer\":\"a\",\"model\":\"m\",\"output_"
	            "tokens\":1.5}");
	pf_line(&f, "{\"ts\":\"2026-11-20T15:00:00Z\",\"developer\":\"a\",\"model\":\"m\","
	            "\"outcome\":\"maybe\"}");
	pf_line(&f, "{\"ts\":\"2026-13-01T15:00:00Z\",\"developer\":\"a\",\"model\":\"m\"}");
	pf_line(&f, "{\"ts\":\"yesterday\",\"developer\":\"a\",\"model\":\"m\"}");
	pf_line(&f, "{\"ts\":\"2026-11-20T15:00:00Z\",\"developer\":7,\"model\":\"m\"}");
	pf_line(&f, "{\"ts\":\"2026-11-20T15:00:00Z\",\"developer\":\"a\",\"model\":\"m\",\"output_"
	            "tokens\":1,\"reasoning_tokens\":2}");
	pf_line(&f, "[1,2,3]");
	pf_line(&f, "{\"ts\":\"2026-11-20T15:00:00\",\"developer\":\"a\",\"model\":\"m\"}");
	assert_int_equal(f.out.n_events, 0);
	assert_int_equal(f.out.n_rejects, 12);
	assert_string_equal(f.out.rejects[0].reason, "missing required field 'ts'");
	assert_string_equal(f.out.rejects[1].reason, "missing required field 'developer'");
	assert_string_equal(f.out.rejects[2].reason, "missing required field 'model'");
	assert_string_equal(f.out.rejects[3].reason,
	                    "field 'input_tokens' must be a non-negative integer");
	assert_string_equal(f.out.rejects[4].reason,
	                    "field 'output_tokens' must be a non-negative integer");
	assert_string_equal(f.out.rejects[5].reason,
	                    "field 'outcome' must be accepted, rejected or edited");
	assert_string_equal(f.out.rejects[6].reason,
	                    "impossible timestamp: '2026-13-01T15:00:00Z'");
	assert_string_equal(f.out.rejects[7].reason,
	                    "timestamp is not ISO 8601 (YYYY-MM-DDThh:mm:ssZ): 'yesterday'");
	assert_string_equal(f.out.rejects[8].reason, "field 'developer' must be a string");
	assert_string_equal(f.out.rejects[9].reason,
	                    "reasoning_tokens exceeds output_tokens (reasoning is part of output)");
	assert_string_equal(f.out.rejects[10].reason, "line is not a JSON object");
	assert_string_equal(
	    f.out.rejects[11].reason,
	    "timestamp has no time zone (expected Z or +hh:mm): '2026-11-20T15:00:00'");
	pf_free(&f);
}

static void test_native_infinite_or_negative_numbers_are_rejected(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_native);
	/* 1e999 is valid JSON that reads as infinity. */
	pf_line(&f, "{\"ts\":\"2026-11-20T15:00:00Z\",\"developer\":\"a\",\"model\":\"m\","
	            "\"cost_usd\":1e999}");
	pf_line(&f, "{\"ts\":\"2026-11-20T15:00:00Z\",\"developer\":\"a\",\"model\":\"m\","
	            "\"cost_usd\":-0.5}");
	pf_line(&f, "{\"ts\":\"2026-11-20T15:00:00Z\",\"developer\":\"a\",\"model\":\"m\","
	            "\"input_tokens\":1e999}");
	pf_line(&f, "{\"ts\":\"2026-11-20T15:00:00Z\",\"developer\":\"a\",\"model\":\"m\","
	            "\"latency_ms\":-1e999}");
	assert_int_equal(f.out.n_events, 0);
	assert_int_equal(f.out.n_rejects, 4);
	assert_string_equal(f.out.rejects[0].reason,
	                    "field 'cost_usd' must be a finite, non-negative number");
	assert_string_equal(f.out.rejects[1].reason,
	                    "field 'cost_usd' must be a finite, non-negative number");
	assert_string_equal(f.out.rejects[2].reason,
	                    "field 'input_tokens' must be a non-negative integer");
	assert_string_equal(f.out.rejects[3].reason,
	                    "field 'latency_ms' must be a non-negative integer");
	pf_free(&f);
}

static void test_native_prompt_id_keys_one_prompt_per_developer(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_native);
	pf_line(&f, "{\"ts\":\"2026-11-20T14:00:00Z\",\"developer\":\"ana\",\"model\":\"m\","
	            "\"prompt_id\":\"p1\",\"request_id\":\"r1\"}");
	pf_line(&f, "{\"ts\":\"2026-11-20T14:00:05Z\",\"developer\":\"ana\",\"model\":\"m\","
	            "\"prompt_id\":\"p1\",\"request_id\":\"r2\"}");
	pf_line(&f, "{\"ts\":\"2026-11-20T14:00:05Z\",\"developer\":\"bob\",\"model\":\"m\","
	            "\"prompt_id\":\"p1\",\"request_id\":\"r3\"}");
	pf_line(&f, "{\"ts\":\"2026-11-20T14:00:09Z\",\"developer\":\"ana\",\"model\":\"m\","
	            "\"request_id\":\"r4\"}");
	pf_line(&f, "{\"ts\":\"2026-11-20T14:00:09Z\",\"developer\":\"ana\",\"model\":\"m\","
	            "\"prompt_id\":7}");
	assert_int_equal(f.out.n_events, 4);
	/* r1 and r2 share ana's p1; bob's p1 is another prompt; r4 is its own. */
	assert_true(f.out.events[0].prompt_key != 0);
	assert_true(f.out.events[0].prompt_key == f.out.events[1].prompt_key);
	assert_true(f.out.events[2].prompt_key != f.out.events[0].prompt_key);
	assert_int_equal(f.out.events[3].prompt_key, 0);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(f.out.events[i].prompts, 1);
	pf_line(&f, "{\"ts\":\"2026-11-20T14:00:09Z\",\"developer\":\"ana\",\"model\":\"m\","
	            "\"cache_write_tokens\":10,\"cache_write_1h_tokens\":11}");
	pf_line(&f, "{\"ts\":\"2026-11-20T14:00:10Z\",\"developer\":\"ana\",\"model\":\"m\","
	            "\"cache_write_tokens\":10,\"cache_write_1h_tokens\":4}");
	assert_int_equal(f.out.n_events, 5);
	assert_int_equal(f.out.events[4].cache_write_1h_tokens, 4);
	assert_int_equal(f.out.n_rejects, 2);
	assert_string_equal(f.out.rejects[0].reason, "field 'prompt_id' must be a string");
	assert_string_equal(f.out.rejects[1].reason,
	                    "cache_write_1h_tokens exceeds cache_write_tokens (one-hour writes are "
	                    "part of them)");
	pf_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_native_prompt_id_keys_one_prompt_per_developer),
	    cmocka_unit_test(test_native_line_keeps_every_documented_field),
	    cmocka_unit_test(test_native_request_id_makes_resends_one_event_and_offsets_are_kept),
	    cmocka_unit_test(test_native_missing_or_wrong_typed_fields_are_rejected_with_a_reason),
	    cmocka_unit_test(test_native_infinite_or_negative_numbers_are_rejected),
	};

	return cmocka_run_group_tests_name("native", tests, NULL, NULL);
}
