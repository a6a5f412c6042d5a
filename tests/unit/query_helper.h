/* query_helper.h - database checks for assertions: a query's integer, a script run, a file's size.
 */
#ifndef PAYBACK_QUERY_HELPER_H
#define PAYBACK_QUERY_HELPER_H

#include <stdint.h>
#include <sys/stat.h>

#include "../../daemon/store/store.h"

/* The first column of the first row, or -1 when there is no row. */
static inline int64_t query_int(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Runs sql on db; the test fails with SQLite's message if it does not succeed. */
static inline void exec_ok(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

/* The size of the file at path, or -1 when there is none. */
static inline off_t file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? sb.st_size : -1;
}

#endif
