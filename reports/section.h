/*
 * section.h - `paybackd report SECTION`: builds a section's report and hands
 * it to the renderer of the chosen format, so the command line (and later
 * the HTTP API) needs to know neither.
 */
#ifndef PAYBACK_SECTION_H
#define PAYBACK_SECTION_H

#include <sqlite3.h>

#include "../daemon/lib/buf.h"
#include "report.h"

enum report_format { FORMAT_TEXT, FORMAT_CSV, FORMAT_JSON };

/* Whether name is one of the sections other than usage. */
int report_is_section(const char *name);

/*
 * Renders section name over local days [from, to] (NULL: the section's
 * default) into out. Returns 0, or -1 with err filled.
 */
int report_run_section(const char *name, sqlite3 *db, const struct config *cfg, const char *from,
                       const char *to, enum report_format format, struct buf *out, char *err,
                       size_t errlen);

#endif
