/* config.h - payback.yaml as a struct, with a built-in default for every key. */
#ifndef PAYBACK_CONFIG_H
#define PAYBACK_CONFIG_H

#include <stddef.h>

#include "ingest/ingest.h"

struct config {
	char *file;         /* the file loaded, or NULL for the built-in defaults */
	char *storage_path; /* storage.path */
	char *timezone;     /* IANA name; local days of reports are in it */
	char *developer;    /* who local tool logs belong to when nothing says */
	struct ingest_source *sources;
	size_t n_sources;
};

/*
 * Loads path (NULL: built-in defaults only) into cfg. On error returns -1
 * and writes one "file:line:col: problem" line per problem to err.
 */
int config_load(struct config *cfg, const char *path, char *err, size_t errlen);
/* The same from text, reported under the name path (for tests). */
int config_load_text(struct config *cfg, const char *path, const char *text, char *err,
                     size_t errlen);
void config_free(struct config *cfg);
/* Makes cfg->timezone the zone of localtime(); returns -1 if it is unknown. */
int config_apply_timezone(const struct config *cfg);
/* Fills the default sources: the local Claude Code and Codex log folders. */
size_t config_default_sources(struct ingest_source *out, char paths[][4096], size_t max);

#endif
