/* section.c - from a section's name to its rendered report. */
#include "section.h"

#include <stdio.h>
#include <string.h>

#include "advice.h"
#include "compare.h"
#include "roi.h"

typedef int (*roi_renderer)(const struct roi_report *, struct buf *);

/* The sections built from one roi_report, with their renderers by format. */
static const struct {
	const char *name;
	roi_renderer render[3];
} roi_sections[] = {
    {"overview", {render_text_overview, render_csv_overview, render_json_overview}},
    {"models", {render_text_models, render_csv_models, render_json_models}},
    {"developers", {render_text_developers, render_csv_developers, render_json_developers}},
    {"teams", {render_text_teams, render_csv_teams, render_json_teams}},
};

int report_is_section(const char *name)
{
	for (size_t i = 0; i < sizeof(roi_sections) / sizeof(roi_sections[0]); i++)
		if (strcmp(roi_sections[i].name, name) == 0)
			return 1;
	return strcmp(name, "compare") == 0 || strcmp(name, "seats") == 0;
}

static int run_compare(sqlite3 *db, const struct config *cfg, const char *from, const char *to,
                       enum report_format format, struct buf *out, char *err, size_t errlen)
{
	static int (*const render[3])(const struct compare_report *, struct buf *) = {
	    render_text_compare, render_csv_compare, render_json_compare};
	struct compare_report r;

	if (compare_build(db, cfg, from, to, &r, err, errlen) < 0)
		return -1;
	render[format](&r, out);
	compare_free(&r);
	return 0;
}

static int run_seats(sqlite3 *db, const struct config *cfg, const char *from, const char *to,
                     enum report_format format, struct buf *out, char *err, size_t errlen)
{
	static int (*const render[3])(const struct advice_report *, struct buf *) = {
	    render_text_seats, render_csv_seats, render_json_seats};
	struct advice_report r;

	if (advice_build(db, cfg, from, to, &r, err, errlen) < 0)
		return -1;
	render[format](&r, out);
	advice_free(&r);
	return 0;
}

int report_run_section(const char *name, sqlite3 *db, const struct config *cfg, const char *from,
                       const char *to, enum report_format format, struct buf *out, char *err,
                       size_t errlen)
{
	struct roi_report r;

	if (strcmp(name, "compare") == 0)
		return run_compare(db, cfg, from, to, format, out, err, errlen);
	if (strcmp(name, "seats") == 0)
		return run_seats(db, cfg, from, to, format, out, err, errlen);
	for (size_t i = 0; i < sizeof(roi_sections) / sizeof(roi_sections[0]); i++) {
		if (strcmp(roi_sections[i].name, name) != 0)
			continue;
		if (roi_build(db, cfg, from, to, &r, err, errlen) < 0)
			return -1;
		roi_sections[i].render[format](&r, out);
		roi_free(&r);
		return 0;
	}
	snprintf(err, errlen, "unknown report section '%s'", name);
	return -1;
}
