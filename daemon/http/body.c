/* body.c - a POSTed body as sent or, with Content-Encoding: gzip, inflated. */
#include "body.h"

#include <string.h>
#include <strings.h>
#include <zlib.h>

#define INFLATE_RATIO 20 /* a gzip body may grow to this many times max_body */

int http_gunzip(const struct buf *in, size_t max, struct buf *out, const char **why)
{
	z_stream z;
	unsigned char chunk[65536];
	int rc;

	memset(&z, 0, sizeof(z));
	out->max = max;
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		*why = "cannot start gzip decoding";
		return -1;
	}
	z.next_in = (unsigned char *)in->data;
	z.avail_in = (uInt)in->len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		rc = inflate(&z, Z_NO_FLUSH);
		if (rc != Z_OK && rc != Z_STREAM_END) {
			*why = "the body is not valid gzip";
			inflateEnd(&z);
			return -1;
		}
		if (buf_append(out, chunk, sizeof(chunk) - z.avail_out) < 0) {
			*why = "the body is too large once decompressed";
			inflateEnd(&z);
			return -1;
		}
	} while (rc != Z_STREAM_END && z.avail_in > 0);
	inflateEnd(&z);
	if (rc != Z_STREAM_END) {
		*why = "the gzip body is truncated";
		return -1;
	}
	return 0;
}

/* The body as sent, decompressed when Content-Encoding says gzip. */
const struct buf *http_body(struct MHD_Connection *c, const struct buf *body, size_t max_body,
                            struct buf *inflated, const char **why)
{
	const char *enc = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Encoding");

	if (enc == NULL || strcasecmp(enc, "identity") == 0)
		return body;
	if (strcasecmp(enc, "gzip") != 0) {
		*why = "Content-Encoding must be gzip or identity";
		return NULL;
	}
	if (http_gunzip(body, max_body * INFLATE_RATIO, inflated, why) < 0)
		return NULL;
	return inflated;
}
