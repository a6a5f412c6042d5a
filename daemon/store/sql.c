/* sql.c - prepared statements: made once per connection, stepped and reset. */
#include "sql.h"

#include "../lib/buf.h"
#include "../lib/log.h"

const int sql_row_counts[SQL_N_ROW_COUNTS] = {SQL_ROWS_MAX, 16, 4, 1};

int sql_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **out)
{
	return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) == SQLITE_OK
	           ? 0
	           : -1;
}

int sql_prepare_rows(sqlite3 *db, const char *head, int columns, int rows, sqlite3_stmt **out)
{
	struct buf sql = BUF_INIT;
	int rc = buf_puts(&sql, head);

	for (int r = 0; r < rows; r++) {
		rc |= buf_puts(&sql, r ? ",(" : "(");
		for (int k = 0; k < columns; k++)
			rc |= buf_puts(&sql, k ? ",?" : "?");
		rc |= buf_putc(&sql, ')');
	}
	if (rc == 0)
		rc = sql_prepare(db, sql.data, out);
	buf_free(&sql);
	return rc;
}

int sql_step_done(sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		log_err("database: %s", sqlite3_errmsg(sqlite3_db_handle(s)));
		return -1;
	}
	return 0;
}

int sql_step_int64(sqlite3_stmt *s, int64_t *out)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		log_err("database: %s", sqlite3_errmsg(sqlite3_db_handle(s)));
		return -1;
	}
	return 0;
}
