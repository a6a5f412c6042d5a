/* store.h - the SQLite database: migrations, file states, event batches. */
#ifndef PAYBACK_STORE_H
#define PAYBACK_STORE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "../ingest/event.h"
#include "rollup.h"

struct store;

/* What is known of a file from its last read. */
struct store_file {
	int64_t id; /* 0 until the file has a row */
	char *path, *format, *developer, *state;
	int64_t dev, ino, size, mtime_ns, offset, line_no, fp_len;
	uint64_t fp;
	int64_t events, rejected, last_read;
};

struct store_counts {
	int64_t added, duplicates, rejected;
};

/* Opens (creating if needed) and migrates the database. Returns 0 or -1 with err filled. */
int store_open(struct store **out, const char *path, char *err, size_t errlen);
void store_close(struct store *st);
sqlite3 *store_db(struct store *st);
int store_schema_version(struct store *st);

int store_begin(struct store *st);
int store_commit(struct store *st);
/*
 * Commits, when more commits are waiting to follow: the rollup that reports
 * read may then take this one's new events in with a later commit's, at
 * most ROLLUP_DEFER_MS later (rollup.h).
 */
int store_commit_more(struct store *st);
void store_rollback(struct store *st);
/* Whether commits left events out of the rollup for now (store_commit_more). */
int store_rollup_is_behind(struct store *st);
/* Writes the rollup they left, in a transaction of its own. Returns 0 or -1. */
int store_rollup_sync(struct store *st);
/* How long those commits may leave it (ROLLUP_DEFER_MS unless set). */
void store_rollup_defer(struct store *st, long long ms);

/* Calls fn for every known file; the struct and its strings live only during the call. */
int store_files_each(struct store *st, int (*fn)(const struct store_file *f, void *arg), void *arg);
/* Inserts or updates f (by path) and sets f->id. */
int store_file_save(struct store *st, struct store_file *f);
/* Stores one parsed batch of file source_id; adds to *c. */
int store_add_batch(struct store *st, int64_t source_id, const struct batch *b,
                    struct store_counts *c);
/*
 * A source that is not a file (events POSTed over HTTP, by sender): finds
 * or makes its row, named name, and returns its id and the bytes received
 * so far, which give every line a distinct offset. Inside a transaction.
 */
int store_stream_open(struct store *st, const char *name, const char *format, int64_t *id,
                      int64_t *offset);
/* Adds a request of bytes bytes and its counts to stream id. */
int store_stream_add(struct store *st, int64_t id, int64_t bytes, int64_t lines,
                     const struct store_counts *c);
/*
 * Adds lines written and removed to the latest stored request of session
 * (lines counted apart from requests, as OTLP metrics are). Returns 1, 0
 * when the session has no stored request, or -1.
 */
int store_add_session_lines(struct store *st, const char *session, int64_t added, int64_t removed);
/*
 * Sets the outcome of session's latest request at or before ts_ms from a
 * tool decision (accept or reject; both make it "edited"). Returns 1, 0
 * when the session has no stored request, or -1.
 */
int store_session_decision(struct store *st, const char *session, int64_t ts_ms, int is_accept);
const char *store_errmsg(struct store *st);
/* Whether the last failure was another connection holding the lock. */
int store_is_busy(struct store *st);
/*
 * Makes sure the rollup that reports read was built for the current time
 * zone (TZ) and basis, rebuilding it when not. Returns 0 or -1.
 */
int store_rollup_ensure(struct store *st, const struct rollup_basis *basis, char *err,
                        size_t errlen);

#endif
