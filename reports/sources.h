/* sources.h - what has been read of each log file, and the lines rejected. */
#ifndef PAYBACK_SOURCES_H
#define PAYBACK_SOURCES_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct source_row {
	char *path, *format, *developer;
	int64_t events, rejected;
	int64_t unread_bytes; /* size when last seen, less what was read */
	int64_t last_read;    /* Unix seconds, 0 when never */
};

struct source_reject {
	char *path, *reason, *excerpt;
	int64_t line_no, at;
};

/* A digest's latest try to one recipient (digest_runs). */
struct source_digest {
	char *digest, *period, *recipient, *status, *error;
	int64_t attempts, next_try, updated_at;
};

struct sources_report {
	struct source_row *files; /* by path */
	size_t n_files;
	struct source_reject *rejects; /* newest first */
	size_t n_rejects;
	int64_t events, rejected;      /* over every file */
	struct source_digest *digests; /* newest first */
	size_t n_digests;
};

/*
 * Reads every file's state, the max_rejects newest rejected lines and as
 * many of the newest digest deliveries. Returns 0 or -1.
 */
int sources_build(sqlite3 *db, size_t max_rejects, struct sources_report *out, char *err,
                  size_t errlen);
void sources_free(struct sources_report *r);

#endif
