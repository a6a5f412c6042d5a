/*
 * roi.h - the overview and per-model money and time figures of a period:
 * seat cost (prorated, then allocated to the models each seat covers),
 * pay-as-you-go, API-equivalent cost and time saved in three scenarios.
 */
#ifndef PAYBACK_ROI_H
#define PAYBACK_ROI_H

#include <sqlite3.h>

#include "../daemon/lib/buf.h"
#include "estimate.h"
#include "unpriced.h"

struct roi_model {
	char *model;
	int64_t requests, prompts, active_ms;
	double seat_cost_usd, payg_usd, api_usd;
	struct scenario minutes;
};

/* A developer (a configured person, or a name as logged) and their team. */
struct roi_person {
	char *id;
	const char *team; /* "(no team)" when none */
	int64_t requests, prompts, active_ms;
	double seat_cost_usd, payg_usd, api_usd;
	struct scenario minutes;
	struct roi roi;
};

/* A team, or "other" for teams smaller than privacy.min_group. */
struct roi_team {
	char *team;
	int64_t people, requests, prompts, active_ms;
	double seat_cost_usd, payg_usd, api_usd;
	struct scenario minutes;
	struct roi roi;
};

struct roi_report {
	char from[11], to[11]; /* local days, inclusive */
	int64_t days;          /* in the period */
	int64_t developers;    /* who made a request in it, in scope */
	int64_t requests, prompts, active_ms;
	double seat_cost_usd, payg_usd, api_usd;
	struct scenario minutes;
	struct roi roi; /* against seat cost + pay-as-you-go */
	const char *currency;
	struct roi_model *models; /* sorted by model; "(unused seats)" holds idle seat cost */
	size_t n_models;
	struct roi_person *people; /* sorted by id */
	size_t n_people;
	struct roi_team *teams; /* sorted by team, "other" last */
	size_t n_teams;
	struct unpriced_list unpriced; /* used with no price: $0 in api_usd and payg_usd */
};

/* Whose usage a report covers: everyone (both NULL), one team, or one person (an id). */
struct roi_scope {
	const char *team, *person;
};

/*
 * Computes the figures of the local days [from, to]; NULL ends default to
 * the first and last day with events. Developers appear as the privacy
 * setting says (pseudonyms, or none at all when hidden). Returns 0, or -1
 * with err filled.
 */
int roi_build(sqlite3 *db, const struct config *cfg, const char *from, const char *to,
              struct roi_report *out, char *err, size_t errlen);
/* The same over the usage and seats of scope only (NULL: everyone). */
int roi_build_scoped(sqlite3 *db, const struct config *cfg, const char *from, const char *to,
                     const struct roi_scope *scope, struct roi_report *out, char *err,
                     size_t errlen);
void roi_free(struct roi_report *r);
/* Developer-weeks of the period: developers x days / 7 (0 when none). */
double roi_developer_weeks(const struct roi_report *r);
/* Whether a developer as logged (NULL: unknown) belongs to scope. */
int roi_in_scope(const struct roi_scope *scope, const struct person *who, const char *developer);

int render_text_overview(const struct roi_report *r, struct buf *out);
int render_csv_overview(const struct roi_report *r, struct buf *out);
int render_json_overview(const struct roi_report *r, struct buf *out);
int render_text_models(const struct roi_report *r, struct buf *out);
int render_text_developers(const struct roi_report *r, struct buf *out);
int render_csv_developers(const struct roi_report *r, struct buf *out);
int render_json_developers(const struct roi_report *r, struct buf *out);
int render_text_teams(const struct roi_report *r, struct buf *out);
int render_csv_teams(const struct roi_report *r, struct buf *out);
int render_json_teams(const struct roi_report *r, struct buf *out);
int render_csv_models(const struct roi_report *r, struct buf *out);
int render_json_models(const struct roi_report *r, struct buf *out);

#endif
