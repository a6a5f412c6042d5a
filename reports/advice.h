/*
 * advice.h - seat advice per person: idle, oversized, undersized or good
 * value, each with the money per month it saves (positive) or costs.
 */
#ifndef PAYBACK_ADVICE_H
#define PAYBACK_ADVICE_H

#include <sqlite3.h>

#include "../daemon/lib/buf.h"
#include "estimate.h"

enum advice_kind { ADVICE_IDLE, ADVICE_OVERSIZED, ADVICE_UNDERSIZED, ADVICE_GOOD };

struct seat_advice {
	char *person;                /* as the privacy setting shows them */
	const struct person *holder; /* the configured person, for scoping */
	const char *plan;            /* the seat's plan id */
	double monthly_usd;          /* its price */
	enum advice_kind kind;
	int64_t requests;         /* covered by the seat in the period */
	int64_t idle_days;        /* days since its last use (or all its days) */
	double api_monthly_usd;   /* its usage at API prices, per 30.4-day month */
	double near_limit_share;  /* share of requests near the plan's limits */
	int64_t limit_hits;       /* usage-limit messages its holder saw */
	const char *alternative;  /* a plan id, "pay-as-you-go", or NULL */
	double monthly_delta_usd; /* + saved per month by following the advice, - cost */
};

struct advice_report {
	char from[11], to[11];
	struct seat_advice *items; /* by person, then plan */
	size_t n_items;
};

/* Period: [from, to]; without both, the 30 days ending on the last day with events. */
int advice_build(sqlite3 *db, const struct config *cfg, const char *from, const char *to,
                 struct advice_report *out, char *err, size_t errlen);
void advice_free(struct advice_report *r);
const char *advice_kind_name(enum advice_kind k);
/* One line a person can act on, e.g. "cancel or reassign: unused for 21 days". */
void advice_sentence(const struct seat_advice *a, struct buf *out);

int render_text_seats(const struct advice_report *r, struct buf *out);
int render_csv_seats(const struct advice_report *r, struct buf *out);
int render_json_seats(const struct advice_report *r, struct buf *out);

#endif
