/* linediff.c - lines added and removed between two texts. */
#include "linediff.h"

#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"

/* The lines of a text as hashes; a last line without '\n' is a line. */
static uint64_t *line_hashes(const char *s, size_t *n)
{
	size_t cap = 1, count = 0;
	uint64_t *h;

	*n = 0;
	if (s == NULL || *s == '\0')
		return NULL;
	for (const char *p = s; *p; p++)
		cap += *p == '\n';
	if ((h = malloc(cap * sizeof(*h))) == NULL)
		return NULL;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);

		h[count++] = hash64(s, len, 0x11ae);
		s += len + (nl != NULL);
	}
	*n = count;
	return h;
}

/* The length of the longest common subsequence of a[0..n) and b[0..m), or -1. */
static int64_t lcs_length(const uint64_t *a, size_t n, const uint64_t *b, size_t m)
{
	int64_t *row = calloc(m + 1, sizeof(*row)), best;

	if (row == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int64_t diag = 0;

		for (size_t j = 0; j < m; j++) {
			int64_t up = row[j + 1];

			row[j + 1] = a[i] == b[j] ? diag + 1 : up > row[j] ? up : row[j];
			diag = up;
		}
	}
	best = row[m];
	free(row);
	return best;
}

void line_diff(const char *before, const char *after, int64_t *added, int64_t *removed)
{
	size_t n, m, head = 0, tail = 0;
	uint64_t *a = line_hashes(before, &n), *b = line_hashes(after, &m);
	int64_t common = 0;

	while (head < n && head < m && a[head] == b[head])
		head++;
	while (tail < n - head && tail < m - head && a[n - 1 - tail] == b[m - 1 - tail])
		tail++;
	n -= head + tail;
	m -= head + tail;
	if (n > 0 && m > 0 && n * m <= LINEDIFF_MAX_CELLS)
		common = lcs_length(a + head, n, b + head, m);
	if (common < 0)
		common = 0;
	*added = (int64_t)m - common;
	*removed = (int64_t)n - common;
	free(a);
	free(b);
}
