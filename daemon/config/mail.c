/*
 * mail.c - the smtp and digests sections of payback.yaml.
 *
 * The SMTP password never sits in the YAML: it comes from a file or an
 * environment variable, read when a message is sent.
 */
#include "mail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void config_smtp_defaults(struct smtp_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->retry_first_s = 60;
	s->retry_max_s = 3600;
	s->timeout_s = 60;
}

/* "90", "90s", "5m", "2h": seconds from 1 to a day. */
static int take_duration(struct config_ctx *c, const struct ynode *n, const char *what,
                         int64_t *out)
{
	char *end;
	long v;
	int64_t mult = 1;

	if (config_want_type(c, n, YNODE_SCALAR, what) < 0)
		return -1;
	v = strtol(n->scalar, &end, 10);
	if (strcmp(end, "m") == 0)
		mult = 60;
	else if (strcmp(end, "h") == 0)
		mult = 3600;
	else if (strcmp(end, "s") != 0 && *end != '\0')
		end = n->scalar;
	if (end == n->scalar || v < 1 || v * mult > 86400) {
		config_error(c, n,
		             "%s must be a duration from 1s to 24h (such as 30s, 5m or 1h), "
		             "not '%s'",
		             what, n->scalar);
		return -1;
	}
	*out = v * mult;
	return 0;
}

void config_load_smtp(struct config_ctx *c, struct smtp_settings *s, const struct ynode *n)
{
	/* "password" is known so that its own, clearer error is the only one. */
	static const char *const keys[] = {"url",           "from",         "user", "password",
	                                   "password_file", "password_env", "tls",  "retry_first",
	                                   "retry_max",     "timeout",      NULL};
	const struct ynode *v;
	char *tls = NULL;

	if (config_want_type(c, n, YNODE_MAP, "smtp") < 0)
		return;
	config_check_keys(c, n, " in smtp", keys);
	if ((v = ydoc_get(n, "url")) == NULL)
		config_error(c, n, "smtp needs a 'url' such as smtp://mail.example.com:587");
	else if (config_take_string(c, v, "smtp.url", &s->url) == 0 &&
	         strncasecmp(s->url, "smtp://", 7) != 0 && strncasecmp(s->url, "smtps://", 8) != 0)
		config_error(c, v, "smtp.url must start with smtp:// or smtps://, not '%s'",
		             s->url);
	if ((v = ydoc_get(n, "from")) == NULL)
		config_error(c, n, "smtp needs 'from': the address digests are sent from");
	else if (config_take_string(c, v, "smtp.from", &s->from) == 0 &&
	         strchr(s->from, '@') == NULL)
		config_error(c, v, "smtp.from must be an address such as payback@example.com");
	if ((v = ydoc_get(n, "user")) != NULL)
		config_take_string(c, v, "smtp.user", &s->user);
	if ((v = ydoc_get(n, "password_file")) != NULL &&
	    config_take_string(c, v, "smtp.password_file", &s->password_file) == 0)
		config_resolve_path(c->path, &s->password_file);
	if ((v = ydoc_get(n, "password_env")) != NULL)
		config_take_string(c, v, "smtp.password_env", &s->password_env);
	if (s->password_file && s->password_env)
		config_error(c, n,
		             "smtp takes one of 'password_file' and 'password_env', not both");
	if (s->user && !s->password_file && !s->password_env)
		config_error(c, n,
		             "smtp.user needs a password: 'password_file' (a file holding it) or "
		             "'password_env' (an environment variable); never the password itself");
	if ((v = ydoc_get(n, "password")) != NULL)
		config_error(c, v,
		             "the SMTP password does not belong in the YAML: use "
		             "'password_file' or 'password_env'");
	if ((v = ydoc_get(n, "tls")) != NULL && config_take_string(c, v, "smtp.tls", &tls) == 0) {
		if (strcmp(tls, "none") == 0)
			s->is_tls_off = 1;
		else if (strcmp(tls, "required") != 0)
			config_error(c, v,
			             "smtp.tls must be 'required' (the default: STARTTLS or smtps) "
			             "or 'none', not '%s'",
			             tls);
	}
	free(tls);
	if ((v = ydoc_get(n, "retry_first")) != NULL)
		take_duration(c, v, "smtp.retry_first", &s->retry_first_s);
	if ((v = ydoc_get(n, "retry_max")) != NULL)
		take_duration(c, v, "smtp.retry_max", &s->retry_max_s);
	if ((v = ydoc_get(n, "timeout")) != NULL)
		take_duration(c, v, "smtp.timeout", &s->timeout_s);
}

/* "org", "team:NAME" or "personal" into d. */
static void take_scope(struct config_ctx *c, const struct ynode *v,
                       int (*is_team)(const void *arg, const char *team), const void *arg,
                       struct digest *d)
{
	char *scope = NULL;

	if (config_take_string(c, v, "scope", &scope) < 0)
		return;
	if (strcmp(scope, "org") == 0) {
		d->scope = SCOPE_ORG;
	} else if (strcmp(scope, "personal") == 0) {
		d->scope = SCOPE_PERSONAL;
	} else if (strncmp(scope, "team:", 5) == 0 && scope[5] != '\0') {
		d->scope = SCOPE_TEAM;
		d->team = strdup(scope + 5);
		if (!is_team(arg, scope + 5))
			config_error(c, v, "no person is in team '%s' (people[].team)", scope + 5);
	} else {
		config_error(c, v, "scope must be org, team:NAME or personal, not '%s'", scope);
	}
	free(scope);
}

void config_load_digests(struct config_ctx *c, const struct ynode *list,
                         const struct smtp_settings *smtp,
                         int (*is_team)(const void *arg, const char *team), const void *arg,
                         struct digest **out, size_t *n_out)
{
	struct digest *digests;
	size_t count = 0;

	static const char *const keys[] = {"name", "schedule", "to", "scope", "format", NULL};

	if (config_want_type(c, list, YNODE_SEQ, "digests") < 0)
		return;
	digests = calloc(list->n ? list->n : 1, sizeof(*digests));
	if (digests == NULL)
		return;
	*out = digests;
	for (size_t i = 0; i < list->n; i++) {
		const struct ynode *n = list->items[i], *v;
		struct digest *d = &digests[count];
		char *text = NULL, why[256];

		if (config_want_type(c, n, YNODE_MAP, "a digest") < 0)
			continue;
		config_check_keys(c, n, " in a digest", keys);
		*n_out = ++count;
		if ((v = ydoc_get(n, "name")) == NULL)
			config_error(c, n, "a digest needs a 'name' (paybackd digest NAME)");
		else if (config_take_string(c, v, "name", &d->name) == 0)
			for (size_t k = 0; k + 1 < count; k++)
				if (digests[k].name && strcmp(digests[k].name, d->name) == 0)
					config_error(c, v, "a digest named '%s' is already listed",
					             d->name);
		if ((v = ydoc_get(n, "schedule")) == NULL)
			config_error(c, n,
			             "a digest needs a 'schedule' such as 'weekly monday 08:00'");
		else if (config_take_string(c, v, "schedule", &text) == 0 &&
		         sched_parse(text, &d->schedule, why, sizeof(why)) < 0)
			config_error(c, v, "%s", why);
		free(text);
		text = NULL;
		if ((v = ydoc_get(n, "scope")) != NULL)
			take_scope(c, v, is_team, arg, d);
		if ((v = ydoc_get(n, "to")) != NULL && !ydoc_is_null(v)) {
			if (d->scope == SCOPE_PERSONAL)
				config_error(c, v,
				             "a personal digest goes to each person with a seat "
				             "(people[].email, or the id): leave out 'to'");
			else if (config_take_list(c, v, "to", &d->to, &d->n_to) == 0)
				for (size_t k = 0; k < d->n_to; k++)
					if (strchr(d->to[k], '@') == NULL)
						config_error(
						    c, v->type == YNODE_SEQ ? v->items[k] : v,
						    "'%s' is not an e-mail address", d->to[k]);
		} else if (d->scope != SCOPE_PERSONAL) {
			config_error(c, n, "digest '%s' needs 'to': the addresses it goes to",
			             d->name ? d->name : "?");
		}
		if ((v = ydoc_get(n, "format")) != NULL &&
		    config_take_string(c, v, "format", &text) == 0) {
			if (strcmp(text, "text") == 0)
				d->is_text_only = 1;
			else if (strcmp(text, "html") != 0)
				config_error(c, v,
				             "format must be html (HTML with a plain-text "
				             "alternative) or text, not '%s'",
				             text);
		}
		free(text);
	}
	if (count > 0 && smtp->url == NULL)
		config_error(c, list, "digests need an 'smtp' section: the server to send through");
}

void config_free_mail(struct smtp_settings *smtp, struct digest *digests, size_t n)
{
	free(smtp->url);
	free(smtp->from);
	free(smtp->user);
	free(smtp->password_file);
	free(smtp->password_env);
	for (size_t i = 0; i < n; i++) {
		free(digests[i].name);
		free(digests[i].team);
		for (size_t k = 0; k < digests[i].n_to; k++)
			free(digests[i].to[k]);
		free(digests[i].to);
	}
	free(digests);
}
