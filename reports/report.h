/*
 * report.h - report queries produce a struct report; renderers only format
 * it, so the text table, CSV and JSON always agree.
 */
#ifndef PAYBACK_REPORT_H
#define PAYBACK_REPORT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "../daemon/lib/buf.h"
#include "unpriced.h"

enum report_key {
	KEY_DEVELOPER,
	KEY_TEAM,
	KEY_TOOL,
	KEY_MODEL,
	KEY_PROJECT,
	KEY_TASK,
	KEY_DAY,
	KEY_WEEK,
	KEY_MONTH,
	KEY_COUNT
};

enum report_metric {
	M_REQUESTS,
	M_PROMPTS,
	M_ACTIVE_MINUTES, /* assisted active time (docs/roi.md) */
	M_INPUT,
	M_CACHE_READ,
	M_CACHE_WRITE,
	M_OUTPUT,
	M_REASONING,
	M_COUNT
};

#define REPORT_MAX_KEYS KEY_COUNT

struct report_row {
	char *keys[REPORT_MAX_KEYS];
	int64_t metrics[M_COUNT];
	double api_usd; /* the same tokens at API list prices */
};

struct report {
	char from[11], to[11]; /* YYYY-MM-DD, local days, inclusive; "" = open */
	enum report_key keys[REPORT_MAX_KEYS];
	size_t n_keys;
	struct report_row *rows;
	size_t n_rows;
	int64_t totals[M_COUNT];
	double total_api_usd;
	struct unpriced_list unpriced; /* models with no price: nothing in api_usd */
};

struct report_query {
	const char *from, *to; /* NULL = open */
	enum report_key keys[REPORT_MAX_KEYS];
	size_t n_keys;
};

struct config;

extern const char *const report_key_names[KEY_COUNT];
extern const char *const report_metric_names[M_COUNT];

/* Parses "developer,model" into q; returns -1 with a message in err for a bad key. */
int report_parse_keys(struct report_query *q, const char *list, char *err, size_t errlen);
/*
 * Adds the pb_day(), pb_week(), pb_month(), pb_person() and pb_team() SQL
 * functions to db; the last two read cfg's people, which must outlive db.
 */
int report_register_functions(sqlite3 *db, const struct config *cfg);
/* Runs q, pricing tokens with cfg's models; returns 0 or -1 with err filled. */
int report_usage(sqlite3 *db, const struct config *cfg, const struct report_query *q,
                 struct report *r, char *err, size_t errlen);
void report_free(struct report *r);

/*
 * Shows a report grouped by developer as privacy.developers says: as is, as
 * pseudonyms, or not at all (-1 with err filled).
 */
int report_apply_privacy(const struct config *cfg, struct report *r, char *err, size_t errlen);

/*
 * How a developer is shown under cfg's privacy setting: as they are, as a
 * stable pseudonym ("developer-3fa2c1"), or "(hidden)".
 */
void report_developer_name(const struct config *cfg, const char *id, char *out, size_t n);

/*
 * A month ("2026-11") or the last N days up to today ("7d") as the local
 * days from and to; exactly one of period and last is given. Returns 0 or -1.
 */
int report_period_bounds(const char *period, const char *last, char from[11], char to[11]);

/*
 * The first and last local days in the rollup, each where its pointer is
 * not NULL. Returns 0, or -1 when nothing is stored.
 */
int report_data_bounds(sqlite3 *db, int64_t *first, int64_t *last);

int render_text_usage(const struct report *r, struct buf *out);
int render_csv_usage(const struct report *r, struct buf *out);
int render_json_usage(const struct report *r, struct buf *out);

#endif
