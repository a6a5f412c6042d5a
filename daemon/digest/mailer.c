/*
 * mailer.c - sending one digest.
 *
 * libcurl speaks SMTP (STARTTLS, smtps, AUTH) and builds the MIME body; we
 * add the headers it does not: From, To, Subject (RFC 2047 when not ASCII),
 * Date, Message-ID and Auto-Submitted. A "Content-Type: multipart/alternative"
 * header makes curl's top-level multipart an alternative of its parts.
 */
#include "mailer.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../lib/buf.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static CURLcode init_result = CURLE_FAILED_INIT;

static void init_curl(void)
{
	init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* At the first message, not at start: a daemon that sends no mail never loads TLS for it. */
int mailer_init(void)
{
	pthread_once(&init_once, init_curl);
	return init_result == CURLE_OK ? 0 : -1;
}

void mailer_address(const char *from, char *out, size_t n)
{
	const char *lt = strchr(from, '<'), *gt = lt ? strchr(lt, '>') : NULL;

	if (lt && gt)
		snprintf(out, n, "%.*s", (int)(gt - lt - 1), lt + 1);
	else
		snprintf(out, n, "%s", from);
}

static int is_ascii_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

static void base64(const unsigned char *p, size_t n, struct buf *out)
{
	static const char abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
		             (i + 2 < n ? p[i + 2] : 0);

		buf_putc(out, abc[v >> 18 & 63]);
		buf_putc(out, abc[v >> 12 & 63]);
		buf_putc(out, i + 1 < n ? abc[v >> 6 & 63] : '=');
		buf_putc(out, i + 2 < n ? abc[v & 63] : '=');
	}
}

/*
 * Encoded words of at most 75 characters (RFC 2047 section 2), each holding
 * whole UTF-8 characters, folded onto continuation lines.
 */
void mailer_header_text(const char *text, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t len = strlen(text), start = 0;

	if (is_ascii_printable(text)) {
		buf_puts(out, text);
		return;
	}
	while (start < len) {
		size_t end = start;

		/* 45 bytes make 60 base64 characters: with "=?UTF-8?B?" and "?=", 72. */
		while (end < len) {
			size_t next = end + 1;

			while (next < len && (p[next] & 0xc0) == 0x80)
				next++;
			if (next - start > 45 && end > start)
				break;
			end = next;
		}
		if (start > 0)
			buf_puts(out, "\r\n ");
		buf_puts(out, "=?UTF-8?B?");
		base64(p + start, end - start, out);
		buf_puts(out, "?=");
		start = end;
	}
}

/* Control characters cannot reach a header: a name with CR LF could add its own. */
static void header_line(struct curl_slist **list, const char *name, const char *value,
                        int is_encoded)
{
	struct buf b = BUF_INIT;
	struct curl_slist *l;

	buf_printf(&b, "%s: ", name);
	if (is_encoded) {
		mailer_header_text(value, &b);
	} else {
		for (const char *s = value; *s; s++)
			buf_putc(&b, (unsigned char)*s < 0x20 ? ' ' : *s);
	}
	l = curl_slist_append(*list, b.data);
	if (l)
		*list = l;
	buf_free(&b);
}

/* "Ana Lima <ana@example.com>" with the name encoded when it is not ASCII. */
static void mailbox_header(struct curl_slist **list, const char *name, const char *display,
                           const char *address)
{
	struct buf b = BUF_INIT;

	if (display && *display) {
		if (is_ascii_printable(display) && strpbrk(display, "\"\\()<>,;:@[]") == NULL)
			buf_puts(&b, display);
		else if (is_ascii_printable(display)) {
			buf_putc(&b, '"');
			for (const char *s = display; *s; s++) {
				if (*s == '"' || *s == '\\')
					buf_putc(&b, '\\');
				buf_putc(&b, *s);
			}
			buf_putc(&b, '"');
		} else
			mailer_header_text(display, &b);
		buf_printf(&b, " <%s>", address);
	} else {
		buf_puts(&b, address);
	}
	header_line(list, name, b.data, 0);
	buf_free(&b);
}

/* The SMTP password from its file (first line) or environment variable. */
static int read_password(const struct smtp_settings *smtp, char *out, size_t n, char *err,
                         size_t errlen)
{
	FILE *fp;

	out[0] = '\0';
	if (smtp->password_env) {
		const char *v = getenv(smtp->password_env);

		if (v == NULL) {
			snprintf(err, errlen, "smtp.password_env: %s is not set",
			         smtp->password_env);
			return -1;
		}
		snprintf(out, n, "%s", v);
		return 0;
	}
	if (smtp->password_file == NULL)
		return 0;
	fp = fopen(smtp->password_file, "r");
	if (fp == NULL || fgets(out, (int)n, fp) == NULL) {
		snprintf(err, errlen, "smtp.password_file: cannot read %s", smtp->password_file);
		if (fp)
			fclose(fp);
		return -1;
	}
	fclose(fp);
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

/* Mail lines end in CR LF; quoted-printable would otherwise encode each LF as "=0A". */
static int add_part(curl_mime *mime, const char *data, const char *type)
{
	curl_mimepart *part = curl_mime_addpart(mime);
	struct buf crlf = BUF_INIT;
	int rc;

	for (const char *s = data; *s; s++) {
		if (*s == '\n' && (s == data || s[-1] != '\r'))
			buf_putc(&crlf, '\r');
		buf_putc(&crlf, *s);
	}
	rc = part == NULL || crlf.data == NULL ||
	             curl_mime_data(part, crlf.data, crlf.len) != CURLE_OK ||
	             curl_mime_type(part, type) != CURLE_OK ||
	             curl_mime_encoder(part, "quoted-printable") != CURLE_OK
	         ? -1
	         : 0;
	buf_free(&crlf);
	return rc;
}

enum mail_result mailer_send(const struct smtp_settings *smtp, const struct mail_message *m,
                             char *err, size_t errlen)
{
	CURL *curl = mailer_init() == 0 ? curl_easy_init() : NULL;
	struct curl_slist *headers = NULL, *rcpt = NULL;
	curl_mime *mime = NULL;
	char from[512], password[512], date[64], angle[520];
	char curl_err[CURL_ERROR_SIZE] = "";
	enum mail_result result = MAIL_RETRY;
	long code = 0;
	time_t now = time(NULL);
	struct tm tm;
	CURLcode rc;

	if (curl == NULL) {
		snprintf(err, errlen, "cannot start libcurl");
		return MAIL_RETRY;
	}
	if (read_password(smtp, password, sizeof(password), err, errlen) < 0) {
		curl_easy_cleanup(curl);
		return MAIL_RETRY;
	}
	mailer_address(smtp->from, from, sizeof(from));
	snprintf(angle, sizeof(angle), "<%s>", from);
	header_line(&headers, "From", smtp->from, 0);
	mailbox_header(&headers, "To", m->to_name, m->to);
	header_line(&headers, "Subject", m->subject, 1);
	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &tm);
	header_line(&headers, "Date", date, 0);
	header_line(&headers, "Message-ID", m->message_id, 0);
	header_line(&headers, "Auto-Submitted", "auto-generated", 0);
	if (m->html)
		header_line(&headers, "Content-Type", "multipart/alternative", 0);
	rcpt = curl_slist_append(NULL, m->to);
	mime = curl_mime_init(curl);
	if (headers == NULL || rcpt == NULL || mime == NULL ||
	    add_part(mime, m->text, "text/plain; charset=utf-8") < 0 ||
	    (m->html && add_part(mime, m->html, "text/html; charset=utf-8") < 0)) {
		snprintf(err, errlen, "out of memory building the message");
		goto done;
	}
	curl_easy_setopt(curl, CURLOPT_URL, smtp->url);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, angle);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime);
	curl_easy_setopt(curl, CURLOPT_USE_SSL,
	                 smtp->is_tls_off ? CURLUSESSL_NONE : CURLUSESSL_ALL);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)smtp->timeout_s);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
	                 (long)(smtp->timeout_s < 20 ? smtp->timeout_s : 20));
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	if (smtp->user) {
		curl_easy_setopt(curl, CURLOPT_USERNAME, smtp->user);
		curl_easy_setopt(curl, CURLOPT_PASSWORD, password);
	}
	rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	if (rc == CURLE_OK) {
		result = MAIL_SENT;
	} else {
		snprintf(err, errlen, "%s%s%s", curl_easy_strerror(rc), curl_err[0] ? ": " : "",
		         curl_err);
		if (code >= 500 && code < 600) {
			result = MAIL_REJECTED;
			snprintf(err + strlen(err), errlen - strlen(err), " (server said %ld)",
			         code);
		} else if (code >= 400 && code < 500) {
			snprintf(err + strlen(err), errlen - strlen(err), " (server said %ld)",
			         code);
		}
	}
done:
	explicit_bzero(password, sizeof(password));
	curl_mime_free(mime);
	curl_slist_free_all(headers);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(curl);
	return result;
}
