/* api.h - the report API, /metrics and /healthz. */
#ifndef PAYBACK_HTTP_API_H
#define PAYBACK_HTTP_API_H

#include "server.h"

enum MHD_Result http_api_health(struct http_server *s, struct MHD_Connection *c,
                                const struct http_call *call);
/* GET /api/v1/report/SECTION: call->rest is the section. */
enum MHD_Result http_api_report(struct http_server *s, struct MHD_Connection *c,
                                const struct http_call *call);
enum MHD_Result http_api_metrics(struct http_server *s, struct MHD_Connection *c,
                                 const struct http_call *call);

#endif
