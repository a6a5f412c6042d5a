/* test_linediff.c - lines added and removed between two texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/ingest/linediff.h"

static void expect(const char *before, const char *after, int64_t added, int64_t removed)
{
	int64_t a = -1, r = -1;

	line_diff(before, after, &a, &r);
	assert_int_equal(a, added);
	assert_int_equal(r, removed);
}

static void test_line_diff_counts_changed_lines_not_their_context(void **state)
{
	char block[2048] = "", edited[2048] = "";

	(void)state;
	expect(NULL, NULL, 0, 0);
	expect(NULL, "a\nb\n", 2, 0);
	expect("a\nb", NULL, 0, 2);
	expect("a\nb", "a\nb\nc\n", 1, 0);
	expect("a\nb\nc", "a\nB\nc", 1, 1);
	expect("x\ny\nz", "y\nz\nx", 1, 1);
	/* Two lines changed in a 40-line block: 2 and 2, not 40 and 40. */
	for (int i = 0; i < 40; i++) {
		char line[32];

		snprintf(line, sizeof(line), "line %d\n", i);
		strcat(block, line);
		snprintf(line, sizeof(line), i == 7 || i == 30 ? "LINE %d\n" : "line %d\n", i);
		strcat(edited, line);
	}
	expect(block, edited, 2, 2);
}

static void test_line_diff_past_its_budget_counts_the_middle_as_changed(void **state)
{
	size_t n = 3000, len = n * 8 + 16;
	char *a = malloc(len), *b = malloc(len);

	(void)state;
	a[0] = b[0] = '\0';
	strcat(a, "head\n");
	strcat(b, "head\n");
	for (size_t i = 0; i < n; i++) {
		char line[16];

		snprintf(line, sizeof(line), "a%zu\n", i);
		strcat(a, line);
		snprintf(line, sizeof(line), "b%zu\n", i);
		strcat(b, line);
	}
	expect(a, b, (int64_t)n, (int64_t)n);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_line_diff_counts_changed_lines_not_their_context),
	    cmocka_unit_test(test_line_diff_past_its_budget_counts_the_middle_as_changed),
	};

	return cmocka_run_group_tests_name("linediff", tests, NULL, NULL);
}
