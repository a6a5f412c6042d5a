/*
 * html.h - the pieces every dashboard page is made of: the frame (navigation,
 * period presets, CSV and JSON links), escaping, numbers for people and
 * inline SVG charts. Nothing here loads anything from elsewhere: pages work
 * without JavaScript, external assets or a network.
 */
#ifndef PAYBACK_HTML_H
#define PAYBACK_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "../daemon/lib/buf.h"
#include "../daemon/config/config.h"

/* What the frame around a page shows. */
struct html_page {
	const char *title;     /* the page's heading */
	const char *section;   /* "overview", "models", ...: the tab shown as current */
	const char *path;      /* the page's own path, for the preset links */
	const char *from, *to; /* the period shown (local days), "" when open */
	const char *api;       /* the report its CSV and JSON twins come from, or NULL */
	const char *user;      /* who is signed in, or NULL */
	int is_own_page_only;  /* a developer account: no tabs to team-wide pages */
};

void html_begin(struct buf *b, const struct html_page *p);
void html_end(struct buf *b, const struct html_page *p);

/* s escaped for HTML text and quoted attributes. */
void html_text(struct buf *b, const char *s);
/* s percent-encoded as one path segment or query value. */
void html_url_part(struct buf *b, const char *s);

void html_count(struct buf *b, int64_t v);                      /* 12,345 */
void html_money(struct buf *b, double v, const char *currency); /* $1,234.50 */
void html_tokens(struct buf *b, double v);                      /* 1.2M tokens */
/* A low to high range with the likely value: "-2.5 to 45.6 h (likely 30.1)"; unit is HTML. */
void html_range(struct buf *b, const struct scenario *s, const char *unit, int decimals);
/* The same range as money. */
void html_money_range(struct buf *b, const struct scenario *s, const char *currency);

/* A bar of a chart: its label, value, and the text shown beside it. */
struct html_bar {
	const char *label;
	double value;
	double whisker; /* a second, larger value drawn as a line (p95), or 0 */
	char note[112];
};

/* Horizontal bars, one per item, scaled to the largest. */
void html_hbars(struct buf *b, const char *caption, const struct html_bar *bars, size_t n);
/* Columns over time (days or weeks), scaled to the largest; labels thinned to fit. */
void html_columns(struct buf *b, const char *caption, const struct html_bar *bars, size_t n);

#endif
