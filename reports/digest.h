/*
 * digest.h - what one e-mail digest says: a period's figures for the
 * organisation, a team or one person, the period before for the change,
 * the top models, the model recommendations and the seat advice in scope.
 * render_email.c turns it into the subject, the text and the HTML.
 */
#ifndef PAYBACK_DIGEST_H
#define PAYBACK_DIGEST_H

#include <sqlite3.h>

#include "../daemon/lib/buf.h"
#include "advice.h"
#include "compare.h"
#include "roi.h"

#define DIGEST_TOP_MODELS 5

struct digest_report {
	const struct digest *digest;
	const struct person *person; /* SCOPE_PERSONAL: whose report it is */
	char scope_label[160];       /* "the payments team", "Ana Lima" */
	const char *period_name;     /* "day", "week" or "month" */
	const char *public_url;      /* the dashboard, or NULL */
	struct roi_report now, before;
	/* Week over week for daily and monthly digests: the 7 days to the period's end
	 * against the 7 before (a weekly digest's own periods are those weeks). */
	int has_week;
	struct roi_report week, week_before;
	const struct roi_model *top[DIGEST_TOP_MODELS]; /* of now, most requests first */
	size_t n_top;
	struct compare_report compare; /* over everyone's data: models are compared org-wide */
	struct advice_report advice;   /* seats in scope that need action, most money first */
};

/*
 * Builds d's report for person (SCOPE_PERSONAL, else NULL) over the local
 * days [from, to], compared with [prev_from, prev_to]. Returns 0, or -1 with
 * err filled.
 */
int digest_build(sqlite3 *db, const struct config *cfg, const struct digest *d,
                 const struct person *person, int64_t from, int64_t to, int64_t prev_from,
                 int64_t prev_to, struct digest_report *out, char *err, size_t errlen);
void digest_free(struct digest_report *r);

/* The subject line: scope, period and the headline figure. UTF-8, unencoded. */
void render_email_subject(const struct digest_report *r, struct buf *out);
void render_email_text(const struct digest_report *r, struct buf *out);
/* HTML for mail clients: tables and inline styles, no script, no external image. */
void render_email_html(const struct digest_report *r, struct buf *out);

#endif
