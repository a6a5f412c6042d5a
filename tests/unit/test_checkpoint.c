/* test_checkpoint.c - the checkpointer copies a writer's WAL into the database file on its own
 * thread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "../../daemon/store/checkpoint.h"
#include "query_helper.h"

static void test_checkpointer_copies_the_wal_while_the_writer_stays_open(void **state)
{
	char dir[] = "/tmp/pb_ckpt_XXXXXX", path[64], wal[80];
	struct checkpointer *c;
	sqlite3 *db;
	off_t before;
	int waited_ms = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	/* No checkpoint of the writer's own: only the checkpointer may copy. */
	exec_ok(db,
	        "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; "
	        "CREATE TABLE t (x BLOB); BEGIN; "
	        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
	        "INSERT INTO t SELECT randomblob(1000) FROM n; COMMIT");
	before = file_size(path);
	assert_true(file_size(wal) > 2000 * 1000);
	assert_true(before < 100 * 1000);

	assert_int_equal(checkpointer_start(&c, path), 0);
	checkpointer_poke(c);
	while (file_size(path) < 2000 * 1000 && waited_ms < 10000) {
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
		waited_ms += 10;
	}
	assert_true(file_size(path) >= 2000 * 1000);
	/* The writer goes on writing beside it, and stopping it leaves the data whole. */
	exec_ok(db, "INSERT INTO t VALUES (randomblob(10))");
	checkpointer_poke(c);
	checkpointer_stop(c);
	{
		sqlite3_stmt *s;

		assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &s, NULL),
		                 SQLITE_OK);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(s, 0), 2001);
		sqlite3_finalize(s);
	}
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	unlink(path);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", path);
	unlink(wal);
	rmdir(dir);
}

static void test_checkpointer_cannot_start_on_a_missing_database(void **state)
{
	struct checkpointer *c = (struct checkpointer *)&c;

	(void)state;
	assert_int_equal(checkpointer_start(&c, "/nonexistent/dir/t.db"), -1);
	assert_null(c);
	checkpointer_stop(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_checkpointer_copies_the_wal_while_the_writer_stays_open),
	    cmocka_unit_test(test_checkpointer_cannot_start_on_a_missing_database),
	};

	return cmocka_run_group_tests_name("checkpoint", tests, NULL, NULL);
}
