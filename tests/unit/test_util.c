/* test_util.c - timestamps, calendar, the JSON/UTF-8 checker and buffers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/lib/buf.h"
#include "../../daemon/lib/util.h"

static void test_iso8601_accepts_fractions_and_offsets(void **state)
{
	int64_t ms;
	const char *why;

	(void)state;
	assert_int_equal(parse_iso8601("1970-01-01T00:00:00Z", &ms, &why), 0);
	assert_int_equal(ms, 0);
	assert_int_equal(parse_iso8601("2026-11-20T14:03:11.123Z", &ms, &why), 0);
	assert_int_equal(ms, 1795183391123LL);
	assert_int_equal(parse_iso8601("2026-11-20T14:03:11.123456789Z", &ms, &why), 0);
	assert_int_equal(ms, 1795183391123LL);
	assert_int_equal(parse_iso8601("2026-11-20T16:03:11.1+02:00", &ms, &why), 0);
	assert_int_equal(ms, 1795183391100LL);
	assert_int_equal(parse_iso8601("2024-02-29T00:00:00Z", &ms, &why), 0);
}

static void test_iso8601_refuses_impossible_and_malformed_values(void **state)
{
	int64_t ms;
	const char *why;

	(void)state;
	assert_int_equal(parse_iso8601("2026-02-29T00:00:00Z", &ms, &why), -1);
	assert_string_equal(why, "impossible timestamp");
	assert_int_equal(parse_iso8601("2026-13-01T00:00:00Z", &ms, &why), -1);
	assert_int_equal(parse_iso8601("2026-11-31T00:00:00Z", &ms, &why), -1);
	assert_int_equal(parse_iso8601("2026-11-20T24:00:00Z", &ms, &why), -1);
	assert_int_equal(parse_iso8601("1969-12-31T23:59:59Z", &ms, &why), -1);
	assert_int_equal(parse_iso8601("2026-11-20 14:03:11", &ms, &why), -1);
	assert_int_equal(parse_iso8601("2026-11-20T14:03:11.Z", &ms, &why), -1);
	assert_int_equal(parse_iso8601("2026-11-20T14:03:11Zjunk", &ms, &why), -1);
	assert_int_equal(parse_iso8601("", &ms, &why), -1);
}

static void test_civil_days_round_trip(void **state)
{
	int y;
	unsigned m, d;

	(void)state;
	assert_int_equal(days_from_civil(1970, 1, 1), 0);
	assert_int_equal(days_from_civil(2000, 3, 1), 11017);
	for (int64_t z = -1000; z < 40000; z += 7) {
		civil_from_days(z, &y, &m, &d);
		assert_int_equal(days_from_civil(y, m, d), z);
	}
}

static int check(const char *s, size_t *at, const char **why)
{
	return json_check(s, strlen(s), at, why);
}

static void test_json_check_accepts_json_and_names_what_is_wrong(void **state)
{
	size_t at;
	const char *why;

	(void)state;
	assert_int_equal(
	    check("{\"a\":[1,-2.5e3,true,false,null,\"\\u00e9\\n\"],\"b\":{}}", &at, &why), 0);
	assert_int_equal(check("  {\"caf\xc3\xa9\":\"\xe2\x80\xa8\xf0\x9f\x98\x80\"}  ", &at, &why),
	                 0);
	assert_int_equal(check("{\"a\":1", &at, &why), -1);
	assert_string_equal(why, "truncated JSON");
	assert_int_equal(check("{\"a\":\"abc", &at, &why), -1);
	assert_string_equal(why, "truncated JSON (unterminated string)");
	assert_int_equal(check("{\"a\":\"\xff\"}", &at, &why), -1);
	assert_string_equal(why, "invalid UTF-8");
	assert_int_equal(at, 6);
	assert_int_equal(check("{\"a\":\"\xc0\xaf\"}", &at, &why), -1);     /* overlong */
	assert_int_equal(check("{\"a\":\"\xed\xa0\x80\"}", &at, &why), -1); /* surrogate */
	assert_int_equal(check("{\"a\":\"x\ty\"}", &at, &why), -1);
	assert_string_equal(why, "control character in string");
	assert_int_equal(json_check("\0\1\2", 3, &at, &why), -1);
	assert_string_equal(why, "binary data (NUL byte)");
	assert_int_equal(check("{\"a\":1} x", &at, &why), -1);
	assert_string_equal(why, "trailing data after JSON value");
	assert_int_equal(check("{\"a\":01}", &at, &why), -1);
	assert_int_equal(check("{a:1}", &at, &why), -1);
	assert_string_equal(why, "expected a key string");
}

/* Strings are skipped eight bytes at a time: a bad byte at any place is still found. */
static void test_json_check_finds_a_bad_byte_anywhere_in_a_string(void **state)
{
	static const struct {
		char byte;
		const char *why;
	} bad[] = {{'\t', "control character in string"},
	           {'\x01', "control character in string"},
	           {'\xff', "invalid UTF-8"},
	           {'\x80', "invalid UTF-8"}};
	char line[64];
	size_t at;
	const char *why;

	(void)state;
	for (size_t k = 0; k < ARRAY_LEN(bad); k++)
		for (size_t i = 0; i < 40; i++) {
			memset(line, 'a', sizeof(line));
			memcpy(line, "{\"a\":\"", 6);
			line[6 + i] = bad[k].byte;
			memcpy(line + 46, "\"}", 3);
			assert_int_equal(json_check(line, 48, &at, &why), -1);
			assert_int_equal(at, 6 + i);
			assert_string_equal(why, bad[k].why);
		}
	for (size_t i = 0; i < 40; i++) {
		memset(line, 'a', sizeof(line));
		memcpy(line, "{\"a\":\"", 6);
		memcpy(line + 6 + i, "\\\"\xc3\xa9", 4); /* an escaped quote, then UTF-8 */
		memcpy(line + 50, "\"}", 3);
		assert_int_equal(json_check(line, 52, &at, &why), 0);
	}
}

static void test_text_is_clean_accepts_utf8_and_refuses_controls(void **state)
{
	(void)state;
#define CLEAN(s) text_is_clean(s, strlen(s))
	assert_true(CLEAN("{\"a\":\"plain ascii text, long enough for words\"}"));
	assert_true(CLEAN("caf\xc3\xa9 \xe2\x80\xa8 \xf0\x9f\x98\x80 and more ascii"));
	assert_false(CLEAN("tab\there and more text"));
	assert_false(CLEAN("eight ok\x01"));
	assert_false(CLEAN("bad \xff byte in the middle"));
	assert_false(CLEAN("cut \xe2\x80"));
	assert_false(text_is_clean("nul \0 inside the line here", 26));
#undef CLEAN
}

static void test_json_check_limits_nesting_depth(void **state)
{
	char deep[2100];
	size_t at;
	const char *why;

	(void)state;
	memset(deep, '[', 1000);
	memset(deep + 1000, ']', 1000);
	deep[2000] = '\0';
	assert_int_equal(check(deep, &at, &why), -1);
	assert_string_equal(why, "nesting too deep");
}

static void test_buf_escapes_for_csv_json_and_html(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_append_csv(&b, "=HYPERLINK(\"x\")");
	assert_string_equal(b.data, "\"'=HYPERLINK(\"\"x\"\")\"");
	buf_reset(&b);
	buf_append_csv(&b, "plain");
	assert_string_equal(b.data, "plain");
	buf_reset(&b);
	buf_append_json(&b, "a\"b\\c\n\x01");
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\u0001\"");
	buf_reset(&b);
	buf_append_html(&b, "<script>alert('x')</script>&\"");
	assert_string_equal(b.data, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;");
	buf_free(&b);
}

static void test_buf_refuses_to_grow_past_its_limit(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	b.max = 8;
	assert_int_equal(buf_puts(&b, "12345678"), 0);
	assert_int_equal(buf_putc(&b, '9'), -1);
	assert_int_equal(b.len, 8);
	buf_free(&b);
}

static void test_edit_distance_for_suggestions(void **state)
{
	(void)state;
	assert_int_equal(edit_distance("timezone", "timezone"), 0);
	assert_int_equal(edit_distance("timezon", "timezone"), 1);
	assert_int_equal(edit_distance("soruces", "sources"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_iso8601_accepts_fractions_and_offsets),
	    cmocka_unit_test(test_iso8601_refuses_impossible_and_malformed_values),
	    cmocka_unit_test(test_civil_days_round_trip),
	    cmocka_unit_test(test_json_check_accepts_json_and_names_what_is_wrong),
	    cmocka_unit_test(test_json_check_finds_a_bad_byte_anywhere_in_a_string),
	    cmocka_unit_test(test_text_is_clean_accepts_utf8_and_refuses_controls),
	    cmocka_unit_test(test_json_check_limits_nesting_depth),
	    cmocka_unit_test(test_buf_escapes_for_csv_json_and_html),
	    cmocka_unit_test(test_buf_refuses_to_grow_past_its_limit),
	    cmocka_unit_test(test_edit_distance_for_suggestions),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
