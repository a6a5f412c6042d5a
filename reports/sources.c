/* sources.c - what has been read of each log file, and the lines rejected. */
#include "sources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *column_dup(sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	return strdup(t ? (const char *)t : "");
}

static int grow(void **items, size_t n, size_t size)
{
	void *p;

	/* Doubling at powers of two keeps appends amortised O(1). */
	if (n & (n - 1))
		return 0;
	p = realloc(*items, (n ? n * 2 : 8) * size);
	if (p == NULL)
		return -1;
	*items = p;
	return 0;
}

int sources_build(sqlite3 *db, size_t max_rejects, struct sources_report *out, char *err,
                  size_t errlen)
{
	sqlite3_stmt *s = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(
	        db,
	        "SELECT path, coalesce(format, ''), coalesce(developer, ''), events, "
	        "rejected, max(size - offset, 0), coalesce(last_read, 0) "
	        "FROM source_file ORDER BY path",
	        -1, &s, NULL) != SQLITE_OK)
		goto done;
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct source_row *f;

		if (grow((void **)&out->files, out->n_files, sizeof(*f)) < 0)
			goto done;
		f = &out->files[out->n_files++];
		f->path = column_dup(s, 0);
		f->format = column_dup(s, 1);
		f->developer = column_dup(s, 2);
		f->events = sqlite3_column_int64(s, 3);
		f->rejected = sqlite3_column_int64(s, 4);
		f->unread_bytes = sqlite3_column_int64(s, 5);
		f->last_read = sqlite3_column_int64(s, 6);
		out->events += f->events;
		out->rejected += f->rejected;
	}
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(db,
	                       "SELECT f.path, r.line_no, r.reason, coalesce(r.excerpt, ''), r.at "
	                       "FROM reject r JOIN source_file f ON f.id = r.source_id "
	                       "ORDER BY r.at DESC, r.id DESC LIMIT ?1",
	                       -1, &s, NULL) != SQLITE_OK)
		goto done;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)max_rejects);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct source_reject *r;

		if (grow((void **)&out->rejects, out->n_rejects, sizeof(*r)) < 0)
			goto done;
		r = &out->rejects[out->n_rejects++];
		r->path = column_dup(s, 0);
		r->line_no = sqlite3_column_int64(s, 1);
		r->reason = column_dup(s, 2);
		r->excerpt = column_dup(s, 3);
		r->at = sqlite3_column_int64(s, 4);
	}
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(
	        db,
	        "SELECT digest, period, recipient, status, coalesce(last_error, ''), "
	        "attempts, coalesce(next_try, 0), updated_at FROM digest_runs "
	        "ORDER BY updated_at DESC LIMIT ?1",
	        -1, &s, NULL) != SQLITE_OK)
		goto done;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)max_rejects);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct source_digest *d;

		if (grow((void **)&out->digests, out->n_digests, sizeof(*d)) < 0)
			goto done;
		d = &out->digests[out->n_digests++];
		d->digest = column_dup(s, 0);
		d->period = column_dup(s, 1);
		d->recipient = column_dup(s, 2);
		d->status = column_dup(s, 3);
		d->error = column_dup(s, 4);
		d->attempts = sqlite3_column_int64(s, 5);
		d->next_try = sqlite3_column_int64(s, 6);
		d->updated_at = sqlite3_column_int64(s, 7);
	}
	rc = 0;
done:
	if (rc < 0)
		snprintf(err, errlen, "sources: %s", sqlite3_errmsg(db));
	sqlite3_finalize(s);
	return rc;
}

void sources_free(struct sources_report *r)
{
	for (size_t i = 0; i < r->n_files; i++) {
		free(r->files[i].path);
		free(r->files[i].format);
		free(r->files[i].developer);
	}
	for (size_t i = 0; i < r->n_rejects; i++) {
		free(r->rejects[i].path);
		free(r->rejects[i].reason);
		free(r->rejects[i].excerpt);
	}
	for (size_t i = 0; i < r->n_digests; i++) {
		free(r->digests[i].digest);
		free(r->digests[i].period);
		free(r->digests[i].recipient);
		free(r->digests[i].status);
		free(r->digests[i].error);
	}
	free(r->files);
	free(r->rejects);
	free(r->digests);
	memset(r, 0, sizeof(*r));
}
