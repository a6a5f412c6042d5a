/*
 * checkpoint.c - PASSIVE checkpoints on a thread of their own. SQLite lets a
 * checkpoint run beside a writer in WAL mode: it copies the frames committed
 * so far and never blocks the writer, which appends after them. Pokes that
 * come while a checkpoint runs are answered by one more afterwards.
 */
#include "checkpoint.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>

#include "../lib/log.h"

struct checkpointer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	sqlite3 *db;
	int is_poked, is_stopping;
};

static void *run(void *arg)
{
	struct checkpointer *c = arg;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		int rc;

		while (!c->is_poked && !c->is_stopping)
			pthread_cond_wait(&c->wake, &c->lock);
		if (c->is_stopping)
			break;
		c->is_poked = 0;
		pthread_mutex_unlock(&c->lock);
		rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		/* BUSY: another checkpoint is under way; the next poke tries again. */
		if (rc != SQLITE_OK && rc != SQLITE_BUSY)
			log_warn("database: checkpoint: %s", sqlite3_errmsg(c->db));
		pthread_mutex_lock(&c->lock);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

int checkpointer_start(struct checkpointer **out, const char *path)
{
	struct checkpointer *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (c == NULL)
		return -1;
	/* The writer's synchronous = NORMAL: a checkpoint syncs the database file. */
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	        SQLITE_OK ||
	    sqlite3_exec(c->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK) {
		log_warn("database: cannot open a connection for checkpoints: %s",
		         c->db ? sqlite3_errmsg(c->db) : path);
		sqlite3_close(c->db);
		free(c);
		return -1;
	}
	sqlite3_busy_timeout(c->db, 1000);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);
	if (pthread_create(&c->thread, NULL, run, c) != 0) {
		pthread_cond_destroy(&c->wake);
		pthread_mutex_destroy(&c->lock);
		sqlite3_close(c->db);
		free(c);
		return -1;
	}
	*out = c;
	return 0;
}

void checkpointer_poke(struct checkpointer *c)
{
	pthread_mutex_lock(&c->lock);
	c->is_poked = 1;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
}

void checkpointer_stop(struct checkpointer *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->lock);
	c->is_stopping = 1;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	pthread_cond_destroy(&c->wake);
	pthread_mutex_destroy(&c->lock);
	sqlite3_close(c->db);
	free(c);
}
