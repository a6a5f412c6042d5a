/*
 * parser.h - the interface every log format implements.
 *
 * The reader hands a parser one complete line at a time, already checked to
 * be well-formed JSON in valid UTF-8 (or, for a parser with checks_syntax,
 * checked by the parser's own parse_view), and the parser appends what it finds to
 * ctx->out. A parser knows nothing of files or SQL. What it must remember
 * between lines (Codex's current model, say) lives in its state, which the
 * reader stores with the file's offset so a later run resumes exactly there.
 */
#ifndef PAYBACK_PARSER_H
#define PAYBACK_PARSER_H

#include <stddef.h>
#include <stdint.h>

#include "../lib/buf.h"
#include "event.h"
#include "jv.h"

struct cJSON;

struct task_rule;

struct parse_ctx {
	struct batch *out;
	const char *developer; /* who, for formats that do not say */
	const char *tool;      /* the tool name to record, or NULL for the format's own */
	const char *path;      /* the source file, for fallbacks such as the project */
	int64_t line_no, offset;
	void *state;
	struct arena *scratch;         /* per-line memory for cJSON, reset by the reader */
	const struct task_rule *tasks; /* the team's own task cues, or NULL */
	size_t n_tasks;
};

struct format {
	const char *name;
	size_t state_size;
	/* Whether a line can hold anything this format counts, from its bytes
	 * alone: other lines are only checked, never parsed into a tree. */
	int (*wants)(const char *line, size_t len);
	/* Called with a NUL-terminated line of len bytes that wants() took. */
	void (*line)(struct parse_ctx *ctx, const char *line, size_t len);
	/* line() checks the syntax itself (parse_view), so the reader need not. */
	int checks_syntax;
	/* Called before the batch is handed on, so nothing stays buffered. */
	void (*flush)(struct parse_ctx *ctx);
	void (*save)(const void *state, struct buf *out);
	void (*load)(void *state, const char *text);
};

extern const struct format fmt_claude, fmt_codex, fmt_native;

/*
 * One native event from a checked JSON value; text (len bytes) is its
 * source, whose hash is the identity of an event without request_id.
 */
void native_event(struct parse_ctx *ctx, struct jv root, const char *text, size_t len);

/* Maps "accepted", "rejected", "edited"; returns -1 for anything else. */
int native_outcome(const char *s, enum outcome *out);

const struct format *format_by_name(const char *name);
/* Guesses the format from one line; NULL when it looks like none of them. */
const struct format *format_detect(const char *line, size_t len);

/* Whether a string literal occurs in [line, line+len). */
#define HAS(line, len, lit) (memmem((line), (len), (lit), sizeof(lit) - 1) != NULL)

/* Helpers shared by the parsers. */
void parse_reject(struct parse_ctx *ctx, const char *reason);
void parse_rejectf(struct parse_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Checks a line in full and points root at its object; rejects it otherwise. */
int parse_view(struct parse_ctx *ctx, const char *line, size_t len, struct jv *root);
const char *json_str(const struct cJSON *obj, const char *key);
const char *parse_strdup(struct parse_ctx *ctx, const char *s);
/* Counts lines in a text the way an editor shows them ("a\nb" and "a\nb\n" are 2). */
int64_t count_lines(const char *s);
/* The last path component of s, copied into the batch. */
const char *parse_basename(struct parse_ctx *ctx, const char *s);
/* Copies s into dst (size n), truncating and making control characters '?'. */
void state_copy(char *dst, size_t n, const char *s);

#endif
