/* walk.c - finding log files under the configured paths, and whose they are. */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../log.h"
#include "ingest.h"

static int has_log_extension(const char *name)
{
	static const char *const exts[] = {".jsonl", ".ndjson", ".json"};
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t e = strlen(exts[i]);

		if (n > e && strcmp(name + n - e, exts[i]) == 0)
			return 1;
	}
	return 0;
}

static int push(struct walk_list *l, const char *path, const struct stat *sb, size_t src)
{
	struct walk_file *f;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct walk_file *p = realloc(l->files, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		l->files = p;
		l->cap = cap;
	}
	f = &l->files[l->n];
	f->path = arena_strdup(&l->paths, path);
	if (f->path == NULL)
		return -1;
	f->sb = *sb;
	f->source = src;
	l->n++;
	return 0;
}

/* Directories are walked without following symbolic links to directories,
 * so a link loop cannot make the walk endless; linked files are read.
 * Entries are looked up relative to their directory (fstatat), which spares
 * the kernel a walk of the whole path for every file. */
static int walk_dir(struct walk_list *l, const char *dir, size_t src, int depth)
{
	DIR *d;
	struct dirent *de;
	char path[PATH_MAX];
	int rc = 0, fd;

	if (depth > 32)
		return 0;
	d = opendir(dir);
	if (d == NULL) {
		log_warn("%s: %s", dir, strerror(errno));
		return 0;
	}
	fd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		struct stat sb;
		int is_dir = de->d_type == DT_DIR;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (!is_dir && de->d_type != DT_UNKNOWN && !has_log_extension(de->d_name))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path))
			continue;
		if (!is_dir && fstatat(fd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (is_dir || (de->d_type == DT_UNKNOWN && S_ISDIR(sb.st_mode))) {
			rc = walk_dir(l, path, src, depth + 1);
		} else if (has_log_extension(de->d_name)) {
			if (S_ISLNK(sb.st_mode) &&
			    (fstatat(fd, de->d_name, &sb, 0) < 0 || !S_ISREG(sb.st_mode)))
				continue;
			if (S_ISREG(sb.st_mode))
				rc = push(l, path, &sb, src);
		}
		if (rc < 0)
			break;
	}
	closedir(d);
	return rc;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct walk_file *)a)->path, ((const struct walk_file *)b)->path);
}

int walk_paths(struct walk_list *l, const char *const *paths, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char real[PATH_MAX];
		struct stat sb;

		if (realpath(paths[i], real) == NULL || stat(real, &sb) < 0) {
			log_err("%s: %s", paths[i], strerror(errno));
			l->n_missing++;
			continue;
		}
		if (S_ISDIR(sb.st_mode)) {
			if (walk_dir(l, real, i, 0) < 0)
				return -1;
		} else if (S_ISREG(sb.st_mode)) {
			if (push(l, real, &sb, i) < 0)
				return -1;
		} else {
			log_warn("%s: not a regular file or directory, skipped", paths[i]);
		}
	}
	/* Sorted, so a file named twice (or under two sources) is read once. */
	qsort(l->files, l->n, sizeof(*l->files), by_path);
	for (size_t i = 1; i < l->n;) {
		if (strcmp(l->files[i].path, l->files[i - 1].path) == 0) {
			memmove(&l->files[i], &l->files[i + 1], (l->n - i - 1) * sizeof(*l->files));
			l->n--;
		} else {
			i++;
		}
	}
	return 0;
}

void walk_free(struct walk_list *l)
{
	arena_free(&l->paths);
	free(l->files);
	memset(l, 0, sizeof(*l));
}

static int match_segment(const char *pat, size_t plen, const char *seg, size_t slen, char *out,
                         size_t n)
{
	static const char tag[] = "{developer}";
	const char *t = memmem(pat, plen, tag, sizeof(tag) - 1);
	size_t pre, post, cap;

	if (plen == 1 && pat[0] == '*')
		return 0;
	if (t == NULL)
		return plen == slen && memcmp(pat, seg, slen) == 0 ? 0 : -1;
	pre = (size_t)(t - pat);
	post = plen - pre - (sizeof(tag) - 1);
	if (slen <= pre + post || memcmp(seg, pat, pre) != 0 ||
	    memcmp(seg + slen - post, t + sizeof(tag) - 1, post) != 0)
		return -1;
	cap = slen - pre - post;
	if (cap >= n)
		cap = n - 1;
	memcpy(out, seg + pre, cap);
	out[cap] = '\0';
	return 0;
}

int developer_from_pattern(const char *pattern, const char *path, char *out, size_t n)
{
	const char *p = pattern, *s = path;

	out[0] = '\0';
	for (;;) {
		const char *pe, *se;

		while (*p == '/')
			p++;
		while (*s == '/')
			s++;
		if (*p == '\0')
			return *s == '\0' && out[0] ? 0 : -1;
		pe = strchrnul(p, '/');
		if (pe - p == 3 && memcmp(p, "...", 3) == 0)
			return out[0] ? 0 : -1;
		if (*s == '\0')
			return -1;
		se = strchrnul(s, '/');
		if (match_segment(p, (size_t)(pe - p), s, (size_t)(se - s), out, n) < 0)
			return -1;
		p = pe;
		s = se;
	}
}
