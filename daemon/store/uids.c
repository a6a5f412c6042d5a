/*
 * uids.c - stored identities. A new event's uid is looked up among the
 * recent ones in memory, then in the filter, and only then in uid_merged;
 * it is written once, in its event's row. Every RECENT_UIDS_MAX events the
 * recent uids are added to uid_merged in uid order, so a merge writes each
 * page of that large index once for all of them, and no commit dirties a
 * page of it per event.
 */
#include "uids.h"

#include <stdlib.h>

#include "bloom.h"
#include "../lib/log.h"
#include "sql.h"
#include "uidmap.h"

/* 7/8 of 65,536: past 65,536 the map of recent uids doubles to 262,144
 * slots (4 MB), and the daemon's commits, a few thousand events each,
 * merge before that. */
#define RECENT_UIDS_MAX 57344

enum { S_FIND_MERGED, S_ALL_MERGED, S_RECENT, S_MERGED_THROUGH, S_SET_MERGED_THROUGH, S_COUNT };

static const char *const stmt_sql[S_COUNT] = {
    [S_FIND_MERGED] = "SELECT event_id FROM uid_merged WHERE uid = ?1",
    [S_ALL_MERGED] = "SELECT uid FROM uid_merged",
    [S_RECENT] = "SELECT uid, id FROM event WHERE id > ?1",
    [S_MERGED_THROUGH] = "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta "
                         "WHERE key = 'uids_merged_through'), 0)",
    [S_SET_MERGED_THROUGH] = "INSERT INTO meta (key, value) VALUES ('uids_merged_through', ?1) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
};

/* OR IGNORE for the statement journal: a uid is merged once. */
static const char merge_head[] = "INSERT OR IGNORE INTO uid_merged (uid, event_id) VALUES ";

struct uids {
	sqlite3_stmt *stmt[S_COUNT];
	sqlite3_stmt *merge_rows[SQL_N_ROW_COUNTS]; /* sql_row_counts[k] rows each */
	/* Every stored uid, while is_filter_known: what it lacks needs no lookup. */
	struct bloom filter;
	int is_filter_known;
	/* The uid and rowid of every event past merged_through, rows still to
	 * be written included, while is_recent_known. */
	struct uidmap recent;
	int64_t merged_through;
	int64_t last_row; /* the largest rowid stored or recorded: events are never deleted */
	int is_recent_known;
};

struct uids *uids_new(sqlite3 *db)
{
	struct uids *u = calloc(1, sizeof(*u));

	if (u == NULL)
		return NULL;
	for (int i = 0; i < S_COUNT; i++)
		if (sql_prepare(db, stmt_sql[i], &u->stmt[i]) < 0)
			goto fail;
	for (int k = 0; k < SQL_N_ROW_COUNTS; k++)
		if (sql_prepare_rows(db, merge_head, 2, sql_row_counts[k], &u->merge_rows[k]) < 0)
			goto fail;
	return u;
fail:
	log_err("database: preparing statement: %s", sqlite3_errmsg(db));
	uids_free(u);
	return NULL;
}

void uids_free(struct uids *u)
{
	if (u == NULL)
		return;
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(u->stmt[i]);
	for (int k = 0; k < SQL_N_ROW_COUNTS; k++)
		sqlite3_finalize(u->merge_rows[k]);
	bloom_free(&u->filter);
	uidmap_free(&u->recent);
	free(u);
}

void uids_forget(struct uids *u)
{
	u->is_recent_known = 0;
	uidmap_clear(&u->recent);
}

/*
 * Reads the uids of the events past merged_through (read before) into memory,
 * and adds them to the filter if asked; the largest rowid is among them, or
 * it is merged_through.
 */
static int load_recent(struct uids *u, int is_filter_too)
{
	sqlite3_stmt *s = u->stmt[S_RECENT];
	int rc;

	uids_forget(u);
	u->last_row = u->merged_through;
	sqlite3_bind_int64(s, 1, u->merged_through);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		uint64_t uid = (uint64_t)sqlite3_column_int64(s, 0);
		int64_t row = sqlite3_column_int64(s, 1);

		if (uidmap_put(&u->recent, uid, row) < 0) {
			sqlite3_reset(s);
			log_err("out of memory for the recent uids");
			return -1;
		}
		if (row > u->last_row)
			u->last_row = row;
		if (is_filter_too)
			bloom_add(&u->filter, uid);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		log_err("database: %s", sqlite3_errmsg(sqlite3_db_handle(s)));
		return -1;
	}
	u->is_recent_known = 1;
	return 0;
}

/* Fills the filter with every stored uid, and the recent ones in memory. */
static int load_all(struct uids *u)
{
	sqlite3_stmt *s = u->stmt[S_ALL_MERGED];
	size_t n;
	int rc;

	u->is_filter_known = 0;
	if (sql_step_int64(u->stmt[S_MERGED_THROUGH], &u->merged_through) < 0)
		return -1;
	/* uid_merged holds at most merged_through uids, the recent ones fewer
	 * than two merges' worth. Room to grow by a quarter too before it is
	 * made again: 10 bits a uid, about 1.5 MB per million events. */
	n = (size_t)u->merged_through;
	if (bloom_init(&u->filter, n + n / 4 + (size_t)2 * RECENT_UIDS_MAX) < 0) {
		log_err("out of memory for the filter of %zu uids", n);
		return -1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		bloom_add(&u->filter, (uint64_t)sqlite3_column_int64(s, 0));
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		log_err("database: %s", sqlite3_errmsg(sqlite3_db_handle(s)));
		return -1;
	}
	if (load_recent(u, 1) < 0)
		return -1;
	u->is_filter_known = 1;
	return 0;
}

int uids_begin(struct uids *u, int is_stale)
{
	if (is_stale || !u->is_filter_known)
		return load_all(u);
	if (u->is_recent_known)
		return 0;
	if (sql_step_int64(u->stmt[S_MERGED_THROUGH], &u->merged_through) < 0)
		return -1;
	return load_recent(u, 0);
}

int64_t uids_last_row(const struct uids *u)
{
	return u->last_row;
}

int uids_find(struct uids *u, uint64_t uid, int64_t *row)
{
	sqlite3_stmt *s = u->stmt[S_FIND_MERGED];
	int rc;

	if (uidmap_get(&u->recent, uid, row))
		return 1;
	if (!bloom_has(&u->filter, uid))
		return 0;
	sqlite3_bind_int64(s, 1, (int64_t)uid);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*row = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		log_err("database: %s", sqlite3_errmsg(sqlite3_db_handle(s)));
		return -1;
	}
	return rc == SQLITE_ROW;
}

int uids_add(struct uids *u, uint64_t uid, int64_t row)
{
	if (uidmap_put(&u->recent, uid, row) < 0) {
		log_err("out of memory for the recent uids");
		return -1;
	}
	if (row > u->last_row)
		u->last_row = row;
	bloom_add(&u->filter, uid);
	if (bloom_is_full(&u->filter))
		u->is_filter_known = 0; /* made again, larger, at the next transaction */
	return 0;
}

int uids_merge(struct uids *u)
{
	const struct uidmap *m = &u->recent;
	size_t n, from = 0;
	int64_t through = u->merged_through;
	int rc = 0;

	if (m->n < RECENT_UIDS_MAX)
		return 0;
	n = uidmap_sort(&u->recent);
	for (int k = 0; k < SQL_N_ROW_COUNTS && rc == 0; k++) {
		sqlite3_stmt *s = u->merge_rows[k];
		size_t rows = (size_t)sql_row_counts[k];

		for (; rc == 0 && n - from >= rows; from += rows) {
			for (size_t r = 0; r < rows; r++) {
				sqlite3_bind_int64(s, 2 * (int)r + 1, (int64_t)m->uids[from + r]);
				sqlite3_bind_int64(s, 2 * (int)r + 2, m->rows[from + r]);
				if (m->rows[from + r] > through)
					through = m->rows[from + r];
			}
			rc = sql_step_done(s);
		}
	}
	/* Sorted, it is no longer a map: after a failure it is read again. */
	uidmap_clear(&u->recent);
	if (rc == 0) {
		sqlite3_bind_int64(u->stmt[S_SET_MERGED_THROUGH], 1, through);
		rc = sql_step_done(u->stmt[S_SET_MERGED_THROUGH]);
	}
	if (rc < 0) {
		uids_forget(u);
		return -1;
	}
	log_debug("store: %zu uids merged", n);
	u->merged_through = through;
	return 0;
}
