/* body.h - a POSTed body as sent or, with Content-Encoding: gzip, inflated. */
#ifndef PAYBACK_HTTP_BODY_H
#define PAYBACK_HTTP_BODY_H

#include <microhttpd.h>
#include <stddef.h>

#include "../lib/buf.h"

/* Inflates a gzip body into out, up to max bytes; returns 0 or -1 with *why. */
int http_gunzip(const struct buf *in, size_t max, struct buf *out, const char **why);
/*
 * The request's body, decompressed into inflated if it came gzip-encoded,
 * up to INFLATE_RATIO times max_body; NULL with *why.
 */
const struct buf *http_body(struct MHD_Connection *c, const struct buf *body, size_t max_body,
                            struct buf *inflated, const char **why);

#endif
