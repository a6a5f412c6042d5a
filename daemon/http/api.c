/*
 * api.c - the JSON and CSV report API, /metrics for Prometheus and /healthz.
 *
 *   GET /api/v1/report/SECTION?from=&to=&period=&last=&format=json|csv
 *   GET /metrics    Prometheus text: ingest, HTTP, database, digests
 *   GET /healthz    "ok" while the server runs
 */
#include "api.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../../reports/report.h"
#include "../../reports/section.h"
#include "../../reports/unpriced.h"
#include "cache.h"

enum MHD_Result http_api_health(struct http_server *s, struct MHD_Connection *c,
                                const struct http_call *call)
{
	(void)s;
	(void)call;
	return http_reply(c, MHD_HTTP_OK, "text/plain; charset=utf-8", "ok\n", 3);
}

enum MHD_Result http_api_report(struct http_server *s, struct MHD_Connection *c,
                                const struct http_call *call)
{
	const char *section = call->rest;
	const char *format = http_arg(c, "format"), *from, *to;
	char err[512], from_buf[11], to_buf[11];
	enum report_format f = FORMAT_JSON;
	struct buf out = BUF_INIT, key = BUF_INIT;
	unsigned long long generation;
	unsigned status;
	sqlite3 *db;
	enum MHD_Result ret;

	if (!report_is_section(section))
		return http_reply_error(c, MHD_HTTP_NOT_FOUND, "no such report");
	if (format && strcmp(format, "csv") == 0)
		f = FORMAT_CSV;
	else if (format && strcmp(format, "json") != 0)
		return http_reply_error(c, MHD_HTTP_BAD_REQUEST, "format must be json or csv");
	if (http_request_period(c, from_buf, to_buf, &from, &to) < 0)
		return http_reply_error(c, MHD_HTTP_BAD_REQUEST,
		                        "use from/to (YYYY-MM-DD), period (YYYY-MM) or last (7d)");
	http_cache_key(c, section, NULL, &key);
	generation = http_data_generation(s);
	if (http_cache_fetch(key.data, generation, &out, &status)) {
		db = NULL;
	} else if ((db = http_open_db(s)) == NULL) {
		http_cache_abandon(key.data, generation);
		buf_free(&key);
		return http_reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
		                        "the database is not available");
	} else if (report_run_section(section, db, s->cfg, from, to, f, &out, err, sizeof(err)) <
	           0) {
		http_cache_abandon(key.data, generation);
		status = MHD_HTTP_BAD_REQUEST;
	} else {
		status = MHD_HTTP_OK;
		http_cache_put(key.data, generation, out.data ? out.data : "", out.len, status);
	}
	buf_free(&key);
	if (status != MHD_HTTP_OK)
		ret = http_reply_error(c, MHD_HTTP_BAD_REQUEST, err);
	else
		ret = http_reply_buf(
		    c, MHD_HTTP_OK,
		    f == FORMAT_CSV ? "text/csv; charset=utf-8" : "application/json",
		    "default-src 'none'",
		    f == FORMAT_CSV ? "attachment; filename=\"payback.csv\"" : NULL, &out);
	buf_free(&out);
	sqlite3_close(db);
	return ret;
}

static void metric(struct buf *b, const char *name, const char *help, const char *type)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value in Prometheus' text format: backslash, quote and newline escaped. */
static void label(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			buf_putc(b, '\\');
		if (*s == '\n')
			buf_puts(b, "\\n");
		else
			buf_putc(b, *s);
	}
}

enum MHD_Result http_api_metrics(struct http_server *s, struct MHD_Connection *c,
                                 const struct http_call *call)
{
	struct buf b = BUF_INIT;
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	struct stat sb;
	enum MHD_Result ret;

	(void)call;
	metric(&b, "payback_http_requests_total", "HTTP requests answered.", "counter");
	buf_printf(&b, "payback_http_requests_total %llu\n", (unsigned long long)s->requests);
	metric(&b, "payback_http_request_seconds_total", "Time spent answering them.", "counter");
	buf_printf(&b, "payback_http_request_seconds_total %.6f\n", (double)s->request_us / 1e6);
	if (stat(s->db_path, &sb) == 0) {
		metric(&b, "payback_database_bytes", "Size of the database file.", "gauge");
		buf_printf(&b, "payback_database_bytes %lld\n", (long long)sb.st_size);
	}
	if (sqlite3_open_v2(s->db_path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) ==
	        SQLITE_OK &&
	    sqlite3_prepare_v2(db,
	                       "SELECT path, events, rejected, size - offset, "
	                       "coalesce(strftime('%s', 'now') - last_read, -1) FROM source_file "
	                       "ORDER BY path",
	                       -1, &q, NULL) == SQLITE_OK) {
		static const char *const names[] = {
		    "payback_ingest_events_total", "payback_ingest_rejected_total",
		    "payback_ingest_unread_bytes", "payback_ingest_seconds_since_read"};
		static const char *const helps[] = {
		    "Events stored from the file.", "Lines of the file rejected.",
		    "Bytes of the file not read yet (when last seen).",
		    "Seconds since the file was last read."};

		for (int m = 0; m < 4; m++) {
			metric(&b, names[m], helps[m], m < 2 ? "counter" : "gauge");
			while (sqlite3_step(q) == SQLITE_ROW) {
				buf_printf(&b, "%s{source=\"", names[m]);
				label(&b, (const char *)sqlite3_column_text(q, 0));
				buf_printf(&b, "\"} %lld\n",
				           (long long)sqlite3_column_int64(q, m + 1));
			}
			sqlite3_reset(q);
		}
	}
	sqlite3_finalize(q);
	q = NULL;
	if (db && sqlite3_prepare_v2(db,
	                             "SELECT digest, status, count(*) FROM digest_runs "
	                             "GROUP BY digest, status ORDER BY digest, status",
	                             -1, &q, NULL) == SQLITE_OK) {
		metric(&b, "payback_digest_deliveries",
		       "Digest messages by state: sent, retrying or failed (refused).", "gauge");
		while (sqlite3_step(q) == SQLITE_ROW) {
			buf_puts(&b, "payback_digest_deliveries{digest=\"");
			label(&b, (const char *)sqlite3_column_text(q, 0));
			buf_puts(&b, "\",status=\"");
			label(&b, (const char *)sqlite3_column_text(q, 1));
			buf_printf(&b, "\"} %lld\n", (long long)sqlite3_column_int64(q, 2));
		}
	}
	sqlite3_finalize(q);
	if (db) {
		struct unpriced_list unpriced = {NULL, 0};

		if (unpriced_stored(db, s->cfg, &unpriced) == 0) {
			metric(&b, "payback_unpriced_model_requests",
			       "Requests to models with no price: $0 in every dollar figure.",
			       "gauge");
			for (size_t i = 0; i < unpriced.n; i++) {
				buf_puts(&b, "payback_unpriced_model_requests{model=\"");
				label(&b, unpriced.items[i].model);
				buf_printf(&b, "\"} %lld\n", (long long)unpriced.items[i].requests);
			}
		}
		unpriced_free(&unpriced);
	}
	sqlite3_close(db);
	ret = http_reply(c, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", b.data, b.len);
	buf_free(&b);
	return ret;
}
