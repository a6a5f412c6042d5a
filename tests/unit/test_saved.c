/*
 * test_saved.c - the time-saved model on logs shaped like heavy agent use:
 * what must hold however chatty the agent and however heavy the month.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "query_helper.h"
#include "report_helper.h"

#include "../../reports/roi.h"

static uint64_t rng;

static int64_t between(int64_t lo, int64_t hi)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return lo + (int64_t)(rng % (uint64_t)(hi - lo + 1));
}

struct month_shape {
	int developers, days;
	int requests_per_day; /* the agent's requests answering the person's prompts */
	int chatty;           /* each request made this many times, at the same moment */
};

static const char *const dev_names[] = {"ana", "bo", "cy", "di", "ed", "flo", "gus", "hal"};

/* Session names live as long as the batch: one per developer-day. */
static char session_names[8 * 64][32];

/*
 * A heavy agent user's month: every day from 08:00 UTC, prompts that fan
 * out into 10-60 requests 5-40 s apart, 1-10 minutes of thought between
 * prompts; one request in five carries an accepted edit of 2-40 lines,
 * one in fifty a declined one. With chatty > 1 every request is made that
 * many times at the same moment, the copies deciding nothing: the same
 * prompts, decisions, lines and timestamps.
 */
static void make_month(struct batch *b, const struct month_shape *m, uint64_t seed)
{
	uint64_t id = 1, copy_id = 1ULL << 40;

	rng = seed;
	for (int d = 0; d < m->developers; d++)
		for (int day = 0; day < m->days; day++) {
			char *session = session_names[d * 64 + day];
			int64_t t =
			    (1793491200LL + day * 86400LL + 8 * 3600) * 1000; /* 2026-11-01 */
			int left = m->requests_per_day;

			snprintf(session, sizeof(session_names[0]), "s%d-%d", d & 7, day & 63);
			while (left > 0) {
				int n = (int)between(10, 60);

				for (int r = 0; r < n && left > 0; r++, left--) {
					int64_t kind = between(1, 100), out = between(200, 1500);

					t += between(5, 40) * 1000;
					for (int c = 0; c < m->chatty; c++) {
						struct event *e = batch_add_event(b);

						e->id = c == 0 ? id++ : copy_id++;
						e->ts_ms = t;
						e->developer = dev_names[d];
						e->tool = "claude-code";
						e->model = "claude-sonnet-4-5";
						e->session = session;
						e->input_tokens = 10;
						e->cache_read_tokens = 40000;
						e->output_tokens = out;
						e->latency_ms = -1;
						e->plan_used_pct = -1;
						if (c > 0)
							continue;
						e->prompts = r == 0;
						if (kind <= 20) {
							e->outcome = OUTCOME_ACCEPTED;
							e->lines_added = between(2, 40);
						} else if (kind <= 22) {
							e->outcome = OUTCOME_REJECTED;
						}
					}
				}
				t += between(60, 600) * 1000;
			}
		}
}

static const char config_text[] = "people:\n  - {id: ana}\n";

static struct roi_report month_report(const struct month_shape *m, uint64_t seed,
                                      struct config *cfg, struct store **st_out)
{
	struct store *st = open_report_store(cfg, config_text);
	struct store_counts c = {0, 0, 0};
	struct roi_report r;
	struct batch b;
	char err[256];

	memset(&b, 0, sizeof(b));
	make_month(&b, m, seed);
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	batch_free(&b);
	assert_int_equal(roi_build(store_db(st), cfg, NULL, NULL, &r, err, sizeof(err)), 0);
	if (st_out)
		*st_out = st;
	else
		store_close(st);
	return r;
}

static void test_a_heavy_month_stays_under_ten_hours_a_developer_week(void **state)
{
	struct month_shape heavy = {8, 30, 800, 1};
	struct config cfg;
	struct roi_report r;
	double weeks, per_week;

	(void)state;
	r = month_report(&heavy, 42, &cfg, NULL);
	weeks = roi_developer_weeks(&r);
	per_week = r.roi.hours.likely / weeks;
	print_message("heavy month: %lld requests, %lld prompts, %.0f active hours, "
	              "%.1f likely hours saved a developer-week (low %.1f, high %.1f)\n",
	              (long long)r.requests, (long long)r.prompts, (double)r.active_ms / 3.6e6,
	              per_week, r.roi.hours.low / weeks, r.roi.hours.high / weeks);
	assert_int_equal(r.requests, 8 * 30 * 800);
	assert_int_equal(r.developers, 8);
	assert_true(per_week <= 10);
	/* Heavy use does save time: not a figure forced to nothing either. */
	assert_true(per_week >= 2);
	assert_true(r.roi.hours.low < r.roi.hours.likely && r.roi.hours.likely < r.roi.hours.high);
	roi_free(&r);
	config_free(&cfg);
}

/*
 * Ten times the heavy month: 8,000 agent requests a day, so many sessions
 * overlap and the agents run around the clock. The person's day does not
 * grow with them: the week stays within a working day a day, at the ceilings.
 */
static void test_ten_times_heavier_use_stays_within_a_persons_week(void **state)
{
	struct month_shape heavier = {2, 30, 8000, 1};
	struct config cfg;
	struct roi_report r;
	double weeks, likely, low, high;

	(void)state;
	r = month_report(&heavier, 11, &cfg, NULL);
	weeks = roi_developer_weeks(&r);
	likely = r.roi.hours.likely / weeks;
	low = r.roi.hours.low / weeks;
	high = r.roi.hours.high / weeks;
	print_message("ten times heavier: %.0f active hours summed over sessions, %.1f likely "
	              "hours saved a developer-week (low %.1f, high %.1f)\n",
	              (double)r.active_ms / 3.6e6, likely, low, high);
	/* At most 8 attended hours a day, seven days a week, times each ceiling. */
	assert_true(likely <= 0.5 * 8 * 7 + 1e-6);
	assert_true(high <= 1.2 * 8 * 7 + 1e-6);
	assert_true(low >= -8 * 7 - 1e-6);
	roi_free(&r);
	config_free(&cfg);
}

static void test_a_chattier_agent_saves_nobody_more_time(void **state)
{
	struct month_shape once = {2, 14, 800, 1}, twice = {2, 14, 800, 2},
	                   tenfold = {2, 14, 800, 10};
	struct config cfg;
	struct roi_report a, b, c;

	(void)state;
	a = month_report(&once, 7, &cfg, NULL);
	config_free(&cfg);
	b = month_report(&twice, 7, &cfg, NULL);
	config_free(&cfg);
	c = month_report(&tenfold, 7, &cfg, NULL);
	assert_int_equal(b.requests, 2 * a.requests);
	assert_int_equal(c.requests, 10 * a.requests);
	assert_int_equal(b.prompts, a.prompts);
	print_message("hours saved, likely: %.2f, twice as chatty %.2f, ten times %.2f\n",
	              a.roi.hours.likely, b.roi.hours.likely, c.roi.hours.likely);
	assert_true(fabs(b.roi.hours.likely - a.roi.hours.likely) <
	            0.02 * fabs(a.roi.hours.likely));
	assert_true(fabs(b.roi.hours.low - a.roi.hours.low) < 0.02 * fabs(a.roi.hours.low));
	assert_true(fabs(b.roi.hours.high - a.roi.hours.high) < 0.02 * fabs(a.roi.hours.high));
	assert_true(fabs(c.roi.hours.likely - a.roi.hours.likely) <
	            0.02 * fabs(a.roi.hours.likely));
	roi_free(&a);
	roi_free(&b);
	roi_free(&c);
	config_free(&cfg);
}

static void test_no_day_saves_more_than_its_active_time_allows(void **state)
{
	struct month_shape heavy = {2, 10, 800, 1};
	struct config cfg;
	struct store *st;
	struct roi_report r;
	struct rollup_basis basis;
	char err[256];

	(void)state;
	r = month_report(&heavy, 3, &cfg, &st);
	roi_free(&r);
	/* Absurd minutes per prompt: a new estimate, so the rollup is built anew, and
	 * every day is held to its active time x 1.2. */
	for (int o = 0; o < OUTCOME_KINDS; o++)
		cfg.estimate.minutes_per_prompt[o] = (struct scenario){600, 600, 600};
	saved_rollup_basis(&cfg, &basis);
	assert_int_equal(store_rollup_ensure(st, &basis, err, sizeof(err)), 0);
	assert_int_equal(query_int(st, "SELECT count(*) FROM (SELECT day, developer_id FROM rollup "
	                               "GROUP BY 1, 2)"),
	                 20);
	assert_int_equal(query_int(st, "SELECT count(*) FROM (SELECT day, developer_id, "
	                               "sum(saved_likely) AS l, sum(saved_high) AS h, "
	                               "min(sum(active_ms) / 60000.0, 480) AS a FROM rollup "
	                               "GROUP BY 1, 2) WHERE h > a * 1.2 + 1e-6 "
	                               "OR abs(l - a * 0.5) > 1e-6"),
	                 0);
	/* Weeks and months hold the sums of their days. */
	assert_int_equal(query_int(st, "SELECT abs((SELECT sum(saved_likely) FROM rollup) - "
	                               "(SELECT sum(saved_likely) FROM rollup_month)) < 1e-6 AND "
	                               "abs((SELECT sum(saved_high) FROM rollup) - "
	                               "(SELECT sum(saved_high) FROM rollup_week)) < 1e-6"),
	                 1);
	/* And the whole period, every day under a working day here, is then exactly its
	 * active time x 0.5, the likely ceiling. */
	assert_int_equal(roi_build(store_db(st), &cfg, NULL, NULL, &r, err, sizeof(err)), 0);
	assert_true(fabs(r.minutes.likely - (double)r.active_ms / 60000.0 * 0.5) <
	            1e-6 * r.minutes.likely);
	roi_free(&r);
	store_close(st);
	config_free(&cfg);
}

/* Requests sharing a prompt key count it once, whichever is stored first, once each. */
static void test_a_keyed_prompt_counts_once_across_batches(void **state)
{
	struct config cfg;
	struct store *st = open_report_store(&cfg, config_text);
	struct store_counts c = {0, 0, 0};
	struct batch b;

	(void)state;
	memset(&b, 0, sizeof(b));
	for (uint64_t i = 1; i <= 3; i++) {
		struct event *e = batch_add_event(&b);

		e->id = i;
		e->ts_ms = 1793491200000LL + (int64_t)i * 1000;
		e->developer = "ana";
		e->tool = "native";
		e->model = "m";
		e->latency_ms = -1;
		e->plan_used_pct = -1;
		e->prompts = 1;
		e->prompt_key = i < 3 ? 99 : 100;
	}
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(query_int(st, "SELECT sum(prompts) FROM rollup"), 2);
	/* A copy of request 1, and request 4 of prompt 100, in a later batch. */
	b.events[1].id = 4;
	b.events[1].prompt_key = 100;
	b.n_events = 2;
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(query_int(st, "SELECT sum(requests) FROM rollup"), 4);
	assert_int_equal(query_int(st, "SELECT sum(prompts) FROM rollup"), 2);
	batch_free(&b);
	store_close(st);
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_a_heavy_month_stays_under_ten_hours_a_developer_week),
	    cmocka_unit_test(test_ten_times_heavier_use_stays_within_a_persons_week),
	    cmocka_unit_test(test_a_chattier_agent_saves_nobody_more_time),
	    cmocka_unit_test(test_no_day_saves_more_than_its_active_time_allows),
	    cmocka_unit_test(test_a_keyed_prompt_counts_once_across_batches),
	};

	return cmocka_run_group_tests_name("saved", tests, NULL, NULL);
}
