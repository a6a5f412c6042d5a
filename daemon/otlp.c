/* otlp.c - the OpenTelemetry receiver (placeholder replaced below). */
#include "http_internal.h"

enum MHD_Result http_otlp(struct http_server *s, struct MHD_Connection *c, const char *sender,
                          int is_logs, struct buf *body)
{
	(void)s;
	(void)sender;
	(void)is_logs;
	(void)body;
	return http_reply_error(c, MHD_HTTP_NOT_IMPLEMENTED, "not yet");
}
