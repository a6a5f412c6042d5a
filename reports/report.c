/*
 * report.c - usage totals grouped by any of the report keys, over local days
 * of the configured time zone.
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../daemon/lib/calendar.h"
#include "../daemon/config/config.h"
#include "../daemon/lib/util.h"
#include "../daemon/store/rollup.h"
#include "estimate.h"

const char *const report_key_names[KEY_COUNT] = {
    "developer", "team", "tool", "model", "project", "task", "day", "week", "month",
};

const char *const report_metric_names[M_COUNT] = {
    "requests",           "prompts",       "active_minutes",   "input_tokens", "cache_read_tokens",
    "cache_write_tokens", "output_tokens", "reasoning_tokens",
};

/*
 * SQL for each key: fixed text, never built from user input. Reports read
 * the rollup, which has every key but project; a report by project reads
 * the events themselves.
 */
static const char *const key_sql[KEY_COUNT] = {
    "pb_person(developer)",  "pb_team(developer)", "tool",       "model",
    "coalesce(project, '')", "coalesce(task, '')", "pb_day(ts)", "pb_week(ts)",
    "pb_month(ts)",
};
static const char *const rollup_key_sql[KEY_COUNT] = {
    "pb_person(d.text)",    "pb_team(d.text)", "t.text",          "m.text",           NULL,
    "coalesce(k.text, '')", "pb_dday(g.day)",  "pb_dweek(g.day)", "pb_dmonth(g.day)",
};
/* The rollup column each key needs. */
static const char *const rollup_key_column[KEY_COUNT] = {
    "developer_id", "developer_id", "tool_id", "model_id", NULL, "task_id", "day", "day", "day",
};

int report_parse_keys(struct report_query *q, const char *list, char *err, size_t errlen)
{
	char copy[256], *save = NULL;

	q->n_keys = 0;
	if (strlen(list) >= sizeof(copy)) {
		snprintf(err, errlen, "--by: list too long");
		return -1;
	}
	snprintf(copy, sizeof(copy), "%s", list);
	for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		size_t k;

		for (k = 0; k < KEY_COUNT && strcmp(report_key_names[k], t) != 0; k++)
			;
		if (k == KEY_COUNT) {
			snprintf(err, errlen,
			         "--by: unknown key '%s' (expected developer, team, tool, model, "
			         "project, task, day, week or month)",
			         t);
			return -1;
		}
		for (size_t i = 0; i < q->n_keys; i++)
			if (q->keys[i] == (enum report_key)k) {
				snprintf(err, errlen, "--by: key '%s' given twice", t);
				return -1;
			}
		q->keys[q->n_keys++] = (enum report_key)k;
	}
	if (q->n_keys == 0) {
		snprintf(err, errlen, "--by: no keys given");
		return -1;
	}
	return 0;
}

static void fn_day(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char key[11];

	(void)argc;
	cal_day_key(sqlite3_value_int64(argv[0]), key);
	sqlite3_result_text(ctx, key, -1, SQLITE_TRANSIENT);
}

static void fn_week(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char key[9];

	(void)argc;
	cal_week_key(sqlite3_value_int64(argv[0]), key);
	sqlite3_result_text(ctx, key, -1, SQLITE_TRANSIENT);
}

int report_period_bounds(const char *period, const char *last, char from[11], char to[11])
{
	int y;
	unsigned m, d;
	int64_t first, end;

	if (period) {
		char day1[16];

		if (strlen(period) != 7)
			return -1;
		snprintf(day1, sizeof(day1), "%s-01", period);
		if (parse_date(day1, &y, &m, &d) < 0)
			return -1;
		first = days_from_civil(y, m, 1);
		end = days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
	} else {
		size_t len = last ? strlen(last) : 0;
		int64_t n = 0;

		if (len < 2 || len > 6 || last[len - 1] != 'd')
			return -1;
		for (size_t i = 0; i + 1 < len; i++) {
			if (last[i] < '0' || last[i] > '9')
				return -1;
			n = n * 10 + (last[i] - '0');
		}
		if (n < 1)
			return -1;
		end = cal_local_day((int64_t)time(NULL) * 1000);
		first = end - n + 1;
	}
	cal_day_text(first, from);
	cal_day_text(end, to);
	return 0;
}

int report_data_bounds(sqlite3 *db, int64_t *first, int64_t *last)
{
	sqlite3_stmt *s;
	int rc = -1;

	/* Apart, each is one step down the index; together they scan the table. */
	if (sqlite3_prepare_v2(
	        db, "SELECT (SELECT min(day) FROM rollup), (SELECT max(day) FROM rollup)", -1, &s,
	        NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		if (first)
			*first = sqlite3_column_int64(s, 0);
		if (last)
			*last = sqlite3_column_int64(s, 1);
		rc = 0;
	}
	sqlite3_finalize(s);
	return rc;
}

/* The local day as days since 1970-01-01, for seat coverage. */
static void fn_daynum(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sqlite3_result_int64(ctx, cal_local_day(sqlite3_value_int64(argv[0])));
}

/* pb_dday, pb_dweek, pb_dmonth: the keys of a day number (the rollup's days). */
static void fn_dday(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char key[11];

	(void)argc;
	cal_day_text(sqlite3_value_int64(argv[0]), key);
	sqlite3_result_text(ctx, key, -1, SQLITE_TRANSIENT);
}

static void fn_dweek(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char key[9];

	(void)argc;
	cal_week_of_day(sqlite3_value_int64(argv[0]), key);
	sqlite3_result_text(ctx, key, -1, SQLITE_TRANSIENT);
}

static void fn_dmonth(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char key[8];

	(void)argc;
	cal_month_of_day(sqlite3_value_int64(argv[0]), key);
	sqlite3_result_text(ctx, key, -1, SQLITE_TRANSIENT);
}

static void fn_month(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char key[8];

	(void)argc;
	cal_month_key(sqlite3_value_int64(argv[0]), key);
	sqlite3_result_text(ctx, key, -1, SQLITE_TRANSIENT);
}

void report_developer_name(const struct config *cfg, const char *id, char *out, size_t n)
{
	if (cfg->privacy.developers == PRIVACY_HIDDEN)
		snprintf(out, n, "(hidden)");
	else if (cfg->privacy.developers == PRIVACY_PSEUDONYMOUS)
		snprintf(out, n, "developer-%06x", (unsigned)(hash64_str(id, 0x9e) & 0xffffff));
	else
		snprintf(out, n, "%s", id);
}

int report_apply_privacy(const struct config *cfg, struct report *r, char *err, size_t errlen)
{
	size_t k;

	for (k = 0; k < r->n_keys && r->keys[k] != KEY_DEVELOPER; k++)
		;
	if (k == r->n_keys || cfg->privacy.developers == PRIVACY_VISIBLE)
		return 0;
	if (cfg->privacy.developers == PRIVACY_HIDDEN) {
		snprintf(err, errlen,
		         "privacy.developers is hidden: figures per developer are not shown (group "
		         "by team instead)");
		return -1;
	}
	for (size_t i = 0; i < r->n_rows; i++) {
		char name[64], *copy;

		report_developer_name(cfg, r->rows[i].keys[k], name, sizeof(name));
		if ((copy = strdup(name)) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		free(r->rows[i].keys[k]);
		r->rows[i].keys[k] = copy;
	}
	return 0;
}

/* A developer as logged (an id or an alias) becomes the person's id. */
static void fn_person(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct config *cfg = sqlite3_user_data(ctx);
	const char *dev = (const char *)sqlite3_value_text(argv[0]);
	const struct person *p = dev ? config_person(cfg, dev) : NULL;

	(void)argc;
	if (p)
		sqlite3_result_text(ctx, p->id, -1, SQLITE_STATIC);
	else
		sqlite3_result_value(ctx, argv[0]);
}

/* Teams come from people in the configuration. */
static void fn_team(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct config *cfg = sqlite3_user_data(ctx);
	const char *dev = (const char *)sqlite3_value_text(argv[0]);
	const struct person *p = dev ? config_person(cfg, dev) : NULL;

	(void)argc;
	sqlite3_result_text(ctx, p && p->team ? p->team : "(no team)", -1, SQLITE_STATIC);
}

/* pb_active(gap_ms, latency_ms, output, reasoning): a request's active time, as the rollup's. */
static void fn_active(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct config *cfg = sqlite3_user_data(ctx);
	long long v[4];

	(void)argc;
	for (int i = 0; i < 4; i++)
		v[i] =
		    sqlite3_value_type(argv[i]) == SQLITE_NULL ? -1 : sqlite3_value_int64(argv[i]);
	sqlite3_result_int64(
	    ctx, rollup_active_ms(estimate_idle_gap_ms(&cfg->estimate), v[0], v[1], v[2], v[3]));
}

int report_register_functions(sqlite3 *db, const struct config *cfg)
{
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
	void *people = (void *)(uintptr_t)cfg;

	if (sqlite3_create_function(db, "pb_day", 1, flags, NULL, fn_day, NULL, NULL) ||
	    sqlite3_create_function(db, "pb_week", 1, flags, NULL, fn_week, NULL, NULL) ||
	    sqlite3_create_function(db, "pb_month", 1, flags, NULL, fn_month, NULL, NULL) ||
	    sqlite3_create_function(db, "pb_daynum", 1, flags, NULL, fn_daynum, NULL, NULL) ||
	    sqlite3_create_function(db, "pb_dday", 1, flags, NULL, fn_dday, NULL, NULL) ||
	    sqlite3_create_function(db, "pb_dweek", 1, flags, NULL, fn_dweek, NULL, NULL) ||
	    sqlite3_create_function(db, "pb_dmonth", 1, flags, NULL, fn_dmonth, NULL, NULL) ||
	    sqlite3_create_function(db, "pb_person", 1, flags, people, fn_person, NULL, NULL) ||
	    sqlite3_create_function(db, "pb_team", 1, flags, people, fn_team, NULL, NULL) ||
	    sqlite3_create_function(db, "pb_active", 4, flags, people, fn_active, NULL, NULL))
		return -1;
	return 0;
}

static int same_keys(const struct report_row *row, sqlite3_stmt *s, size_t n_keys)
{
	for (size_t i = 0; i < n_keys; i++) {
		const char *v = (const char *)sqlite3_column_text(s, (int)i);

		if (strcmp(row->keys[i], v ? v : "") != 0)
			return 0;
	}
	return 1;
}

static int uses_project(const struct report_query *q)
{
	for (size_t i = 0; i < q->n_keys; i++)
		if (q->keys[i] == KEY_PROJECT)
			return 1;
	return 0;
}

static void order_by_keys(const struct report_query *q, struct buf *sql)
{
	buf_puts(sql, " GROUP BY ");
	for (size_t i = 0; i < q->n_keys; i++)
		buf_printf(sql, "k%zu, ", i);
	buf_puts(sql, "km ORDER BY ");
	for (size_t i = 0; i < q->n_keys; i++)
		buf_printf(sql, "k%zu, ", i);
	buf_puts(sql, "km");
}

/* ?1 and ?2 are the first and last local day. */
static void raw_usage_sql(const struct report_query *q, struct buf *sql)
{
	buf_puts(sql, "SELECT ");
	for (size_t i = 0; i < q->n_keys; i++)
		buf_printf(sql, "%s AS k%zu, ", key_sql[q->keys[i]], i);
	buf_puts(sql, "count(*), sum(prompts), "
	              "sum(pb_active(gap_ms, latency_ms, output_tokens, reasoning_tokens)), "
	              "sum(input_tokens), sum(cache_read_tokens), "
	              "sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens), "
	              "model AS km, sum(cache_write_1h_tokens) FROM event_named "
	              "WHERE pb_daynum(ts) >= ?1 AND pb_daynum(ts) <= ?2");
	order_by_keys(q, sql);
}

/* ", col" for each rollup column the keys need, model_id (always there) aside. */
static void put_key_columns(const int needs[KEY_COUNT], struct buf *sql)
{
	for (int k = 0; k < KEY_COUNT; k++) {
		int is_first = needs[k] && rollup_key_column[k] &&
		               strcmp(rollup_key_column[k], "model_id") != 0;

		for (int j = 0; j < k && is_first; j++)
			if (needs[j] && rollup_key_column[j] &&
			    strcmp(rollup_key_column[j], rollup_key_column[k]) == 0)
				is_first = 0;
		if (is_first)
			buf_printf(sql, ", %s", rollup_key_column[k]);
	}
}

/* Sums by the ids the keys need, then names joined to the few grouped rows. */
static void rollup_usage_sql(const struct report_query *q, struct buf *sql)
{
	static const char *const joins[][2] = {
	    {"developer_id", " JOIN name d ON d.id = g.developer_id"},
	    {"tool_id", " JOIN name t ON t.id = g.tool_id"},
	    {"task_id", " LEFT JOIN name k ON k.id = g.task_id"},
	};
	int needs[KEY_COUNT] = {0};

	for (size_t i = 0; i < q->n_keys; i++)
		needs[q->keys[i]] = 1;
	buf_puts(sql, "SELECT ");
	for (size_t i = 0; i < q->n_keys; i++)
		buf_printf(sql, "%s AS k%zu, ", rollup_key_sql[q->keys[i]], i);
	buf_puts(sql, "sum(g.n), sum(g.p), sum(g.a), sum(g.i), sum(g.cr), sum(g.cw), sum(g.o), "
	              "sum(g.r), m.text AS km, sum(g.w1) FROM (SELECT model_id");
	put_key_columns(needs, sql);
	buf_puts(sql, ", sum(requests) AS n, sum(prompts) AS p, sum(active_ms) AS a, "
	              "sum(input_tokens) AS i, sum(cache_read_tokens) AS cr, "
	              "sum(cache_write_tokens) AS cw, sum(output_tokens) AS o, "
	              "sum(reasoning_tokens) AS r, sum(cache_write_1h_tokens) AS w1 FROM rollup "
	              "WHERE day >= ?1 AND day <= ?2 "
	              "GROUP BY model_id");
	put_key_columns(needs, sql);
	buf_puts(sql, ") g JOIN name m ON m.id = g.model_id");
	for (size_t j = 0; j < ARRAY_LEN(joins); j++)
		for (int k = 0; k < KEY_COUNT; k++)
			if (needs[k] && rollup_key_column[k] &&
			    strcmp(rollup_key_column[k], joins[j][0]) == 0) {
				buf_puts(sql, joins[j][1]);
				break;
			}
	order_by_keys(q, sql);
}

/*
 * Rows come grouped by the keys and then by model, so that each model's
 * token sums are priced once with that model's prices; consecutive rows
 * with the same keys then fold into one report row.
 */
int report_usage(sqlite3 *db, const struct config *cfg, const struct report_query *q,
                 struct report *r, char *err, size_t errlen)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s = NULL;
	int64_t first = INT64_MIN, last = INT64_MAX;
	size_t cap = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	if (cal_period(q->from, q->to, &first, &last, err, errlen) < 0)
		return -1;
	snprintf(r->from, sizeof(r->from), "%s", q->from ? q->from : "");
	snprintf(r->to, sizeof(r->to), "%s", q->to ? q->to : "");
	memcpy(r->keys, q->keys, sizeof(q->keys));
	r->n_keys = q->n_keys;

	if (uses_project(q))
		raw_usage_sql(q, &sql);
	else
		rollup_usage_sql(q, &sql);
	if (sqlite3_prepare_v2(db, sql.data, -1, &s, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "report query: %s", sqlite3_errmsg(db));
		buf_free(&sql);
		return -1;
	}
	buf_free(&sql);
	sqlite3_bind_int64(s, 1, first);
	sqlite3_bind_int64(s, 2, last);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *model = (const char *)sqlite3_column_text(s, (int)q->n_keys + M_COUNT);
		const struct model_price *price = config_model_price(cfg, model ? model : "");
		int64_t v[M_COUNT];
		struct report_row *row;
		double usd = 0;

		for (int m = 0; m < M_COUNT; m++)
			v[m] = sqlite3_column_int64(s, (int)q->n_keys + m);
		if (price) {
			struct token_sums t = {
			    v[M_INPUT], v[M_CACHE_READ], v[M_CACHE_WRITE], v[M_OUTPUT],
			    sqlite3_column_int64(s, (int)q->n_keys + M_COUNT + 1)};

			usd = estimate_api_cost(price, &t);
		} else {
			unpriced_add(&r->unpriced, model ? model : "", v[M_REQUESTS],
			             v[M_INPUT] + v[M_CACHE_READ] + v[M_CACHE_WRITE] + v[M_OUTPUT]);
		}
		if (r->n_rows > 0 && same_keys(&r->rows[r->n_rows - 1], s, q->n_keys)) {
			row = &r->rows[r->n_rows - 1];
			goto add;
		}
		if (r->n_rows == cap) {
			size_t c = cap ? cap * 2 : 64;
			struct report_row *p = realloc(r->rows, c * sizeof(*p));

			if (p == NULL)
				break;
			r->rows = p;
			cap = c;
		}
		row = &r->rows[r->n_rows++];
		memset(row, 0, sizeof(*row));
		for (size_t i = 0; i < q->n_keys; i++) {
			const char *key = (const char *)sqlite3_column_text(s, (int)i);

			row->keys[i] = strdup(key ? key : "");
		}
	add:
		for (int m = 0; m < M_COUNT; m++) {
			row->metrics[m] += v[m];
			r->totals[m] += v[m];
		}
		row->api_usd += usd;
		r->total_api_usd += usd;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "report query: %s", sqlite3_errmsg(db));
		report_free(r);
		return -1;
	}
	/* Active time was summed in milliseconds: shown in whole minutes. */
	for (size_t i = 0; i < r->n_rows; i++)
		r->rows[i].metrics[M_ACTIVE_MINUTES] =
		    (r->rows[i].metrics[M_ACTIVE_MINUTES] + 30000) / 60000;
	r->totals[M_ACTIVE_MINUTES] = (r->totals[M_ACTIVE_MINUTES] + 30000) / 60000;
	return 0;
}

void report_free(struct report *r)
{
	for (size_t i = 0; i < r->n_rows; i++)
		for (size_t k = 0; k < r->n_keys; k++)
			free(r->rows[i].keys[k]);
	free(r->rows);
	unpriced_free(&r->unpriced);
	memset(r, 0, sizeof(*r));
}
