/* test_jv.c - reading members from checked lines agrees with cJSON's tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "../../daemon/lib/arena.h"
#include "../../daemon/ingest/jv.h"
#include "../../daemon/lib/util.h"

static struct arena mem = ARENA_INIT;

/* Whether the view v holds what the tree t holds, member by member. */
static void assert_same(const cJSON *t, struct jv v)
{
	switch (jv_type(v)) {
	case JV_NULL:
		assert_true(cJSON_IsNull(t));
		break;
	case JV_TRUE:
		assert_true(cJSON_IsTrue(t));
		break;
	case JV_FALSE:
		assert_true(cJSON_IsFalse(t));
		break;
	case JV_NUMBER: {
		double d;

		assert_true(cJSON_IsNumber(t));
		assert_int_equal(jv_number(v, &d), 0);
		assert_true(d == t->valuedouble);
		break;
	}
	case JV_STRING:
		assert_true(cJSON_IsString(t));
		assert_string_equal(jv_str(v, &mem), t->valuestring);
		assert_true(jv_is(v, t->valuestring));
		break;
	case JV_ARRAY:
	case JV_OBJECT: {
		struct jv_iter it;
		struct jv elem, found;
		const cJSON *child = t->child;

		assert_true(jv_type(v) == JV_ARRAY ? cJSON_IsArray(t) : cJSON_IsObject(t));
		assert_int_equal(jv_iter(v, &it), 0);
		while (jv_next(&it, &elem)) {
			assert_non_null(child);
			assert_same(child, elem);
			if (jv_type(v) == JV_OBJECT) {
				/* Lookup by name finds the first member of that name, as cJSON. */
				const char *key = child->string;

				jv_fields(v, &key, 1, &found);
				assert_same(cJSON_GetObjectItemCaseSensitive(t, key), found);
			}
			child = child->next;
		}
		assert_null(child);
		break;
	}
	default:
		fail_msg("no value");
	}
}

static void check_text(const char *text)
{
	size_t at;
	const char *why;
	struct jindex *index = calloc(1, sizeof(*index));
	cJSON *tree = cJSON_Parse(text);

	assert_non_null(index);
	if (tree == NULL)
		fail_msg("cJSON refuses %s", text);
	assert_int_equal(json_check_index(text, strlen(text), index, &at, &why), 0);
	/* Through the index and by scanning, the same answers. */
	assert_same(tree, jv_root(text, strlen(text), index));
	assert_same(tree, jv_root(text, strlen(text), NULL));
	cJSON_Delete(tree);
	free(index);
	arena_reset(&mem);
}

static void test_views_agree_with_cjson_on_every_value_kind(void **state)
{
	static const char *const texts[] = {
	    "{}",
	    "[]",
	    " { \"a\" : 1 , \"b\" : [ 1 , 2 , { \"c\" : null } ] , \"d\" : { } } ",
	    "{\"type\":\"assistant\",\"message\":{\"id\":\"msg_1\",\"usage\":{\"input_tokens\":3,"
	    "\"cache_creation\":{\"ephemeral_5m_input_tokens\":4,\"deep\":{\"x\":{\"y\":1}}}}}}",
	    "{\"s\":\"quote \\\" backslash \\\\ slash \\/ \\b\\f\\n\\r\\t end\\\\\"}",
	    "{\"u\":\"\\u00e9\\u4e2d\\ud83d\\ude00 caf\xc3\xa9\",\"e\":\"\\\\\",\"q\":\"\\\"\"}",
	    "{\"ty\\u0070e\":\"escaped key\",\"type\":\"plain key\"}",
	    "{\"k\":1,\"k\":2,\"k\":{\"k\":3}}",
	    "{\"n\":[0,-0,1.5,-2.25e3,1E-2,123456789012345678,9007199254740993,1e308]}",
	    "{\"t\":true,\"f\":false,\"z\":null,\"a\":[true,false,null,\"\",[],{}]}",
	    "[{\"a\":[{\"b\":[{\"c\":\"deep\"}]}]},\"x\",3]",
	    "{\"\":\"empty key\",\"a b\":\"space\"}",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(texts); i++)
		check_text(texts[i]);
}

/* Random documents, printed by cJSON, read back both ways. */
static cJSON *random_value(unsigned *seed, int depth)
{
	int kind = depth > 4 ? rand_r(seed) % 4 : rand_r(seed) % 6;
	static const char *const words[] = {
	    "a",           "type",  "id\"q", "back\\slash", "\xc3\xa9t\xc3\xa9",
	    "line\nbreak", "tab\t", "\x01",  "message",     "usage"};

	switch (kind) {
	case 0:
		return cJSON_CreateNumber((double)(rand_r(seed) % 100000) / (rand_r(seed) % 3 + 1));
	case 1:
		return cJSON_CreateString(words[rand_r(seed) % ARRAY_LEN(words)]);
	case 2:
		return cJSON_CreateBool(rand_r(seed) % 2);
	case 3:
		return cJSON_CreateNull();
	case 4: {
		cJSON *a = cJSON_CreateArray();

		for (int i = rand_r(seed) % 5; i > 0; i--)
			cJSON_AddItemToArray(a, random_value(seed, depth + 1));
		return a;
	}
	default: {
		cJSON *o = cJSON_CreateObject();

		for (int i = rand_r(seed) % 7; i > 0; i--)
			cJSON_AddItemToObject(o, words[rand_r(seed) % ARRAY_LEN(words)],
			                      random_value(seed, depth + 1));
		return o;
	}
	}
}

static void test_views_agree_with_cjson_on_random_documents(void **state)
{
	unsigned seed = 7;

	(void)state;
	for (int i = 0; i < 2000; i++) {
		cJSON *doc = cJSON_CreateObject();
		char *text;

		for (int k = rand_r(&seed) % 8; k >= 0; k--)
			cJSON_AddItemToObject(doc, k % 2 ? "message" : "data",
			                      random_value(&seed, 1));
		text = cJSON_PrintUnformatted(doc);
		check_text(text);
		free(text);
		cJSON_Delete(doc);
	}
}

static void test_a_line_with_more_members_than_the_index_is_read_by_scanning(void **state)
{
	char text[16384];
	size_t n = 0, at;
	const char *why, *key = "last";
	struct jindex *index = calloc(1, sizeof(*index));
	struct jv found;

	(void)state;
	n += (size_t)snprintf(text + n, sizeof(text) - n, "{");
	for (int i = 0; i < 300; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "\"k%d\":{\"v\":%d},", i, i);
	snprintf(text + n, sizeof(text) - n, "\"last\":\"here\"}");
	assert_int_equal(json_check_index(text, strlen(text), index, &at, &why), 0);
	assert_true(index->is_full);
	jv_fields(jv_root(text, strlen(text), index), &key, 1, &found);
	assert_string_equal(jv_str(found, &mem), "here");
	check_text(text);
	free(index);
}

static void test_unsigned_integers_follow_the_token_count_rules(void **state)
{
	static const struct {
		const char *text;
		int rc;
		int64_t value;
	} cases[] = {
	    {"{\"v\":0}", 0, 0},
	    {"{\"v\":12345}", 0, 12345},
	    {"{\"v\":999999999999999}", 0, 999999999999999LL},
	    {"{\"v\":1200000000000000}", 0, 1200000000000000LL},
	    {"{\"v\":12.0}", 0, 12},
	    {"{\"v\":1e3}", 0, 1000},
	    {"{\"v\":-0}", 0, 0},
	    {"{\"v\":null}", 0, 0},
	    {"{}", 0, 0},
	    {"{\"v\":12.5}", -1, 0},
	    {"{\"v\":-1}", -1, 0},
	    {"{\"v\":1e16}", -1, 0},
	    {"{\"v\":\"12\"}", -1, 0},
	    {"{\"v\":true}", -1, 0},
	};
	const char *key = "v";

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const char *t = cases[i].text;
		struct jv v;
		int64_t got = 77;

		jv_fields(jv_root(t, strlen(t), NULL), &key, 1, &v);
		assert_int_equal(jv_uint(v, &got), cases[i].rc);
		if (cases[i].rc == 0)
			assert_int_equal(got, cases[i].value);
	}
}

static void test_a_lone_surrogate_reads_as_a_replacement_character(void **state)
{
	const char *t = "{\"s\":\"a\\ud800b\\udc00c\"}", *key = "s";
	struct jv v;
	size_t at;
	const char *why;

	(void)state;
	assert_int_equal(json_check(t, strlen(t), &at, &why), 0);
	jv_fields(jv_root(t, strlen(t), NULL), &key, 1, &v);
	assert_string_equal(jv_str(v, &mem), "a\xef\xbf\xbd"
	                                     "b\xef\xbf\xbd"
	                                     "c");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_views_agree_with_cjson_on_every_value_kind),
	    cmocka_unit_test(test_views_agree_with_cjson_on_random_documents),
	    cmocka_unit_test(test_a_line_with_more_members_than_the_index_is_read_by_scanning),
	    cmocka_unit_test(test_unsigned_integers_follow_the_token_count_rules),
	    cmocka_unit_test(test_a_lone_surrogate_reads_as_a_replacement_character),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	arena_free(&mem);
	return failed;
}
