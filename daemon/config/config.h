/* config.h - payback.yaml as a struct, with a built-in default for every key. */
#ifndef PAYBACK_CONFIG_H
#define PAYBACK_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "../ingest/ingest.h"
#include "mail.h"
#include "../ingest/task.h"

/* A seat held from since to until, both local days (days since 1970-01-01). */
struct seat {
	char *plan;
	int64_t since, until; /* until is INT64_MAX while the seat is held */
};

/* Someone whose usage is reported: logs may name them by id or any alias. */
struct person {
	char *id, *name, *team;
	char *email; /* where personal digests go; the id when it is an address */
	char **aliases;
	size_t n_aliases;
	struct seat *seats;
	size_t n_seats;
};

/* A subscription: a monthly price covering the models matching covers[]. */
struct plan {
	char *id, *vendor;
	double monthly_usd;
	char **covers; /* shell patterns on model names */
	size_t n_covers;
};

/* API list prices in USD per million tokens, for models matching a pattern. */
struct model_price {
	char *match;
	double input, cache_read, cache_write, output;
	double cache_write_1h; /* one-hour cache writes; -1: twice input (Anthropic's rule) */
};

/* Three scenarios of one quantity: time saved is never one precise number. */
struct scenario {
	double low, likely, high;
};

enum { OUTCOME_KINDS = 4 }; /* unknown, accepted, rejected, edited: enum outcome's order */

struct task_factor {
	char *task;
	double factor;
};

/* The time-saved model (docs/roi.md explains each default and its source). */
struct estimate_model {
	double hourly_cost_usd;
	char *currency;
	struct scenario minutes_per_prompt[OUTCOME_KINDS]; /* by the prompt's outcome */
	struct scenario minutes_per_line;     /* per line an agent changed and was kept */
	double lines_per_prompt;              /* lines a day credits, at most, per prompt */
	struct scenario review_per_rejection; /* minutes lost reading rejected output */
	struct scenario waiting_share;        /* share of active time lost to the assistant */
	double idle_gap_minutes;              /* a longer gap ends a stretch of active time */
	struct scenario active_ceiling;       /* minutes saved a day <= attended minutes x this */
	double workday_hours;      /* a day's attended time: its active time, at most this */
	struct task_factor *tasks; /* multiplies a task's per-prompt minutes */
	size_t n_tasks;
	int is_allocated_by_requests; /* seat cost split by requests, not API-equivalent */
};

enum privacy_mode { PRIVACY_VISIBLE, PRIVACY_PSEUDONYMOUS, PRIVACY_HIDDEN };

struct privacy {
	enum privacy_mode developers; /* how per-developer figures are shown */
	int64_t min_group;            /* smaller teams fold into "other" */
};

/* When seat advice speaks up (docs/roi.md). */
struct advice_rules {
	int64_t idle_days;         /* no use for this long: idle */
	double oversized_ratio;    /* monthly API-equivalent below this share of the price */
	double near_limit_percent; /* a request this close to the plan's limits... */
	double near_limit_share;   /* ...this often: undersized */
	int64_t limit_hits;        /* or this many usage-limit messages (Claude Code) */
};

/* A dashboard account: admin and manager see everything, a developer their own page. */
enum user_role { ROLE_ADMIN, ROLE_MANAGER, ROLE_DEVELOPER };

struct user {
	char *name;
	char *password_hash; /* crypt(3), e.g. yescrypt "$y$..." */
	enum user_role role;
	char *developer; /* ROLE_DEVELOPER: the person (id or alias) they are */
};

/* A bearer token allowed to POST events; only its SHA-256 is kept. */
struct ingest_token {
	char *name;
	unsigned char sha256[32];
};

struct config {
	char *file;         /* the file loaded, or NULL for the built-in defaults */
	char *storage_path; /* storage.path */
	char *timezone;     /* IANA name; local days of reports are in it */
	char *developer;    /* who local tool logs belong to when nothing says */
	struct ingest_source *sources;
	size_t n_sources;
	struct person *people;
	size_t n_people;
	struct plan *plans;
	size_t n_plans;
	struct model_price *models; /* first match wins */
	size_t n_models;
	struct task_rule *tasks; /* the team's own cue words of prompt tasks */
	size_t n_tasks;
	struct estimate_model estimate;
	struct privacy privacy;
	struct advice_rules advice;
	char *http_listen;        /* http.listen: ADDR:PORT */
	char *tls_cert, *tls_key; /* http.tls: PEM files; NULL for plain HTTP */
	int64_t max_body_bytes;   /* ingest.max_body: larger POSTs get 413 */
	struct user *users;
	size_t n_users;
	struct ingest_token *tokens;
	size_t n_tokens;
	char *public_url; /* http.public_url: the dashboard as mail readers reach it */
	struct smtp_settings smtp;
	struct digest *digests;
	size_t n_digests;
};

/*
 * Loads path (NULL: built-in defaults only) into cfg. On error returns -1
 * and writes one "file:line:col: problem" line per problem to err.
 */
int config_load(struct config *cfg, const char *path, char *err, size_t errlen);
/* The same from text, reported under the name path (for tests). */
int config_load_text(struct config *cfg, const char *path, const char *text, char *err,
                     size_t errlen);
void config_free(struct config *cfg);
/* The person a developer name (an id or an alias, compared exactly) belongs to, or NULL. */
const struct person *config_person(const struct config *cfg, const char *developer);
/* The prices of the first models[] entry matching model, or NULL. */
const struct model_price *config_model_price(const struct config *cfg, const char *model);
/* The plan with this id, or NULL. */
const struct plan *config_plan(const struct config *cfg, const char *id);

/* The digest with this name, or NULL. */
const struct digest *config_digest(const struct config *cfg, const char *name);
/* Where a person's own digest goes: email, or the id when it is an address; NULL if neither. */
const char *config_person_address(const struct person *p);

/* Makes cfg->timezone the zone of localtime(); returns -1 if it is unknown. */
int config_apply_timezone(const struct config *cfg);
/* Fills the default sources: the local Claude Code and Codex log folders. */
size_t config_default_sources(struct ingest_source *out, char paths[][4096], size_t max);
/*
 * The configured sources, or the tools' own log folders of this user when
 * none are configured (*paths then holds their names; free both). The
 * sources point into cfg's strings. Returns 0 or -1.
 */
int config_ingest_sources(const struct config *cfg, struct ingest_source **src, size_t *n_src,
                          char (**paths)[4096]);

#endif
