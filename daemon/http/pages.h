/* pages.h - the dashboard's pages. */
#ifndef PAYBACK_HTTP_PAGES_H
#define PAYBACK_HTTP_PAGES_H

#include "server.h"

/* Whether url is one of the dashboard's pages. */
int http_is_page(const char *url);
/* GET of a page: built from the reports, or taken from the cache. */
enum MHD_Result http_page(struct http_server *s, struct MHD_Connection *c,
                          const struct http_call *call);

#endif
