/*
 * config.c - validates payback.yaml against the keys Payback knows and fills
 * struct config. Every problem is reported with its position, and unknown
 * keys are errors with a did-you-mean, because a mistyped key that is
 * silently ignored makes a wrong report nobody notices.
 */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "ingest/parser.h"
#include "util.h"
#include "yamldoc.h"

struct cctx {
	const char *path;
	struct buf errors;
	int n_errors;
};

static void cerr(struct cctx *c, const struct ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void cerr(struct cctx *c, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;

	if (c->n_errors++ >= 20)
		return;
	buf_printf(&c->errors, "%s:%d:%d: ", c->path, n ? n->line : 1, n ? n->col : 1);
	va_start(ap, fmt);
	buf_vprintf(&c->errors, fmt, ap);
	va_end(ap);
	buf_putc(&c->errors, '\n');
}

static const char *suggest(const char *word, const char *const *known)
{
	const char *best = NULL;
	unsigned best_d = 3;

	for (; *known; known++) {
		unsigned d = edit_distance(word, *known);

		if (d < best_d || (d <= 4 && strstr(*known, word) && best == NULL)) {
			best = *known;
			best_d = d;
		}
	}
	return best;
}

/* Reports every key of map that is not in known; returns 0 if there were none. */
static int check_keys(struct cctx *c, const struct ynode *map, const char *where,
                      const char *const *known)
{
	int bad = 0;

	for (size_t i = 0; i < map->n; i++) {
		const char *k = map->keys[i]->scalar, *s;
		size_t j;

		for (j = 0; known[j] && strcmp(known[j], k) != 0; j++)
			;
		if (known[j])
			continue;
		bad = -1;
		s = suggest(k, known);
		if (s)
			cerr(c, map->keys[i], "unknown key '%s'%s (did you mean '%s'?)", k, where,
			     s);
		else
			cerr(c, map->keys[i], "unknown key '%s'%s", k, where);
	}
	return bad;
}

static int want_type(struct cctx *c, const struct ynode *n, enum ynode_type t, const char *what)
{
	static const char *const names[] = {"a value", "a list", "a mapping"};

	if (n->type == t)
		return 0;
	cerr(c, n, "%s must be %s", what, names[t]);
	return -1;
}

/* Replaces *out with the scalar of n; returns -1 (reported) if n is not one. */
static int take_string(struct cctx *c, const struct ynode *n, const char *what, char **out)
{
	if (want_type(c, n, YNODE_SCALAR, what) < 0)
		return -1;
	if (n->scalar[0] == '\0' || ydoc_is_null(n)) {
		cerr(c, n, "%s must not be empty", what);
		return -1;
	}
	free(*out);
	*out = strdup(n->scalar);
	return *out ? 0 : -1;
}

static int timezone_exists(const char *name)
{
	const char *dir = getenv("TZDIR");
	char path[4096], magic[4];
	FILE *fp;
	int ok;

	if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0)
		return 1;
	if (name[0] == '/' || strstr(name, "..") || strlen(name) > 200)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "/usr/share/zoneinfo", name);
	fp = fopen(path, "rb");
	if (fp == NULL)
		return 0;
	ok = fread(magic, 1, 4, fp) == 4 && memcmp(magic, "TZif", 4) == 0;
	fclose(fp);
	return ok;
}

/* Relative paths in a file are relative to the file's folder, wherever paybackd runs. */
static void resolve_path(const char *config_path, char **p)
{
	const char *slash = strrchr(config_path, '/');
	char *joined;
	size_t dir_len;

	if (*p == NULL || (*p)[0] == '/' || slash == NULL || strcmp(*p, ":memory:") == 0)
		return;
	dir_len = (size_t)(slash - config_path);
	joined = malloc(dir_len + strlen(*p) + 2);
	if (joined == NULL)
		return;
	memcpy(joined, config_path, dir_len);
	joined[dir_len] = '/';
	memcpy(joined + dir_len + 1, *p, strlen(*p) + 1);
	free(*p);
	*p = joined;
}

static void load_sources(struct cctx *c, struct config *cfg, const struct ynode *list)
{
	static const char *const keys[] = {"path", "format", "developer", "tool", NULL};

	if (want_type(c, list, YNODE_SEQ, "sources") < 0)
		return;
	cfg->sources = calloc(list->n ? list->n : 1, sizeof(*cfg->sources));
	if (cfg->sources == NULL)
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct ynode *s = list->items[i], *v;
		struct ingest_source *src = &cfg->sources[cfg->n_sources];
		char *path = NULL, *format = NULL, *developer = NULL, *tool = NULL;

		if (want_type(c, s, YNODE_MAP, "a source") < 0)
			continue;
		check_keys(c, s, " in a source", keys);
		if ((v = ydoc_get(s, "path")) == NULL)
			cerr(c, s, "a source needs a 'path'");
		else if (take_string(c, v, "path", &path) == 0)
			resolve_path(c->path, &path);
		if ((v = ydoc_get(s, "format")) != NULL &&
		    take_string(c, v, "format", &format) == 0 && strcmp(format, "auto") != 0 &&
		    format_by_name(format) == NULL)
			cerr(c, v,
			     "unknown format '%s' (expected auto, native, claude-code or codex)",
			     format);
		if ((v = ydoc_get(s, "developer")) != NULL)
			take_string(c, v, "developer", &developer);
		if ((v = ydoc_get(s, "tool")) != NULL)
			take_string(c, v, "tool", &tool);
		src->path = path;
		src->format = format;
		src->developer = developer;
		src->tool = tool;
		cfg->n_sources++;
	}
}

static char *default_storage_path(void)
{
	const char *state = getenv("STATE_DIRECTORY"), *home = getenv("HOME");
	const char *xdg = getenv("XDG_STATE_HOME");
	char path[4200];

	/* systemd's StateDirectory= first, then the XDG state folder. */
	if (state && *state) {
		char first[4096];

		snprintf(first, sizeof(first), "%s", state);
		first[strcspn(first, ":")] = '\0';
		snprintf(path, sizeof(path), "%s/payback.db", first);
	} else if (xdg && *xdg) {
		snprintf(path, sizeof(path), "%s/payback/payback.db", xdg);
	} else if (home && *home) {
		snprintf(path, sizeof(path), "%s/.local/state/payback/payback.db", home);
	} else {
		snprintf(path, sizeof(path), "payback.db");
	}
	return strdup(path);
}

static char *default_developer(void)
{
	const char *user = getenv("USER");
	struct passwd *pw;

	if (user && *user)
		return strdup(user);
	pw = getpwuid(getuid());
	return strdup(pw && pw->pw_name ? pw->pw_name : "unknown");
}

static int load(struct config *cfg, const char *path, const char *text, char *err, size_t errlen)
{
	static const char *const top[] = {"storage", "timezone", "developer", "sources", NULL};
	static const char *const storage_keys[] = {"path", NULL};
	struct cctx c = {path, BUF_INIT, 0};
	struct ynode *root = NULL, *v;

	memset(cfg, 0, sizeof(*cfg));
	err[0] = '\0';
	cfg->storage_path = default_storage_path();
	cfg->timezone = strdup("UTC");
	cfg->developer = default_developer();
	if (path == NULL)
		return cfg->storage_path && cfg->timezone && cfg->developer ? 0 : -1;
	cfg->file = strdup(path);
	root = ydoc_load(path, text, err, errlen);
	if (root == NULL)
		return -1;
	if (want_type(&c, root, YNODE_MAP, "the configuration") < 0)
		goto done;
	check_keys(&c, root, "", top);
	if ((v = ydoc_get(root, "storage")) != NULL &&
	    want_type(&c, v, YNODE_MAP, "storage") == 0) {
		const struct ynode *p = ydoc_get(v, "path");

		check_keys(&c, v, " in storage", storage_keys);
		if (p && take_string(&c, p, "storage.path", &cfg->storage_path) == 0)
			resolve_path(path, &cfg->storage_path);
	}
	if ((v = ydoc_get(root, "timezone")) != NULL &&
	    take_string(&c, v, "timezone", &cfg->timezone) == 0 && !timezone_exists(cfg->timezone))
		cerr(&c, v, "unknown time zone '%s' (expected an IANA name such as Europe/Lisbon)",
		     cfg->timezone);
	if ((v = ydoc_get(root, "developer")) != NULL)
		take_string(&c, v, "developer", &cfg->developer);
	if ((v = ydoc_get(root, "sources")) != NULL && !ydoc_is_null(v))
		load_sources(&c, cfg, v);
done:
	ydoc_free(root);
	if (c.n_errors) {
		if (c.n_errors > 20)
			buf_printf(&c.errors, "%s: %d more problems not shown\n", path,
			           c.n_errors - 20);
		snprintf(err, errlen, "%s", c.errors.data);
		if (c.errors.len && err[strlen(err) - 1] == '\n')
			err[strlen(err) - 1] = '\0';
		buf_free(&c.errors);
		return -1;
	}
	buf_free(&c.errors);
	return 0;
}

int config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
	return load(cfg, path, NULL, err, errlen);
}

int config_load_text(struct config *cfg, const char *path, const char *text, char *err,
                     size_t errlen)
{
	return load(cfg, path, text, err, errlen);
}

void config_free(struct config *cfg)
{
	for (size_t i = 0; i < cfg->n_sources; i++) {
		free((char *)cfg->sources[i].path);
		free((char *)cfg->sources[i].format);
		free((char *)cfg->sources[i].developer);
		free((char *)cfg->sources[i].tool);
	}
	free(cfg->sources);
	free(cfg->file);
	free(cfg->storage_path);
	free(cfg->timezone);
	free(cfg->developer);
	memset(cfg, 0, sizeof(*cfg));
}

int config_apply_timezone(const struct config *cfg)
{
	if (!timezone_exists(cfg->timezone))
		return -1;
	setenv("TZ", cfg->timezone, 1);
	tzset();
	return 0;
}

static size_t add_dir(struct ingest_source *out, char paths[][4096], size_t n, size_t max,
                      const char *root, const char *sub, const char *format)
{
	struct stat sb;

	if (n >= max || root == NULL || *root == '\0' || strlen(root) + strlen(sub) >= 4096)
		return n;
	memcpy(paths[n], root, strlen(root));
	memcpy(paths[n] + strlen(root), sub, strlen(sub) + 1);
	if (stat(paths[n], &sb) < 0 || !S_ISDIR(sb.st_mode))
		return n;
	memset(&out[n], 0, sizeof(out[n]));
	out[n].path = paths[n];
	out[n].format = format;
	return n + 1;
}

/*
 * Where the tools write by default, the places ccusage reads too:
 * $CLAUDE_CONFIG_DIR (comma-separated roots) or ~/.config/claude and
 * ~/.claude; $CODEX_HOME or ~/.codex, live and archived sessions.
 */
size_t config_default_sources(struct ingest_source *out, char paths[][4096], size_t max)
{
	const char *home = getenv("HOME"), *claude = getenv("CLAUDE_CONFIG_DIR");
	const char *codex = getenv("CODEX_HOME");
	char root[4096];
	size_t n = 0;

	if (claude && *claude) {
		char list[4096], *save = NULL;

		snprintf(list, sizeof(list), "%s", claude);
		for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
			n = add_dir(out, paths, n, max, t, "/projects", "claude-code");
	} else if (home) {
		snprintf(root, sizeof(root), "%s/.config/claude", home);
		n = add_dir(out, paths, n, max, root, "/projects", "claude-code");
		snprintf(root, sizeof(root), "%s/.claude", home);
		n = add_dir(out, paths, n, max, root, "/projects", "claude-code");
	}
	if (codex && *codex) {
		snprintf(root, sizeof(root), "%s", codex);
	} else if (home) {
		snprintf(root, sizeof(root), "%s/.codex", home);
	} else {
		root[0] = '\0';
	}
	n = add_dir(out, paths, n, max, root, "/sessions", "codex");
	n = add_dir(out, paths, n, max, root, "/archived_sessions", "codex");
	return n;
}
