/*
 * loggen.c - writes realistic, deterministic Claude Code, Codex and native
 * logs for the demo (config/demo/) and for `make bench`.
 *
 *   loggen --out DIR [--demo | --requests N] [--developers N] [--days N]
 *          [--start YYYY-MM-DD] [--seed N] [--no-native] [--plain]
 *
 * Claude Code sessions carry what real ones do: responses split over several
 * lines with partial output counts on the early ones, resumed sessions that
 * copy earlier lines, subagents logged twice (own file and progress lines),
 * sidechain replays, synthetic API errors, Edit/MultiEdit/Write calls and
 * declined edits. Codex rollouts carry session_meta, turn_context, repeated
 * token_count events, info:null, apply_patch calls and forked sessions.
 * --plain leaves out the cases on which tools disagree by design (partial
 * counts and replays), for comparing totals with other readers.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../daemon/lib/util.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static unsigned pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static int chance(unsigned percent)
{
	return pick(100) < percent;
}

static int64_t between(int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

static const char *const words[] = {
    "the",     "handler",  "returns", "an",     "error",    "when",    "config",  "is",
    "missing", "retry",    "logic",   "should", "backoff",  "invoice", "total",   "rounding",
    "test",    "fails",    "on",      "CI",     "refactor", "this",    "module",  "into",
    "two",     "files",    "parser",  "offset", "cache",    "query",   "index",   "migration",
    "timeout", "payload",  "schema",  "client", "server",   "request", "latency", "budget",
    "ledger",  "currency", "webhook", "queue",  "worker",
};

/* Appends n random words of plain ASCII (safe inside JSON strings). */
static void text(char *out, size_t cap, int n)
{
	size_t len = strlen(out);

	for (int i = 0; i < n && len + 16 < cap; i++) {
		const char *w = words[pick(sizeof(words) / sizeof(words[0]))];
		size_t wl = strlen(w);

		if (i)
			out[len++] = (i % 17 == 16) ? '.' : ' ';
		memcpy(out + len, w, wl);
		len += wl;
	}
	out[len] = '\0';
}

static void hexid(char *out, int n)
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < n; i++)
		out[i] = hex[pick(16)];
	out[n] = '\0';
}

static void uuid(char *out)
{
	char h[33];

	hexid(h, 32);
	snprintf(out, 37, "%.8s-%.4s-4%.3s-a%.3s-%.12s", h, h + 8, h + 12, h + 15, h + 18);
}

static void base62(char *out, int n)
{
	static const char b[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

	for (int i = 0; i < n; i++)
		out[i] = b[pick(62)];
	out[n] = '\0';
}

static void iso(int64_t ms, char out[64])
{
	int64_t z = ms / 86400000, rem = ms % 86400000;
	int64_t era, doe, yoe, doy, mp, d, m, y;

	z += 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (int)y, (int)m, (int)d,
	         (int)(rem / 3600000), (int)(rem / 60000 % 60), (int)(rem / 1000 % 60),
	         (int)(rem % 1000));
}

static void mkdirs(const char *path)
{
	char tmp[4096];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(tmp, 0755);
			*p = '/';
		}
	}
	mkdir(tmp, 0755);
}

static FILE *open_file(const char *dir, const char *name)
{
	char path[4096];
	FILE *fp;

	mkdirs(dir);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	if (fp == NULL) {
		fprintf(stderr, "loggen: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fp;
}

struct opts {
	const char *out;
	int developers, days, is_demo, has_native, is_plain;
	int64_t requests, start_ms;
};

static const char *const dev_names[] = {"ana",   "bruno", "chen", "dara", "emeka", "farah",
                                        "goran", "hana",  "ivan", "jun",  "kofi",  "lena"};
static const char *const projects[] = {"billing-api", "infra",         "web-app",
                                       "payments",    "data-pipeline", "mobile"};
static const char *const claude_models[] = {
    "claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929",
    "claude-opus-4-1-20250805",   "claude-haiku-4-5-20251001",
};
static const char *const codex_models[] = {"gpt-5-codex", "gpt-5-codex", "gpt-5.1-codex", "gpt-5"};

/* ---- Claude Code ---- */

struct cline {
	char *text; /* one complete line, without newline */
};

struct csession {
	struct cline *lines;
	size_t n, cap;
};

static void add_line(struct csession *s, const char *text_)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->lines = realloc(s->lines, s->cap * sizeof(*s->lines));
	}
	s->lines[s->n++].text = strdup(text_);
}

static void free_session(struct csession *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->lines[i].text);
	free(s->lines);
	memset(s, 0, sizeof(*s));
}

struct cctx {
	const struct opts *o;
	const char *dev, *project, *sid, *model;
	char cwd[256];
	int is_sidechain;
	char *buf;
	size_t cap;
};

/*
 * An Edit, MultiEdit or Write call's input, and in result the toolUseResult
 * of its answer when it is written: the structuredPatch of what changed,
 * context lines included (a Write that creates a file has an empty one).
 */
static const char *edit_input(char *out, size_t cap, char *result, size_t result_cap,
                              const char *name, const char *cwd)
{
	char a[512] = "", b[1024] = "", hunk[2048] = "\" def f():\"";
	int n_old = (int)between(1, 4), n_new = (int)between(1, 6);
	unsigned file = pick(1000);

	for (int i = 0; i < n_old; i++) {
		size_t at = strlen(a);

		strcat(a, i ? "\\n    " : "    ");
		text(a, sizeof(a) - 64, 4);
		snprintf(hunk + strlen(hunk), sizeof(hunk) - strlen(hunk), ",\"-%s\"",
		         a + at + (i ? 2 : 0));
	}
	for (int i = 0; i < n_new; i++) {
		size_t at = strlen(b);

		strcat(b, i ? "\\n    " : "    ");
		text(b, sizeof(b) - 64, 5);
		snprintf(hunk + strlen(hunk), sizeof(hunk) - strlen(hunk), ",\"+%s\"",
		         b + at + (i ? 2 : 0));
	}
	if (strcmp(name, "Write") == 0) {
		snprintf(out, cap, "{\"file_path\":\"%s/src/new_%u.py\",\"content\":\"%s\\n\"}",
		         cwd, file, b);
		snprintf(
		    result, result_cap,
		    "{\"type\":\"create\",\"filePath\":\"%s/src/new_%u.py\",\"content\":\"%s\\n\","
		    "\"structuredPatch\":[],\"originalFile\":null}",
		    cwd, file, b);
	} else if (strcmp(name, "MultiEdit") == 0) {
		snprintf(out, cap,
		         "{\"file_path\":\"%s/src/mod_%u.py\",\"edits\":[{\"old_string\":\"%s\","
		         "\"new_string\":\"%s\"},{\"old_string\":\"x = 1\",\"new_string\":\"x = "
		         "2\\ny = 3\"}]}",
		         cwd, file, a, b);
		snprintf(
		    result, result_cap,
		    "{\"filePath\":\"%s/src/mod_%u.py\",\"structuredPatch\":[{\"oldStart\":10,"
		    "\"oldLines\":%d,\"newStart\":10,\"newLines\":%d,\"lines\":[%s,\" \"]},"
		    "{\"oldStart\":40,\"oldLines\":2,\"newStart\":41,\"newLines\":3,\"lines\":["
		    "\" z = 0\",\"-x = 1\",\"+x = 2\",\"+y = 3\"]}],\"userModified\":false}",
		    cwd, file, n_old + 2, n_new + 2, hunk);
	} else {
		snprintf(out, cap,
		         "{\"file_path\":\"%s/src/mod_%u.py\",\"old_string\":\"%s\",\"new_string\":"
		         "\"%s\"}",
		         cwd, file, a, b);
		snprintf(
		    result, result_cap,
		    "{\"filePath\":\"%s/src/mod_%u.py\",\"oldString\":\"%s\",\"newString\":\"%s\","
		    "\"structuredPatch\":[{\"oldStart\":10,\"oldLines\":%d,\"newStart\":10,"
		    "\"newLines\":%d,\"lines\":[%s,\" \"]}],\"userModified\":%s,"
		    "\"replaceAll\":false}",
		    cwd, file, a, b, n_old + 2, n_new + 2, hunk, chance(5) ? "true" : "false");
	}
	return out;
}

/*
 * Writes one model response as 1-3 lines (thinking, text, tool_use) and the
 * user line answering its tool call. Returns the new time.
 */
static int64_t claude_request(struct cctx *c, struct csession *s, int64_t t, int64_t *ctx_tokens)
{
	char msg_id[40] = "msg_01", req_id[40] = "req_011C", tool_id[40] = "toolu_01";
	char ts[64], u[40], block[4096], usage[512], body[2048] = "", result[4096] = "";
	int64_t out_final = between(40, 1600), in = between(3, 40);
	int64_t cw = chance(30) ? between(500, 9000) : 0;
	int64_t cr = *ctx_tokens;
	int n_blocks = 1 + (chance(35) ? 1 : 0) + (chance(15) ? 1 : 0);
	const char *tool = "Bash";
	int is_edit = chance(18), is_declined = 0, is_failed = 0;

	base62(msg_id + 6, 22);
	base62(req_id + 8, 18);
	base62(tool_id + 8, 22);
	/* The context grows until the client compacts it. */
	*ctx_tokens += cw + in + out_final / 2;
	if (*ctx_tokens > 180000)
		*ctx_tokens = between(30000, 60000);
	if (is_edit) {
		static const char *const edit_tools[] = {"Edit", "Edit", "Edit", "MultiEdit",
		                                         "Write"};

		tool = edit_tools[pick(5)];
		is_declined = chance(12);
		/* The file was not read first, or the string to replace is not in it. */
		is_failed = !is_declined && chance(6);
	} else {
		static const char *const other[] = {"Bash", "Read", "Grep", "Glob", "TodoWrite"};

		tool = other[pick(5)];
	}
	for (int b = 0; b < n_blocks; b++) {
		int is_last = b == n_blocks - 1;
		/* Early lines of a streamed response carry a partial count. */
		int64_t out = is_last || c->o->is_plain ? out_final : between(1, out_final / 4 + 1);

		t += between(200, 4000);
		iso(t, ts);
		uuid(u);
		body[0] = '\0';
		if (is_last) {
			char input[3072];

			if (is_edit)
				edit_input(input, sizeof(input), result, sizeof(result), tool,
				           c->cwd);
			else
				snprintf(input, sizeof(input), "{\"command\":\"rg -n %s %s\"}",
				         words[pick(20)], c->cwd);
			snprintf(
			    block, sizeof(block),
			    "{\"type\":\"tool_use\",\"id\":\"%s\",\"name\":\"%s\",\"input\":%s}",
			    tool_id, tool, input);
		} else if (b == 0 && n_blocks == 3) {
			text(body, 1200, (int)between(3, 15));
			snprintf(block, sizeof(block),
			         "{\"type\":\"thinking\",\"thinking\":\"%s\",\"signature\":"
			         "\"EqQBCkYIBxgC%s\"}",
			         body, msg_id + 6);
		} else {
			text(body, 1200, (int)between(3, 20));
			snprintf(block, sizeof(block), "{\"type\":\"text\",\"text\":\"%s\"}", body);
		}
		snprintf(usage, sizeof(usage),
		         "{\"input_tokens\":%" PRId64 ",\"cache_creation_input_tokens\":%" PRId64
		         ",\"cache_read_input_tokens\":%" PRId64
		         ",\"cache_creation\":{\"ephemeral_5m_input_tokens\":%" PRId64
		         ",\"ephemeral_1h_input_tokens\":0},\"output_tokens\":%" PRId64
		         ",\"service_tier\":\"standard\"}",
		         in, cw, cr, cw, out);
		snprintf(c->buf, c->cap,
		         "{\"parentUuid\":\"%s\",\"isSidechain\":%s,\"userType\":\"external\","
		         "\"cwd\":\"%s\",\"sessionId\":\"%s\",\"version\":\"2.0.55\",\"gitBranch\":"
		         "\"main\",\"message\":{\"id\":\"%s\",\"type\":\"message\",\"role\":"
		         "\"assistant\",\"model\":\"%s\",\"content\":[%s],\"stop_reason\":null,"
		         "\"stop_sequence\":null,\"usage\":%s},\"requestId\":\"%s\",\"type\":"
		         "\"assistant\",\"uuid\":\"%s\",\"timestamp\":\"%s\"}",
		         u, c->is_sidechain ? "true" : "false", c->cwd, c->sid, msg_id, c->model,
		         block, usage, req_id, u, ts);
		add_line(s, c->buf);
	}
	/* The tool's answer. */
	t += between(300, 20000);
	iso(t, ts);
	uuid(u);
	body[0] = '\0';
	if (is_declined)
		snprintf(
		    body, sizeof(body),
		    "The user doesn't want to proceed with this tool use. The tool use was "
		    "rejected (eg. if it was a file edit, the new_string was NOT written to the "
		    "file). STOP what you are doing and wait for the user to tell you how to "
		    "proceed.");
	else if (is_failed)
		snprintf(body, sizeof(body),
		         "<tool_use_error>String to replace not found in file.</tool_use_error>");
	else
		text(body, 2000, (int)between(2, 12));
	if (is_declined)
		snprintf(result, sizeof(result), "\"User rejected tool use\"");
	else if (is_failed)
		snprintf(result, sizeof(result), "\"Error: String to replace not found in file.\"");
	else if (!is_edit)
		snprintf(result, sizeof(result),
		         "{\"stdout\":\"%.40s\",\"stderr\":\"\",\"interrupted\":false}", body);
	snprintf(c->buf, c->cap,
	         "{\"parentUuid\":\"%s\",\"isSidechain\":%s,\"userType\":\"external\",\"cwd\":"
	         "\"%s\",\"sessionId\":\"%s\",\"version\":\"2.0.55\",\"gitBranch\":\"main\","
	         "\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"tool_use_id\":"
	         "\"%s\",\"type\":\"tool_result\",\"content\":\"%s\",\"is_error\":%s}]},\"uuid\":"
	         "\"%s\",\"timestamp\":\"%s\",\"toolUseResult\":%s}",
	         u, c->is_sidechain ? "true" : "false", c->cwd, c->sid, tool_id, body,
	         is_declined || is_failed ? "true" : "false", u, ts, result);
	add_line(s, c->buf);
	return t;
}

/* How people open a turn: the kinds of work a prompt asks for, then its details. */
static void prompt_text(char *out, size_t cap)
{
	static const char *const openers[] = {
	    "fix the bug where",
	    "why does this crash when",
	    "add unit tests for",
	    "write tests covering",
	    "refactor",
	    "clean up the duplicated code in",
	    "implement",
	    "add support for",
	    "create an endpoint that",
	    "update the README about",
	    "document",
	    "review my changes to",
	    "look over",
	    "explain how",
	    "run the linter on",
	};

	static const char *const subjects[] = {
	    "the invoice totals", "the retry queue",     "the config loader",    "the search page",
	    "the ledger export",  "the webhook client",  "the schema migration", "the cache layer",
	    "the payment module", "the auth middleware",
	};

	snprintf(out, cap, "%s %s", openers[pick(ARRAY_LEN(openers))],
	         subjects[pick(ARRAY_LEN(subjects))]);
}

static int64_t claude_prompt(struct cctx *c, struct csession *s, int64_t t)
{
	char ts[64], u[40], body[1024] = "";

	iso(t, ts);
	uuid(u);
	prompt_text(body, sizeof(body));
	snprintf(c->buf, c->cap,
	         "{\"parentUuid\":null,\"isSidechain\":%s,\"userType\":\"external\",\"cwd\":\"%s\","
	         "\"sessionId\":\"%s\",\"version\":\"2.0.55\",\"gitBranch\":\"main\",\"type\":"
	         "\"user\",\"message\":{\"role\":\"user\",\"content\":\"%s\"},\"uuid\":\"%s\","
	         "\"timestamp\":\"%s\"}",
	         c->is_sidechain ? "true" : "false", c->cwd, c->sid, body, u, ts);
	add_line(s, c->buf);
	return t;
}

static void write_session(const char *dir, const char *name, const struct csession *s)
{
	FILE *fp = open_file(dir, name);

	for (size_t i = 0; i < s->n; i++)
		fprintf(fp, "%s\n", s->lines[i].text);
	fclose(fp);
}

/* Replaces every "sessionId":"old" with new (same length) in a copied line. */
static void resession(char *line, const char *old, const char *new_)
{
	for (char *p = strstr(line, old); p; p = strstr(p + 1, old))
		memcpy(p, new_, strlen(new_));
}

static int64_t claude_session(const struct opts *o, const char *dev, int64_t t, int n_requests,
                              struct csession *prev, char *prev_sid)
{
	struct cctx c = {o, dev, projects[pick(6)], NULL, claude_models[pick(5)], "", 0, NULL, 0};
	struct csession s = {NULL, 0, 0};
	char sid[40], dir[4096], name[128], projdir[512];
	int64_t ctx_tokens = between(20000, 60000);

	uuid(sid);
	c.sid = sid;
	c.cap = 64 * 1024;
	c.buf = malloc(c.cap);
	snprintf(c.cwd, sizeof(c.cwd), "/home/%s/src/%s", dev, c.project);
	snprintf(projdir, sizeof(projdir), "-home-%s-src-%s", dev, c.project);
	for (char *p = projdir; *p; p++)
		if (*p == '/' || *p == '.')
			*p = '-';
	snprintf(dir, sizeof(dir), "%s/%s/claude/projects/%s", o->out, dev, projdir);

	/* A resumed session starts with a copy of the earlier one. */
	if (prev && prev->n > 4 && chance(12)) {
		size_t keep = prev->n / 2;

		for (size_t i = 0; i < keep; i++) {
			char *copy = strdup(prev->lines[i].text);

			resession(copy, prev_sid, sid);
			add_line(&s, copy);
			free(copy);
		}
	}
	if (chance(20)) {
		char body[256] = "";

		text(body, sizeof(body), 6);
		snprintf(c.buf, c.cap,
		         "{\"type\":\"summary\",\"summary\":\"%s\",\"leafUuid\":\"%s\"}", body,
		         sid);
		add_line(&s, c.buf);
	}
	t = claude_prompt(&c, &s, t);
	/* One prompt fans out into 10-60 requests as the agent loops through tools;
	 * the person reads the result and thinks a while before the next. */
	for (int r = 0, next_prompt = (int)between(10, 60); r < n_requests; r++) {
		if (r == next_prompt) {
			t += between(20000, 600000);
			t = claude_prompt(&c, &s, t);
			next_prompt += (int)between(10, 60);
		}
		t = claude_request(&c, &s, t, &ctx_tokens);
		if (chance(4)) {
			char ts[64], u[40];

			iso(t, ts);
			uuid(u);
			snprintf(
			    c.buf, c.cap,
			    "{\"parentUuid\":\"%s\",\"isSidechain\":false,\"cwd\":\"%s\","
			    "\"sessionId\":\"%s\",\"type\":\"assistant\",\"uuid\":\"%s\","
			    "\"timestamp\":\"%s\",\"message\":{\"id\":\"%s\",\"model\":"
			    "\"<synthetic>\",\"role\":\"assistant\",\"type\":\"message\","
			    "\"content\":[{\"type\":\"text\",\"text\":\"API Error: 529 "
			    "Overloaded\"}],\"usage\":{\"input_tokens\":0,\"output_tokens\":0,"
			    "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}},"
			    "\"isApiErrorMessage\":true}",
			    u, c.cwd, sid, u, ts, u);
			add_line(&s, c.buf);
		}
		if (chance(6)) {
			char ts[64], u[40];

			iso(t, ts);
			uuid(u);
			snprintf(c.buf, c.cap,
			         "{\"type\":\"file-history-snapshot\",\"messageId\":\"%s\","
			         "\"snapshot\":{\"messageId\":\"%s\",\"trackedFileBackups\":{},"
			         "\"timestamp\":\"%s\"},\"isSnapshotUpdate\":false}",
			         u, u, ts);
			add_line(&s, c.buf);
		}
		/* A subagent (a Task call, about one in 150 requests): its own
		 * file, and each response again inside a progress line of the
		 * parent. */
		if (pick(1000) < 7) {
			struct csession sub = {NULL, 0, 0};
			struct cctx sc = c;
			char agent[16], subdir[4300], subname[64];
			int64_t sub_ctx = between(3000, 9000), st = t;
			int n_sub = (int)between(2, 6);

			hexid(agent, 8);
			sc.is_sidechain = 1;
			sc.model = chance(50) ? "claude-haiku-4-5-20251001" : c.model;
			st = claude_prompt(&sc, &sub, st);
			for (int k = 0; k < n_sub; k++)
				st = claude_request(&sc, &sub, st, &sub_ctx);
			/* A replay: the last response again under a new requestId. */
			if (!o->is_plain && chance(30)) {
				char *copy = strdup(sub.lines[sub.n - 2].text);
				char *rq = strstr(copy, "\"requestId\":\"req_011C");

				if (rq && strstr(copy, "\"type\":\"assistant\"")) {
					base62(rq + 21, 18);
					rq[21 + 18] = '"';
					add_line(&sub, copy);
				}
				free(copy);
			}
			snprintf(subdir, sizeof(subdir), "%s/%s/subagents", dir, sid);
			snprintf(subname, sizeof(subname), "agent-%s.jsonl", agent);
			write_session(subdir, subname, &sub);
			for (size_t k = 0; k < sub.n; k++) {
				char ts[64], u[40];

				if (!strstr(sub.lines[k].text, "\"type\":\"assistant\""))
					continue;
				iso(t, ts);
				uuid(u);
				snprintf(
				    c.buf, c.cap,
				    "{\"parentUuid\":\"%s\",\"isSidechain\":false,\"cwd\":\"%s\","
				    "\"sessionId\":\"%s\",\"type\":\"progress\",\"data\":{\"type\":"
				    "\"agent_progress\",\"agentId\":\"%s\",\"message\":%s},"
				    "\"toolUseID\":\"toolu_%s\",\"uuid\":\"%s\",\"timestamp\":\"%"
				    "s\"}",
				    u, c.cwd, sid, agent, sub.lines[k].text, agent, u, ts);
				add_line(&s, c.buf);
			}
			t = st;
			free_session(&sub);
		}
	}
	snprintf(name, sizeof(name), "%s.jsonl", sid);
	write_session(dir, name, &s);
	free_session(prev);
	*prev = s;
	snprintf(prev_sid, 40, "%s", sid);
	free(c.buf);
	return t;
}

/* ---- Codex ---- */

static int64_t codex_session(const struct opts *o, const char *dev, int64_t t, int n_requests,
                             struct csession *prev, char *prev_path)
{
	struct csession s = {NULL, 0, 0};
	char sid[40], ts[64], dir[4096], name[160], cwd[256], body[2048], *buf;
	const char *model = codex_models[pick(4)], *project = projects[pick(6)];
	int64_t total[4] = {0, 0, 0, 0}, day = t / 86400000;
	int is_fork;
	double used = (double)between(5, 60);
	int y, m, d;
	size_t cap = 64 * 1024;

	buf = malloc(cap);
	uuid(sid);
	snprintf(cwd, sizeof(cwd), "/home/%s/src/%s", dev, project);
	iso(day * 86400000, ts);
	sscanf(ts, "%d-%d-%d", &y, &m, &d);
	snprintf(dir, sizeof(dir), "%s/%s/codex/sessions/%04d/%02d/%02d", o->out, dev, y, m, d);
	iso(t, ts);
	snprintf(name, sizeof(name), "rollout-%.19s-%s.jsonl", ts, sid);
	for (char *p = name; *p; p++)
		if (*p == ':')
			*p = '-';

	/*
	 * A fork (Codex Desktop, forked_from_id) or a subagent (parent_thread_id)
	 * starts with its parent's session_meta and replays the parent's whole
	 * history, counts included: a fork's stamped in a burst at its creation,
	 * a subagent's at the parent's own times. Only what follows is its own.
	 */
	is_fork = prev && prev->n > 6 && chance(8);
	if (is_fork) {
		char parent[64] = "";
		int is_desktop = chance(50);

		sscanf(prev_path, "%" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64 " %63s", &total[0],
		       &total[1], &total[2], &total[3], parent);
		snprintf(buf, cap,
		         "{\"timestamp\":\"%s\",\"type\":\"session_meta\",\"payload\":{\"id\":"
		         "\"%s\",\"timestamp\":\"%s\",\"cwd\":\"%s\",\"originator\":\"%s\","
		         "\"cli_version\":\"0.70.0\",%s\"%s\"%s,\"model_provider\":\"openai\"}}",
		         ts, sid, ts, cwd, is_desktop ? "codex_desktop" : "codex_cli_rs",
		         is_desktop
		             ? "\"forked_from_id\":"
		             : "\"source\":{\"subagent\":{\"thread_spawn\":{\"parent_thread_id\":",
		         parent, is_desktop ? "" : ",\"depth\":1}}}");
		add_line(&s, buf);
		for (size_t i = 0; i < prev->n; i++) {
			char *copy = strdup(prev->lines[i].text);
			char *at = strstr(copy, "\"timestamp\":\"");

			if (is_desktop && at && strlen(at) > 12 + 24) {
				char stamp[64];

				iso(t + 1 + (int64_t)i / 8, stamp);
				memcpy(at + 13, stamp, 24);
			}
			add_line(&s, copy);
			free(copy);
		}
		t += between(3000, 20000); /* its own first turn */
		iso(t, ts);
	} else {
		snprintf(buf, cap,
		         "{\"timestamp\":\"%s\",\"type\":\"session_meta\",\"payload\":{\"id\":"
		         "\"%s\",\"timestamp\":\"%s\",\"cwd\":\"%s\",\"originator\":"
		         "\"codex_cli_rs\",\"cli_version\":\"0.63.0\",\"instructions\":null,"
		         "\"source\":\"cli\",\"model_provider\":\"openai\"}}",
		         ts, sid, ts, cwd);
		add_line(&s, buf);
	}
	snprintf(buf, cap,
	         "{\"timestamp\":\"%s\",\"type\":\"event_msg\",\"payload\":{\"type\":"
	         "\"token_count\",\"info\":null,\"rate_limits\":{\"primary\":{\"used_percent\":"
	         "%.1f,\"window_minutes\":300,\"resets_in_seconds\":9000},\"secondary\":{"
	         "\"used_percent\":%.1f,\"window_minutes\":10080,\"resets_in_seconds\":400000}}}}",
	         ts, used, used / 3);
	add_line(&s, buf);
	/* A turn of the person's fans out into 10-60 requests too. */
	for (int r = 0, next_turn = 0; r < n_requests; r++) {
		int64_t in = between(2000, 30000), cached = in * between(30, 95) / 100;
		int64_t out = between(50, 3000), reason = out * between(0, 60) / 100;
		int is_patch = chance(20), has_call = is_patch || chance(60);
		char call[32];

		snprintf(call, sizeof(call), "%.12s%05d", sid + 24, r);
		if (r == next_turn) {
			next_turn += (int)between(10, 60);
			if (r > 0) {
				t += between(20000, 600000);
				if (chance(30))
					model = codex_models[pick(4)];
			}
			iso(t, ts);
			snprintf(
			    buf, cap,
			    "{\"timestamp\":\"%s\",\"type\":\"turn_context\",\"payload\":{"
			    "\"cwd\":\"%s\",\"approval_policy\":\"on-request\","
			    "\"sandbox_policy\":{\"mode\":\"workspace-write\"},\"model\":\"%s\","
			    "\"effort\":\"medium\",\"summary\":\"auto\"}}",
			    ts, cwd, model);
			add_line(&s, buf);
			prompt_text(body, sizeof(body));
			snprintf(buf, cap,
			         "{\"timestamp\":\"%s\",\"type\":\"response_item\",\"payload\":{"
			         "\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":"
			         "\"input_text\",\"text\":\"%s\"}]}}",
			         ts, body);
			add_line(&s, buf);
			/* The client shows the person's turn as an event too. */
			snprintf(buf, cap,
			         "{\"timestamp\":\"%s\",\"type\":\"event_msg\",\"payload\":{"
			         "\"type\":\"user_message\",\"message\":\"%s\",\"images\":[]}}",
			         ts, body);
			add_line(&s, buf);
		}
		t += between(1500, 30000);
		iso(t, ts);
		body[0] = '\0';
		text(body, sizeof(body), (int)between(3, 12));
		if (chance(40)) {
			snprintf(buf, cap,
			         "{\"timestamp\":\"%s\",\"type\":\"response_item\",\"payload\":{"
			         "\"type\":"
			         "\"reasoning\",\"summary\":[{\"type\":\"summary_text\",\"text\":"
			         "\"%s\"}],"
			         "\"content\":null,\"encrypted_content\":\"gAAAAAB%s\"}}",
			         ts, body, sid);
			add_line(&s, buf);
		}
		if (is_patch) {
			char patch[1500] = "";
			int add = (int)between(1, 15), del = (int)between(0, 6);

			for (int i = 0; i < del; i++) {
				strcat(patch, "\\n-");
				text(patch, sizeof(patch) - 300, 3);
			}
			for (int i = 0; i < add; i++) {
				strcat(patch, "\\n+");
				text(patch, sizeof(patch) - 300, 4);
			}
			snprintf(
			    buf, cap,
			    "{\"timestamp\":\"%s\",\"type\":\"response_item\",\"payload\":{"
			    "\"type\":\"custom_tool_call\",\"status\":\"completed\",\"call_id\":"
			    "\"call_%s\",\"name\":\"apply_patch\",\"input\":\"*** Begin "
			    "Patch\\n*** Update File: src/mod.py\\n@@ def f():\\n context%s\\n*** "
			    "End Patch\\n\"}}",
			    ts, call, patch);
		} else if (has_call) {
			snprintf(buf, cap,
			         "{\"timestamp\":\"%s\",\"type\":\"response_item\",\"payload\":{"
			         "\"type\":\"function_call\",\"name\":\"shell\",\"arguments\":"
			         "\"{\\\"command\\\":[\\\"bash\\\",\\\"-lc\\\",\\\"rg -n %s\\\"],"
			         "\\\"workdir\\\":\\\"%s\\\"}\",\"call_id\":\"call_%s\"}}",
			         ts, words[pick(20)], cwd, call);
		}
		if (is_patch || has_call)
			add_line(&s, buf);
		total[0] += in;
		total[1] += cached;
		total[2] += out;
		total[3] += reason;
		used += (double)between(0, 20) / 10.0;
		if (used > 100)
			used = 100;
		for (int k = 0, reps = chance(10) ? 2 : 1; k < reps; k++) {
			snprintf(
			    buf, cap,
			    "{\"timestamp\":\"%s\",\"type\":\"event_msg\",\"payload\":{\"type\":"
			    "\"token_count\",\"info\":{\"total_token_usage\":{\"input_tokens\":"
			    "%" PRId64 ",\"cached_input_tokens\":%" PRId64 ",\"output_tokens\":"
			    "%" PRId64 ",\"reasoning_output_tokens\":%" PRId64
			    ",\"total_tokens\":%" PRId64 "},\"last_token_usage\":{"
			    "\"input_tokens\":%" PRId64 ",\"cached_input_tokens\":%" PRId64
			    ",\"output_tokens\":%" PRId64 ",\"reasoning_output_tokens\":%" PRId64
			    ",\"total_tokens\":%" PRId64 "},\"model_context_window\":272000},"
			    "\"rate_limits\":{\"primary\":{\"used_percent\":%.1f,"
			    "\"window_minutes\":300,\"resets_in_seconds\":9000},\"secondary\":{"
			    "\"used_percent\":%.1f,\"window_minutes\":10080,"
			    "\"resets_in_seconds\":400000}}}}",
			    ts, total[0], total[1], total[2], total[3], total[0] + total[2], in,
			    cached, out, reason, in + out, used, used / 3);
			add_line(&s, buf);
		}
		if (is_patch) {
			/* apply_patch says whether it applied; one patch in ten fails to. */
			snprintf(buf, cap,
			         "{\"timestamp\":\"%s\",\"type\":\"response_item\",\"payload\":{"
			         "\"type\":\"custom_tool_call_output\",\"call_id\":\"call_%s\","
			         "\"output\":\"{\\\"output\\\":\\\"%s\\\",\\\"metadata\\\":{"
			         "\\\"exit_code\\\":%d,\\\"duration_seconds\\\":0.0}}\"}}",
			         ts, call,
			         chance(90)
			             ? "Success. Updated the following files:\\\\nM src/mod.py\\\\n"
			             : "apply_patch verification failed: Failed to find expected "
			               "lines in src/mod.py",
			         0);
			add_line(&s, buf);
		} else if (has_call) {
			body[0] = '\0';
			text(body, sizeof(body), (int)between(2, 12));
			snprintf(buf, cap,
			         "{\"timestamp\":\"%s\",\"type\":\"response_item\",\"payload\":{"
			         "\"type\":\"function_call_output\",\"call_id\":\"call_%s\","
			         "\"output\":\"%s\"}}",
			         ts, call, body);
			add_line(&s, buf);
		}
	}
	write_session(dir, name, &s);
	free_session(prev);
	*prev = s;
	snprintf(prev_path, 256, "%" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %s", total[0],
	         total[1], total[2], total[3], sid);
	free(buf);
	return t;
}

/* ---- native ---- */

static void native_day(const struct opts *o, FILE *fp, const char *dev, int64_t day_ms, int n,
                       unsigned *seq)
{
	static const char *const tasks[] = {"debug", "feature", "refactor",
	                                    "test",  "docs",    "review"};
	static const char *const models[] = {"chatgpt-5.5", "codex-5.3-spark"};
	static const char *const outcomes[] = {"accepted", "accepted", "accepted", "edited",
	                                       "rejected"};
	char ts[64];

	(void)o;
	for (int i = 0; i < n; i++) {
		int64_t t = day_ms + between(8 * 3600000, 19 * 3600000);
		const char *model = models[pick(2)];
		int64_t sug = between(0, 60), acc = sug * between(0, 100) / 100;

		iso(t, ts);
		fprintf(
		    fp,
		    "{\"ts\":\"%s\",\"developer\":\"%s@example.com\",\"tool\":\"chatgpt\","
		    "\"model\":\"%s\",\"task\":\"%s\",\"input_tokens\":%" PRId64
		    ",\"cache_read_tokens\":%" PRId64 ",\"output_tokens\":%" PRId64
		    ",\"latency_ms\":%" PRId64 ",\"outcome\":\"%s\",\"lines_suggested\":%" PRId64
		    ",\"lines_accepted\":%" PRId64 ",\"session\":\"s-%s-%u\",\"request_id\":"
		    "\"r-%s-%u\",\"project\":\"%s\"}\n",
		    ts, dev, model, tasks[pick(6)], between(300, 6000), between(0, 3000),
		    between(100, 2500),
		    strcmp(model, "codex-5.3-spark") == 0 ? between(300, 2500) : between(900, 9000),
		    outcomes[pick(5)], sug, acc, dev, *seq / 20, dev, *seq, projects[pick(6)]);
		(*seq)++;
	}
}

static int usage_exit(void)
{
	fputs("usage: loggen --out DIR [--demo | --requests N] [--developers N] [--days N]\n"
	      "              [--start YYYY-MM-DD] [--seed N] [--no-native] [--plain]\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	struct opts o = {NULL, 8, 30, 0, 1, 0, 305000, 0};
	int y = 2026, m = 10, d = 25;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--out") == 0 && v)
			o.out = v, i++;
		else if (strcmp(a, "--demo") == 0)
			o.is_demo = 1, o.developers = 4, o.requests = 1200;
		else if (strcmp(a, "--requests") == 0 && v)
			o.requests = atoll(v), i++;
		else if (strcmp(a, "--developers") == 0 && v)
			o.developers = atoi(v), i++;
		else if (strcmp(a, "--days") == 0 && v)
			o.days = atoi(v), i++;
		else if (strcmp(a, "--seed") == 0 && v)
			rng_state += strtoull(v, NULL, 10) * 0xbf58476d1ce4e5b9ULL + 1, i++;
		else if (strcmp(a, "--start") == 0 && v && sscanf(v, "%d-%d-%d", &y, &m, &d) == 3)
			i++;
		else if (strcmp(a, "--no-native") == 0)
			o.has_native = 0;
		else if (strcmp(a, "--plain") == 0)
			o.is_plain = 1;
		else
			return usage_exit();
	}
	if (o.out == NULL || o.developers < 1 || o.developers > 12 || o.days < 1 || o.requests < 1)
		return usage_exit();
	o.start_ms = days_from_civil(y, (unsigned)m, (unsigned)d) * 86400000;

	for (int dv = 0; dv < o.developers; dv++) {
		const char *dev = dev_names[dv];
		struct csession cprev = {NULL, 0, 0}, xprev = {NULL, 0, 0};
		char cprev_sid[40] = "", xprev_tot[256] = "";
		/* Each developer leans to one tool; everyone uses both a little. */
		int claude_share = dv % 3 == 2 ? 25 : dv % 3 == 1 ? 55 : 85;
		int64_t per_day = o.requests / o.developers / o.days;

		/* In the demo the first developer works with the assistants all day. */
		if (o.is_demo && dv == 0)
			per_day *= 4;
		FILE *native = NULL;
		unsigned seq = 0;
		char ndir[4096];

		if (per_day < 1)
			per_day = 1;
		if (o.has_native && (o.is_demo || dv % 4 == 0)) {
			snprintf(ndir, sizeof(ndir), "%s/%s/native", o.out, dev);
			native = open_file(ndir, "chatgpt.ndjson");
		}
		for (int day = 0; day < o.days; day++) {
			int64_t day_ms = o.start_ms + (int64_t)day * 86400000;
			int64_t left = per_day * between(60, 140) / 100;
			int64_t t = day_ms + between(7 * 3600000, 10 * 3600000);

			/* Weekends are quiet. */
			if ((day_ms / 86400000 + 3) % 7 >= 5)
				left /= 5;
			/* The last developer stops using their seat halfway. */
			if (o.is_demo && dv == o.developers - 1 && day > o.days / 2)
				left = 0;
			while (left > 0) {
				int n = (int)between(20, 300);

				if (n > left)
					n = (int)left;
				if (chance((unsigned)claude_share))
					t = claude_session(&o, dev, t, n, &cprev, cprev_sid);
				else
					t = codex_session(&o, dev, t, n, &xprev, xprev_tot);
				t += between(60000, 3600000);
				left -= n;
			}
			if (native)
				native_day(&o, native, dev, day_ms, (int)(per_day / 4 + 1), &seq);
		}
		free_session(&cprev);
		free_session(&xprev);
		if (native)
			fclose(native);
	}
	return 0;
}
