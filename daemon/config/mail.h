/*
 * mail.h - the smtp and digests sections of payback.yaml: the server digests
 * go through and the digests themselves.
 */
#ifndef PAYBACK_CONFIG_MAIL_H
#define PAYBACK_CONFIG_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "../digest/schedule.h"
#include "check.h"

/* The mail server digests go through (docs/digests.md). */
struct smtp_settings {
	char *url;           /* smtp://host:587 (STARTTLS) or smtps://host:465 */
	char *from;          /* the From: address, "Payback <payback@example.com>" allowed */
	char *user;          /* NULL: no authentication */
	char *password_file; /* the password is read from here... */
	char *password_env;  /* ...or from this environment variable, never from the YAML */
	int is_tls_off;      /* smtp.tls: none, plain text on the wire */
	int64_t retry_first_s, retry_max_s; /* backoff after a failed try, doubling */
	int64_t timeout_s;                  /* per try */
};

enum digest_scope { SCOPE_ORG, SCOPE_TEAM, SCOPE_PERSONAL };

/* A scheduled e-mail report. */
struct digest {
	char *name;
	struct schedule schedule;
	enum digest_scope scope;
	char *team; /* SCOPE_TEAM */
	char **to;  /* SCOPE_ORG and SCOPE_TEAM: the recipients */
	size_t n_to;
	int is_text_only; /* format: text, no HTML part */
};

void config_smtp_defaults(struct smtp_settings *s);
void config_load_smtp(struct config_ctx *c, struct smtp_settings *s, const struct ynode *n);
/*
 * Fills *out with the digests listed; is_team tells whether a team of that
 * name exists (people[].team), for "team:NAME" scopes.
 */
void config_load_digests(struct config_ctx *c, const struct ynode *list,
                         const struct smtp_settings *smtp,
                         int (*is_team)(const void *arg, const char *team), const void *arg,
                         struct digest **out, size_t *n_out);
void config_free_mail(struct smtp_settings *smtp, struct digest *digests, size_t n);

#endif
