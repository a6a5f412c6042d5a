/*
 * ingest.h - reading log files into the store, exactly once.
 *
 * ingest_run() walks the given sources, compares every file with what the
 * store remembers of it (device, inode, size, mtime, offset, a fingerprint of
 * the first bytes), and reads only what is new: parser threads read and parse
 * files while the calling thread writes their batches, committing each file's
 * new offset in the same transaction as the events read before it.
 */
#ifndef PAYBACK_INGEST_H
#define PAYBACK_INGEST_H

#include <stddef.h>
#include <stdint.h>

struct store;

struct ingest_source {
	const char *path;      /* file or directory */
	const char *format;    /* NULL or "auto" to detect per file */
	const char *developer; /* a name, a pattern with {developer}, or NULL */
	const char *tool;      /* NULL for the format's own */
};

struct task_rule;

struct ingest_stats {
	int64_t files, files_read, lines, bytes, events_added, duplicates, rejected;
	double seconds;
};

struct ingest_opts {
	const char *default_developer; /* when neither line nor source names one */
	int threads;                   /* parser threads; 0 = one per core */
	volatile int *stop;            /* set to finish the current batch and return */
	void (*on_commit)(void *arg);  /* after each commit, or NULL: a sign of progress */
	void *on_commit_arg;
	const struct task_rule *tasks; /* the team's own task cues (tasks:), or NULL */
	size_t n_tasks;
};

/* Returns 0, or -1 when the store failed (file errors are logged and skipped). */
int ingest_run(struct store *st, const struct ingest_source *src, size_t n_src,
               const struct ingest_opts *opts, struct ingest_stats *stats);

#endif
