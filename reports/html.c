/*
 * html.c - the dashboard's frame, escaping, number formats and SVG charts.
 *
 * Every string that may come from a log goes through html_text() or
 * html_url_part(); numbers are printed by this file, never copied from
 * input. Pages carry one inline <style> and no script: the server's
 * Content-Security-Policy forbids scripts altogether.
 */
#include "html.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "numfmt.h"

static const char style[] =
    "*{box-sizing:border-box}"
    "body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;"
    "color:#1d2330;background:#f5f6f8}"
    "header{background:#1d2330;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;"
    "gap:.4rem 1.2rem;align-items:center}"
    "header b{font-size:1.1rem;margin-right:.6rem}"
    "header a{color:#c8d0e0;text-decoration:none;padding:.15rem 0}"
    "header a.on{color:#fff;border-bottom:2px solid #5fa8ff}"
    "header .who{margin-left:auto;color:#9aa4b8;font-size:.85rem}"
    "main{max-width:1100px;margin:0 auto;padding:1rem}"
    "h1{font-size:1.35rem;margin:.2rem 0 .8rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem}"
    "form.period{display:flex;flex-wrap:wrap;gap:.4rem .8rem;align-items:center;"
    "font-size:.9rem;margin-bottom:1rem}"
    "form.period a{color:#2358b8}form.period input{font:inherit;padding:.1rem .3rem}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:.8rem}"
    ".card{background:#fff;border-radius:8px;padding:.7rem .9rem;"
    "box-shadow:0 1px 2px rgba(0,0,0,.08)}"
    ".card .k{font-size:.8rem;color:#5b6478;text-transform:uppercase;letter-spacing:.03em}"
    ".card .v{font-size:1.3rem;font-weight:600}.card .s{font-size:.85rem;color:#5b6478}"
    ".scroll{overflow-x:auto;background:#fff;border-radius:8px;"
    "box-shadow:0 1px 2px rgba(0,0,0,.08)}"
    "table{border-collapse:collapse;width:100%;font-size:.9rem}"
    "th,td{padding:.35rem .6rem;text-align:right;white-space:nowrap;"
    "border-bottom:1px solid #e6e8ee}"
    "th{background:#eef0f4;font-weight:600}th:first-child,td:first-child,td.t{text-align:left}"
    "td.t{white-space:normal}"
    "figure{margin:0;background:#fff;border-radius:8px;padding:.6rem;"
    "box-shadow:0 1px 2px rgba(0,0,0,.08)}"
    "figcaption{font-size:.85rem;color:#5b6478;margin-bottom:.3rem}"
    "svg{width:100%;height:auto;display:block}svg text{font:11px system-ui,sans-serif;"
    "fill:#1d2330}"
    ".grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:.8rem}"
    "ul.advice li{margin:.3rem 0}.muted{color:#5b6478}"
    "footer{max-width:1100px;margin:0 auto;padding:1rem;font-size:.85rem;color:#5b6478}"
    "footer a{color:#2358b8}"
    ".good{color:#17783c}.bad{color:#b3261e}";

static const struct {
	const char *section, *label, *path;
} tabs[] = {
    {"overview", "Overview", "/"},
    {"models", "Models", "/models"},
    {"developers", "Developers", "/developers"},
    {"teams", "Teams", "/teams"},
    {"seats", "Seats", "/seats"},
    {"sources", "Sources", "/sources"},
};

void html_text(struct buf *b, const char *s)
{
	buf_append_html(b, s ? s : "");
}

void html_url_part(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~@", *p) != NULL) {
			buf_putc(b, (char)*p);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[*p >> 4]);
			buf_putc(b, hex[*p & 15]);
		}
	}
}

void html_count(struct buf *b, int64_t v)
{
	char text[32];

	fmt_thousands(v, text, sizeof(text));
	buf_puts(b, text);
}

void html_money(struct buf *b, double v, const char *currency)
{
	char text[48];

	fmt_money(v < 0 ? -v : v, text, sizeof(text));
	if (currency == NULL || strcmp(currency, "USD") == 0)
		buf_printf(b, "%s$%s", v < 0 ? "&minus;" : "", text);
	else if (strcmp(currency, "EUR") == 0)
		buf_printf(b, "%s&euro;%s", v < 0 ? "&minus;" : "", text);
	else if (strcmp(currency, "GBP") == 0)
		buf_printf(b, "%s&pound;%s", v < 0 ? "&minus;" : "", text);
	else {
		buf_printf(b, "%s%s ", v < 0 ? "&minus;" : "", text);
		html_text(b, currency);
	}
}

void html_tokens(struct buf *b, double v)
{
	char text[32];

	fmt_short(v, text, sizeof(text));
	buf_printf(b, "%s tokens", text);
}

/* A signed number with a real minus sign, which reads better than a hyphen in a range. */
static void signed_number(struct buf *b, double v, int decimals)
{
	buf_printf(b, "%s%.*f", v < 0 ? "&minus;" : "", decimals, v < 0 ? -v : v);
}

void html_range(struct buf *b, const struct scenario *s, const char *unit, int decimals)
{
	signed_number(b, s->low, decimals);
	buf_puts(b, " to ");
	signed_number(b, s->high, decimals);
	buf_printf(b, "%s <span class=\"muted\">(likely ", unit);
	signed_number(b, s->likely, decimals);
	buf_puts(b, ")</span>");
}

void html_money_range(struct buf *b, const struct scenario *s, const char *currency)
{
	html_money(b, s->low, currency);
	buf_puts(b, " to ");
	html_money(b, s->high, currency);
	buf_puts(b, " <span class=\"muted\">(likely ");
	html_money(b, s->likely, currency);
	buf_puts(b, ")</span>");
}

/* The month "YYYY-MM" shift months from now, local time. */
static void month_text(int shift, char out[8])
{
	time_t now = time(NULL);
	struct tm tm;
	int m;

	localtime_r(&now, &tm);
	m = tm.tm_year * 12 + tm.tm_mon + shift;
	snprintf(out, 8, "%04u-%02u", (unsigned)(1900 + m / 12) % 10000u, (unsigned)(m % 12 + 1));
}

static void period_form(struct buf *b, const struct html_page *p)
{
	char this_month[8], last_month[8];
	const struct {
		const char *label, *arg;
		const char *value;
	} presets[] = {
	    {"7 days", "last", "7d"},
	    {"30 days", "last", "30d"},
	    {"This month", "period", this_month},
	    {"Last month", "period", last_month},
	};

	month_text(0, this_month);
	month_text(-1, last_month);
	buf_puts(b, "<form class=\"period\" method=\"get\" action=\"");
	html_text(b, p->path);
	buf_puts(b, "\"><span>Period:</span>");
	for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++) {
		buf_puts(b, "<a href=\"");
		html_text(b, p->path);
		buf_printf(b, "?%s=%s\">%s</a>", presets[i].arg, presets[i].value,
		           presets[i].label);
	}
	buf_puts(b, "<a href=\"");
	html_text(b, p->path);
	buf_puts(b, "\">All</a><label>from <input type=\"date\" name=\"from\" value=\"");
	html_text(b, p->from);
	buf_puts(b, "\"></label><label>to <input type=\"date\" name=\"to\" value=\"");
	html_text(b, p->to);
	buf_puts(b, "\"></label><button type=\"submit\">Show</button></form>\n");
}

void html_begin(struct buf *b, const struct html_page *p)
{
	buf_puts(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
	            "<title>");
	html_text(b, p->title);
	buf_printf(b,
	           " &middot; Payback</title><style>%s</style></head>\n<body><header>"
	           "<b>Payback</b>",
	           style);
	for (size_t i = 0; i < sizeof(tabs) / sizeof(tabs[0]) && !p->is_own_page_only; i++)
		buf_printf(b, "<a href=\"%s\"%s>%s</a>", tabs[i].path,
		           strcmp(tabs[i].section, p->section) == 0 ? " class=\"on\"" : "",
		           tabs[i].label);
	if (p->user) {
		buf_puts(b, "<span class=\"who\">signed in as ");
		html_text(b, p->user);
		buf_puts(b, "</span>");
	}
	buf_puts(b, "</header>\n<main><h1>");
	html_text(b, p->title);
	buf_puts(b, "</h1>\n");
	if (p->from)
		period_form(b, p);
}

void html_end(struct buf *b, const struct html_page *p)
{
	buf_puts(b, "</main>\n<footer>");
	if (p->from && p->from[0]) {
		buf_puts(b, "Period ");
		html_text(b, p->from);
		buf_puts(b, " &ndash; ");
		html_text(b, p->to);
		buf_puts(b, ". ");
	}
	if (p->api) {
		static const char *const formats[] = {"csv", "json"};

		buf_puts(b, "This page as ");
		for (int i = 0; i < 2; i++) {
			buf_printf(b, "%s<a href=\"/api/v1/report/", i ? " or " : "");
			html_url_part(b, p->api);
			buf_printf(b, "?format=%s", formats[i]);
			if (p->from && p->from[0]) {
				buf_puts(b, "&amp;from=");
				html_url_part(b, p->from);
				buf_puts(b, "&amp;to=");
				html_url_part(b, p->to);
			}
			buf_printf(b, "\">%s</a>", i ? "JSON" : "CSV");
		}
		buf_puts(b, ". ");
	}
	buf_puts(b, "Time saved is an estimate: low, likely and high come from the model in "
	            "the configuration (docs/roi.md).</footer>\n</body></html>\n");
}

static double largest(const struct html_bar *bars, size_t n)
{
	double max = 0;

	for (size_t i = 0; i < n; i++) {
		if (bars[i].value > max)
			max = bars[i].value;
		if (bars[i].whisker > max)
			max = bars[i].whisker;
	}
	return max;
}

static void figure_begin(struct buf *b, const char *caption, int width, int height)
{
	buf_puts(b, "<figure><figcaption>");
	html_text(b, caption);
	buf_printf(b, "</figcaption><svg viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", width,
	           height);
	html_text(b, caption);
	buf_puts(b, "\">");
}

#define HBAR_ROW   22
#define HBAR_LABEL 170
#define HBAR_WIDTH 560
#define HBAR_NOTE  110

void html_hbars(struct buf *b, const char *caption, const struct html_bar *bars, size_t n)
{
	double max = largest(bars, n);
	double span = HBAR_WIDTH - HBAR_LABEL - HBAR_NOTE;

	figure_begin(b, caption, HBAR_WIDTH, (int)(n ? n : 1) * HBAR_ROW + 4);
	for (size_t i = 0; i < n; i++) {
		double y = (double)i * HBAR_ROW + 3;
		double w = max > 0 ? bars[i].value / max * span : 0;

		buf_puts(b, "<g><title>");
		html_text(b, bars[i].label);
		buf_puts(b, ": ");
		html_text(b, bars[i].note);
		buf_printf(b, "</title><text x=\"0\" y=\"%.0f\">", y + 13);
		/* Long names are cut so the bars keep their room. */
		{
			char label[40];
			size_t len = strlen(bars[i].label);

			snprintf(label, sizeof(label), "%s", bars[i].label);
			if (len >= sizeof(label)) {
				size_t cut = sizeof(label) - 4;

				while (cut > 0 && ((unsigned char)label[cut] & 0xc0) == 0x80)
					cut--;
				memcpy(label + cut, "...", 4);
			}
			html_text(b, label);
		}
		buf_printf(b,
		           "</text><rect x=\"%d\" y=\"%.0f\" width=\"%.1f\" height=\"15\" rx=\"2\" "
		           "fill=\"#4a7fd6\"/>",
		           HBAR_LABEL, y + 2, w);
		if (bars[i].whisker > 0 && max > 0) {
			double x = HBAR_LABEL + bars[i].whisker / max * span;

			buf_printf(b,
			           "<line x1=\"%d\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\" "
			           "stroke=\"#1d2330\"/>"
			           "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\" "
			           "stroke=\"#1d2330\"/>",
			           HBAR_LABEL, x, y + 9.5, y + 9.5, x, x, y + 4, y + 15);
		}
		buf_printf(b, "<text x=\"%.1f\" y=\"%.0f\">",
		           HBAR_LABEL +
		               (bars[i].whisker > bars[i].value && max > 0
		                    ? bars[i].whisker / max * span
		                    : w) +
		               5,
		           y + 13);
		html_text(b, bars[i].note);
		buf_puts(b, "</text></g>");
	}
	buf_puts(b, "</svg></figure>\n");
}

#define COL_WIDTH  720
#define COL_HEIGHT 130
#define COL_AXIS   16

void html_columns(struct buf *b, const char *caption, const struct html_bar *bars, size_t n)
{
	double max = largest(bars, n);
	double step = n ? (double)COL_WIDTH / (double)n : COL_WIDTH;
	/* About one label per 70 units of width, whatever the number of columns. */
	size_t every = (size_t)(70 / step) + 1;

	figure_begin(b, caption, COL_WIDTH, COL_HEIGHT + COL_AXIS);
	buf_printf(b, "<line x1=\"0\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#c3c8d4\"/>",
	           COL_WIDTH, COL_HEIGHT, COL_HEIGHT);
	for (size_t i = 0; i < n; i++) {
		double h = max > 0 ? bars[i].value / max * (COL_HEIGHT - 14) : 0;
		double x = (double)i * step;

		buf_puts(b, "<g><title>");
		html_text(b, bars[i].label);
		buf_puts(b, ": ");
		html_text(b, bars[i].note);
		buf_printf(b,
		           "</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		           "fill=\"#4a7fd6\"/></g>",
		           x + step * 0.1, COL_HEIGHT - h, step * 0.8, h);
		if (i % every == 0) {
			buf_printf(b, "<text x=\"%.1f\" y=\"%d\">", x + step * 0.1,
			           COL_HEIGHT + COL_AXIS - 3);
			html_text(b, bars[i].label);
			buf_puts(b, "</text>");
		}
	}
	if (n > 0 && max > 0) {
		char top[32];

		fmt_short(max, top, sizeof(top));
		buf_printf(b, "<text x=\"2\" y=\"10\" class=\"muted\">max %s</text>", top);
	}
	buf_puts(b, "</svg></figure>\n");
}
