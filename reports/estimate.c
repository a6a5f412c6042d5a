/* estimate.c - seat proration, API-equivalent cost and allocation. */
#include "estimate.h"

#include <fnmatch.h>

#include "../daemon/util.h"

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
	return ((double)t->input * price->input + (double)t->cache_read * price->cache_read +
	        (double)t->cache_write * price->cache_write + (double)t->output * price->output) /
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
