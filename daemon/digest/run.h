/*
 * run.h - e-mail digests: what is due, to whom, sent exactly once per
 * period and recipient (the digest_runs table), retried with a bounded
 * backoff, and the `paybackd digest` command's preview and send-now.
 */
#ifndef PAYBACK_DIGEST_RUN_H
#define PAYBACK_DIGEST_RUN_H

#include <sqlite3.h>
#include <stdint.h>

#include "../lib/buf.h"
#include "../config/config.h"

/* The local days a digest reports on and the period it is compared with. */
struct digest_period {
	int64_t from, to, prev_from, prev_to;
};

/* The period of d's latest firing at or before now. */
void digest_latest_period(const struct digest *d, int64_t now, struct digest_period *p);
/*
 * A period from the command line: "YYYY-MM" (a month, compared with the
 * month before), "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD" (compared with as
 * many days before). Returns 0 or -1.
 */
int digest_parse_period(const char *text, struct digest_period *p);

/*
 * Renders d over p into out: HTML, or the plain text when is_text. A
 * personal digest is rendered for person (an id or alias). Returns 0, or -1
 * with err filled.
 */
int digest_preview(sqlite3 *db, const struct config *cfg, const struct digest *d,
                   const struct digest_period *p, const char *person, int is_text, struct buf *out,
                   char *err, size_t errlen);

/* The digest tables' statements on one connection (digest_runs, digest_state). */
struct digest_sql;
struct digest_sql *digest_sql_open(sqlite3 *db);
void digest_sql_close(struct digest_sql *x);

/* What one pass or one send-now did. */
struct digest_stats {
	int sent, retrying, failed;
};

/*
 * Sends every digest due at now that has not been sent to a recipient yet,
 * and retries those whose backoff has passed; stops early when *stop is set.
 */
int digest_run_due(struct digest_sql *x, const struct config *cfg, int64_t now, volatile int *stop,
                   struct digest_stats *stats);
/* Sends d over p to every recipient now, sent before or not, recording each. */
int digest_send_now(struct digest_sql *x, const struct config *cfg, const struct digest *d,
                    const struct digest_period *p, struct digest_stats *stats);

/* A thread that runs digest_run_due every second on its own connection to db_path. */
struct digest_runner;
struct digest_runner *digest_runner_start(const struct config *cfg, const char *db_path, char *err,
                                          size_t errlen);
void digest_runner_stop(struct digest_runner *r);

#endif
