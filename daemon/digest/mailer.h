/*
 * mailer.h - one e-mail through libcurl's SMTP: multipart/alternative with
 * a plain-text and an HTML part, built with curl's MIME API.
 */
#ifndef PAYBACK_MAILER_H
#define PAYBACK_MAILER_H

#include <stddef.h>

#include "../lib/buf.h"
#include "../config/config.h"

struct mail_message {
	const char *to;         /* an address */
	const char *to_name;    /* shown beside it, or NULL */
	const char *subject;    /* UTF-8; encoded for the header here */
	const char *text;       /* the plain-text part */
	const char *html;       /* the HTML part, or NULL for text only */
	const char *message_id; /* "<...@...>", the same for every try of one message */
};

enum mail_result {
	MAIL_SENT,     /* the server accepted the message */
	MAIL_RETRY,    /* a failure worth another try: no connection, 4xx, a timeout */
	MAIL_REJECTED, /* a permanent refusal (5xx): trying again will not help */
};

/*
 * Initialises libcurl once (mailer_send calls it; libcurl 7.84 and later
 * initialise safely with other threads running). Returns 0 or -1.
 */
int mailer_init(void);
/* Sends m through smtp; on failure err says what the server or connection said. */
enum mail_result mailer_send(const struct smtp_settings *smtp, const struct mail_message *m,
                             char *err, size_t errlen);
/* The bare address of "Name <addr>" or "addr" into out. */
void mailer_address(const char *from, char *out, size_t n);
/* An RFC 2047 encoded-word header value for UTF-8 text (ASCII text as it is). */
void mailer_header_text(const char *text, struct buf *out);

#endif
