/*
 * server.h - the HTTP server (libmicrohttpd): what serve.c starts and stops,
 * and what the handlers of routes.c are given to answer with.
 *
 * The server knows no handler: it authenticates a request, finds its route
 * in the table it was started with, and calls the route's handler.
 */
#ifndef PAYBACK_HTTP_SERVER_H
#define PAYBACK_HTTP_SERVER_H

#include <microhttpd.h>
#include <pthread.h>
#include <semaphore.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <time.h>

#include "../config/config.h"
#include "../lib/buf.h"
#include "auth.h"
#include "writer.h"

struct http_server;
struct store;

/* Who may call a route. */
enum http_access {
	HTTP_PUBLIC,  /* anyone */
	HTTP_USER,    /* a signed-in user, developers too (who see only their own page) */
	HTTP_MANAGER, /* a signed-in user who is not a developer */
	HTTP_INGEST,  /* a POST with an ingest token, on a server that stores events */
};

/* What a handler is given of its request. */
struct http_call {
	const char *url;
	const char *rest;             /* url past a prefix route's path */
	const struct http_user *user; /* HTTP_USER and HTTP_MANAGER */
	const char *sender;           /* HTTP_INGEST: the token's name */
	struct buf *body;             /* HTTP_INGEST: the body as sent */
};

typedef enum MHD_Result (*http_handler)(struct http_server *s, struct MHD_Connection *c,
                                        const struct http_call *call);

struct http_route {
	const char *method;              /* "GET" (which answers HEAD too) or "POST" */
	const char *path;                /* the URL, or its prefix when it ends in '/' */
	int (*matches)(const char *url); /* instead of path, when not NULL */
	enum http_access access;
	http_handler handle;
};

struct http_options {
	const char *listen;              /* "ADDR:PORT", IPv4 or [IPv6] */
	const struct config *cfg;        /* users, tokens, TLS, limits; must outlive the server */
	const char *db_path;             /* read by every request on its own connection */
	struct store *writer;            /* stores POSTed events; NULL answers them 503 */
	pthread_mutex_t *writer_lock;    /* held by whoever uses writer */
	int listen_fd;                   /* -1, or a listening socket from http_quiesce() */
	const struct http_route *routes; /* the first route that matches is taken */
	size_t n_routes;
};

struct http_server {
	struct MHD_Daemon *daemon;
	const struct config *cfg;
	char *db_path;
	const struct http_route *routes;
	size_t n_routes;
	struct http_writer writer; /* POSTed batches, committed together */
	struct http_auth auth;
	/* Bodies parsed at once: one per core; more would only hold more trees in memory. */
	sem_t parse_slots;
	/* Bytes of POST bodies held across connections, at most ingest.max_body. */
	atomic_ullong body_bytes;
	time_t started;
	int is_loopback;
	/* For /metrics: requests answered, and their time, in microseconds. */
	atomic_ullong requests, request_us;
	atomic_ullong events_received, events_rejected, otlp_records, otlp_rejected;
};

/*
 * Serves o->routes. Refuses (NULL, err filled) to listen beyond loopback
 * without users and TLS. Returns NULL with err filled on failure.
 */
struct http_server *http_start(const struct http_options *o, char *err, size_t errlen);
void http_stop(struct http_server *s);
/*
 * Stops accepting connections and returns the listening socket, which is
 * now the caller's (for the next server), or -1. Requests under way finish.
 */
int http_quiesce(struct http_server *s);
/* Tells the server that stored data changed (answers it kept are stale). */
void http_data_changed(struct http_server *s);

/* Parses "ADDR:PORT"; returns 0, or -1 when it is not one. */
int http_parse_listen(const char *listen, struct sockaddr_storage *out, socklen_t *len);
/* Whether the address is a loopback one (127.0.0.0/8 or ::1). */
int http_is_loopback(const struct sockaddr_storage *addr);

/* An answer with the security headers every answer carries; disposition may be NULL. */
enum MHD_Result http_reply_with(struct MHD_Connection *c, unsigned status, const char *type,
                                const char *csp, const char *disposition, const char *body,
                                size_t len);
/* The same with b's text, which the answer takes over, leaving b empty: a
 * page is not copied once more for each request. */
enum MHD_Result http_reply_buf(struct MHD_Connection *c, unsigned status, const char *type,
                               const char *csp, const char *disposition, struct buf *b);
/* The same with Content-Security-Policy: default-src 'none'. */
enum MHD_Result http_reply(struct MHD_Connection *c, unsigned status, const char *type,
                           const char *body, size_t len);
/* {"error": msg} with status. */
enum MHD_Result http_reply_error(struct MHD_Connection *c, unsigned status, const char *msg);
/* A query argument, NULL when absent or empty. */
const char *http_arg(struct MHD_Connection *c, const char *key);
/*
 * The period a request asks for: from/to, or period=YYYY-MM, or last=Nd
 * (written into from_buf/to_buf). Returns 0 or -1 for a bad combination.
 */
int http_request_period(struct MHD_Connection *c, char from_buf[11], char to_buf[11],
                        const char **from, const char **to);
/*
 * The cache key of a GET: what (a page or report), the period arguments,
 * who asks, and today's date (presets such as last=7d move with it).
 */
void http_cache_key(struct MHD_Connection *c, const char *what, const struct http_user *u,
                    struct buf *key);
/* The generation of the stored data for a page or report about to be built. */
unsigned long long http_data_generation(struct http_server *s);
/* A read-only connection with the report functions, or NULL (logged). */
sqlite3 *http_open_db(struct http_server *s);

/* Around the parsing of a POSTed body: waits for one of the parse slots. */
void http_parse_begin(struct http_server *s);
void http_parse_end(struct http_server *s);

#endif
