/* test_uidmap.c - the recent identities in memory: every pair kept, found, and sorted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "../../daemon/store/uidmap.h"

static uint64_t next(uint64_t *x)
{
	*x += 0x9e3779b97f4a7c15ULL;
	return *x ^ (*x >> 29);
}

static void test_uidmap_finds_every_pair_through_growth_and_no_other(void **state)
{
	struct uidmap m = {0};
	uint64_t x = 3, y;
	int64_t row;
	size_t n = 100000;

	(void)state;
	assert_int_equal(uidmap_get(&m, 42, &row), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(uidmap_put(&m, next(&x), (int64_t)i + 1), 0);
	/* Sequential identities too, which a poor slot function would pile up. */
	for (uint64_t i = 0; i < 1000; i++)
		assert_int_equal(uidmap_put(&m, i << 32, (int64_t)(n + i + 1)), 0);
	assert_int_equal(m.n, n + 1000);
	y = x;
	x = 3;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(uidmap_get(&m, next(&x), &row), 1);
		assert_int_equal(row, (int64_t)i + 1);
	}
	assert_int_equal(uidmap_get(&m, 999ULL << 32, &row), 1);
	assert_int_equal(row, (int64_t)(n + 1000));
	for (size_t i = 0; i < 1000; i++)
		assert_int_equal(uidmap_get(&m, next(&y), &row), 0);
	uidmap_clear(&m);
	assert_int_equal(m.n, 0);
	x = 3;
	assert_int_equal(uidmap_get(&m, next(&x), &row), 0);
	uidmap_free(&m);
}

/* uid_merged is written in SQLite's order of its keys: uids as signed integers. */
static void test_uidmap_sort_orders_pairs_as_signed_integers(void **state)
{
	struct uidmap m = {0};
	uint64_t uids[] = {5, 0x8000000000000000ULL, UINT64_MAX, 1, 0x7fffffffffffffffULL};
	uint64_t want[] = {0x8000000000000000ULL, UINT64_MAX, 1, 5, 0x7fffffffffffffffULL};
	int64_t rows[] = {11, 12, 13, 10, 14};
	uint64_t x = 11;

	(void)state;
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(uidmap_put(&m, uids[i], (int64_t)i + 10), 0);
	assert_int_equal(uidmap_sort(&m), 5);
	for (size_t i = 0; i < 5; i++) {
		assert_true(m.uids[i] == want[i]);
		assert_int_equal(m.rows[i], rows[i]);
	}

	/* Many, in every range of the 64 bits, after growth: each in its place, none lost. */
	uidmap_clear(&m);
	for (int i = 0; i < 50000; i++)
		assert_int_equal(uidmap_put(&m, next(&x), i + 1), 0);
	assert_int_equal(uidmap_sort(&m), 50000);
	for (size_t i = 1; i < 50000; i++)
		assert_true((int64_t)m.uids[i - 1] < (int64_t)m.uids[i]);
	x = 11;
	for (int i = 0; i < 50000; i++) {
		uint64_t uid = next(&x);
		size_t lo = 0, hi = 50000;

		while (hi - lo > 1) {
			size_t mid = (lo + hi) / 2;

			if ((int64_t)m.uids[mid] <= (int64_t)uid)
				lo = mid;
			else
				hi = mid;
		}
		assert_true(m.uids[lo] == uid);
		assert_int_equal(m.rows[lo], i + 1);
	}
	/* Cleared, it is an empty map again. */
	uidmap_clear(&m);
	x = 11;
	assert_int_equal(uidmap_get(&m, next(&x), &rows[0]), 0);
	assert_int_equal(uidmap_put(&m, 42, 7), 0);
	assert_int_equal(uidmap_get(&m, 42, &rows[0]), 1);
	assert_int_equal(rows[0], 7);
	uidmap_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_uidmap_finds_every_pair_through_growth_and_no_other),
	    cmocka_unit_test(test_uidmap_sort_orders_pairs_as_signed_integers),
	};

	return cmocka_run_group_tests_name("uidmap", tests, NULL, NULL);
}
