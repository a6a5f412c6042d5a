/*
 * roi.c - seat cost, pay-as-you-go and time saved of a period.
 *
 * One query groups the period's events by developer, model, local day, task
 * and outcome. Each group is priced (API-equivalent) and either falls under
 * a seat its developer held that day whose plan covers the model, adding to
 * that seat's weight for the model, or is pay-as-you-go. Each seat's
 * prorated cost is then split over its models by those weights.
 */
#include "roi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../daemon/util.h"
#include "names.h"
#include "report.h"

#define UNUSED_SEATS "(unused seats)"

/* Usage of one model by one developer under one task, for the time-saved model. */
struct task_usage {
	size_t model, person;
	char *task;
	struct time_usage u;
};

/* What a seat's covered usage weighs, per model. */
struct seat_weight {
	const struct seat *seat;
	size_t model;
	double api_usd;
};

/* Where (model, person, task id) sits in tasks: rollup rows repeat them often. */
struct task_slot {
	size_t model, person, index; /* index + 1; 0: free */
	int64_t task_id;
};

struct roi_work {
	struct roi_report *r;
	const struct roi_scope *scope;
	struct task_usage *tasks;
	size_t n_tasks;
	struct task_slot *slots;
	size_t cap_slots;
	struct seat_weight *weights;
	size_t n_weights;
};

/* Grows an array about to receive element n: capacities 8, 16, 32 and on. */
static void *grow(void *p, size_t n, size_t size)
{
	if (n != 0 && (n < 8 || (n & (n - 1)) != 0))
		return p;
	return realloc(p, (n < 8 ? 8 : n * 2) * size);
}

static size_t model_index(struct roi_report *r, const char *model)
{
	struct roi_model *m;

	for (size_t i = 0; i < r->n_models; i++)
		if (strcmp(r->models[i].model, model) == 0)
			return i;
	m = grow(r->models, r->n_models, sizeof(*m));
	if (m == NULL)
		return SIZE_MAX;
	r->models = m;
	memset(&m[r->n_models], 0, sizeof(*m));
	m[r->n_models].model = strdup(model);
	if (m[r->n_models].model == NULL)
		return SIZE_MAX;
	return r->n_models++;
}

static size_t person_index(struct roi_report *r, const char *id, const char *team)
{
	struct roi_person *p;

	for (size_t i = 0; i < r->n_people; i++)
		if (strcmp(r->people[i].id, id) == 0)
			return i;
	p = grow(r->people, r->n_people, sizeof(*p));
	if (p == NULL)
		return SIZE_MAX;
	r->people = p;
	memset(&p[r->n_people], 0, sizeof(*p));
	p[r->n_people].id = strdup(id);
	p[r->n_people].team = team ? team : "(no team)";
	if (p[r->n_people].id == NULL)
		return SIZE_MAX;
	return r->n_people++;
}

static struct time_usage *task_usage(struct roi_work *w, size_t model, size_t person,
                                     const char *task)
{
	struct task_usage *t;

	for (size_t i = 0; i < w->n_tasks; i++)
		if (w->tasks[i].model == model && w->tasks[i].person == person &&
		    strcmp(w->tasks[i].task, task) == 0)
			return &w->tasks[i].u;
	t = grow(w->tasks, w->n_tasks, sizeof(*t));
	if (t == NULL)
		return NULL;
	w->tasks = t;
	memset(&t[w->n_tasks], 0, sizeof(*t));
	t[w->n_tasks].model = model;
	t[w->n_tasks].person = person;
	t[w->n_tasks].task = strdup(task);
	if (t[w->n_tasks].task == NULL)
		return NULL;
	return &t[w->n_tasks++].u;
}

static int add_weight(struct roi_work *w, const struct seat *seat, size_t model, double usd)
{
	struct seat_weight *sw;

	for (size_t i = 0; i < w->n_weights; i++)
		if (w->weights[i].seat == seat && w->weights[i].model == model) {
			w->weights[i].api_usd += usd;
			return 0;
		}
	sw = grow(w->weights, w->n_weights, sizeof(*sw));
	if (sw == NULL)
		return -1;
	w->weights = sw;
	sw[w->n_weights++] = (struct seat_weight){seat, model, usd};
	return 0;
}

static struct time_usage *task_usage_by_id(struct roi_work *w, size_t model, size_t person,
                                           int64_t task_id, const char *task)
{
	struct task_slot *slot;
	size_t h;

	if ((w->n_tasks + 1) * 2 > w->cap_slots) {
		size_t cap = w->cap_slots ? w->cap_slots * 2 : 1024;
		struct task_slot *slots = calloc(cap, sizeof(*slots));

		if (slots == NULL)
			return NULL;
		for (size_t i = 0; i < w->cap_slots; i++) {
			struct task_slot *o = &w->slots[i];

			if (o->index == 0)
				continue;
			h = (o->model * 31 + o->person * 131 + (size_t)o->task_id * 1031) &
			    (cap - 1);
			while (slots[h].index)
				h = (h + 1) & (cap - 1);
			slots[h] = *o;
		}
		free(w->slots);
		w->slots = slots;
		w->cap_slots = cap;
	}
	h = (model * 31 + person * 131 + (size_t)task_id * 1031) & (w->cap_slots - 1);
	for (; (slot = &w->slots[h])->index; h = (h + 1) & (w->cap_slots - 1))
		if (slot->model == model && slot->person == person && slot->task_id == task_id)
			return &w->tasks[slot->index - 1].u;
	if (task_usage(w, model, person, task) == NULL)
		return NULL;
	*slot = (struct task_slot){model, person, w->n_tasks, task_id};
	return &w->tasks[w->n_tasks - 1].u;
}

/*
 * Rollup rows as stored, in key order (day, developer, model, task, tool):
 * what depends on the developer, the model or the day is looked up once
 * for a run of rows, and rows of several tools or tasks add up in C.
 */
static int read_usage(sqlite3 *db, const struct config *cfg, int64_t first, int64_t last,
                      struct roi_work *w, char *err, size_t errlen)
{
	static const char sql[] =
	    "SELECT day, developer_id, model_id, task_id, requests, accepted, rejected, edited, "
	    "input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, "
	    "lines_added + lines_accepted, latency_ms FROM rollup WHERE day >= ?1 AND day <= ?2";
	struct roi_report *r = w->r;
	int64_t last_dev = -1, last_model = -1, last_day = INT64_MIN;
	const struct model_price *price = NULL;
	const struct person *who = NULL;
	const struct seat *seat = NULL;
	size_t m = SIZE_MAX, p = SIZE_MAX;
	int is_in_scope = 1;
	struct name_cache *names = names_new(db);
	sqlite3_stmt *s;
	int rc;

	if (names == NULL || sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "report query: %s", sqlite3_errmsg(db));
		names_free(names);
		return -1;
	}
	sqlite3_bind_int64(s, 1, first);
	sqlite3_bind_int64(s, 2, last);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t day = sqlite3_column_int64(s, 0), n = sqlite3_column_int64(s, 4);
		int64_t dev_id = sqlite3_column_int64(s, 1), model_id = sqlite3_column_int64(s, 2);
		const char *dev = names_text(names, dev_id), *model = names_text(names, model_id);
		const char *task = names_text(names, sqlite3_column_int64(s, 3));
		struct token_sums t = {sqlite3_column_int64(s, 8), sqlite3_column_int64(s, 9),
		                       sqlite3_column_int64(s, 10), sqlite3_column_int64(s, 11)};
		struct time_usage *u;
		double usd;

		if (dev == NULL || model == NULL)
			break;
		if (dev_id != last_dev) {
			who = config_person(cfg, dev);
			is_in_scope = roi_in_scope(w->scope, who, dev);
			p = is_in_scope
			        ? person_index(r, who ? who->id : dev, who ? who->team : NULL)
			        : p;
		}
		if (!is_in_scope) {
			last_dev = dev_id;
			continue;
		}
		if (model_id != last_model) {
			price = config_model_price(cfg, model);
			m = model_index(r, model);
		}
		if (dev_id != last_dev || model_id != last_model || day != last_day)
			seat = estimate_covering_seat(cfg, who, model, day);
		last_dev = dev_id;
		last_model = model_id;
		last_day = day;
		usd = estimate_api_cost(price, &t);
		u = m == SIZE_MAX || p == SIZE_MAX || task == NULL
		        ? NULL
		        : task_usage_by_id(w, m, p, sqlite3_column_int64(s, 3), task);

		if (u == NULL)
			break;
		for (int o = OUTCOME_ACCEPTED; o < OUTCOME_KINDS; o++)
			u->requests[o] += sqlite3_column_int64(s, 4 + o);
		u->requests[OUTCOME_UNKNOWN] += n - sqlite3_column_int64(s, 5) -
		                                sqlite3_column_int64(s, 6) -
		                                sqlite3_column_int64(s, 7);
		u->lines += sqlite3_column_int64(s, 12);
		u->latency_ms += sqlite3_column_int64(s, 13);
		r->people[p].requests += n;
		r->people[p].api_usd += usd;
		r->models[m].requests += n;
		r->models[m].api_usd += usd;
		r->requests += n;
		r->api_usd += usd;
		if (seat == NULL) {
			r->models[m].payg_usd += usd;
			r->people[p].payg_usd += usd;
			r->payg_usd += usd;
		} else if (add_weight(w, seat, m,
		                      cfg->estimate.is_allocated_by_requests ? (double)n : usd) <
		           0) {
			break;
		}
	}
	sqlite3_finalize(s);
	names_free(names);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "report query: %s",
		         rc == SQLITE_ROW ? "out of memory" : sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* Splits each seat's prorated cost over the models it paid for. */
static int allocate_seats(const struct config *cfg, struct roi_work *w, int64_t from, int64_t to)
{
	struct roi_report *r = w->r;

	for (size_t p = 0; p < cfg->n_people; p++) {
		for (size_t k = 0; k < cfg->people[p].n_seats; k++) {
			const struct seat *seat = &cfg->people[p].seats[k];
			const struct plan *plan = config_plan(cfg, seat->plan);
			double cost = plan ? estimate_seat_cost(plan, seat, from, to) : 0,
			       total = 0;
			size_t who;

			if (cost <= 0 ||
			    !roi_in_scope(w->scope, &cfg->people[p], cfg->people[p].id))
				continue;
			who = person_index(r, cfg->people[p].id, cfg->people[p].team);
			if (who == SIZE_MAX)
				return -1;
			r->people[who].seat_cost_usd += cost;
			r->seat_cost_usd += cost;
			for (size_t i = 0; i < w->n_weights; i++)
				if (w->weights[i].seat == seat)
					total += w->weights[i].api_usd;
			if (total <= 0) {
				size_t m = model_index(r, UNUSED_SEATS);

				if (m == SIZE_MAX)
					return -1;
				r->models[m].seat_cost_usd += cost;
				continue;
			}
			for (size_t i = 0; i < w->n_weights; i++)
				if (w->weights[i].seat == seat)
					r->models[w->weights[i].model].seat_cost_usd +=
					    cost * w->weights[i].api_usd / total;
		}
	}
	return 0;
}

static int by_person(const void *a, const void *b)
{
	return strcmp(((const struct roi_person *)a)->id, ((const struct roi_person *)b)->id);
}

/* "other" sorts last: it is what is left, not a team. */
static int by_team(const void *a, const void *b)
{
	const char *x = ((const struct roi_team *)a)->team, *y = ((const struct roi_team *)b)->team;
	int xo = strcmp(x, "other") == 0, yo = strcmp(y, "other") == 0;

	return xo != yo ? xo - yo : strcmp(x, y);
}

static void add_scenario(struct scenario *to, struct scenario s)
{
	to->low += s.low;
	to->likely += s.likely;
	to->high += s.high;
}

static struct roi_team *team_row(struct roi_report *r, const char *name)
{
	struct roi_team *t;

	for (size_t k = 0; k < r->n_teams; k++)
		if (strcmp(r->teams[k].team, name) == 0)
			return &r->teams[k];
	t = grow(r->teams, r->n_teams, sizeof(*t));
	if (t == NULL)
		return NULL;
	r->teams = t;
	t = &r->teams[r->n_teams];
	memset(t, 0, sizeof(*t));
	t->team = strdup(name);
	if (t->team == NULL)
		return NULL;
	r->n_teams++;
	return t;
}

/* Sums people into teams, folding teams of fewer than min_group into "other". */
static int build_teams(const struct config *cfg, struct roi_report *r)
{
	for (size_t i = 0; i < r->n_people; i++) {
		const struct roi_person *p = &r->people[i];
		struct roi_team *t;
		int64_t members = 0;

		for (size_t k = 0; k < r->n_people; k++)
			members += strcmp(r->people[k].team, p->team) == 0;
		t = team_row(r, members < cfg->privacy.min_group ? "other" : p->team);
		if (t == NULL)
			return -1;
		t->people++;
		t->requests += p->requests;
		t->seat_cost_usd += p->seat_cost_usd;
		t->payg_usd += p->payg_usd;
		t->api_usd += p->api_usd;
		add_scenario(&t->minutes, p->minutes);
	}
	for (size_t k = 0; k < r->n_teams; k++)
		estimate_roi(&cfg->estimate, r->teams[k].minutes,
		             r->teams[k].seat_cost_usd + r->teams[k].payg_usd, &r->teams[k].roi);
	qsort(r->teams, r->n_teams, sizeof(*r->teams), by_team);
	return 0;
}

/* Pseudonyms are stable (a hash of the id) so a person can be followed over time. */
static int apply_privacy(const struct config *cfg, struct roi_report *r)
{
	if (cfg->privacy.developers == PRIVACY_HIDDEN) {
		for (size_t i = 0; i < r->n_people; i++)
			free(r->people[i].id);
		free(r->people);
		r->people = NULL;
		r->n_people = 0;
		return 0;
	}
	if (cfg->privacy.developers == PRIVACY_PSEUDONYMOUS) {
		for (size_t i = 0; i < r->n_people; i++) {
			char name[32];

			report_developer_name(cfg, r->people[i].id, name, sizeof(name));
			free(r->people[i].id);
			r->people[i].id = strdup(name);
			if (r->people[i].id == NULL)
				return -1;
		}
	}
	qsort(r->people, r->n_people, sizeof(*r->people), by_person);
	return 0;
}

static int by_model(const void *a, const void *b)
{
	return strcmp(((const struct roi_model *)a)->model, ((const struct roi_model *)b)->model);
}

static int data_bounds(sqlite3 *db, int64_t *first, int64_t *last)
{
	sqlite3_stmt *s;
	int rc = -1;

	if (sqlite3_prepare_v2(db, "SELECT min(day), max(day) FROM rollup", -1, &s, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		*first = sqlite3_column_int64(s, 0);
		*last = sqlite3_column_int64(s, 1);
		rc = 0;
	}
	sqlite3_finalize(s);
	return rc;
}

int roi_in_scope(const struct roi_scope *scope, const struct person *who, const char *developer)
{
	if (scope == NULL)
		return 1;
	if (scope->person)
		return who ? strcmp(who->id, scope->person) == 0
		           : developer && strcmp(developer, scope->person) == 0;
	if (scope->team)
		return who && who->team && strcmp(who->team, scope->team) == 0;
	return 1;
}

int roi_build(sqlite3 *db, const struct config *cfg, const char *from, const char *to,
              struct roi_report *r, char *err, size_t errlen)
{
	return roi_build_scoped(db, cfg, from, to, NULL, r, err, errlen);
}

int roi_build_scoped(sqlite3 *db, const struct config *cfg, const char *from, const char *to,
                     const struct roi_scope *scope, struct roi_report *r, char *err, size_t errlen)
{
	struct roi_work w = {r, scope, NULL, 0, NULL, 0, NULL, 0};
	int64_t first = 0, last = -1;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	r->currency = cfg->estimate.currency ? cfg->estimate.currency : "USD";
	if ((!from || !to) && data_bounds(db, &first, &last) < 0) {
		first = report_local_day(0);
		last = first - 1; /* nothing stored: an empty period */
	}
	if ((from && report_day_of(from, &first) < 0) || (to && report_day_of(to, &last) < 0)) {
		snprintf(err, errlen, "'%s' is not a date (YYYY-MM-DD)", from ? from : to);
		return -1;
	}
	if (last < first && from && to) {
		snprintf(err, errlen, "--from %s is after --to %s", from, to);
		return -1;
	}
	report_day_text(first, r->from);
	report_day_text(last, r->to);
	if (last >= first) {
		if (read_usage(db, cfg, first, last, &w, err, errlen) < 0 ||
		    allocate_seats(cfg, &w, first, last) < 0)
			goto done;
	}
	for (size_t i = 0; i < w.n_tasks; i++) {
		struct scenario s =
		    estimate_minutes_saved(&cfg->estimate, w.tasks[i].task, &w.tasks[i].u);

		add_scenario(&r->models[w.tasks[i].model].minutes, s);
		add_scenario(&r->people[w.tasks[i].person].minutes, s);
		add_scenario(&r->minutes, s);
	}
	estimate_roi(&cfg->estimate, r->minutes, r->seat_cost_usd + r->payg_usd, &r->roi);
	for (size_t i = 0; i < r->n_people; i++)
		estimate_roi(&cfg->estimate, r->people[i].minutes,
		             r->people[i].seat_cost_usd + r->people[i].payg_usd, &r->people[i].roi);
	qsort(r->models, r->n_models, sizeof(*r->models), by_model);
	if (build_teams(cfg, r) < 0 || apply_privacy(cfg, r) < 0)
		goto done;
	rc = 0;
done:
	for (size_t i = 0; i < w.n_tasks; i++)
		free(w.tasks[i].task);
	free(w.tasks);
	free(w.slots);
	free(w.weights);
	if (rc < 0)
		roi_free(r);
	return rc;
}

void roi_free(struct roi_report *r)
{
	for (size_t i = 0; i < r->n_models; i++)
		free(r->models[i].model);
	free(r->models);
	for (size_t i = 0; i < r->n_people; i++)
		free(r->people[i].id);
	free(r->people);
	for (size_t i = 0; i < r->n_teams; i++)
		free(r->teams[i].team);
	free(r->teams);
	memset(r, 0, sizeof(*r));
}
