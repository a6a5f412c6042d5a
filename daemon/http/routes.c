/* routes.c - the server's routes, in the order they are tried. */
#include "routes.h"

#include "api.h"
#include "ingest_api.h"
#include "otlp.h"
#include "pages.h"

const struct http_route http_routes[] = {
    {"GET", "/healthz", NULL, HTTP_PUBLIC, http_api_health},
    {"GET", NULL, http_is_page, HTTP_USER, http_page},
    {"GET", "/metrics", NULL, HTTP_MANAGER, http_api_metrics},
    {"GET", "/api/v1/report/", NULL, HTTP_MANAGER, http_api_report},
    {"POST", "/api/v1/events", NULL, HTTP_INGEST, http_ingest_events},
    {"POST", "/v1/logs", NULL, HTTP_INGEST, http_otlp_logs},
    {"POST", "/v1/metrics", NULL, HTTP_INGEST, http_otlp_metrics},
};

const size_t http_n_routes = sizeof(http_routes) / sizeof(http_routes[0]);
