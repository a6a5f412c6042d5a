/*
 * server.c - the HTTP server: connections, bodies, sign-in, and the routes
 * of routes.c (the dashboard, the report API, /metrics, /healthz, ingest).
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
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../reports/report.h"
#include "cache.h"
#include "../lib/log.h"
#include "../lib/util.h"

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

/* The first route of method that matches url, or NULL; *rest is url past a prefix route's path. */
static const struct http_route *find_route(const struct http_server *s, const char *method,
                                           const char *url, const char **rest)
{
	*rest = url;
	for (size_t i = 0; i < s->n_routes; i++) {
		const struct http_route *r = &s->routes[i];
		size_t n;

		if (strcmp(r->method, method) != 0)
			continue;
		if (r->matches != NULL) {
			if (r->matches(url))
				return r;
			continue;
		}
		n = strlen(r->path);
		if (r->path[n - 1] != '/' ? strcmp(url, r->path) == 0
		                          : strncmp(url, r->path, n) == 0) {
			*rest = url + (r->path[n - 1] == '/' ? n : 0);
			return r;
		}
	}
	return NULL;
}

static enum MHD_Result route_get(struct http_server *s, struct MHD_Connection *c, const char *url)
{
	struct http_user u;
	struct http_call call = {url, url, &u, NULL, NULL};
	const struct http_route *r = find_route(s, "GET", url, &call.rest);

	if (r != NULL && r->access == HTTP_PUBLIC)
		return r->handle(s, c, &call);
	if (http_auth_user(&s->auth, c, &u) < 0)
		return ask_to_sign_in(c);
	if (r != NULL && r->access == HTTP_USER)
		return r->handle(s, c, &call);
	if (u.role == ROLE_DEVELOPER)
		return http_reply_error(c, MHD_HTTP_FORBIDDEN,
		                        "a developer account sees only its own dashboard page");
	if (r != NULL)
		return r->handle(s, c, &call);
	return http_reply_error(c, MHD_HTTP_NOT_FOUND, "not found");
}

/* "POST is taken only at A, B and C", from the routes. */
static enum MHD_Result not_a_post_route(struct http_server *s, struct MHD_Connection *c)
{
	struct buf msg = BUF_INIT;
	size_t n = 0, seen = 0;
	enum MHD_Result ret;

	for (size_t i = 0; i < s->n_routes; i++)
		n += strcmp(s->routes[i].method, "POST") == 0 && s->routes[i].path != NULL;
	buf_puts(&msg, "POST is taken only at ");
	for (size_t i = 0; i < s->n_routes; i++) {
		if (strcmp(s->routes[i].method, "POST") != 0 || s->routes[i].path == NULL)
			continue;
		if (seen++ > 0)
			buf_puts(&msg, seen == n ? " and " : ", ");
		buf_puts(&msg, s->routes[i].path);
	}
	ret = http_reply_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, msg.data);
	buf_free(&msg);
	return ret;
}

/* 401 asks for a bearer token, with an empty body as before any token is known. */
static enum MHD_Result refuse_sender(struct MHD_Connection *c, unsigned status, const char *why)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (status != MHD_HTTP_UNAUTHORIZED)
		return http_reply_error(c, status, why);
	r = MHD_create_response_from_buffer(0, (char *)"", MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "WWW-Authenticate", "Bearer realm=\"Payback ingest\"");
	ret = MHD_queue_response(c, MHD_HTTP_UNAUTHORIZED, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result route_post(struct http_server *s, struct MHD_Connection *c, const char *url,
                                  struct request *req)
{
	const char *why = NULL;
	unsigned status = MHD_HTTP_FORBIDDEN;
	struct http_call call = {url, url, NULL, NULL, &req->body};
	const struct http_route *r = find_route(s, "POST", url, &call.rest);

	if (r == NULL)
		return not_a_post_route(s, c);
	call.sender = http_auth_sender(
	    &s->auth, s->is_loopback,
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization"), &status, &why);
	if (call.sender == NULL)
		return refuse_sender(c, status, why);
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
	if (s->writer.store == NULL)
		return http_reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
		                        "this server is read-only");
	return r->handle(s, c, &call);
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
	http_auth_init(&s->auth, o->cfg);
	sem_init(&s->parse_slots, 0, (unsigned)cpu_cores(INT_MAX));
	s->cfg = o->cfg;
	s->routes = o->routes;
	s->n_routes = o->n_routes;
	if (http_writer_start(&s->writer, o->writer, o->writer_lock) < 0) {
		snprintf(err, errlen, "cannot start the ingest writer thread");
		http_auth_free(&s->auth);
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
		http_writer_stop(&s->writer);
		http_auth_free(&s->auth);
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
		http_writer_changed(&s->writer);
}

unsigned long long http_data_generation(struct http_server *s)
{
	return http_writer_generation(&s->writer);
}

void http_stop(struct http_server *s)
{
	if (s == NULL)
		return;
	MHD_stop_daemon(s->daemon);
	http_writer_stop(&s->writer); /* after the connections: no request waits for it any more */
	http_cache_clear();
	free(s->db_path);
	http_auth_free(&s->auth);
	sem_destroy(&s->parse_slots);
	free(s);
}

int http_quiesce(struct http_server *s)
{
	return (int)MHD_quiesce_daemon(s->daemon);
}
