/* digest.c - the figures of one e-mail digest, scoped to its readers. */
#include "digest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../daemon/lib/calendar.h"
#include "report.h"

static int by_requests(const void *a, const void *b)
{
	const struct roi_model *x = *(const struct roi_model *const *)a;
	const struct roi_model *y = *(const struct roi_model *const *)b;

	return x->requests < y->requests ? 1 : x->requests > y->requests ? -1 : 0;
}

/* Money at stake first: the advice a reader should act on before the rest. */
static int by_money(const void *a, const void *b)
{
	double x = ((const struct seat_advice *)a)->monthly_delta_usd;
	double y = ((const struct seat_advice *)b)->monthly_delta_usd;

	x = x < 0 ? -x : x;
	y = y < 0 ? -y : y;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* Keeps the seats of scope whose advice asks for action. */
static void keep_scoped_advice(struct advice_report *a, const struct roi_scope *scope)
{
	size_t kept = 0;

	for (size_t i = 0; i < a->n_items; i++) {
		struct seat_advice *s = &a->items[i];

		if (s->kind == ADVICE_GOOD ||
		    !roi_in_scope(scope, s->holder, s->holder ? s->holder->id : NULL)) {
			free(s->person);
			continue;
		}
		a->items[kept++] = *s;
	}
	a->n_items = kept;
	qsort(a->items, a->n_items, sizeof(*a->items), by_money);
}

/* The models with the most requests in the period. */
static int pick_top(struct digest_report *r)
{
	const struct roi_model **all = calloc(r->now.n_models + 1, sizeof(struct roi_model *));
	size_t n = 0;

	if (all == NULL)
		return -1;
	for (size_t i = 0; i < r->now.n_models; i++)
		if (r->now.models[i].requests > 0)
			all[n++] = &r->now.models[i];
	qsort(all, n, sizeof(struct roi_model *), by_requests);
	for (r->n_top = 0; r->n_top < n && r->n_top < DIGEST_TOP_MODELS; r->n_top++)
		r->top[r->n_top] = all[r->n_top];
	free(all);
	return 0;
}

int digest_build(sqlite3 *db, const struct config *cfg, const struct digest *d,
                 const struct person *person, int64_t from, int64_t to, int64_t prev_from,
                 int64_t prev_to, struct digest_report *r, char *err, size_t errlen)
{
	struct roi_scope scope = {NULL, NULL};
	char f[11], t[11], pf[11], pt[11];

	memset(r, 0, sizeof(*r));
	r->digest = d;
	r->person = person;
	r->public_url = cfg->public_url;
	r->period_name = sched_period_name(&d->schedule);
	if (d->scope == SCOPE_TEAM) {
		scope.team = d->team;
		snprintf(r->scope_label, sizeof(r->scope_label), "the %s team", d->team);
	} else if (d->scope == SCOPE_PERSONAL && person) {
		scope.person = person->id;
		snprintf(r->scope_label, sizeof(r->scope_label), "%s",
		         person->name ? person->name : person->id);
	} else {
		snprintf(r->scope_label, sizeof(r->scope_label), "the organisation");
	}
	cal_day_text(from, f);
	cal_day_text(to, t);
	cal_day_text(prev_from, pf);
	cal_day_text(prev_to, pt);
	if (roi_build_scoped(db, cfg, f, t, &scope, &r->now, err, errlen) < 0)
		return -1;
	if (roi_build_scoped(db, cfg, pf, pt, &scope, &r->before, err, errlen) < 0 ||
	    compare_build(db, cfg, f, t, &r->compare, err, errlen) < 0)
		goto fail;
	if (advice_build(db, cfg, f, t, &r->advice, err, errlen) < 0)
		goto fail;
	if (d->schedule.kind != SCHED_WEEKLY) {
		char wf[11], pf7[11], pt7[11];

		cal_day_text(to - 6, wf);
		cal_day_text(to - 13, pf7);
		cal_day_text(to - 7, pt7);
		if (roi_build_scoped(db, cfg, wf, t, &scope, &r->week, err, errlen) < 0 ||
		    roi_build_scoped(db, cfg, pf7, pt7, &scope, &r->week_before, err, errlen) < 0)
			goto fail;
		r->has_week = 1;
	}
	keep_scoped_advice(&r->advice, &scope);
	if (pick_top(r) < 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return 0;
fail:
	digest_free(r);
	return -1;
}

void digest_free(struct digest_report *r)
{
	roi_free(&r->now);
	roi_free(&r->before);
	roi_free(&r->week);
	roi_free(&r->week_before);
	compare_free(&r->compare);
	advice_free(&r->advice);
	memset(r, 0, sizeof(*r));
}
