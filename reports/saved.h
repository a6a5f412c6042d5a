/*
 * saved.h - minutes saved by the rows of one developer-day of the rollup:
 * the day credits at most estimate.lines_per_prompt lines a prompt, and is
 * held to the ceiling its assisted active time allows (docs/roi.md). The
 * rollup keeps each row's minutes (store/rollup.c calls saved_rollup_day
 * when a day changes), so reports read them from week and month rows too.
 */
#ifndef PAYBACK_SAVED_H
#define PAYBACK_SAVED_H

#include <sqlite3.h>
#include <stddef.h>

#include "../daemon/store/rollup.h"
#include "estimate.h"

/*
 * A rollup_saver: arg is the const struct estimate_model to follow; task
 * factors read task names from db.
 */
int saved_rollup_day(void *arg, sqlite3 *db, const struct rollup_day_row *rows, size_t n,
                     double (*minutes)[3]);

/*
 * What the rollup counts by the configuration: near-limit requests, active
 * time, and minutes saved by cfg's estimate (which must outlive the store).
 */
void saved_rollup_basis(const struct config *cfg, struct rollup_basis *out);

#endif
