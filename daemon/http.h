/* http.h - the HTTP server: health check and the report API (libmicrohttpd). */
#ifndef PAYBACK_HTTP_H
#define PAYBACK_HTTP_H

#include <sys/socket.h>

#include "config.h"

struct http_server;

/*
 * Listens on listen ("ADDR:PORT", IPv4 or [IPv6]) and serves the reports of
 * the database at db_path. Returns NULL with err filled on failure.
 */
struct http_server *http_start(const char *listen, const struct config *cfg, const char *db_path,
                               char *err, size_t errlen);
void http_stop(struct http_server *s);

/* Parses "ADDR:PORT"; returns 0, or -1 when it is not one. */
int http_parse_listen(const char *listen, struct sockaddr_storage *out, socklen_t *len);
/* Whether the address is a loopback one (127.0.0.0/8 or ::1). */
int http_is_loopback(const struct sockaddr_storage *addr);

#endif
