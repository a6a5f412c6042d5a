/* render_json.c - reports as JSON (documented in docs/report-json.md). */
#include <inttypes.h>

#include "report.h"

static void metrics(struct buf *out, const int64_t *v, double api_usd)
{
	for (int m = 0; m < M_COUNT; m++)
		buf_printf(out, "%s\"%s\": %" PRId64, m ? ", " : "", report_metric_names[m], v[m]);
	buf_printf(out, ", \"api_equivalent_usd\": %.4f", api_usd);
}

int render_json_usage(const struct report *r, struct buf *out)
{
	buf_puts(out, "{\"report\": \"usage\", \"from\": ");
	if (r->from[0])
		buf_append_json(out, r->from);
	else
		buf_puts(out, "null");
	buf_puts(out, ", \"to\": ");
	if (r->to[0])
		buf_append_json(out, r->to);
	else
		buf_puts(out, "null");
	buf_puts(out, ", \"by\": [");
	for (size_t k = 0; k < r->n_keys; k++) {
		buf_puts(out, k ? ", " : "");
		buf_append_json(out, report_key_names[r->keys[k]]);
	}
	buf_puts(out, "],\n \"rows\": [");
	for (size_t i = 0; i < r->n_rows; i++) {
		buf_puts(out, i ? ",\n  {" : "\n  {");
		for (size_t k = 0; k < r->n_keys; k++) {
			buf_append_json(out, report_key_names[r->keys[k]]);
			buf_puts(out, ": ");
			buf_append_json(out, r->rows[i].keys[k]);
			buf_puts(out, ", ");
		}
		metrics(out, r->rows[i].metrics, r->rows[i].api_usd);
		buf_putc(out, '}');
	}
	buf_puts(out, r->n_rows ? "\n ],\n \"totals\": {" : "],\n \"totals\": {");
	metrics(out, r->totals, r->total_api_usd);
	buf_puts(out, "},\n \"unpriced_models\": [");
	for (size_t i = 0; i < r->n_unpriced; i++) {
		buf_puts(out, i ? ", " : "");
		buf_append_json(out, r->unpriced[i]);
	}
	buf_puts(out, "]}\n");
	return 0;
}
