/*
 * estimate.h - the money formulas of the ROI engine, as pure functions of the
 * configuration and usage sums, so every figure can be checked by hand.
 */
#ifndef PAYBACK_ESTIMATE_H
#define PAYBACK_ESTIMATE_H

#include <stddef.h>
#include <stdint.h>

#include "../daemon/config/config.h"
#include "../daemon/ingest/event.h"

struct token_sums {
	int64_t input, cache_read, cache_write, output;
	int64_t cache_write_1h; /* the part of cache_write written for an hour */
};

/* Days in the month of a day (days since 1970-01-01). */
unsigned estimate_month_days(int64_t day);

/*
 * What a seat costs over the local days [from, to] (inclusive): each day it
 * is held costs monthly_usd divided by the number of days of that calendar
 * month, so a month held whole costs exactly monthly_usd.
 */
double estimate_seat_cost(const struct plan *plan, const struct seat *seat, int64_t from,
                          int64_t to);

/*
 * The tokens at API list prices: cache writes at cache_write (five minutes),
 * their one-hour part at cache_write_1h, by default twice the input price.
 */
double estimate_api_cost(const struct model_price *price, const struct token_sums *t);

/*
 * Splits cost over n parts in proportion to weights (API-equivalent cost, or
 * requests); with no weight at all, in equal parts. out[] sums to cost.
 */
void estimate_allocate(double cost, const double *weights, size_t n, double *out);

/* Whether plan covers model (one of its patterns matches). */
int estimate_plan_covers(const struct plan *plan, const char *model);

/*
 * The seat of who that covers model on day, or NULL when that usage is
 * pay-as-you-go. With several, the first listed wins.
 */
const struct seat *estimate_covering_seat(const struct config *cfg, const struct person *who,
                                          const char *model, int64_t day);

/*
 * Whether a seat of who starts or ends within [first, last], so that usage
 * in that span is not covered alike on every day of it.
 */
int estimate_seats_change(const struct person *who, int64_t first, int64_t last);

/* What the time-saved model reads of some usage. */
struct time_usage {
	int64_t prompts;                 /* the turns a person started */
	int64_t requests[OUTCOME_KINDS]; /* by outcome, in enum outcome's order */
	int64_t lines;                   /* lines agents changed and were kept, or accepted */
	int64_t active_ms;               /* assisted active time */
};

/*
 * The prompts of u by outcome. Only decided requests (an edit accepted,
 * edited or rejected) tell a prompt's outcome, so an agent's other requests
 * change nothing: with as many decisions as prompts or more, the prompts
 * take the decisions' mix; with fewer, each decision is one prompt's and the
 * rest are unknown.
 */
void estimate_prompt_outcomes(const struct time_usage *u, double out[OUTCOME_KINDS]);

/*
 * Minutes saved in each scenario by usage of one task (NULL: none), before
 * any ceiling:
 *   task factor x sum over outcomes of prompts x minutes per prompt
 *   + lines x minutes per line
 *   - rejected requests x review minutes
 *   - active minutes x waiting share
 */
struct scenario estimate_minutes_saved(const struct estimate_model *m, const char *task,
                                       const struct time_usage *u);

/* A developer-day's attended minutes: its active time, at most a working day. */
double estimate_attended_minutes(const struct estimate_model *m, int64_t active_ms);

/*
 * Holds each scenario of rows[0..n), one developer-day's, between minus its
 * attended minutes (nobody loses more time than they spent) and its
 * attended minutes x active_ceiling: where the sum passes a bound, every row
 * is scaled so that it equals it.
 */
void estimate_apply_bounds(const struct estimate_model *m, struct scenario *rows, size_t n,
                           int64_t active_ms);

/* estimate.idle_gap_minutes in milliseconds: a longer gap ends a stretch of active time. */
long long estimate_idle_gap_ms(const struct estimate_model *m);

/* The Gregorian calendar's average month, for figures "per month". */
#define ESTIMATE_MONTH_DAYS 30.436875

struct roi {
	/* roi: (value - cost) / cost, the return on each dollar spent; 0 with no cost */
	struct scenario hours, value_usd, net_usd, roi;
	double break_even_hours_month; /* hours saved a month that pay for a month's cost */
};

/*
 * Value, net, ROI and break-even of minutes saved against the cost of a
 * period of days days.
 */
void estimate_roi(const struct estimate_model *m, struct scenario minutes, double cost_usd,
                  double days, struct roi *out);

#endif
