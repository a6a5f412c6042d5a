/* test_bloom.c - the filter of stored uids: no false negatives, few false positives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../daemon/store/bloom.h"

static uint64_t next(uint64_t *x)
{
	*x += 0x9e3779b97f4a7c15ULL;
	return *x ^ (*x >> 29);
}

static void test_bloom_keeps_every_key_and_rarely_claims_others(void **state)
{
	struct bloom b = {0};
	uint64_t x = 1, y;
	size_t n = 300000, false_hits = 0;

	(void)state;
	assert_int_equal(bloom_init(&b, n), 0);
	for (size_t i = 0; i < n; i++)
		bloom_add(&b, next(&x));
	assert_false(bloom_is_full(&b));
	y = x;
	x = 1;
	for (size_t i = 0; i < n; i++)
		assert_true(bloom_has(&b, next(&x)));
	/* Keys never added: sequential ones too, as a parser's could be. */
	for (size_t i = 0; i < n; i++)
		false_hits += (size_t)bloom_has(&b, next(&y)) + (size_t)bloom_has(&b, (uint64_t)i);
	assert_true(false_hits < 2 * n / 40); /* under 2.5 % */
	/* Past its limit it says so, and still keeps every key. */
	for (size_t i = 0; !bloom_is_full(&b); i++)
		bloom_add(&b, next(&y));
	x = 1;
	for (size_t i = 0; i < n; i++)
		assert_true(bloom_has(&b, next(&x)));
	bloom_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bloom_keeps_every_key_and_rarely_claims_others),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
