/*
 * http.c - the HTTP server.
 *
 *   GET /healthz                          "ok" while the server runs
 *   GET /metrics                          Prometheus text: ingest, HTTP, database
 *   GET /api/v1/report/SECTION?from=&to=&period=&last=&format=json|csv
 *
 * Every request opens its own read-only database connection, so requests
 * run side by side with ingest (WAL) and with each other, on libmicrohttpd's
 * thread per connection. Strings from logs reach the answers only through
 * the JSON and CSV escaping of the renderers.
 */
#include "http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../reports/report.h"
#include "../reports/section.h"
#include "buf.h"
#include "log.h"

#define REPORT_PREFIX "/api/v1/report/"

struct http_server {
	struct MHD_Daemon *daemon;
	const struct config *cfg;
	char *db_path;
	/* For /metrics: requests answered, and their time, in microseconds. */
	_Atomic unsigned long long requests, request_us;
};

int http_parse_listen(const char *listen, struct sockaddr_storage *out, socklen_t *len)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	char *end;
	long port;

	memset(out, 0, sizeof(*out));
	if (colon == NULL || (size_t)(colon - listen) >= sizeof(host))
		return -1;
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || end == colon + 1 || port < 1 || port > 65535)
		return -1;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	if (host[0] == '[') {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)out;
		size_t n = strlen(host);

		if (n < 3 || host[n - 1] != ']')
			return -1;
		host[n - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
			return -1;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*a6);
		return 0;
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)out;

		if (inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host,
		              &a4->sin_addr) != 1)
			return -1;
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		*len = sizeof(*a4);
		return 0;
	}
}

int http_is_loopback(const struct sockaddr_storage *addr)
{
	if (addr->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)addr)->sin_addr.s_addr) >> 24) == 127;
	if (addr->ss_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)addr)->sin6_addr);
	return 0;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type,
                             const char *body, size_t len)
{
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(len, (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Content-Security-Policy", "default-src 'none'");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result reply_error(struct MHD_Connection *c, unsigned status, const char *msg)
{
	struct buf b = BUF_INIT;
	enum MHD_Result ret;

	buf_puts(&b, "{\"error\": ");
	buf_append_json(&b, msg);
	buf_puts(&b, "}\n");
	ret = reply(c, status, "application/json", b.data, b.len);
	buf_free(&b);
	return ret;
}

static const char *arg(struct MHD_Connection *c, const char *key)
{
	const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);

	return v && *v ? v : NULL;
}

/* The period of a request: from/to, or period=YYYY-MM, or last=Nd. */
static int request_period(struct MHD_Connection *c, char from[11], char to[11], const char **f,
                          const char **t)
{
	const char *period = arg(c, "period"), *last = arg(c, "last");

	*f = arg(c, "from");
	*t = arg(c, "to");
	if (!period && !last)
		return 0;
	if (*f || *t || (period && last) || report_period_bounds(period, last, from, to) < 0)
		return -1;
	*f = from;
	*t = to;
	return 0;
}

static enum MHD_Result report(struct http_server *s, struct MHD_Connection *c, const char *section)
{
	const char *format = arg(c, "format"), *from, *to;
	char err[512], from_buf[11], to_buf[11];
	enum report_format f = FORMAT_JSON;
	struct buf out = BUF_INIT;
	sqlite3 *db = NULL;
	enum MHD_Result ret;

	if (!report_is_section(section))
		return reply_error(c, MHD_HTTP_NOT_FOUND, "no such report");
	if (format && strcmp(format, "csv") == 0)
		f = FORMAT_CSV;
	else if (format && strcmp(format, "json") != 0)
		return reply_error(c, MHD_HTTP_BAD_REQUEST, "format must be json or csv");
	if (request_period(c, from_buf, to_buf, &from, &to) < 0)
		return reply_error(c, MHD_HTTP_BAD_REQUEST,
		                   "use from/to (YYYY-MM-DD), period (YYYY-MM) or last (7d)");
	if (sqlite3_open_v2(s->db_path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
	        SQLITE_OK ||
	    report_register_functions(db, s->cfg) < 0) {
		log_err("%s: %s", s->db_path, db ? sqlite3_errmsg(db) : "cannot open");
		sqlite3_close(db);
		return reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
		                   "the database is not available");
	}
	sqlite3_busy_timeout(db, 5000);
	if (report_run_section(section, db, s->cfg, from, to, f, &out, err, sizeof(err)) < 0)
		ret = reply_error(c, MHD_HTTP_BAD_REQUEST, err);
	else
		ret = reply(c, MHD_HTTP_OK,
		            f == FORMAT_CSV ? "text/csv; charset=utf-8" : "application/json",
		            out.data ? out.data : "", out.len);
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

static enum MHD_Result metrics(struct http_server *s, struct MHD_Connection *c)
{
	struct buf b = BUF_INIT;
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	struct stat sb;
	enum MHD_Result ret;

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
	sqlite3_close(db);
	ret = reply(c, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", b.data, b.len);
	buf_free(&b);
	return ret;
}

static enum MHD_Result route(struct http_server *s, struct MHD_Connection *c, const char *url)
{
	if (strcmp(url, "/healthz") == 0)
		return reply(c, MHD_HTTP_OK, "text/plain; charset=utf-8", "ok\n", 3);
	if (strcmp(url, "/metrics") == 0)
		return metrics(s, c);
	if (strncmp(url, REPORT_PREFIX, strlen(REPORT_PREFIX)) == 0)
		return report(s, c, url + strlen(REPORT_PREFIX));
	return reply_error(c, MHD_HTTP_NOT_FOUND, "not found");
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **state)
{
	struct http_server *s = cls;

	(void)version;
	(void)upload;
	/* The first call only announces the request; answer on the second. */
	if (*state == NULL) {
		*state = s;
		return MHD_YES;
	}
	if (*upload_size != 0) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return reply_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET is served here");
	{
		struct timespec t0, t1;
		enum MHD_Result ret;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		ret = route(s, c, url);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		s->request_us += (unsigned long long)((t1.tv_sec - t0.tv_sec) * 1000000 +
		                                      (t1.tv_nsec - t0.tv_nsec) / 1000);
		s->requests++;
		return ret;
	}
}

struct http_server *http_start(const char *listen, const struct config *cfg, const char *db_path,
                               char *err, size_t errlen)
{
	struct http_server *s;
	struct sockaddr_storage addr;
	socklen_t len;
	unsigned flags =
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;

	if (http_parse_listen(listen, &addr, &len) < 0) {
		snprintf(err, errlen, "'%s' is not ADDR:PORT", listen);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL || (s->db_path = strdup(db_path)) == NULL) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->cfg = cfg;
	if (addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, &addr,
	                             MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
	                             MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
	                             MHD_OPTION_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_END);
	if (s->daemon == NULL) {
		snprintf(err, errlen, "cannot listen on %s (in use, or not an address here?)",
		         listen);
		free(s->db_path);
		free(s);
		return NULL;
	}
	(void)len;
	return s;
}

void http_stop(struct http_server *s)
{
	if (s == NULL)
		return;
	MHD_stop_daemon(s->daemon);
	free(s->db_path);
	free(s);
}
