/*
 * ingest.c - plans which files have new data, parses them on worker threads
 * and writes the results on the calling thread.
 *
 * Exactly once: a file's offset, line number and parser state are saved in
 * the transaction that stores the events read before that offset, so after a
 * crash the next run starts at the first line not committed. A file that was
 * truncated or replaced is read again from its start; the events' identities
 * make that re-read add nothing that is already stored.
 */
#include "ingest.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../store/store.h"
#include "../lib/util.h"
#include "parser.h"
#include "walk.h"

#define MAX_LINE     (1u << 20)            /* longer lines are rejected */
#define READ_BUF     (MAX_LINE * 2 + 4096) /* one full line always fits */
#define FP_LEN       4096                  /* bytes fingerprinted at a file's start */
#define CHUNK_EVENTS 8192
#define CHUNK_BYTES  (16u << 20)
/* Parsed chunks waiting for the writer: bounded by their events, so that a
 * run of small files can still fill the time the writer spends on a commit,
 * and by their number, as each holds an arena. */
#define QUEUE_EVENTS ((size_t)4 * CHUNK_EVENTS)
#define QUEUE_MAX    32
/* Events per transaction amid a backlog: the last transaction's commit (its
 * retry walk, rollup and merge) is work nothing else overlaps, and 20,000
 * measured 0.03-0.05 s faster than 40,000 on the bench corpus. */
#define COMMIT_EVENTS 20000

struct job {
	const char *path;
	const char *developer;
	const char *tool;
	const struct format *format; /* NULL: detect */
	struct stat sb;
	struct store_file prev; /* what the store knew; id 0 if nothing */
	int64_t start_offset, start_line;
	const char *start_state;
};

struct chunk {
	struct job *job;
	struct batch batch;
	const struct format *format;
	int64_t end_offset, end_line, lines, bytes;
	int64_t dev, ino, size, mtime_ns;
	uint64_t fp;
	int64_t fp_len;
	char *state;
	struct chunk *next;
};

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t can_put, can_get;
	struct job *jobs;
	size_t n_jobs, next_job;
	struct chunk *head, *tail;
	size_t queued, queued_events;
	/* Written chunks come back here to be filled again: reusing their
	 * arrays and arena spares the allocator (and the kernel) a lot of work. */
	struct chunk *spare;
	int workers_left;
	volatile int *stop;
	const struct task_rule *tasks; /* handed to every parser */
	size_t n_tasks;
};

static void chunk_free(struct chunk *c)
{
	if (c == NULL)
		return;
	batch_free(&c->batch);
	free(c->state);
	free(c);
}

static int is_stopping(struct pool *p)
{
	return p->stop && *p->stop;
}

static void queue_put(struct pool *p, struct chunk *c)
{
	pthread_mutex_lock(&p->lock);
	while (p->queued >= QUEUE_MAX ||
	       (p->queued > 0 && p->queued_events + c->batch.n_events > QUEUE_EVENTS))
		pthread_cond_wait(&p->can_put, &p->lock);
	c->next = NULL;
	if (p->tail)
		p->tail->next = c;
	else
		p->head = c;
	p->tail = c;
	p->queued++;
	p->queued_events += c->batch.n_events;
	pthread_cond_signal(&p->can_get);
	pthread_mutex_unlock(&p->lock);
}

/* Returns the next chunk, or NULL when every worker has finished. */
static struct chunk *queue_get(struct pool *p, int wait)
{
	struct chunk *c;

	pthread_mutex_lock(&p->lock);
	while (p->head == NULL && p->workers_left > 0 && wait)
		pthread_cond_wait(&p->can_get, &p->lock);
	c = p->head;
	if (c) {
		p->head = c->next;
		if (p->head == NULL)
			p->tail = NULL;
		p->queued--;
		p->queued_events -= c->batch.n_events;
		pthread_cond_broadcast(&p->can_put);
	}
	pthread_mutex_unlock(&p->lock);
	return c;
}

static int queue_is_done(struct pool *p)
{
	int done;

	pthread_mutex_lock(&p->lock);
	done = p->head == NULL && p->workers_left == 0;
	pthread_mutex_unlock(&p->lock);
	return done;
}

static struct job *next_job(struct pool *p)
{
	struct job *j = NULL;

	pthread_mutex_lock(&p->lock);
	if (p->next_job < p->n_jobs && !is_stopping(p))
		j = &p->jobs[p->next_job++];
	pthread_mutex_unlock(&p->lock);
	return j;
}

static uint64_t fingerprint(int fd, int64_t len)
{
	char buf[FP_LEN];
	ssize_t n = len > 0 ? pread(fd, buf, (size_t)len, 0) : 0;

	return n == len ? hash64(buf, (size_t)len, 0xf1) : 0;
}

/* Everything one worker needs while it reads one file. */
struct reader {
	struct pool *pool;
	struct job *job;
	struct chunk *chunk;
	const struct format *format;
	void *state;
	struct arena scratch;
	struct parse_ctx ctx;
	int64_t offset, line_no; /* of the next unread line */
	int64_t undetected;      /* lines seen before the format was known */
	struct buf state_text;
};

static struct chunk *chunk_new(struct reader *r)
{
	struct pool *p = r->pool;
	struct chunk *c;

	pthread_mutex_lock(&p->lock);
	c = p->spare;
	if (c)
		p->spare = c->next;
	pthread_mutex_unlock(&p->lock);
	if (c == NULL) {
		c = calloc(1, sizeof(*c));
		if (c == NULL)
			return NULL;
		c->batch.mem.block_size = (size_t)256 * 1024;
	}
	c->job = r->job;
	c->next = NULL;
	return c;
}

/* Returns a written chunk for reuse, keeping its memory. */
static void chunk_recycle(struct pool *p, struct chunk *c)
{
	struct batch keep = c->batch;

	free(c->state);
	memset(c, 0, sizeof(*c));
	batch_reset(&keep);
	c->batch = keep;
	pthread_mutex_lock(&p->lock);
	c->next = p->spare;
	p->spare = c;
	pthread_mutex_unlock(&p->lock);
}

static void fill_excerpt(struct batch *b, size_t from, const char *line, size_t len)
{
	char text[121];
	size_t n = len < sizeof(text) - 1 ? len : sizeof(text) - 1;

	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)line[i];

		text[i] = ch < 0x20 || ch >= 0x7f ? '?' : (char)ch;
	}
	text[n] = '\0';
	for (size_t i = from; i < b->n_rejects; i++)
		if (b->rejects[i].excerpt == NULL)
			b->rejects[i].excerpt = arena_strdup(&b->mem, text);
}

static void reject_line(struct reader *r, const char *why, const char *line, size_t len)
{
	size_t before = r->chunk->batch.n_rejects;

	r->ctx.out = &r->chunk->batch;
	r->ctx.line_no = r->line_no + 1;
	r->ctx.offset = r->offset;
	parse_reject(&r->ctx, why);
	fill_excerpt(&r->chunk->batch, before, line, len);
}

static int set_format(struct reader *r, const struct format *f)
{
	r->format = f;
	free(r->state);
	r->state = calloc(1, f->state_size ? f->state_size : 1);
	if (r->state == NULL)
		return -1;
	if (r->job->start_state && r->offset == r->job->start_offset)
		f->load(r->state, r->job->start_state);
	r->ctx.state = r->state;
	return 0;
}

/* Handles one complete line (without its newline) that starts at r->offset. */
static void handle_line(struct reader *r, char *line, size_t len)
{
	size_t err_at, before;
	const char *why;
	char msg[160];

	r->chunk->lines++;
	if (len > MAX_LINE) {
		reject_line(r, "line longer than 1 MiB", line, 120);
		return;
	}
	if (len && line[len - 1] == '\r')
		len--;
	while (len && (line[0] == ' ' || line[0] == '\t'))
		line++, len--;
	if (len == 0)
		return;
	/* A line the parser will read is checked by the parser itself, or for
	 * UTF-8 here and for syntax by cJSON; any other line gets the full
	 * check, so garbage is rejected wherever it is. */
	if (r->format && r->format->wants(line, len) &&
	    (r->format->checks_syntax || text_is_clean(line, len))) {
		line[len] = '\0';
		goto parse;
	}
	if (json_check(line, len, &err_at, &why) < 0) {
		snprintf(msg, sizeof(msg), "%s at column %zu", why, err_at + 1);
		reject_line(r, msg, line, len);
		return;
	}
	line[len] = '\0';
	if (r->format == NULL) {
		const struct format *f = format_detect(line, len);

		if (f == NULL) {
			r->undetected++;
			return;
		}
		if (set_format(r, f) < 0)
			return;
	}
	if (!r->format->wants(line, len))
		return;
parse:
	before = r->chunk->batch.n_rejects;
	r->ctx.out = &r->chunk->batch;
	r->ctx.line_no = r->line_no + 1;
	r->ctx.offset = r->offset;
	r->format->line(&r->ctx, line, len);
	if (r->chunk->batch.n_rejects > before)
		fill_excerpt(&r->chunk->batch, before, line, len);
}

static void send_chunk(struct reader *r, const struct stat *sb, uint64_t fp, int64_t fp_len)
{
	struct chunk *c = r->chunk;

	if (r->format) {
		r->ctx.out = &c->batch;
		r->format->flush(&r->ctx);
		r->format->save(r->state, &r->state_text);
		c->state = strdup(r->state_text.data ? r->state_text.data : "");
	}
	c->format = r->format;
	c->end_offset = r->offset;
	c->end_line = r->line_no;
	c->dev = (int64_t)sb->st_dev;
	c->ino = (int64_t)sb->st_ino;
	c->size = (int64_t)sb->st_size;
	c->mtime_ns = (int64_t)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
	c->fp = fp;
	c->fp_len = fp_len;
	queue_put(r->pool, c);
	r->chunk = chunk_new(r);
}

static void read_file(struct reader *r, char *buf)
{
	struct job *j = r->job;
	struct stat sb;
	uint64_t fp;
	int64_t fp_len, chunk_start;
	size_t have = 0;
	int is_skipping = 0, fd;

	fd = open(j->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) < 0) {
		log_warn("%s: %s", j->path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	fp_len = sb.st_size < FP_LEN ? (int64_t)sb.st_size : FP_LEN;
	fp = fingerprint(fd, fp_len);
	r->offset = j->start_offset;
	r->line_no = j->start_line;
	r->undetected = 0;
	r->format = NULL;
	r->chunk = chunk_new(r);
	if (r->chunk == NULL)
		goto done;
	if (j->format && set_format(r, j->format) < 0)
		goto done;
	/* A last line consumed without its newline leaves that newline to be
	 * skipped here, so line numbers stay those an editor shows. */
	if (r->offset > 0) {
		char prev, next;

		if (pread(fd, &prev, 1, r->offset - 1) == 1 && prev != '\n' &&
		    pread(fd, &next, 1, r->offset) == 1 && next == '\n')
			r->offset++;
	}
	/* A UTF-8 byte order mark, written by some Windows tools, is not data. */
	if (r->offset == 0) {
		unsigned char bom[3];

		if (pread(fd, bom, 3, 0) == 3 && bom[0] == 0xef && bom[1] == 0xbb && bom[2] == 0xbf)
			r->offset = 3;
	}
	if (lseek(fd, r->offset, SEEK_SET) < 0)
		goto done;
	chunk_start = r->offset;
	for (;;) {
		ssize_t n = read(fd, buf + have, READ_BUF - have - 1);
		size_t pos = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_warn("%s: %s", j->path, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		r->chunk->bytes += n;
		for (;;) {
			char *nl = memchr(buf + pos, '\n', have - pos);
			size_t len;

			if (nl == NULL)
				break;
			len = (size_t)(nl - (buf + pos));
			if (is_skipping)
				is_skipping = 0;
			else
				handle_line(r, buf + pos, len);
			r->offset += (int64_t)len + 1;
			r->line_no++;
			pos += len + 1;
			if (r->chunk->batch.n_events >= CHUNK_EVENTS ||
			    r->offset - chunk_start >= (int64_t)CHUNK_BYTES) {
				send_chunk(r, &sb, fp, fp_len);
				chunk_start = r->offset;
				if (r->chunk == NULL)
					goto done;
			}
		}
		memmove(buf, buf + pos, have - pos);
		have -= pos;
		/* No newline in more than a maximum line: reject it and skip to the
		 * next newline, keeping the offset of the line's start for the
		 * record and counting its bytes as consumed. */
		if (have > MAX_LINE) {
			if (!is_skipping)
				reject_line(r, "line longer than 1 MiB", buf, 120);
			is_skipping = 1;
			r->offset += (int64_t)have;
			have = 0;
		}
		if (is_stopping(r->pool))
			break;
	}
	/* A final line without a newline is taken only if it is already a
	 * complete JSON value; otherwise it is being written and waits. */
	if (have > 0 && !is_skipping && !is_stopping(r->pool)) {
		size_t err_at;
		const char *why;

		if (json_check(buf, have, &err_at, &why) == 0) {
			handle_line(r, buf, have);
			r->offset += (int64_t)have;
			r->line_no++;
		}
	}
	/* A file in no format paybackd knows is not a log full of bad lines:
	 * it is skipped whole, with one warning, and read again if it changes. */
	if (r->format == NULL && (r->undetected > 0 || r->chunk->batch.n_rejects > 0)) {
		log_warn("%s: not a format paybackd knows (use --format); skipped", j->path);
		r->chunk->batch.n_rejects = 0;
		r->offset = j->start_offset;
		r->line_no = j->start_line;
	}
	send_chunk(r, &sb, fp, fp_len);
done:
	chunk_free(r->chunk);
	r->chunk = NULL;
	free(r->state);
	r->state = NULL;
	close(fd);
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct reader r;
	char *buf = malloc(READ_BUF);

	/* The writer is the one thread every batch must pass through: parsers
	 * yield the CPU to it whenever it has work. */
	setpriority(PRIO_PROCESS, (id_t)gettid(), 10);
	memset(&r, 0, sizeof(r));
	r.pool = p;
	r.scratch.block_size = (size_t)256 * 1024;
	r.ctx.scratch = &r.scratch;
	arena_cjson_use(&r.scratch);
	if (buf) {
		struct job *j;

		while ((j = next_job(p)) != NULL) {
			r.job = j;
			r.ctx.developer = j->developer;
			r.ctx.tool = j->tool;
			r.ctx.tasks = p->tasks;
			r.ctx.n_tasks = p->n_tasks;
			r.ctx.path = j->path;
			read_file(&r, buf);
		}
	}
	arena_cjson_use(NULL);
	arena_free(&r.scratch);
	buf_free(&r.state_text);
	free(buf);
	pthread_mutex_lock(&p->lock);
	p->workers_left--;
	pthread_cond_broadcast(&p->can_get);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Applies one chunk inside the open transaction. */
static int write_chunk(struct store *st, struct chunk *c, struct ingest_stats *stats)
{
	struct job *j = c->job;
	struct store_file *f = &j->prev;
	struct store_counts counts = {0, 0, 0};

	if (f->id == 0) {
		f->path = (char *)j->path;
		if (store_file_save(st, f) < 0)
			return -1;
	}
	if (store_add_batch(st, f->id, &c->batch, &counts) < 0)
		return -1;
	f->format = c->format ? (char *)c->format->name : NULL;
	f->developer = (char *)j->developer;
	f->dev = c->dev;
	f->ino = c->ino;
	f->size = c->size;
	f->mtime_ns = c->mtime_ns;
	f->offset = c->end_offset;
	f->line_no = c->end_line;
	f->fp = c->fp;
	f->fp_len = c->fp_len;
	f->state = c->state;
	f->events += counts.added;
	f->rejected += counts.rejected;
	f->last_read = (int64_t)time(NULL);
	if (store_file_save(st, f) < 0)
		return -1;
	f->state = NULL;
	stats->events_added += counts.added;
	stats->duplicates += counts.duplicates;
	stats->rejected += counts.rejected;
	stats->lines += c->lines;
	stats->bytes += c->bytes;
	return 0;
}

/*
 * Commits every COMMIT_EVENTS events, and otherwise whenever the parsers
 * fall behind for a moment after at least 200 ms: few large transactions
 * when reading a backlog, quick visibility when following live files. Only
 * a commit amid a backlog lets the rollup wait for the next one.
 */
static int commit(struct store *st, const struct ingest_opts *opts, int is_more_queued)
{
	if ((is_more_queued ? store_commit_more(st) : store_commit(st)) < 0)
		return -1;
	if (opts->on_commit)
		opts->on_commit(opts->on_commit_arg);
	return 0;
}

static int write_all(struct store *st, struct pool *p, const struct ingest_opts *opts,
                     struct ingest_stats *stats)
{
	int64_t pending = 0, last_commit = monotonic_ms();
	int rc = 0;
	struct chunk *c;

	for (;;) {
		c = queue_get(p, 0);
		if (c == NULL) {
			if (pending > 0 && monotonic_ms() - last_commit >= 200) {
				if (commit(st, opts, 0) < 0)
					rc = -1;
				pending = 0;
				last_commit = monotonic_ms();
			}
			if (queue_is_done(p))
				break;
			c = queue_get(p, 1);
			if (c == NULL)
				continue;
		}
		if (rc == 0) {
			if (store_begin(st) < 0 || write_chunk(st, c, stats) < 0) {
				store_rollback(st);
				rc = -1;
			}
			pending += (int64_t)c->batch.n_events + 1;
			if (rc == 0 && pending >= COMMIT_EVENTS) {
				if (commit(st, opts, 1) < 0)
					rc = -1;
				pending = 0;
				last_commit = monotonic_ms();
			}
		}
		chunk_recycle(p, c);
	}
	if (rc == 0 && commit(st, opts, 0) < 0)
		rc = -1;
	return rc;
}

/* Known files by path, in an open-addressing table. */
struct known {
	struct store_file *files;
	size_t n, cap;
	size_t *slots;
	size_t n_slots;
	struct arena strings; /* paths, formats and states of files[] */
};

static int known_add(const struct store_file *f, void *arg)
{
	struct known *k = arg;
	struct store_file *c;

	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 256;
		struct store_file *p = realloc(k->files, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		k->files = p;
		k->cap = cap;
	}
	c = &k->files[k->n];
	*c = *f;
	c->path = arena_strdup(&k->strings, f->path);
	c->format = f->format ? arena_strdup(&k->strings, f->format) : NULL;
	c->developer = NULL;
	c->state = arena_strdup(&k->strings, f->state ? f->state : "");
	if (!c->path || !c->state)
		return -1;
	k->n++;
	return 0;
}

struct known_load {
	struct store *st;
	struct known *known;
	int rc;
};

static int known_index(struct known *k);

static void *known_loader(void *arg)
{
	struct known_load *kl = arg;

	kl->rc = store_files_each(kl->st, known_add, kl->known) < 0 || known_index(kl->known) < 0
	             ? -1
	             : 0;
	return NULL;
}

static int known_index(struct known *k)
{
	k->n_slots = 16;
	while (k->n_slots < k->n * 2)
		k->n_slots *= 2;
	k->slots = malloc(k->n_slots * sizeof(*k->slots));
	if (k->slots == NULL)
		return -1;
	for (size_t i = 0; i < k->n_slots; i++)
		k->slots[i] = SIZE_MAX;
	for (size_t i = 0; i < k->n; i++) {
		size_t h = hash64_str(k->files[i].path, 0) & (k->n_slots - 1);

		while (k->slots[h] != SIZE_MAX)
			h = (h + 1) & (k->n_slots - 1);
		k->slots[h] = i;
	}
	return 0;
}

static struct store_file *known_find(struct known *k, const char *path)
{
	size_t h = hash64_str(path, 0) & (k->n_slots - 1);

	for (; k->slots[h] != SIZE_MAX; h = (h + 1) & (k->n_slots - 1))
		if (strcmp(k->files[k->slots[h]].path, path) == 0)
			return &k->files[k->slots[h]];
	return NULL;
}

static void known_free(struct known *k)
{
	arena_free(&k->strings);
	free(k->files);
	free(k->slots);
}

/* Decides where to start reading; returns 0 when the file has nothing new. */
static int plan_job(struct job *j, const struct store_file *prev)
{
	int64_t mtime = (int64_t)j->sb.st_mtim.tv_sec * 1000000000 + j->sb.st_mtim.tv_nsec;
	const char *why = NULL;

	/* The slot may hold an unchanged file planned before: forget it. */
	memset(&j->prev, 0, sizeof(j->prev));
	j->start_offset = 0;
	j->start_line = 0;
	j->start_state = NULL;
	if (prev == NULL)
		return 1;
	j->prev = *prev;
	j->prev.developer = NULL;
	if (prev->dev == (int64_t)j->sb.st_dev && prev->ino == (int64_t)j->sb.st_ino &&
	    prev->size == (int64_t)j->sb.st_size && prev->mtime_ns == mtime)
		return 0;
	if (prev->dev != (int64_t)j->sb.st_dev || prev->ino != (int64_t)j->sb.st_ino) {
		why = "replaced";
	} else if ((int64_t)j->sb.st_size < prev->offset) {
		why = "truncated";
	} else if (prev->fp_len > 0) {
		int fd = open(j->path, O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			if (fingerprint(fd, prev->fp_len) != prev->fp)
				why = "rewritten";
			close(fd);
		}
	}
	if (why) {
		log_info("%s: %s since last read, reading it again from the start", j->path, why);
		return 1;
	}
	j->start_offset = prev->offset;
	j->start_line = prev->line_no;
	j->start_state = prev->state;
	if (j->format == NULL && prev->format)
		j->format = format_by_name(prev->format);
	return 1;
}

static int by_size_desc(const void *a, const void *b)
{
	const struct job *x = a, *y = b;
	int64_t dx = (int64_t)x->sb.st_size - x->start_offset;
	int64_t dy = (int64_t)y->sb.st_size - y->start_offset;

	return dx < dy ? 1 : dx > dy ? -1 : 0;
}

static const char *resolve_developer(const struct ingest_source *s, const char *path,
                                     const char *fallback, char *out, size_t n)
{
	const char *pat = s->developer;
	char rel[PATH_MAX], root[PATH_MAX];

	if (pat == NULL || *pat == '\0')
		return fallback;
	if (strstr(pat, "{developer}") == NULL)
		return pat;
	if (pat[0] != '/' && realpath(s->path, root)) {
		size_t len = strlen(root);

		if (strncmp(path, root, len) == 0 && path[len] == '/') {
			snprintf(rel, sizeof(rel), "%s", path + len + 1);
			path = rel;
		}
	}
	if (developer_from_pattern(pat, path, out, n) == 0)
		return out;
	log_warn("%s: does not match developer pattern '%s'; counted as '%s'", path, pat, fallback);
	return fallback;
}

int ingest_run(struct store *st, const struct ingest_source *src, size_t n_src,
               const struct ingest_opts *opts, struct ingest_stats *stats)
{
	struct walk_list files = {0};
	struct known known = {0};
	struct pool pool;
	struct job *jobs = NULL;
	const char **paths = NULL;
	char(*names)[256] = NULL;
	pthread_t *threads = NULL;
	size_t n_jobs = 0;
	int n_threads, started = 0, rc = -1;
	int64_t t0 = monotonic_ms();

	memset(stats, 0, sizeof(*stats));
	memset(&pool, 0, sizeof(pool));
	paths = calloc(n_src ? n_src : 1, sizeof(*paths));
	if (paths == NULL)
		goto out;
	for (size_t i = 0; i < n_src; i++)
		paths[i] = src[i].path;
	/* What the store knows is read while the tree is walked. */
	{
		struct known_load kl = {st, &known, 0};
		pthread_t loader;
		int is_threaded = pthread_create(&loader, NULL, known_loader, &kl) == 0;

		if (!is_threaded)
			known_loader(&kl);
		rc = walk_paths(&files, paths, n_src);
		if (is_threaded)
			pthread_join(loader, NULL);
		if (rc < 0 || kl.rc < 0) {
			rc = -1;
			goto out;
		}
		rc = -1;
	}
	jobs = calloc(files.n ? files.n : 1, sizeof(*jobs));
	names = calloc(files.n ? files.n : 1, sizeof(*names));
	if (jobs == NULL || names == NULL)
		goto out;
	for (size_t i = 0; i < files.n; i++) {
		const struct ingest_source *s = &src[files.files[i].source];
		struct job *j = &jobs[n_jobs];

		j->path = files.files[i].path;
		j->sb = files.files[i].sb;
		j->tool = s->tool;
		j->format =
		    s->format && strcmp(s->format, "auto") != 0 ? format_by_name(s->format) : NULL;
		if (!plan_job(j, known_find(&known, j->path)))
			continue;
		j->developer = resolve_developer(s, j->path, opts->default_developer, names[i],
		                                 sizeof(names[i]));
		n_jobs++;
	}
	stats->files = (int64_t)files.n;
	stats->files_read = (int64_t)n_jobs;
	qsort(jobs, n_jobs, sizeof(*jobs), by_size_desc);

	n_threads = opts->threads > 0 ? opts->threads : cpu_cores(INT_MAX);
	if ((size_t)n_threads > n_jobs)
		n_threads = n_jobs ? (int)n_jobs : 0;
	pthread_mutex_init(&pool.lock, NULL);
	pthread_cond_init(&pool.can_put, NULL);
	pthread_cond_init(&pool.can_get, NULL);
	pool.jobs = jobs;
	pool.n_jobs = n_jobs;
	pool.stop = opts->stop;
	pool.tasks = opts->tasks;
	pool.n_tasks = opts->n_tasks;
	pool.workers_left = n_threads;
	threads = calloc((size_t)n_threads + 1, sizeof(*threads));
	if (threads == NULL)
		goto destroy;
	for (; started < n_threads; started++)
		if (pthread_create(&threads[started], NULL, worker, &pool) != 0)
			break;
	/* Workers may already have finished: only take away those never started. */
	pthread_mutex_lock(&pool.lock);
	pool.workers_left -= n_threads - started;
	pthread_cond_broadcast(&pool.can_get);
	pthread_mutex_unlock(&pool.lock);
	rc = write_all(st, &pool, opts, stats);
	if (rc < 0) {
		/* Drain so no worker stays blocked on a full queue. */
		pool.stop = &rc;
		for (struct chunk *c; (c = queue_get(&pool, 1)) != NULL;)
			chunk_free(c);
	}
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	while (pool.spare) {
		struct chunk *c = pool.spare;

		pool.spare = c->next;
		chunk_free(c);
	}
	if (files.n_missing > 0 && rc == 0)
		rc = 1;
destroy:
	pthread_cond_destroy(&pool.can_get);
	pthread_cond_destroy(&pool.can_put);
	pthread_mutex_destroy(&pool.lock);
out:
	stats->seconds = (double)(monotonic_ms() - t0) / 1000.0;
	free(threads);
	free(names);
	free(jobs);
	known_free(&known);
	walk_free(&files);
	free(paths);
	return rc;
}
