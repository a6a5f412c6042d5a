/*
 * roi.c - seat cost, pay-as-you-go and time saved of a period.
 *
 * The period's rollup rows (by developer, model, task and local day, or
 * whole week or month: span.c) bring the minutes saved the rollup keeps
 * (each developer-day held to its ceiling: saved.c), and are each priced
 * (API-equivalent) and either
 * fall under a seat their developer held that day whose plan covers the
 * model, adding to that seat's weight for the model, or are pay-as-you-go. Each seat's
 * prorated cost is then split over its models by those weights.
 */
#include "roi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../daemon/lib/calendar.h"
#include "../daemon/lib/util.h"
#include "names.h"
#include "report.h"
#include "span.h"

#define UNUSED_SEATS "(unused seats)"

/* What a seat's covered usage weighs, per model. */
struct seat_weight {
	const struct seat *seat;
	size_t model;
	double api_usd;
};

struct roi_work {
	struct roi_report *r;
	const struct roi_scope *scope;
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

#define USAGE_COLUMNS                                                                              \
	"day, developer_id, model_id, requests, input_tokens, cache_read_tokens, "                 \
	"cache_write_tokens, output_tokens, cache_write_1h_tokens, prompts, active_ms, "           \
	"saved_low, saved_likely, saved_high"

/* A model's price and place, found once per report: pattern matches are dear. */
struct model_slot {
	int64_t id;
	const struct model_price *price;
	size_t index;
};

/* Who a developer id is, found once per report. */
struct dev_slot {
	int64_t id;
	const struct person *who;
	int is_in_scope;
	size_t index;
};

/* A person's week or month with a seat change: read again from its day rows. */
struct by_day {
	int64_t developer_id, first, last;
};

/*
 * Reads rollup rows as stored, in key order (day, developer, model, task,
 * tool): what depends on the developer, the model or the day is looked up
 * once for a run of rows, and rows of several tools or tasks add up in C.
 */
struct usage_reader {
	const struct config *cfg;
	struct roi_work *w;
	struct name_cache *names;
	enum rollup_grain grain;
	int64_t steady_dev, steady_day;         /* what is_seat_steady was found for */
	int64_t seat_dev, seat_model, seat_day; /* and seat */
	const struct model_slot *model;
	const struct dev_slot *dev;
	const struct seat *seat;
	int is_seat_steady;
	struct model_slot *models;
	size_t n_models;
	struct dev_slot *devs;
	size_t n_devs;
	struct by_day *by_day;
	size_t n_by_day;
};

static const struct model_slot *model_slot(struct usage_reader *u, int64_t id, const char *model)
{
	struct model_slot *m;

	for (size_t i = 0; i < u->n_models; i++)
		if (u->models[i].id == id)
			return &u->models[i];
	m = grow(u->models, u->n_models, sizeof(*m));
	if (m == NULL)
		return NULL;
	u->models = m;
	m = &m[u->n_models];
	m->id = id;
	m->price = config_model_price(u->cfg, model);
	m->index = model_index(u->w->r, model);
	if (m->index == SIZE_MAX)
		return NULL;
	u->n_models++;
	return m;
}

static const struct dev_slot *dev_slot(struct usage_reader *u, int64_t id)
{
	const char *dev = names_text(u->names, id);
	struct dev_slot *d;

	for (size_t i = 0; i < u->n_devs; i++)
		if (u->devs[i].id == id)
			return &u->devs[i];
	if (dev == NULL || (d = grow(u->devs, u->n_devs, sizeof(*d))) == NULL)
		return NULL;
	u->devs = d;
	d = &d[u->n_devs];
	d->id = id;
	d->who = config_person(u->cfg, dev);
	d->is_in_scope = roi_in_scope(u->w->scope, d->who, dev);
	d->index = d->is_in_scope ? person_index(u->w->r, d->who ? d->who->id : dev,
	                                         d->who ? d->who->team : NULL)
	                          : 0;
	if (d->index == SIZE_MAX)
		return NULL;
	u->n_devs++;
	return d;
}

/* Puts a developer's unit aside for its day rows; rows of one unit come together. */
static int read_by_day(struct usage_reader *u, int64_t dev_id, int64_t day)
{
	struct by_day *d;

	if (u->n_by_day && u->by_day[u->n_by_day - 1].developer_id == dev_id &&
	    u->by_day[u->n_by_day - 1].first == day)
		return 0;
	d = grow(u->by_day, u->n_by_day, sizeof(*d));
	if (d == NULL)
		return -1;
	u->by_day = d;
	d[u->n_by_day++] = (struct by_day){dev_id, day, rollup_unit_last(u->grain, day)};
	return 0;
}

static void add_scenario(struct scenario *to, struct scenario s)
{
	to->low += s.low;
	to->likely += s.likely;
	to->high += s.high;
}

static int add_usage_row(struct usage_reader *u, sqlite3_stmt *s)
{
	struct roi_work *w = u->w;
	struct roi_report *r = w->r;
	int64_t day = sqlite3_column_int64(s, 0), n = sqlite3_column_int64(s, 3);
	int64_t dev_id = sqlite3_column_int64(s, 1), model_id = sqlite3_column_int64(s, 2);
	struct token_sums t;
	size_t m;
	double usd;

	if ((u->dev == NULL || u->dev->id != dev_id) && (u->dev = dev_slot(u, dev_id)) == NULL)
		return -1;
	if (!u->dev->is_in_scope)
		return 0;
	if (dev_id != u->steady_dev || day != u->steady_day) {
		u->steady_dev = dev_id;
		u->steady_day = day;
		u->is_seat_steady =
		    u->grain == ROLLUP_DAY ||
		    !estimate_seats_change(u->dev->who, day, rollup_unit_last(u->grain, day));
	}
	if (!u->is_seat_steady)
		return read_by_day(u, dev_id, day);
	if (u->model == NULL || u->model->id != model_id) {
		const char *model = names_text(u->names, model_id);

		if (model == NULL || (u->model = model_slot(u, model_id, model)) == NULL)
			return -1;
	}
	m = u->model->index;
	/* A steady unit is covered on every day as on its first. */
	if (dev_id != u->seat_dev || model_id != u->seat_model || day != u->seat_day) {
		u->seat_dev = dev_id;
		u->seat_model = model_id;
		u->seat_day = day;
		u->seat = estimate_covering_seat(u->cfg, u->dev->who, r->models[m].model, day);
	}
	t = (struct token_sums){sqlite3_column_int64(s, 4), sqlite3_column_int64(s, 5),
	                        sqlite3_column_int64(s, 6), sqlite3_column_int64(s, 7),
	                        sqlite3_column_int64(s, 8)};
	usd = estimate_api_cost(u->model->price, &t);
	{
		/* Minutes saved, as the rollup keeps them: each developer-day held to its ceiling.
		 */
		struct scenario saved = {sqlite3_column_double(s, 11), sqlite3_column_double(s, 12),
		                         sqlite3_column_double(s, 13)};
		int64_t prompts = sqlite3_column_int64(s, 9), active = sqlite3_column_int64(s, 10);
		struct roi_person *p = &r->people[u->dev->index];

		add_scenario(&r->models[m].minutes, saved);
		add_scenario(&p->minutes, saved);
		add_scenario(&r->minutes, saved);
		r->models[m].prompts += prompts;
		p->prompts += prompts;
		r->prompts += prompts;
		r->models[m].active_ms += active;
		p->active_ms += active;
		r->active_ms += active;
	}
	if (u->model->price == NULL &&
	    unpriced_add(&r->unpriced, r->models[m].model, n,
	                 t.input + t.cache_read + t.cache_write + t.output) < 0)
		return -1;
	r->people[u->dev->index].requests += n;
	r->people[u->dev->index].api_usd += usd;
	r->models[m].requests += n;
	r->models[m].api_usd += usd;
	r->requests += n;
	r->api_usd += usd;
	if (u->seat == NULL) {
		r->models[m].payg_usd += usd;
		r->people[u->dev->index].payg_usd += usd;
		r->payg_usd += usd;
		return 0;
	}
	return add_weight(w, u->seat, m,
	                  u->cfg->estimate.is_allocated_by_requests ? (double)n : usd);
}

/* Feeds the rows of one statement, bound already, to add_usage_row; resets it after. */
static int read_rows(sqlite3 *db, struct usage_reader *u, sqlite3_stmt *s, char *err, size_t errlen)
{
	int rc, is_ok = 1;

	u->steady_dev = u->seat_dev = -1;
	u->model = NULL;
	u->dev = NULL;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (add_usage_row(u, s) < 0) {
			is_ok = 0;
			break;
		}
	sqlite3_reset(s);
	if (!is_ok || rc != SQLITE_DONE) {
		snprintf(err, errlen, "report query: %s",
		         !is_ok ? "out of memory" : sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

static int read_usage(sqlite3 *db, const struct config *cfg, int64_t first, int64_t last,
                      struct roi_work *w, char *err, size_t errlen)
{
	struct usage_reader u;
	struct span spans[SPAN_MAX];
	size_t n_spans = span_split(first, last, spans);
	int rc = 0;

	memset(&u, 0, sizeof(u));
	u.cfg = cfg;
	u.w = w;
	if ((u.names = names_new(db)) == NULL) {
		snprintf(err, errlen, "report query: out of memory");
		return -1;
	}
	for (size_t i = 0; i < n_spans && rc == 0; i++) {
		char sql[256];
		sqlite3_stmt *s;

		snprintf(sql, sizeof(sql),
		         "SELECT " USAGE_COLUMNS " FROM %s WHERE day >= ?1 AND day <= ?2",
		         rollup_table(spans[i].grain));
		if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
			snprintf(err, errlen, "report query: %s", sqlite3_errmsg(db));
			rc = -1;
			break;
		}
		sqlite3_bind_int64(s, 1, spans[i].first);
		sqlite3_bind_int64(s, 2, spans[i].last);
		u.grain = spans[i].grain;
		rc = read_rows(db, &u, s, err, errlen);
		sqlite3_finalize(s);
	}
	/* The units whose seats changed, a day at a time, through one statement. */
	u.grain = ROLLUP_DAY;
	if (rc == 0 && u.n_by_day > 0) {
		sqlite3_stmt *s;

		if (sqlite3_prepare_v2(db,
		                       "SELECT " USAGE_COLUMNS
		                       " FROM rollup WHERE developer_id = ?3 "
		                       "AND day >= ?1 AND day <= ?2",
		                       -1, &s, NULL) != SQLITE_OK) {
			snprintf(err, errlen, "report query: %s", sqlite3_errmsg(db));
			rc = -1;
		}
		for (size_t i = 0; i < u.n_by_day && rc == 0; i++) {
			sqlite3_bind_int64(s, 1, u.by_day[i].first);
			sqlite3_bind_int64(s, 2, u.by_day[i].last);
			sqlite3_bind_int64(s, 3, u.by_day[i].developer_id);
			rc = read_rows(db, &u, s, err, errlen);
		}
		sqlite3_finalize(s);
	}

	free(u.models);
	free(u.devs);
	free(u.by_day);
	names_free(u.names);
	return rc;
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
static int build_teams(const struct config *cfg, struct roi_report *r, double days)
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
		t->prompts += p->prompts;
		t->active_ms += p->active_ms;
		t->seat_cost_usd += p->seat_cost_usd;
		t->payg_usd += p->payg_usd;
		t->api_usd += p->api_usd;
		add_scenario(&t->minutes, p->minutes);
	}
	for (size_t k = 0; k < r->n_teams; k++)
		estimate_roi(&cfg->estimate, r->teams[k].minutes,
		             r->teams[k].seat_cost_usd + r->teams[k].payg_usd, days,
		             &r->teams[k].roi);
	if (r->n_teams > 1) /* qsort may not be given NULL, even for no elements */
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
	if (r->n_people > 1)
		qsort(r->people, r->n_people, sizeof(*r->people), by_person);
	return 0;
}

static int by_model(const void *a, const void *b)
{
	return strcmp(((const struct roi_model *)a)->model, ((const struct roi_model *)b)->model);
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
	struct roi_work w = {r, scope, NULL, 0};
	int64_t first = 0, last = -1;
	double days;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	r->currency = cfg->estimate.currency ? cfg->estimate.currency : "USD";
	if ((!from || !to) && report_data_bounds(db, &first, &last) < 0) {
		first = cal_local_day(0);
		last = first - 1; /* nothing stored: an empty period */
	}
	if (cal_period(from, to, &first, &last, err, errlen) < 0)
		return -1;
	cal_day_text(first, r->from);
	cal_day_text(last, r->to);
	if (last >= first) {
		if (read_usage(db, cfg, first, last, &w, err, errlen) < 0 ||
		    allocate_seats(cfg, &w, first, last) < 0)
			goto done;
	}
	days = last >= first ? (double)(last - first + 1) : 0;
	r->days = last >= first ? last - first + 1 : 0;
	estimate_roi(&cfg->estimate, r->minutes, r->seat_cost_usd + r->payg_usd, days, &r->roi);
	for (size_t i = 0; i < r->n_people; i++)
		estimate_roi(&cfg->estimate, r->people[i].minutes,
		             r->people[i].seat_cost_usd + r->people[i].payg_usd, days,
		             &r->people[i].roi);
	for (size_t i = 0; i < r->n_people; i++)
		r->developers += r->people[i].requests > 0;
	if (r->n_models > 1)
		qsort(r->models, r->n_models, sizeof(*r->models), by_model);
	if (build_teams(cfg, r, days) < 0 || apply_privacy(cfg, r) < 0)
		goto done;
	rc = 0;
done:
	free(w.weights);
	if (rc < 0)
		roi_free(r);
	return rc;
}

double roi_developer_weeks(const struct roi_report *r)
{
	return (double)r->developers * (double)r->days / 7.0;
}

void roi_free(struct roi_report *r)
{
	unpriced_free(&r->unpriced);
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
