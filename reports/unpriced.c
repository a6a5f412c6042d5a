/* unpriced.c - the models no price covers, and what they leave out. */
#include "unpriced.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../daemon/config/config.h"
#include "html.h"
#include "numfmt.h"

int unpriced_add(struct unpriced_list *l, const char *model, int64_t requests, int64_t tokens)
{
	struct unpriced *p;

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].model, model) == 0) {
			l->items[i].requests += requests;
			l->items[i].tokens += tokens;
			return 0;
		}
	p = realloc(l->items, (l->n + 1) * sizeof(*p));
	if (p == NULL)
		return -1;
	l->items = p;
	if ((p[l->n].model = strdup(model)) == NULL)
		return -1;
	p[l->n].requests = requests;
	p[l->n].tokens = tokens;
	l->n++;
	return 0;
}

void unpriced_free(struct unpriced_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i].model);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

int64_t unpriced_requests(const struct unpriced_list *l)
{
	int64_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += l->items[i].requests;
	return n;
}

/* A name from a log, safe on a terminal: control characters become '?'. */
static void put_clean(struct buf *out, const char *s)
{
	for (; *s; s++)
		buf_putc(out, (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
}

void unpriced_sentence(const struct unpriced_list *l, int is_html, struct buf *out)
{
	if (l->n == 0)
		return;
	buf_puts(out, is_html ? "<p class=\"muted\">No price for: " : "no price for: ");
	for (size_t i = 0; i < l->n; i++) {
		char requests[32], tokens[32];

		fmt_thousands(l->items[i].requests, requests, sizeof(requests));
		fmt_short((double)l->items[i].tokens, tokens, sizeof(tokens));
		buf_puts(out, i ? ", " : "");
		if (is_html)
			html_text(out, l->items[i].model);
		else
			put_clean(out, l->items[i].model);
		buf_printf(out, " (%s requests, %s tokens)", requests, tokens);
	}
	buf_puts(out, is_html ? ". Spend and API-equivalent figures leave them out: add them "
	                        "under <code>models</code> in payback.yaml.</p>\n"
	                      : ": the dollar figures leave them out (add them under 'models' in "
	                        "payback.yaml)\n");
}

void unpriced_json(const struct unpriced_list *l, const char *key, struct buf *out)
{
	buf_printf(out, ", \"%s\": [", key);
	for (size_t i = 0; i < l->n; i++) {
		buf_puts(out, i ? ", {\"model\": " : "{\"model\": ");
		buf_append_json(out, l->items[i].model);
		buf_printf(out, ", \"requests\": %" PRId64 ", \"tokens\": %" PRId64 "}",
		           l->items[i].requests, l->items[i].tokens);
	}
	buf_putc(out, ']');
}

int unpriced_stored(sqlite3 *db, const struct config *cfg, struct unpriced_list *out)
{
	static const char sql[] =
	    "SELECT m.text, sum(requests), sum(input_tokens + cache_read_tokens + "
	    "cache_write_tokens + output_tokens) FROM rollup_month r JOIN name m "
	    "ON m.id = r.model_id GROUP BY r.model_id ORDER BY m.text";
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *model = (const char *)sqlite3_column_text(s, 0);

		if (model && config_model_price(cfg, model) == NULL &&
		    unpriced_add(out, model, sqlite3_column_int64(s, 1),
		                 sqlite3_column_int64(s, 2)) < 0)
			break;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}
