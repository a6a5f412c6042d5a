/*
 * serve.c - the daemon's main loop.
 *
 * This thread owns the writer: it ingests the sources when inotify wakes it
 * (and at least every second, for filesystems inotify cannot see), and it
 * shares the writer with POSTed events through writer_lock. Requests read on
 * their own connections; digests are sent from a thread of their own.
 *
 * A reload (SIGHUP) loads the file first and keeps the running
 * configuration if it has an error. Otherwise the HTTP server stops
 * accepting (its listening socket stays open, so connections wait in the
 * queue instead of being refused), requests under way finish, the digest
 * thread stops, the configuration is swapped, and both start again.
 */
#include "serve.h"

#include <inttypes.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>

#include "../reports/report.h"
#include "digest/run.h"
#include "http/routes.h"
#include "http/server.h"
#include "ingest/ingest.h"
#include "lib/log.h"
#include "watch.h"

struct serve {
	const struct serve_options *o;
	pthread_mutex_t writer_lock;
	struct http_server *server;
	struct digest_runner *digests;
	struct ingest_source *src;
	size_t n_src;
	char (*paths)[4096];
	struct watch *watch;
	int64_t events_added, rejected, reloads, loops;
	int is_watchdog;
};

/* The sources, the HTTP server and the digest thread of the current configuration. */
static int start_parts(struct serve *s, int listen_fd, char *err, size_t errlen)
{
	struct config *cfg = s->o->cfg;
	struct http_options ho = {s->o->listen,    cfg,       s->o->db_path, s->o->st,
	                          &s->writer_lock, listen_fd, http_routes,   http_n_routes};

	if (config_ingest_sources(cfg, &s->src, &s->n_src, &s->paths) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->watch = s->n_src > 0 ? watch_open(s->src, s->n_src) : NULL;
	s->server = http_start(&ho, err, errlen);
	if (s->server == NULL)
		return -1;
	if (cfg->n_digests > 0) {
		char why[512];

		s->digests = digest_runner_start(cfg, s->o->db_path, why, sizeof(why));
		if (s->digests == NULL)
			log_err("digests will not be sent: %s", why);
	}
	return 0;
}

/* Stops what start_parts started; returns the listening socket when keep_socket. */
static int stop_parts(struct serve *s, int keep_socket)
{
	int fd = -1;

	digest_runner_stop(s->digests);
	s->digests = NULL;
	if (s->server && keep_socket)
		fd = http_quiesce(s->server);
	http_stop(s->server);
	s->server = NULL;
	watch_close(s->watch);
	s->watch = NULL;
	free(s->src);
	free(s->paths);
	s->src = NULL;
	s->paths = NULL;
	s->n_src = 0;
	return fd;
}

/* A long ingest (a backlog of logs) still feeds the watchdog, once per commit. */
static void feed_watchdog(void *arg)
{
	const struct serve *s = arg;

	if (s->is_watchdog)
		sd_notify(0, "WATCHDOG=1");
}

static void notify_status(struct serve *s)
{
	sd_notifyf(0,
	           "STATUS=serving %s: %" PRId64 " events added, %" PRId64
	           " lines rejected since start; %zu sources, %zu digests, %" PRId64 " reloads",
	           s->o->listen, s->events_added, s->rejected, s->n_src, s->o->cfg->n_digests,
	           s->reloads);
}

/* What a reload cannot change without a restart. */
static void warn_fixed(const struct config *old, const struct config *next)
{
	if (strcmp(old->http_listen, next->http_listen) != 0)
		log_warn("reload: http.listen changes at the next restart");
	if (strcmp(old->storage_path, next->storage_path) != 0)
		log_warn("reload: storage.path changes at the next restart");
}

static void reload(struct serve *s)
{
	struct config next;
	char err[8192];
	int fd;

	sd_notify(0, "RELOADING=1");
	if (config_load(&next, s->o->config_path, err, sizeof(err)) < 0) {
		log_err("reload: %s", err);
		log_err("reload: the configuration in use is kept");
		config_free(&next);
		sd_notify(0, "READY=1");
		return;
	}
	warn_fixed(s->o->cfg, &next);
	fd = stop_parts(s, 1);
	/* Nothing else runs now: the swap, the zone and the writer's functions are safe. */
	pthread_mutex_lock(&s->writer_lock);
	config_free(s->o->cfg);
	*s->o->cfg = next;
	if (config_apply_timezone(s->o->cfg) < 0)
		log_err("reload: unknown time zone '%s'", s->o->cfg->timezone);
	report_register_functions(store_db(s->o->st), s->o->cfg);
	pthread_mutex_unlock(&s->writer_lock);
	if (start_parts(s, fd, err, sizeof(err)) < 0) {
		log_err("reload: %s; stopping", err);
		*s->o->stop = 1;
		return;
	}
	s->reloads++;
	log_info("reloaded %s: %zu sources, %zu users, %zu digests",
	         s->o->config_path ? s->o->config_path : "(built-in defaults)", s->n_src,
	         s->o->cfg->n_users, s->o->cfg->n_digests);
	sd_notify(0, "READY=1");
	notify_status(s);
}

int serve_run(const struct serve_options *o)
{
	struct serve s;
	char err[512];
	uint64_t watchdog_us = 0;
	int rc = 0;

	memset(&s, 0, sizeof(s));
	s.o = o;
	pthread_mutex_init(&s.writer_lock, NULL);
	if (start_parts(&s, -1, err, sizeof(err)) < 0) {
		log_err("%s", err);
		stop_parts(&s, 0);
		return 1;
	}
	s.is_watchdog = sd_watchdog_enabled(0, &watchdog_us) > 0;
	log_info("serving %s://%s/ (dashboard; reports under /api/v1/report/)",
	         o->cfg->tls_cert ? "https" : "http", o->listen);
	if (s.n_src == 0)
		log_info("no log sources configured or found: nothing to watch");
	sd_notify(0, "READY=1");
	notify_status(&s);
	while (!*o->stop) {
		struct ingest_opts io = {o->cfg->developer, 0,  o->stop,
		                         feed_watchdog,     &s, o->cfg->tasks,
		                         o->cfg->n_tasks};
		struct ingest_stats stats;

		if (*o->reload) {
			*o->reload = 0;
			reload(&s);
			continue;
		}
		if (s.n_src > 0) {
			pthread_mutex_lock(&s.writer_lock);
			rc = ingest_run(o->st, s.src, s.n_src, &io, &stats);
			pthread_mutex_unlock(&s.writer_lock);
			if (rc < 0) {
				log_err("ingest: %s", store_errmsg(o->st));
				rc = 1;
				break;
			}
			if (stats.events_added > 0 || stats.rejected > 0 || stats.files_read > 0)
				http_data_changed(s.server);
			if (stats.events_added > 0 || stats.rejected > 0) {
				log_info("ingest: %" PRId64 " events added, %" PRId64
				         " lines rejected",
				         stats.events_added, stats.rejected);
				s.events_added += stats.events_added;
				s.rejected += stats.rejected;
				notify_status(&s);
			}
		}
		if (s.is_watchdog)
			sd_notify(0, "WATCHDOG=1");
		/* Memory freed after a burst of connections goes back to the system. */
		if (++s.loops % 10 == 0)
			malloc_trim(0);
		if (!*o->reload)
			watch_wait(s.watch, 1000, o->stop);
	}
	sd_notify(0, "STOPPING=1");
	log_info("stopping");
	stop_parts(&s, 0);
	pthread_mutex_destroy(&s.writer_lock);
	return rc;
}
