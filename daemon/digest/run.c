/*
 * run.c - sending digests exactly once.
 *
 * A (digest, period, recipient) row is written when the server accepted the
 * message, so a restart or a crash never sends a period twice; the one gap
 * left (a crash between the server's "250" and the commit) sends it again
 * with the same Message-ID, which lets mail systems drop the copy. Failures
 * wait retry_first, then twice as long each time up to retry_max; a 5xx
 * refusal is final, and so is any failure once the next firing is due.
 */
#include "run.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../lib/calendar.h"
#include "../../reports/digest.h"
#include "../../reports/report.h"
#include "../lib/log.h"
#include "mailer.h"
#include "../store/store.h"
#include "../lib/util.h"

/* The statements of the digest tables, prepared once per connection. */
enum { Q_STATE, Q_RECORD, Q_SEEN_GET, Q_SEEN_ADD, Q_OLDER_ANY, Q_OLDER_FAIL, Q_COUNT };

static const char *const q_sql[Q_COUNT] = {
    [Q_STATE] = "SELECT status, attempts, coalesce(next_try, 0) FROM digest_runs "
                "WHERE digest = ?1 AND period = ?2 AND recipient = ?3",
    [Q_RECORD] = "INSERT INTO digest_runs (digest, period, recipient, status, attempts, "
                 "next_try, last_error, sent_at, message_id, updated_at) VALUES (?1, ?2, ?3, "
                 "?4, ?5, ?6, ?7, CASE WHEN ?4 = 'sent' THEN ?9 END, ?8, ?9) "
                 "ON CONFLICT (digest, period, recipient) DO UPDATE SET "
                 "status = excluded.status, attempts = excluded.attempts, "
                 "next_try = excluded.next_try, last_error = excluded.last_error, "
                 "sent_at = excluded.sent_at, message_id = excluded.message_id, "
                 "updated_at = excluded.updated_at",
    [Q_SEEN_GET] = "SELECT first_seen FROM digest_state WHERE digest = ?1",
    [Q_SEEN_ADD] = "INSERT OR IGNORE INTO digest_state (digest, first_seen) VALUES (?1, ?2)",
    [Q_OLDER_ANY] = "SELECT 1 FROM digest_runs WHERE digest = ?1 AND period <> ?2 AND "
                    "status = 'retrying' LIMIT 1",
    [Q_OLDER_FAIL] = "UPDATE digest_runs SET status = 'failed', next_try = NULL, "
                     "updated_at = ?3, last_error = 'gave up when the next digest was due: ' "
                     "|| coalesce(last_error, '') "
                     "WHERE digest = ?1 AND period <> ?2 AND status = 'retrying'",
};

struct digest_sql {
	sqlite3 *db;
	sqlite3_stmt *q[Q_COUNT];
};

struct digest_sql *digest_sql_open(sqlite3 *db)
{
	struct digest_sql *x = calloc(1, sizeof(*x));

	if (x == NULL)
		return NULL;
	x->db = db;
	for (int i = 0; i < Q_COUNT; i++)
		if (sqlite3_prepare_v3(db, q_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &x->q[i],
		                       NULL) != SQLITE_OK) {
			log_err("digests: %s", sqlite3_errmsg(db));
			digest_sql_close(x);
			return NULL;
		}
	return x;
}

void digest_sql_close(struct digest_sql *x)
{
	if (x == NULL)
		return;
	for (int i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(x->q[i]);
	free(x);
}

/* The statement, bound to a digest's name (and a period when given), ready to step. */
static sqlite3_stmt *query(struct digest_sql *x, int which, const char *digest, const char *period)
{
	sqlite3_stmt *s = x->q[which];

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	sqlite3_bind_text(s, 1, digest, -1, SQLITE_STATIC);
	if (period)
		sqlite3_bind_text(s, 2, period, -1, SQLITE_STATIC);
	return s;
}

/* A person's digest or a listed address, for one period. */
struct target {
	const struct person *person; /* SCOPE_PERSONAL */
	const char *address;
};

/* The period of d's firing at due, and the one before it. */
static void period_at(const struct digest *d, int64_t due, struct digest_period *p)
{
	sched_period(&d->schedule, due, &p->from, &p->to);
	sched_period(&d->schedule, sched_last_due(&d->schedule, due - 1), &p->prev_from,
	             &p->prev_to);
}

void digest_latest_period(const struct digest *d, int64_t now, struct digest_period *p)
{
	period_at(d, sched_last_due(&d->schedule, now), p);
}

int digest_parse_period(const char *text, struct digest_period *p)
{
	char from[11], to[11];
	const char *dots = strstr(text, "..");
	int y;
	unsigned m, d;

	if (strlen(text) == 7 && text[4] == '-') {
		char prev[8];

		if (report_period_bounds(text, NULL, from, to) < 0)
			return -1;
		cal_day_of(from, &p->from);
		cal_day_of(to, &p->to);
		cal_month_of_day(p->from - 1, prev);
		if (report_period_bounds(prev, NULL, from, to) < 0)
			return -1;
		cal_day_of(from, &p->prev_from);
		cal_day_of(to, &p->prev_to);
		return 0;
	}
	if (dots && dots - text == 10 && strlen(dots + 2) == 10) {
		snprintf(from, sizeof(from), "%.10s", text);
		snprintf(to, sizeof(to), "%s", dots + 2);
	} else if (strlen(text) == 10) {
		snprintf(from, sizeof(from), "%s", text);
		snprintf(to, sizeof(to), "%s", text);
	} else {
		return -1;
	}
	if (parse_date(from, &y, &m, &d) < 0 || parse_date(to, &y, &m, &d) < 0 ||
	    cal_day_of(from, &p->from) < 0 || cal_day_of(to, &p->to) < 0 || p->to < p->from)
		return -1;
	p->prev_to = p->from - 1;
	p->prev_from = p->prev_to - (p->to - p->from);
	return 0;
}

/* Whether a seat of p is held on some day of [from, to]. */
static int has_seat(const struct person *p, int64_t from, int64_t to)
{
	for (size_t i = 0; i < p->n_seats; i++)
		if (p->seats[i].since <= to && p->seats[i].until >= from)
			return 1;
	return 0;
}

/* Who d goes to over [from, to]; *out is allocated. */
static size_t targets(const struct config *cfg, const struct digest *d,
                      const struct digest_period *p, struct target **out)
{
	size_t n = 0;

	*out = calloc(cfg->n_people + d->n_to + 1, sizeof(**out));
	if (*out == NULL)
		return 0;
	if (d->scope != SCOPE_PERSONAL) {
		for (size_t i = 0; i < d->n_to; i++)
			(*out)[n++].address = d->to[i];
		return n;
	}
	for (size_t i = 0; i < cfg->n_people; i++) {
		const struct person *who = &cfg->people[i];

		if (!has_seat(who, p->from, p->to))
			continue;
		if (config_person_address(who) == NULL) {
			log_debug("digest %s: %s has no e-mail address (people[].email)", d->name,
			          who->id);
			continue;
		}
		(*out)[n].person = who;
		(*out)[n++].address = config_person_address(who);
	}
	return n;
}

static void period_key(const struct digest_period *p, char out[24])
{
	char from[11], to[11];

	cal_day_text(p->from, from);
	cal_day_text(p->to, to);
	snprintf(out, 24, "%s..%s", from, to);
}

int digest_preview(sqlite3 *db, const struct config *cfg, const struct digest *d,
                   const struct digest_period *p, const char *person, int is_text, struct buf *out,
                   char *err, size_t errlen)
{
	const struct person *who = NULL;
	struct digest_report r;

	if (d->scope == SCOPE_PERSONAL) {
		who = person ? config_person(cfg, person) : NULL;
		if (who == NULL) {
			snprintf(err, errlen,
			         person
			             ? "'%s' is not in people[] (ids and aliases)"
			             : "a personal digest needs --person ID: whose report to show",
			         person);
			return -1;
		}
	}
	if (digest_build(db, cfg, d, who, p->from, p->to, p->prev_from, p->prev_to, &r, err,
	                 errlen) < 0)
		return -1;
	if (is_text)
		render_email_text(&r, out);
	else
		render_email_html(&r, out);
	digest_free(&r);
	return 0;
}

/* The state of one recipient's row, or "" when there is none. */
static void run_state(struct digest_sql *x, const char *digest, const char *period, const char *to,
                      char status[16], int64_t *attempts, int64_t *next_try)
{
	sqlite3_stmt *s = query(x, Q_STATE, digest, period);

	status[0] = '\0';
	*attempts = 0;
	*next_try = 0;
	sqlite3_bind_text(s, 3, to, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		snprintf(status, 16, "%s", (const char *)sqlite3_column_text(s, 0));
		*attempts = sqlite3_column_int64(s, 1);
		*next_try = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
}

static int record(struct digest_sql *x, const char *digest, const char *period, const char *to,
                  const char *status, int64_t attempts, int64_t next_try, const char *error,
                  const char *message_id, int64_t now)
{
	sqlite3_stmt *s = query(x, Q_RECORD, digest, period);
	int rc;

	sqlite3_bind_text(s, 3, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, attempts);
	if (next_try > 0)
		sqlite3_bind_int64(s, 6, next_try);
	if (error)
		sqlite3_bind_text(s, 7, error, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, message_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 9, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Builds, renders and sends one message; records what happened. */
static void send_one(struct digest_sql *x, const struct config *cfg, const struct digest *d,
                     const struct digest_period *p, const struct target *t, int64_t attempts,
                     int64_t now, struct digest_stats *stats)
{
	struct buf subject = BUF_INIT, text = BUF_INIT, html = BUF_INIT;
	struct digest_report r;
	char period[24], err[512], domain[256], message_id[400];
	struct mail_message m;
	enum mail_result res;
	uint64_t h;

	period_key(p, period);
	if (digest_build(x->db, cfg, d, t->person, p->from, p->to, p->prev_from, p->prev_to, &r,
	                 err, sizeof(err)) < 0) {
		log_err("digest %s for %s: %s", d->name, t->address, err);
		return;
	}
	render_email_subject(&r, &subject);
	render_email_text(&r, &text);
	if (!d->is_text_only)
		render_email_html(&r, &html);
	digest_free(&r);
	mailer_address(cfg->smtp.from, domain, sizeof(domain));
	h = hash64_str(t->address, hash64_str(period, hash64_str(d->name, 0)));
	snprintf(message_id, sizeof(message_id), "<payback.%s.%016" PRIx64 "@%s>", period, h,
	         strchr(domain, '@') ? strchr(domain, '@') + 1 : "payback.invalid");
	m.to = t->address;
	m.to_name = t->person ? t->person->name : NULL;
	m.subject = subject.data;
	m.text = text.data;
	m.html = d->is_text_only ? NULL : html.data;
	m.message_id = message_id;
	res = mailer_send(&cfg->smtp, &m, err, sizeof(err));
	attempts++;
	if (res == MAIL_SENT) {
		record(x, d->name, period, t->address, "sent", attempts, 0, NULL, message_id, now);
		log_info("digest %s (%s) sent to %s", d->name, period, t->address);
		stats->sent++;
	} else if (res == MAIL_REJECTED) {
		record(x, d->name, period, t->address, "failed", attempts, 0, err, message_id, now);
		log_err("digest %s (%s) to %s refused for good: %s", d->name, period, t->address,
		        err);
		stats->failed++;
	} else {
		int64_t wait = cfg->smtp.retry_first_s;

		for (int64_t i = 1; i < attempts && wait < cfg->smtp.retry_max_s; i++)
			wait *= 2;
		if (wait > cfg->smtp.retry_max_s)
			wait = cfg->smtp.retry_max_s;
		record(x, d->name, period, t->address, "retrying", attempts, now + wait, err,
		       message_id, now);
		log_warn("digest %s (%s) to %s failed (try %" PRId64 "), next try in %" PRId64
		         " s: %s",
		         d->name, period, t->address, attempts, wait, err);
		stats->retrying++;
	}
	buf_free(&subject);
	buf_free(&text);
	buf_free(&html);
}

/*
 * When the daemon first knew digest name (now, if this is the first time).
 * Read first: the scheduler asks every second, and a read takes no write lock.
 */
static int64_t first_seen(struct digest_sql *x, const char *name, int64_t now)
{
	sqlite3_stmt *s = query(x, Q_SEEN_GET, name, NULL);
	int64_t at = now;

	if (sqlite3_step(s) == SQLITE_ROW) {
		at = sqlite3_column_int64(s, 0);
	} else {
		sqlite3_reset(s);
		s = query(x, Q_SEEN_ADD, name, NULL);
		sqlite3_bind_int64(s, 2, now);
		sqlite3_step(s);
	}
	sqlite3_reset(s);
	return at;
}

/* Retries of an earlier period end when the next firing is due. */
static void give_up_older(struct digest_sql *x, const char *digest, const char *period, int64_t now)
{
	sqlite3_stmt *s = query(x, Q_OLDER_ANY, digest, period);
	int is_any = sqlite3_step(s) == SQLITE_ROW;

	sqlite3_reset(s);
	if (!is_any)
		return; /* nothing to give up: no write, no lock */
	s = query(x, Q_OLDER_FAIL, digest, period);
	sqlite3_bind_int64(s, 3, now);
	if (sqlite3_step(s) == SQLITE_DONE && sqlite3_changes(x->db) > 0)
		log_warn("digest %s: gave up retrying an earlier period", digest);
	sqlite3_reset(s);
}

int digest_run_due(struct digest_sql *x, const struct config *cfg, int64_t now, volatile int *stop,
                   struct digest_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	for (size_t i = 0; i < cfg->n_digests && !*stop; i++) {
		const struct digest *d = &cfg->digests[i];
		int64_t due = sched_last_due(&d->schedule, now);
		struct digest_period p;
		struct target *t;
		char period[24];
		size_t n;

		if (due == 0 || due < first_seen(x, d->name, now))
			continue;
		period_at(d, due, &p);
		period_key(&p, period);
		give_up_older(x, d->name, period, now);
		n = targets(cfg, d, &p, &t);
		for (size_t k = 0; k < n && !*stop; k++) {
			char status[16];
			int64_t attempts, next_try;

			run_state(x, d->name, period, t[k].address, status, &attempts, &next_try);
			if (strcmp(status, "sent") == 0 || strcmp(status, "failed") == 0 ||
			    (strcmp(status, "retrying") == 0 && next_try > now))
				continue;
			send_one(x, cfg, d, &p, &t[k], attempts, now, stats);
		}
		free(t);
	}
	return 0;
}

int digest_send_now(struct digest_sql *x, const struct config *cfg, const struct digest *d,
                    const struct digest_period *p, struct digest_stats *stats)
{
	struct target *t;
	size_t n = targets(cfg, d, p, &t);

	memset(stats, 0, sizeof(*stats));
	if (n == 0)
		log_warn("digest %s has no recipients for this period", d->name);
	for (size_t k = 0; k < n; k++)
		send_one(x, cfg, d, p, &t[k], 0, (int64_t)time(NULL), stats);
	free(t);
	return stats->retrying + stats->failed > 0 ? -1 : 0;
}

struct digest_runner {
	pthread_t thread;
	const struct config *cfg;
	struct store *st;
	struct digest_sql *sql;
	volatile int stop;
};

static void *runner_main(void *arg)
{
	struct digest_runner *r = arg;

	while (!r->stop) {
		struct digest_stats stats;

		digest_run_due(r->sql, r->cfg, (int64_t)time(NULL), &r->stop, &stats);
		for (int i = 0; i < 10 && !r->stop; i++) {
			struct timespec tick = {0, 100000000L};

			nanosleep(&tick, NULL);
		}
	}
	return NULL;
}

struct digest_runner *digest_runner_start(const struct config *cfg, const char *db_path, char *err,
                                          size_t errlen)
{
	struct digest_runner *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->cfg = cfg;
	if (store_open(&r->st, db_path, err, errlen) < 0) {
		free(r);
		return NULL;
	}
	if (report_register_functions(store_db(r->st), cfg) < 0 ||
	    (r->sql = digest_sql_open(store_db(r->st))) == NULL ||
	    pthread_create(&r->thread, NULL, runner_main, r) != 0) {
		snprintf(err, errlen, "cannot start the digest scheduler");
		digest_sql_close(r->sql);
		store_close(r->st);
		free(r);
		return NULL;
	}
	return r;
}

void digest_runner_stop(struct digest_runner *r)
{
	if (r == NULL)
		return;
	r->stop = 1;
	pthread_join(r->thread, NULL);
	digest_sql_close(r->sql);
	store_close(r->st);
	free(r);
}
