/* sql.h - steps that every user of SQLite's prepared statements repeats. */
#ifndef PAYBACK_SQL_H
#define PAYBACK_SQL_H

#include <sqlite3.h>
#include <stdint.h>

/*
 * Rows per multi-row insert: as many statements of the largest as fit,
 * then of the smaller ones, so a few rows left over take at most nine
 * statements, not one each. One statement per row spends more time
 * starting and finishing statements than storing rows.
 */
#define SQL_ROWS_MAX     64
#define SQL_N_ROW_COUNTS 4
extern const int sql_row_counts[SQL_N_ROW_COUNTS];

/* Prepares sql to be kept for the connection's life: 0, or -1. */
int sql_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **out);
/* Prepares head followed by rows groups of columns parameters each. */
int sql_prepare_rows(sqlite3 *db, const char *head, int columns, int rows, sqlite3_stmt **out);
/* Runs s once and resets it: 0, or -1 (logged). */
int sql_step_done(sqlite3_stmt *s);
/* The integer in the first column of the row s gives: 0, or -1 (logged) for no row. */
int sql_step_int64(sqlite3_stmt *s, int64_t *out);

#endif
