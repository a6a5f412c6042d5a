/*
 * main.c - the paybackd command line.
 *
 *   paybackd [-c FILE] [--db PATH] [-v|-q] COMMAND [ARGS]
 *
 * Exit status: 0 success, 1 an error (configuration, I/O, database),
 * 2 a usage error. Scripts may rely on these.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../reports/saved.h"
#include "../reports/report.h"
#include "../reports/section.h"
#include "../reports/unpriced.h"
#include "lib/arena.h"
#include "lib/buf.h"
#include "config/config.h"
#include "digest/run.h"
#include "http/server.h"
#include "ingest/ingest.h"
#include "ingest/parser.h"
#include "lib/log.h"
#include "http/passwd.h"
#include "serve.h"
#include "store/store.h"
#include "lib/util.h"
#include "watch.h"

#define EXIT_USAGE 2

#ifndef PAYBACK_VERSION
#define PAYBACK_VERSION "0.1.0"
#endif

struct globals {
	const char *config_path;
	const char *db_path;
	int verbosity;
	struct config cfg;
};

static volatile int stop_requested, reload_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(FILE *fp)
{
	fputs("usage: paybackd [-c FILE] [--db PATH] [-v|-q] COMMAND [ARGS]\n"
	      "\n"
	      "commands:\n"
	      "  ingest [--format auto|native|claude-code|codex] [--developer ID]\n"
	      "         [--tool NAME] [--threads N] [PATH...]\n"
	      "                     read new lines of log files (default: configured sources,\n"
	      "                     else the local Claude Code and Codex logs)\n"
	      "  report [SECTION] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
	      "         [--period YYYY-MM | --last Nd] [--by KEYS] [--format text|csv|json]\n"
	      "                     SECTION: usage (totals by KEYS from developer, team,\n"
	      "                     tool, model, project, task, day, week, month; default\n"
	      "                     day), overview (costs, hours saved, ROI), models,\n"
	      "                     compare (models per task), developers, teams, seats\n"
	      "                     (advice per seat)\n"
	      "  rejects [--limit N] [--format text|json]\n"
	      "                     lines that could not be used, with the reason\n"
	      "  serve [--listen ADDR:PORT]\n"
	      "                     watch the sources and serve the dashboard, the report\n"
	      "                     API and the ingest endpoints (default http.listen,\n"
	      "                     127.0.0.1:8470)\n"
	      "  digest NAME [--preview [--text] | --send-now] [--period PERIOD]\n"
	      "         [--person ID]\n"
	      "                     show (HTML, or --text) or send a configured digest;\n"
	      "                     PERIOD: YYYY-MM, YYYY-MM-DD or FROM..TO (default: the\n"
	      "                     period of its latest firing)\n"
	      "  backup PATH        a consistent copy of the database, safe while serving\n"
	      "  passwd             read a password on stdin, print its hash for users[]\n"
	      "  sources            what has been read of each file\n"
	      "  check              validate the configuration\n"
	      "  version            print the version\n",
	      fp);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("paybackd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'paybackd --help'.\n", stderr);
	return EXIT_USAGE;
}

/* A positive decimal count, or -1 for anything else ("12x", "", "-3"). */
static long parse_count(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	return errno || end == s || *end != '\0' || v < 1 ? -1 : v;
}

static int make_parent_dir(const char *path)
{
	char copy[4096], *dir, *p;

	snprintf(copy, sizeof(copy), "%s", path);
	dir = dirname(copy);
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0750) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(dir, 0750) < 0 && errno != EEXIST ? -1 : 0;
}

static int open_store(struct globals *g, struct store **st)
{
	const char *path = g->db_path ? g->db_path : g->cfg.storage_path;
	struct rollup_basis basis;
	char err[512];

	if (strcmp(path, ":memory:") != 0 && make_parent_dir(path) < 0) {
		log_err("%s: cannot create its folder: %s", path, strerror(errno));
		return -1;
	}
	if (store_open(st, path, err, sizeof(err)) < 0) {
		log_err("%s", err);
		return -1;
	}
	if (report_register_functions(store_db(*st), &g->cfg) < 0) {
		log_err("%s: cannot register report functions", path);
		store_close(*st);
		return -1;
	}
	saved_rollup_basis(&g->cfg, &basis);
	if (store_rollup_ensure(*st, &basis, err, sizeof(err)) < 0) {
		log_err("%s: %s", path, err);
		store_close(*st);
		return -1;
	}
	return 0;
}

/*
 * check: models the database holds with no price, which every dollar figure
 * counts as $0 (a warning: the configuration itself is valid).
 */
static void warn_unpriced(const struct globals *g)
{
	const char *path = g->db_path ? g->db_path : g->cfg.storage_path;
	struct unpriced_list unpriced = {NULL, 0};
	sqlite3 *db = NULL;

	if (strcmp(path, ":memory:") == 0 || access(path, R_OK) != 0 ||
	    sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    unpriced_stored(db, &g->cfg, &unpriced) < 0) {
		sqlite3_close(db);
		return;
	}
	for (size_t i = 0; i < unpriced.n; i++)
		log_warn(
		    "%s: no price for model '%s' (%lld requests stored): add it under 'models'",
		    path, unpriced.items[i].model, (long long)unpriced.items[i].requests);
	unpriced_free(&unpriced);
	sqlite3_close(db);
}

static void print_thousands(FILE *fp, int64_t v)
{
	char digits[32];
	size_t len;

	snprintf(digits, sizeof(digits), "%" PRId64, v);
	len = strlen(digits);
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0 && digits[i - 1] != '-')
			fputc(',', fp);
		fputc(digits[i], fp);
	}
}

static int cmd_ingest(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"format", required_argument, NULL, 'f'}, {"developer", required_argument, NULL, 'd'},
	    {"tool", required_argument, NULL, 't'},   {"threads", required_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	const char *format = NULL, *developer = NULL, *tool = NULL;
	struct ingest_source *src = NULL;
	struct ingest_stats stats;
	struct ingest_opts io = {g->cfg.developer, 0, &stop_requested, NULL, NULL, g->cfg.tasks,
	                         g->cfg.n_tasks};
	char(*paths)[4096] = NULL;
	struct store *st = NULL;
	size_t n_src = 0;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "f:d:t:j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format = optarg;
			if (strcmp(format, "auto") != 0 && format_by_name(format) == NULL)
				return usage_error("ingest: unknown format '%s' (expected auto, "
				                   "native, claude-code or codex)",
				                   format);
			break;
		case 'd':
			developer = optarg;
			break;
		case 't':
			tool = optarg;
			break;
		case 'j':
			io.threads = (int)parse_count(optarg);
			if (io.threads < 1 || io.threads > 64)
				return usage_error("ingest: --threads must be 1 to 64, not '%s'",
				                   optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		n_src = (size_t)(argc - optind);
		src = calloc(n_src, sizeof(*src));
		if (src == NULL)
			return 1;
		for (size_t i = 0; i < n_src; i++) {
			src[i].path = argv[optind + (int)i];
			src[i].format = format;
			src[i].developer = developer;
			src[i].tool = tool;
		}
	} else {
		if (config_ingest_sources(&g->cfg, &src, &n_src, &paths) < 0)
			return 1;
		for (size_t i = 0; i < n_src; i++) {
			if (format)
				src[i].format = format;
			if (developer || paths)
				src[i].developer = developer;
			if (tool || paths)
				src[i].tool = tool;
		}
		if (n_src == 0) {
			log_err("nothing to ingest: no PATH given, no sources configured, and no "
			        "~/.claude/projects or ~/.codex/sessions here");
			free(src);
			free(paths);
			return 1;
		}
	}
	if (open_store(g, &st) < 0) {
		free(src);
		free(paths);
		return 1;
	}
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	rc = ingest_run(st, src, n_src, &io, &stats);
	store_close(st);
	free(src);
	free(paths);
	printf("ingest: %" PRId64 " files (%" PRId64 " read), ", stats.files, stats.files_read);
	print_thousands(stdout, stats.lines);
	printf(" lines, ");
	print_thousands(stdout, stats.events_added);
	printf(" events added, ");
	print_thousands(stdout, stats.duplicates);
	printf(" duplicates, ");
	print_thousands(stdout, stats.rejected);
	printf(" rejected in %.2f s%s\n", stats.seconds, stop_requested ? " (stopped early)" : "");
	if (stats.rejected > 0)
		printf("ingest: see 'paybackd rejects' for the rejected lines\n");
	return rc == 0 ? 0 : 1;
}

static int cmd_report(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"from", required_argument, NULL, 'f'},   {"to", required_argument, NULL, 't'},
	    {"by", required_argument, NULL, 'b'},     {"format", required_argument, NULL, 'o'},
	    {"period", required_argument, NULL, 'p'}, {"last", required_argument, NULL, 'l'},
	    {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	struct report_query q;
	struct report r;
	struct store *st = NULL;
	struct buf out = BUF_INIT;
	const char *format = "text", *section = "usage", *period = NULL, *last = NULL;
	char err[512], from[11], to[11];
	int c, rc = 0, y, is_by = 0;
	unsigned m, d;

	memset(&q, 0, sizeof(q));
	q.keys[0] = KEY_DAY;
	q.n_keys = 1;
	optind = 0;
	while ((c = getopt_long(argc, argv, "f:t:b:o:p:l:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
		case 't':
			if (parse_date(optarg, &y, &m, &d) < 0)
				return usage_error("report: --%s '%s' is not a date (YYYY-MM-DD)",
				                   c == 'f' ? "from" : "to", optarg);
			*(c == 'f' ? &q.from : &q.to) = optarg;
			break;
		case 'p':
			period = optarg;
			break;
		case 'l':
			last = optarg;
			break;
		case 'b':
			if (report_parse_keys(&q, optarg, err, sizeof(err)) < 0)
				return usage_error("report: %s", err);
			is_by = 1;
			break;
		case 'o':
			if (strcmp(optarg, "text") != 0 && strcmp(optarg, "csv") != 0 &&
			    strcmp(optarg, "json") != 0)
				return usage_error(
				    "report: unknown format '%s' (expected text, csv "
				    "or json)",
				    optarg);
			format = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		section = argv[optind++];
		if (strcmp(section, "usage") != 0 && !report_is_section(section))
			return usage_error(
			    "report: unknown section '%s' (expected usage, overview, "
			    "models, compare, developers, teams or seats)",
			    section);
	}
	if (optind < argc)
		return usage_error("report: unexpected argument '%s'", argv[optind]);
	if (is_by && strcmp(section, "usage") != 0)
		return usage_error("report: --by groups the usage section, not '%s'", section);
	if ((period || last) && (q.from || q.to || (period && last)))
		return usage_error("report: use one of --from/--to, --period and --last%s", "");
	if ((period || last) && report_period_bounds(period, last, from, to) < 0)
		return usage_error("report: '%s' is not %s", period ? period : last,
		                   period ? "a month (YYYY-MM)" : "a number of days (7d)");
	if (period || last) {
		q.from = from;
		q.to = to;
	}
	if (q.from && q.to && strcmp(q.from, q.to) > 0)
		return usage_error("report: --from is after --to (%s)", q.from);
	if (open_store(g, &st) < 0)
		return 1;
	if (strcmp(section, "usage") == 0) {
		if (report_usage(store_db(st), &g->cfg, &q, &r, err, sizeof(err)) < 0) {
			log_err("%s", err);
			store_close(st);
			return 1;
		}
		if (report_apply_privacy(&g->cfg, &r, err, sizeof(err)) < 0) {
			log_err("report: %s", err);
			report_free(&r);
			store_close(st);
			return 1;
		}
		if (strcmp(format, "csv") == 0)
			render_csv_usage(&r, &out);
		else if (strcmp(format, "json") == 0)
			render_json_usage(&r, &out);
		else
			render_text_usage(&r, &out);
		report_free(&r);
	} else {
		enum report_format f = strcmp(format, "csv") == 0    ? FORMAT_CSV
		                       : strcmp(format, "json") == 0 ? FORMAT_JSON
		                                                     : FORMAT_TEXT;

		if (report_run_section(section, store_db(st), &g->cfg, q.from, q.to, f, &out, err,
		                       sizeof(err)) < 0) {
			log_err("%s", err);
			buf_free(&out);
			store_close(st);
			return 1;
		}
	}
	if (out.len && fwrite(out.data, 1, out.len, stdout) != out.len)
		rc = 1;
	buf_free(&out);
	store_close(st);
	return rc;
}

static int cmd_rejects(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"limit", required_argument, NULL, 'n'},
	    {"format", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct store *st;
	sqlite3_stmt *s;
	long limit = 100;
	int c, is_json = 0, first = 1;
	struct buf out = BUF_INIT;

	optind = 0;
	while ((c = getopt_long(argc, argv, "n:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			limit = parse_count(optarg);
			if (limit < 1)
				return usage_error(
				    "rejects: --limit must be a positive number, not "
				    "'%s'",
				    optarg);
			break;
		case 'o':
			if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0)
				return usage_error("rejects: unknown format '%s' (expected text or "
				                   "json)",
				                   optarg);
			is_json = strcmp(optarg, "json") == 0;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return EXIT_USAGE;
		}
	}
	if (open_store(g, &st) < 0)
		return 1;
	if (sqlite3_prepare_v2(store_db(st),
	                       "SELECT f.path, r.line_no, r.reason, coalesce(r.excerpt, '') "
	                       "FROM reject r JOIN source_file f ON f.id = r.source_id "
	                       "ORDER BY f.path, r.line_no LIMIT ?1",
	                       -1, &s, NULL) != SQLITE_OK) {
		log_err("%s", store_errmsg(st));
		store_close(st);
		return 1;
	}
	sqlite3_bind_int64(s, 1, limit);
	if (is_json)
		buf_puts(&out, "[");
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(s, 0);
		const char *reason = (const char *)sqlite3_column_text(s, 2);
		const char *excerpt = (const char *)sqlite3_column_text(s, 3);
		int64_t line = sqlite3_column_int64(s, 1);

		if (is_json) {
			buf_puts(&out, first ? "\n {\"source\": " : ",\n {\"source\": ");
			buf_append_json(&out, path);
			buf_printf(&out, ", \"line\": %" PRId64 ", \"reason\": ", line);
			buf_append_json(&out, reason);
			buf_puts(&out, ", \"excerpt\": ");
			buf_append_json(&out, excerpt);
			buf_putc(&out, '}');
		} else {
			buf_printf(&out, "%s:%" PRId64 ": %s\n", path, line, reason);
		}
		first = 0;
	}
	if (is_json)
		buf_puts(&out, first ? "]\n" : "\n]\n");
	sqlite3_finalize(s);
	if (out.len)
		fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	store_close(st);
	return 0;
}

static void on_reload(int sig)
{
	(void)sig;
	reload_requested = 1;
}

static int cmd_serve(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"listen", required_argument, NULL, 'l'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct serve_options so;
	struct sockaddr_storage addr;
	char listen[256];
	socklen_t len;
	int c, rc;

	snprintf(listen, sizeof(listen), "%s", g->cfg.http_listen);
	optind = 0;
	while ((c = getopt_long(argc, argv, "l:h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			snprintf(listen, sizeof(listen), "%s", optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return usage_error("serve: unexpected argument '%s'", argv[optind]);
	if (http_parse_listen(listen, &addr, &len) < 0)
		return usage_error("serve: '%s' is not ADDR:PORT", listen);
	memset(&so, 0, sizeof(so));
	/* This thread writes; requests open their own read-only connections. */
	if (open_store(g, &so.st) < 0)
		return 1;
	/* A thread per connection: without a cap, glibc gives many of them an
	 * arena of their own, and RSS grows with the number of connections. */
	mallopt(M_ARENA_MAX, 2);
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	signal(SIGHUP, on_reload);
	so.cfg = &g->cfg;
	so.config_path = g->config_path;
	so.db_path = g->db_path ? g->db_path : g->cfg.storage_path;
	so.listen = listen;
	so.stop = &stop_requested;
	so.reload = &reload_requested;
	rc = serve_run(&so);
	store_close(so.st);
	log_info("stopped");
	return rc;
}

static int cmd_digest(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"preview", no_argument, NULL, 'p'},
	    {"send-now", no_argument, NULL, 's'},
	    {"text", no_argument, NULL, 't'},
	    {"period", required_argument, NULL, 'P'},
	    {"person", required_argument, NULL, 'w'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *period = NULL, *person = NULL;
	const struct digest *d;
	struct digest_period p;
	struct store *st;
	struct buf out = BUF_INIT;
	char err[512];
	int c, is_preview = 0, is_send = 0, is_text = 0, rc = 0;

	optind = 0;
	while ((c = getopt_long(argc, argv, "pstP:w:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			is_preview = 1;
			break;
		case 's':
			is_send = 1;
			break;
		case 't':
			is_text = 1;
			break;
		case 'P':
			period = optarg;
			break;
		case 'w':
			person = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc)
		return usage_error(
		    "digest: give one digest NAME (from digests[] of the configuration)");
	if (is_preview == is_send)
		return usage_error("digest: use one of --preview and --send-now");
	d = config_digest(&g->cfg, argv[optind]);
	if (d == NULL)
		return usage_error("digest: no digest named '%s' in %s", argv[optind],
		                   g->cfg.file ? g->cfg.file : "the configuration");
	if (period && digest_parse_period(period, &p) < 0)
		return usage_error("digest: '%s' is not a period (YYYY-MM, YYYY-MM-DD or "
		                   "YYYY-MM-DD..YYYY-MM-DD)",
		                   period);
	if (period == NULL)
		digest_latest_period(d, (int64_t)time(NULL), &p);
	if (open_store(g, &st) < 0)
		return 1;
	if (is_preview) {
		if (digest_preview(store_db(st), &g->cfg, d, &p, person, is_text, &out, err,
		                   sizeof(err)) < 0) {
			log_err("digest %s: %s", d->name, err);
			rc = 1;
		} else if (fwrite(out.data, 1, out.len, stdout) != out.len) {
			rc = 1;
		}
	} else {
		struct digest_stats stats;
		struct digest_sql *sql = digest_sql_open(store_db(st));

		rc = sql == NULL || digest_send_now(sql, &g->cfg, d, &p, &stats) < 0 ? 1 : 0;
		digest_sql_close(sql);
		if (sql == NULL)
			memset(&stats, 0, sizeof(stats));
		printf("digest %s: %d sent, %d to retry, %d refused\n", d->name, stats.sent,
		       stats.retrying, stats.failed);
	}
	buf_free(&out);
	store_close(st);
	return rc;
}

/*
 * SQLite's online backup: pages are copied in steps, and a write by the
 * daemon in between restarts the copy, so the result is always one
 * consistent state. The copy is written beside PATH and renamed into place.
 */
static int cmd_backup(struct globals *g, int argc, char **argv)
{
	const char *src = g->db_path ? g->db_path : g->cfg.storage_path;
	char tmp[4200];
	sqlite3 *from = NULL, *to = NULL;
	sqlite3_backup *b;
	int rc;

	if (argc != 2 || argv[1][0] == '-')
		return usage_error("backup: give the PATH of the copy");
	if (access(src, R_OK) != 0) {
		log_err("%s: %s", src, strerror(errno));
		return 1;
	}
	snprintf(tmp, sizeof(tmp), "%s.part", argv[1]);
	unlink(tmp);
	if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_open_v2(tmp, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	        SQLITE_OK) {
		log_err("backup: %s", sqlite3_errmsg(from && to ? to : from));
		sqlite3_close(from);
		sqlite3_close(to);
		return 1;
	}
	sqlite3_busy_timeout(from, 10000);
	b = sqlite3_backup_init(to, "main", from, "main");
	if (b == NULL) {
		log_err("backup: %s", sqlite3_errmsg(to));
		rc = SQLITE_ERROR;
	} else {
		/* 1024 pages a step, a pause between: the daemon's writer is not held up. */
		while ((rc = sqlite3_backup_step(b, 1024)) == SQLITE_OK || rc == SQLITE_BUSY ||
		       rc == SQLITE_LOCKED)
			sqlite3_sleep(5);
		sqlite3_backup_finish(b);
	}
	if (rc == SQLITE_DONE)
		rc = sqlite3_exec(to, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		log_err("backup: %s", sqlite3_errstr(rc));
	sqlite3_close(from);
	sqlite3_close(to);
	if (rc == SQLITE_OK && rename(tmp, argv[1]) < 0) {
		log_err("backup: %s: %s", argv[1], strerror(errno));
		rc = SQLITE_ERROR;
	}
	if (rc != SQLITE_OK) {
		unlink(tmp);
		return 1;
	}
	printf("backup: %s is a copy of %s\n", argv[1], src);
	return 0;
}

static int cmd_sources(struct globals *g)
{
	struct store *st;
	sqlite3_stmt *s;

	if (open_store(g, &st) < 0)
		return 1;
	if (sqlite3_prepare_v2(store_db(st),
	                       "SELECT path, coalesce(format, '?'), coalesce(developer, '?'), "
	                       "offset, size, events, rejected FROM source_file ORDER BY path",
	                       -1, &s, NULL) != SQLITE_OK) {
		log_err("%s", store_errmsg(st));
		store_close(st);
		return 1;
	}
	while (sqlite3_step(s) == SQLITE_ROW)
		printf("%s\t%s\t%s\t%" PRId64 "/%" PRId64 " bytes\t%" PRId64 " events\t%" PRId64
		       " rejected\n",
		       sqlite3_column_text(s, 0), sqlite3_column_text(s, 1),
		       sqlite3_column_text(s, 2), (int64_t)sqlite3_column_int64(s, 3),
		       (int64_t)sqlite3_column_int64(s, 4), (int64_t)sqlite3_column_int64(s, 5),
		       (int64_t)sqlite3_column_int64(s, 6));
	sqlite3_finalize(s);
	store_close(st);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"db", required_argument, NULL, 'D'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	struct globals g;
	char err[8192];
	const char *cmd;
	int c, rc;

	memset(&g, 0, sizeof(g));
	/* Before any thread parses: parsers and receivers route cJSON into their arenas. */
	arena_cjson_hooks_install();
	/* '+' stops at the command name: its options are its own. */
	while ((c = getopt_long(argc, argv, "+c:D:vqhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			g.config_path = optarg;
			break;
		case 'D':
			g.db_path = optarg;
			break;
		case 'v':
			g.verbosity = 1;
			break;
		case 'q':
			g.verbosity = -1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			puts("paybackd " PAYBACK_VERSION);
			return 0;
		default:
			return EXIT_USAGE;
		}
	}
	log_init(g.verbosity);
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[optind];
	argc -= optind;
	argv += optind;
	if (strcmp(cmd, "version") == 0) {
		puts("paybackd " PAYBACK_VERSION);
		return 0;
	}
	if (strcmp(cmd, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "passwd") == 0)
		return argc > 1 ? usage_error("passwd: unexpected argument '%s'", argv[1])
		                : passwd_command();
	if (strcmp(cmd, "ingest") != 0 && strcmp(cmd, "report") != 0 &&
	    strcmp(cmd, "rejects") != 0 && strcmp(cmd, "sources") != 0 &&
	    strcmp(cmd, "check") != 0 && strcmp(cmd, "serve") != 0 && strcmp(cmd, "digest") != 0 &&
	    strcmp(cmd, "backup") != 0)
		return usage_error("unknown command '%s'", cmd);
	if (config_load(&g.cfg, g.config_path, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		config_free(&g.cfg);
		return 1;
	}
	if (config_apply_timezone(&g.cfg) < 0) {
		log_err("unknown time zone '%s'", g.cfg.timezone);
		config_free(&g.cfg);
		return 1;
	}
	if (strcmp(cmd, "check") == 0) {
		printf("%s: OK\n", g.config_path ? g.config_path : "(built-in defaults)");
		warn_unpriced(&g);
		rc = 0;
	} else if (strcmp(cmd, "ingest") == 0) {
		rc = cmd_ingest(&g, argc, argv);
	} else if (strcmp(cmd, "report") == 0) {
		rc = cmd_report(&g, argc, argv);
	} else if (strcmp(cmd, "serve") == 0) {
		rc = cmd_serve(&g, argc, argv);
	} else if (strcmp(cmd, "rejects") == 0) {
		rc = cmd_rejects(&g, argc, argv);
	} else if (strcmp(cmd, "digest") == 0) {
		rc = cmd_digest(&g, argc, argv);
	} else if (strcmp(cmd, "backup") == 0) {
		rc = cmd_backup(&g, argc, argv);
	} else {
		rc = cmd_sources(&g);
	}
	config_free(&g.cfg);
	return rc;
}
