/*
 * store.c - SQLite storage.
 *
 * Migrations are the numbered files of schema/, compiled into the binary and
 * applied in order, each in its own transaction with PRAGMA user_version
 * recording the last one applied. WAL lets reports read while ingest writes.
 * synchronous=NORMAL in WAL mode can lose the last commits on power loss but
 * never leaves the database inconsistent: offsets and events are committed
 * together, so a lost commit is simply read again.
 */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../lib/buf.h"
#include "checkpoint.h"
#include "latest.h"
#include "../lib/log.h"
#include "schema_sql.h"
#include "rollup.h"
#include "sql.h"
#include "uids.h"
#include "../lib/util.h"

#define EVENT_COLUMNS 26
/* WAL pages that call for a checkpoint on the checkpointer's thread, and
 * those that call for one on the writer's own when there is no such thread. */
#define CHECKPOINT_PAGES        4000
#define CHECKPOINT_INLINE_PAGES 16000

/*
 * OR IGNORE: a multi-row statement that may abort keeps a statement
 * journal, a copy of every page it touches. No row can fail a constraint:
 * copies of stored requests were told apart by their uid before.
 */
static const char event_insert_head[] =
    "INSERT OR IGNORE INTO event (uid, ts, developer_id, tool_id, model_id, task_id, project_id, "
    "session_id, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, "
    "reasoning_tokens, latency_ms, outcome, lines_added, lines_removed, lines_suggested, "
    "lines_accepted, cost_usd, plan_used_pct, source_id, source_offset, prompts, gap_ms, "
    "cache_write_1h_tokens) VALUES ";

enum {
	S_EDIT_INSERT,
	S_EDIT_APPLY,
	S_EDIT_ANSWER,
	S_EDIT_DECLINED,
	S_EDIT_DECLINE,
	S_REJECT,
	S_FILE_INSERT,
	S_FILE_UPDATE,
	S_NAME_FIND,
	S_NAME_ADD,
	S_STREAM_OPEN,
	S_STREAM_ADD,
	S_SESSION_LINES,
	S_SESSION_DECISION,
	S_EVENT_KEEP_LARGER,
	S_EVENT_SESSION,
	S_LIMIT,
	S_PROMPT,
	S_SESSION_LATEST,
	S_ALONE_LATEST,
	S_COUNT
};

/* Updates of events are OR IGNORE for the reason inserts are: no statement
 * journal. None of them can fail a constraint. */
static const char *const stmt_sql[S_COUNT] = {
    [S_EDIT_INSERT] = "INSERT OR IGNORE INTO edit (id, event_uid, lines_added, lines_removed, "
                      "state, proposed_added, proposed_removed) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    /* What edits and their answers do to a request: lines added or taken
     * back, and the outcome they make (0: as it was, or accepted with has_edit). */
    [S_EDIT_APPLY] = "UPDATE OR IGNORE event SET lines_added = max(0, lines_added + ?2), "
                     "lines_removed = max(0, lines_removed + ?3), outcome = CASE ?4 "
                     "WHEN 2 THEN 'rejected' WHEN 3 THEN 'edited' ELSE (CASE WHEN ?5 THEN "
                     "coalesce(outcome, 'accepted') ELSE outcome END) END WHERE id = ?1",
    /* A proposed edit applied (its answer's lines, else those proposed) or failed. */
    [S_EDIT_ANSWER] = "UPDATE edit SET state = ?2, lines_added = CASE WHEN ?2 <> 1 THEN 0 "
                      "WHEN ?3 THEN ?4 ELSE proposed_added END, lines_removed = CASE "
                      "WHEN ?2 <> 1 THEN 0 WHEN ?3 THEN ?5 ELSE proposed_removed END "
                      "WHERE id = ?1 AND state = 0 RETURNING event_uid, lines_added, "
                      "lines_removed",
    /* A declined edit takes back what it added, if anything. */
    [S_EDIT_DECLINED] = "SELECT event_uid, lines_added, lines_removed FROM edit "
                        "WHERE id = ?1 AND state IN (0, 1)",
    [S_EDIT_DECLINE] = "UPDATE edit SET state = 2, is_declined = 1, lines_added = 0, "
                       "lines_removed = 0 WHERE id = ?1",
    [S_REJECT] = "INSERT OR IGNORE INTO reject (source_id, line_no, offset, reason, excerpt, "
                 "at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [S_FILE_INSERT] = "INSERT INTO source_file (path, first_read) VALUES (?1, ?2) "
                      "ON CONFLICT (path) DO UPDATE SET path = path RETURNING id",
    [S_FILE_UPDATE] = "UPDATE source_file SET format = ?2, developer = ?3, dev = ?4, ino = ?5, "
                      "size = ?6, mtime_ns = ?7, offset = ?8, line_no = ?9, fp_len = ?10, "
                      "fp = ?11, state = ?12, events = ?13, rejected = ?14, last_read = ?15 "
                      "WHERE id = ?1",
    [S_NAME_FIND] = "SELECT id FROM name WHERE text = ?1",
    [S_NAME_ADD] = "INSERT INTO name (text) VALUES (?1)",
    [S_STREAM_OPEN] = "INSERT INTO source_file (path, format, first_read) VALUES (?1, ?2, ?3) "
                      "ON CONFLICT (path) DO UPDATE SET format = ?2 RETURNING id, offset",
    [S_STREAM_ADD] = "UPDATE source_file SET offset = offset + ?2, size = offset + ?2, "
                     "line_no = line_no + ?3, events = events + ?4, "
                     "rejected = rejected + ?5, last_read = ?6 WHERE id = ?1",
    [S_SESSION_LINES] = "UPDATE OR IGNORE event SET lines_added = lines_added + ?2, "
                        "lines_removed = lines_removed + ?3 WHERE id = "
                        "(SELECT e.id FROM event e WHERE e.session_id = "
                        "(SELECT id FROM name WHERE text = ?1) ORDER BY e.ts DESC LIMIT 1)",
    /* accept after reject (or reject after accept) is an edited answer. */
    [S_SESSION_DECISION] = "UPDATE OR IGNORE event SET outcome = CASE WHEN ?3 THEN "
                           "(CASE WHEN outcome IN ('rejected', 'edited') THEN 'edited' "
                           "ELSE 'accepted' END) ELSE "
                           "(CASE WHEN outcome IN ('accepted', 'edited') THEN 'edited' "
                           "ELSE 'rejected' END) END WHERE id = "
                           "(SELECT e.id FROM event e WHERE e.session_id = "
                           "(SELECT id FROM name WHERE text = ?1) AND e.ts <= ?2 "
                           "ORDER BY e.ts DESC LIMIT 1)",
    /* A second copy of a request keeps the copy with the largest token total:
     * Claude streams a response over several lines, the last carrying the
     * final count, and any copy may be read first. */
    [S_EVENT_KEEP_LARGER] = "UPDATE OR IGNORE event SET input_tokens = ?2, cache_read_tokens = ?3, "
                            "cache_write_tokens = ?4, output_tokens = ?5, reasoning_tokens = ?6, "
                            "cache_write_1h_tokens = ?7 "
                            "WHERE id = ?1 AND ?2 + ?3 + ?4 + ?5 > "
                            "input_tokens + cache_read_tokens + cache_write_tokens + output_tokens",
    /* Copies of a request may name different sessions (Claude Code copies a
     * session's lines into the one that resumes it): the row keeps the
     * smallest name, so that which file is read first changes nothing. */
    [S_EVENT_SESSION] = "UPDATE OR IGNORE event SET session_id = ?2 WHERE id = ?1 AND "
                        "session_id IS NOT NULL AND session_id <> ?2 AND "
                        "(SELECT text FROM name WHERE id = session_id) > "
                        "(SELECT text FROM name WHERE id = ?2)",
    [S_LIMIT] = "INSERT OR IGNORE INTO limit_hit (id, ts, developer_id, tool_id, model_id) "
                "VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_PROMPT] = "INSERT OR IGNORE INTO prompt (key) VALUES (?1)",
    [S_SESSION_LATEST] = "SELECT ts, uid FROM event WHERE session_id = ?1 "
                         "ORDER BY ts DESC, uid DESC LIMIT 1",
    [S_ALONE_LATEST] = "SELECT ts, uid FROM event WHERE developer_id = ?1 AND session_id IS NULL "
                       "ORDER BY ts DESC, uid DESC LIMIT 1",
};

/* Names already resolved to ids, by text: most events repeat a few names. */
struct name_slot {
	char *text;
	uint64_t hash;
	int64_t id;
};

/* Lines of new edits held for an event of the batch, written with its row. */
struct fold {
	int64_t added, removed;
	int has_edit;         /* an edit was written: accepted, unless decided */
	enum outcome decided; /* rejected or edited by an answer; 0: not decided */
	int64_t prompts;      /* the event's own, or what its prompt key counts */
};

struct store {
	sqlite3 *db;
	struct checkpointer *ckpt; /* started by the first commit that needs it */
	int wal_pages;             /* in the WAL after the last commit */
	int is_ckpt_failed;
	sqlite3_stmt *stmt[S_COUNT];
	sqlite3_stmt *event_rows[SQL_N_ROW_COUNTS]; /* sql_row_counts[k] events each */
	int in_tx;
	struct rollup *roll;
	struct name_slot *names;
	size_t n_names, cap_names; /* cap is a power of two */
	/* Per batch: a fold per event, and a map from uid to the event's first index. */
	struct fold *folds;
	size_t cap_folds;
	uint32_t *uid_slots;            /* index + 1, 0 for empty */
	size_t cap_uid_slots, uid_mask; /* the batch's map uses uid_mask + 1 slots */
	struct uids *ids;
	struct latest *latest; /* each session's latest request, for gaps at insert */
};

static void names_clear(struct store *st)
{
	for (size_t i = 0; i < st->cap_names; i++)
		free(st->names[i].text);
	free(st->names);
	st->names = NULL;
	st->n_names = st->cap_names = 0;
}

int store_is_busy(struct store *st)
{
	int rc = sqlite3_errcode(st->db);

	return rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
}

static const char *const outcome_names[] = {NULL, "accepted", "rejected", "edited"};

static int exec(struct store *st, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		/* Another process holding the lock is for the caller to retry, not a fault. */
		(store_is_busy(st) ? log_warn : log_err)("database: %s",
		                                         msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int store_schema_version(struct store *st)
{
	sqlite3_stmt *s;
	int v = -1;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

static int migrate(struct store *st, char *err, size_t errlen)
{
	int version = store_schema_version(st);
	char pragma[64];

	if (version < 0) {
		snprintf(err, errlen, "cannot read schema version: %s", sqlite3_errmsg(st->db));
		return -1;
	}
	if ((size_t)version > ARRAY_LEN(schema_files)) {
		snprintf(err, errlen,
		         "database schema version %d is newer than this paybackd knows (%zu)",
		         version, ARRAY_LEN(schema_files));
		return -1;
	}
	for (size_t i = (size_t)version; i < ARRAY_LEN(schema_files); i++) {
		char *msg = NULL;

		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %zu", i + 1);
		if (exec(st, "BEGIN IMMEDIATE") < 0)
			goto fail;
		if (sqlite3_exec(st->db, schema_files[i].sql, NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(st->db, pragma, NULL, NULL, &msg) != SQLITE_OK) {
			snprintf(err, errlen, "migration %s: %s", schema_files[i].name,
			         msg ? msg : sqlite3_errmsg(st->db));
			sqlite3_free(msg);
			exec(st, "ROLLBACK");
			return -1;
		}
		if (exec(st, "COMMIT") < 0)
			goto fail;
		log_debug("applied migration %s", schema_files[i].name);
	}
	return 0;
fail:
	snprintf(err, errlen, "migration failed: %s", sqlite3_errmsg(st->db));
	return -1;
}

/*
 * Memory statistics cost a global mutex on every allocation; Payback does not
 * read them. Must run before SQLite initialises, so it happens once, first.
 */
static void configure_sqlite_once(void)
{
	static int is_done;

	if (!is_done) {
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
		is_done = 1;
	}
}

static int count_wal_pages(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct store *st = arg;

	(void)db;
	(void)name;
	st->wal_pages = pages;
	return SQLITE_OK;
}

/*
 * The WAL is copied into the database by the checkpointer's thread, beside
 * the writer; a checkpoint on the writer's thread stopped it for as long,
 * and its connection's close for a last large one.
 */
static void after_commit(struct store *st)
{
	if (st->wal_pages < CHECKPOINT_PAGES)
		return;
	/* The file's full name, which no later change of directory can alter. */
	if (st->ckpt == NULL && !st->is_ckpt_failed &&
	    checkpointer_start(&st->ckpt, sqlite3_db_filename(st->db, "main")) < 0)
		st->is_ckpt_failed = 1;
	if (st->ckpt)
		checkpointer_poke(st->ckpt);
	else if (st->wal_pages >= CHECKPOINT_INLINE_PAGES)
		sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

int store_open(struct store **out, const char *path, char *err, size_t errlen)
{
	struct store *st = calloc(1, sizeof(*st));

	configure_sqlite_once();
	*out = NULL;
	if (st == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* One connection per thread that uses it: SQLite's own locking is not needed. */
	if (sqlite3_open_v2(path, &st->db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
		         st->db ? sqlite3_errmsg(st->db) : "cannot open database");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 10000);
	/* Before migrating: the triggers that keep the rollup call pb_roll. */
	if ((st->roll = rollup_new(st->db)) == NULL) {
		snprintf(err, errlen, "%s: cannot register the rollup function", path);
		goto fail;
	}
	/* 12 MB of page cache: the indexes outgrow any cache that fits the memory
	 * budget, and the kernel's page cache serves the rest; 24 MB measured no
	 * faster for file or HTTP ingest and held 16 MB more under load.
	 * CHECK constraints off: SQLite builds a temporary table for the IN list
	 * of event.outcome's check on every row written (about a fifth of
	 * the writer's time), and this connection only ever binds outcome_names.
	 * Migrations checkpoint every 16,000 pages (128 MB of WAL); after them
	 * the checkpointer's thread does (after_commit). The WAL file is cut
	 * back to 32 MB. */
	if (exec(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
	             "PRAGMA foreign_keys = OFF; PRAGMA cache_size = -12000; PRAGMA page_size = "
	             "8192; PRAGMA wal_autocheckpoint = 16000; "
	             "PRAGMA journal_size_limit = 33554432; "
	             "PRAGMA ignore_check_constraints = ON") < 0) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(st->db));
		goto fail;
	}
	/* Temporary data on disk while migrating: an index built over every event
	 * sorts them all. In memory afterwards, where it is small. */
	if (migrate(st, err, errlen) < 0)
		goto fail;
	/* From here on, checkpoints are asked for after each commit (after_commit). */
	sqlite3_wal_hook(st->db, count_wal_pages, st);
	if (exec(st, "PRAGMA temp_store = MEMORY") < 0) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(st->db));
		goto fail;
	}

	for (int i = 0; i < S_COUNT; i++)
		if (sql_prepare(st->db, stmt_sql[i], &st->stmt[i]) < 0)
			goto prepare_failed;
	for (int k = 0; k < SQL_N_ROW_COUNTS; k++)
		if (sql_prepare_rows(st->db, event_insert_head, EVENT_COLUMNS, sql_row_counts[k],
		                     &st->event_rows[k]) < 0)
			goto prepare_failed;
	if ((st->ids = uids_new(st->db)) == NULL || (st->latest = latest_new()) == NULL)
		goto prepare_failed;
	*out = st;
	return 0;
prepare_failed:
	snprintf(err, errlen, "%s: preparing statement: %s", path, sqlite3_errmsg(st->db));
fail:
	store_close(st);
	return -1;
}

void store_close(struct store *st)
{
	if (st == NULL)
		return;
	/* First: the last connection to close checkpoints what is left. */
	checkpointer_stop(st->ckpt);
	names_clear(st);
	uids_free(st->ids);
	latest_free(st->latest);
	free(st->folds);
	free(st->uid_slots);
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	for (int k = 0; k < SQL_N_ROW_COUNTS; k++)
		sqlite3_finalize(st->event_rows[k]);
	if (st->db) {
		if (st->in_tx)
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		rollup_free(st->roll);
		sqlite3_close(st->db);
	}
	free(st);
}

sqlite3 *store_db(struct store *st)
{
	return st->db;
}

const char *store_errmsg(struct store *st)
{
	return sqlite3_errmsg(st->db);
}

int store_begin(struct store *st)
{
	int rc;

	if (st->in_tx)
		return 0;
	if (exec(st, "BEGIN IMMEDIATE") < 0)
		return -1;
	st->in_tx = 1;
	/* Another connection may have stored uids this one's filter lacks. */
	if ((rc = rollup_begin(st->roll)) < 0 || uids_begin(st->ids, rc > 0) < 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

static int commit(struct store *st, int may_defer)
{
	if (!st->in_tx)
		return 0;
	if (uids_merge(st->ids) < 0 || rollup_flush(st->roll, may_defer) < 0) {
		store_rollback(st);
		return -1;
	}
	st->in_tx = 0;
	if (exec(st, "COMMIT") < 0) {
		rollup_discard(st->roll); /* what it kept may not have been committed */
		uids_forget(st->ids);
		return -1;
	}
	after_commit(st);
	return 0;
}

int store_commit(struct store *st)
{
	return commit(st, 0);
}

int store_commit_more(struct store *st)
{
	return commit(st, 1);
}

int store_rollup_is_behind(struct store *st)
{
	return !st->in_tx && rollup_is_behind(st->roll);
}

void store_rollup_defer(struct store *st, long long ms)
{
	rollup_set_defer(st->roll, ms);
}

int store_rollup_sync(struct store *st)
{
	if (!store_rollup_is_behind(st))
		return 0;
	return store_begin(st) == 0 && store_commit(st) == 0 ? 0 : -1;
}

void store_rollback(struct store *st)
{
	if (st->in_tx)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	rollup_discard(st->roll);
	st->in_tx = 0;
	uids_forget(st->ids);
	latest_clear(st->latest);
	/* Names added in the rolled back transaction are gone again. */
	names_clear(st);
}

static const char *col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

int store_files_each(struct store *st, int (*fn)(const struct store_file *f, void *arg), void *arg)
{
	sqlite3_stmt *s;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(st->db,
	                       "SELECT id, path, format, developer, state, dev, ino, size, "
	                       "mtime_ns, offset, line_no, fp_len, fp, events, rejected, last_read "
	                       "FROM source_file",
	                       -1, &s, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_file f = {
		    .id = sqlite3_column_int64(s, 0),
		    .path = (char *)col_text(s, 1),
		    .format = (char *)col_text(s, 2),
		    .developer = (char *)col_text(s, 3),
		    .state = (char *)col_text(s, 4),
		    .dev = sqlite3_column_int64(s, 5),
		    .ino = sqlite3_column_int64(s, 6),
		    .size = sqlite3_column_int64(s, 7),
		    .mtime_ns = sqlite3_column_int64(s, 8),
		    .offset = sqlite3_column_int64(s, 9),
		    .line_no = sqlite3_column_int64(s, 10),
		    .fp_len = sqlite3_column_int64(s, 11),
		    .fp = (uint64_t)sqlite3_column_int64(s, 12),
		    .events = sqlite3_column_int64(s, 13),
		    .rejected = sqlite3_column_int64(s, 14),
		    .last_read = sqlite3_column_int64(s, 15),
		};
		if (fn(&f, arg) < 0) {
			ret = -1;
			break;
		}
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = -1;
	sqlite3_finalize(s);
	return ret;
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

int store_file_save(struct store *st, struct store_file *f)
{
	sqlite3_stmt *s;

	if (f->id == 0) {
		s = st->stmt[S_FILE_INSERT];
		bind_text(s, 1, f->path);
		sqlite3_bind_int64(s, 2, (int64_t)time(NULL));
		if (sqlite3_step(s) == SQLITE_ROW)
			f->id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		if (f->id == 0) {
			log_err("database: %s", sqlite3_errmsg(st->db));
			return -1;
		}
	}
	s = st->stmt[S_FILE_UPDATE];
	sqlite3_bind_int64(s, 1, f->id);
	bind_text(s, 2, f->format);
	bind_text(s, 3, f->developer);
	sqlite3_bind_int64(s, 4, f->dev);
	sqlite3_bind_int64(s, 5, f->ino);
	sqlite3_bind_int64(s, 6, f->size);
	sqlite3_bind_int64(s, 7, f->mtime_ns);
	sqlite3_bind_int64(s, 8, f->offset);
	sqlite3_bind_int64(s, 9, f->line_no);
	sqlite3_bind_int64(s, 10, f->fp_len);
	sqlite3_bind_int64(s, 11, (int64_t)f->fp);
	bind_text(s, 12, f->state ? f->state : "");
	sqlite3_bind_int64(s, 13, f->events);
	sqlite3_bind_int64(s, 14, f->rejected);
	sqlite3_bind_int64(s, 15, f->last_read);
	return sql_step_done(s);
}

int store_stream_open(struct store *st, const char *name, const char *format, int64_t *id,
                      int64_t *offset)
{
	sqlite3_stmt *s = st->stmt[S_STREAM_OPEN];
	int rc = -1;

	bind_text(s, 1, name);
	bind_text(s, 2, format);
	sqlite3_bind_int64(s, 3, (int64_t)time(NULL));
	if (sqlite3_step(s) == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		*offset = sqlite3_column_int64(s, 1);
		rc = 0;
	}
	sqlite3_reset(s);
	return rc;
}

int store_stream_add(struct store *st, int64_t id, int64_t bytes, int64_t lines,
                     const struct store_counts *c)
{
	sqlite3_stmt *s = st->stmt[S_STREAM_ADD];

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, bytes);
	sqlite3_bind_int64(s, 3, lines);
	sqlite3_bind_int64(s, 4, c->added);
	sqlite3_bind_int64(s, 5, c->rejected);
	sqlite3_bind_int64(s, 6, (int64_t)time(NULL));
	return sql_step_done(s);
}

/* Runs an UPDATE of a session's latest request; 1 if there was one, 0 if not, -1. */
static int update_session(struct store *st, sqlite3_stmt *s, const char *session, int64_t a,
                          int64_t b)
{
	bind_text(s, 1, session);
	sqlite3_bind_int64(s, 2, a);
	sqlite3_bind_int64(s, 3, b);
	if (sql_step_done(s) < 0)
		return -1;
	return sqlite3_changes(st->db) > 0;
}

int store_add_session_lines(struct store *st, const char *session, int64_t added, int64_t removed)
{
	return update_session(st, st->stmt[S_SESSION_LINES], session, added, removed);
}

int store_session_decision(struct store *st, const char *session, int64_t ts_ms, int is_accept)
{
	return update_session(st, st->stmt[S_SESSION_DECISION], session, ts_ms, is_accept);
}

static int names_grow(struct store *st)
{
	size_t cap = st->cap_names ? st->cap_names * 2 : 256;
	struct name_slot *slots = calloc(cap, sizeof(*slots));

	if (slots == NULL)
		return -1;
	for (size_t i = 0; i < st->cap_names; i++) {
		size_t h;

		if (st->names[i].text == NULL)
			continue;
		h = st->names[i].hash & (cap - 1);
		while (slots[h].text)
			h = (h + 1) & (cap - 1);
		slots[h] = st->names[i];
	}
	free(st->names);
	st->names = slots;
	st->cap_names = cap;
	return 0;
}

/* The id of a name, adding it to the name table the first time. 0 on error. */
static int64_t name_id(struct store *st, const char *text)
{
	sqlite3_stmt *s;
	uint64_t hash = hash64_str(text, 0);
	size_t h;
	int64_t id = 0;

	if ((st->n_names + 1) * 2 > st->cap_names && names_grow(st) < 0)
		return 0;
	h = hash & (st->cap_names - 1);
	for (; st->names[h].text; h = (h + 1) & (st->cap_names - 1))
		if (st->names[h].hash == hash && strcmp(st->names[h].text, text) == 0)
			return st->names[h].id;
	s = st->stmt[S_NAME_FIND];
	sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (id == 0) {
		s = st->stmt[S_NAME_ADD];
		sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
		if (sql_step_done(s) < 0)
			return 0;
		id = sqlite3_last_insert_rowid(st->db);
	}
	st->names[h].text = strdup(text);
	if (st->names[h].text == NULL)
		return id;
	st->names[h].id = id;
	st->names[h].hash = hash;
	st->n_names++;
	return id;
}

/* Binds the id of an optional name, NULL when there is none; *id is 0 then. */
static int bind_name(struct store *st, sqlite3_stmt *s, int i, const char *text, long long *id)
{
	*id = 0;
	if (text == NULL) {
		sqlite3_bind_null(s, i);
		return 0;
	}
	*id = name_id(st, text);
	if (*id == 0)
		return -1;
	sqlite3_bind_int64(s, i, *id);
	return 0;
}

/*
 * The gap of a new request since the latest of its session (key: the
 * session's name id, or minus the developer's for none), when it comes after
 * it; -1 otherwise, which the rollup's walk of the session puts right.
 */
static int64_t gap_at_insert(struct store *st, int64_t key, int64_t ts_ms, int64_t uid)
{
	int64_t last_ts, last_uid;

	if (!latest_get(st->latest, key, &last_ts, &last_uid)) {
		sqlite3_stmt *s = st->stmt[key > 0 ? S_SESSION_LATEST : S_ALONE_LATEST];
		int rc;

		sqlite3_bind_int64(s, 1, key > 0 ? key : -key);
		rc = sqlite3_step(s);
		last_ts = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : INT64_MIN;
		last_uid = rc == SQLITE_ROW ? sqlite3_column_int64(s, 1) : INT64_MIN;
		sqlite3_reset(s);
	}
	if (ts_ms < last_ts || (ts_ms == last_ts && uid <= last_uid))
		return -1; /* arrived late */
	latest_put(st->latest, key, ts_ms, uid);
	return last_ts == INT64_MIN ? -1 : ts_ms - last_ts;
}

/* Binds event e as the row-th row of a multi-row insert; fills *re for the rollup. */
static int bind_event(struct store *st, sqlite3_stmt *s, int row, int64_t source_id,
                      const struct event *e, const struct fold *f, struct rollup_event *re)
{
	int p = row * EVENT_COLUMNS;
	long long project;
	enum outcome outcome = e->outcome;
	int64_t added = e->lines_added + f->added, removed = e->lines_removed + f->removed;

	/* As S_EDIT_APPLY does to a stored row. */
	if (f->decided != OUTCOME_UNKNOWN)
		outcome = f->decided;
	else if (f->has_edit && outcome == OUTCOME_UNKNOWN)
		outcome = OUTCOME_ACCEPTED;

	sqlite3_bind_int64(s, p + 1, (int64_t)e->id);
	sqlite3_bind_int64(s, p + 2, e->ts_ms);
	if (bind_name(st, s, p + 3, e->developer ? e->developer : "unknown", &re->developer) < 0 ||
	    bind_name(st, s, p + 4, e->tool, &re->tool) < 0 ||
	    bind_name(st, s, p + 5, e->model, &re->model) < 0 ||
	    bind_name(st, s, p + 6, e->task, &re->task) < 0 ||
	    bind_name(st, s, p + 7, e->project, &project) < 0 ||
	    bind_name(st, s, p + 8, e->session, &re->session) < 0)
		return -1;
	re->ts_ms = e->ts_ms;
	re->outcome = outcome_names[outcome];
	re->input = e->input_tokens;
	re->cache_read = e->cache_read_tokens;
	re->cache_write = e->cache_write_tokens;
	re->cache_write_1h = e->cache_write_1h_tokens;
	re->output = e->output_tokens;
	re->reasoning = e->reasoning_tokens;
	re->latency_ms = e->latency_ms;
	re->lines_added = added;
	re->lines_removed = removed;
	re->lines_suggested = e->lines_suggested;
	re->lines_accepted = e->lines_accepted;
	re->plan_used_pct = e->plan_used_pct;
	re->is_retry = 0;
	re->has_cost = e->has_cost;
	re->cost_usd = e->cost_usd;
	re->prompts = f->prompts;
	re->gap_ms =
	    gap_at_insert(st, re->session ? re->session : -re->developer, e->ts_ms, (int64_t)e->id);
	sqlite3_bind_int64(s, p + 9, e->input_tokens);
	sqlite3_bind_int64(s, p + 10, e->cache_read_tokens);
	sqlite3_bind_int64(s, p + 11, e->cache_write_tokens);
	sqlite3_bind_int64(s, p + 12, e->output_tokens);
	sqlite3_bind_int64(s, p + 13, e->reasoning_tokens);
	if (e->latency_ms >= 0)
		sqlite3_bind_int64(s, p + 14, e->latency_ms);
	else
		sqlite3_bind_null(s, p + 14);
	bind_text(s, p + 15, outcome_names[outcome]);
	sqlite3_bind_int64(s, p + 16, added);
	sqlite3_bind_int64(s, p + 17, removed);
	sqlite3_bind_int64(s, p + 18, e->lines_suggested);
	sqlite3_bind_int64(s, p + 19, e->lines_accepted);
	if (e->has_cost)
		sqlite3_bind_double(s, p + 20, e->cost_usd);
	else
		sqlite3_bind_null(s, p + 20);
	if (e->plan_used_pct >= 0)
		sqlite3_bind_double(s, p + 21, e->plan_used_pct);
	else
		sqlite3_bind_null(s, p + 21);
	if (source_id > 0)
		sqlite3_bind_int64(s, p + 22, source_id);
	else
		sqlite3_bind_null(s, p + 22);
	sqlite3_bind_int64(s, p + 23, e->offset);
	sqlite3_bind_int64(s, p + 24, f->prompts);
	if (re->gap_ms >= 0)
		sqlite3_bind_int64(s, p + 25, re->gap_ms);
	else
		sqlite3_bind_null(s, p + 25);
	sqlite3_bind_int64(s, p + 26, e->cache_write_1h_tokens);
	return 0;
}

/* The prompts a new event counts: a keyed prompt only when its key is new. */
static int count_prompts(struct store *st, const struct event *e, struct fold *f)
{
	sqlite3_stmt *s = st->stmt[S_PROMPT];

	if (e->prompt_key == 0 || e->prompts == 0) {
		f->prompts = e->prompts;
		return 0;
	}
	sqlite3_bind_int64(s, 1, (int64_t)e->prompt_key);
	if (sql_step_done(s) < 0)
		return -1;
	f->prompts = sqlite3_changes(st->db) > 0 ? 1 : 0;
	return 0;
}

static int keep_larger(struct store *st, int64_t row, const struct event *e)
{
	sqlite3_stmt *s = st->stmt[S_EVENT_KEEP_LARGER];

	sqlite3_bind_int64(s, 1, row);
	sqlite3_bind_int64(s, 2, e->input_tokens);
	sqlite3_bind_int64(s, 3, e->cache_read_tokens);
	sqlite3_bind_int64(s, 4, e->cache_write_tokens);
	sqlite3_bind_int64(s, 5, e->output_tokens);
	sqlite3_bind_int64(s, 6, e->reasoning_tokens);
	sqlite3_bind_int64(s, 7, e->cache_write_1h_tokens);
	return sql_step_done(s);
}

/* What a fold holds, applied to a stored request's row. */
static int apply_fold(struct store *st, int64_t row, const struct fold *f)
{
	sqlite3_stmt *s = st->stmt[S_EDIT_APPLY];

	sqlite3_bind_int64(s, 1, row);
	sqlite3_bind_int64(s, 2, f->added);
	sqlite3_bind_int64(s, 3, f->removed);
	sqlite3_bind_int(s, 4, (int)f->decided);
	sqlite3_bind_int(s, 5, f->has_edit);
	return sql_step_done(s);
}

/* A copy of a stored request names a session: the row keeps the smallest name. */
static int keep_least_session(struct store *st, int64_t row, const struct event *e)
{
	sqlite3_stmt *s = st->stmt[S_EVENT_SESSION];
	long long session;

	if (e->session == NULL)
		return 0;
	sqlite3_bind_int64(s, 1, row);
	if (bind_name(st, s, 2, e->session, &session) < 0)
		return -1;
	return sql_step_done(s);
}

/* A copy of a stored request: the larger copy's tokens, the least session, the copy's new
 * edits. */
static int add_to_stored(struct store *st, int64_t row, const struct event *e, const struct fold *f)
{
	if (keep_larger(st, row, e) < 0 || keep_least_session(st, row, e) < 0)
		return -1;
	return f->has_edit || f->decided ? apply_fold(st, row, f) : 0;
}

/* Events waiting to be inserted together, and the rowid the first will get. */
struct pending_rows {
	const struct event *ev[SQL_ROWS_MAX];
	const struct fold *fold[SQL_ROWS_MAX];
	int n;
	int64_t first_id;
};

/* Inserts rows [from, from + sql_row_counts[k]) of p in one statement and counts them in the
 * rollup. */
static int insert_rows(struct store *st, int64_t source_id, struct pending_rows *p, int from, int k)
{
	sqlite3_stmt *s = st->event_rows[k];
	struct rollup_event re[SQL_ROWS_MAX];
	int rows = sql_row_counts[k];

	for (int r = 0; r < rows; r++)
		if (bind_event(st, s, r, source_id, p->ev[from + r], p->fold[from + r], &re[r]) < 0)
			return -1;
	if (sql_step_done(s) < 0)
		return -1;
	/* st->ids holds these rowids: they must be the ones given. */
	if (sqlite3_changes(st->db) != rows ||
	    sqlite3_last_insert_rowid(st->db) != p->first_id + from + rows - 1) {
		log_err("database: events were not stored with the rowids expected");
		return -1;
	}
	for (int r = 0; r < rows; r++)
		if (rollup_add(st->roll, 1, &re[r]) < 0)
			return -1;
	return 0;
}

static int flush_rows(struct store *st, int64_t source_id, struct pending_rows *p)
{
	int from = 0;

	for (int k = 0; k < SQL_N_ROW_COUNTS; k++)
		for (; p->n - from >= sql_row_counts[k]; from += sql_row_counts[k])
			if (insert_rows(st, source_id, p, from, k) < 0)
				return -1;
	p->first_id += p->n;
	p->n = 0;
	return 0;
}

/*
 * 0 when e's uid is new (and now taken by rowid id), 1 when it is a stored
 * request's (rowid *row), 2 when that request's row is still waiting (rowid
 * from_id or later), -1 on error.
 */
static int is_copy(struct store *st, const struct event *e, int64_t id, int64_t from_id,
                   int64_t *row)
{
	int rc = uids_find(st->ids, e->id, row);

	if (rc != 0)
		return rc < 0 ? -1 : *row >= from_id ? 2 : 1;
	return uids_add(st->ids, e->id, id);
}

/*
 * Inserts events up to SQL_ROWS_MAX at a time. Each uid is looked up first
 * (uids.c): a copy of a stored request changes that request's row (once the
 * rows waiting are in, when it is one of them); a new one is recorded with
 * the rowid its event will get, max(rowid) + 1 onwards, as events are never
 * deleted.
 */
static int add_events(struct store *st, int64_t source_id, const struct event *ev, size_t n,
                      struct store_counts *c)
{
	struct pending_rows p;
	int64_t added = 0;

	p.n = 0;
	p.first_id = uids_last_row(st->ids) + 1;
	for (size_t i = 0; i < n; i++) {
		int64_t row;
		int copy = is_copy(st, &ev[i], p.first_id + p.n, p.first_id, &row);

		if (copy < 0)
			return -1;
		if (copy) {
			if ((copy == 2 && flush_rows(st, source_id, &p) < 0) ||
			    add_to_stored(st, row, &ev[i], &st->folds[i]) < 0)
				return -1;
			continue;
		}
		if (count_prompts(st, &ev[i], &st->folds[i]) < 0)
			return -1;
		p.ev[p.n] = &ev[i];
		p.fold[p.n++] = &st->folds[i];
		added++;
		if (p.n == SQL_ROWS_MAX && flush_rows(st, source_id, &p) < 0)
			return -1;
	}
	if (p.n > 0 && flush_rows(st, source_id, &p) < 0)
		return -1;
	c->added += added;
	c->duplicates += (int64_t)n - added;
	return 0;
}

static size_t uid_slot(uint64_t uid, size_t mask)
{
	return (size_t)(uid * 0x9e3779b97f4a7c15ULL >> 32) & mask;
}

/* Clears a fold per event and maps each uid to its first event (for edits). */
static int folds_prepare(struct store *st, const struct batch *b)
{
	size_t cap = 16;

	if (b->n_events > st->cap_folds) {
		struct fold *f = realloc(st->folds, b->n_events * sizeof(*f));

		if (f == NULL)
			return -1;
		st->folds = f;
		st->cap_folds = b->n_events;
	}
	if (b->n_events)
		memset(st->folds, 0, b->n_events * sizeof(*st->folds));
	if (b->n_edits == 0 && b->n_decisions == 0)
		return 0;
	while (cap < 2 * b->n_events)
		cap *= 2;
	if (cap > st->cap_uid_slots) {
		uint32_t *slots = realloc(st->uid_slots, cap * sizeof(*slots));

		if (slots == NULL)
			return -1;
		st->uid_slots = slots;
		st->cap_uid_slots = cap;
	}
	memset(st->uid_slots, 0, cap * sizeof(*st->uid_slots));
	st->uid_mask = cap - 1;
	for (size_t i = 0; i < b->n_events; i++) {
		size_t h = uid_slot(b->events[i].id, st->uid_mask);

		while (st->uid_slots[h] && b->events[st->uid_slots[h] - 1].id != b->events[i].id)
			h = (h + 1) & st->uid_mask;
		if (st->uid_slots[h] == 0)
			st->uid_slots[h] = (uint32_t)i + 1;
	}
	return 0;
}

static struct fold *fold_of(struct store *st, const struct batch *b, uint64_t uid)
{
	size_t h = uid_slot(uid, st->uid_mask);

	while (st->uid_slots[h]) {
		if (b->events[st->uid_slots[h] - 1].id == uid)
			return &st->folds[st->uid_slots[h] - 1];
		h = (h + 1) & st->uid_mask;
	}
	return NULL;
}

/*
 * Adds to what a request's edits did: into its fold when the request is in
 * the batch, still to be written (one update per edit, each through the
 * rollup trigger, costs more than the edit's own insert), else to its row.
 */
static int add_to_request(struct store *st, const struct batch *b, uint64_t event_uid,
                          const struct fold *change)
{
	struct fold *f = fold_of(st, b, event_uid);
	int64_t row;
	int rc;

	if (f == NULL) {
		if ((rc = uids_find(st->ids, event_uid, &row)) <= 0)
			return rc;
		return apply_fold(st, row, change);
	}
	f->added += change->added;
	f->removed += change->removed;
	f->has_edit |= change->has_edit;
	if (change->decided)
		f->decided = change->decided;
	return 0;
}

/* A new edit: its lines count at once, or, proposed, once its answer says it was written. */
static int add_edit(struct store *st, const struct batch *b, const struct edit *ed)
{
	sqlite3_stmt *s = st->stmt[S_EDIT_INSERT];
	struct fold change = {ed->lines_added, ed->lines_removed, 1, OUTCOME_UNKNOWN, 0};

	sqlite3_bind_int64(s, 1, (int64_t)ed->id);
	sqlite3_bind_int64(s, 2, (int64_t)ed->event_id);
	sqlite3_bind_int64(s, 3, ed->is_proposed ? 0 : ed->lines_added);
	sqlite3_bind_int64(s, 4, ed->is_proposed ? 0 : ed->lines_removed);
	sqlite3_bind_int(s, 5, ed->is_proposed ? 0 : 1);
	sqlite3_bind_int64(s, 6, ed->lines_added);
	sqlite3_bind_int64(s, 7, ed->lines_removed);
	if (sql_step_done(s) < 0)
		return -1;
	if (sqlite3_changes(st->db) == 0 || ed->is_proposed)
		return 0; /* a copy of an edit already counted, or one waiting for its answer */
	return add_to_request(st, b, ed->event_id, &change);
}

/* Steps a statement that returns at most one (event_uid, added, removed) row: 1 if it did. */
static int step_edit_row(sqlite3_stmt *s, uint64_t *event_uid, int64_t *added, int64_t *removed)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW) {
		*event_uid = (uint64_t)sqlite3_column_int64(s, 0);
		*added = sqlite3_column_int64(s, 1);
		*removed = sqlite3_column_int64(s, 2);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW)
			;
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? 1 : -1;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * An answer to an edit, once: applied (its lines count, the request is
 * accepted, or edited when the person changed it), failed (nothing counts)
 * or declined (what it added is taken back, the request is rejected).
 */
static int add_decision(struct store *st, const struct batch *b, const struct decision *d)
{
	struct fold change = {0, 0, 0, OUTCOME_UNKNOWN, 0};
	uint64_t event_uid;
	int64_t added, removed;
	sqlite3_stmt *s;
	int rc;

	if (d->kind == DECISION_DECLINED) {
		s = st->stmt[S_EDIT_DECLINED];
		sqlite3_bind_int64(s, 1, (int64_t)d->edit_id);
		if ((rc = step_edit_row(s, &event_uid, &added, &removed)) <= 0)
			return rc;
		s = st->stmt[S_EDIT_DECLINE];
		sqlite3_bind_int64(s, 1, (int64_t)d->edit_id);
		if (sql_step_done(s) < 0)
			return -1;
		change = (struct fold){-added, -removed, 0, OUTCOME_REJECTED, 0};
		return add_to_request(st, b, event_uid, &change);
	}
	s = st->stmt[S_EDIT_ANSWER];
	sqlite3_bind_int64(s, 1, (int64_t)d->edit_id);
	sqlite3_bind_int(s, 2, d->kind == DECISION_APPLIED ? 1 : 3);
	sqlite3_bind_int(s, 3, d->has_lines);
	sqlite3_bind_int64(s, 4, d->lines_added);
	sqlite3_bind_int64(s, 5, d->lines_removed);
	if ((rc = step_edit_row(s, &event_uid, &added, &removed)) <= 0 ||
	    d->kind != DECISION_APPLIED)
		return rc < 0 ? -1 : 0;
	change =
	    (struct fold){added, removed, 1, d->is_modified ? OUTCOME_EDITED : OUTCOME_UNKNOWN, 0};
	return add_to_request(st, b, event_uid, &change);
}

int store_rollup_ensure(struct store *st, const struct rollup_basis *basis, char *err,
                        size_t errlen)
{
	return rollup_ensure(st->roll, basis, err, errlen);
}

static int add_batch(struct store *st, int64_t source_id, const struct batch *b,
                     struct store_counts *c)
{
	int64_t now = (int64_t)time(NULL);

	if (folds_prepare(st, b) < 0)
		return -1;
	for (size_t i = 0; i < b->n_edits; i++)
		if (add_edit(st, b, &b->edits[i]) < 0)
			return -1;
	/* Answers before requests: those of requests in the batch go into their rows. */
	for (size_t i = 0; i < b->n_decisions; i++)
		if (add_decision(st, b, &b->decisions[i]) < 0)
			return -1;
	if (add_events(st, source_id, b->events, b->n_events, c) < 0)
		return -1;
	for (size_t i = 0; i < b->n_limits; i++) {
		const struct limit_hit *h = &b->limits[i];
		sqlite3_stmt *s = st->stmt[S_LIMIT];

		long long developer, tool, model;

		sqlite3_bind_int64(s, 1, (int64_t)h->id);
		sqlite3_bind_int64(s, 2, h->ts_ms);
		if (bind_name(st, s, 3, h->developer ? h->developer : "unknown", &developer) < 0 ||
		    bind_name(st, s, 4, h->tool, &tool) < 0 ||
		    bind_name(st, s, 5, h->model, &model) < 0 || sql_step_done(s) < 0)
			return -1;
	}
	for (size_t i = 0; i < b->n_rejects; i++) {
		const struct reject *r = &b->rejects[i];
		sqlite3_stmt *s = st->stmt[S_REJECT];

		sqlite3_bind_int64(s, 1, source_id);
		sqlite3_bind_int64(s, 2, r->line_no);
		sqlite3_bind_int64(s, 3, r->offset);
		bind_text(s, 4, r->reason);
		bind_text(s, 5, r->excerpt);
		sqlite3_bind_int64(s, 6, now);
		if (sql_step_done(s) < 0)
			return -1;
		c->rejected++;
	}
	return rollup_pending(st->roll) > ROLLUP_PENDING_MAX ? rollup_write(st->roll) : 0;
}

/* Events change only inside a transaction, which keeps the rollup in step. */
int store_add_batch(struct store *st, int64_t source_id, const struct batch *b,
                    struct store_counts *c)
{
	int is_own_tx = !st->in_tx;

	if (is_own_tx && store_begin(st) < 0)
		return -1;
	if (add_batch(st, source_id, b, c) < 0) {
		if (is_own_tx)
			store_rollback(st);
		return -1;
	}
	return is_own_tx ? store_commit(st) : 0;
}
