/*
 * rollup.c - the totals per (local day, developer, model, task, tool) that
 * reports read, kept by triggers on table event.
 *
 * Every change to an event reaches pb_roll twice (old values subtracted,
 * new ones added), or once for an insert or a delete. The differences add
 * up in a hash table keyed like the rollup row; rollup_write folds them in
 * with one upsert per key. Latency goes into a histogram per row
 * (lathist.c), so percentiles need no raw scan. The same differences,
 * added up per ISO week and per local month, keep tables rollup_week and
 * rollup_month, which let a long period be read a week or a month at a time.
 *
 * Retries and active time need a session's requests in order, which single
 * rows do not give: the sessions a transaction touched are walked again
 * before COMMIT and their events' is_retry and gap_ms set, which reach the
 * rollup through the same triggers. Only gaps up to the basis's idle gap
 * add to active_ms.
 *
 * A writer with more commits waiting may keep the differences of new events
 * past COMMIT (rollup_flush with may_defer), for at most ROLLUP_DEFER_MS:
 * a busy API then folds the same keys once for many requests. The stored
 * rollup always holds exactly the events up to meta's rollup_through, in
 * their committed state. So a change to such an event is written before its
 * COMMIT, and the differences kept are always those of the later events:
 * after a crash, a rollback or another connection's commit they are made
 * again from those events (rollup_begin).
 */
#include "rollup.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lathist.h"
#include "../lib/log.h"
#include "../lib/util.h"

enum {
	V_REQUESTS,
	V_ACCEPTED,
	V_REJECTED,
	V_EDITED,
	V_INPUT,
	V_CACHE_READ,
	V_CACHE_WRITE,
	V_OUTPUT,
	V_REASONING,
	V_LATENCY_N,
	V_LATENCY_MS,
	V_LINES_ADDED,
	V_LINES_REMOVED,
	V_LINES_SUGGESTED,
	V_LINES_ACCEPTED,
	V_NEAR_LIMIT,
	V_RETRIES,
	V_PROMPTS,
	V_ACTIVE_MS,
	V_CACHE_WRITE_1H,
	V_COUNT
};

struct key {
	int64_t day, developer, model, task, tool;
};

struct delta {
	struct key k;
	int is_used;
	int64_t v[V_COUNT];
	double cost_usd;
	int32_t *hist; /* LATHIST_BUCKETS differences, when a latency changed */
};

/* The statements of one grain's tables sit at these offsets. */
enum { S_READ_HIST, S_UPSERT, S_HIST_UPSERT, S_PER_GRAIN };

enum {
	S_SESSION = ROLLUP_GRAINS * S_PER_GRAIN,
	S_SESSION_BEFORE,
	S_ALONE,
	S_ALONE_BEFORE,
	S_SET_WALK,
	S_GET_META,
	S_SET_META,
	S_MAX_ID,
	S_DATA_VERSION,
	S_FEED,
	S_DAY_ROWS,
	S_SET_SAVED,
	S_ADD_SAVED_WEEK,
	S_ADD_SAVED_MONTH,
	S_COUNT
};

#define READ_HIST_SQL(table)                                                                       \
	"SELECT hist FROM " table " WHERE day = ?1 AND developer_id = ?2 AND model_id = ?3 "       \
	"AND task_id = ?4 AND tool_id = ?5"
#define HIST_UPSERT_SQL(table)                                                                     \
	"INSERT INTO " table " (day, developer_id, model_id, task_id, tool_id, hist) "             \
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO UPDATE SET hist = excluded.hist"
#define UPSERT_SQL(table)                                                                          \
	"INSERT INTO " table " (day, developer_id, model_id, task_id, tool_id, requests, "         \
	"accepted, rejected, edited, input_tokens, cache_read_tokens, cache_write_tokens, "        \
	"output_tokens, reasoning_tokens, latency_n, latency_ms, lines_added, lines_removed, "     \
	"lines_suggested, lines_accepted, near_limit, retries, prompts, active_ms, "               \
	"cache_write_1h_tokens, cost_usd) "                                                        \
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "     \
	"?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26) "                                            \
	"ON CONFLICT DO UPDATE SET requests = requests + ?6, accepted = accepted + ?7, "           \
	"rejected = rejected + ?8, edited = edited + ?9, input_tokens = input_tokens + ?10, "      \
	"cache_read_tokens = cache_read_tokens + ?11, "                                            \
	"cache_write_tokens = cache_write_tokens + ?12, output_tokens = output_tokens + ?13, "     \
	"reasoning_tokens = reasoning_tokens + ?14, latency_n = latency_n + ?15, "                 \
	"latency_ms = latency_ms + ?16, lines_added = lines_added + ?17, "                         \
	"lines_removed = lines_removed + ?18, lines_suggested = lines_suggested + ?19, "           \
	"lines_accepted = lines_accepted + ?20, near_limit = near_limit + ?21, "                   \
	"retries = retries + ?22, prompts = prompts + ?23, active_ms = active_ms + ?24, "          \
	"cache_write_1h_tokens = cache_write_1h_tokens + ?25, cost_usd = cost_usd + ?26"

static const char *const stmt_sql[S_COUNT] = {
#define GRAIN_SQL(g, table, latency)                                                               \
	[(g)*S_PER_GRAIN + S_READ_HIST] = READ_HIST_SQL(latency),                                  \
	                   [(g)*S_PER_GRAIN + S_HIST_UPSERT] = HIST_UPSERT_SQL(latency),           \
	                   [(g)*S_PER_GRAIN + S_UPSERT] = UPSERT_SQL(table)
    GRAIN_SQL(ROLLUP_DAY, "rollup", "rollup_latency"),
    GRAIN_SQL(ROLLUP_WEEK, "rollup_week", "rollup_week_latency"),
    GRAIN_SQL(ROLLUP_MONTH, "rollup_month", "rollup_month_latency"),
    [S_SESSION] = "SELECT e.id, e.ts, e.outcome, t.text, e.is_retry, e.gap_ms FROM event e "
                  "JOIN name t ON t.id = e.tool_id WHERE e.session_id = ?1 AND e.ts >= ?2 "
                  "ORDER BY e.ts, e.uid",
    [S_SESSION_BEFORE] = "SELECT ts, outcome FROM event WHERE session_id = ?1 AND ts < ?2 "
                         "ORDER BY ts DESC, uid DESC LIMIT 1",
    /* A developer's requests without a session, walked for their gaps alone. */
    [S_ALONE] = "SELECT id, ts, NULL, NULL, is_retry, gap_ms FROM event WHERE developer_id = ?1 "
                "AND session_id IS NULL AND ts >= ?2 ORDER BY ts, uid",
    [S_ALONE_BEFORE] = "SELECT ts, NULL FROM event WHERE developer_id = ?1 AND session_id IS NULL "
                       "AND ts < ?2 ORDER BY ts DESC, uid DESC LIMIT 1",
    /* OR IGNORE, as store.c updates events: no statement journal. */
    [S_SET_WALK] = "UPDATE OR IGNORE event SET is_retry = ?2, gap_ms = ?3 WHERE id = ?1",
    [S_GET_META] = "SELECT value FROM meta WHERE key = ?1",
    [S_SET_META] = "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    [S_MAX_ID] = "SELECT coalesce(max(id), 0) FROM event",
    [S_DAY_ROWS] = "SELECT model_id, task_id, tool_id, prompts, requests, accepted, rejected, "
                   "edited, lines_added + lines_accepted, active_ms, saved_low, saved_likely, "
                   "saved_high FROM rollup WHERE day = ?1 AND developer_id = ?2",
    [S_SET_SAVED] = "UPDATE rollup SET saved_low = ?6, saved_likely = ?7, saved_high = ?8 "
                    "WHERE day = ?1 AND developer_id = ?2 AND model_id = ?3 AND task_id = ?4 "
                    "AND tool_id = ?5",
#define ADD_SAVED_SQL(table)                                                                       \
	"UPDATE " table " SET saved_low = saved_low + ?6, saved_likely = saved_likely + ?7, "      \
	"saved_high = saved_high + ?8 WHERE day = ?1 AND developer_id = ?2 AND model_id = ?3 "     \
	"AND task_id = ?4 AND tool_id = ?5"
    [S_ADD_SAVED_WEEK] = ADD_SAVED_SQL("rollup_week"),
    [S_ADD_SAVED_MONTH] = ADD_SAVED_SQL("rollup_month"),
    [S_DATA_VERSION] = "PRAGMA data_version",
    /* Feeds a slice of events to pb_roll, which returns NULL: only count(*)
     * tells how many rows the slice had. */
    [S_FEED] = "SELECT max(id), count(*), count(pb_roll(id, 1, ts, developer_id, model_id, "
               "task_id, tool_id, session_id, outcome, input_tokens, cache_read_tokens, "
               "cache_write_tokens, output_tokens, reasoning_tokens, latency_ms, lines_added, "
               "lines_removed, lines_suggested, lines_accepted, plan_used_pct, is_retry, "
               "cost_usd, prompts, gap_ms, cache_write_1h_tokens)) FROM (SELECT * FROM event "
               "WHERE id > ?1 ORDER BY id LIMIT ?2)",
};

/* A session with changed requests: retries are decided again from its earliest change. */
struct touched {
	int64_t session, from_ts, to_ts;
};

/* Differences by key, in open addressing. */
struct delta_table {
	struct delta *slots;
	size_t n_used, cap; /* cap is a power of two */
};

struct rollup {
	sqlite3 *db;
	sqlite3_stmt *stmt[S_COUNT];
	struct delta_table days;
	struct touched *sessions; /* changed since the last flush, and from when */
	size_t n_sessions, cap_sessions;
	int is_deciding_retries; /* changes made by a walk touch no session */
	int64_t through;         /* the stored rollup holds the events up to this id */
	int is_in_step;          /* days holds the differences of the events after it */
	int64_t data_version;    /* as it was when days was last made in step */
	int is_counted_changed;  /* an event up to through changed: write before COMMIT */
	int64_t written_ms;      /* when the differences were last written */
	int64_t defer_ms;        /* how long they may wait */
	struct rollup_basis basis;
	int64_t day_slot, day_offset_ms; /* the UTC offset of one quarter-hour, cached */
};

/*
 * Time zones change their offset only on quarter-hour boundaries, and
 * events arrive mostly in time order: one localtime_r per quarter-hour.
 */
static int64_t local_day(struct rollup *r, int64_t ts_ms)
{
	int64_t slot = ts_ms >= 0 ? ts_ms / 900000 : (ts_ms - 899999) / 900000;
	int64_t t = ts_ms + r->day_offset_ms;

	if (slot != r->day_slot) {
		time_t sec = (time_t)(slot * 900);
		struct tm tm;

		localtime_r(&sec, &tm);
		r->day_slot = slot;
		r->day_offset_ms = (int64_t)tm.tm_gmtoff * 1000;
		t = ts_ms + r->day_offset_ms;
	}
	return t >= 0 ? t / 86400000 : (t - 86399999) / 86400000;
}

static uint64_t key_hash(const struct key *k)
{
	uint64_t h = 1469598103934665603ULL;
	const int64_t f[5] = {k->day, k->developer, k->model, k->task, k->tool};

	for (int i = 0; i < 5; i++) {
		h ^= (uint64_t)f[i];
		h *= 1099511628211ULL;
		h ^= h >> 29;
	}
	return h;
}

static int key_equal(const struct key *a, const struct key *b)
{
	return a->day == b->day && a->developer == b->developer && a->model == b->model &&
	       a->task == b->task && a->tool == b->tool;
}

static struct delta *find_slot(struct delta *slots, size_t cap, const struct key *k)
{
	size_t i = (size_t)key_hash(k) & (cap - 1);

	while (slots[i].is_used && !key_equal(&slots[i].k, k))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static struct delta *delta_for(struct delta_table *t, const struct key *k)
{
	struct delta *d;

	if ((t->n_used + 1) * 2 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct delta *slots = calloc(cap, sizeof(*slots));

		if (slots == NULL)
			return NULL;
		for (size_t i = 0; i < t->cap; i++)
			if (t->slots[i].is_used)
				*find_slot(slots, cap, &t->slots[i].k) = t->slots[i];
		free(t->slots);
		t->slots = slots;
		t->cap = cap;
	}
	d = find_slot(t->slots, t->cap, k);
	if (!d->is_used) {
		d->is_used = 1;
		d->k = *k;
		t->n_used++;
	}
	return d;
}

static void touch_session(struct rollup *r, int64_t session, int64_t ts)
{
	struct touched *last = r->n_sessions ? &r->sessions[r->n_sessions - 1] : NULL;

	if (last && last->session == session) {
		if (ts < last->from_ts)
			last->from_ts = ts;
		if (ts > last->to_ts)
			last->to_ts = ts;
		return;
	}
	if (r->sessions == NULL || r->n_sessions == r->cap_sessions) {
		size_t cap = r->cap_sessions ? r->cap_sessions * 2 : 256;
		struct touched *p = realloc(r->sessions, cap * sizeof(*p));

		if (p == NULL)
			return;
		r->sessions = p;
		r->cap_sessions = cap;
	}
	r->sessions[r->n_sessions].session = session;
	r->sessions[r->n_sessions].to_ts = ts;
	r->sessions[r->n_sessions++].from_ts = ts;
}

long long rollup_active_ms(long long idle_gap_ms, long long gap_ms, long long latency_ms,
                           long long output, long long reasoning)
{
	long long shown = output - reasoning, lead;

	if (gap_ms >= 0 && gap_ms <= idle_gap_ms)
		return gap_ms;
	lead =
	    (latency_ms > 0 ? latency_ms : 0) + (shown > 0 ? shown : 0) * ROLLUP_READ_MS_PER_TOKEN;
	return lead < idle_gap_ms ? lead : idle_gap_ms;
}

int rollup_add(struct rollup *r, int sign, const struct rollup_event *e)
{
	struct key k = {local_day(r, e->ts_ms), e->developer, e->model, e->task, e->tool};
	struct delta *d = delta_for(&r->days, &k);
	const int64_t tokens[5] = {e->input, e->cache_read, e->cache_write, e->output,
	                           e->reasoning};
	const int64_t lines[4] = {e->lines_added, e->lines_removed, e->lines_suggested,
	                          e->lines_accepted};

	if (d == NULL)
		return -1;
	d->v[V_REQUESTS] += sign;
	if (e->outcome)
		d->v[e->outcome[0] == 'a'   ? V_ACCEPTED
		     : e->outcome[0] == 'r' ? V_REJECTED
		                            : V_EDITED] += sign;
	for (int i = 0; i < 5; i++)
		d->v[V_INPUT + i] += sign * tokens[i];
	if (e->latency_ms >= 0) {
		if (d->hist == NULL &&
		    (d->hist = calloc(LATHIST_BUCKETS, sizeof(*d->hist))) == NULL)
			return -1;
		d->hist[lathist_bucket(e->latency_ms)] += sign;
		d->v[V_LATENCY_N] += sign;
		d->v[V_LATENCY_MS] += sign * e->latency_ms;
	}
	for (int i = 0; i < 4; i++)
		d->v[V_LINES_ADDED + i] += sign * lines[i];
	if (e->plan_used_pct >= 0 && e->plan_used_pct >= r->basis.near_limit_pct)
		d->v[V_NEAR_LIMIT] += sign;
	d->v[V_RETRIES] += (int64_t)sign * e->is_retry;
	d->v[V_PROMPTS] += sign * e->prompts;
	d->v[V_CACHE_WRITE_1H] += sign * e->cache_write_1h;
	d->v[V_ACTIVE_MS] += sign * rollup_active_ms(r->basis.idle_gap_ms, e->gap_ms, e->latency_ms,
	                                             e->output, e->reasoning);
	if (e->has_cost)
		d->cost_usd += sign * e->cost_usd;
	/* A request without a session is walked with its developer's others. */
	if (!r->is_deciding_retries)
		touch_session(r, e->session ? e->session : -e->developer, e->ts_ms);
	return 0;
}

static int64_t arg_int(sqlite3_value *v)
{
	return sqlite3_value_type(v) == SQLITE_NULL ? 0 : sqlite3_value_int64(v);
}

/* pb_roll(id, sign, ts, developer, model, task, tool, session, outcome, input, cache_read,
 *         cache_write, output, reasoning, latency, lines_added, lines_removed,
 *         lines_suggested, lines_accepted, plan_used_pct, is_retry, cost_usd[, prompts,
 *         gap_ms[, cache_write_1h]]): the triggers of earlier migrations pass fewer. */
static void fn_roll(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct rollup *r = sqlite3_user_data(ctx);
	int is_null[24];
	struct rollup_event e;
	int sign;

	if (argc != 22 && argc != 24 && argc != 25) {
		sqlite3_result_error(ctx, "pb_roll: wrong number of arguments", -1);
		return;
	}
	if (sqlite3_value_int64(argv[0]) <= r->through)
		r->is_counted_changed = 1;
	sign = (int)sqlite3_value_int64(argv[1]);
	argv += 1; /* the rest are numbered as they were before the id came first */
	for (int i = 0; i < argc - 1; i++)
		is_null[i] = sqlite3_value_type(argv[i]) == SQLITE_NULL;
	e.ts_ms = arg_int(argv[1]);
	e.developer = arg_int(argv[2]);
	e.model = arg_int(argv[3]);
	e.task = arg_int(argv[4]);
	e.tool = arg_int(argv[5]);
	e.session = arg_int(argv[6]);
	e.outcome = (const char *)sqlite3_value_text(argv[7]);
	e.input = arg_int(argv[8]);
	e.cache_read = arg_int(argv[9]);
	e.cache_write = arg_int(argv[10]);
	e.output = arg_int(argv[11]);
	e.reasoning = arg_int(argv[12]);
	e.latency_ms = is_null[13] ? -1 : arg_int(argv[13]);
	e.lines_added = arg_int(argv[14]);
	e.lines_removed = arg_int(argv[15]);
	e.lines_suggested = arg_int(argv[16]);
	e.lines_accepted = arg_int(argv[17]);
	e.plan_used_pct = is_null[18] ? -1 : sqlite3_value_double(argv[18]);
	e.is_retry = (int)arg_int(argv[19]);
	e.has_cost = !is_null[20];
	e.cost_usd = e.has_cost ? sqlite3_value_double(argv[20]) : 0;
	e.prompts = argc >= 24 ? arg_int(argv[21]) : 0;
	e.gap_ms = argc >= 24 && !is_null[22] ? arg_int(argv[22]) : -1;
	e.cache_write_1h = argc >= 25 ? arg_int(argv[23]) : 0;
	if (rollup_add(r, sign, &e) < 0)
		sqlite3_result_error_nomem(ctx);
	else
		sqlite3_result_null(ctx);
}

struct rollup *rollup_new(sqlite3 *db)
{
	struct rollup *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->db = db;
	r->basis.near_limit_pct = ROLLUP_DEFAULT_NEAR_LIMIT;
	r->basis.idle_gap_ms = ROLLUP_DEFAULT_IDLE_GAP_MS;
	r->day_slot = INT64_MIN;
	r->defer_ms = ROLLUP_DEFER_MS;
	r->written_ms = monotonic_ms();
	if (sqlite3_create_function(db, "pb_roll", -1, SQLITE_UTF8, r, fn_roll, NULL, NULL) !=
	    SQLITE_OK) {
		free(r);
		return NULL;
	}
	return r;
}

static void clear_deltas(struct delta_table *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->slots[i].hist);
	free(t->slots);
	t->slots = NULL;
	t->cap = t->n_used = 0;
}

/* The differences kept may include committed ones: rollup_begin makes them again. */
void rollup_discard(struct rollup *r)
{
	clear_deltas(&r->days);
	r->n_sessions = 0;
	r->is_in_step = 0;
	r->is_counted_changed = 0;
}

void rollup_free(struct rollup *r)
{
	if (r == NULL)
		return;
	rollup_discard(r);
	free(r->sessions);
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(r->stmt[i]);
	free(r);
}

size_t rollup_pending(const struct rollup *r)
{
	return r->days.n_used;
}

void rollup_set_defer(struct rollup *r, long long ms)
{
	r->defer_ms = ms;
}

int rollup_is_behind(const struct rollup *r)
{
	return r->days.n_used > 0 || !r->is_in_step;
}

/* Statements are prepared on first use: the tables exist only after migration. */
static sqlite3_stmt *stmt(struct rollup *r, int i)
{
	if (r->stmt[i] == NULL &&
	    sqlite3_prepare_v3(r->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &r->stmt[i],
	                       NULL) != SQLITE_OK) {
		log_err("database: %s", sqlite3_errmsg(r->db));
		return NULL;
	}
	return r->stmt[i];
}

static int step_done(struct rollup *r, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE) {
		log_err("database: %s", sqlite3_errmsg(r->db));
		return -1;
	}
	return 0;
}

static void bind_key(sqlite3_stmt *s, const struct key *k)
{
	sqlite3_bind_int64(s, 1, k->day);
	sqlite3_bind_int64(s, 2, k->developer);
	sqlite3_bind_int64(s, 3, k->model);
	sqlite3_bind_int64(s, 4, k->task);
	sqlite3_bind_int64(s, 5, k->tool);
}

/* The stored histogram of d's row with d's differences added, encoded into out. */
static int merged_hist(struct rollup *r, enum rollup_grain g, const struct delta *d, uint8_t *out,
                       size_t *len)
{
	sqlite3_stmt *s = stmt(r, (int)g * S_PER_GRAIN + S_READ_HIST);
	int64_t counts[LATHIST_BUCKETS] = {0};
	int rc;

	if (s == NULL)
		return -1;
	bind_key(s, &d->k);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) == SQLITE_BLOB &&
	    lathist_add_blob(counts, sqlite3_column_blob(s, 0),
	                     (size_t)sqlite3_column_bytes(s, 0)) < 0)
		log_warn("database: a latency histogram was unreadable and starts anew");
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		log_err("database: %s", sqlite3_errmsg(r->db));
		return -1;
	}
	for (int b = 0; b < LATHIST_BUCKETS; b++)
		counts[b] += d->hist[b];
	*len = lathist_encode(counts, out);
	return 0;
}

static int is_zero_delta(const struct delta *d)
{
	int is_zero = d->cost_usd == 0;

	for (int v = 0; v < V_COUNT; v++)
		is_zero &= d->v[v] == 0;
	if (d->hist)
		for (int b = 0; b < LATHIST_BUCKETS; b++)
			is_zero &= d->hist[b] == 0;
	return is_zero;
}

const char *rollup_table(enum rollup_grain g)
{
	return g == ROLLUP_MONTH ? "rollup_month" : g == ROLLUP_WEEK ? "rollup_week" : "rollup";
}

const char *rollup_latency_table(enum rollup_grain g)
{
	return g == ROLLUP_MONTH  ? "rollup_month_latency"
	       : g == ROLLUP_WEEK ? "rollup_week_latency"
	                          : "rollup_latency";
}

long long rollup_unit_first(enum rollup_grain g, long long day)
{
	int y;
	unsigned m, d;

	if (g == ROLLUP_WEEK) /* day 0, 1970-01-01, was a Thursday */
		return day - ((day + 3) % 7 + 7) % 7;
	if (g != ROLLUP_MONTH)
		return day;
	civil_from_days(day, &y, &m, &d);
	return day - (long long)(d - 1);
}

long long rollup_unit_last(enum rollup_grain g, long long first)
{
	int y;
	unsigned m, d;

	if (g == ROLLUP_WEEK)
		return first + 6;
	if (g != ROLLUP_MONTH)
		return first;
	civil_from_days(first, &y, &m, &d);
	return days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
}

/* The day differences added up by week or by month. */
static int grain_deltas(enum rollup_grain g, const struct delta_table *days,
                        struct delta_table *out)
{
	for (size_t i = 0; i < days->cap; i++) {
		const struct delta *d = &days->slots[i];
		struct key k = d->k;
		struct delta *m;

		if (!d->is_used)
			continue;
		k.day = rollup_unit_first(g, d->k.day);
		if ((m = delta_for(out, &k)) == NULL)
			return -1;
		for (int v = 0; v < V_COUNT; v++)
			m->v[v] += d->v[v];
		m->cost_usd += d->cost_usd;
		if (d->hist == NULL)
			continue;
		if (m->hist == NULL &&
		    (m->hist = calloc(LATHIST_BUCKETS, sizeof(*m->hist))) == NULL)
			return -1;
		for (int b = 0; b < LATHIST_BUCKETS; b++)
			m->hist[b] += d->hist[b];
	}
	return 0;
}

static int write_grain(struct rollup *r, enum rollup_grain g, const struct delta_table *t,
                       uint8_t *blob)
{
	sqlite3_stmt *upsert = stmt(r, (int)g * S_PER_GRAIN + S_UPSERT);
	sqlite3_stmt *hist_upsert = stmt(r, (int)g * S_PER_GRAIN + S_HIST_UPSERT);

	if (upsert == NULL || hist_upsert == NULL)
		return -1;
	for (size_t i = 0; i < t->cap; i++) {
		const struct delta *d = &t->slots[i];
		size_t len = 0;

		if (!d->is_used || is_zero_delta(d))
			continue; /* an update that changed nothing counted */
		if (d->hist && merged_hist(r, g, d, blob, &len) < 0)
			return -1;
		bind_key(upsert, &d->k);
		for (int v = 0; v < V_COUNT; v++)
			sqlite3_bind_int64(upsert, 6 + v, d->v[v]);
		sqlite3_bind_double(upsert, 6 + V_COUNT, d->cost_usd);
		if (step_done(r, upsert) < 0)
			return -1;
		if (d->hist) {
			bind_key(hist_upsert, &d->k);
			sqlite3_bind_blob(hist_upsert, 6, blob, (int)len, SQLITE_STATIC);
			if (step_done(r, hist_upsert) < 0)
				return -1;
		}
	}
	return 0;
}

static int step_int(struct rollup *r, sqlite3_stmt *s, int64_t *out)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		log_err("database: %s", sqlite3_errmsg(r->db));
		return -1;
	}
	return 0;
}

/* A developer-day the differences touched. */
struct dev_day {
	int64_t day, developer;
};

static int by_dev_day(const void *a, const void *b)
{
	const struct dev_day *x = a, *y = b;

	if (x->day != y->day)
		return (x->day > y->day) - (x->day < y->day);
	return (x->developer > y->developer) - (x->developer < y->developer);
}

/* Binds a rollup key and three minutes to a statement of the S_SET_SAVED shape. */
static int set_saved(struct rollup *r, int i, int64_t day, int64_t developer,
                     const struct rollup_day_row *row, const double m[3])
{
	sqlite3_stmt *s = stmt(r, i);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, day);
	sqlite3_bind_int64(s, 2, developer);
	sqlite3_bind_int64(s, 3, row->model);
	sqlite3_bind_int64(s, 4, row->task);
	sqlite3_bind_int64(s, 5, row->tool);
	for (int k = 0; k < 3; k++)
		sqlite3_bind_double(s, 6 + k, m[k]);
	return step_done(r, s);
}

/*
 * Works out again the minutes saved of one developer-day's rows, which
 * depend on the whole day (its ceiling), and adds what changed to its week
 * and month rows.
 */
static int save_day(struct rollup *r, int64_t day, int64_t developer)
{
	sqlite3_stmt *s = stmt(r, S_DAY_ROWS);
	struct rollup_day_row *rows = NULL;
	double(*old)[3] = NULL, (*now)[3] = NULL;
	size_t n = 0, cap = 0;
	int rc, out = 0;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, day);
	sqlite3_bind_int64(s, 2, developer);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			size_t c = cap ? cap * 2 : 32;
			void *p1 = realloc(rows, c * sizeof(*rows)), *p2;

			if (p1 == NULL)
				break;
			rows = p1;
			if ((p2 = realloc(old, c * sizeof(*old))) == NULL)
				break;
			old = p2;
			cap = c;
		}
		rows[n] =
		    (struct rollup_day_row){sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
		                            sqlite3_column_int64(s, 2), sqlite3_column_int64(s, 3),
		                            sqlite3_column_int64(s, 4), sqlite3_column_int64(s, 5),
		                            sqlite3_column_int64(s, 6), sqlite3_column_int64(s, 7),
		                            sqlite3_column_int64(s, 8), sqlite3_column_int64(s, 9)};
		for (int k = 0; k < 3; k++)
			old[n][k] = sqlite3_column_double(s, 10 + k);
		n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE || (n > 0 && (now = calloc(n, sizeof(*now))) == NULL) ||
	    (n > 0 && r->basis.saver(r->basis.saver_arg, r->db, rows, n, now) < 0))
		out = -1;
	for (size_t i = 0; i < n && out == 0; i++) {
		double diff[3];
		int is_same = 1;

		for (int k = 0; k < 3; k++) {
			diff[k] = now[i][k] - old[i][k];
			is_same &= diff[k] == 0;
		}
		if (is_same)
			continue;
		if (set_saved(r, S_SET_SAVED, day, developer, &rows[i], now[i]) < 0 ||
		    set_saved(r, S_ADD_SAVED_WEEK, rollup_unit_first(ROLLUP_WEEK, day), developer,
		              &rows[i], diff) < 0 ||
		    set_saved(r, S_ADD_SAVED_MONTH, rollup_unit_first(ROLLUP_MONTH, day), developer,
		              &rows[i], diff) < 0)
			out = -1;
	}
	free(rows);
	free(old);
	free(now);
	return out;
}

/* The minutes saved of every developer-day the differences touched. */
static int save_days(struct rollup *r)
{
	struct dev_day *days;
	size_t n = 0;
	int rc = 0;

	if (r->basis.saver == NULL || r->days.n_used == 0)
		return 0;
	if ((days = malloc(r->days.n_used * sizeof(*days))) == NULL)
		return -1;
	for (size_t i = 0; i < r->days.cap; i++)
		if (r->days.slots[i].is_used)
			days[n++] =
			    (struct dev_day){r->days.slots[i].k.day, r->days.slots[i].k.developer};
	qsort(days, n, sizeof(*days), by_dev_day);
	for (size_t i = 0; i < n && rc == 0; i++)
		if (i == 0 || by_dev_day(&days[i], &days[i - 1]) != 0)
			rc = save_day(r, days[i].day, days[i].developer);
	free(days);
	return rc;
}

/* Adds the differences to the stored rollup, which then holds the events up to through. */
static int write_through(struct rollup *r, int64_t through)
{
	uint8_t *blob = malloc(LATHIST_MAX_BLOB);
	sqlite3_stmt *set = stmt(r, S_SET_META);
	char value[32];
	int rc = blob && set && write_grain(r, ROLLUP_DAY, &r->days, blob) == 0 ? 0 : -1;

	for (int g = ROLLUP_WEEK; g < ROLLUP_GRAINS && rc == 0; g++) {
		struct delta_table units = {NULL, 0, 0};

		if (grain_deltas((enum rollup_grain)g, &r->days, &units) < 0 ||
		    write_grain(r, (enum rollup_grain)g, &units, blob) < 0)
			rc = -1;
		clear_deltas(&units);
	}
	free(blob);
	if (rc == 0)
		rc = save_days(r);
	if (rc == 0) {
		snprintf(value, sizeof(value), "%lld", (long long)through);
		sqlite3_bind_text(set, 1, "rollup_through", -1, SQLITE_STATIC);
		sqlite3_bind_text(set, 2, value, -1, SQLITE_TRANSIENT);
		rc = step_done(r, set);
	}
	if (rc < 0)
		return -1;
	/* The sessions touched stay: rollup_flush decides them. */
	clear_deltas(&r->days);
	r->through = through;
	r->is_counted_changed = 0;
	r->written_ms = monotonic_ms();
	return 0;
}

int rollup_write(struct rollup *r)
{
	sqlite3_stmt *s = stmt(r, S_MAX_ID);
	int64_t last;

	/* Every event after through is in the differences, up to the last one. */
	return s && step_int(r, s, &last) == 0 ? write_through(r, last) : -1;
}

/*
 * Feeds the events after id `after` to pb_roll, a slice at a time to bound
 * memory, each slice written at once. Their sessions are walked again only
 * when is_deciding is set: the retries they store are otherwise current.
 */
static int feed_events(struct rollup *r, int64_t after, int is_deciding)
{
	sqlite3_stmt *s = stmt(r, S_FEED);
	int rc;

	if (s == NULL)
		return -1;
	r->is_deciding_retries = !is_deciding;
	for (;;) {
		int64_t last;

		sqlite3_bind_int64(s, 1, after);
		sqlite3_bind_int64(s, 2, ROLLUP_REBUILD_SLICE);
		if ((rc = sqlite3_step(s)) != SQLITE_ROW || sqlite3_column_int64(s, 1) == 0)
			break;
		last = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		if ((rc = write_through(r, last)) < 0)
			break;
		after = last;
	}
	sqlite3_reset(s);
	r->is_deciding_retries = 0;
	if (rc != SQLITE_ROW) {
		log_err("database: %s", sqlite3_errmsg(r->db));
		return -1;
	}
	return rc < 0 ? -1 : 0;
}

static int read_through(struct rollup *r)
{
	sqlite3_stmt *s = stmt(r, S_GET_META);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, "rollup_through", -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	r->through = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		log_err("database: %s", sqlite3_errmsg(r->db));
		return -1;
	}
	return 0;
}

int rollup_begin(struct rollup *r)
{
	sqlite3_stmt *s = stmt(r, S_DATA_VERSION);
	int64_t version;

	if (s == NULL || step_int(r, s, &version) < 0)
		return -1;
	if (r->is_in_step && version == r->data_version)
		return 0;
	/* Another connection committed (its own differences kept, or written), or
	 * this one rolled back: only the stored rollup and the events are sure. */
	rollup_discard(r);
	if (read_through(r) < 0 || feed_events(r, r->through, 0) < 0)
		return -1;
	r->data_version = version;
	r->is_in_step = 1;
	return 1;
}

static int is_agent(const char *tool)
{
	return strcmp(tool, "claude-code") == 0 || strcmp(tool, "codex") == 0;
}

/* A request whose retry mark or gap must change: (id, is_retry, gap_ms or -1). */
struct walk_change {
	int64_t id, gap_ms;
	int is_retry;
};

static int set_walked(struct rollup *r, const struct walk_change *c, size_t n)
{
	sqlite3_stmt *set = stmt(r, S_SET_WALK);
	int rc = set ? 0 : -1;

	for (size_t i = 0; i < n && rc == 0; i++) {
		sqlite3_bind_int64(set, 1, c[i].id);
		sqlite3_bind_int64(set, 2, c[i].is_retry);
		if (c[i].gap_ms >= 0)
			sqlite3_bind_int64(set, 3, c[i].gap_ms);
		else
			sqlite3_bind_null(set, 3);
		rc = step_done(r, set);
	}
	return rc;
}

/*
 * Walks a session's requests in time order from the one before from_ts,
 * setting each one's gap since the previous (active time is made of the
 * short ones) and whether it is a retry: a request that repeats one the
 * developer did not keep, in the same session right after a rejection, or,
 * for tools where each request is the developer's own (not an agent's next
 * step), within a minute of the previous one. Agents (Claude Code, Codex)
 * send requests seconds apart as they work, which is no sign of a retry.
 * A negative key is a developer's requests without a session: their gaps
 * only, as nothing ties them to one piece of work. What the walk decides of
 * a request depends on the one before only: it ends at the first request
 * after the last one changed.
 */
static int decide_session(struct rollup *r, int64_t key, int64_t from_ts, int64_t to_ts)
{
	int is_alone = key < 0;
	sqlite3_stmt *s = stmt(r, is_alone ? S_ALONE : S_SESSION);
	sqlite3_stmt *before = stmt(r, is_alone ? S_ALONE_BEFORE : S_SESSION_BEFORE);
	int64_t prev_ts = 0, id = is_alone ? -key : key;
	struct walk_change *changed = NULL;
	size_t n_changed = 0, cap = 0;
	int is_first = 1, was_rejected = 0, rc;

	if (s == NULL || before == NULL)
		return -1;
	/* Only what follows a change can change: start from the request before it. */
	sqlite3_bind_int64(before, 1, id);
	sqlite3_bind_int64(before, 2, from_ts);
	if (sqlite3_step(before) == SQLITE_ROW) {
		const char *outcome = (const char *)sqlite3_column_text(before, 1);

		is_first = 0;
		prev_ts = sqlite3_column_int64(before, 0);
		was_rejected = outcome && strcmp(outcome, "rejected") == 0;
	}
	sqlite3_reset(before);
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, from_ts);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t ts = sqlite3_column_int64(s, 1);
		const char *outcome = (const char *)sqlite3_column_text(s, 2);
		const char *tool = (const char *)sqlite3_column_text(s, 3);
		int was_retry = sqlite3_column_int(s, 4);
		int64_t gap = is_first ? -1 : ts - prev_ts;
		int64_t had_gap =
		    sqlite3_column_type(s, 5) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 5);
		int is_retry =
		    is_alone ? was_retry
		             : !is_first && (was_rejected || (!is_agent(tool ? tool : "") &&
		                                              ts - prev_ts < ROLLUP_RETRY_MS));

		if (is_retry != was_retry || gap != had_gap) {
			if (n_changed == cap) {
				struct walk_change *p =
				    realloc(changed, (cap = cap ? cap * 2 : 16) * sizeof(*p));

				if (p == NULL)
					break;
				changed = p;
			}
			changed[n_changed++] =
			    (struct walk_change){sqlite3_column_int64(s, 0), gap, is_retry};
		}
		is_first = 0;
		prev_ts = ts;
		was_rejected = outcome && strcmp(outcome, "rejected") == 0;
		if (ts > to_ts) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(changed);
		log_err("database: %s", sqlite3_errmsg(r->db));
		return -1;
	}
	rc = set_walked(r, changed, n_changed);
	free(changed);
	return rc;
}

static int by_session(const void *a, const void *b)
{
	const struct touched *x = a, *y = b;

	if (x->session != y->session)
		return (x->session > y->session) - (x->session < y->session);
	return (x->from_ts > y->from_ts) - (x->from_ts < y->from_ts);
}

int rollup_flush(struct rollup *r, int may_defer)
{
	int rc = 0;

	/* By session, earliest change first: one walk per session from that change. */
	if (r->n_sessions > 1)
		qsort(r->sessions, r->n_sessions, sizeof(*r->sessions), by_session);
	r->is_deciding_retries = 1;
	for (size_t i = 0; i < r->n_sessions && rc == 0; i++) {
		int64_t to_ts = r->sessions[i].to_ts;
		size_t k = i;

		if (i > 0 && r->sessions[i].session == r->sessions[i - 1].session)
			continue;
		for (; k < r->n_sessions && r->sessions[k].session == r->sessions[i].session; k++)
			if (r->sessions[k].to_ts > to_ts)
				to_ts = r->sessions[k].to_ts;
		rc = decide_session(r, r->sessions[i].session, r->sessions[i].from_ts, to_ts);
	}
	r->is_deciding_retries = 0;
	r->n_sessions = 0;
	if (rc < 0)
		return -1;
	if (may_defer && !r->is_counted_changed && r->days.n_used <= ROLLUP_PENDING_MAX &&
	    monotonic_ms() - r->written_ms < r->defer_ms)
		return 0;
	return rollup_write(r);
}

static int basis_text(const struct rollup *r, char *out, size_t len)
{
	const char *tz = getenv("TZ");

	return snprintf(out, len, "tz=%s;near_limit=%g;idle_gap_ms=%lld;saved=%s",
	                tz && tz[0] ? tz : "localtime", r->basis.near_limit_pct,
	                r->basis.idle_gap_ms,
	                r->basis.saver ? r->basis.saver_key : "none") < (int)len
	           ? 0
	           : -1;
}

static int exec(struct rollup *r, const char *sql, char *err, size_t errlen)
{
	if (sqlite3_exec(r->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "rollup: %s", sqlite3_errmsg(r->db));
		return -1;
	}
	return 0;
}

/* The stored rollup made anew from the events, their retries decided again. */
static int rebuild(struct rollup *r, char *err, size_t errlen)
{
	for (int g = 0; g < ROLLUP_GRAINS; g++) {
		char clear[128];

		snprintf(clear, sizeof(clear), "DELETE FROM %s; DELETE FROM %s",
		         rollup_table((enum rollup_grain)g),
		         rollup_latency_table((enum rollup_grain)g));
		if (exec(r, clear, err, errlen) < 0)
			return -1;
	}
	rollup_discard(r);
	r->through = 0;
	if (feed_events(r, 0, 1) < 0 || rollup_flush(r, 0) < 0) {
		snprintf(err, errlen, "rollup: %s", sqlite3_errmsg(r->db));
		return -1;
	}
	return 0;
}

/* Commits when rc is 0, else rolls back and fills err; returns 0 or -1. */
static int end_transaction(struct rollup *r, int rc, char *err, size_t errlen)
{
	if (rc == 0 && exec(r, "COMMIT", err, errlen) == 0)
		return 0;
	if (err[0] == '\0')
		snprintf(err, errlen, "rollup: %s", sqlite3_errmsg(r->db));
	sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
	rollup_discard(r);
	return -1;
}

/* Adds the events a writer committed and had not written when it stopped. */
static int catch_up(struct rollup *r, char *err, size_t errlen)
{
	sqlite3_stmt *s = stmt(r, S_MAX_ID);
	int64_t last;

	if (s == NULL || read_through(r) < 0 || step_int(r, s, &last) < 0) {
		snprintf(err, errlen, "rollup: %s", sqlite3_errmsg(r->db));
		return -1;
	}
	if (last <= r->through)
		return 0;
	if (exec(r, "BEGIN IMMEDIATE", err, errlen) < 0)
		return -1;
	rollup_discard(r);
	if (end_transaction(r, rollup_begin(r) < 0 ? -1 : 0, err, errlen) < 0)
		return -1;
	log_debug("rollup: events after id %lld added", (long long)r->through);
	return 0;
}

int rollup_ensure(struct rollup *r, const struct rollup_basis *basis, char *err, size_t errlen)
{
	char want[256];
	sqlite3_stmt *s;
	int is_current = 0, rc;

	err[0] = '\0';
	r->basis = *basis;
	r->day_slot = INT64_MIN; /* TZ may have changed */
	if (basis_text(r, want, sizeof(want)) < 0) {
		snprintf(err, errlen, "rollup: time zone name too long");
		return -1;
	}
	if ((s = stmt(r, S_GET_META)) == NULL) {
		snprintf(err, errlen, "rollup: %s", sqlite3_errmsg(r->db));
		return -1;
	}
	sqlite3_bind_text(s, 1, "rollup_basis", -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		is_current = strcmp((const char *)sqlite3_column_text(s, 0), want) == 0;
	sqlite3_reset(s);
	if (is_current)
		return catch_up(r, err, errlen);
	if (exec(r, "BEGIN IMMEDIATE", err, errlen) < 0)
		return -1;
	rc = rebuild(r, err, errlen);
	if (rc == 0 && (s = stmt(r, S_SET_META)) != NULL) {
		sqlite3_bind_text(s, 1, "rollup_basis", -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, want, -1, SQLITE_TRANSIENT);
		rc = step_done(r, s);
	}
	if (end_transaction(r, rc, err, errlen) < 0)
		return -1;
	log_debug("rollup built for %s", want);
	return 0;
}
