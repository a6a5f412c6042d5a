/* walk.h - the files under a list of paths. */
#ifndef PAYBACK_WALK_H
#define PAYBACK_WALK_H

#include <stddef.h>
#include <sys/stat.h>

#include "../lib/arena.h"

struct walk_file {
	char *path; /* absolute, symbolic links resolved */
	struct stat sb;
	size_t source; /* index of the path it was found under */
};

struct walk_list {
	struct walk_file *files;
	size_t n, cap;
	size_t n_missing;   /* paths that could not be opened */
	struct arena paths; /* the strings of files[].path */
};

/*
 * Adds every regular file named in paths, and every *.jsonl and *.ndjson
 * file below the directories among them, sorted by path with
 * duplicates removed. Returns -1 only when out of memory.
 */
int walk_paths(struct walk_list *l, const char *const *paths, size_t n);
void walk_free(struct walk_list *l);

/*
 * Matches path against a developer pattern such as "/srv/logs/{developer}/..."
 * ("*" is one path segment, "..." any number). Writes the captured name to
 * out (size n) and returns 0, or -1 when path does not match.
 */
int developer_from_pattern(const char *pattern, const char *path, char *out, size_t n);

#endif
