/* test_http_cache.c - kept answers, and one build for many requests of the same missing one. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../daemon/http/cache.h"

static int reset(void **state)
{
	(void)state;
	http_cache_clear();
	return 0;
}

static void test_an_answer_is_kept_until_the_data_changes(void **state)
{
	struct buf out = BUF_INIT;
	unsigned status = 0;

	(void)state;
	assert_int_equal(http_cache_fetch("/|a", 1, &out, &status), 0);
	http_cache_put("/|a", 1, "page one", 8, 200);
	assert_int_equal(http_cache_fetch("/|a", 1, &out, &status), 1);
	assert_int_equal(status, 200);
	assert_int_equal(out.len, 8);
	assert_memory_equal(out.data, "page one", 8);
	buf_reset(&out);
	/* New data: the old copy is not served, and this request builds anew. */
	assert_int_equal(http_cache_fetch("/|a", 2, &out, &status), 0);
	assert_int_equal(out.len, 0);
	http_cache_abandon("/|a", 2);
	buf_free(&out);
}

struct waiter {
	const char *key;
	int found;
	struct buf out;
};

static void *fetch_in_thread(void *arg)
{
	struct waiter *w = arg;
	unsigned status = 0;

	w->found = http_cache_fetch(w->key, 7, &w->out, &status);
	if (!w->found)
		http_cache_put(w->key, 7, "late", 4, 200);
	return NULL;
}

/* Requests that miss while the answer is being built wait and get its copy. */
static void test_requests_wait_for_the_build_under_way(void **state)
{
	struct waiter w[8];
	pthread_t t[8];
	struct buf out = BUF_INIT;
	unsigned status = 0;

	(void)state;
	assert_int_equal(http_cache_fetch("/models|", 7, &out, &status), 0); /* building it */
	for (int i = 0; i < 8; i++) {
		w[i].key = "/models|";
		w[i].found = 0;
		memset(&w[i].out, 0, sizeof(w[i].out));
		assert_int_equal(pthread_create(&t[i], NULL, fetch_in_thread, &w[i]), 0);
	}
	usleep(100000); /* let them reach the wait */
	http_cache_put("/models|", 7, "built once", 10, 200);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(w[i].found, 1);
		assert_int_equal(w[i].out.len, 10);
		assert_memory_equal(w[i].out.data, "built once", 10);
		buf_free(&w[i].out);
	}
	buf_free(&out);
}

/* A build that fails lets one of the waiters build instead. */
static void test_an_abandoned_build_passes_to_a_waiter(void **state)
{
	struct waiter w = {"/teams|", 0, BUF_INIT};
	struct buf out = BUF_INIT;
	unsigned status = 0;
	pthread_t t;

	(void)state;
	assert_int_equal(http_cache_fetch("/teams|", 7, &out, &status), 0);
	assert_int_equal(pthread_create(&t, NULL, fetch_in_thread, &w), 0);
	usleep(50000);
	http_cache_abandon("/teams|", 7);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(w.found, 0); /* it built ("late") */
	assert_int_equal(http_cache_fetch("/teams|", 7, &out, &status), 1);
	assert_memory_equal(out.data, "late", 4);
	buf_free(&out);
}

/* Different answers are built side by side: nobody waits for another key. */
static void test_other_keys_do_not_wait(void **state)
{
	struct buf out = BUF_INIT;
	unsigned status = 0;

	(void)state;
	assert_int_equal(http_cache_fetch("/a|", 3, &out, &status), 0);
	assert_int_equal(http_cache_fetch("/b|", 3, &out, &status), 0);
	assert_int_equal(http_cache_fetch("/a|", 4, &out, &status), 0);
	http_cache_abandon("/a|", 3);
	http_cache_abandon("/b|", 3);
	http_cache_abandon("/a|", 4);
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_an_answer_is_kept_until_the_data_changes, reset),
	    cmocka_unit_test_setup(test_requests_wait_for_the_build_under_way, reset),
	    cmocka_unit_test_setup(test_an_abandoned_build_passes_to_a_waiter, reset),
	    cmocka_unit_test_setup(test_other_keys_do_not_wait, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
