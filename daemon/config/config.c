/*
 * config.c - validates payback.yaml against the keys Payback knows and fills
 * struct config. Every problem is reported with its position, and unknown
 * keys are errors with a did-you-mean, because a mistyped key that is
 * silently ignored makes a wrong report nobody notices.
 */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../lib/buf.h"
#include "../ingest/parser.h"
#include "../lib/util.h"
#include "pricing_yaml.h"
#include "check.h"
#include "yamldoc.h"

static int timezone_exists(const char *name)
{
	const char *dir = getenv("TZDIR");
	char path[4096], magic[4];
	FILE *fp;
	int ok;

	if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0)
		return 1;
	if (name[0] == '/' || strstr(name, "..") || strlen(name) > 200)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "/usr/share/zoneinfo", name);
	fp = fopen(path, "rb");
	if (fp == NULL)
		return 0;
	ok = fread(magic, 1, 4, fp) == 4 && memcmp(magic, "TZif", 4) == 0;
	fclose(fp);
	return ok;
}

static void load_sources(struct config_ctx *c, struct config *cfg, const struct ynode *list)
{
	static const char *const keys[] = {"path", "format", "developer", "tool", NULL};

	if (config_want_type(c, list, YNODE_SEQ, "sources") < 0)
		return;
	cfg->sources = calloc(list->n ? list->n : 1, sizeof(*cfg->sources));
	if (cfg->sources == NULL)
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct ynode *s = list->items[i], *v;
		struct ingest_source *src = &cfg->sources[cfg->n_sources];
		char *path = NULL, *format = NULL, *developer = NULL, *tool = NULL;

		if (config_want_type(c, s, YNODE_MAP, "a source") < 0)
			continue;
		config_check_keys(c, s, " in a source", keys);
		if ((v = ydoc_get(s, "path")) == NULL)
			config_error(c, s, "a source needs a 'path'");
		else if (config_take_string(c, v, "path", &path) == 0)
			config_resolve_path(c->path, &path);
		if ((v = ydoc_get(s, "format")) != NULL &&
		    config_take_string(c, v, "format", &format) == 0 &&
		    strcmp(format, "auto") != 0 && format_by_name(format) == NULL)
			config_error(
			    c, v,
			    "unknown format '%s' (expected auto, native, claude-code or codex)",
			    format);
		if ((v = ydoc_get(s, "developer")) != NULL)
			config_take_string(c, v, "developer", &developer);
		if ((v = ydoc_get(s, "tool")) != NULL)
			config_take_string(c, v, "tool", &tool);
		src->path = path;
		src->format = format;
		src->developer = developer;
		src->tool = tool;
		cfg->n_sources++;
	}
}

/* A non-negative number: a price, a cost. */
static int take_number(struct config_ctx *c, const struct ynode *n, const char *what, double *out)
{
	return config_take_bounded(c, n, what, 0, 1e12, "a number of 0 or more", out);
}

/* Any number, negative too: a scenario may lose time. */
static int take_signed(struct config_ctx *c, const struct ynode *n, const char *what, double *out)
{
	return config_take_bounded(c, n, what, -1e9, 1e9, "a number", out);
}

/* A date (YYYY-MM-DD) as days since 1970-01-01. */
static int take_day(struct config_ctx *c, const struct ynode *n, const char *what, int64_t *out)
{
	int y;
	unsigned m, d;

	if (config_want_type(c, n, YNODE_SCALAR, what) < 0)
		return -1;
	if (parse_date(n->scalar, &y, &m, &d) < 0) {
		config_error(c, n, "%s must be a date (YYYY-MM-DD), not '%s'", what, n->scalar);
		return -1;
	}
	*out = days_from_civil(y, m, d);
	return 0;
}

static void load_plans(struct config_ctx *c, struct config *cfg, const struct ynode *list)
{
	static const char *const keys[] = {"id", "vendor", "monthly_usd", "covers", NULL};

	if (config_want_type(c, list, YNODE_SEQ, "plans") < 0)
		return;
	cfg->plans = calloc(list->n ? list->n : 1, sizeof(*cfg->plans));
	if (cfg->plans == NULL)
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct ynode *p = list->items[i], *v;
		struct plan *plan = &cfg->plans[cfg->n_plans];

		if (config_want_type(c, p, YNODE_MAP, "a plan") < 0)
			continue;
		config_check_keys(c, p, " in a plan", keys);
		cfg->n_plans++;
		if ((v = ydoc_get(p, "id")) == NULL)
			config_error(c, p, "a plan needs an 'id'");
		else if (config_take_string(c, v, "id", &plan->id) == 0)
			for (size_t k = 0; k + 1 < cfg->n_plans; k++)
				if (cfg->plans[k].id && strcmp(cfg->plans[k].id, plan->id) == 0)
					config_error(c, v, "plan '%s' is defined twice", plan->id);
		if ((v = ydoc_get(p, "vendor")) != NULL)
			config_take_string(c, v, "vendor", &plan->vendor);
		if ((v = ydoc_get(p, "monthly_usd")) == NULL)
			config_error(c, p, "a plan needs 'monthly_usd'");
		else
			take_number(c, v, "monthly_usd", &plan->monthly_usd);
		if ((v = ydoc_get(p, "covers")) == NULL)
			config_error(c, p,
			             "a plan needs 'covers' (the model name patterns it pays for)");
		else
			config_take_list(c, v, "covers", &plan->covers, &plan->n_covers);
	}
}

/* tasks: [{task: debug, words: [hotfix, oncall]}]: a team's own cue words of a task. */
static void load_tasks(struct config_ctx *c, struct config *cfg, const struct ynode *list)
{
	static const char *const keys[] = {"task", "words", NULL};

	if (config_want_type(c, list, YNODE_SEQ, "tasks") < 0)
		return;
	cfg->tasks = calloc(list->n ? list->n : 1, sizeof(*cfg->tasks));
	if (cfg->tasks == NULL)
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct ynode *t = list->items[i], *v;
		struct task_rule *rule = &cfg->tasks[cfg->n_tasks];
		size_t k;

		if (config_want_type(c, t, YNODE_MAP, "a task rule") < 0)
			continue;
		config_check_keys(c, t, " in a task rule", keys);
		cfg->n_tasks++;
		if ((v = ydoc_get(t, "task")) == NULL ||
		    config_take_string(c, v, "task", &rule->task) < 0) {
			if (v == NULL)
				config_error(c, t, "a task rule needs 'task'");
			continue;
		}
		for (k = 0; k < ARRAY_LEN(task_names) && strcmp(task_names[k], rule->task) != 0;
		     k++)
			;
		if (k == ARRAY_LEN(task_names))
			config_error(c, v,
			             "task must be debug, test, refactor, feature, docs, review or "
			             "other, not '%s'",
			             rule->task);
		if ((v = ydoc_get(t, "words")) == NULL)
			config_error(c, t, "a task rule needs 'words' (a list of words)");
		else
			config_take_list(c, v, "words", &rule->words, &rule->n_words);
	}
}

static void load_models(struct config_ctx *c, struct config *cfg, const struct ynode *list)
{
	static const char *const keys[] = {"match",  "input",          "cache_read", "cache_write",
	                                   "output", "cache_write_1h", NULL};
	static const char *const prices[] = {"input", "cache_read", "cache_write", "output"};

	if (config_want_type(c, list, YNODE_SEQ, "models") < 0)
		return;
	cfg->models = calloc(list->n ? list->n : 1, sizeof(*cfg->models));
	if (cfg->models == NULL)
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct ynode *m = list->items[i], *v;
		struct model_price *mp = &cfg->models[cfg->n_models];
		double *fields[] = {&mp->input, &mp->cache_read, &mp->cache_write, &mp->output};

		if (config_want_type(c, m, YNODE_MAP, "a model") < 0)
			continue;
		config_check_keys(c, m, " in a model", keys);
		cfg->n_models++;
		if ((v = ydoc_get(m, "match")) == NULL)
			config_error(c, m, "a model needs 'match' (a model name pattern)");
		else
			config_take_string(c, v, "match", &mp->match);
		for (size_t k = 0; k < ARRAY_LEN(prices); k++) {
			if ((v = ydoc_get(m, prices[k])) == NULL)
				config_error(c, m, "a model needs '%s' (USD per million tokens)",
				             prices[k]);
			else
				take_number(c, v, prices[k], fields[k]);
		}
		mp->cache_write_1h = -1;
		if ((v = ydoc_get(m, "cache_write_1h")) != NULL)
			take_number(c, v, "cache_write_1h", &mp->cache_write_1h);
	}
}

static void load_seats(struct config_ctx *c, const struct config *cfg, struct person *who,
                       const struct ynode *list)
{
	static const char *const keys[] = {"plan", "since", "until", NULL};

	if (config_want_type(c, list, YNODE_SEQ, "seats") < 0)
		return;
	who->seats = calloc(list->n ? list->n : 1, sizeof(*who->seats));
	if (who->seats == NULL)
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct ynode *s = list->items[i], *v;
		struct seat *seat = &who->seats[who->n_seats];

		if (config_want_type(c, s, YNODE_MAP, "a seat") < 0)
			continue;
		config_check_keys(c, s, " in a seat", keys);
		who->n_seats++;
		seat->until = INT64_MAX;
		if ((v = ydoc_get(s, "plan")) == NULL)
			config_error(c, s, "a seat needs a 'plan'");
		else if (config_take_string(c, v, "plan", &seat->plan) == 0 &&
		         config_plan(cfg, seat->plan) == NULL)
			config_error(c, v, "unknown plan '%s' (plans: define it under 'plans')",
			             seat->plan);
		if ((v = ydoc_get(s, "since")) == NULL)
			config_error(c, s, "a seat needs 'since' (the first day it is held)");
		else
			take_day(c, v, "since", &seat->since);
		if ((v = ydoc_get(s, "until")) != NULL && !ydoc_is_null(v) &&
		    take_day(c, v, "until", &seat->until) == 0 && seat->until < seat->since)
			config_error(c, v, "'until' is before 'since'");
	}
}

/* Reports a name (id or alias) that already belongs to someone else. */
static void check_name_free(struct config_ctx *c, const struct config *cfg, size_t upto,
                            const struct ynode *at, const char *name)
{
	for (size_t k = 0; k < upto; k++) {
		const struct person *p = &cfg->people[k];
		int is_taken = p->id && strcmp(p->id, name) == 0;

		for (size_t a = 0; a < p->n_aliases && !is_taken; a++)
			is_taken = strcmp(p->aliases[a], name) == 0;
		if (is_taken) {
			config_error(c, at, "'%s' already names '%s'", name, p->id);
			return;
		}
	}
}

static void load_people(struct config_ctx *c, struct config *cfg, const struct ynode *list)
{
	static const char *const keys[] = {"id", "name", "team", "email", "aliases", "seats", NULL};

	if (config_want_type(c, list, YNODE_SEQ, "people") < 0)
		return;
	cfg->people = calloc(list->n ? list->n : 1, sizeof(*cfg->people));
	if (cfg->people == NULL)
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct ynode *p = list->items[i], *v;
		struct person *who = &cfg->people[cfg->n_people];

		if (config_want_type(c, p, YNODE_MAP, "a person") < 0)
			continue;
		config_check_keys(c, p, " in a person", keys);
		cfg->n_people++;
		if ((v = ydoc_get(p, "id")) == NULL)
			config_error(c, p,
			             "a person needs an 'id' (the name logs use, e.g. an e-mail)");
		else if (config_take_string(c, v, "id", &who->id) == 0)
			check_name_free(c, cfg, cfg->n_people - 1, v, who->id);
		if ((v = ydoc_get(p, "name")) != NULL)
			config_take_string(c, v, "name", &who->name);
		if ((v = ydoc_get(p, "team")) != NULL)
			config_take_string(c, v, "team", &who->team);
		if ((v = ydoc_get(p, "email")) != NULL &&
		    config_take_string(c, v, "email", &who->email) == 0 &&
		    strchr(who->email, '@') == NULL)
			config_error(c, v,
			             "email must be an address such as ana@example.com, not '%s'",
			             who->email);
		if ((v = ydoc_get(p, "aliases")) != NULL &&
		    config_take_list(c, v, "aliases", &who->aliases, &who->n_aliases) == 0)
			for (size_t a = 0; a < who->n_aliases; a++)
				check_name_free(c, cfg, cfg->n_people - 1,
				                v->type == YNODE_SEQ ? v->items[a] : v,
				                who->aliases[a]);
		if ((v = ydoc_get(p, "seats")) != NULL && !ydoc_is_null(v))
			load_seats(c, cfg, who, v);
		if (who->id == NULL)
			who->id = strdup("?");
	}
}

/*
 * Appends the built-in list prices (config/pricing.yaml, compiled in) after
 * the configuration's own models, so that a configured price always wins.
 */
static int load_builtin_pricing(struct config *cfg)
{
	struct config_ctx c = {"(built-in pricing)", BUF_INIT, 0};
	struct config builtin;
	struct model_price *all;
	struct ynode *root;
	char err[512];

	root = ydoc_load(c.path, pricing_yaml, err, sizeof(err));
	if (root == NULL)
		return -1;
	memset(&builtin, 0, sizeof(builtin));
	if (ydoc_get(root, "models"))
		load_models(&c, &builtin, ydoc_get(root, "models"));
	ydoc_free(root);
	buf_free(&c.errors);
	if (c.n_errors || builtin.models == NULL)
		goto fail;
	all = realloc(cfg->models, (cfg->n_models + builtin.n_models + 1) * sizeof(*all));
	if (all == NULL)
		goto fail;
	memcpy(all + cfg->n_models, builtin.models, builtin.n_models * sizeof(*all));
	cfg->models = all;
	cfg->n_models += builtin.n_models;
	free(builtin.models);
	return 0;
fail:
	for (size_t i = 0; builtin.models && i < builtin.n_models; i++)
		free(builtin.models[i].match);
	free(builtin.models);
	return -1;
}

/* {low, likely, high}, or one number for all three. */
static void take_scenario(struct config_ctx *c, const struct ynode *n, const char *what,
                          struct scenario *out)
{
	static const char *const keys[] = {"low", "likely", "high", NULL};
	double *fields[] = {&out->low, &out->likely, &out->high};

	if (n->type == YNODE_SCALAR) {
		double v;

		if (take_signed(c, n, what, &v) == 0)
			out->low = out->likely = out->high = v;
		return;
	}
	if (config_want_type(c, n, YNODE_MAP, what) < 0)
		return;
	config_check_keys(c, n, " in a scenario", keys);
	for (int i = 0; i < 3; i++) {
		const struct ynode *v = ydoc_get(n, keys[i]);

		if (v == NULL)
			config_error(c, n, "%s needs '%s'", what, keys[i]);
		else
			take_signed(c, v, keys[i], fields[i]);
	}
}

/*
 * The defaults, derived in docs/roi.md: calibrated so that a reference
 * working day of a daily user lands, likely, on what DX 2026 measured
 * (4.7 hours a week), high at the ceiling of GitHub 2022's controlled
 * study (55 % faster: 1.2 times the time spent saved) and low below zero
 * as METR 2025 measured (19 % slower).
 */
static void estimate_defaults(struct estimate_model *m)
{
	static const struct scenario per_prompt[OUTCOME_KINDS] = {
	    {0.0, 1.5, 3.0},  /* no edit decided: a question, an explanation, a run */
	    {0.5, 3.0, 6.0},  /* accepted */
	    {-1.0, 0.0, 0.5}, /* rejected */
	    {0.0, 2.0, 4.0},  /* edited */
	};

	m->hourly_cost_usd = 95;
	memcpy(m->minutes_per_prompt, per_prompt, sizeof(per_prompt));
	m->minutes_per_line = (struct scenario){0.01, 0.05, 0.15};
	m->lines_per_prompt = 50;
	m->review_per_rejection = (struct scenario){3.0, 2.0, 1.0};
	m->waiting_share = (struct scenario){0.2, 0.1, 0.05};
	m->idle_gap_minutes = 15;
	m->active_ceiling = (struct scenario){1.2, 0.5, 1.2};
	m->workday_hours = 8;
}

static void load_estimate(struct config_ctx *c, struct estimate_model *m, const struct ynode *n)
{
	static const char *const keys[] = {"hourly_cost_usd",
	                                   "currency",
	                                   "minutes_per_prompt",
	                                   "minutes_per_line",
	                                   "lines_per_prompt",
	                                   "review_per_rejection",
	                                   "waiting_share",
	                                   "idle_gap_minutes",
	                                   "active_ceiling",
	                                   "workday_hours",
	                                   "task_factor",
	                                   "allocate_seats_by",
	                                   NULL};
	static const char *const outcomes[] = {"unknown", "accepted", "rejected", "edited", NULL};
	const struct ynode *v;

	if (config_want_type(c, n, YNODE_MAP, "estimate") < 0)
		return;
	if ((v = ydoc_get(n, "minutes_per_request")) != NULL)
		config_error(c, v,
		             "minutes_per_request is now minutes_per_prompt: time saved counts "
		             "the prompts a person wrote, not the requests an agent made "
		             "(docs/roi.md)");
	else
		config_check_keys(c, n, " in estimate", keys);
	if ((v = ydoc_get(n, "hourly_cost_usd")) != NULL)
		take_number(c, v, "hourly_cost_usd", &m->hourly_cost_usd);
	if ((v = ydoc_get(n, "currency")) != NULL)
		config_take_string(c, v, "currency", &m->currency);
	if ((v = ydoc_get(n, "minutes_per_prompt")) != NULL &&
	    config_want_type(c, v, YNODE_MAP, "minutes_per_prompt") == 0) {
		config_check_keys(c, v, " in minutes_per_prompt", outcomes);
		for (int o = 0; o < OUTCOME_KINDS; o++)
			if (ydoc_get(v, outcomes[o]))
				take_scenario(c, ydoc_get(v, outcomes[o]), outcomes[o],
				              &m->minutes_per_prompt[o]);
	}
	if ((v = ydoc_get(n, "minutes_per_line")) != NULL)
		take_scenario(c, v, "minutes_per_line", &m->minutes_per_line);
	if ((v = ydoc_get(n, "lines_per_prompt")) != NULL)
		config_take_bounded(c, v, "lines_per_prompt", 0, 1e9, "a number of lines from 0",
		                    &m->lines_per_prompt);
	if ((v = ydoc_get(n, "allocate_seats_by")) != NULL &&
	    config_want_type(c, v, YNODE_SCALAR, "allocate_seats_by") == 0) {
		if (strcmp(v->scalar, "requests") == 0)
			m->is_allocated_by_requests = 1;
		else if (strcmp(v->scalar, "api_equivalent") != 0)
			config_error(
			    c, v, "allocate_seats_by must be api_equivalent or requests, not '%s'",
			    v->scalar);
	}
	if ((v = ydoc_get(n, "review_per_rejection")) != NULL)
		take_scenario(c, v, "review_per_rejection", &m->review_per_rejection);
	if ((v = ydoc_get(n, "waiting_share")) != NULL) {
		struct scenario *w = &m->waiting_share;

		take_scenario(c, v, "waiting_share", w);
		if (w->low < 0 || w->low > 1 || w->likely < 0 || w->likely > 1 || w->high < 0 ||
		    w->high > 1)
			config_error(c, v, "waiting_share must be between 0 and 1");
	}
	if ((v = ydoc_get(n, "idle_gap_minutes")) != NULL)
		config_take_bounded(c, v, "idle_gap_minutes", 1, 1440, "minutes from 1 to 1440",
		                    &m->idle_gap_minutes);
	if ((v = ydoc_get(n, "workday_hours")) != NULL)
		config_take_bounded(c, v, "workday_hours", 0.5, 24.000001, "hours from 0.5 to 24",
		                    &m->workday_hours);
	if ((v = ydoc_get(n, "active_ceiling")) != NULL) {
		struct scenario *k = &m->active_ceiling;

		take_scenario(c, v, "active_ceiling", k);
		if (k->low < 0 || k->likely < 0 || k->high < 0 || k->low > 10 || k->likely > 10 ||
		    k->high > 10)
			config_error(c, v, "active_ceiling must be between 0 and 10");
	}
	if ((v = ydoc_get(n, "task_factor")) != NULL &&
	    config_want_type(c, v, YNODE_MAP, "task_factor") == 0) {
		m->tasks = calloc(v->n ? v->n : 1, sizeof(*m->tasks));
		for (size_t i = 0; m->tasks && i < v->n; i++) {
			struct task_factor *t = &m->tasks[m->n_tasks];

			if (take_number(c, v->items[i], v->keys[i]->scalar, &t->factor) == 0) {
				t->task = strdup(v->keys[i]->scalar);
				if (t->task)
					m->n_tasks++;
			}
		}
	}
}

static void load_privacy(struct config_ctx *c, struct privacy *p, const struct ynode *n)
{
	static const char *const keys[] = {"developers", "min_group", NULL};
	static const char *const modes[] = {"visible", "pseudonymous", "hidden"};
	const struct ynode *v;
	double group;

	if (config_want_type(c, n, YNODE_MAP, "privacy") < 0)
		return;
	config_check_keys(c, n, " in privacy", keys);
	if ((v = ydoc_get(n, "developers")) != NULL &&
	    config_want_type(c, v, YNODE_SCALAR, "developers") == 0) {
		size_t i;

		for (i = 0; i < 3 && strcmp(v->scalar, modes[i]) != 0; i++)
			;
		if (i == 3)
			config_error(
			    c, v,
			    "privacy.developers must be visible, pseudonymous or hidden, not '%s'",
			    v->scalar);
		else
			p->developers = (enum privacy_mode)i;
	}
	if ((v = ydoc_get(n, "min_group")) != NULL &&
	    config_take_bounded(c, v, "min_group", 1, 1e6, "a whole number of 1 or more", &group) ==
	        0) {
		if (group != (double)(int64_t)group)
			config_error(c, v,
			             "min_group must be a whole number of 1 or more, not '%s'",
			             v->scalar);
		else
			p->min_group = (int64_t)group;
	}
}

static void load_advice(struct config_ctx *c, struct advice_rules *a, const struct ynode *n)
{
	static const char *const keys[] = {"idle_days",          "oversized_ratio",
	                                   "near_limit_percent", "near_limit_share",
	                                   "limit_hits",         NULL};
	const struct ynode *v;
	double days;

	if (config_want_type(c, n, YNODE_MAP, "advice") < 0)
		return;
	config_check_keys(c, n, " in advice", keys);
	if ((v = ydoc_get(n, "idle_days")) != NULL &&
	    config_take_bounded(c, v, "idle_days", 1, 3660, "a number of days from 1", &days) == 0)
		a->idle_days = (int64_t)days;
	if ((v = ydoc_get(n, "oversized_ratio")) != NULL)
		config_take_bounded(c, v, "oversized_ratio", 0, 1.000001, "a share from 0 to 1",
		                    &a->oversized_ratio);
	if ((v = ydoc_get(n, "near_limit_percent")) != NULL)
		config_take_bounded(c, v, "near_limit_percent", 0, 100.000001, "a percentage",
		                    &a->near_limit_percent);
	if ((v = ydoc_get(n, "limit_hits")) != NULL &&
	    config_take_bounded(c, v, "limit_hits", 1, 1e6, "a number of messages from 1", &days) ==
	        0)
		a->limit_hits = (int64_t)days;
	if ((v = ydoc_get(n, "near_limit_share")) != NULL)
		config_take_bounded(c, v, "near_limit_share", 0, 1.000001, "a share from 0 to 1",
		                    &a->near_limit_share);
}

/* Reads "16MiB", "512KiB", "1GiB" or a plain number of bytes. */
static int take_size(struct config_ctx *c, const struct ynode *n, const char *what, int64_t *out)
{
	static const struct {
		const char *suffix;
		int64_t mult;
	} units[] = {{"", 1},          {"B", 1},        {"KiB", 1024},    {"KB", 1000},
	             {"MiB", 1 << 20}, {"MB", 1000000}, {"GiB", 1 << 30}, {"GB", 1000000000}};
	char *end;
	double v;

	if (config_want_type(c, n, YNODE_SCALAR, what) < 0)
		return -1;
	v = strtod(n->scalar, &end);
	while (*end == ' ')
		end++;
	for (size_t i = 0; end != n->scalar && i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].suffix) == 0 && v >= 1 &&
		    v * (double)units[i].mult < 1e12) {
			*out = (int64_t)(v * (double)units[i].mult);
			return 0;
		}
	config_error(c, n, "%s must be a size such as 16MiB or 1048576, not '%s'", what, n->scalar);
	return -1;
}

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* A token file holds the token on its first line; its SHA-256 is all that is kept. */
static int hash_token_file(const char *path, unsigned char out[32], const char **why)
{
	char line[1024];
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL) {
		*why = strerror(errno);
		return -1;
	}
	n = fgets(line, sizeof(line), f) ? strcspn(line, "\r\n") : 0;
	fclose(f);
	if (n == 0) {
		*why = "the file is empty";
		return -1;
	}
	line[n] = '\0';
	sha256(line, n, out);
	explicit_bzero(line, sizeof(line));
	return 0;
}

static void load_tokens(struct config_ctx *c, struct config *cfg, const struct ynode *list)
{
	static const char *const keys[] = {"name", "sha256", "file", NULL};

	if (config_want_type(c, list, YNODE_SEQ, "ingest.tokens") < 0)
		return;
	cfg->tokens = calloc(list->n ? list->n : 1, sizeof(*cfg->tokens));
	if (cfg->tokens == NULL)
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct ynode *t = list->items[i], *name, *hex, *file;
		struct ingest_token *tok = &cfg->tokens[cfg->n_tokens];
		char *text = NULL;
		const char *why;

		if (config_want_type(c, t, YNODE_MAP, "a token") < 0)
			continue;
		config_check_keys(c, t, " in a token", keys);
		name = ydoc_get(t, "name");
		hex = ydoc_get(t, "sha256");
		file = ydoc_get(t, "file");
		if (name == NULL || config_take_string(c, name, "name", &tok->name) < 0) {
			if (name == NULL)
				config_error(c, t, "a token needs a 'name' (who sends with it)");
			continue;
		}
		cfg->n_tokens++;
		if ((hex == NULL) == (file == NULL)) {
			config_error(
			    c, t,
			    "token '%s' needs exactly one of 'sha256' (hex SHA-256 of the token) "
			    "or 'file' (a file holding the token)",
			    tok->name);
		} else if (hex != NULL && config_take_string(c, hex, "sha256", &text) == 0) {
			size_t k;

			for (k = 0; k < 32 && hex_digit(text[2 * k]) >= 0 &&
			            hex_digit(text[2 * k + 1]) >= 0;
			     k++)
				tok->sha256[k] = (unsigned char)(hex_digit(text[2 * k]) << 4 |
				                                 hex_digit(text[2 * k + 1]));
			if (k < 32 || text[64] != '\0')
				config_error(
				    c, hex,
				    "sha256 must be 64 hex digits (sha256sum of the token)");
		} else if (file != NULL && config_take_string(c, file, "file", &text) == 0) {
			config_resolve_path(c->path, &text);
			if (hash_token_file(text, tok->sha256, &why) < 0)
				config_error(c, file, "cannot read token file '%s': %s", text, why);
		}
		free(text);
	}
}

static void load_ingest(struct config_ctx *c, struct config *cfg, const struct ynode *n)
{
	static const char *const keys[] = {"tokens", "max_body", NULL};
	const struct ynode *v;

	if (config_want_type(c, n, YNODE_MAP, "ingest") < 0)
		return;
	config_check_keys(c, n, " in ingest", keys);
	if ((v = ydoc_get(n, "tokens")) != NULL && !ydoc_is_null(v))
		load_tokens(c, cfg, v);
	if ((v = ydoc_get(n, "max_body")) != NULL)
		take_size(c, v, "ingest.max_body", &cfg->max_body_bytes);
}

static void load_users(struct config_ctx *c, struct config *cfg, const struct ynode *list)
{
	static const char *const keys[] = {"name", "password", "role", "developer", NULL};
	static const char *const roles[] = {"admin", "manager", "developer"};

	if (config_want_type(c, list, YNODE_SEQ, "users") < 0)
		return;
	cfg->users = calloc(list->n ? list->n : 1, sizeof(*cfg->users));
	if (cfg->users == NULL)
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct ynode *u = list->items[i], *v;
		struct user *who = &cfg->users[cfg->n_users];
		char *role = NULL;
		size_t r = 0;

		if (config_want_type(c, u, YNODE_MAP, "a user") < 0)
			continue;
		config_check_keys(c, u, " in a user", keys);
		cfg->n_users++;
		if ((v = ydoc_get(u, "name")) == NULL)
			config_error(c, u, "a user needs a 'name' (what they type to sign in)");
		else if (config_take_string(c, v, "name", &who->name) == 0 &&
		         strchr(who->name, ':'))
			config_error(c, v, "a user name cannot contain ':' (HTTP Basic uses it)");
		if ((v = ydoc_get(u, "password")) == NULL)
			config_error(
			    c, u,
			    "a user needs a 'password': a crypt(3) hash from 'paybackd passwd'");
		else if (config_take_string(c, v, "password", &who->password_hash) == 0 &&
		         who->password_hash[0] != '$')
			config_error(
			    c, v,
			    "password must be a crypt(3) hash such as \"$y$...\" (make one with "
			    "'paybackd passwd'), never the password itself");
		if ((v = ydoc_get(u, "role")) == NULL)
			config_error(c, u, "a user needs a 'role': admin, manager or developer");
		else if (config_take_string(c, v, "role", &role) == 0) {
			for (r = 0; r < 3 && strcmp(role, roles[r]) != 0; r++)
				;
			if (r == 3)
				config_error(c, v,
				             "role must be admin, manager or developer, not '%s'",
				             role);
			else
				who->role = (enum user_role)r;
		}
		if ((v = ydoc_get(u, "developer")) != NULL)
			config_take_string(c, v, "developer", &who->developer);
		else if (role && r == ROLE_DEVELOPER)
			config_error(
			    c, u,
			    "a user with role developer needs 'developer': the person they are");
		free(role);
	}
}

static void load_http(struct config_ctx *c, struct config *cfg, const struct ynode *v)
{
	static const char *const http_keys[] = {"listen", "tls", "public_url", NULL};
	static const char *const tls_keys[] = {"cert", "key", NULL};
	const struct ynode *l = ydoc_get(v, "listen"), *t = ydoc_get(v, "tls");
	const struct ynode *u = ydoc_get(v, "public_url");

	config_check_keys(c, v, " in http", http_keys);
	if (l && config_take_string(c, l, "http.listen", &cfg->http_listen) == 0 &&
	    strchr(cfg->http_listen, ':') == NULL)
		config_error(c, l, "http.listen must be ADDR:PORT, such as 127.0.0.1:8470");
	if (u && config_take_string(c, u, "http.public_url", &cfg->public_url) == 0 &&
	    strncmp(cfg->public_url, "http://", 7) != 0 &&
	    strncmp(cfg->public_url, "https://", 8) != 0)
		config_error(c, u, "http.public_url must start with http:// or https://, not '%s'",
		             cfg->public_url);
	if (t && !ydoc_is_null(t) && config_want_type(c, t, YNODE_MAP, "http.tls") == 0) {
		const struct ynode *cert = ydoc_get(t, "cert"), *key = ydoc_get(t, "key");

		config_check_keys(c, t, " in http.tls", tls_keys);
		if (cert == NULL || key == NULL)
			config_error(c, t, "http.tls needs both 'cert' and 'key' (PEM files)");
		if (cert && config_take_string(c, cert, "cert", &cfg->tls_cert) == 0)
			config_resolve_path(c->path, &cfg->tls_cert);
		if (key && config_take_string(c, key, "key", &cfg->tls_key) == 0)
			config_resolve_path(c->path, &cfg->tls_key);
	}
}

/* Whether someone in people[] is in team. */
static int has_team(const void *arg, const char *team)
{
	const struct config *cfg = arg;

	for (size_t i = 0; i < cfg->n_people; i++)
		if (cfg->people[i].team && strcmp(cfg->people[i].team, team) == 0)
			return 1;
	return 0;
}

static char *default_storage_path(void)
{
	const char *state = getenv("STATE_DIRECTORY"), *home = getenv("HOME");
	const char *xdg = getenv("XDG_STATE_HOME");
	char path[4200];

	/* systemd's StateDirectory= first, then the XDG state folder. */
	if (state && *state) {
		char first[4096];

		snprintf(first, sizeof(first), "%s", state);
		first[strcspn(first, ":")] = '\0';
		snprintf(path, sizeof(path), "%s/payback.db", first);
	} else if (xdg && *xdg) {
		snprintf(path, sizeof(path), "%s/payback/payback.db", xdg);
	} else if (home && *home) {
		snprintf(path, sizeof(path), "%s/.local/state/payback/payback.db", home);
	} else {
		snprintf(path, sizeof(path), "payback.db");
	}
	return strdup(path);
}

static char *default_developer(void)
{
	const char *user = getenv("USER");
	struct passwd *pw;

	if (user && *user)
		return strdup(user);
	pw = getpwuid(getuid());
	return strdup(pw && pw->pw_name ? pw->pw_name : "unknown");
}

static int load(struct config *cfg, const char *path, const char *text, char *err, size_t errlen)
{
	static const char *const top[] = {"storage", "timezone", "developer", "sources", "people",
	                                  "plans",   "models",   "estimate",  "privacy", "advice",
	                                  "http",    "users",    "ingest",    "smtp",    "digests",
	                                  "tasks",   NULL};
	static const char *const storage_keys[] = {"path", NULL};
	struct config_ctx c = {path, BUF_INIT, 0};
	struct ynode *root = NULL, *v;

	memset(cfg, 0, sizeof(*cfg));
	err[0] = '\0';
	cfg->storage_path = default_storage_path();
	cfg->timezone = strdup("UTC");
	cfg->developer = default_developer();
	estimate_defaults(&cfg->estimate);
	cfg->estimate.currency = strdup("USD");
	cfg->privacy.min_group = 1;
	cfg->http_listen = strdup("127.0.0.1:8470");
	cfg->max_body_bytes = 16 << 20;
	cfg->advice = (struct advice_rules){14, 0.5, 90, 0.1, 2};
	config_smtp_defaults(&cfg->smtp);
	if (path == NULL)
		return cfg->storage_path && cfg->timezone && cfg->developer &&
		               load_builtin_pricing(cfg) == 0
		           ? 0
		           : -1;
	cfg->file = strdup(path);
	root = ydoc_load(path, text, err, errlen);
	if (root == NULL)
		return -1;
	if (config_want_type(&c, root, YNODE_MAP, "the configuration") < 0)
		goto done;
	config_check_keys(&c, root, "", top);
	if ((v = ydoc_get(root, "storage")) != NULL &&
	    config_want_type(&c, v, YNODE_MAP, "storage") == 0) {
		const struct ynode *p = ydoc_get(v, "path");

		config_check_keys(&c, v, " in storage", storage_keys);
		if (p && config_take_string(&c, p, "storage.path", &cfg->storage_path) == 0)
			config_resolve_path(path, &cfg->storage_path);
	}
	if ((v = ydoc_get(root, "timezone")) != NULL &&
	    config_take_string(&c, v, "timezone", &cfg->timezone) == 0 &&
	    !timezone_exists(cfg->timezone))
		config_error(&c, v,
		             "unknown time zone '%s' (expected an IANA name such as Europe/Lisbon)",
		             cfg->timezone);
	if ((v = ydoc_get(root, "developer")) != NULL)
		config_take_string(&c, v, "developer", &cfg->developer);
	if ((v = ydoc_get(root, "sources")) != NULL && !ydoc_is_null(v))
		load_sources(&c, cfg, v);
	/* Plans before people: seats name plans. */
	if ((v = ydoc_get(root, "plans")) != NULL && !ydoc_is_null(v))
		load_plans(&c, cfg, v);
	if ((v = ydoc_get(root, "models")) != NULL && !ydoc_is_null(v))
		load_models(&c, cfg, v);
	if ((v = ydoc_get(root, "people")) != NULL && !ydoc_is_null(v))
		load_people(&c, cfg, v);
	if ((v = ydoc_get(root, "tasks")) != NULL && !ydoc_is_null(v))
		load_tasks(&c, cfg, v);
	if ((v = ydoc_get(root, "estimate")) != NULL && !ydoc_is_null(v))
		load_estimate(&c, &cfg->estimate, v);
	if ((v = ydoc_get(root, "privacy")) != NULL && !ydoc_is_null(v))
		load_privacy(&c, &cfg->privacy, v);
	if ((v = ydoc_get(root, "advice")) != NULL && !ydoc_is_null(v))
		load_advice(&c, &cfg->advice, v);
	if ((v = ydoc_get(root, "http")) != NULL && config_want_type(&c, v, YNODE_MAP, "http") == 0)
		load_http(&c, cfg, v);
	if ((v = ydoc_get(root, "users")) != NULL && !ydoc_is_null(v))
		load_users(&c, cfg, v);
	if ((v = ydoc_get(root, "ingest")) != NULL && !ydoc_is_null(v))
		load_ingest(&c, cfg, v);
	if ((v = ydoc_get(root, "smtp")) != NULL && !ydoc_is_null(v))
		config_load_smtp(&c, &cfg->smtp, v);
	if ((v = ydoc_get(root, "digests")) != NULL && !ydoc_is_null(v))
		config_load_digests(&c, v, &cfg->smtp, has_team, cfg, &cfg->digests,
		                    &cfg->n_digests);
done:
	ydoc_free(root);
	if (c.n_errors) {
		if (c.n_errors > 20)
			buf_printf(&c.errors, "%s: %d more problems not shown\n", path,
			           c.n_errors - 20);
		snprintf(err, errlen, "%s", c.errors.data);
		if (c.errors.len && err[strlen(err) - 1] == '\n')
			err[strlen(err) - 1] = '\0';
		buf_free(&c.errors);
		return -1;
	}
	buf_free(&c.errors);
	if (load_builtin_pricing(cfg) < 0) {
		snprintf(err, errlen, "(built-in pricing): cannot be read");
		return -1;
	}
	return 0;
}

int config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
	return load(cfg, path, NULL, err, errlen);
}

int config_load_text(struct config *cfg, const char *path, const char *text, char *err,
                     size_t errlen)
{
	return load(cfg, path, text, err, errlen);
}

void config_free(struct config *cfg)
{
	for (size_t i = 0; i < cfg->n_sources; i++) {
		free((char *)cfg->sources[i].path);
		free((char *)cfg->sources[i].format);
		free((char *)cfg->sources[i].developer);
		free((char *)cfg->sources[i].tool);
	}
	free(cfg->sources);
	for (size_t i = 0; i < cfg->n_people; i++) {
		struct person *p = &cfg->people[i];

		free(p->id);
		free(p->name);
		free(p->team);
		free(p->email);
		for (size_t a = 0; a < p->n_aliases; a++)
			free(p->aliases[a]);
		free(p->aliases);
		for (size_t s = 0; s < p->n_seats; s++)
			free(p->seats[s].plan);
		free(p->seats);
	}
	free(cfg->people);
	for (size_t i = 0; i < cfg->n_plans; i++) {
		free(cfg->plans[i].id);
		free(cfg->plans[i].vendor);
		for (size_t k = 0; k < cfg->plans[i].n_covers; k++)
			free(cfg->plans[i].covers[k]);
		free(cfg->plans[i].covers);
	}
	free(cfg->plans);
	for (size_t i = 0; i < cfg->n_models; i++)
		free(cfg->models[i].match);
	free(cfg->models);
	for (size_t i = 0; i < cfg->n_tasks; i++) {
		free(cfg->tasks[i].task);
		for (size_t k = 0; k < cfg->tasks[i].n_words; k++)
			free(cfg->tasks[i].words[k]);
		free(cfg->tasks[i].words);
	}
	free(cfg->tasks);
	for (size_t i = 0; i < cfg->estimate.n_tasks; i++)
		free(cfg->estimate.tasks[i].task);
	free(cfg->estimate.tasks);
	free(cfg->estimate.currency);
	free(cfg->http_listen);
	free(cfg->tls_cert);
	free(cfg->tls_key);
	free(cfg->public_url);
	config_free_mail(&cfg->smtp, cfg->digests, cfg->n_digests);
	for (size_t i = 0; i < cfg->n_users; i++) {
		free(cfg->users[i].name);
		free(cfg->users[i].password_hash);
		free(cfg->users[i].developer);
	}
	free(cfg->users);
	for (size_t i = 0; i < cfg->n_tokens; i++)
		free(cfg->tokens[i].name);
	free(cfg->tokens);
	free(cfg->file);
	free(cfg->storage_path);
	free(cfg->timezone);
	free(cfg->developer);
	memset(cfg, 0, sizeof(*cfg));
}

const struct person *config_person(const struct config *cfg, const char *developer)
{
	for (size_t i = 0; i < cfg->n_people; i++) {
		const struct person *p = &cfg->people[i];

		if (strcmp(p->id, developer) == 0)
			return p;
		for (size_t a = 0; a < p->n_aliases; a++)
			if (strcmp(p->aliases[a], developer) == 0)
				return p;
	}
	return NULL;
}

const struct model_price *config_model_price(const struct config *cfg, const char *model)
{
	for (size_t i = 0; i < cfg->n_models; i++)
		if (cfg->models[i].match && fnmatch(cfg->models[i].match, model, 0) == 0)
			return &cfg->models[i];
	return NULL;
}

const struct plan *config_plan(const struct config *cfg, const char *id)
{
	for (size_t i = 0; i < cfg->n_plans; i++)
		if (cfg->plans[i].id && strcmp(cfg->plans[i].id, id) == 0)
			return &cfg->plans[i];
	return NULL;
}

const struct digest *config_digest(const struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_digests; i++)
		if (cfg->digests[i].name && strcmp(cfg->digests[i].name, name) == 0)
			return &cfg->digests[i];
	return NULL;
}

const char *config_person_address(const struct person *p)
{
	if (p->email)
		return p->email;
	return p->id && strchr(p->id, '@') ? p->id : NULL;
}

int config_apply_timezone(const struct config *cfg)
{
	if (!timezone_exists(cfg->timezone))
		return -1;
	setenv("TZ", cfg->timezone, 1);
	tzset();
	return 0;
}

static size_t add_dir(struct ingest_source *out, char paths[][4096], size_t n, size_t max,
                      const char *root, const char *sub, const char *format)
{
	struct stat sb;

	if (n >= max || root == NULL || *root == '\0' || strlen(root) + strlen(sub) >= 4096)
		return n;
	memcpy(paths[n], root, strlen(root));
	memcpy(paths[n] + strlen(root), sub, strlen(sub) + 1);
	if (stat(paths[n], &sb) < 0 || !S_ISDIR(sb.st_mode))
		return n;
	memset(&out[n], 0, sizeof(out[n]));
	out[n].path = paths[n];
	out[n].format = format;
	return n + 1;
}

/*
 * Where the tools write by default, the places ccusage reads too:
 * $CLAUDE_CONFIG_DIR (comma-separated roots) or ~/.config/claude and
 * ~/.claude; $CODEX_HOME or ~/.codex, live and archived sessions.
 */
size_t config_default_sources(struct ingest_source *out, char paths[][4096], size_t max)
{
	const char *home = getenv("HOME"), *claude = getenv("CLAUDE_CONFIG_DIR");
	const char *codex = getenv("CODEX_HOME");
	char root[4096];
	size_t n = 0;

	if (claude && *claude) {
		char list[4096], *save = NULL;

		snprintf(list, sizeof(list), "%s", claude);
		for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
			n = add_dir(out, paths, n, max, t, "/projects", "claude-code");
	} else if (home) {
		snprintf(root, sizeof(root), "%s/.config/claude", home);
		n = add_dir(out, paths, n, max, root, "/projects", "claude-code");
		snprintf(root, sizeof(root), "%s/.claude", home);
		n = add_dir(out, paths, n, max, root, "/projects", "claude-code");
	}
	if (codex && *codex) {
		snprintf(root, sizeof(root), "%s", codex);
	} else if (home) {
		snprintf(root, sizeof(root), "%s/.codex", home);
	} else {
		root[0] = '\0';
	}
	n = add_dir(out, paths, n, max, root, "/sessions", "codex");
	n = add_dir(out, paths, n, max, root, "/archived_sessions", "codex");
	return n;
}

int config_ingest_sources(const struct config *cfg, struct ingest_source **src, size_t *n_src,
                          char (**paths)[4096])
{
	*paths = NULL;
	if (cfg->n_sources > 0) {
		*n_src = cfg->n_sources;
		*src = calloc(*n_src, sizeof(**src));
		if (*src == NULL)
			return -1;
		memcpy(*src, cfg->sources, *n_src * sizeof(**src));
		return 0;
	}
	*src = calloc(8, sizeof(**src));
	*paths = calloc(8, sizeof(**paths));
	if (*src == NULL || *paths == NULL) {
		free(*src);
		free(*paths);
		return -1;
	}
	*n_src = config_default_sources(*src, *paths, 8);
	return 0;
}
