/*
 * uidmap.c - open addressing with linear probing, at most half full. uids
 * are hashes already, but the slot still comes from a multiplication:
 * identities a parser numbers in order would otherwise fill runs of slots.
 */
#include "uidmap.h"

#include <stdlib.h>
#include <string.h>

#define MIN_SLOTS 1024

static size_t slot_of(uint64_t uid, size_t mask)
{
	return (size_t)((uid * 0x9e3779b97f4a7c15ULL) >> 32) & mask;
}

int uidmap_get(const struct uidmap *m, uint64_t uid, int64_t *row)
{
	if (m->n == 0)
		return 0;
	for (size_t h = slot_of(uid, m->mask); m->rows[h] != 0; h = (h + 1) & m->mask)
		if (m->uids[h] == uid) {
			*row = m->rows[h];
			return 1;
		}
	return 0;
}

static void place(uint64_t *uids, int64_t *rows, size_t mask, uint64_t uid, int64_t row)
{
	size_t h = slot_of(uid, mask);

	while (rows[h] != 0)
		h = (h + 1) & mask;
	uids[h] = uid;
	rows[h] = row;
}

static int grow(struct uidmap *m)
{
	size_t slots = m->uids ? (m->mask + 1) * 2 : MIN_SLOTS;
	uint64_t *uids = malloc(slots * sizeof(*uids));
	int64_t *rows = calloc(slots, sizeof(*rows));

	if (uids == NULL || rows == NULL) {
		free(uids);
		free(rows);
		return -1;
	}
	for (size_t i = 0; m->uids && i <= m->mask; i++)
		if (m->rows[i] != 0)
			place(uids, rows, slots - 1, m->uids[i], m->rows[i]);
	free(m->uids);
	free(m->rows);
	m->uids = uids;
	m->rows = rows;
	m->mask = slots - 1;
	return 0;
}

int uidmap_put(struct uidmap *m, uint64_t uid, int64_t row)
{
	if ((m->uids == NULL || (m->n + 1) * 2 > m->mask + 1) && grow(m) < 0)
		return -1;
	place(m->uids, m->rows, m->mask, uid, row);
	m->n++;
	return 0;
}

/*
 * Least significant digit first, 16 bits at a time: four passes over the
 * pairs, each stable. A merge sorts 65,536 of them, which qsort's calls
 * of a comparison took several times as long to do.
 */
static int radix_sort(struct uid_row *pairs, size_t n)
{
	struct uid_row *tmp = malloc((n ? n : 1) * sizeof(*tmp)), *from = pairs, *to = tmp;
	size_t *count = malloc(65536 * sizeof(*count));

	if (tmp == NULL || count == NULL) {
		free(tmp);
		free(count);
		return -1;
	}
	for (int shift = 0; shift < 64; shift += 16) {
		struct uid_row *swap;
		size_t sum = 0;

		memset(count, 0, 65536 * sizeof(*count));
		/* The sign bit flipped: SQLite orders its integer keys as signed. */
		for (size_t i = 0; i < n; i++)
			count[((from[i].uid ^ (1ULL << 63)) >> shift) & 0xffff]++;
		for (size_t d = 0; d < 65536; d++) {
			size_t c = count[d];

			count[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			to[count[((from[i].uid ^ (1ULL << 63)) >> shift) & 0xffff]++] = from[i];
		swap = from;
		from = to;
		to = swap;
	}
	/* An even number of passes: the sorted pairs are back in pairs. */
	free(tmp);
	free(count);
	return 0;
}

struct uid_row *uidmap_sorted(const struct uidmap *m)
{
	struct uid_row *pairs = malloc((m->n ? m->n : 1) * sizeof(*pairs));
	size_t n = 0;

	if (pairs == NULL)
		return NULL;
	for (size_t i = 0; m->uids && i <= m->mask; i++)
		if (m->rows[i] != 0)
			pairs[n++] = (struct uid_row){m->uids[i], m->rows[i]};
	if (radix_sort(pairs, n) < 0) {
		free(pairs);
		return NULL;
	}
	return pairs;
}

void uidmap_clear(struct uidmap *m)
{
	if (m->rows && m->n > 0)
		memset(m->rows, 0, (m->mask + 1) * sizeof(*m->rows));
	m->n = 0;
}

void uidmap_free(struct uidmap *m)
{
	free(m->uids);
	free(m->rows);
	memset(m, 0, sizeof(*m));
}
