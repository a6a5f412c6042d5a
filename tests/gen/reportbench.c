/*
 * reportbench.c - `make bench` for reports: fills a database with N
 * generated events through the real writer (so the rollup is kept as in
 * production), then times every report section over it.
 *
 *   reportbench --db PATH --config FILE [--events N] [--runs K]
 *
 * The events: 40 developers (the demo configuration's four among them, with
 * seats) over 92 days, five models on two tools, six tasks, sessions of 50
 * requests, latencies from 300 ms to two minutes, outcomes and edits.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "../../daemon/lib/buf.h"
#include "../../daemon/config/config.h"
#include "../../daemon/store/store.h"
#include "../../reports/saved.h"
#include "../../reports/report.h"
#include "../../reports/section.h"

#define DEVELOPERS 40
#define DAYS       92
#define SESSION    50

static uint64_t rng = 88172645463325252ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* splitmix64's finalizer: one to one, so distinct numbers stay distinct identities. */
static uint64_t spread(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int fill(struct store *st, long long n)
{
	static const char *const models[][2] = {
	    {"claude-code", "claude-sonnet-4-5"},
	    {"claude-code", "claude-opus-4-1"},
	    {"claude-code", "claude-haiku-4-5"},
	    {"codex", "codex-5.3-spark"},
	    {"codex", "chatgpt-5.5"},
	};
	static const char *const tasks[] = {"debug", "feature", "refactor",
	                                    "test",  "docs",    "review"};
	static char devs[DEVELOPERS][32], sessions[4096][24];
	static const char *const named[] = {"ana", "bruno", "chen", "dara"};
	/* 2026-08-24 to 2026-11-23, UTC. */
	const int64_t start_ms = 1787529600000LL, span_ms = (int64_t)DAYS * 86400000;
	struct store_counts c = {0, 0, 0};
	struct batch b;

	for (int d = 0; d < DEVELOPERS; d++)
		snprintf(devs[d], sizeof(devs[d]), "%s", d < 4 ? named[d] : "");
	for (int d = 4; d < DEVELOPERS; d++)
		snprintf(devs[d], sizeof(devs[d]), "dev%02d", d);
	memset(&b, 0, sizeof(b));
	for (long long i = 0; i < n; i++) {
		/* Sessions run in time order; each is one developer, one tool. */
		long long session = i / SESSION;
		uint64_t h = (uint64_t)session * 0x9e3779b97f4a7c15ULL;
		int dev = (int)((h >> 20) % DEVELOPERS), m = (int)((h >> 30) % 5);
		struct event *e = batch_add_event(&b);

		if (i % SESSION == 0)
			snprintf(sessions[session % 4096], sizeof(sessions[0]), "s%lld", session);
		e->id = spread((uint64_t)i + 1); /* as the parsers' hashed identities are */
		e->ts_ms = start_ms + (int64_t)((double)i / (double)n * (double)span_ms);
		e->developer = devs[dev];
		e->tool = models[m][0];
		e->model = models[m][1];
		e->task = tasks[(h >> 40) % 6];
		e->session = sessions[session % 4096];
		e->input_tokens = (int64_t)(next() % 4000);
		e->cache_read_tokens = (int64_t)(next() % 60000);
		e->cache_write_tokens = (int64_t)(next() % 3000);
		e->output_tokens = (int64_t)(next() % 1500);
		e->latency_ms = 300 + (int64_t)(next() % 120000) * (int64_t)(next() % 100) / 100;
		e->outcome = (enum outcome)(next() % 4);
		e->lines_added = (int64_t)(next() % 20);
		e->plan_used_pct = m >= 3 ? (double)(next() % 100) : -1;
		if (b.n_events == 5000 || i + 1 == n) {
			if (store_add_batch(st, 0, &b, &c) < 0)
				return -1;
			batch_reset(&b);
		}
	}
	batch_free(&b);
	fprintf(stderr, "reportbench: %lld events stored\n", (long long)c.added);
	return 0;
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	static const char *const sections[] = {"overview",   "models", "compare",
	                                       "developers", "teams",  "seats"};
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
	                                     {"config", required_argument, NULL, 'c'},
	                                     {"events", required_argument, NULL, 'n'},
	                                     {"runs", required_argument, NULL, 'r'},
	                                     {NULL, 0, NULL, 0}};
	const char *db = NULL, *config = NULL;
	long long n = 10000000;
	int runs = 9, o;
	struct config cfg;
	struct store *st;
	struct rusage ru;
	struct rollup_basis basis;
	char err[512];

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'd')
			db = optarg;
		else if (o == 'c')
			config = optarg;
		else if (o == 'n')
			n = atoll(optarg);
		else if (o == 'r')
			runs = atoi(optarg);
		else
			return 2;
	}
	if (db == NULL || config == NULL || runs < 1 || runs > 100) {
		fprintf(stderr,
		        "usage: reportbench --db PATH --config FILE [--events N] [--runs K]\n");
		return 2;
	}
	if (config_load(&cfg, config, err, sizeof(err)) < 0) {
		fprintf(stderr, "reportbench: %s\n", err);
		return 1;
	}
	saved_rollup_basis(&cfg, &basis);
	if (store_open(&st, db, err, sizeof(err)) < 0 ||
	    report_register_functions(store_db(st), &cfg) < 0 ||
	    store_rollup_ensure(st, &basis, err, sizeof(err)) < 0) {
		fprintf(stderr, "reportbench: %s\n", err);
		return 1;
	}
	if (n > 0) {
		double t = now_ms();

		if (fill(st, n) < 0) {
			fprintf(stderr, "reportbench: %s\n", store_errmsg(st));
			return 1;
		}
		fprintf(stderr, "reportbench: filled in %.1f s\n", (now_ms() - t) / 1000);
	}
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		for (int last30 = 0; last30 < 2; last30++) {
			double ms[100];
			size_t bytes = 0;

			for (int r = 0; r < runs; r++) {
				struct buf out = BUF_INIT;
				double t = now_ms();

				if (report_run_section(sections[i], store_db(st), &cfg,
				                       last30 ? "2026-10-25" : NULL,
				                       last30 ? "2026-11-23" : NULL, FORMAT_JSON,
				                       &out, err, sizeof(err)) < 0) {
					fprintf(stderr, "reportbench: %s: %s\n", sections[i], err);
					return 1;
				}
				ms[r] = now_ms() - t;
				bytes = out.len;
				buf_free(&out);
			}
			qsort(ms, (size_t)runs, sizeof(ms[0]), by_double);
			printf("report %-10s %-9s median %6.2f ms  max %6.2f ms  (%zu bytes of "
			       "JSON)\n",
			       sections[i], last30 ? "30 days" : "all days", ms[runs / 2],
			       ms[runs - 1], bytes);
		}
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS %.1f MiB\n", (double)ru.ru_maxrss / 1024);
	store_close(st);
	config_free(&cfg);
	return 0;
}
