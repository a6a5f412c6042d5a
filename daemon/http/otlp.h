/* otlp.h - POST /v1/logs and /v1/metrics: OTLP/HTTP in JSON. */
#ifndef PAYBACK_HTTP_OTLP_H
#define PAYBACK_HTTP_OTLP_H

#include "server.h"

enum MHD_Result http_otlp_logs(struct http_server *s, struct MHD_Connection *c,
                               const struct http_call *call);
enum MHD_Result http_otlp_metrics(struct http_server *s, struct MHD_Connection *c,
                                  const struct http_call *call);

#endif
