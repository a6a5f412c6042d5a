/* estimate.c - seat proration, API-equivalent cost and allocation. */
#include "estimate.h"

#include <fnmatch.h>
#include <string.h>

#include "../daemon/lib/util.h"

unsigned estimate_month_days(int64_t day)
{
	int y;
	unsigned m, d;

	civil_from_days(day, &y, &m, &d);
	return (unsigned)(days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) -
	                  days_from_civil(y, m, 1));
}

double estimate_seat_cost(const struct plan *plan, const struct seat *seat, int64_t from,
                          int64_t to)
{
	int64_t first = seat->since > from ? seat->since : from;
	int64_t last = seat->until < to ? seat->until : to;
	double cost = 0;

	/* Month by month: whole runs of days share one daily price. */
	while (first <= last) {
		int y;
		unsigned m, d, days = estimate_month_days(first);
		int64_t month_end;

		civil_from_days(first, &y, &m, &d);
		month_end = first + (days - d);
		if (month_end > last)
			month_end = last;
		cost += plan->monthly_usd * (double)(month_end - first + 1) / days;
		first = month_end + 1;
	}
	return cost;
}

double estimate_api_cost(const struct model_price *price, const struct token_sums *t)
{
	if (price == NULL)
		return 0;
	double hour = price->cache_write_1h >= 0 ? price->cache_write_1h : 2 * price->input;
	int64_t five = t->cache_write - t->cache_write_1h;

	return ((double)t->input * price->input + (double)t->cache_read * price->cache_read +
	        (double)five * price->cache_write + (double)t->cache_write_1h * hour +
	        (double)t->output * price->output) /
	       1e6;
}

void estimate_allocate(double cost, const double *weights, size_t n, double *out)
{
	double total = 0;

	for (size_t i = 0; i < n; i++)
		total += weights[i] > 0 ? weights[i] : 0;
	for (size_t i = 0; i < n; i++)
		out[i] =
		    total > 0 ? cost * (weights[i] > 0 ? weights[i] : 0) / total : cost / (double)n;
}

int estimate_plan_covers(const struct plan *plan, const char *model)
{
	for (size_t i = 0; i < plan->n_covers; i++)
		if (fnmatch(plan->covers[i], model, 0) == 0)
			return 1;
	return 0;
}

const struct seat *estimate_covering_seat(const struct config *cfg, const struct person *who,
                                          const char *model, int64_t day)
{
	for (size_t i = 0; who && i < who->n_seats; i++) {
		const struct seat *s = &who->seats[i];
		const struct plan *plan = config_plan(cfg, s->plan);

		if (plan && s->since <= day && day <= s->until && estimate_plan_covers(plan, model))
			return s;
	}
	return NULL;
}

int estimate_seats_change(const struct person *who, int64_t first, int64_t last)
{
	for (size_t i = 0; who && i < who->n_seats; i++) {
		const struct seat *s = &who->seats[i];

		if ((s->since > first && s->since <= last) ||
		    (s->until >= first && s->until < last))
			return 1;
	}
	return 0;
}

static double task_factor(const struct estimate_model *m, const char *task)
{
	for (size_t i = 0; task && i < m->n_tasks; i++)
		if (strcmp(m->tasks[i].task, task) == 0)
			return m->tasks[i].factor;
	return 1.0;
}

/* One scenario of the model, picked by the offset of its field. */
static double pick(const struct scenario *s, size_t which)
{
	return which == 0 ? s->low : which == 1 ? s->likely : s->high;
}

void estimate_prompt_outcomes(const struct time_usage *u, double out[OUTCOME_KINDS])
{
	int64_t decided = 0;

	for (int o = OUTCOME_ACCEPTED; o < OUTCOME_KINDS; o++)
		decided += u->requests[o];
	out[OUTCOME_UNKNOWN] = 0;
	for (int o = OUTCOME_ACCEPTED; o < OUTCOME_KINDS; o++)
		out[o] = decided >= u->prompts && decided > 0
		             ? (double)u->prompts * (double)u->requests[o] / (double)decided
		             : (double)u->requests[o];
	if (decided < u->prompts)
		out[OUTCOME_UNKNOWN] = (double)(u->prompts - decided);
}

struct scenario estimate_minutes_saved(const struct estimate_model *m, const char *task,
                                       const struct time_usage *u)
{
	double out[3], factor = task_factor(m, task), active = (double)u->active_ms / 60000.0;
	double prompts[OUTCOME_KINDS];
	struct scenario s;

	estimate_prompt_outcomes(u, prompts);
	for (size_t k = 0; k < 3; k++) {
		double per_prompt = 0;

		for (int o = 0; o < OUTCOME_KINDS; o++)
			per_prompt += prompts[o] * pick(&m->minutes_per_prompt[o], k);
		out[k] = factor * per_prompt + (double)u->lines * pick(&m->minutes_per_line, k) -
		         (double)u->requests[OUTCOME_REJECTED] * pick(&m->review_per_rejection, k) -
		         active * pick(&m->waiting_share, k);
	}
	s.low = out[0];
	s.likely = out[1];
	s.high = out[2];
	return s;
}

double estimate_attended_minutes(const struct estimate_model *m, int64_t active_ms)
{
	double minutes = (double)active_ms / 60000.0, workday = m->workday_hours * 60;

	/* Agents run in parallel and around the clock; the person's own time does not. */
	return minutes < workday ? minutes : workday;
}

/* One scenario of s, to change. */
static double *field(struct scenario *s, size_t which)
{
	return which == 0 ? &s->low : which == 1 ? &s->likely : &s->high;
}

void estimate_apply_bounds(const struct estimate_model *m, struct scenario *rows, size_t n,
                           int64_t active_ms)
{
	double attended = estimate_attended_minutes(m, active_ms);

	for (size_t k = 0; k < 3; k++) {
		double sum = 0, hi = attended * pick(&m->active_ceiling, k), lo = -attended, to;

		for (size_t i = 0; i < n; i++)
			sum += *field(&rows[i], k);
		if (sum <= hi && sum >= lo)
			continue;
		to = sum > hi ? hi : lo;
		for (size_t i = 0; i < n; i++)
			*field(&rows[i], k) *= to / sum;
	}
}

long long estimate_idle_gap_ms(const struct estimate_model *m)
{
	return (long long)(m->idle_gap_minutes * 60000.0);
}

void estimate_roi(const struct estimate_model *m, struct scenario minutes, double cost_usd,
                  double days, struct roi *out)
{
	const double *mins[3] = {&minutes.low, &minutes.likely, &minutes.high};
	double *hours[3] = {&out->hours.low, &out->hours.likely, &out->hours.high};
	double *value[3] = {&out->value_usd.low, &out->value_usd.likely, &out->value_usd.high};
	double *net[3] = {&out->net_usd.low, &out->net_usd.likely, &out->net_usd.high};
	double *roi[3] = {&out->roi.low, &out->roi.likely, &out->roi.high};

	for (int k = 0; k < 3; k++) {
		*hours[k] = *mins[k] / 60.0;
		*value[k] = *hours[k] * m->hourly_cost_usd;
		*net[k] = *value[k] - cost_usd;
		*roi[k] = cost_usd > 0 ? *net[k] / cost_usd : 0;
	}
	out->break_even_hours_month =
	    m->hourly_cost_usd > 0 && days > 0
	        ? cost_usd / days * ESTIMATE_MONTH_DAYS / m->hourly_cost_usd
	        : 0;
}
