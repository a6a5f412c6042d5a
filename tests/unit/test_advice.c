/* test_advice.c - seat advice rules on a small store, worked by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "report_helper.h"

#include "../../daemon/config/config.h"
#include "../../daemon/store/store.h"
#include "../../daemon/lib/util.h"
#include "../../reports/advice.h"
#include "../../reports/report.h"

#define CLOSE(a, b) assert_true(fabs((a) - (b)) < 1e-6)
#define MONTH       (30.436875 / 30) /* November's usage scaled to an average month */

static const char config_text[] =
    "people:\n"
    "  - {id: idle, seats: [{plan: pro, since: 2026-10-01}]}\n"
    "  - {id: heavy, seats: [{plan: plus, since: 2026-10-01}]}\n"
    "  - {id: light, seats: [{plan: pro, since: 2026-10-01}]}\n"
    "  - {id: good, seats: [{plan: plus, since: 2026-10-01}]}\n"
    "  - {id: limited, seats: [{plan: claude, since: 2026-10-01}]}\n"
    "plans:\n"
    "  - {id: plus, monthly_usd: 20, covers: [\"m*\"]}\n"
    "  - {id: pro, monthly_usd: 200, covers: [\"m*\"]}\n"
    "  - {id: claude, vendor: anthropic, monthly_usd: 100, covers: [\"claude-*\"]}\n"
    "  - {id: claude-max, monthly_usd: 200, covers: [\"claude-*\"]}\n"
    "models:\n"
    "  - {match: \"m*\", input: 1, cache_read: 0, cache_write: 0, output: 0}\n";

static void put(struct batch *b, uint64_t id, int day, const char *dev, int64_t in, double pct)
{
	struct event *e = batch_add_event(b);

	e->id = id;
	e->ts_ms = (days_from_civil(2026, 11, (unsigned)day) * 86400 + 43200) * 1000;
	e->developer = dev;
	e->tool = "codex";
	e->model = "m1";
	e->input_tokens = in;
	e->latency_ms = -1;
	e->plan_used_pct = pct;
}

/*
 * November:
 *   idle:  pro ($200), no use at all: idle for its 30 days, saves $200.
 *   heavy: plus ($20), 10 requests, 2 at 95 % of the limits (20 % >= 10 %):
 *          undersized; the next plan covering m1 is pro: costs $180 more.
 *   light: pro ($200), $2 of API use (1M + 1M tokens) on Nov 28: oversized;
 *          plus ($20) is dearer than pay-as-you-go ($2 x MONTH): switch to
 *          pay-as-you-go, saving 200 - 2 x MONTH.
 *   good:  plus ($20), $30 of API use on Nov 29: good value, 30 x MONTH - 20.
 */
static void test_each_rule_and_its_money(void **state)
{
	struct config cfg;
	struct store *st;
	struct batch b;
	struct store_counts c = {0, 0, 0};
	struct advice_report r;
	char err[512];

	(void)state;
	st = open_report_store(&cfg, config_text);
	memset(&b, 0, sizeof(b));
	for (int i = 0; i < 10; i++)
		put(&b, 100 + (uint64_t)i, 20 + i, "heavy", 1000, i < 2 ? 95 : 40);
	put(&b, 1, 28, "light", 1000000, -1);
	put(&b, 2, 28, "light", 1000000, -1);
	put(&b, 3, 29, "good", 30000000, -1);
	/* limited: plenty of use; Claude Code told them twice they hit the limit while
	 * using Sonnet, once in a hit stored without its model (its tool's vendor's
	 * plans count it), and Codex once, which their Claude plan does not cover. */
	for (int i = 0; i < 4; i++) {
		struct limit_hit *h = batch_add_limit(&b);

		h->id = 500 + (uint64_t)i;
		h->ts_ms = (days_from_civil(2026, 11, 25) * 86400 + i * 3600) * 1000;
		h->developer = "limited";
		h->tool = i == 3 ? "codex" : "claude-code";
		h->model = i < 2 ? "claude-sonnet-4-5" : i == 3 ? "gpt-5-codex" : NULL;
	}
	{
		struct event *e = batch_add_event(&b);

		e->id = 600;
		e->ts_ms = (days_from_civil(2026, 11, 26) * 86400) * 1000;
		e->developer = "limited";
		e->tool = "claude-code";
		e->model = "claude-sonnet-4-5";
		e->input_tokens = 100000000; /* $300 at the built-in $3 a million */
		e->latency_ms = -1;
		e->plan_used_pct = -1;
	}
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(
	    advice_build(store_db(st), &cfg, "2026-11-01", "2026-11-30", &r, err, sizeof(err)), 0);
	assert_int_equal(r.n_items, 5);

	assert_string_equal(r.items[0].person, "idle");
	assert_int_equal(r.items[0].kind, ADVICE_IDLE);
	assert_int_equal(r.items[0].idle_days, 30);
	CLOSE(r.items[0].monthly_delta_usd, 200);

	assert_string_equal(r.items[1].person, "heavy");
	assert_int_equal(r.items[1].kind, ADVICE_UNDERSIZED);
	CLOSE(r.items[1].near_limit_share, 0.2);
	assert_string_equal(r.items[1].alternative, "pro");
	CLOSE(r.items[1].monthly_delta_usd, -180);

	assert_string_equal(r.items[2].person, "light");
	assert_int_equal(r.items[2].kind, ADVICE_OVERSIZED);
	assert_string_equal(r.items[2].alternative, "pay-as-you-go");
	CLOSE(r.items[2].api_monthly_usd, 2 * MONTH);
	CLOSE(r.items[2].monthly_delta_usd, 200 - 2 * MONTH);
	assert_int_equal(r.items[2].idle_days, 2);

	assert_string_equal(r.items[3].person, "good");
	assert_int_equal(r.items[3].kind, ADVICE_GOOD);
	CLOSE(r.items[3].monthly_delta_usd, 30 * MONTH - 20);

	assert_string_equal(r.items[4].person, "limited");
	assert_int_equal(r.items[4].kind, ADVICE_UNDERSIZED);
	assert_int_equal(r.items[4].limit_hits, 3);
	assert_string_equal(r.items[4].alternative, "claude-max");
	CLOSE(r.items[4].monthly_delta_usd, -100);
	advice_free(&r);

	/* Pseudonyms hide who holds which seat. */
	cfg.privacy.developers = PRIVACY_PSEUDONYMOUS;
	assert_int_equal(
	    advice_build(store_db(st), &cfg, "2026-11-01", "2026-11-30", &r, err, sizeof(err)), 0);
	assert_int_equal(strncmp(r.items[0].person, "developer-", 10), 0);
	advice_free(&r);
	batch_free(&b);
	store_close(st);
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_each_rule_and_its_money),
	};

	return cmocka_run_group_tests_name("advice", tests, NULL, NULL);
}
