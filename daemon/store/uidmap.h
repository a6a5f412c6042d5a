/*
 * uidmap.h - the identities of uid_recent (007_uid_index.sql) in memory,
 * each with its event's rowid: whether a new event is a copy of a recent
 * one is then answered without a statement, and uid_recent is written
 * many rows at a time.
 */
#ifndef PAYBACK_UIDMAP_H
#define PAYBACK_UIDMAP_H

#include <stddef.h>
#include <stdint.h>

struct uidmap {
	uint64_t *uids;
	int64_t *rows; /* 0 marks an empty slot: rowids start at 1 */
	size_t n, mask;
};

/* 1 and the rowid in *row when uid is in m, else 0. */
int uidmap_get(const struct uidmap *m, uint64_t uid, int64_t *row);
/* Adds uid (not in m yet) with rowid row > 0; 0, or -1 when out of memory. */
int uidmap_put(struct uidmap *m, uint64_t uid, int64_t row);
/*
 * Moves every pair of m to the front of m->uids and m->rows, ordered as
 * SQLite orders the uids (as signed integers), and returns their number.
 * m is then a list, not a map, until uidmap_clear.
 */
size_t uidmap_sort(struct uidmap *m);
/* Empties m, keeping its memory for the next identities. */
void uidmap_clear(struct uidmap *m);
void uidmap_free(struct uidmap *m);

#endif
