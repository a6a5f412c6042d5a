/* test_task.c - the prompt task classifier on a labelled set of prompts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/ingest/task.h"

#ifndef FIXTURES
#define FIXTURES "tests/fixtures"
#endif

/*
 * Every prompt of tests/fixtures/tasks/prompts.tsv ("task<TAB>prompt"),
 * 30 of each task: 80 % or more must come out right, and the result is
 * printed for docs/ingest.md.
 */
static void test_the_labelled_prompts_are_classified_80_percent_right(void **state)
{
	FILE *fp = fopen(FIXTURES "/tasks/prompts.tsv", "r");
	char line[1024];
	int n = 0, right = 0;

	(void)state;
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		char *tab = strchr(line, '\t'), *nl = strchr(line, '\n');
		const char *got;

		if (line[0] == '#' || tab == NULL)
			continue;
		*tab = '\0';
		if (nl)
			*nl = '\0';
		got = task_classify(NULL, 0, tab + 1);
		n++;
		if (strcmp(got, line) == 0)
			right++;
		else
			print_message("%-8s taken for %-8s: %s\n", line, got, tab + 1);
	}
	fclose(fp);
	print_message("%d of %d prompts right (%.1f %%)\n", right, n, 100.0 * right / n);
	assert_true(n >= 200);
	assert_true(right * 100 >= n * 80);
}

static void test_cues_match_whole_words_in_any_case(void **state)
{
	(void)state;
	assert_string_equal(task_classify(NULL, 0, "Fix the FAILING login"), "debug");
	assert_string_equal(task_classify(NULL, 0, "attest the signature"),
	                    "other"); /* not " test" */
	assert_string_equal(task_classify(NULL, 0, "Add Tests for the parser"), "test");
	assert_string_equal(task_classify(NULL, 0, ""), "other");
	assert_string_equal(task_classify(NULL, 0, NULL), "other");
}

/* A team's own words (payback.yaml tasks:) outweigh the built-in cues. */
static void test_a_teams_own_words_win(void **state)
{
	static char *incident[] = {"INC-", "oncall"}, *release[] = {"ship"};
	const struct task_rule rules[] = {{"debug", incident, 2}, {"other", release, 1}};

	(void)state;
	assert_string_equal(task_classify(rules, 2, "add a test for inc-4411"), "debug");
	assert_string_equal(task_classify(rules, 2, "Ship the docs update"), "other");
	assert_string_equal(task_classify(rules, 2, "friendship is a test"),
	                    "test"); /* word start */
	assert_string_equal(task_classify(rules, 2, "update the README"), "docs");
}

/* Files a turn edits refine what its words said: only tests, only documentation. */
static void test_the_files_a_turn_edits_refine_its_task(void **state)
{
	(void)state;
	assert_int_equal(task_file_kind("/src/app/tests/test_cart.py"), TASK_FILES_TESTS);
	assert_int_equal(task_file_kind("pkg/cart_test.go"), TASK_FILES_TESTS);
	assert_int_equal(task_file_kind("web/Cart.spec.ts"), TASK_FILES_TESTS);
	assert_int_equal(task_file_kind("docs/guide.rst"), TASK_FILES_DOCS);
	assert_int_equal(task_file_kind("/repo/README.md"), TASK_FILES_DOCS);
	assert_int_equal(task_file_kind("/repo/src/cart.py"), TASK_FILES_OTHER);
	assert_int_equal(task_file_kind(NULL), TASK_FILES_OTHER);
	assert_string_equal(task_refine("feature", TASK_FILES_TESTS), "test");
	assert_string_equal(task_refine("other", TASK_FILES_DOCS), "docs");
	assert_string_equal(task_refine("refactor", TASK_FILES_TESTS | TASK_FILES_OTHER),
	                    "refactor");
	assert_string_equal(task_refine("debug", TASK_FILES_TESTS), "debug");
	assert_string_equal(task_refine("feature", 0), "feature");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_the_labelled_prompts_are_classified_80_percent_right),
	    cmocka_unit_test(test_cues_match_whole_words_in_any_case),
	    cmocka_unit_test(test_a_teams_own_words_win),
	    cmocka_unit_test(test_the_files_a_turn_edits_refine_its_task),
	};

	return cmocka_run_group_tests_name("task", tests, NULL, NULL);
}
