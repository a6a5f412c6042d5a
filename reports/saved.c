/* saved.c - the time-saved model applied to a period, a developer-day at a time. */
#include "saved.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char saved_sql[] =
    "SELECT day, developer_id, model_id, task_id, tool_id, prompts, requests, accepted, "
    "rejected, edited, lines_added + lines_accepted, active_ms FROM rollup "
    "WHERE day >= ?1 AND day <= ?2 ORDER BY day, developer_id, model_id, task_id, tool_id";

/* The rows of one developer's day, waiting for the day's ceiling. */
struct day_rows {
	struct saved_row *rows;
	struct scenario *minutes;
	size_t n, cap;
	int64_t active_ms, prompts, lines;
};

static int day_push(struct day_rows *d, const struct saved_row *row)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		struct saved_row *rows = realloc(d->rows, cap * sizeof(*rows));
		struct scenario *minutes;

		if (rows == NULL)
			return -1;
		d->rows = rows;
		minutes = realloc(d->minutes, cap * sizeof(*minutes));
		if (minutes == NULL)
			return -1;
		d->minutes = minutes;
		d->cap = cap;
	}
	d->rows[d->n++] = *row;
	d->active_ms += row->u.active_ms;
	d->prompts += row->u.prompts;
	d->lines += row->u.lines;
	return 0;
}

static int day_flush(struct day_rows *d, const struct estimate_model *m, struct name_cache *names,
                     saved_fn fn, void *arg)
{
	double credited = (double)d->prompts * m->lines_per_prompt;
	int rc = 0;

	/* A day credits at most lines_per_prompt lines a prompt, wherever they fell. */
	for (size_t i = 0; i < d->n && (double)d->lines > credited; i++)
		d->rows[i].u.lines =
		    llround((double)d->rows[i].u.lines * credited / (double)d->lines);
	for (size_t i = 0; i < d->n; i++) {
		const char *task = names_text(names, d->rows[i].task_id);

		if (task == NULL)
			return -1;
		d->minutes[i] = estimate_minutes_saved(m, task[0] ? task : NULL, &d->rows[i].u);
	}
	estimate_apply_ceiling(d->minutes, d->n, estimate_ceiling_minutes(m, d->active_ms));
	for (size_t i = 0; i < d->n && rc == 0; i++) {
		d->rows[i].minutes = d->minutes[i];
		rc = fn(&d->rows[i], arg);
	}
	d->n = 0;
	d->active_ms = d->prompts = d->lines = 0;
	return rc;
}

int saved_each(sqlite3 *db, const struct estimate_model *m, struct name_cache *names, int64_t first,
               int64_t last, saved_fn fn, void *arg, char *err, size_t errlen)
{
	struct day_rows day = {NULL, NULL, 0, 0, 0, 0, 0};
	sqlite3_stmt *s;
	int rc, out = 0;

	if (sqlite3_prepare_v2(db, saved_sql, -1, &s, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "report query: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_int64(s, 1, first);
	sqlite3_bind_int64(s, 2, last);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct saved_row row;
		int64_t requests = sqlite3_column_int64(s, 6);

		row.day = sqlite3_column_int64(s, 0);
		row.developer_id = sqlite3_column_int64(s, 1);
		row.model_id = sqlite3_column_int64(s, 2);
		row.task_id = sqlite3_column_int64(s, 3);
		row.tool_id = sqlite3_column_int64(s, 4);
		row.u.prompts = sqlite3_column_int64(s, 5);
		for (int o = OUTCOME_ACCEPTED; o < OUTCOME_KINDS; o++) {
			row.u.requests[o] = sqlite3_column_int64(s, 6 + o);
			requests -= row.u.requests[o];
		}
		row.u.requests[OUTCOME_UNKNOWN] = requests;
		row.u.lines = sqlite3_column_int64(s, 10);
		row.u.active_ms = sqlite3_column_int64(s, 11);
		if (day.n > 0 &&
		    (day.rows[0].day != row.day || day.rows[0].developer_id != row.developer_id) &&
		    (out = day_flush(&day, m, names, fn, arg)) != 0)
			break;
		if (day_push(&day, &row) < 0) {
			out = -1;
			break;
		}
	}
	if (out == 0 && rc == SQLITE_DONE && day.n > 0)
		out = day_flush(&day, m, names, fn, arg);
	if (out == 0 && rc != SQLITE_DONE)
		out = -1;
	if (out < 0)
		snprintf(err, errlen, "report query: %s",
		         rc == SQLITE_ROW || rc == SQLITE_DONE ? "out of memory"
		                                               : sqlite3_errmsg(db));
	sqlite3_finalize(s);
	free(day.rows);
	free(day.minutes);
	return out;
}
