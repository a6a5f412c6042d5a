/* parser.c - format lookup, detection and helpers shared by the parsers. */
#include "parser.h"

#include "../lib/util.h"
#include "jv.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const struct format *format_by_name(const char *name)
{
	static const struct format *all[] = {&fmt_claude, &fmt_codex, &fmt_native};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}

/*
 * Detection looks at top-level keys only. Codex wraps everything in
 * {"timestamp","type","payload"}; native lines carry "ts" and "model";
 * Claude Code lines carry "sessionId", "uuid" or a "leafUuid" summary.
 */
const struct format *format_detect(const char *line, size_t len)
{
	cJSON *root = cJSON_ParseWithLength(line, len);
	const struct format *f = NULL;

	if (root == NULL || !cJSON_IsObject(root))
		goto done;
	if (cJSON_GetObjectItemCaseSensitive(root, "payload") &&
	    cJSON_GetObjectItemCaseSensitive(root, "type"))
		f = &fmt_codex;
	else if (cJSON_GetObjectItemCaseSensitive(root, "ts") &&
	         cJSON_GetObjectItemCaseSensitive(root, "model"))
		f = &fmt_native;
	else if (cJSON_GetObjectItemCaseSensitive(root, "sessionId") ||
	         cJSON_GetObjectItemCaseSensitive(root, "uuid") ||
	         cJSON_GetObjectItemCaseSensitive(root, "leafUuid") ||
	         (cJSON_GetObjectItemCaseSensitive(root, "type") &&
	          cJSON_GetObjectItemCaseSensitive(root, "message")))
		f = &fmt_claude;
done:
	cJSON_Delete(root);
	return f;
}

void parse_reject(struct parse_ctx *ctx, const char *reason)
{
	struct reject *r = batch_add_reject(ctx->out);

	if (r == NULL)
		return;
	r->line_no = ctx->line_no;
	r->offset = ctx->offset;
	r->reason = arena_strdup(&ctx->out->mem, reason);
}

void parse_rejectf(struct parse_ctx *ctx, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	parse_reject(ctx, msg);
}

static const char not_an_object[] = "line is not a JSON object";

int parse_view(struct parse_ctx *ctx, const char *line, size_t len, struct jv *root)
{
	size_t at;
	const char *why;
	struct jindex *index;

	arena_reset(ctx->scratch);
	index = arena_alloc(ctx->scratch, sizeof(*index));
	if (json_check_index(line, len, index, &at, &why) < 0) {
		parse_rejectf(ctx, "%s at column %zu", why, at + 1);
		return -1;
	}
	*root = jv_root(line, len, index);
	if (jv_type(*root) != JV_OBJECT) {
		parse_reject(ctx, not_an_object);
		return -1;
	}
	return 0;
}

const char *json_str(const struct cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

const char *parse_strdup(struct parse_ctx *ctx, const char *s)
{
	return s ? arena_strdup(&ctx->out->mem, s) : NULL;
}

int64_t count_lines(const char *s)
{
	int64_t n = 0;

	if (s == NULL || *s == '\0')
		return 0;
	for (; *s; s++)
		if (*s == '\n')
			n++;
	return s[-1] == '\n' ? n : n + 1;
}

const char *parse_basename(struct parse_ctx *ctx, const char *s)
{
	size_t n;
	const char *slash;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	while (n > 1 && s[n - 1] == '/')
		n--;
	slash = memrchr(s, '/', n);
	if (slash && (size_t)(slash - s) + 1 < n)
		return arena_strndup(&ctx->out->mem, slash + 1, n - (size_t)(slash - s) - 1);
	return arena_strndup(&ctx->out->mem, s, n);
}

void state_copy(char *dst, size_t n, const char *s)
{
	size_t i = 0;

	for (; s && s[i] && i + 1 < n; i++)
		dst[i] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
	dst[i] = '\0';
}
