/* test_claude.c - the Claude Code session log parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "parse_helper.h"

#define ASSISTANT(id, req, model, usage, content, ts)                                              \
	"{\"type\":\"assistant\",\"sessionId\":\"s1\",\"cwd\":\"/home/ana/src/billing\","          \
	"\"requestId\":\"" req "\",\"timestamp\":\"" ts "\",\"message\":{\"id\":\"" id "\","       \
	"\"model\":\"" model "\",\"content\":[" content "],\"usage\":" usage "}}"

#define SONNET "claude-sonnet-4-5-20250929"

static void test_claude_assistant_line_becomes_one_event_with_canonical_tokens(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_claude);
	pf_line(&f, ASSISTANT("msg_1", "req_1", SONNET,
	                      "{\"input_tokens\":12,\"cache_creation_input_tokens\":2048,"
	                      "\"cache_read_input_tokens\":40110,\"output_tokens\":512}",
	                      "{\"type\":\"text\",\"text\":\"hi\"}", "2026-11-20T14:03:11.123Z"));
	pf_flush(&f);
	assert_int_equal(f.out.n_events, 1);
	assert_int_equal(f.out.events[0].input_tokens, 12);
	assert_int_equal(f.out.events[0].cache_write_tokens, 2048);
	assert_int_equal(f.out.events[0].cache_read_tokens, 40110);
	assert_int_equal(f.out.events[0].output_tokens, 512);
	assert_int_equal(f.out.events[0].ts_ms, 1795183391123LL);
	assert_string_equal(f.out.events[0].model, SONNET);
	assert_string_equal(f.out.events[0].tool, "claude-code");
	assert_string_equal(f.out.events[0].project, "billing");
	assert_string_equal(f.out.events[0].session, "s1");
	assert_string_equal(f.out.events[0].developer, "ana");
	assert_int_equal(f.out.events[0].id, hash64_str("msg_1", 0xc1));
	pf_free(&f);
}

static void test_claude_cache_write_is_the_sum_of_5m_and_1h_when_split(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_claude);
	pf_line(&f, ASSISTANT("msg_1", "req_1", SONNET,
	                      "{\"input_tokens\":1,\"cache_creation_input_tokens\":999,"
	                      "\"cache_creation\":{\"ephemeral_5m_input_tokens\":100,"
	                      "\"ephemeral_1h_input_tokens\":20},\"output_tokens\":1}",
	                      "", "2026-11-20T14:03:11Z"));
	assert_int_equal(f.out.events[0].cache_write_tokens, 120);
	assert_int_equal(f.out.events[0].cache_write_1h_tokens, 20);
	pf_free(&f);
}

static void test_claude_blocks_of_one_response_count_once_with_the_largest_output(void **state)
{
	struct parse_fixture f;
	const char *usage_partial = "{\"input_tokens\":10,\"output_tokens\":5}";
	const char *usage_final = "{\"input_tokens\":10,\"output_tokens\":50}";
	char a[1024], b[1024];

	(void)state;
	snprintf(a, sizeof(a),
	         ASSISTANT("msg_A", "req_A", SONNET, "%s", "", "2026-11-20T10:00:05Z"),
	         usage_partial);
	snprintf(b, sizeof(b),
	         ASSISTANT("msg_A", "req_A", SONNET, "%s", "", "2026-11-20T10:00:06Z"),
	         usage_final);
	pf_init(&f, &fmt_claude);
	pf_line(&f, a);
	pf_line(&f, b);
	pf_flush(&f);
	assert_int_equal(f.out.n_events, 1);
	assert_int_equal(f.out.events[0].output_tokens, 50);
	/* A later copy with fewer tokens never lowers the count. */
	pf_line(&f, b);
	pf_line(&f, a);
	assert_int_equal(f.out.n_events, 2);
	assert_int_equal(f.out.events[1].output_tokens, 50);
	pf_free(&f);
}

static void test_claude_replay_under_new_request_id_has_the_same_identity(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_claude);
	pf_line(&f, ASSISTANT("msg_D", "req_D", SONNET, "{\"input_tokens\":1,\"output_tokens\":2}",
	                      "", "2026-11-20T10:00:05Z"));
	pf_flush(&f);
	pf_line(&f, ASSISTANT("msg_D", "req_D2", SONNET, "{\"input_tokens\":1,\"output_tokens\":2}",
	                      "", "2026-11-20T10:00:05Z"));
	pf_flush(&f);
	assert_int_equal(f.out.n_events, 2);
	assert_int_equal(f.out.events[0].id, f.out.events[1].id);
	pf_free(&f);
}

static void test_claude_synthetic_and_api_error_messages_are_not_requests(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_claude);
	pf_line(&f, ASSISTANT("e1", "r1", "<synthetic>", "{\"input_tokens\":0,\"output_tokens\":0}",
	                      "", "2026-11-20T10:00:05Z"));
	pf_line(&f, "{\"type\":\"assistant\",\"isApiErrorMessage\":true,\"timestamp\":"
	            "\"2026-11-20T10:00:05Z\",\"message\":{\"id\":\"e2\",\"model\":\"x\","
	            "\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}}");
	assert_int_equal(f.out.n_events, 0);
	assert_int_equal(f.out.n_rejects, 0);
	pf_free(&f);
}

static void test_claude_usage_limit_messages_are_recorded_not_counted(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_claude);
	pf_line(&f, ASSISTANT(
	                "lim1", "r1", "<synthetic>", "{\"input_tokens\":0,\"output_tokens\":0}",
	                "{\"type\":\"text\",\"text\":\"Claude AI usage limit reached|1795190000\"}",
	                "2026-11-20T16:00:00Z"));
	pf_line(&f, ASSISTANT("e2", "r2", "<synthetic>", "{\"input_tokens\":0,\"output_tokens\":0}",
	                      "{\"type\":\"text\",\"text\":\"API Error: 529 Overloaded\"}",
	                      "2026-11-20T16:01:00Z"));
	assert_int_equal(f.out.n_events, 0);
	assert_int_equal(f.out.n_limits, 1);
	assert_int_equal(f.out.limits[0].id, hash64_str("lim1", 0x11));
	assert_string_equal(f.out.limits[0].developer, "ana");
	assert_string_equal(f.out.limits[0].tool, "claude-code");
	pf_free(&f);
}

static void test_claude_progress_line_carries_a_subagent_response(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_claude);
	pf_line(
	    &f,
	    "{\"type\":\"progress\",\"sessionId\":\"s1\",\"timestamp\":\"2026-11-21T00:31:01Z\","
	    "\"data\":{\"type\":\"agent_progress\",\"message\":" ASSISTANT(
	        "msg_D", "req_D", "claude-haiku-4-5",
	        "{\"input_tokens\":1,\"cache_read_input_tokens\":10,\"output_tokens\":2}", "",
	        "2026-11-21T00:31:00Z") "}}");
	assert_int_equal(f.out.n_events, 1);
	assert_int_equal(f.out.events[0].id, hash64_str("msg_D", 0xc1));
	assert_int_equal(f.out.events[0].cache_read_tokens, 10);
	assert_string_equal(f.out.events[0].model, "claude-haiku-4-5");
	pf_free(&f);
}

static void test_claude_edit_multiedit_and_write_lines_are_counted(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_claude);
	pf_line(&f,
	        ASSISTANT("m1", "r1", SONNET, "{\"input_tokens\":1,\"output_tokens\":1}",
	                  "{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Edit\",\"input\":{"
	                  "\"old_string\":\"a\\nb\",\"new_string\":\"a\\nb\\nc\\n\"}},"
	                  "{\"type\":\"tool_use\",\"id\":\"t2\",\"name\":\"MultiEdit\",\"input\":{"
	                  "\"edits\":[{\"old_string\":\"x\",\"new_string\":\"y\\nz\"},"
	                  "{\"old_string\":\"p\",\"new_string\":\"q\"}]}},"
	                  "{\"type\":\"tool_use\",\"id\":\"t3\",\"name\":\"Write\",\"input\":{"
	                  "\"content\":\"1\\n2\\n3\\n4\"}},"
	                  "{\"type\":\"tool_use\",\"id\":\"t4\",\"name\":\"Bash\",\"input\":{}}",
	                  "2026-11-20T10:00:05Z"));
	/* Proposed, waiting for their answers: a line diff of the strings each replaces
	 * (a two-line block that gains a line: +1), a Write's every line. */
	assert_int_equal(f.out.n_edits, 3);
	assert_int_equal(f.out.edits[0].lines_added, 1);
	assert_int_equal(f.out.edits[0].lines_removed, 0);
	assert_int_equal(f.out.edits[1].lines_added, 3);
	assert_int_equal(f.out.edits[1].lines_removed, 2);
	assert_int_equal(f.out.edits[2].lines_added, 4);
	assert_int_equal(f.out.edits[2].lines_removed, 0);
	assert_true(f.out.edits[0].is_proposed && f.out.edits[2].is_proposed);
	assert_int_equal(f.out.edits[0].event_id, hash64_str("m1", 0xc1));
	assert_int_equal(f.out.edits[0].id, hash64_str("t1", 0x7e));
	pf_free(&f);
}

#define RESULT(id, is_error, content, result)                                                      \
	"{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":"                \
	"\"tool_result\",\"tool_use_id\":\"" id "\",\"is_error\":" is_error                        \
	",\"content\":" content "}]},\"toolUseResult\":" result "}"

static void test_claude_edit_answers_say_what_was_written(void **state)
{
	struct parse_fixture f;
	const struct decision *d;

	(void)state;
	pf_init(&f, &fmt_claude);
	pf_line(&f,
	        RESULT("t1", "true",
	               "\"The user doesn't want to proceed with this tool use. The tool use was "
	               "rejected.\"",
	               "\"User rejected tool use\""));
	pf_line(&f, RESULT("t2", "true", "\"<tool_use_error>File has not been read yet.\"",
	                   "\"Error: File has not been read yet. Read it first.\""));
	pf_line(&f, RESULT("t3", "true",
	                   "[{\"type\":\"text\",\"text\":\"The user doesn't want to proceed.\"}]",
	                   "\"User rejected tool use\""));
	/* Two lines changed in a 40-line block: the patch's + and - lines, not its context. */
	pf_line(&f, RESULT("t4", "false", "\"ok\"",
	                   "{\"filePath\":\"a.py\",\"structuredPatch\":[{\"oldStart\":1,"
	                   "\"oldLines\":4,\"newStart\":1,\"newLines\":4,\"lines\":[\" a\",\"-b\","
	                   "\"+B\",\" c\",\"-d\",\"+D\"]}],\"userModified\":true}"));
	/* A Write that created a file: an empty patch, every line of its content. */
	pf_line(&f,
	        RESULT("t5", "false", "\"ok\"",
	               "{\"type\":\"create\",\"filePath\":\"n.py\",\"content\":\"1\\n2\\n3\\n\","
	               "\"structuredPatch\":[]}"));
	/* No patch, old and new strings: their line diff. */
	pf_line(&f, RESULT("t6", "false", "\"ok\"",
	                   "{\"filePath\":\"a.py\",\"oldString\":\"a\\nb\",\"newString\":"
	                   "\"a\\nc\\nd\",\"structuredPatch\":null}"));
	/* Another tool's result: no edit waits for it. */
	pf_line(&f, RESULT("t7", "false", "\"ok\"", "{\"stdout\":\"structuredPatch\"}"));
	assert_int_equal(f.out.n_decisions, 6);
	d = f.out.decisions;
	assert_int_equal(d[0].edit_id, hash64_str("t1", 0x7e));
	assert_int_equal(d[0].kind, DECISION_DECLINED);
	assert_int_equal(d[1].kind, DECISION_FAILED);
	assert_int_equal(d[2].kind, DECISION_DECLINED);
	assert_int_equal(d[3].kind, DECISION_APPLIED);
	assert_true(d[3].has_lines && d[3].is_modified);
	assert_int_equal(d[3].lines_added, 2);
	assert_int_equal(d[3].lines_removed, 2);
	assert_true(d[4].has_lines && !d[4].is_modified);
	assert_int_equal(d[4].lines_added, 3);
	assert_int_equal(d[4].lines_removed, 0);
	assert_int_equal(d[5].lines_added, 2);
	assert_int_equal(d[5].lines_removed, 1);
	assert_false(fmt_claude.wants("{\"is_error\":false}", 18));
	pf_free(&f);
}

static void test_claude_malformed_lines_are_rejected_with_a_reason(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_claude);
	pf_line(&f, "{\"type\":\"assistant\",\"message\":{\"id\":\"m\",\"model\":\"x\"}}");
	pf_line(&f, ASSISTANT("m2", "r2", SONNET, "{\"input_tokens\":-1,\"output_tokens\":1}", "",
	                      "2026-11-20T10:00:05Z"));
	pf_line(&f, ASSISTANT("m3", "r3", SONNET, "{\"input_tokens\":\"12\",\"output_tokens\":1}",
	                      "", "2026-11-20T10:00:05Z"));
	pf_line(&f, ASSISTANT("m4", "r4", SONNET, "{\"input_tokens\":1,\"output_tokens\":1}", "",
	                      "2026-02-30T10:00:05Z"));
	pf_line(
	    &f,
	    "{\"type\":\"assistant\",\"message\":{\"id\":\"m5\",\"model\":\"x\",\"usage\":{}}}");
	pf_line(&f, "{\"type\":\"assistant\",\"message\":{\"id\":\"m6\"");
	assert_int_equal(f.out.n_events, 0);
	assert_int_equal(f.out.n_rejects, 6);
	assert_string_equal(f.out.rejects[0].reason, "assistant message without usage");
	assert_string_equal(f.out.rejects[1].reason,
	                    "usage token counts must be non-negative integers");
	assert_string_equal(f.out.rejects[2].reason,
	                    "usage token counts must be non-negative integers");
	assert_string_equal(f.out.rejects[3].reason,
	                    "impossible timestamp: '2026-02-30T10:00:05Z'");
	assert_string_equal(f.out.rejects[4].reason, "missing timestamp");
	assert_string_equal(f.out.rejects[5].reason, "truncated JSON");
	assert_int_equal(f.out.rejects[5].line_no, 6);
	pf_free(&f);
}

static void test_claude_lines_without_usage_interest_are_skipped_quietly(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_claude);
	pf_line(&f, "{\"type\":\"summary\",\"summary\":\"x\",\"leafUuid\":\"u\"}");
	pf_line(&f, "{\"type\":\"file-history-snapshot\",\"messageId\":\"m\",\"snapshot\":{}}");
	pf_line(&f, "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"hello\"}}");
	pf_line(&f, "{\"type\":\"system\",\"content\":\"compacted\"}");
	assert_int_equal(f.out.n_events, 0);
	assert_int_equal(f.out.n_rejects, 0);
	pf_free(&f);
}

#define USER(extra, content)                                                                       \
	"{\"type\":\"user\",\"sessionId\":\"s1\"," extra "\"message\":{\"role\":\"user\","         \
	"\"content\":" content "},\"timestamp\":\"2026-11-20T14:00:00Z\"}"
#define SMALL_USAGE "{\"input_tokens\":1,\"output_tokens\":1}"

static void test_claude_typed_prompts_are_counted_by_the_request_answering_them(void **state)
{
	struct parse_fixture f;
	struct buf text = BUF_INIT;

	(void)state;
	pf_init(&f, &fmt_claude);
	pf_line(&f, USER("", "\"fix the rounding bug\""));
	/* The client's own lines: meta, commands, interruptions, a compaction summary. */
	pf_line(&f, USER("\"isMeta\":true,", "\"Caveat: The messages below were generated\""));
	pf_line(&f, USER("", "\"<command-name>/clear</command-name>\""));
	pf_line(&f, USER("", "[{\"type\":\"text\",\"text\":\"[Request interrupted by user]\"}]"));
	pf_line(&f, USER("\"isCompactSummary\":true,", "\"This session is being continued\""));
	/* A subagent's prompt is its parent agent's, not the person's. */
	pf_line(&f, USER("\"isSidechain\":true,", "\"Search the code\""));
	pf_line(&f, ASSISTANT("msg_1", "req_1", SONNET, SMALL_USAGE, "", "2026-11-20T14:00:05Z"));
	/* The agent's later requests, answering tool results, count no prompt. */
	pf_line(&f, USER("\"toolUseResult\":{\"stdout\":\"ok\"},",
	                 "[{\"tool_use_id\":\"t1\",\"type\":\"tool_result\",\"content\":\"ok\"}]"));
	pf_line(&f, ASSISTANT("msg_2", "req_2", SONNET, SMALL_USAGE, "", "2026-11-20T14:00:09Z"));
	/* A prompt with an image and text, answered after the batch ends. */
	pf_line(&f, USER("", "[{\"type\":\"image\",\"source\":{}},{\"type\":\"text\","
	                     "\"text\":\"why does this look wrong?\"}]"));
	pf_flush(&f);
	assert_int_equal(f.out.n_events, 2);
	assert_int_equal(f.out.events[0].prompts, 1);
	assert_int_equal(f.out.events[1].prompts, 0);
	/* Both requests of the turn are of its prompt's task. */
	assert_string_equal(f.out.events[0].task, "debug");
	assert_string_equal(f.out.events[1].task, "debug");
	fmt_claude.save(f.state, &text);
	assert_non_null(strstr(text.data, "prompts 1\nmodel " SONNET "\n"));
	memset(f.state, 0, fmt_claude.state_size);
	fmt_claude.load(f.state, text.data);
	pf_line(&f, ASSISTANT("msg_3", "req_3", SONNET, SMALL_USAGE, "", "2026-11-20T14:02:00Z"));
	assert_int_equal(f.out.n_events, 3);
	assert_int_equal(f.out.events[2].prompts, 1);
	fmt_claude.save(f.state, &text);
	assert_null(strstr(text.data, "prompts"));
	buf_free(&text);
	pf_free(&f);
}

static void test_claude_a_turn_editing_only_tests_is_testing(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_claude);
	pf_line(&f, USER("", "\"make the cart handle coupons\""));
	pf_line(&f,
	        ASSISTANT("msg_1", "req_1", SONNET, SMALL_USAGE,
	                  "{\"type\":\"tool_use\",\"id\":\"t0\",\"name\":\"Read\",\"input\":{}}",
	                  "2026-11-20T14:00:03Z"));
	pf_line(&f, ASSISTANT("msg_2", "req_2", SONNET, SMALL_USAGE,
	                      "{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Write\",\"input\":{"
	                      "\"file_path\":\"/r/tests/test_cart.py\",\"content\":\"x\"}}",
	                      "2026-11-20T14:00:05Z"));
	pf_line(&f, ASSISTANT("msg_3", "req_3", SONNET, SMALL_USAGE, "", "2026-11-20T14:00:09Z"));
	assert_int_equal(f.out.n_events, 3);
	assert_string_equal(f.out.events[0].task, "other");
	assert_string_equal(f.out.events[1].task, "test");
	assert_string_equal(f.out.events[2].task, "test");
	pf_free(&f);
}

static void test_claude_latency_runs_from_the_trigger_to_the_last_line(void **state)
{
	struct parse_fixture f;

	(void)state;
	pf_init(&f, &fmt_claude);
	/* A prompt at 14:00:00; the response's blocks at :03 and :07: 7 s. */
	pf_line(&f, USER("", "\"add a test\""));
	pf_line(&f, ASSISTANT("msg_1", "req_1", SONNET, SMALL_USAGE, "", "2026-11-20T14:00:03Z"));
	pf_line(&f, ASSISTANT("msg_1", "req_1", SONNET, SMALL_USAGE, "", "2026-11-20T14:00:07Z"));
	/* A tool's result at 14:00:10 (USER's time is 14:00:00: a line of its own). */
	pf_line(&f, "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{"
	            "\"tool_use_id\":\"t1\",\"type\":\"tool_result\",\"content\":\"ok\"}]},"
	            "\"timestamp\":\"2026-11-20T14:00:10Z\"}");
	pf_line(&f,
	        ASSISTANT("msg_2", "req_2", SONNET, SMALL_USAGE, "", "2026-11-20T14:00:12.500Z"));
	/* A copy of a subagent's response in a progress line: timed in its own file. */
	pf_line(&f, "{\"type\":\"progress\",\"timestamp\":\"2026-11-20T14:00:13Z\",\"data\":{"
	            "\"type\":\"agent_progress\",\"message\":" ASSISTANT(
	                "msg_3", "req_3", SONNET, SMALL_USAGE, "", "2026-11-20T14:00:13Z") "}}");
	pf_flush(&f);
	assert_int_equal(f.out.n_events, 3);
	assert_int_equal(f.out.events[0].latency_ms, 7000);
	assert_int_equal(f.out.events[1].latency_ms, 2500);
	assert_int_equal(f.out.events[2].latency_ms, -1);
	pf_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_claude_assistant_line_becomes_one_event_with_canonical_tokens),
	    cmocka_unit_test(test_claude_cache_write_is_the_sum_of_5m_and_1h_when_split),
	    cmocka_unit_test(test_claude_blocks_of_one_response_count_once_with_the_largest_output),
	    cmocka_unit_test(test_claude_replay_under_new_request_id_has_the_same_identity),
	    cmocka_unit_test(test_claude_synthetic_and_api_error_messages_are_not_requests),
	    cmocka_unit_test(test_claude_usage_limit_messages_are_recorded_not_counted),
	    cmocka_unit_test(test_claude_progress_line_carries_a_subagent_response),
	    cmocka_unit_test(test_claude_edit_multiedit_and_write_lines_are_counted),
	    cmocka_unit_test(test_claude_edit_answers_say_what_was_written),
	    cmocka_unit_test(test_claude_malformed_lines_are_rejected_with_a_reason),
	    cmocka_unit_test(test_claude_lines_without_usage_interest_are_skipped_quietly),
	    cmocka_unit_test(test_claude_typed_prompts_are_counted_by_the_request_answering_them),
	    cmocka_unit_test(test_claude_latency_runs_from_the_trigger_to_the_last_line),
	    cmocka_unit_test(test_claude_a_turn_editing_only_tests_is_testing),
	};

	return cmocka_run_group_tests_name("claude", tests, NULL, NULL);
}
