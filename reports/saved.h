/*
 * saved.h - minutes saved, row by row of the day rollup, each developer's
 * day crediting at most estimate.lines_per_prompt lines a prompt and held
 * to the ceiling its assisted active time allows (docs/roi.md). Both are a
 * day's, so these rows are read by day whatever the period.
 */
#ifndef PAYBACK_SAVED_H
#define PAYBACK_SAVED_H

#include <sqlite3.h>
#include <stdint.h>

#include "estimate.h"
#include "names.h"

struct saved_row {
	int64_t day, developer_id, model_id, task_id, tool_id;
	struct time_usage u;     /* lines: those credited */
	struct scenario minutes; /* after the day's ceiling */
};

/* Called for each row; a non-zero return stops the walk and is returned. */
typedef int (*saved_fn)(const struct saved_row *row, void *arg);

/*
 * Calls fn for each rollup row of the local days [first, last], in key
 * order. Returns 0, fn's non-zero return, or -1 with err filled.
 */
int saved_each(sqlite3 *db, const struct estimate_model *m, struct name_cache *names, int64_t first,
               int64_t last, saved_fn fn, void *arg, char *err, size_t errlen);

#endif
