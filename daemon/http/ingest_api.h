/* ingest_api.h - POST /api/v1/events: native NDJSON or a JSON array, maybe gzip-encoded. */
#ifndef PAYBACK_HTTP_INGEST_API_H
#define PAYBACK_HTTP_INGEST_API_H

#include "server.h"

enum MHD_Result http_ingest_events(struct http_server *s, struct MHD_Connection *c,
                                   const struct http_call *call);

#endif
