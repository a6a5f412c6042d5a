/* render_csv.c - reports as RFC 4180 CSV with a header row. */
#include <inttypes.h>

#include "report.h"

int render_csv_usage(const struct report *r, struct buf *out)
{
	for (size_t k = 0; k < r->n_keys; k++)
		buf_printf(out, "%s,", report_key_names[r->keys[k]]);
	for (int m = 0; m < M_COUNT; m++)
		buf_printf(out, "%s,", report_metric_names[m]);
	buf_puts(out, "api_equivalent_usd\r\n");
	for (size_t i = 0; i < r->n_rows; i++) {
		for (size_t k = 0; k < r->n_keys; k++) {
			buf_append_csv(out, r->rows[i].keys[k]);
			buf_putc(out, ',');
		}
		for (int m = 0; m < M_COUNT; m++)
			buf_printf(out, "%" PRId64 ",", r->rows[i].metrics[m]);
		buf_printf(out, "%.4f\r\n", r->rows[i].api_usd);
	}
	return 0;
}
