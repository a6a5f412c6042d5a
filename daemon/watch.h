/*
 * watch.h - waking live ingest when a source changes (inotify), with a
 * timeout so that sources inotify cannot see (network filesystems) are
 * still read on a schedule.
 */
#ifndef PAYBACK_WATCH_H
#define PAYBACK_WATCH_H

#include <stddef.h>

#include "ingest/ingest.h"

struct watch;

/* Watches every source: its folders (recursively), or a file's folder. NULL if inotify is missing.
 */
struct watch *watch_open(const struct ingest_source *src, size_t n_src);
/*
 * Waits until something under a source changed, or timeout_ms passed, or
 * *stop is set. Returns 1 when something changed, 0 otherwise.
 */
int watch_wait(struct watch *w, int timeout_ms, volatile int *stop);
void watch_close(struct watch *w);

#endif
