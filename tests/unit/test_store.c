/*
 * test_store.c - migrations, exactly-once event storage (recent and merged
 * identities, two connections), edits and file state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../daemon/store/store.h"
#include "query_helper.h"
#include "schema_sql.h"

static struct store *open_mem(void)
{
	struct store *st;
	char err[256];

	assert_int_equal(store_open(&st, ":memory:", err, sizeof(err)), 0);
	return st;
}

static struct event *add(struct batch *b, uint64_t id, int64_t in, int64_t out)
{
	struct event *e = batch_add_event(b);

	e->id = id;
	e->ts_ms = 1795183391123LL;
	e->developer = "ana";
	e->tool = "claude-code";
	e->model = "m";
	e->input_tokens = in;
	e->output_tokens = out;
	e->latency_ms = -1;
	e->plan_used_pct = -1;
	return e;
}

static void add_edit(struct batch *b, uint64_t id, uint64_t event_id, int64_t added,
                     int64_t removed)
{
	struct edit *ed = batch_add_edit(b);

	ed->id = id;
	ed->event_id = event_id;
	ed->lines_added = added;
	ed->lines_removed = removed;
}

static void test_store_migrations_set_the_schema_version(void **state)
{
	struct store *st = open_mem();

	(void)state;
	assert_true(store_schema_version(st) >= 1);
	assert_int_equal(query_int(st, "SELECT count(*) FROM sqlite_master WHERE name = 'event'"),
	                 1);
	store_close(st);
}

static void test_store_counts_an_event_once_and_keeps_the_largest_copy(void **state)
{
	struct store *st = open_mem();
	struct batch b;
	struct store_counts c = {0, 0, 0};

	(void)state;
	memset(&b, 0, sizeof(b));
	add(&b, 1, 10, 5);
	add(&b, 1, 10, 50);
	add(&b, 1, 10, 20);
	add(&b, 2, 7, 7);
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(c.added, 2);
	assert_int_equal(c.duplicates, 2);
	assert_int_equal(query_int(st, "SELECT output_tokens FROM event WHERE uid = 1"), 50);
	assert_int_equal(query_int(st, "SELECT output_tokens FROM event WHERE uid = 2"), 7);
	/* In a later batch too, and whatever the number of rows per statement. */
	batch_reset(&b);
	for (int i = 0; i < 130; i++)
		add(&b, 1000 + (uint64_t)(i % 100), 1, (int64_t)i);
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(c.added, 102);
	assert_int_equal(c.duplicates, 32);
	assert_int_equal(query_int(st, "SELECT output_tokens FROM event WHERE uid = 1029"), 129);
	assert_int_equal(query_int(st, "SELECT output_tokens FROM event WHERE uid = 1030"), 30);
	batch_free(&b);
	store_close(st);
}

static void test_store_edits_count_once_and_a_decline_takes_them_back(void **state)
{
	struct store *st = open_mem();
	struct batch b;
	struct store_counts c = {0, 0, 0};
	struct decision *d;

	(void)state;
	memset(&b, 0, sizeof(b));
	add(&b, 1, 1, 1);
	for (int i = 0; i < 2; i++)
		add_edit(&b, 100, 1, 3, 2);
	add_edit(&b, 101, 1, 4, 0);
	store_begin(st);
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(query_int(st, "SELECT lines_added FROM event WHERE uid = 1"), 7);
	assert_int_equal(query_int(st, "SELECT lines_removed FROM event WHERE uid = 1"), 2);
	assert_int_equal(query_int(st, "SELECT outcome = 'accepted' FROM event WHERE uid = 1"), 1);
	batch_reset(&b);
	for (int i = 0; i < 2; i++) {
		d = batch_add_decision(&b);
		d->edit_id = 101;
		d->kind = DECISION_DECLINED;
	}
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	store_commit(st);
	assert_int_equal(query_int(st, "SELECT lines_added FROM event WHERE uid = 1"), 3);
	assert_int_equal(query_int(st, "SELECT outcome = 'rejected' FROM event WHERE uid = 1"), 1);
	batch_free(&b);
	store_close(st);
}

static struct decision *answer(struct batch *b, uint64_t edit_id, enum decision_kind kind)
{
	struct decision *d = batch_add_decision(b);

	d->edit_id = edit_id;
	d->kind = kind;
	return d;
}

#define EVENT_SQL(col) "SELECT " col " FROM event WHERE uid = 1"

/*
 * Proposed edits count only once answered: written (the answer's lines, or
 * those proposed), failed (nothing), declined (rejected); in the batch of
 * their request or a later one; a copied answer changes nothing.
 */
static void test_store_proposed_edits_count_once_their_answer_says_so(void **state)
{
	struct store *st = open_mem();
	struct batch b;
	struct store_counts c = {0, 0, 0};
	struct decision *d;

	(void)state;
	memset(&b, 0, sizeof(b));
	add(&b, 1, 1, 1);
	add_edit(&b, 200, 1, 9, 9);
	b.edits[0].is_proposed = 1;
	add_edit(&b, 201, 1, 4, 1);
	b.edits[1].is_proposed = 1;
	add_edit(&b, 202, 1, 5, 5);
	b.edits[2].is_proposed = 1;
	/* 200 written: its answer's patch says +2 -1. */
	d = answer(&b, 200, DECISION_APPLIED);
	d->has_lines = 1;
	d->lines_added = 2;
	d->lines_removed = 1;
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(query_int(st, EVENT_SQL("lines_added")), 2);
	assert_int_equal(query_int(st, EVENT_SQL("lines_removed")), 1);
	assert_int_equal(query_int(st, EVENT_SQL("outcome = 'accepted'")), 1);
	/* Later: 201 written with no patch (its proposed lines), 202 failed, and
	 * a copy of 200's answer. */
	batch_reset(&b);
	answer(&b, 201, DECISION_APPLIED);
	answer(&b, 202, DECISION_FAILED);
	d = answer(&b, 200, DECISION_APPLIED);
	d->has_lines = 1;
	d->lines_added = 2;
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(query_int(st, EVENT_SQL("lines_added")), 6);
	assert_int_equal(query_int(st, EVENT_SQL("lines_removed")), 2);
	assert_int_equal(query_int(st, "SELECT group_concat(state, '') FROM "
	                               "(SELECT state FROM edit ORDER BY id)"),
	                 113);
	/* 202 failed for good: a later answer changes nothing. */
	batch_reset(&b);
	answer(&b, 202, DECISION_APPLIED);
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(query_int(st, EVENT_SQL("lines_added")), 6);
	/* An edited answer of a new request's edit, in its batch: edited. */
	batch_reset(&b);
	add(&b, 2, 1, 1);
	add_edit(&b, 203, 2, 1, 0);
	b.edits[0].is_proposed = 1;
	answer(&b, 203, DECISION_APPLIED)->is_modified = 1;
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(query_int(st, "SELECT outcome = 'edited' FROM event WHERE uid = 2"), 1);
	assert_int_equal(query_int(st, "SELECT lines_added FROM event WHERE uid = 2"), 1);
	/* A proposed edit declined: nothing to take back, the request rejected. */
	batch_reset(&b);
	add(&b, 3, 1, 1);
	add_edit(&b, 204, 3, 7, 0);
	b.edits[0].is_proposed = 1;
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	batch_reset(&b);
	answer(&b, 204, DECISION_DECLINED);
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(query_int(st, "SELECT outcome = 'rejected' FROM event WHERE uid = 3"), 1);
	assert_int_equal(query_int(st, "SELECT lines_added FROM event WHERE uid = 3"), 0);
	batch_free(&b);
	store_close(st);
}

/* A new edit of a request stored earlier, or read again in a copy, still counts once. */
static void test_store_new_edits_reach_stored_requests_and_their_rollup(void **state)
{
	struct store *st = open_mem();
	struct batch b;
	struct store_counts c = {0, 0, 0};

	(void)state;
	memset(&b, 0, sizeof(b));
	add(&b, 1, 1, 1);
	add(&b, 2, 1, 1);
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	/* A copy of request 1 with an edit not seen before, and an edit of
	 * request 2, which this batch does not hold. */
	batch_reset(&b);
	add(&b, 1, 1, 1);
	add(&b, 3, 1, 1);
	add_edit(&b, 200, 1, 5, 0);
	add_edit(&b, 201, 2, 6, 0);
	add_edit(&b, 202, 3, 7, 1);
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	/* The same batch again adds nothing. */
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(c.added, 3);
	assert_int_equal(query_int(st, "SELECT lines_added FROM event WHERE uid = 1"), 5);
	assert_int_equal(query_int(st, "SELECT lines_added FROM event WHERE uid = 2"), 6);
	assert_int_equal(query_int(st, "SELECT lines_added FROM event WHERE uid = 3"), 7);
	assert_int_equal(query_int(st, "SELECT lines_removed FROM event WHERE uid = 3"), 1);
	assert_int_equal(query_int(st, "SELECT count(*) FROM event WHERE outcome = 'accepted'"), 3);
	assert_int_equal(query_int(st, "SELECT sum(lines_added) FROM rollup"), 18);
	assert_int_equal(query_int(st, "SELECT sum(lines_removed) FROM rollup"), 1);
	assert_int_equal(query_int(st, "SELECT sum(accepted) FROM rollup"), 3);
	assert_int_equal(query_int(st, "SELECT sum(requests) FROM rollup"), 3);
	batch_free(&b);
	store_close(st);
}

static int collect(const struct store_file *f, void *arg)
{
	struct store_file *out = arg;

	assert_string_equal(f->path, "/logs/a.jsonl");
	assert_string_equal(f->state, "model gpt-5\n");
	out->offset = f->offset;
	out->fp = f->fp;
	out->id = f->id;
	return 0;
}

static void test_store_file_state_round_trips_and_rejects_are_kept_once(void **state)
{
	struct store *st = open_mem();
	struct store_file f, got;
	struct batch b;
	struct store_counts c = {0, 0, 0};
	struct reject *r;

	(void)state;
	memset(&f, 0, sizeof(f));
	memset(&b, 0, sizeof(b));
	f.path = "/logs/a.jsonl";
	f.format = "codex";
	f.state = "model gpt-5\n";
	f.offset = 4096;
	f.fp = 0xfedcba9876543210ULL;
	store_begin(st);
	assert_int_equal(store_file_save(st, &f), 0);
	assert_true(f.id > 0);
	r = batch_add_reject(&b);
	r->line_no = 3;
	r->offset = 200;
	r->reason = "invalid JSON";
	assert_int_equal(store_add_batch(st, f.id, &b, &c), 0);
	assert_int_equal(store_add_batch(st, f.id, &b, &c), 0);
	store_commit(st);
	memset(&got, 0, sizeof(got));
	assert_int_equal(store_files_each(st, collect, &got), 0);
	assert_int_equal(got.offset, 4096);
	assert_int_equal(got.fp, 0xfedcba9876543210ULL);
	assert_int_equal(got.id, f.id);
	assert_int_equal(query_int(st, "SELECT count(*) FROM reject"), 1);
	batch_free(&b);
	store_close(st);
}

static void test_store_rolled_back_batch_leaves_nothing(void **state)
{
	struct store *st = open_mem();
	struct batch b;
	struct store_counts c = {0, 0, 0};

	(void)state;
	memset(&b, 0, sizeof(b));
	add(&b, 9, 1, 1);
	store_begin(st);
	store_add_batch(st, 0, &b, &c);
	store_rollback(st);
	assert_int_equal(query_int(st, "SELECT count(*) FROM event"), 0);
	/* The rolled back request is not taken for a stored one afterwards. */
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(c.added, 1);
	assert_int_equal(query_int(st, "SELECT count(*) FROM event WHERE uid = 9"), 1);
	batch_free(&b);
	store_close(st);
}

/* 70,000 events in one batch, uids from first on, so that the commit merges them. */
static void add_many(struct store *st, uint64_t first, struct store_counts *c)
{
	struct batch b;

	memset(&b, 0, sizeof(b));
	for (uint64_t i = 0; i < 70000; i++)
		add(&b, first + i * 7919, 1, 1);
	assert_int_equal(store_add_batch(st, 0, &b, c), 0);
	batch_free(&b);
}

static void remove_db(const char *dir, const char *path)
{
	for (int i = 0; i < 3; i++) {
		char f[80];

		snprintf(f, sizeof(f), "%s%s", path, (const char *[]){"", "-wal", "-shm"}[i]);
		unlink(f);
	}
	rmdir(dir);
}

/* The recent identities, not merged yet, are read again from the events by a new connection. */
static void test_store_recent_copies_are_known_after_reopening(void **state)
{
	char dir[] = "/tmp/pb_store_XXXXXX", path[64], err[256];
	struct store *st;
	struct store_counts c = {0, 0, 0};
	struct batch b;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	memset(&b, 0, sizeof(b));
	for (uint64_t i = 1; i <= 100; i++)
		add(&b, i * 0x9e3779b97f4a7c15ULL, 1, 1);
	assert_int_equal(store_open(&st, path, err, sizeof(err)), 0);
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	store_close(st);
	assert_int_equal(c.added, 100);

	batch_reset(&b);
	add(&b, 7 * 0x9e3779b97f4a7c15ULL, 1, 30);
	add(&b, 101 * 0x9e3779b97f4a7c15ULL, 1, 1);
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_open(&st, path, err, sizeof(err)), 0);
	assert_int_equal(query_int(st, "SELECT count(*) FROM uid_merged"), 0);
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(c.added, 1);
	assert_int_equal(c.duplicates, 1);
	assert_int_equal(query_int(st, "SELECT count(*) FROM event"), 101);
	assert_int_equal(query_int(st, "SELECT sum(output_tokens) FROM event"), 130);
	batch_free(&b);
	store_close(st);
	remove_db(dir, path);
}

/*
 * A database of schema 007 keeps identities in uid_recent and uid_merged;
 * migration 008 merges the recent ones, and copies of both kinds are still
 * found afterwards.
 */
static void test_store_migration_008_keeps_every_identity(void **state)
{
	char dir[] = "/tmp/pb_store_XXXXXX", path[64], err[256];
	struct store *st;
	struct store_counts c = {0, 0, 0};
	struct batch b;
	sqlite3 *db;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (size_t i = 0; i < 7; i++)
		exec_ok(db, schema_files[i].sql);
	exec_ok(db,
	        "PRAGMA user_version = 7; "
	        "INSERT INTO name (id, text) VALUES (1, 'ana'), (2, 'claude-code'), (3, 'm'); "
	        "INSERT INTO event (id, uid, ts, developer_id, tool_id, model_id, input_tokens, "
	        "output_tokens) VALUES (1, 101, 1795183391123, 1, 2, 3, 1, 1), "
	        "(2, 102, 1795183391123, 1, 2, 3, 1, 1), (3, 103, 1795183391123, 1, 2, 3, 1, 1); "
	        "INSERT INTO uid_merged (uid, event_id) VALUES (101, 1); "
	        "INSERT INTO uid_recent (uid, event_id) VALUES (102, 2), (103, 3)");
	assert_int_equal(sqlite3_close(db), SQLITE_OK);

	assert_int_equal(store_open(&st, path, err, sizeof(err)), 0);
	assert_int_equal(
	    query_int(st, "SELECT count(*) FROM sqlite_master WHERE name = 'uid_recent'"), 0);
	assert_int_equal(query_int(st, "SELECT count(*) FROM uid_merged"), 3);
	assert_int_equal(query_int(st, "SELECT value FROM meta WHERE key = 'uids_merged_through'"),
	                 3);
	memset(&b, 0, sizeof(b));
	add(&b, 101, 1, 5);
	add(&b, 103, 1, 7);
	add(&b, 104, 1, 1);
	assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	assert_int_equal(c.added, 1);
	assert_int_equal(c.duplicates, 2);
	assert_int_equal(query_int(st, "SELECT output_tokens FROM event WHERE uid = 101"), 5);
	assert_int_equal(query_int(st, "SELECT output_tokens FROM event WHERE uid = 103"), 7);
	assert_int_equal(query_int(st, "SELECT count(*) FROM event"), 4);
	batch_free(&b);
	store_close(st);
	remove_db(dir, path);
}

/*
 * Commits that leave 4,000 pages (32 MB) in the WAL start the checkpointer:
 * the database file grows while the store is still open, which a writer
 * checkpointing only at 16,000 pages or at its close would not do.
 */
static void test_store_a_large_wal_is_checkpointed_beside_the_writer(void **state)
{
	char dir[] = "/tmp/pb_store_XXXXXX", path[64], wal[80], err[256];
	struct store *st;
	struct store_counts c = {0, 0, 0};
	struct batch b;
	uint64_t uid = 1;
	int waited_ms = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	assert_int_equal(store_open(&st, path, err, sizeof(err)), 0);
	memset(&b, 0, sizeof(b));
	while (file_size(wal) < 34 * 1000 * 1000) {
		batch_reset(&b);
		for (int i = 0; i < 5000; i++) {
			struct event *e = add(&b, uid++ * 0x9e3779b97f4a7c15ULL, 1, 1);

			/* Sessions spread over days: each commit dirties pages all over. */
			e->session = (uid % 2 ? "s1" : "s2");
			e->ts_ms += (int64_t)(uid % 97) * 86400000;
		}
		assert_int_equal(store_add_batch(st, 0, &b, &c), 0);
	}
	while (file_size(path) < 4 * 1000 * 1000 && waited_ms < 10000) {
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
		waited_ms += 10;
	}
	assert_true(file_size(path) >= 4 * 1000 * 1000);
	assert_int_equal(query_int(st, "SELECT count(*) FROM event"), (int64_t)uid - 1);
	batch_free(&b);
	store_close(st);
	remove_db(dir, path);
}

/*
 * Identities of events past uids_merged_through move to uid_merged: a copy
 * is known either way, by this connection or by another one, whose filter of
 * uids is made again once it sees the other's commit.
 */
static void test_store_copies_are_found_recent_merged_and_across_connections(void **state)
{
	char dir[] = "/tmp/pb_store_XXXXXX", path[64], err[256];
	struct store *a, *b;
	struct store_counts c = {0, 0, 0};
	struct batch batch;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	assert_int_equal(store_open(&a, path, err, sizeof(err)), 0);
	assert_int_equal(store_open(&b, path, err, sizeof(err)), 0);
	memset(&batch, 0, sizeof(batch));
	add(&batch, 5, 10, 10);
	add_edit(&batch, 50, 5, 3, 1);
	assert_int_equal(store_add_batch(a, 0, &batch, &c), 0);
	add_many(a, 1001, &c);
	assert_int_equal(c.added, 70001);
	assert_int_equal(query_int(a, "SELECT value FROM meta WHERE key = 'uids_merged_through'"),
	                 70001);
	assert_int_equal(query_int(a, "SELECT count(*) FROM uid_merged"), 70001);

	/* A larger copy of a merged request, from the other connection. */
	batch_reset(&batch);
	add(&batch, 5, 10, 99);
	add(&batch, 1001 + 3 * 7919, 1, 1);
	add(&batch, 6, 1, 1);
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_add_batch(b, 0, &batch, &c), 0);
	assert_int_equal(c.added, 1);
	assert_int_equal(c.duplicates, 2);
	assert_int_equal(query_int(b, "SELECT output_tokens FROM event WHERE uid = 5"), 99);
	assert_int_equal(query_int(b, "SELECT lines_added FROM event WHERE uid = 5"), 3);
	add_many(b, 1002, &c); /* b's merge takes request 6 into uid_merged */
	assert_int_equal(query_int(b, "SELECT value FROM meta WHERE key = 'uids_merged_through'"),
	                 query_int(b, "SELECT max(id) FROM event"));

	/* b's new request is a copy for a too, and so is a copy within one batch. */
	batch_reset(&batch);
	add(&batch, 6, 1, 40);
	add(&batch, 7, 1, 1);
	add(&batch, 7, 1, 30);
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_add_batch(a, 0, &batch, &c), 0);
	assert_int_equal(c.added, 1);
	assert_int_equal(c.duplicates, 2);
	assert_int_equal(query_int(a, "SELECT output_tokens FROM event WHERE uid = 6"), 40);
	assert_int_equal(query_int(a, "SELECT output_tokens FROM event WHERE uid = 7"), 30);
	assert_int_equal(query_int(a, "SELECT count(*) FROM event"), 140003);
	assert_int_equal(query_int(a, "SELECT count(*) FROM event e WHERE e.id = (SELECT "
	                              "event_id FROM uid_merged WHERE uid = e.uid) OR e.id > "
	                              "(SELECT value FROM meta WHERE key = 'uids_merged_through')"),
	                 140003);
	batch_free(&batch);
	store_close(a);
	store_close(b);
	remove_db(dir, path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_store_migrations_set_the_schema_version),
	    cmocka_unit_test(test_store_counts_an_event_once_and_keeps_the_largest_copy),
	    cmocka_unit_test(test_store_edits_count_once_and_a_decline_takes_them_back),
	    cmocka_unit_test(test_store_proposed_edits_count_once_their_answer_says_so),
	    cmocka_unit_test(test_store_new_edits_reach_stored_requests_and_their_rollup),
	    cmocka_unit_test(test_store_file_state_round_trips_and_rejects_are_kept_once),
	    cmocka_unit_test(test_store_rolled_back_batch_leaves_nothing),
	    cmocka_unit_test(test_store_recent_copies_are_known_after_reopening),
	    cmocka_unit_test(test_store_migration_008_keeps_every_identity),
	    cmocka_unit_test(test_store_a_large_wal_is_checkpointed_beside_the_writer),
	    cmocka_unit_test(test_store_copies_are_found_recent_merged_and_across_connections),
	};

	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
