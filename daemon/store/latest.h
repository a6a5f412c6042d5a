/*
 * latest.h - the latest request of each session (or each developer's
 * requests without one) that the writer knows, so that a new request is
 * stored with its gap already right and the rollup's walk of its session
 * (rollup.c) finds nothing to change: most requests arrive in order. A
 * forgotten or stale entry costs only that update, never a wrong gap.
 */
#ifndef PAYBACK_LATEST_H
#define PAYBACK_LATEST_H

#include <stdint.h>

struct latest;

struct latest *latest_new(void);
void latest_free(struct latest *l);
void latest_clear(struct latest *l);
/* 1 and the latest (ts_ms, uid) of key when known, else 0. */
int latest_get(const struct latest *l, int64_t key, int64_t *ts_ms, int64_t *uid);
void latest_put(struct latest *l, int64_t key, int64_t ts_ms, int64_t uid);

#endif
