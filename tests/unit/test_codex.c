/* test_codex.c - the Codex CLI rollout parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "parse_helper.h"

#define TC(ts, info)                                                                               \
	"{\"timestamp\":\"" ts                                                                     \
	"\",\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\",\"info\":" info "}}"
#define USAGE(i, c, o, r)                                                                          \
	"{\"input_tokens\":" #i ",\"cached_input_tokens\":" #c ",\"output_tokens\":" #o            \
	",\"reasoning_output_tokens\":" #r "}"
#define META                                                                                       \
	"{\"timestamp\":\"2026-11-20T09:00:00Z\",\"type\":\"session_meta\",\"payload\":{\"id\":"   \
	"\"sess-1\",\"cwd\":\"/home/ana/src/infra\"}}"
#define TURN(model)                                                                                \
	"{\"timestamp\":\"2026-11-20T09:00:01Z\",\"type\":\"turn_context\",\"payload\":{\"cwd\":"  \
	"\"/home/ana/src/infra\",\"model\":\"" model "\"}}"

static void test_codex_cached_tokens_are_not_double_counted(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_codex);
	pf_line(&f, META);
	pf_line(&f, TURN("gpt-5-codex"));
	pf_line(&f,
	        TC("2026-11-20T09:00:06Z",
	           "{\"total_token_usage\":" USAGE(
	               1000, 600, 200, 50) ",\"last_token_usage\":" USAGE(1000, 600, 200, 50) "}"));
	assert_int_equal(f.out.n_events, 1);
	assert_int_equal(f.out.events[0].input_tokens, 400);
	assert_int_equal(f.out.events[0].cache_read_tokens, 600);
	assert_int_equal(f.out.events[0].output_tokens, 200);
	assert_int_equal(f.out.events[0].reasoning_tokens, 50);
	assert_int_equal(f.out.events[0].cache_write_tokens, 0);
	assert_string_equal(f.out.events[0].model, "gpt-5-codex");
	assert_string_equal(f.out.events[0].tool, "codex");
	assert_string_equal(f.out.events[0].session, "sess-1");
	assert_string_equal(f.out.events[0].project, "infra");
	pf_free(&f);
}

static void test_codex_repeated_token_count_with_unchanged_totals_is_not_a_request(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_codex);
	pf_line(&f,
	        TC("2026-11-20T09:00:06Z",
	           "{\"total_token_usage\":" USAGE(
	               1000, 600, 200, 50) ",\"last_token_usage\":" USAGE(1000, 600, 200, 50) "}"));
	pf_line(&f,
	        TC("2026-11-20T09:00:07Z",
	           "{\"total_token_usage\":" USAGE(
	               1000, 600, 200, 50) ",\"last_token_usage\":" USAGE(1000, 600, 200, 50) "}"));
	pf_line(&f, TC("2026-11-20T09:00:00Z", "null"));
	assert_int_equal(f.out.n_events, 1);
	assert_int_equal(f.out.n_rejects, 0);
	pf_free(&f);
}

static void test_codex_total_only_events_use_the_difference_from_the_previous_total(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_codex);
	pf_line(&f, TC("2026-11-20T09:00:06Z",
	               "{\"total_token_usage\":" USAGE(1000, 600, 200, 50) "}"));
	pf_line(&f, TC("2026-11-20T09:01:00Z",
	               "{\"total_token_usage\":" USAGE(4000, 2000, 500, 100) "}"));
	assert_int_equal(f.out.n_events, 2);
	assert_int_equal(f.out.events[1].input_tokens, 3000 - 1400);
	assert_int_equal(f.out.events[1].cache_read_tokens, 1400);
	assert_int_equal(f.out.events[1].output_tokens, 300);
	assert_int_equal(f.out.events[1].reasoning_tokens, 50);
	/* No turn_context at all: the old default model. */
	assert_string_equal(f.out.events[1].model, "gpt-5");
	pf_free(&f);
}

static void test_codex_model_comes_from_turn_context_or_the_event_itself(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_codex);
	pf_line(&f, TURN("gpt-5.1-codex"));
	pf_line(&f, TC("2026-11-20T09:00:06Z", "{\"last_token_usage\":" USAGE(10, 0, 1, 0) "}"));
	pf_line(&f,
	        TC("2026-11-20T09:00:07Z",
	           "{\"model\":\"gpt-5-mini\",\"last_token_usage\":" USAGE(100, 200, 10, 0) "}"));
	assert_int_equal(f.out.n_events, 2);
	assert_string_equal(f.out.events[0].model, "gpt-5.1-codex");
	assert_string_equal(f.out.events[1].model, "gpt-5-mini");
	/* Cached never exceeds input. */
	assert_int_equal(f.out.events[1].input_tokens, 0);
	assert_int_equal(f.out.events[1].cache_read_tokens, 100);
	pf_free(&f);
}

static void test_codex_apply_patch_lines_belong_to_the_next_request(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_codex);
	pf_line(
	    &f,
	    "{\"timestamp\":\"2026-11-20T09:00:05Z\",\"type\":\"response_item\",\"payload\":{"
	    "\"type\":\"custom_tool_call\",\"name\":\"apply_patch\",\"input\":\"*** Begin "
	    "Patch\\n*** Update File: a.py\\n@@\\n-x = 1\\n+x = 2\\n+y = 3\\n*** End Patch\\n\"}}");
	pf_line(&f, "{\"timestamp\":\"2026-11-20T09:00:05Z\",\"type\":\"response_item\","
	            "\"payload\":{\"type\":\"function_call\",\"name\":\"shell\",\"arguments\":\"{"
	            "\\\"command\\\":[\\\"apply_patch\\\",\\\"*** Begin Patch\\\\n*** Add File: "
	            "b.py\\\\n+one\\\\n+two\\\\n*** End Patch\\\"]}\"}}");
	pf_line(&f, TC("2026-11-20T09:00:06Z", "{\"last_token_usage\":" USAGE(10, 0, 1, 0) "}"));
	pf_line(&f, TC("2026-11-20T09:00:07Z", "{\"last_token_usage\":" USAGE(11, 0, 1, 0) "}"));
	assert_int_equal(f.out.n_events, 2);
	assert_int_equal(f.out.events[0].lines_added, 4);
	assert_int_equal(f.out.events[0].lines_removed, 1);
	assert_int_equal(f.out.events[1].lines_added, 0);
	pf_free(&f);
}

static void test_codex_rate_limit_percent_is_the_highest_window(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_codex);
	pf_line(&f, "{\"timestamp\":\"2026-11-20T09:00:06Z\",\"type\":\"event_msg\",\"payload\":{"
	            "\"type\":\"token_count\",\"info\":{\"last_token_usage\":" USAGE(
	                1, 0, 1, 0) "},\"rate_limits\":{\"primary\":{\"used_percent\":51.9},"
	                            "\"secondary\":{\"used_percent\":80.5}}}}");
	assert_int_equal(f.out.n_events, 1);
	assert_true(f.out.events[0].plan_used_pct > 80.4 && f.out.events[0].plan_used_pct < 80.6);
	pf_free(&f);
}

static void test_codex_identity_is_stable_across_copies_and_forks(void **state)
{
	struct parse_fixture a, b;

	(void)state;
	pf_init(&a, &fmt_codex);
	pf_line(&a, META);
	pf_line(&a, TURN("gpt-5-codex"));
	pf_line(&a,
	        TC("2026-11-20T09:00:06Z",
	           "{\"total_token_usage\":" USAGE(
	               1000, 600, 200, 50) ",\"last_token_usage\":" USAGE(1000, 600, 200, 50) "}"));
	pf_free(&a);
	pf_init(&b, &fmt_codex);
	pf_line(&b, "{\"timestamp\":\"2026-11-21T09:00:00Z\",\"type\":\"session_meta\",\"payload\":"
	            "{\"id\":\"fork\"}}");
	pf_line(&b, TURN("gpt-5-codex"));
	pf_line(&b,
	        TC("2026-11-20T09:00:06Z",
	           "{\"total_token_usage\":" USAGE(
	               1000, 600, 200, 50) ",\"last_token_usage\":" USAGE(1000, 600, 200, 50) "}"));
	pf_line(&b,
	        TC("2026-11-20T09:00:07Z",
	           "{\"total_token_usage\":" USAGE(
	               2000, 600, 300, 50) ",\"last_token_usage\":" USAGE(1000, 0, 100, 0) "}"));
	assert_int_equal(b.out.n_events, 2);
	pf_init(&a, &fmt_codex);
	pf_line(&a, TURN("gpt-5-codex"));
	pf_line(&a,
	        TC("2026-11-20T09:00:06Z",
	           "{\"total_token_usage\":" USAGE(
	               1000, 600, 200, 50) ",\"last_token_usage\":" USAGE(1000, 600, 200, 50) "}"));
	assert_int_equal(a.out.events[0].id, b.out.events[0].id);
	assert_true(b.out.events[0].id != b.out.events[1].id);
	pf_free(&a);
	pf_free(&b);
}

static void test_codex_state_survives_save_and_load(void **state)
{
	struct parse_fixture f;
	struct buf text = BUF_INIT;

	(void)state;
	pf_init(&f, &fmt_codex);
	pf_line(&f, META);
	pf_line(&f, TURN("gpt-5.1-codex"));
	pf_line(&f, TC("2026-11-20T09:00:06Z",
	               "{\"total_token_usage\":" USAGE(1000, 600, 200, 50) "}"));
	fmt_codex.save(f.state, &text);
	memset(f.state, 0xff, fmt_codex.state_size);
	fmt_codex.load(f.state, text.data);
	/* Same totals again: still recognised as a repeat after the reload. */
	pf_line(&f, TC("2026-11-20T09:00:07Z",
	               "{\"total_token_usage\":" USAGE(1000, 600, 200, 50) "}"));
	pf_line(&f, TC("2026-11-20T09:01:00Z",
	               "{\"total_token_usage\":" USAGE(1500, 600, 300, 50) "}"));
	assert_int_equal(f.out.n_events, 2);
	assert_int_equal(f.out.events[1].input_tokens, 500);
	assert_string_equal(f.out.events[1].model, "gpt-5.1-codex");
	assert_string_equal(f.out.events[1].session, "sess-1");
	buf_free(&text);
	pf_free(&f);
}

#define USER_MESSAGE(ts)                                                                           \
	"{\"timestamp\":\"" ts "\",\"type\":\"event_msg\",\"payload\":{\"type\":\"user_message\"," \
	"\"message\":\"add a test\",\"images\":[]}}"

static void test_codex_user_turns_are_prompts_of_the_next_request(void **state)
{
	struct parse_fixture f;
	struct buf text = BUF_INIT;

	(void)state;
	pf_init(&f, &fmt_codex);
	pf_line(&f, META);
	pf_line(&f, TURN("gpt-5-codex"));
	pf_line(&f, USER_MESSAGE("2026-11-20T09:00:02Z"));
	pf_line(&f, TC("2026-11-20T09:00:06Z",
	               "{\"total_token_usage\":" USAGE(1000, 600, 200, 50) "}"));
	pf_line(&f, TC("2026-11-20T09:00:09Z",
	               "{\"total_token_usage\":" USAGE(1500, 600, 300, 50) "}"));
	pf_line(&f, USER_MESSAGE("2026-11-20T09:05:00Z"));
	fmt_codex.save(f.state, &text);
	memset(f.state, 0, fmt_codex.state_size);
	fmt_codex.load(f.state, text.data);
	pf_line(&f, TC("2026-11-20T09:05:06Z",
	               "{\"total_token_usage\":" USAGE(2500, 600, 400, 50) "}"));
	assert_int_equal(f.out.n_events, 3);
	assert_int_equal(f.out.events[0].prompts, 1);
	assert_int_equal(f.out.events[1].prompts, 0);
	assert_int_equal(f.out.events[2].prompts, 1);
	assert_string_equal(f.out.events[0].task, "test"); /* "add a test" */
	buf_free(&text);
	pf_free(&f);
}

#define FORK_META(id, ts, parent_field)                                                            \
	"{\"timestamp\":\"" ts "\",\"type\":\"session_meta\",\"payload\":{\"id\":\"" id "\","      \
	"\"timestamp\":\"" ts "\",\"cwd\":\"/home/ana/src/infra\"," parent_field "}}"

/* The parent's history: two requests, as a fork copies it (timestamps given). */
static void replay_history(struct parse_fixture *f, const char *ts1, const char *ts2)
{
	char line[512];

	pf_line(f, META); /* the parent's session_meta, embedded: not this session */
	pf_line(f, TURN("gpt-5.1-codex"));
	pf_line(f, USER_MESSAGE("2026-11-20T09:00:02Z"));
	snprintf(line, sizeof(line),
	         "{\"timestamp\":\"%s\",\"type\":\"event_msg\",\"payload\":{\"type\":"
	         "\"token_count\",\"info\":{\"total_token_usage\":" USAGE(1000, 600, 200, 50) "}}}",
	         ts1);
	pf_line(f, line);
	snprintf(
	    line, sizeof(line),
	    "{\"timestamp\":\"%s\",\"type\":\"event_msg\",\"payload\":{\"type\":"
	    "\"token_count\",\"info\":{\"total_token_usage\":" USAGE(2500, 1500, 300, 80) "}}}",
	    ts2);
	pf_line(f, line);
}

static void test_codex_fork_replays_are_skipped_and_their_own_turns_counted(void **state)
{
	struct parse_fixture fork, sub, fresh;
	struct buf text = BUF_INIT;

	(void)state;
	/* A Desktop fork: the history stamped in a burst just after its creation. */
	pf_init(&fork, &fmt_codex);
	pf_line(&fork,
	        FORK_META("sess-3", "2026-11-20T13:00:00.000Z", "\"forked_from_id\":\"sess-1\""));
	replay_history(&fork, "2026-11-20T13:00:00.004Z", "2026-11-20T13:00:00.009Z");
	fmt_codex.save(fork.state, &text);
	memset(fork.state, 0, fmt_codex.state_size);
	fmt_codex.load(fork.state, text.data);
	pf_line(&fork, USER_MESSAGE("2026-11-20T13:00:10Z"));
	pf_line(&fork, TC("2026-11-20T13:00:20Z",
	                  "{\"total_token_usage\":" USAGE(2700, 1600, 330, 90) "}"));
	assert_int_equal(fork.out.n_events, 1);
	assert_string_equal(fork.out.events[0].session, "sess-3");
	assert_string_equal(fork.out.events[0].model, "gpt-5.1-codex");
	assert_int_equal(fork.out.events[0].input_tokens, 100);
	assert_int_equal(fork.out.events[0].cache_read_tokens, 100);
	assert_int_equal(fork.out.events[0].output_tokens, 30);
	assert_int_equal(fork.out.events[0].prompts, 1);

	/* A subagent: the history at the parent's own times, then a turn of the same size. */
	pf_init(&sub, &fmt_codex);
	pf_line(&sub, FORK_META("sess-4", "2026-11-20T14:00:00.000Z",
	                        "\"source\":{\"subagent\":{\"thread_spawn\":{\"parent_thread_id\":"
	                        "\"sess-1\"}}}"));
	replay_history(&sub, "2026-11-20T09:00:06Z", "2026-11-20T09:01:00Z");
	pf_line(&sub, TC("2026-11-20T14:00:20Z",
	                 "{\"total_token_usage\":" USAGE(2700, 1600, 330, 90) "}"));
	assert_int_equal(sub.out.n_events, 1);
	assert_string_equal(sub.out.events[0].session, "sess-4");
	assert_int_equal(sub.out.events[0].prompts, 0);
	/* Two siblings' turns of equal size are two requests. */
	assert_true(sub.out.events[0].id != fork.out.events[0].id);

	/* A fresh subagent naming its parent but replaying nothing: all its own. */
	pf_init(&fresh, &fmt_codex);
	pf_line(&fresh,
	        FORK_META("sess-5", "2026-11-20T15:00:00.000Z", "\"forked_from_id\":\"sess-1\""));
	pf_line(&fresh, TURN("gpt-5-codex"));
	pf_line(&fresh,
	        TC("2026-11-20T15:00:09Z", "{\"total_token_usage\":" USAGE(900, 0, 90, 0) "}"));
	pf_line(&fresh, TC("2026-11-20T15:00:09.100Z",
	                   "{\"total_token_usage\":" USAGE(1900, 0, 190, 0) "}"));
	assert_int_equal(fresh.out.n_events, 2);
	buf_free(&text);
	pf_free(&fork);
	pf_free(&sub);
	pf_free(&fresh);
}

static void test_codex_latency_runs_from_the_trigger_to_the_token_count(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_codex);
	pf_line(&f, META);
	pf_line(&f, TURN("gpt-5-codex"));
	pf_line(&f, USER_MESSAGE("2026-11-20T09:00:02Z"));
	pf_line(&f, TC("2026-11-20T09:00:06Z",
	               "{\"total_token_usage\":" USAGE(1000, 600, 200, 50) "}"));
	/* A shell call's output at :20, the next request's count at :29. */
	pf_line(&f,
	        "{\"timestamp\":\"2026-11-20T09:00:20Z\",\"type\":\"response_item\",\"payload\":{"
	        "\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":\"3 files\"}}");
	pf_line(&f, TC("2026-11-20T09:00:29Z",
	               "{\"total_token_usage\":" USAGE(1500, 600, 300, 50) "}"));
	/* Straight on, no tool in between: from the previous request's end. */
	pf_line(&f, TC("2026-11-20T09:00:31Z",
	               "{\"total_token_usage\":" USAGE(1600, 600, 310, 50) "}"));
	assert_int_equal(f.out.n_events, 3);
	assert_int_equal(f.out.events[0].latency_ms, 4000);
	assert_int_equal(f.out.events[1].latency_ms, 9000);
	assert_int_equal(f.out.events[2].latency_ms, 2000);
	pf_free(&f);
}

#define WANTS(s) fmt_codex.wants(s, strlen(s))

static void test_codex_only_lines_that_can_count_are_parsed(void **state)
{
	(void)state;
	assert_true(WANTS(META));
	assert_true(WANTS(TURN("m")));
	assert_false(
	    WANTS("{\"timestamp\":\"t\",\"type\":\"response_item\",\"payload\":{\"type\":"
	          "\"message\",\"content\":\"token_count turn_context *** Begin Patch\"}}"));
	assert_false(WANTS("{\"timestamp\":\"t\",\"type\":\"event_msg\",\"payload\":{\"type\":"
	                   "\"agent_message\",\"message\":\"token_count\"}}"));
	assert_true(WANTS("{\"timestamp\":\"t\",\"type\":\"response_item\",\"payload\":{\"type\":"
	                  "\"custom_tool_call\",\"input\":\"*** Begin Patch\"}}"));
	/* Keys in another order: the full search decides. */
	assert_true(WANTS("{\"payload\":{\"info\":null,\"type\":\"token_count\"},\"timestamp\":"
	                  "\"t\",\"type\":\"event_msg\"}"));
}

static void test_codex_malformed_lines_are_rejected_with_a_reason(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_codex);
	pf_line(&f,
	        TC("2026-11-20T09:00:06Z", "{\"total_token_usage\":{\"input_tokens\":\"many\"}}"));
	pf_line(&f, TC("2026-11-20T25:00:06Z", "{\"last_token_usage\":" USAGE(1, 0, 1, 0) "}"));
	pf_line(&f, "{\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\",\"info\":{"
	            "\"last_token_usage\":" USAGE(1, 0, 1, 0) "}}}");
	pf_line(&f, TC("2026-11-20T09:00:06Z", "{\"rate_limits\":{}}"));
	pf_line(&f, "{\"timestamp\":\"2026-11-20T09:00:06Z\",\"type\":\"turn_context\",\"payload\":"
	            "\"oops\"}");
	assert_int_equal(f.out.n_events, 0);
	assert_int_equal(f.out.n_rejects, 5);
	assert_string_equal(f.out.rejects[0].reason, "token counts must be non-negative integers");
	assert_string_equal(f.out.rejects[1].reason,
	                    "impossible timestamp: '2026-11-20T25:00:06Z'");
	assert_string_equal(f.out.rejects[2].reason, "missing timestamp");
	assert_string_equal(f.out.rejects[3].reason,
	                    "token_count without total_token_usage or last_token_usage");
	assert_string_equal(f.out.rejects[4].reason, "missing object 'payload'");
	pf_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_codex_cached_tokens_are_not_double_counted),
	    cmocka_unit_test(
	        test_codex_repeated_token_count_with_unchanged_totals_is_not_a_request),
	    cmocka_unit_test(
	        test_codex_total_only_events_use_the_difference_from_the_previous_total),
	    cmocka_unit_test(test_codex_model_comes_from_turn_context_or_the_event_itself),
	    cmocka_unit_test(test_codex_apply_patch_lines_belong_to_the_next_request),
	    cmocka_unit_test(test_codex_rate_limit_percent_is_the_highest_window),
	    cmocka_unit_test(test_codex_identity_is_stable_across_copies_and_forks),
	    cmocka_unit_test(test_codex_state_survives_save_and_load),
	    cmocka_unit_test(test_codex_user_turns_are_prompts_of_the_next_request),
	    cmocka_unit_test(test_codex_latency_runs_from_the_trigger_to_the_token_count),
	    cmocka_unit_test(test_codex_fork_replays_are_skipped_and_their_own_turns_counted),
	    cmocka_unit_test(test_codex_only_lines_that_can_count_are_parsed),
	    cmocka_unit_test(test_codex_malformed_lines_are_rejected_with_a_reason),
	};

	return cmocka_run_group_tests_name("codex", tests, NULL, NULL);
}
