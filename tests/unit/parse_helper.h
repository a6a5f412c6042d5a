/* parse_helper.h - feeds lines to a parser the way the reader does. */
#ifndef PAYBACK_PARSE_HELPER_H
#define PAYBACK_PARSE_HELPER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../daemon/ingest/parser.h"
#include "../../daemon/lib/util.h"

struct parse_fixture {
	struct batch out;
	struct arena scratch;
	struct parse_ctx ctx;
	const struct format *format;
	void *state;
	int64_t line_no;
};

static inline void pf_init(struct parse_fixture *f, const struct format *fmt)
{
	memset(f, 0, sizeof(*f));
	f->format = fmt;
	f->state = calloc(1, fmt->state_size ? fmt->state_size : 1);
	f->ctx.out = &f->out;
	f->ctx.developer = "ana";
	f->ctx.path = "/logs/x.jsonl";
	f->ctx.state = f->state;
	f->ctx.scratch = &f->scratch;
	arena_cjson_hooks_install();
	arena_cjson_use(&f->scratch);
}

/* Feeds one line; like the reader, refuses what json_check refuses. */
static inline void pf_line(struct parse_fixture *f, const char *line)
{
	size_t len = strlen(line), at;
	const char *why;
	char *copy = strdup(line);

	f->ctx.line_no = ++f->line_no;
	f->ctx.offset = f->line_no * 1000;
	if (json_check(copy, len, &at, &why) < 0)
		parse_reject(&f->ctx, why);
	else if (f->format->wants(copy, len))
		f->format->line(&f->ctx, copy, len);
	free(copy);
}

static inline void pf_flush(struct parse_fixture *f)
{
	f->format->flush(&f->ctx);
}

static inline void pf_free(struct parse_fixture *f)
{
	arena_cjson_use(NULL);
	arena_free(&f->scratch);
	batch_free(&f->out);
	free(f->state);
}

#endif
