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

static size_t digit(uint64_t uid, int shift)
{
	/* The sign bit flipped: SQLite orders its integer keys as signed. */
	return (size_t)((uid ^ (1ULL << 63)) >> shift) & 0xff;
}

/*
 * Least significant digit first, 8 bits at a time: eight stable passes,
 * from the front half of the arrays to the back half and back again. A
 * merge sorts 57,344 pairs, which qsort's calls of a comparison took
 * several times as long to do, and no memory beyond the map's is needed.
 */
size_t uidmap_sort(struct uidmap *m)
{
	size_t n = 0, count[256];
	uint64_t *uids, *to_uids;
	int64_t *rows, *to_rows;

	if (m->n == 0)
		return 0;
	for (size_t i = 0; i <= m->mask; i++)
		if (m->rows[i] != 0) {
			m->uids[n] = m->uids[i];
			m->rows[n++] = m->rows[i];
		}
	/* At most half full: slots [n, 2n) are free to sort into. */
	uids = m->uids;
	rows = m->rows;
	to_uids = m->uids + n;
	to_rows = m->rows + n;
	for (int shift = 0; shift < 64; shift += 8) {
		size_t sum = 0;
		uint64_t *swap_uids = uids;
		int64_t *swap_rows = rows;

		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[digit(uids[i], shift)]++;
		for (size_t d = 0; d < 256; d++) {
			size_t c = count[d];

			count[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++) {
			size_t at = count[digit(uids[i], shift)]++;

			to_uids[at] = uids[i];
			to_rows[at] = rows[i];
		}
		uids = to_uids;
		rows = to_rows;
		to_uids = swap_uids;
		to_rows = swap_rows;
	}
	/* An even number of passes: the sorted pairs are at the front again. */
	return n;
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
