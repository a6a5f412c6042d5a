/*
 * pages.c - the dashboard: each page builds its reports on a read-only
 * connection and hands them to reports/render_html.c.
 *
 *   /              overview          /developers       every developer
 *   /models        comparison        /developers/ID    one developer
 *   /teams         teams             /seats            seat advice
 *   /sources       what was read, what was rejected, the daemon's health
 *
 * A developer account sees only its own page; the others get 403.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../lib/calendar.h"
#include "../../reports/render_html.h"
#include "cache.h"
#include "pages.h"
#include "../lib/log.h"

#define TREND_WEEKS_AFTER 62 /* days: longer periods are charted per week */

static const char page_csp[] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

static enum MHD_Result reply_html(struct MHD_Connection *c, unsigned status, struct buf *b)
{
	return http_reply_buf(c, status, "text/html; charset=utf-8", page_csp, NULL, b);
}

static enum MHD_Result message(struct MHD_Connection *c, unsigned status, const char *title,
                               const char *text)
{
	struct buf b = BUF_INIT;
	enum MHD_Result ret;

	render_html_message(title, text, &b);
	ret = reply_html(c, status, &b);
	buf_free(&b);
	return ret;
}

int http_is_page(const char *url)
{
	static const char *const pages[] = {"/",      "/models", "/developers",
	                                    "/teams", "/seats",  "/sources"};

	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if (strcmp(url, pages[i]) == 0)
			return 1;
	return strncmp(url, "/developers/", 12) == 0 && url[12] != '\0';
}

/* The usage of the period, by day or by week, for the overview's chart. */
static int trend(sqlite3 *db, const struct config *cfg, const struct roi_report *r,
                 struct report *out, char *err, size_t errlen)
{
	struct report_query q = {r->from, r->to, {KEY_DAY}, 1};
	int64_t from, to;

	if (cal_day_of(r->from, &from) == 0 && cal_day_of(r->to, &to) == 0 &&
	    to - from > TREND_WEEKS_AFTER)
		q.keys[0] = KEY_WEEK;
	return report_usage(db, cfg, &q, out, err, errlen);
}

static const struct roi_person *find_person(const struct roi_report *r, const char *id)
{
	for (size_t i = 0; i < r->n_people; i++)
		if (strcmp(r->people[i].id, id) == 0)
			return &r->people[i];
	return NULL;
}

/* The name a developer account's person is shown under. */
static void own_name(const struct config *cfg, const struct http_user *u, char *out, size_t n)
{
	const struct person *p = config_person(cfg, u->developer);

	report_developer_name(cfg, p ? p->id : u->developer, out, n);
}

static int build_page(struct http_server *s, sqlite3 *db, const char *url, const char *from,
                      const char *to, const struct http_user *u, struct buf *out, char *err,
                      size_t errlen, unsigned *status)
{
	const struct config *cfg = s->cfg;
	struct html_page p = {NULL, NULL, url, "", "", NULL, u->name, u->role == ROLE_DEVELOPER};
	struct roi_report r;
	int rc = 0;

	if (strcmp(url, "/sources") == 0) {
		struct sources_report src;
		struct html_health h = {
		    (int64_t)(time(NULL) - s->started), (int64_t)s->requests, 0,
		    s->requests ? (double)s->request_us / 1e3 / (double)s->requests : 0};
		struct stat sb;

		if (stat(s->db_path, &sb) == 0)
			h.db_bytes = (int64_t)sb.st_size;
		if (sources_build(db, 50, &src, err, errlen) < 0)
			return -1;
		p.title = "Sources";
		p.section = "sources";
		p.from = NULL;
		render_html_sources(&src, &h, &p, out);
		sources_free(&src);
		return 0;
	}
	if (strcmp(url, "/seats") == 0) {
		struct advice_report a;

		if (advice_build(db, cfg, from, to, &a, err, errlen) < 0)
			return -1;
		p.title = "Seats";
		p.section = p.api = "seats";
		p.from = a.from;
		p.to = a.to;
		render_html_seats(&a, cfg->estimate.currency, &p, out);
		advice_free(&a);
		return 0;
	}
	if (roi_build(db, cfg, from, to, &r, err, errlen) < 0)
		return -1;
	p.from = r.from;
	p.to = r.to;
	if (strcmp(url, "/") == 0) {
		struct report t;

		p.title = "Overview";
		p.section = p.api = "overview";
		if ((rc = trend(db, cfg, &r, &t, err, errlen)) == 0) {
			render_html_overview(&r, &t, &p, out);
			report_free(&t);
		}
	} else if (strcmp(url, "/models") == 0) {
		struct compare_report cmp;

		p.title = "Models";
		p.section = p.api = "models";
		if ((rc = compare_build(db, cfg, r.from, r.to, &cmp, err, errlen)) == 0) {
			render_html_models(&r, &cmp, &p, out);
			compare_free(&cmp);
		}
	} else if (strcmp(url, "/developers") == 0) {
		p.title = "Developers";
		p.section = p.api = "developers";
		render_html_developers(&r, cfg->privacy.developers != PRIVACY_HIDDEN, &p, out);
	} else if (strcmp(url, "/teams") == 0) {
		p.title = "Teams";
		p.section = p.api = "teams";
		render_html_teams(&r, &p, out);
	} else {
		const char *id = url + strlen("/developers/");
		const struct roi_person *who = find_person(&r, id);
		struct report_query q = {r.from, r.to, {KEY_DEVELOPER, KEY_MODEL, KEY_TOOL}, 3};
		struct report usage;

		p.title = id;
		p.section = "developers";
		if (cfg->privacy.developers == PRIVACY_HIDDEN || who == NULL) {
			snprintf(err, errlen,
			         cfg->privacy.developers == PRIVACY_HIDDEN
			             ? "developers are hidden by privacy.developers"
			             : "no usage by this developer in the period");
			*status = MHD_HTTP_NOT_FOUND;
			rc = -1;
		} else if ((rc = report_usage(db, cfg, &q, &usage, err, errlen)) == 0) {
			render_html_developer(cfg, &r, who, &usage, &p, out);
			report_free(&usage);
		}
	}
	roi_free(&r);
	return rc;
}

enum MHD_Result http_page(struct http_server *s, struct MHD_Connection *c,
                          const struct http_call *call)
{
	const char *url = call->url;
	const struct http_user *u = call->user;
	const char *from, *to;
	char from_buf[11], to_buf[11], err[512], own[128];
	unsigned status = MHD_HTTP_BAD_REQUEST;
	struct buf out = BUF_INIT, key = BUF_INIT;
	unsigned long long generation;
	enum MHD_Result ret;
	int is_cached;
	sqlite3 *db;

	if (u->role == ROLE_DEVELOPER) {
		own_name(s->cfg, u, own, sizeof(own));
		if (strncmp(url, "/developers/", 12) != 0 || strcmp(url + 12, own) != 0) {
			struct MHD_Response *r;
			struct buf to_page = BUF_INIT;

			if (strcmp(url, "/") != 0)
				return message(c, MHD_HTTP_FORBIDDEN, "Not yours to see",
				               "A developer account sees only its own page.");
			/* A developer's home is their own page. */
			buf_puts(&to_page, "/developers/");
			html_url_part(&to_page, own);
			r = MHD_create_response_from_buffer(0, (char *)"", MHD_RESPMEM_PERSISTENT);
			if (r == NULL) {
				buf_free(&to_page);
				return MHD_NO;
			}
			MHD_add_response_header(r, "Location", to_page.data);
			ret = MHD_queue_response(c, MHD_HTTP_FOUND, r);
			MHD_destroy_response(r);
			buf_free(&to_page);
			return ret;
		}
	}
	if (http_request_period(c, from_buf, to_buf, &from, &to) < 0)
		return message(
		    c, MHD_HTTP_BAD_REQUEST, "Bad period",
		    "Use from and to (YYYY-MM-DD), period (YYYY-MM) or last (such as 7d).");
	/* Sources shows ages and uptime: always built afresh. */
	is_cached = strcmp(url, "/sources") != 0;
	generation = http_data_generation(s);
	http_cache_key(c, url, u, &key);
	if (is_cached && http_cache_fetch(key.data, generation, &out, &status)) {
		ret = reply_html(c, status, &out);
		buf_free(&out);
		buf_free(&key);
		return ret;
	}
	db = http_open_db(s);
	if (db == NULL) {
		if (is_cached)
			http_cache_abandon(key.data, generation);
		buf_free(&key);
		return message(c, MHD_HTTP_SERVICE_UNAVAILABLE, "Unavailable",
		               "The database is not available; see the daemon's log.");
	}
	if (build_page(s, db, url, from, to, u, &out, err, sizeof(err), &status) < 0) {
		if (is_cached)
			http_cache_abandon(key.data, generation);
		ret = message(c, status, status == MHD_HTTP_NOT_FOUND ? "Not found" : "Bad request",
		              err);
	} else {
		if (is_cached)
			http_cache_put(key.data, generation, out.data ? out.data : "", out.len,
			               MHD_HTTP_OK);
		ret = reply_html(c, MHD_HTTP_OK, &out);
	}
	buf_free(&out);
	buf_free(&key);
	sqlite3_close(db);
	return ret;
}
