/* render_text.c - reports as aligned tables for a terminal. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

/* Formats v with thousands separators: 1234567 -> "1,234,567". */
static void thousands(int64_t v, char *out, size_t n)
{
	char digits[32];
	size_t len, j = 0;
	int neg = v < 0;

	snprintf(digits, sizeof(digits), "%" PRIu64, neg ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v);
	len = strlen(digits);
	if (neg && j + 1 < n)
		out[j++] = '-';
	for (size_t i = 0; i < len && j + 2 < n; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[j++] = ',';
		out[j++] = digits[i];
	}
	out[j] = '\0';
}

/* Display width: counts UTF-8 lead bytes, not bytes. */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void pad(struct buf *out, const char *s, size_t w, int is_right)
{
	size_t have = width(s);

	if (is_right)
		for (size_t i = have; i < w; i++)
			buf_putc(out, ' ');
	buf_puts(out, s);
	if (!is_right)
		for (size_t i = have; i < w; i++)
			buf_putc(out, ' ');
}

/* Control characters from logs would move the cursor: show them as '?'. */
static void clean(const char *s, char *out, size_t n)
{
	size_t i = 0;

	for (; s[i] && i + 1 < n; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	out[i] = '\0';
}

int render_text_usage(const struct report *r, struct buf *out)
{
	size_t w[REPORT_MAX_KEYS + M_COUNT];
	size_t nk = r->n_keys;
	char cell[256];

	for (size_t k = 0; k < nk; k++)
		w[k] = strlen(report_key_names[r->keys[k]]);
	if (nk && w[0] < 5)
		w[0] = 5; /* "TOTAL" */
	for (int m = 0; m < M_COUNT; m++)
		w[nk + (size_t)m] = strlen(report_metric_names[m]);
	for (size_t i = 0; i <= r->n_rows; i++) {
		for (size_t k = 0; k < nk && i < r->n_rows; k++) {
			clean(r->rows[i].keys[k][0] ? r->rows[i].keys[k] : "-", cell, sizeof(cell));
			if (width(cell) > w[k])
				w[k] = width(cell);
		}
		for (int m = 0; m < M_COUNT; m++) {
			thousands(i < r->n_rows ? r->rows[i].metrics[m] : r->totals[m], cell,
			          sizeof(cell));
			if (strlen(cell) > w[nk + (size_t)m])
				w[nk + (size_t)m] = strlen(cell);
		}
	}
	for (size_t k = 0; k < nk; k++) {
		pad(out, report_key_names[r->keys[k]], w[k], 0);
		buf_puts(out, "  ");
	}
	for (int m = 0; m < M_COUNT; m++) {
		pad(out, report_metric_names[m], w[nk + (size_t)m], 1);
		buf_puts(out, m + 1 < M_COUNT ? "  " : "\n");
	}
	for (size_t i = 0; i <= r->n_rows; i++) {
		const int64_t *metrics = i < r->n_rows ? r->rows[i].metrics : r->totals;

		if (i == r->n_rows) {
			size_t total = 0;

			for (size_t k = 0; k < nk + M_COUNT; k++)
				total += w[k] + (k + 1 < nk + M_COUNT ? 2 : 0);
			for (size_t k = 0; k < total; k++)
				buf_putc(out, '-');
			buf_putc(out, '\n');
		}
		for (size_t k = 0; k < nk; k++) {
			if (i < r->n_rows)
				clean(r->rows[i].keys[k][0] ? r->rows[i].keys[k] : "-", cell,
				      sizeof(cell));
			else
				snprintf(cell, sizeof(cell), "%s", k == 0 ? "TOTAL" : "");
			pad(out, cell, w[k], 0);
			buf_puts(out, "  ");
		}
		for (int m = 0; m < M_COUNT; m++) {
			thousands(metrics[m], cell, sizeof(cell));
			pad(out, cell, w[nk + (size_t)m], 1);
			buf_puts(out, m + 1 < M_COUNT ? "  " : "\n");
		}
	}
	return 0;
}
