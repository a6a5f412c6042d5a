/*
 * test_rollup.c - latency histograms, and the rollup (days, weeks and
 * months) kept equal to the events through inserts, larger copies, edits,
 * declines, retries, a rollback and a change of time zone; and when a busy
 * writer defers it, through a crash, another writer and a rollback.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

/* A rollup basis with the default idle gap. */
#define BASIS(pct)                                                                                 \
	(&(struct rollup_basis){.near_limit_pct = (pct), .idle_gap_ms = ROLLUP_DEFAULT_IDLE_GAP_MS})

#include "report_helper.h"

#include "../../daemon/store/lathist.h"
#include "../../daemon/store/rollup.h"
#include "query_helper.h"

static int by_int(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void test_lathist_percentiles_are_within_2_5_percent(void **state)
{
	static int64_t v[20000];
	int64_t counts[LATHIST_BUCKETS] = {0}, back[LATHIST_BUCKETS] = {0};
	static uint8_t blob[LATHIST_MAX_BLOB];
	const double ps[] = {0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1.0};
	size_t len;

	(void)state;
	srand(7);
	for (size_t i = 0; i < 20000; i++) {
		/* Log-uniform from 1 ms to about 10 minutes. */
		v[i] = (int64_t)exp((double)rand() / RAND_MAX * log(600000.0));
		counts[lathist_bucket(v[i])]++;
	}
	qsort(v, 20000, sizeof(v[0]), by_int);
	for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		size_t rank = (size_t)ceil(ps[i] * 20000);
		double exact = (double)v[rank - 1];

		assert_true(fabs(lathist_percentile(counts, ps[i]) - exact) <= 0.025 * exact + 0.5);
	}
	len = lathist_encode(counts, blob);
	assert_true(len > 0 && len <= LATHIST_MAX_BLOB);
	assert_int_equal(lathist_add_blob(back, blob, len), 0);
	assert_memory_equal(back, counts, sizeof(counts));
	/* A cut blob is refused, never read past its end. */
	assert_int_equal(lathist_add_blob(back, blob, len - 1), len > 1 ? -1 : 0);
	assert_true(lathist_percentile((int64_t[LATHIST_BUCKETS]){0}, 0.5) == 0);
	assert_int_equal(lathist_bucket(-5), 0);
	assert_int_equal(lathist_bucket(INT64_MAX), LATHIST_BUCKETS - 1);
}

static const char config_text[] = "advice:\n  near_limit_percent: 80\n";

/* The local day number of an event, and the first day of its week or month, in SQL. */
static const char *const unit_sql[ROLLUP_GRAINS] = {
    [ROLLUP_DAY] = "pb_daynum(ts)",
    [ROLLUP_WEEK] = "pb_daynum(ts) - ((pb_daynum(ts) + 3) % 7 + 7) % 7",
    [ROLLUP_MONTH] = "CAST(julianday(date(pb_daynum(ts) * 86400, 'unixepoch', "
                     "'start of month')) - 2440587.5 AS INTEGER)",
};

/* Rows of one grain's table that the events do not give, and the other way round. */
static int64_t grain_differences(struct store *st, enum rollup_grain g)
{
	char sql[2048];

	snprintf(sql, sizeof(sql),
	         "WITH raw AS (SELECT %s, developer_id, model_id, coalesce(task_id, 0), "
	         "tool_id, count(*), sum(outcome IS 'accepted'), sum(outcome IS 'rejected'), "
	         "sum(outcome IS 'edited'), sum(input_tokens), sum(cache_read_tokens), "
	         "sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens), "
	         "count(latency_ms), coalesce(sum(latency_ms), 0), sum(lines_added), "
	         "sum(lines_removed), sum(lines_suggested), sum(lines_accepted), "
	         "sum(coalesce(plan_used_pct, 0) >= 80), sum(is_retry), sum(prompts), "
	         "sum(pb_active(gap_ms, latency_ms, output_tokens, reasoning_tokens)) FROM event "
	         "GROUP BY 1, 2, 3, 4, 5), "
	         "roll AS (SELECT day, developer_id, model_id, task_id, tool_id, requests, "
	         "accepted, rejected, edited, input_tokens, cache_read_tokens, cache_write_tokens, "
	         "output_tokens, reasoning_tokens, latency_n, latency_ms, lines_added, "
	         "lines_removed, lines_suggested, lines_accepted, near_limit, retries, prompts, "
	         "active_ms FROM %s) "
	         "SELECT (SELECT count(*) FROM (SELECT * FROM raw EXCEPT SELECT * FROM roll)) + "
	         "(SELECT count(*) FROM (SELECT * FROM roll EXCEPT SELECT * FROM raw))",
	         unit_sql[g], rollup_table(g));
	return query_int(st, sql);
}

/*
 * Week and month histograms that are not the sum of their days' histograms,
 * and day histograms of keys that have no week or month row.
 */
static int64_t histogram_differences(struct store *st, enum rollup_grain g)
{
	char sql[512];
	sqlite3_stmt *units, *days;
	int64_t bad = 0, covered = 0;

	snprintf(sql, sizeof(sql),
	         "SELECT day, developer_id, model_id, task_id, tool_id, hist FROM %s",
	         rollup_latency_table(g));
	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &units, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(store_db(st),
	                                    "SELECT hist FROM rollup_latency WHERE day >= ?1 AND "
	                                    "day <= ?2 AND developer_id = ?3 AND model_id = ?4 "
	                                    "AND task_id = ?5 AND tool_id = ?6",
	                                    -1, &days, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(units) == SQLITE_ROW) {
		int64_t want[LATHIST_BUCKETS] = {0}, got[LATHIST_BUCKETS] = {0};
		int64_t first = sqlite3_column_int64(units, 0);

		assert_int_equal(rollup_unit_first(g, first), first);
		sqlite3_bind_int64(days, 1, first);
		sqlite3_bind_int64(days, 2, rollup_unit_last(g, first));
		for (int k = 1; k <= 4; k++)
			sqlite3_bind_int64(days, 2 + k, sqlite3_column_int64(units, k));
		while (sqlite3_step(days) == SQLITE_ROW) {
			assert_int_equal(lathist_add_blob(want, sqlite3_column_blob(days, 0),
			                                  (size_t)sqlite3_column_bytes(days, 0)),
			                 0);
			covered++;
		}
		sqlite3_reset(days);
		assert_int_equal(lathist_add_blob(got, sqlite3_column_blob(units, 5),
		                                  (size_t)sqlite3_column_bytes(units, 5)),
		                 0);
		bad += memcmp(want, got, sizeof(want)) != 0;
	}
	sqlite3_finalize(units);
	sqlite3_finalize(days);
	return bad + (query_int(st, "SELECT count(*) FROM rollup_latency") - covered);
}

/* Differences between the events and any grain of the rollup. */
static int64_t rollup_differences(struct store *st)
{
	int64_t n = 0;

	for (int g = 0; g < ROLLUP_GRAINS; g++) {
		n += grain_differences(st, (enum rollup_grain)g);
		if (g != ROLLUP_DAY)
			n += histogram_differences(st, (enum rollup_grain)g);
	}
	return n;
}

static struct event *add(struct batch *b, uint64_t id, int64_t ts_s, const char *session)
{
	struct event *e = batch_add_event(b);

	e->id = id;
	e->ts_ms = ts_s * 1000;
	e->developer = id % 2 ? "ana" : "bob";
	e->tool = "claude-code";
	e->model = id % 3 ? "m-a" : "m-b";
	e->task = id % 5 ? "debug" : NULL;
	e->session = session;
	e->input_tokens = (int64_t)id * 10;
	e->cache_read_tokens = 3;
	e->cache_write_tokens = 2;
	e->output_tokens = 7;
	e->reasoning_tokens = 1;
	e->latency_ms = id % 4 ? (int64_t)id * 100 : -1;
	e->plan_used_pct = id % 7 ? -1 : 85;
	e->lines_suggested = 2;
	return e;
}

/* 1795132800 is 2026-11-18T00:00:00Z; events spread over hours around midnight. */
#define T0 1795132800LL

static void test_rollup_equals_the_events_through_every_change(void **state)
{
	struct config cfg;
	struct store *st = open_report_store(&cfg, config_text);
	struct store_counts c = {0, 0, 0};
	struct batch b;
	struct edit *ed;
	struct decision *d;
	char err[256];

	(void)state;
	memset(&b, 0, sizeof(b));
	for (uint64_t i = 1; i <= 300; i++)
		add(&b, i, T0 - 7200 + (int64_t)i * 50, i % 2 ? "s1" : "s2");
	add(&b, 5, T0 - 7200 + 250, "s1")->output_tokens = 900; /* a larger copy */
	add(&b, 6, T0 - 7200 + 300, "s2")->output_tokens = 1;   /* a smaller one */
	ed = batch_add_edit(&b);
	ed->id = 77;
	ed->event_id = 11;
	ed->lines_added = 12;
	ed->lines_removed = 3;
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(query_int(st, "SELECT count(*) FROM rollup") > 4, 1);
	assert_int_equal(rollup_differences(st), 0);
	assert_int_equal(query_int(st, "SELECT sum(output_tokens) FROM rollup"), 299 * 7 + 900);

	/* A decline in a later batch takes the lines back and rejects the request. */
	batch_reset(&b);
	d = batch_add_decision(&b);
	d->edit_id = 77;
	d->kind = DECISION_DECLINED;
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(query_int(st, "SELECT sum(rejected) FROM rollup"), 1);
	assert_int_equal(query_int(st, "SELECT sum(lines_added) FROM rollup"), 0);
	assert_int_equal(rollup_differences(st), 0);

	/* A rolled back transaction leaves the rollup as it was. */
	batch_reset(&b);
	add(&b, 9999, T0, "s9");
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	store_rollback(st);
	assert_int_equal(query_int(st, "SELECT sum(requests) FROM rollup"), 300);
	assert_int_equal(rollup_differences(st), 0);

	/* Another time zone moves events across midnight: the rollup is built anew. */
	setenv("TZ", "America/St_Johns", 1);
	tzset();
	assert_int_equal(store_rollup_ensure(st, BASIS(80), err, sizeof(err)), 0);
	assert_int_equal(rollup_differences(st), 0);
	assert_int_equal(query_int(st, "SELECT value LIKE 'tz=America/St_Johns;%' FROM meta "
	                               "WHERE key = 'rollup_basis'"),
	                 1);
	/* And so does another near-limit percent. */
	assert_int_equal(store_rollup_ensure(st, BASIS(99), err, sizeof(err)), 0);
	assert_int_equal(query_int(st, "SELECT sum(near_limit) FROM rollup"), 0);
	assert_int_equal(store_rollup_ensure(st, BASIS(80), err, sizeof(err)), 0);
	assert_int_equal(query_int(st, "SELECT sum(near_limit) FROM rollup"), 42);
	batch_free(&b);
	store_close(st);
	config_free(&cfg);
	setenv("TZ", "UTC", 1);
	tzset();
}

/*
 * Session s: A at 0 s, C at 10 s (agent tool: only a rejection makes a
 * retry). A's edit is declined later: C becomes a retry. Then B arrives
 * late, at 5 s, accepted: B is the retry now (it follows A), and C is not.
 */
static void test_retries_follow_the_session_order_whatever_the_arrival(void **state)
{
	struct config cfg;
	struct store *st = open_report_store(&cfg, config_text);
	struct store_counts c = {0, 0, 0};
	struct batch b;
	struct edit *ed;
	struct decision *d;

	(void)state;
	memset(&b, 0, sizeof(b));
	add(&b, 1, T0, "s");
	add(&b, 2, T0 + 10, "s");
	ed = batch_add_edit(&b);
	ed->id = 50;
	ed->event_id = 1;
	ed->lines_added = 1;
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(query_int(st, "SELECT sum(retries) FROM rollup"), 0);

	batch_reset(&b);
	d = batch_add_decision(&b);
	d->edit_id = 50;
	d->kind = DECISION_DECLINED;
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(query_int(st, "SELECT is_retry FROM event WHERE uid = 2"), 1);
	assert_int_equal(query_int(st, "SELECT sum(retries) FROM rollup"), 1);

	batch_reset(&b);
	add(&b, 3, T0 + 5, "s")->outcome = OUTCOME_ACCEPTED;
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(query_int(st, "SELECT is_retry FROM event WHERE uid = 3"), 1);
	assert_int_equal(query_int(st, "SELECT is_retry FROM event WHERE uid = 2"), 0);
	assert_int_equal(query_int(st, "SELECT sum(retries) FROM rollup"), 1);
	assert_int_equal(rollup_differences(st), 0);
	batch_free(&b);
	store_close(st);
	config_free(&cfg);
}

/*
 * Session s: requests at 0, 60, 120 and 3,000 s, the one at 60 s arriving
 * last, in another batch, and the one at 3,000 s after a gap longer than
 * the idle gap. Active time: 60 + 60 for the stretch, and each stretch's
 * first request adds its answer's latency and reading (10 output tokens,
 * 1 of reasoning: 9 x 189 ms). Requests without a session are walked per
 * developer. A longer idle gap, a new basis, joins the stretches.
 */
static void test_active_time_follows_the_session_order_whatever_the_arrival(void **state)
{
	struct config cfg;
	struct store *st = open_report_store(&cfg, config_text);
	struct store_counts c = {0, 0, 0};
	struct batch b;
	char err[256];
	const int64_t lead = 9 * ROLLUP_READ_MS_PER_TOKEN;
	const uint64_t ids[] = {4, 1, 3}; /* 3,000 s, 0 s, 120 s */
	const int64_t at[] = {3000, 0, 120};

	(void)state;
	memset(&b, 0, sizeof(b));
	for (int i = 0; i < 3; i++) {
		struct event *e = add(&b, ids[i], T0 + at[i], "s");

		e->developer = "ana";
		e->output_tokens = 10;
		e->latency_ms = -1;
	}
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	/* 0 and 120 s: one stretch of 120 s so far. */
	assert_int_equal(query_int(st, "SELECT sum(active_ms) FROM rollup"), 120000 + 2 * lead);
	batch_reset(&b);
	add(&b, 2, T0 + 60, "s")->developer = "ana";
	b.events[0].output_tokens = 10;
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(query_int(st, "SELECT gap_ms FROM event WHERE uid = 2"), 60000);
	assert_int_equal(query_int(st, "SELECT gap_ms FROM event WHERE uid = 3"), 60000);
	assert_int_equal(query_int(st, "SELECT gap_ms FROM event WHERE uid = 4"), 2880000);
	assert_int_equal(query_int(st, "SELECT gap_ms IS NULL FROM event WHERE uid = 1"), 1);
	assert_int_equal(query_int(st, "SELECT sum(active_ms) FROM rollup"), 120000 + 2 * lead);
	assert_int_equal(rollup_differences(st), 0);

	/* Without a session: ana's two requests 30 s apart are one stretch. */
	batch_reset(&b);
	for (uint64_t id = 10; id <= 11; id++) {
		struct event *e = add(&b, id, T0 + 5000 + (int64_t)(id - 10) * 30, NULL);

		e->developer = "ana";
		e->output_tokens = 1;
		e->reasoning_tokens = 1;
		e->latency_ms = 2000;
	}
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(query_int(st, "SELECT gap_ms FROM event WHERE uid = 11"), 30000);
	assert_int_equal(query_int(st, "SELECT sum(active_ms) FROM rollup"),
	                 120000 + 2 * lead + 2000 + 30000);
	assert_int_equal(rollup_differences(st), 0);

	/* An idle gap of an hour joins 120 s and 3,000 s: the rollup is built anew. */
	assert_int_equal(store_rollup_ensure(
	                     st,
	                     &(struct rollup_basis){.near_limit_pct = 80, .idle_gap_ms = 3600000},
	                     err, sizeof(err)),
	                 0);
	assert_int_equal(query_int(st, "SELECT sum(active_ms) FROM rollup"),
	                 3000000 + lead + 2000 + 30000);
	assert_int_equal(query_int(st,
	                           "SELECT value LIKE '%;idle_gap_ms=3600000;saved=none' FROM meta "
	                           "WHERE key = 'rollup_basis'"),
	                 1);
	batch_free(&b);
	store_close(st);
	config_free(&cfg);
}

/*
 * A resumed Claude Code session copies the earlier one's lines under its own
 * name: whichever file is read first, each request keeps one session (the
 * least name), and active time and retries come out the same.
 */
static void test_copies_under_another_session_give_the_same_totals_in_any_order(void **state)
{
	int64_t active[2], retries[2];

	(void)state;
	for (int order = 0; order < 2; order++) {
		struct config cfg;
		struct store *st = open_report_store(&cfg, config_text);
		struct store_counts c = {0, 0, 0};
		struct batch first, second, *original, *resumed;

		memset(&first, 0, sizeof(first));
		memset(&second, 0, sizeof(second));
		original = order ? &second : &first;
		resumed = order ? &first : &second;
		for (uint64_t i = 1; i <= 6; i++)
			add(original, i, T0 + (int64_t)i * 60, "zz-original")->developer = "ana";
		/* The copy of the first four, then two requests of its own an hour on. */
		for (uint64_t i = 1; i <= 4; i++)
			add(resumed, i, T0 + (int64_t)i * 60, "aa-resumed")->developer = "ana";
		for (uint64_t i = 7; i <= 8; i++)
			add(resumed, i, T0 + 3600 + (int64_t)i * 60, "aa-resumed")->developer =
			    "ana";
		assert_int_equal(store_add_batch(st, 0, &first, &c), 0);
		assert_int_equal(store_add_batch(st, 0, &second, &c), 0);
		assert_int_equal(query_int(st, "SELECT count(*) FROM event_named "
		                               "WHERE session = 'aa-resumed'"),
		                 6);
		assert_int_equal(rollup_differences(st), 0);
		active[order] = query_int(st, "SELECT sum(active_ms) FROM rollup");
		retries[order] = query_int(st, "SELECT sum(retries) FROM rollup");
		batch_free(&first);
		batch_free(&second);
		store_close(st);
		config_free(&cfg);
	}
	assert_int_equal(active[0], active[1]);
	assert_int_equal(retries[0], retries[1]);
}

/*
 * Events every 7 hours from 2026-09-26 to 2026-12-05 cross week and month
 * ends, in a zone half an hour off the hour; then a rebuild in another zone
 * moves them across midnights. Every grain stays the sum of its events,
 * and a rebuild reads more than one slice of events.
 */
static void test_week_and_month_rows_follow_the_events_across_their_ends(void **state)
{
	struct config cfg;
	struct store *st;
	struct store_counts c = {0, 0, 0};
	struct batch b;
	char err[256];
	const int64_t start = 1790380800; /* 2026-09-26T00:00:00Z */
	const uint64_t n = ROLLUP_REBUILD_SLICE + 7;

	(void)state;
	st = open_report_store(&cfg, config_text);
	setenv("TZ", "Asia/Kolkata", 1);
	tzset();
	assert_int_equal(store_rollup_ensure(st, BASIS(80), err, sizeof(err)), 0);
	memset(&b, 0, sizeof(b));
	for (uint64_t i = 1; i <= 240; i++)
		add(&b, i, start + (int64_t)i * 7 * 3600, i % 3 ? "s1" : "s2");
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(query_int(st, "SELECT count(DISTINCT day) FROM rollup_month"), 4);
	assert_int_equal(query_int(st, "SELECT count(DISTINCT day) FROM rollup_week"), 11);
	assert_int_equal(rollup_differences(st), 0);

	/* The rest, to more than a slice of the rebuild; a day each, reused. */
	batch_reset(&b);
	for (uint64_t i = 241; i <= n; i++)
		add(&b, i, start + (int64_t)(i % 70) * 86400 + (int64_t)(i % 86400), NULL);
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	setenv("TZ", "America/St_Johns", 1);
	tzset();
	assert_int_equal(store_rollup_ensure(st, BASIS(80), err, sizeof(err)), 0);
	assert_int_equal(query_int(st, "SELECT sum(requests) FROM rollup_month"), (int64_t)n);
	assert_int_equal(query_int(st, "SELECT sum(requests) FROM rollup_week"), (int64_t)n);
	assert_int_equal(query_int(st, "SELECT sum(requests) FROM rollup"), (int64_t)n);
	assert_int_equal(rollup_differences(st), 0);
	batch_free(&b);
	store_close(st);
	config_free(&cfg);
	setenv("TZ", "UTC", 1);
	tzset();
}

/* A store on a file, as a second connection or the next process opens it. */
static struct store *open_file_store(const struct config *cfg, const char *path)
{
	struct store *st;
	char err[512];

	assert_int_equal(store_open(&st, path, err, sizeof(err)), 0);
	assert_int_equal(report_register_functions(store_db(st), cfg), 0);
	assert_int_equal(
	    store_rollup_ensure(st, BASIS(cfg->advice.near_limit_percent), err, sizeof(err)), 0);
	return st;
}

/* Events first..last in one transaction, committed as a busy writer does. */
static void add_more(struct store *st, uint64_t first, uint64_t last)
{
	struct store_counts c = {0, 0, 0};
	struct batch b;

	memset(&b, 0, sizeof(b));
	for (uint64_t i = first; i <= last; i++)
		add(&b, i, T0 + (int64_t)i * 600, i % 2 ? "s1" : "s2");
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(store_commit_more(st), 0);
	batch_free(&b);
}

static void test_a_deferred_rollup_survives_a_crash_other_writers_and_a_rollback(void **state)
{
	struct config cfg;
	struct store *a, *b;
	struct store_counts c = {0, 0, 0};
	struct batch batch;
	char dir[] = "/tmp/pb_rollup_XXXXXX", path[64], err[512];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	assert_int_equal(config_load_text(&cfg, "t.yaml", config_text, err, sizeof(err)), 0);

	/* Within the time allowed, commits keep their events out of the rollup. */
	a = open_file_store(&cfg, path);
	add_more(a, 1, 100);
	assert_int_equal(query_int(a, "SELECT count(*) FROM rollup"), 0);
	store_rollup_defer(a, 0);
	add_more(a, 101, 200);
	assert_int_equal(store_rollup_is_behind(a), 0);
	assert_int_equal(query_int(a, "SELECT sum(requests) FROM rollup"), 200);
	store_rollup_defer(a, 3600000);
	add_more(a, 201, 300);
	assert_int_equal(store_rollup_is_behind(a), 1);
	assert_int_equal(query_int(a, "SELECT sum(requests) FROM rollup"), 200);
	assert_true(rollup_differences(a) > 0);
	/* A crash: the next process to open the database adds what was kept. */
	store_close(a);
	b = open_file_store(&cfg, path);
	assert_int_equal(query_int(b, "SELECT sum(requests) FROM rollup"), 300);
	assert_int_equal(rollup_differences(b), 0);

	/* Two writers take turns: each makes its kept changes again from the events. */
	a = open_file_store(&cfg, path);
	store_rollup_defer(a, 3600000);
	store_rollup_defer(b, 3600000);
	add_more(a, 301, 400);
	assert_int_equal(store_rollup_is_behind(a), 1);
	add_more(b, 401, 500);
	add_more(b, 501, 600);
	add_more(a, 601, 700);
	assert_int_equal(store_rollup_sync(a), 0);
	assert_int_equal(query_int(a, "SELECT sum(requests) FROM rollup"), 700);
	assert_int_equal(rollup_differences(a), 0);
	assert_int_equal(store_rollup_sync(b), 0);
	assert_int_equal(query_int(a, "SELECT sum(requests) FROM rollup"), 700);
	assert_int_equal(rollup_differences(a), 0);

	/* A change to an event counted already is written with its commit. */
	add_more(a, 701, 800);
	assert_int_equal(store_rollup_is_behind(a), 1);
	memset(&batch, 0, sizeof(batch));
	add(&batch, 5, T0 + 5 * 600, "s1")->output_tokens = 5000; /* a larger copy */
	assert_int_equal(store_begin(a), 0);
	assert_int_equal(store_add_batch(a, 0, &batch, &c), 0);
	assert_int_equal(store_commit_more(a), 0);
	assert_int_equal(store_rollup_is_behind(a), 0);
	assert_int_equal(rollup_differences(a), 0);

	/* A rollback forgets the kept changes too; they are made again from the events. */
	add_more(a, 801, 900);
	batch_reset(&batch);
	add(&batch, 9999, T0, "s9");
	assert_int_equal(store_begin(a), 0);
	assert_int_equal(store_add_batch(a, 0, &batch, &c), 0);
	store_rollback(a);
	assert_int_equal(store_rollup_is_behind(a), 1);
	assert_int_equal(store_rollup_sync(a), 0);
	assert_int_equal(store_rollup_is_behind(a), 0);
	assert_int_equal(query_int(a, "SELECT sum(requests) FROM rollup"), 900);
	assert_int_equal(query_int(a, "SELECT value FROM meta WHERE key = 'rollup_through'"),
	                 query_int(a, "SELECT max(id) FROM event"));
	assert_int_equal(rollup_differences(a), 0);

	batch_free(&batch);
	store_close(a);
	store_close(b);
	config_free(&cfg);
	for (int i = 0; i < 3; i++) {
		char f[80];

		snprintf(f, sizeof(f), "%s%s", path, (const char *[]){"", "-wal", "-shm"}[i]);
		unlink(f);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lathist_percentiles_are_within_2_5_percent),
	    cmocka_unit_test(test_rollup_equals_the_events_through_every_change),
	    cmocka_unit_test(test_retries_follow_the_session_order_whatever_the_arrival),
	    cmocka_unit_test(test_active_time_follows_the_session_order_whatever_the_arrival),
	    cmocka_unit_test(test_copies_under_another_session_give_the_same_totals_in_any_order),
	    cmocka_unit_test(test_week_and_month_rows_follow_the_events_across_their_ends),
	    cmocka_unit_test(test_a_deferred_rollup_survives_a_crash_other_writers_and_a_rollback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
