/*
 * routes.h - every URL the server answers, and its handler: the one place
 * that knows both the server and the handlers.
 */
#ifndef PAYBACK_HTTP_ROUTES_H
#define PAYBACK_HTTP_ROUTES_H

#include <stddef.h>

#include "server.h"

extern const struct http_route http_routes[];
extern const size_t http_n_routes;

#endif
