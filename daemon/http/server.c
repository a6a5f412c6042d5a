/*
 * http.c - the HTTP server.
 *
 *   GET /healthz                          "ok" while the server runs
 *   GET /metrics                          Prometheus text: ingest, HTTP, database
 *   GET /api/v1/report/SECTION?from=&to=&period=&last=&format=json|csv
 *   GET / and the other dashboard pages   (http_pages.c)
 *   POST /api/v1/events                   (http_ingest.c)
 *   POST /v1/logs, /v1/metrics            OTLP/HTTP JSON (otlp.c)
 *
 * Dashboard and reports need a configured user (HTTP Basic, crypt(3)
 * hashes) unless none is configured, which is allowed on loopback only;
 * ingest needs a bearer token from ingest.tokens.
 *
 * Every request opens its own read-only database connection, so requests
 * run side by side with ingest (WAL) and with each other, on libmicrohttpd's
 * thread per connection. Strings from logs reach the answers only through
 * the JSON and CSV escaping of the renderers.
 */
#include <arpa/inet.h>
#include <crypt.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "../../reports/report.h"
#include "../../reports/section.h"
#include "cache.h"
#include "internal.h"
#include "../lib/log.h"
#include "../lib/util.h"

#define REPORT_PREFIX "/api/v1/report/"

/* What a request carries between libmicrohttpd's calls: its body, for POSTs. */
struct request {
	struct buf body;
	int is_too_large;
	int is_over_budget; /* other bodies held the budget: answered 503 */
	size_t held;        /* bytes counted in body_bytes */
};

/*
 * Takes n more bytes of the bodies' budget for req. The first body held
 * always fits, so any body up to ingest.max_body can be sent; with others
 * held, what would pass the budget is refused, which bounds memory however
 * many clients post at once.
 */
static int take_body_budget(struct http_server *s, struct request *req, size_t n)
{
	unsigned long long before = atomic_fetch_add(&s->body_bytes, n);

	if (before > req->held && before + n > (unsigned long long)s->cfg->max_body_bytes) {
		atomic_fetch_sub(&s->body_bytes, n);
		return -1;
	}
	req->held += n;
	return 0;
}

static void release_body(struct http_server *s, struct request *req)
{
	atomic_fetch_sub(&s->body_bytes, req->held);
	req->held = 0;
	buf_free(&req->body);
}

/* The last password each user signed in with, as SHA-256: crypt(3) is slow on purpose. */

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

/* Queues r with the security headers every answer carries, and lets go of it. */
static enum MHD_Result queue_with_headers(struct MHD_Connection *c, struct MHD_Response *r,
                                          unsigned status, const char *type, const char *csp,
                                          const char *disposition)
{
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Content-Security-Policy", csp);
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	if (disposition)
		MHD_add_response_header(r, "Content-Disposition", disposition);
	if (status == MHD_HTTP_TOO_MANY_REQUESTS || status == MHD_HTTP_SERVICE_UNAVAILABLE)
		MHD_add_response_header(r, "Retry-After", "2");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result http_reply_with(struct MHD_Connection *c, unsigned status, const char *type,
                                const char *csp, const char *disposition, const char *body,
                                size_t len)
{
	return queue_with_headers(
	    c, MHD_create_response_from_buffer(len, (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY),
	    status, type, csp, disposition);
}

enum MHD_Result http_reply_buf(struct MHD_Connection *c, unsigned status, const char *type,
                               const char *csp, const char *disposition, struct buf *b)
{
	size_t len = b->len;
	char *body = buf_detach(b);
	struct MHD_Response *r;

	if (body == NULL)
		return MHD_NO;
	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL)
		free(body);
	return queue_with_headers(c, r, status, type, csp, disposition);
}

enum MHD_Result http_reply(struct MHD_Connection *c, unsigned status, const char *type,
                           const char *body, size_t len)
{
	return http_reply_with(c, status, type, "default-src 'none'", NULL, body, len);
}

enum MHD_Result http_reply_error(struct MHD_Connection *c, unsigned status, const char *msg)
{
	struct buf b = BUF_INIT;
	enum MHD_Result ret;

	buf_puts(&b, "{\"error\": ");
	buf_append_json(&b, msg);
	buf_puts(&b, "}\n");
	ret = http_reply(c, status, "application/json", b.data, b.len);
	buf_free(&b);
	return ret;
}

const char *http_arg(struct MHD_Connection *c, const char *key)
{
	const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);

	return v && *v ? v : NULL;
}

int http_request_period(struct MHD_Connection *c, char from_buf[11], char to_buf[11],
                        const char **from, const char **to)
{
	const char *period = http_arg(c, "period"), *last = http_arg(c, "last");

	*from = http_arg(c, "from");
	*to = http_arg(c, "to");
	if (!period && !last)
		return 0;
	if (*from || *to || (period && last) ||
	    report_period_bounds(period, last, from_buf, to_buf) < 0)
		return -1;
	*from = from_buf;
	*to = to_buf;
	return 0;
}

void http_cache_key(struct MHD_Connection *c, const char *what, const struct http_user *u,
                    struct buf *key)
{
	static const char *const args[] = {"from", "to", "period", "last", "format"};
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	buf_printf(key, "%s|%d-%d|%d|%s", what, tm.tm_year, tm.tm_yday, u ? (int)u->role : -1,
	           u && u->name ? u->name : "");
	for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++) {
		const char *v = http_arg(c, args[i]);

		buf_printf(key, "|%s", v ? v : "");
	}
}

sqlite3 *http_open_db(struct http_server *s)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(s->db_path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
	        SQLITE_OK ||
	    report_register_functions(db, s->cfg) < 0) {
		log_err("%s: %s", s->db_path, db ? sqlite3_errmsg(db) : "cannot open");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static enum MHD_Result report(struct http_server *s, struct MHD_Connection *c, const char *section)
{
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
	sqlite3_close(db);
	ret = http_reply(c, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", b.data, b.len);
	buf_free(&b);
	return ret;
}

/* Checks a password against a user's crypt(3) hash, remembering the last good one. */
static int password_ok(struct http_server *s, size_t user, const char *password)
{
	const struct config *cfg = s->cfg;
	const char *hash = cfg->users[user].password_hash;
	unsigned char digest[32];
	struct crypt_data *data;
	const char *out;
	int ok = 0;

	sha256(password, strlen(password), digest);
	pthread_mutex_lock(&s->verified_lock);
	if (s->verified == NULL &&
	    (s->verified = calloc(cfg->n_users, sizeof(*s->verified))) != NULL)
		s->n_verified = cfg->n_users;
	ok = user < s->n_verified && equal_const_time(s->verified[user], digest, 32);
	pthread_mutex_unlock(&s->verified_lock);
	if (ok)
		return 1;
	data = calloc(1, sizeof(*data));
	if (data == NULL)
		return 0;
	out = crypt_r(password, hash, data);
	ok = out != NULL && out[0] == '$' && strlen(out) == strlen(hash) &&
	     equal_const_time(out, hash, strlen(hash));
	free(data);
	if (ok) {
		pthread_mutex_lock(&s->verified_lock);
		if (user < s->n_verified)
			memcpy(s->verified[user], digest, 32);
		pthread_mutex_unlock(&s->verified_lock);
	}
	return ok;
}

/* Who sent a dashboard or report request: 0, or -1 when they must sign in. */
static int authenticate(struct http_server *s, struct MHD_Connection *c, struct http_user *u)
{
	const struct config *cfg = s->cfg;
	char *name, *password = NULL;
	int rc = -1;

	memset(u, 0, sizeof(*u));
	if (cfg->n_users == 0) {
		u->role = ROLE_ADMIN; /* only ever on loopback: http_start saw to that */
		return 0;
	}
	name = MHD_basic_auth_get_username_password(c, &password);
	if (name != NULL && password != NULL) {
		for (size_t i = 0; i < cfg->n_users; i++) {
			const struct user *x = &cfg->users[i];

			if (strcmp(x->name, name) != 0)
				continue;
			if (password_ok(s, i, password)) {
				u->name = x->name;
				u->role = x->role;
				u->developer = x->developer;
				rc = 0;
			}
			break;
		}
	}
	if (password)
		explicit_bzero(password, strlen(password));
	MHD_free(name);
	MHD_free(password);
	return rc;
}

static enum MHD_Result ask_to_sign_in(struct MHD_Connection *c)
{
	static const char body[] = "{\"error\": \"sign in with a dashboard user\"}\n";
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(sizeof(body) - 1, (char *)body, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "application/json");
	ret = MHD_queue_basic_auth_fail_response(c, "Payback", r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result route_get(struct http_server *s, struct MHD_Connection *c, const char *url)
{
	struct http_user u;

	if (strcmp(url, "/healthz") == 0)
		return http_reply(c, MHD_HTTP_OK, "text/plain; charset=utf-8", "ok\n", 3);
	if (authenticate(s, c, &u) < 0)
		return ask_to_sign_in(c);
	if (http_is_page(url))
		return http_page(s, c, url, &u);
	if (u.role == ROLE_DEVELOPER)
		return http_reply_error(c, MHD_HTTP_FORBIDDEN,
		                        "a developer account sees only its own dashboard page");
	if (strcmp(url, "/metrics") == 0)
		return metrics(s, c);
	if (strncmp(url, REPORT_PREFIX, strlen(REPORT_PREFIX)) == 0)
		return report(s, c, url + strlen(REPORT_PREFIX));
	return http_reply_error(c, MHD_HTTP_NOT_FOUND, "not found");
}

/*
 * The sender of events: the name of the token it showed, or, with no
 * tokens configured, "local" on a loopback listener. NULL after answering.
 */
static const char *ingest_sender(struct http_server *s, struct MHD_Connection *c,
                                 enum MHD_Result *ret)
{
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	const struct config *cfg = s->cfg;
	unsigned char digest[32];
	const char *found = NULL;

	if (cfg->n_tokens == 0) {
		if (s->is_loopback)
			return "local";
		*ret = http_reply_error(c, MHD_HTTP_FORBIDDEN,
		                        "no ingest tokens are configured (ingest.tokens)");
		return NULL;
	}
	if (auth == NULL || strncasecmp(auth, "Bearer ", 7) != 0 || auth[7] == '\0') {
		struct MHD_Response *r =
		    MHD_create_response_from_buffer(0, (char *)"", MHD_RESPMEM_PERSISTENT);

		if (r == NULL) {
			*ret = MHD_NO;
			return NULL;
		}
		MHD_add_response_header(r, "WWW-Authenticate", "Bearer realm=\"Payback ingest\"");
		*ret = MHD_queue_response(c, MHD_HTTP_UNAUTHORIZED, r);
		MHD_destroy_response(r);
		return NULL;
	}
	sha256(auth + 7, strlen(auth + 7), digest);
	/* Every token is compared, so the time taken says nothing of which matched. */
	for (size_t i = 0; i < cfg->n_tokens; i++)
		if (equal_const_time(cfg->tokens[i].sha256, digest, 32) && found == NULL)
			found = cfg->tokens[i].name;
	if (found == NULL)
		*ret = http_reply_error(c, MHD_HTTP_FORBIDDEN, "this token is not accepted");
	return found;
}

static enum MHD_Result route_post(struct http_server *s, struct MHD_Connection *c, const char *url,
                                  struct request *req)
{
	enum MHD_Result ret = MHD_NO;
	const char *sender;
	int is_events = strcmp(url, "/api/v1/events") == 0;
	int is_logs = strcmp(url, "/v1/logs") == 0, is_metrics = strcmp(url, "/v1/metrics") == 0;

	if (!is_events && !is_logs && !is_metrics)
		return http_reply_error(
		    c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "POST is taken only at /api/v1/events, /v1/logs and /v1/metrics");
	if ((sender = ingest_sender(s, c, &ret)) == NULL)
		return ret;
	if (req->is_too_large) {
		char msg[128];

		snprintf(msg, sizeof(msg), "the body is larger than ingest.max_body (%lld bytes)",
		         (long long)s->cfg->max_body_bytes);
		return http_reply_error(c, MHD_HTTP_CONTENT_TOO_LARGE, msg);
	}
	if (req->is_over_budget)
		return http_reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
		                        "other requests' bodies fill ingest.max_body; send again "
		                        "after Retry-After");
	if (s->writer == NULL)
		return http_reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
		                        "this server is read-only");
	if (is_events)
		return http_ingest_events(s, c, sender, &req->body);
	return http_otlp(s, c, sender, is_logs, &req->body);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **state)
{
	struct http_server *s = cls;
	struct request *req = *state;
	int is_post = strcmp(method, "POST") == 0;
	struct timespec t0, t1;
	enum MHD_Result ret;

	(void)version;
	/* The first call only announces the request; a POST's body follows in parts. */
	if (req == NULL) {
		const char *length =
		    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");

		if ((req = calloc(1, sizeof(*req))) == NULL)
			return MHD_NO;
		req->body.max = (size_t)s->cfg->max_body_bytes;
		if (length && strtoll(length, NULL, 10) > s->cfg->max_body_bytes)
			req->is_too_large = 1;
		*state = req;
		return MHD_YES;
	}
	if (*upload_size != 0) {
		/* Kept: a POST's body, until it is refused (the rest then goes unread). */
		if (is_post && !req->is_too_large && !req->is_over_budget) {
			if (take_body_budget(s, req, *upload_size) < 0) {
				req->is_over_budget = 1;
				release_body(s, req);
			} else if (buf_append(&req->body, upload, *upload_size) < 0) {
				req->is_too_large = 1;
				release_body(s, req);
			}
		}
		*upload_size = 0;
		return MHD_YES;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (is_post)
		ret = route_post(s, c, url, req);
	else if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
		ret = route_get(s, c, url);
	else
		ret = http_reply_error(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		                       "only GET and POST are served");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s->request_us += (unsigned long long)((t1.tv_sec - t0.tv_sec) * 1000000 +
	                                      (t1.tv_nsec - t0.tv_nsec) / 1000);
	s->requests++;
	return ret;
}

static void completed(void *cls, struct MHD_Connection *c, void **state,
                      enum MHD_RequestTerminationCode code)
{
	struct request *req = *state;

	(void)c;
	(void)code;
	if (req != NULL) {
		release_body(cls, req);
		free(req);
		*state = NULL;
	}
}

static char *read_pem(const char *path, char *err, size_t errlen)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	if (b.len == 0) {
		snprintf(err, errlen, "%s: empty", path);
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

struct http_server *http_start(const struct http_options *o, char *err, size_t errlen)
{
	struct http_server *s;
	struct sockaddr_storage addr;
	socklen_t len;
	/* ITC: MHD_quiesce_daemon() needs it to hand the socket over on reload. */
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
	                 MHD_USE_ERROR_LOG | MHD_USE_ITC;
	char *cert = NULL, *key = NULL;
	int is_tls = o->cfg->tls_cert != NULL;

	if (http_parse_listen(o->listen, &addr, &len) < 0) {
		snprintf(err, errlen, "'%s' is not ADDR:PORT", o->listen);
		return NULL;
	}
	if (!http_is_loopback(&addr) && o->cfg->n_users == 0) {
		snprintf(err, errlen,
		         "refusing to serve the dashboard on %s without users: add 'users' to "
		         "the configuration, or listen on 127.0.0.1",
		         o->listen);
		return NULL;
	}
	if (!http_is_loopback(&addr) && !is_tls) {
		snprintf(err, errlen,
		         "refusing to send passwords in clear on %s: set http.tls.cert and key, or "
		         "listen on 127.0.0.1 behind a TLS proxy",
		         o->listen);
		return NULL;
	}
	if (is_tls && ((cert = read_pem(o->cfg->tls_cert, err, errlen)) == NULL ||
	               (key = read_pem(o->cfg->tls_key, err, errlen)) == NULL)) {
		free(cert);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL || (s->db_path = strdup(o->db_path)) == NULL) {
		free(s);
		free(cert);
		free(key);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&s->verified_lock, NULL);
	sem_init(&s->parse_slots, 0, (unsigned)cpu_cores(INT_MAX));
	s->cfg = o->cfg;
	s->writer = o->writer;
	s->writer_lock = o->writer_lock;
	if (http_writer_start(s) < 0) {
		snprintf(err, errlen, "cannot start the ingest writer thread");
		sem_destroy(&s->parse_slots);
		free(s->db_path);
		free(s);
		free(cert);
		free(key);
		return NULL;
	}
	s->started = time(NULL);
	s->is_loopback = http_is_loopback(&addr);
	if (addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	{
		/* The options both kinds of server share, and the socket or the address. */
		struct MHD_OptionItem opts[] = {
		    {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)completed, s},
		    {MHD_OPTION_CONNECTION_TIMEOUT, 30, NULL},
		    /* Per connection, whether idle or not: 64 KiB held 8 MB more at 256
		     * connections, and headers up to about 31 KB still fit. */
		    {MHD_OPTION_CONNECTION_MEMORY_LIMIT, 32768, NULL},
		    {MHD_OPTION_CONNECTION_LIMIT, 512, NULL},
		    {o->listen_fd >= 0 ? MHD_OPTION_LISTEN_SOCKET : MHD_OPTION_SOCK_ADDR,
		     o->listen_fd, o->listen_fd >= 0 ? NULL : &addr},
		    {is_tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, cert},
		    {is_tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, key},
		    {MHD_OPTION_END, 0, NULL},
		};

		s->daemon = MHD_start_daemon(flags | (is_tls ? MHD_USE_TLS : 0), 0, NULL, NULL,
		                             handle, s, MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	}
	if (key)
		explicit_bzero(key, strlen(key));
	free(cert);
	free(key);
	if (s->daemon == NULL) {
		snprintf(err, errlen,
		         "cannot listen on %s (in use, not an address here, or a bad "
		         "TLS certificate or key?)",
		         o->listen);
		http_writer_stop(s);
		sem_destroy(&s->parse_slots);
		free(s->db_path);
		free(s);
		return NULL;
	}
	(void)len;
	return s;
}

void http_parse_begin(struct http_server *s)
{
	while (sem_wait(&s->parse_slots) < 0 && errno == EINTR)
		;
}

void http_parse_end(struct http_server *s)
{
	sem_post(&s->parse_slots);
}

void http_data_changed(struct http_server *s)
{
	if (s != NULL)
		s->generation++;
}

void http_stop(struct http_server *s)
{
	if (s == NULL)
		return;
	MHD_stop_daemon(s->daemon);
	http_writer_stop(s); /* after the connections: no request waits for it any more */
	http_cache_clear();
	free(s->db_path);
	free(s->verified);
	pthread_mutex_destroy(&s->verified_lock);
	sem_destroy(&s->parse_slots);
	free(s);
}

int http_quiesce(struct http_server *s)
{
	return (int)MHD_quiesce_daemon(s->daemon);
}
