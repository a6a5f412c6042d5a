/* saved.c - the time-saved model applied to a developer-day's rollup rows. */
#include "saved.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../daemon/lib/buf.h"
#include "../daemon/lib/util.h"

/* The task of a row, by name: read only when task factors are configured. */
static const char *task_name(sqlite3_stmt *find, long long id, char *out, size_t len)
{
	out[0] = '\0';
	if (find == NULL || id <= 0)
		return NULL;
	sqlite3_bind_int64(find, 1, id);
	if (sqlite3_step(find) == SQLITE_ROW && sqlite3_column_text(find, 0))
		snprintf(out, len, "%s", (const char *)sqlite3_column_text(find, 0));
	sqlite3_reset(find);
	return out[0] ? out : NULL;
}

int saved_rollup_day(void *arg, sqlite3 *db, const struct rollup_day_row *rows, size_t n,
                     double (*minutes)[3])
{
	const struct estimate_model *m = arg;
	struct scenario *day = calloc(n ? n : 1, sizeof(*day));
	sqlite3_stmt *find = NULL;
	int64_t prompts = 0, lines = 0, active_ms = 0;
	double credited;

	if (day == NULL)
		return -1;
	if (m->n_tasks > 0 && sqlite3_prepare_v2(db, "SELECT text FROM name WHERE id = ?1", -1,
	                                         &find, NULL) != SQLITE_OK) {
		free(day);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		prompts += rows[i].prompts;
		lines += rows[i].lines;
		active_ms += rows[i].active_ms;
	}
	/* A day credits at most lines_per_prompt lines a prompt, wherever they fell. */
	credited = (double)prompts * m->lines_per_prompt;
	for (size_t i = 0; i < n; i++) {
		struct time_usage u = {
		    rows[i].prompts,
		    {rows[i].requests - rows[i].accepted - rows[i].rejected - rows[i].edited,
		     rows[i].accepted, rows[i].rejected, rows[i].edited},
		    rows[i].lines,
		    rows[i].active_ms};
		char name[256];

		if ((double)lines > credited)
			u.lines = llround((double)rows[i].lines * credited / (double)lines);
		day[i] = estimate_minutes_saved(
		    m, task_name(find, rows[i].task, name, sizeof(name)), &u);
	}
	sqlite3_finalize(find);
	estimate_apply_bounds(m, day, n, active_ms);
	for (size_t i = 0; i < n; i++) {
		minutes[i][0] = day[i].low;
		minutes[i][1] = day[i].likely;
		minutes[i][2] = day[i].high;
	}
	free(day);
	return 0;
}

/* A fingerprint of every setting of m the minutes follow. */
static void saved_key(const struct estimate_model *m, char *out, size_t len)
{
	struct buf b = BUF_INIT;
	const struct scenario *s[] = {&m->minutes_per_prompt[0], &m->minutes_per_prompt[1],
	                              &m->minutes_per_prompt[2], &m->minutes_per_prompt[3],
	                              &m->minutes_per_line,      &m->review_per_rejection,
	                              &m->waiting_share,         &m->active_ceiling};

	for (size_t i = 0; i < ARRAY_LEN(s); i++)
		buf_printf(&b, "%.17g,%.17g,%.17g;", s[i]->low, s[i]->likely, s[i]->high);
	buf_printf(&b, "%.17g;%.17g;", m->lines_per_prompt, m->workday_hours);
	for (size_t i = 0; i < m->n_tasks; i++)
		buf_printf(&b, "%s=%.17g;", m->tasks[i].task, m->tasks[i].factor);
	snprintf(out, len, "%016llx",
	         (unsigned long long)hash64(b.data ? b.data : "", b.len, 0x5a7ed));
	buf_free(&b);
}

void saved_rollup_basis(const struct config *cfg, struct rollup_basis *out)
{
	memset(out, 0, sizeof(*out));
	out->near_limit_pct = cfg->advice.near_limit_percent;
	out->idle_gap_ms = estimate_idle_gap_ms(&cfg->estimate);
	out->saver = saved_rollup_day;
	out->saver_arg = (void *)(uintptr_t)&cfg->estimate;
	saved_key(&cfg->estimate, out->saver_key, sizeof(out->saver_key));
}
