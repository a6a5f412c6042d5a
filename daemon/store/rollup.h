/*
 * rollup.h - keeps table rollup (schema/003_rollup.sql) equal to the totals
 * of table event. Triggers on event call pb_roll with each row's old and
 * new values; the changes gather in memory and are added to rollup within
 * the same transaction, so a crash never leaves the two apart.
 */
#ifndef PAYBACK_ROLLUP_H
#define PAYBACK_ROLLUP_H

#include <sqlite3.h>
#include <stddef.h>

/* A request this soon after the previous one in its session is a retry (non-agent tools). */
#define ROLLUP_RETRY_MS 60000
/* Events fed to the rollup per step of a rebuild, which bounds its memory. */
#define ROLLUP_REBUILD_SLICE 50000
/* How long a busy writer may keep committed events out of the stored rollup. */
#define ROLLUP_DEFER_MS 500
/* Keys of differences gathered before they are written, whatever the writer's hurry. */
#define ROLLUP_PENDING_MAX 4096
/* The near-limit percent used until rollup_ensure says otherwise. */
#define ROLLUP_DEFAULT_NEAR_LIMIT 90.0
/*
 * Reading an answer: 238 words a minute (Brysbaert 2019, silent reading of
 * non-fiction) at 0.75 words a token, about 189 ms a token.
 */
#define ROLLUP_READ_MS_PER_TOKEN 189
/* The longest gap within an active stretch, until rollup_ensure says otherwise. */
#define ROLLUP_DEFAULT_IDLE_GAP_MS (15 * 60000LL)

struct rollup;

/*
 * The rollup is kept at three grains, each in its own pair of tables with
 * the same columns: local days, ISO weeks and local months, a week or month
 * row keyed by its first day. A long period reads whole months and weeks,
 * and days only at its ragged ends.
 */
enum rollup_grain { ROLLUP_DAY, ROLLUP_WEEK, ROLLUP_MONTH, ROLLUP_GRAINS };

/* The totals table of a grain, and its latency histograms. */
const char *rollup_table(enum rollup_grain g);
const char *rollup_latency_table(enum rollup_grain g);
/* The first local day of the week or month holding day (day itself for ROLLUP_DAY). */
long long rollup_unit_first(enum rollup_grain g, long long day);
/* The last local day of the unit that starts on first. */
long long rollup_unit_last(enum rollup_grain g, long long first);

/* One event's values as the rollup counts them: name ids, 0 for none. */
struct rollup_event {
	long long ts_ms, developer, model, task, tool, session;
	const char *outcome; /* NULL when unknown */
	long long input, cache_read, cache_write, output, reasoning;
	long long latency_ms; /* -1 when unknown */
	long long lines_added, lines_removed, lines_suggested, lines_accepted;
	double plan_used_pct; /* -1 when unknown */
	int is_retry, has_cost;
	double cost_usd;
	long long prompts;
	long long gap_ms; /* since the previous request of its session; -1 when first or unknown */
	long long cache_write_1h;
};

/* Registers pb_roll on db; must come before any statement that writes events is prepared. */
struct rollup *rollup_new(sqlite3 *db);
void rollup_free(struct rollup *r);

/*
 * Counts an event (sign 1) or takes it back (-1). Inserts come this way from
 * the writer, which knows which rows it added; updates and deletes come
 * through the triggers. Returns 0 or -1 when out of memory.
 */
int rollup_add(struct rollup *r, int sign, const struct rollup_event *e);

/* Changes gathered and not yet written. */
size_t rollup_pending(const struct rollup *r);
/* Between transactions: whether committed events may be missing from the stored rollup. */
int rollup_is_behind(const struct rollup *r);
/*
 * Call after BEGIN IMMEDIATE: when another connection committed since this
 * one last did, or this one rolled back, the changes kept are made again
 * from the events the stored rollup does not hold yet. Returns 1 then, 0
 * when nothing had changed, -1 on error.
 */
int rollup_begin(struct rollup *r);
/* Adds the gathered changes to table rollup. Inside the writer's transaction. */
int rollup_write(struct rollup *r);
/*
 * Decides the retries of the sessions touched, then writes: call before
 * COMMIT. With may_defer (more commits are waiting) the changes of new
 * events may be kept for a later commit, within ROLLUP_DEFER_MS and
 * ROLLUP_PENDING_MAX; changes of events already counted never are.
 */
int rollup_flush(struct rollup *r, int may_defer);
/* How long changes may be kept (ROLLUP_DEFER_MS unless set). */
void rollup_set_defer(struct rollup *r, long long ms);
/* Forgets what was gathered: the transaction was rolled back. */
void rollup_discard(struct rollup *r);

/* A rollup day row, as the minutes saved of its developer-day are worked out from. */
struct rollup_day_row {
	long long model, task, tool;
	long long prompts, requests, accepted, rejected, edited, lines, active_ms;
};

/*
 * Minutes saved by each of the n rows of one developer-day, low, likely and
 * high, into minutes[i]; 0 or -1. db is the writer's, for names.
 */
typedef int (*rollup_saver)(void *arg, sqlite3 *db, const struct rollup_day_row *rows, size_t n,
                            double (*minutes)[3]);

/* What the stored rollup's counts depend on besides the events. */
struct rollup_basis {
	double near_limit_pct; /* requests at or above it are near the limit */
	long long idle_gap_ms; /* longer gaps between requests are not active time */
	rollup_saver saver;    /* NULL: minutes saved are left at 0 */
	void *saver_arg;
	char saver_key[64]; /* names the saver's settings: a new one rebuilds the rollup */
};

/*
 * The active time a request adds: the gap since the previous request of its
 * session when that is short (the person was at it all along), else, as it
 * opens a stretch of work, the time its answer took to come and be read.
 */
long long rollup_active_ms(long long idle_gap_ms, long long gap_ms, long long latency_ms,
                           long long output, long long reasoning);

/*
 * Makes sure the stored rollup was built for the current time zone (TZ) and
 * basis, building it anew from the events when not, and that it
 * holds every event (a writer may have stopped with changes kept). Starts
 * and commits its own transaction when there is work. Returns 0 or -1 with
 * err filled.
 */
int rollup_ensure(struct rollup *r, const struct rollup_basis *basis, char *err, size_t errlen);

#endif
