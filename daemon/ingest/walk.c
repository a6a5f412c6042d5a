/* walk.c - finding log files under the configured paths, and whose they are. */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../lib/log.h"
#include "../lib/util.h"

static int has_log_extension(const char *name)
{
	/* Not ".json": tools keep settings and caches in such files, which are
	 * not logs; a log with that name can still be named explicitly. */
	static const char *const exts[] = {".jsonl", ".ndjson"};
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
/* Folders found at the top of a source, walked by several threads at once. */
struct dir_queue {
	char **dirs;
	size_t *src;
	size_t n, cap, next;
	pthread_mutex_t lock;
};

static int defer_dir(struct dir_queue *q, struct arena *mem, const char *dir, size_t src)
{
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 64;
		char **d = realloc(q->dirs, cap * sizeof(*d));
		size_t *s;

		if (d == NULL)
			return -1;
		q->dirs = d;
		s = realloc(q->src, cap * sizeof(*s));
		if (s == NULL)
			return -1;
		q->src = s;
		q->cap = cap;
	}
	q->dirs[q->n] = arena_strdup(mem, dir);
	q->src[q->n] = src;
	return q->dirs[q->n++] ? 0 : -1;
}

static int walk_dir(struct walk_list *l, const char *dir, size_t src, int depth,
                    struct dir_queue *defer)
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
			rc = defer ? defer_dir(defer, &l->paths, path, src)
			           : walk_dir(l, path, src, depth + 1, NULL);
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

struct walker {
	struct dir_queue *queue;
	struct walk_list found;
	int rc;
};

static void *walk_worker(void *arg)
{
	struct walker *w = arg;
	struct dir_queue *q = w->queue;

	for (;;) {
		size_t i;

		pthread_mutex_lock(&q->lock);
		i = q->next < q->n ? q->next++ : SIZE_MAX;
		pthread_mutex_unlock(&q->lock);
		if (i == SIZE_MAX || w->rc < 0)
			return NULL;
		w->rc = walk_dir(&w->found, q->dirs[i], q->src[i], 1, NULL);
	}
}

/* Moves the files of src into l, copying their paths into l's arena. */
static int take_files(struct walk_list *l, struct walk_list *src)
{
	for (size_t i = 0; i < src->n; i++)
		if (push(l, src->files[i].path, &src->files[i].sb, src->files[i].source) < 0)
			return -1;
	l->n_missing += src->n_missing;
	walk_free(src);
	return 0;
}

/*
 * The files directly under each source are listed here; the folders below
 * them are shared out to one thread per core, since a walk spends its time
 * in the kernel, one stat per file, and two cores do that twice as fast.
 */
int walk_paths(struct walk_list *l, const char *const *paths, size_t n)
{
	struct dir_queue q;
	struct walker workers[8];
	pthread_t threads[8];
	int n_threads = cpu_cores(8), started = 0, rc = 0;

	memset(&q, 0, sizeof(q));
	pthread_mutex_init(&q.lock, NULL);
	for (size_t i = 0; i < n && rc == 0; i++) {
		char real[PATH_MAX];
		struct stat sb;

		if (realpath(paths[i], real) == NULL || stat(real, &sb) < 0) {
			log_err("%s: %s", paths[i], strerror(errno));
			l->n_missing++;
			continue;
		}
		if (S_ISDIR(sb.st_mode))
			rc = walk_dir(l, real, i, 0, &q);
		else if (S_ISREG(sb.st_mode))
			rc = push(l, real, &sb, i);
		else
			log_warn("%s: not a regular file or directory, skipped", paths[i]);
	}
	if ((size_t)n_threads > q.n)
		n_threads = (int)q.n;
	memset(workers, 0, sizeof(workers));
	for (; rc == 0 && started < n_threads; started++) {
		workers[started].queue = &q;
		if (pthread_create(&threads[started], NULL, walk_worker, &workers[started]) != 0)
			break;
	}
	/* Whatever no thread took (none could start) is walked here. */
	if (rc == 0 && started == 0) {
		workers[0].queue = &q;
		walk_worker(&workers[0]);
		started = -1;
	}
	for (int t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	for (int t = 0; t < (started < 0 ? 1 : started); t++) {
		if (rc == 0 && workers[t].rc < 0)
			rc = -1;
		if (take_files(l, &workers[t].found) < 0)
			rc = -1;
	}
	pthread_mutex_destroy(&q.lock);
	free(q.dirs);
	free(q.src);
	if (rc < 0)
		return -1;
	/* Sorted, so a file named twice (or under two sources) is read once. */
	if (l->n > 1)
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
