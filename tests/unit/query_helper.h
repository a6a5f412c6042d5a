/* query_helper.h - one integer from a query on a store, for assertions. */
#ifndef PAYBACK_QUERY_HELPER_H
#define PAYBACK_QUERY_HELPER_H

#include <stdint.h>

#include "../../daemon/store.h"

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

#endif
