/*
 * event.h - what a parser produces: model requests in canonical form, the
 * agent edits attached to them, later decisions on those edits, and the lines
 * it could not use. Strings point into the batch's arena.
 */
#ifndef PAYBACK_EVENT_H
#define PAYBACK_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "../lib/arena.h"

enum outcome { OUTCOME_UNKNOWN = 0, OUTCOME_ACCEPTED, OUTCOME_REJECTED, OUTCOME_EDITED };

struct event {
	uint64_t id; /* identity: equal ids are one request, counted once */
	int64_t ts_ms;
	const char *developer, *tool, *model, *task, *project, *session;
	/* The canonical token fields of FORMATS.md. */
	int64_t input_tokens, cache_read_tokens, cache_write_tokens, output_tokens,
	    reasoning_tokens;
	int64_t cache_write_1h_tokens; /* the part of cache_write_tokens written for an hour */
	int64_t latency_ms;            /* -1 when unknown */
	enum outcome outcome;
	int64_t lines_added, lines_removed, lines_suggested, lines_accepted;
	/*
	 * The person's prompts this request answers first: agents' later
	 * requests of the same turn carry 0. With prompt_key set, the requests
	 * sharing that key count one prompt between them, whichever is stored
	 * first.
	 */
	int64_t prompts;
	uint64_t prompt_key;
	double cost_usd; /* the tool's own estimate, when has_cost */
	int has_cost;
	double plan_used_pct; /* how close to plan limits, -1 when unknown */
	int64_t offset;       /* byte offset of the line in its source */
};

/*
 * An agent edit (Claude Edit/MultiEdit/Write, Codex apply_patch). A proposed
 * one waits for the answer to its call (a decision) to count; its lines are
 * then those the answer gives, else these.
 */
struct edit {
	uint64_t id; /* tool call identity */
	uint64_t event_id;
	int64_t lines_added, lines_removed;
	int is_proposed;
};

enum decision_kind {
	DECISION_DECLINED = 1, /* the person refused the edit */
	DECISION_APPLIED,      /* it was written */
	DECISION_FAILED,       /* the tool could not write it */
};

/* The answer to an edit, found in a later line. */
struct decision {
	uint64_t edit_id;
	enum decision_kind kind;
	int has_lines;   /* applied: the answer's own count of lines */
	int is_modified; /* applied after the person changed it */
	int64_t lines_added, lines_removed;
};

/* The tool told its user they hit their plan's usage limit. */
struct limit_hit {
	uint64_t id;
	int64_t ts_ms;
	const char *developer, *tool;
	const char *model; /* the model in use when it came, NULL when unknown */
};

struct reject {
	int64_t line_no, offset;
	const char *reason;
	const char *excerpt;
};

/* Everything parsed from one run of consecutive lines of one file. */
struct batch {
	struct event *events;
	size_t n_events, cap_events;
	struct edit *edits;
	size_t n_edits, cap_edits;
	struct decision *decisions;
	size_t n_decisions, cap_decisions;
	struct reject *rejects;
	size_t n_rejects, cap_rejects;
	struct limit_hit *limits;
	size_t n_limits, cap_limits;
	struct arena mem;
};

struct event *batch_add_event(struct batch *b);
struct edit *batch_add_edit(struct batch *b);
struct decision *batch_add_decision(struct batch *b);
struct reject *batch_add_reject(struct batch *b);
struct limit_hit *batch_add_limit(struct batch *b);
void batch_reset(struct batch *b);
void batch_free(struct batch *b);

#endif
