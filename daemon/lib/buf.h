/* buf.h - growable byte strings with a hard size limit. */
#ifndef PAYBACK_BUF_H
#define PAYBACK_BUF_H

#include <stddef.h>
#include <stdarg.h>

/*
 * A buf always holds a NUL-terminated string in data[0..len). Appends that
 * would grow it past max fail with -1 and leave it unchanged, so a hostile
 * input cannot take all memory. max == 0 means BUF_DEFAULT_MAX.
 */
#define BUF_DEFAULT_MAX (64u << 20)

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
};

#define BUF_INIT                                                                                   \
	{                                                                                          \
		NULL, 0, 0, 0                                                                      \
	}

int buf_grow(struct buf *b, size_t extra);
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
int buf_append_json(struct buf *b, const char *s);
int buf_append_csv(struct buf *b, const char *s);
int buf_append_html(struct buf *b, const char *s);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
/* Returns the string and leaves b empty; the caller frees it. */
char *buf_detach(struct buf *b);

#endif
