/* http.h - the HTTP server: dashboard, report and ingest APIs (libmicrohttpd). */
#ifndef PAYBACK_HTTP_H
#define PAYBACK_HTTP_H

#include <pthread.h>
#include <sys/socket.h>

#include "../config/config.h"

struct http_server;

struct store;

struct http_options {
	const char *listen;           /* "ADDR:PORT", IPv4 or [IPv6] */
	const struct config *cfg;     /* users, tokens, TLS, limits; must outlive the server */
	const char *db_path;          /* read by every request on its own connection */
	struct store *writer;         /* stores POSTed events; NULL answers them 503 */
	pthread_mutex_t *writer_lock; /* held by whoever uses writer */
	int listen_fd;                /* -1, or a listening socket from http_quiesce() */
};

/*
 * Serves the dashboard, the report API, /metrics, /healthz and the ingest
 * endpoints. Refuses (NULL, err filled) to listen beyond loopback without
 * users and TLS. Returns NULL with err filled on failure.
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

#endif
