/* watch.c - inotify on the configured sources, to read new lines at once. */
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"

#define WATCH_MASK  (IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF)
#define MAX_DEPTH   8    /* tools' log folders are two or three levels deep */
#define MAX_WATCHES 4096 /* beyond this the periodic rescan covers the rest */

struct watch {
	int fd;
	const struct ingest_source *src;
	size_t n_src;
	size_t n_watches;
	int is_full_logged;
};

static void add_tree(struct watch *w, const char *dir, int depth)
{
	DIR *d;
	struct dirent *e;

	if (w->n_watches >= MAX_WATCHES) {
		if (!w->is_full_logged)
			log_info("watching %d folders; the rest are read on the periodic rescan",
			         MAX_WATCHES);
		w->is_full_logged = 1;
		return;
	}
	if (inotify_add_watch(w->fd, dir, WATCH_MASK | IN_ONLYDIR) < 0)
		return;
	w->n_watches++;
	if (depth >= MAX_DEPTH || (d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char path[PATH_MAX];
		struct stat sb;

		if (e->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path))
			continue;
		if ((e->d_type == DT_DIR ||
		     (e->d_type == DT_UNKNOWN && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))))
			add_tree(w, path, depth + 1);
	}
	closedir(d);
}

/* (Re)adds every source's watches: adding one twice is harmless. */
static void add_all(struct watch *w)
{
	w->n_watches = 0;
	for (size_t i = 0; i < w->n_src; i++) {
		struct stat sb;
		char dir[PATH_MAX];
		const char *slash;

		if (stat(w->src[i].path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			add_tree(w, w->src[i].path, 0);
			continue;
		}
		/* A file, or a folder yet to be made: watch the folder it is in. */
		slash = strrchr(w->src[i].path, '/');
		if (slash == NULL)
			snprintf(dir, sizeof(dir), ".");
		else
			snprintf(dir, sizeof(dir), "%.*s", (int)(slash - w->src[i].path + 1),
			         w->src[i].path);
		if (inotify_add_watch(w->fd, dir, WATCH_MASK | IN_ONLYDIR) >= 0)
			w->n_watches++;
	}
}

struct watch *watch_open(const struct ingest_source *src, size_t n_src)
{
	struct watch *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0) {
		log_info("inotify: %s; sources are read on the periodic rescan only",
		         strerror(errno));
		free(w);
		return NULL;
	}
	w->src = src;
	w->n_src = n_src;
	add_all(w);
	return w;
}

/* Reads the pending events; returns whether a folder appeared (to be watched too). */
static int drain(struct watch *w)
{
	char events[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	int has_new_dir = 0;
	ssize_t n;

	while ((n = read(w->fd, events, sizeof(events))) > 0) {
		for (char *p = events; p < events + n;) {
			const struct inotify_event *e = (const struct inotify_event *)(void *)p;

			if ((e->mask & IN_ISDIR) && (e->mask & (IN_CREATE | IN_MOVED_TO)))
				has_new_dir = 1;
			if (e->mask & (IN_DELETE_SELF | IN_Q_OVERFLOW))
				has_new_dir = 1;
			p += sizeof(*e) + e->len;
		}
	}
	return has_new_dir;
}

int watch_wait(struct watch *w, int timeout_ms, volatile int *stop)
{
	struct pollfd p = {w ? w->fd : -1, POLLIN, 0};
	int waited = 0, rc = 0;

	/* Short polls, so a stop request is seen quickly. */
	while (waited < timeout_ms && !*stop) {
		int slice = timeout_ms - waited < 200 ? timeout_ms - waited : 200;

		if (w == NULL) {
			usleep((useconds_t)slice * 1000);
		} else if (poll(&p, 1, slice) > 0) {
			/* Let a burst of writes finish before reading them all at once. */
			usleep(20000);
			if (drain(w))
				add_all(w);
			rc = 1;
			break;
		}
		waited += slice;
	}
	return rc;
}

void watch_close(struct watch *w)
{
	if (w == NULL)
		return;
	close(w->fd);
	free(w);
}
