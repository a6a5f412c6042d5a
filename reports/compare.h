/*
 * compare.h - models compared on the team's own data, overall and per task:
 * acceptance, latency, retries, tokens, cost and time saved per prompt and
 * per dollar, and a recommendation per task when the samples allow one.
 */
#ifndef PAYBACK_COMPARE_H
#define PAYBACK_COMPARE_H

#include <sqlite3.h>

#include "../daemon/lib/buf.h"
#include "estimate.h"

#define COMPARE_MIN_SAMPLES 30 /* prompts a model needs in a task to be recommended */

struct compare_row {
	char *task; /* "" for all tasks together */
	char *model;
	int64_t requests, prompts, with_outcome, accepted, retries, with_latency;
	int64_t tokens; /* input + cache read + cache write + output */
	double api_usd;
	double latency_p50_ms, latency_p95_ms; /* -1 when no latency is known */
	struct scenario minutes;
};

struct compare_advice {
	char *task;                /* "" for all tasks together */
	char *best, *runner_up;    /* NULL when the data is insufficient */
	double ratio;              /* best's minutes per dollar over the runner-up's */
	int64_t requests, prompts; /* of the two, together */
};

struct compare_report {
	char from[11], to[11];
	struct compare_row *rows; /* by task ("" first), then model */
	size_t n_rows;
	struct compare_advice *advice;
	size_t n_advice;
};

int compare_build(sqlite3 *db, const struct config *cfg, const char *from, const char *to,
                  struct compare_report *out, char *err, size_t errlen);
void compare_free(struct compare_report *r);

/* Acceptance as a share of requests whose outcome is known, -1 when none is. */
double compare_acceptance(const struct compare_row *row);
/* Likely minutes saved per prompt, 0 without prompts. */
double compare_minutes_per_prompt(const struct compare_row *row);
/* Likely minutes saved per API-equivalent dollar, 0 when nothing was spent. */
double compare_minutes_per_dollar(const struct compare_row *row);

/* "for debug, m1 saved 2.1x more time per dollar than m2 over 420 prompts", unescaped. */
void compare_advice_sentence(const struct compare_advice *a, struct buf *out);

int render_text_compare(const struct compare_report *r, struct buf *out);
int render_csv_compare(const struct compare_report *r, struct buf *out);
int render_json_compare(const struct compare_report *r, struct buf *out);

#endif
