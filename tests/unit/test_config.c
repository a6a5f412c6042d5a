/* test_config.c - payback.yaml loading, defaults and error positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/config/config.h"
#include "../../daemon/ingest/event.h"

static char err[4096];

static int load(struct config *c, const char *text)
{
	return config_load_text(c, "/etc/payback/payback.yaml", text, err, sizeof(err));
}

static void test_config_without_a_file_uses_built_in_defaults(void **state)
{
	struct config c;

	(void)state;
	setenv("XDG_STATE_HOME", "/var/tmp/xdg", 1);
	unsetenv("STATE_DIRECTORY");
	assert_int_equal(config_load(&c, NULL, err, sizeof(err)), 0);
	assert_string_equal(c.timezone, "UTC");
	assert_string_equal(c.storage_path, "/var/tmp/xdg/payback/payback.db");
	assert_int_equal(c.n_sources, 0);
	config_free(&c);
	setenv("STATE_DIRECTORY", "/var/lib/payback", 1);
	assert_int_equal(config_load(&c, NULL, err, sizeof(err)), 0);
	assert_string_equal(c.storage_path, "/var/lib/payback/payback.db");
	config_free(&c);
	unsetenv("STATE_DIRECTORY");
}

static void test_config_reads_storage_timezone_and_sources(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(
	    load(&c, "storage:\n  path: data/p.db\ntimezone: Europe/Lisbon\n"
	             "sources:\n"
	             "  - path: /srv/logs\n    format: auto\n    developer: "
	             "\"/srv/logs/{developer}/...\"\n"
	             "  - {path: codex, format: codex, developer: ana, tool: codex-cli}\n"),
	    0);
	assert_string_equal(c.storage_path, "/etc/payback/data/p.db");
	assert_string_equal(c.timezone, "Europe/Lisbon");
	assert_int_equal(c.n_sources, 2);
	assert_string_equal(c.sources[0].path, "/srv/logs");
	assert_string_equal(c.sources[0].developer, "/srv/logs/{developer}/...");
	assert_string_equal(c.sources[1].path, "/etc/payback/codex");
	assert_string_equal(c.sources[1].format, "codex");
	assert_string_equal(c.sources[1].tool, "codex-cli");
	config_free(&c);
}

static void test_config_unknown_key_names_its_position_and_a_suggestion(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(load(&c, "storage:\n  path: p.db\ntimezon: UTC\n"), -1);
	assert_string_equal(err,
	                    "/etc/payback/payback.yaml:3:1: unknown key 'timezon' (did you mean "
	                    "'timezone'?)");
	config_free(&c);
	assert_int_equal(load(&c, "storage:\n  paht: p.db\n"), -1);
	assert_string_equal(err,
	                    "/etc/payback/payback.yaml:2:3: unknown key 'paht' in storage (did "
	                    "you mean 'path'?)");
	config_free(&c);
	assert_int_equal(load(&c, "sources:\n  - path: /x\n    formt: auto\n"), -1);
	assert_string_equal(err,
	                    "/etc/payback/payback.yaml:3:5: unknown key 'formt' in a source (did "
	                    "you mean 'format'?)");
	config_free(&c);
	assert_int_equal(load(&c, "zzzzzz: 1\n"), -1);
	assert_string_equal(err, "/etc/payback/payback.yaml:1:1: unknown key 'zzzzzz'");
	config_free(&c);
}

static void test_config_wrong_types_and_values_are_errors_with_positions(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(load(&c, "timezone: Mars/Olympus\n"), -1);
	assert_string_equal(err, "/etc/payback/payback.yaml:1:11: unknown time zone 'Mars/Olympus' "
	                         "(expected an IANA name such as Europe/Lisbon)");
	config_free(&c);
	assert_int_equal(load(&c, "sources: /var/log\n"), -1);
	assert_string_equal(err, "/etc/payback/payback.yaml:1:10: sources must be a list");
	config_free(&c);
	assert_int_equal(load(&c, "sources:\n  - format: codex\n"), -1);
	assert_string_equal(err, "/etc/payback/payback.yaml:2:5: a source needs a 'path'");
	config_free(&c);
	assert_int_equal(load(&c, "sources:\n  - {path: /x, format: jsonl}\n"), -1);
	assert_string_equal(err, "/etc/payback/payback.yaml:2:24: unknown format 'jsonl' (expected "
	                         "auto, native, claude-code or codex)");
	config_free(&c);
	assert_int_equal(load(&c, "storage:\n  path: [a, b]\n"), -1);
	assert_string_equal(err, "/etc/payback/payback.yaml:2:9: storage.path must be a value");
	config_free(&c);
}

static void test_config_reports_every_problem_not_only_the_first(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(load(&c, "timezon: UTC\nstorage: 5\n"), -1);
	assert_non_null(strstr(err, ":1:1: unknown key 'timezon'"));
	assert_non_null(strstr(err, "\n/etc/payback/payback.yaml:2:10: storage must be a mapping"));
	config_free(&c);
}

static void test_config_yaml_syntax_errors_and_duplicates_have_positions(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(load(&c, "timezone: UTC\nstorage:\n  path: \"unterminated\n"), -1);
	assert_non_null(strstr(err, "/etc/payback/payback.yaml:"));
	assert_non_null(strstr(err, "quoted scalar"));
	config_free(&c);
	assert_int_equal(load(&c, "timezone: UTC\ntimezone: Europe/Lisbon\n"), -1);
	assert_string_equal(err,
	                    "/etc/payback/payback.yaml:2:1: duplicate key 'timezone' (first at "
	                    "line 1)");
	config_free(&c);
	assert_int_equal(load(&c, "a: &x 1\nb: *x\n"), -1);
	config_free(&c);
	assert_int_equal(load(&c, "- 1\n- 2\n"), -1);
	assert_string_equal(err,
	                    "/etc/payback/payback.yaml:1:1: the configuration must be a mapping");
	config_free(&c);
}

static void test_config_empty_file_is_all_defaults(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(load(&c, ""), 0);
	assert_string_equal(c.timezone, "UTC");
	config_free(&c);
	assert_int_equal(load(&c, "# only a comment\n"), 0);
	config_free(&c);
}

static const char roi_example[] =
    "people:\n"
    "  - id: ana@example.com\n"
    "    name: Ana Lima\n"
    "    team: payments\n"
    "    aliases: [ana, alima]\n"
    "    seats:\n"
    "      - {plan: chatgpt-pro, since: 2026-09-01}\n"
    "plans:\n"
    "  - {id: chatgpt-pro, vendor: openai, monthly_usd: 200, covers: [\"chatgpt-5.5*\", "
    "\"codex-5.3-spark*\"]}\n"
    "models:\n"
    "  - {match: \"codex-5.3-spark*\", input: 1.25, cache_read: 0.125, cache_write: 0, output: "
    "10}\n"
    "estimate:\n"
    "  hourly_cost_usd: 95\n";

static void test_config_people_plans_and_models_load_as_documented(void **state)
{
	struct config c;
	const struct person *p;
	const struct model_price *m;

	(void)state;
	assert_int_equal(load(&c, roi_example), 0);
	assert_int_equal(c.n_people, 1);
	p = config_person(&c, "alima");
	assert_non_null(p);
	assert_ptr_equal(p, config_person(&c, "ana@example.com"));
	assert_null(config_person(&c, "Ana"));
	assert_string_equal(p->name, "Ana Lima");
	assert_string_equal(p->team, "payments");
	assert_int_equal(p->n_seats, 1);
	assert_string_equal(p->seats[0].plan, "chatgpt-pro");
	assert_int_equal(p->seats[0].since, 20697); /* 2026-09-01 */
	assert_true(p->seats[0].until == INT64_MAX);
	assert_true(config_plan(&c, "chatgpt-pro")->monthly_usd == 200);
	assert_int_equal(config_plan(&c, "chatgpt-pro")->n_covers, 2);
	m = config_model_price(&c, "codex-5.3-spark-2026-10");
	assert_non_null(m);
	assert_true(m->input == 1.25 && m->cache_read == 0.125 && m->output == 10);
	assert_null(config_model_price(&c, "chatgpt-5.5"));
	assert_true(c.estimate.hourly_cost_usd == 95);
	assert_string_equal(c.estimate.currency, "USD");
	config_free(&c);
}

static void test_config_estimate_scenarios_and_task_factors(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(load(&c,
	                      "estimate:\n  hourly_cost_usd: 120\n  currency: EUR\n"
	                      "  minutes_per_prompt:\n    accepted: {low: -1, likely: 2, high: 6}\n"
	                      "    rejected: -2\n"
	                      "  waiting_share: {low: 1, likely: 0.5, high: 0}\n"
	                      "  task_factor: {debug: 1.4, docs: 0.5}\n"),
	                 0);
	assert_true(c.estimate.hourly_cost_usd == 120);
	assert_string_equal(c.estimate.currency, "EUR");
	assert_true(c.estimate.minutes_per_prompt[OUTCOME_ACCEPTED].low == -1);
	assert_true(c.estimate.minutes_per_prompt[OUTCOME_ACCEPTED].high == 6);
	assert_true(c.estimate.minutes_per_prompt[OUTCOME_REJECTED].likely == -2);
	/* Untouched outcomes keep their defaults. */
	assert_true(c.estimate.minutes_per_prompt[OUTCOME_EDITED].likely == 2.0);
	assert_int_equal(c.estimate.n_tasks, 2);
	assert_string_equal(c.estimate.tasks[1].task, "docs");
	assert_true(c.estimate.tasks[1].factor == 0.5);
	config_free(&c);
	assert_int_equal(load(&c, "estimate:\n  waiting_share: 2\n"), -1);
	assert_string_equal(err, "/etc/payback/payback.yaml:2:18: waiting_share must be between 0 "
	                         "and 1");
	config_free(&c);
	assert_int_equal(load(&c, "estimate:\n  minutes_per_line: {low: 0, likely: 1}\n"), -1);
	assert_non_null(strstr(err, ":2:21: minutes_per_line needs 'high'"));
	config_free(&c);
	assert_int_equal(load(&c, "privacy: {developers: pseudonymous, min_group: 3}\n"), 0);
	assert_int_equal(c.privacy.developers, PRIVACY_PSEUDONYMOUS);
	assert_int_equal(c.privacy.min_group, 3);
	config_free(&c);
	assert_int_equal(load(&c, "privacy: {developers: secret, min_group: 0.5}\n"), -1);
	assert_non_null(strstr(err, "privacy.developers must be visible, pseudonymous or hidden, "
	                            "not 'secret'"));
	assert_non_null(strstr(err, "min_group must be a whole number of 1 or more, not '0.5'"));
	config_free(&c);
	assert_int_equal(load(&c, "estimate:\n  minutes_per_prompt: {acepted: 1}\n"), -1);
	assert_non_null(strstr(err, "unknown key 'acepted' in minutes_per_prompt (did you mean "
	                            "'accepted'?)"));
	config_free(&c);
}

static void test_config_task_rules_and_their_errors(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(load(&c, "tasks:\n  - {task: debug, words: [INC-, oncall]}\n"
	                          "  - {task: docs, words: [runbook]}\n"),
	                 0);
	assert_int_equal(c.n_tasks, 2);
	assert_string_equal(c.tasks[0].task, "debug");
	assert_int_equal(c.tasks[0].n_words, 2);
	assert_string_equal(c.tasks[1].words[0], "runbook");
	config_free(&c);
	assert_int_equal(load(&c, "tasks:\n  - {task: bugs, words: [x]}\n  - {task: test}\n"), -1);
	assert_non_null(strstr(err, ":2:12: task must be debug, test, refactor, feature, docs, "
	                            "review or other, not 'bugs'"));
	assert_non_null(strstr(err, ":3:5: a task rule needs 'words'"));
	config_free(&c);
}

static void test_config_people_errors_name_their_position(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(load(&c,
	                      "plans:\n  - {id: pro, monthly_usd: 20, covers: x}\npeople:\n"
	                      "  - id: ana\n    seats:\n      - {plan: max, since: 2026-09-01}\n"),
	                 -1);
	assert_string_equal(err,
	                    "/etc/payback/payback.yaml:6:16: unknown plan 'max' (plans: define "
	                    "it under 'plans')");
	config_free(&c);
	assert_int_equal(load(&c, "plans:\n  - {id: pro, monthly_usd: 20, covers: x}\npeople:\n"
	                          "  - id: ana\n    seats:\n      - {plan: pro, since: 2026-09-10, "
	                          "until: 2026-09-01}\n"),
	                 -1);
	assert_non_null(strstr(err, ":6:47: 'until' is before 'since'"));
	config_free(&c);
	assert_int_equal(load(&c, "people:\n  - {id: ana@example.com, aliases: [ana]}\n"
	                          "  - {id: bruno, aliases: [ana]}\n"),
	                 -1);
	assert_string_equal(err, "/etc/payback/payback.yaml:3:27: 'ana' already names "
	                         "'ana@example.com'");
	config_free(&c);
	assert_int_equal(load(&c,
	                      "models:\n  - {match: x, input: -1, cache_read: 0, cache_write: 0, "
	                      "output: 1}\n"),
	                 -1);
	assert_string_equal(err, "/etc/payback/payback.yaml:2:23: input must be a number of 0 or "
	                         "more, not '-1'");
	config_free(&c);
	assert_int_equal(load(&c, "models:\n  - {match: x, input: 1, output: 1}\n"), -1);
	assert_non_null(strstr(err, ":2:5: a model needs 'cache_read' (USD per million tokens)"));
	config_free(&c);
	assert_int_equal(load(&c, "plans:\n  - {id: pro, monthly_usd: twenty}\n"), -1);
	assert_non_null(strstr(err, "monthly_usd must be a number of 0 or more, not 'twenty'"));
	assert_non_null(strstr(err, "a plan needs 'covers'"));
	config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_config_task_rules_and_their_errors),
	    cmocka_unit_test(test_config_without_a_file_uses_built_in_defaults),
	    cmocka_unit_test(test_config_reads_storage_timezone_and_sources),
	    cmocka_unit_test(test_config_unknown_key_names_its_position_and_a_suggestion),
	    cmocka_unit_test(test_config_wrong_types_and_values_are_errors_with_positions),
	    cmocka_unit_test(test_config_reports_every_problem_not_only_the_first),
	    cmocka_unit_test(test_config_yaml_syntax_errors_and_duplicates_have_positions),
	    cmocka_unit_test(test_config_empty_file_is_all_defaults),
	    cmocka_unit_test(test_config_people_plans_and_models_load_as_documented),
	    cmocka_unit_test(test_config_people_errors_name_their_position),
	    cmocka_unit_test(test_config_estimate_scenarios_and_task_factors),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
