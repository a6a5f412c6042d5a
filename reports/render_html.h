/* render_html.h - the dashboard's pages, from the same reports as text, CSV and JSON. */
#ifndef PAYBACK_RENDER_HTML_H
#define PAYBACK_RENDER_HTML_H

#include "advice.h"
#include "compare.h"
#include "html.h"
#include "report.h"
#include "roi.h"
#include "sources.h"

/* The daemon's own health, for the Sources page. */
struct html_health {
	int64_t uptime_s, requests, db_bytes;
	double request_ms_mean;
};

/* trend: usage keyed by day or week over the same period. */
void render_html_overview(const struct roi_report *r, const struct report *trend,
                          const struct html_page *p, struct buf *out);
void render_html_models(const struct roi_report *r, const struct compare_report *c,
                        const struct html_page *p, struct buf *out);
/* is_linked: whether each developer has a page of their own. */
void render_html_developers(const struct roi_report *r, int is_linked, const struct html_page *p,
                            struct buf *out);
/* usage: keyed by developer, model and tool; only rows of who (as shown) are used. */
void render_html_developer(const struct config *cfg, const struct roi_report *r,
                           const struct roi_person *who, const struct report *usage,
                           const struct html_page *p, struct buf *out);
void render_html_teams(const struct roi_report *r, const struct html_page *p, struct buf *out);
void render_html_seats(const struct advice_report *a, const char *currency,
                       const struct html_page *p, struct buf *out);
void render_html_sources(const struct sources_report *s, const struct html_health *h,
                         const struct html_page *p, struct buf *out);
/* A page with only a message, for errors and refusals. */
void render_html_message(const char *title, const char *message, struct buf *out);

#endif
