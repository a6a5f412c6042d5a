/*
 * auth.c - who a request comes from.
 *
 * Dashboard users sign in with HTTP Basic against crypt(3) hashes; a good
 * password's SHA-256 is kept so that yescrypt, slow on purpose, runs once
 * per password and not once per request. Event senders show a bearer
 * token; only the tokens' SHA-256 are configured.
 */
#include "auth.h"

#include <crypt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../lib/util.h"

void http_auth_init(struct http_auth *a, const struct config *cfg)
{
	memset(a, 0, sizeof(*a));
	a->cfg = cfg;
	pthread_mutex_init(&a->verified_lock, NULL);
}

void http_auth_free(struct http_auth *a)
{
	free(a->verified);
	a->verified = NULL;
	pthread_mutex_destroy(&a->verified_lock);
}

/* Checks a password against a user's crypt(3) hash, remembering the last good one. */
static int password_ok(struct http_auth *a, size_t user, const char *password)
{
	const struct config *cfg = a->cfg;
	const char *hash = cfg->users[user].password_hash;
	unsigned char digest[32];
	struct crypt_data *data;
	const char *out;
	int ok = 0;

	sha256(password, strlen(password), digest);
	pthread_mutex_lock(&a->verified_lock);
	if (a->verified == NULL &&
	    (a->verified = calloc(cfg->n_users, sizeof(*a->verified))) != NULL)
		a->n_verified = cfg->n_users;
	ok = user < a->n_verified && equal_const_time(a->verified[user], digest, 32);
	pthread_mutex_unlock(&a->verified_lock);
	if (ok)
		return 1;
	data = calloc(1, sizeof(*data));
	if (data == NULL)
		return 0;
	out = crypt_r(password, hash, data);
	ok = out != NULL && out[0] == '$' && strlen(out) == strlen(hash) &&
	     equal_const_time(out, hash, strlen(hash));
	free(data);
	if (ok) {
		pthread_mutex_lock(&a->verified_lock);
		if (user < a->n_verified)
			memcpy(a->verified[user], digest, 32);
		pthread_mutex_unlock(&a->verified_lock);
	}
	return ok;
}

int http_auth_user(struct http_auth *a, struct MHD_Connection *c, struct http_user *u)
{
	const struct config *cfg = a->cfg;
	char *name, *password = NULL;
	int rc = -1;

	memset(u, 0, sizeof(*u));
	if (cfg->n_users == 0) {
		u->role = ROLE_ADMIN; /* only ever on loopback: http_start saw to that */
		return 0;
	}
	name = MHD_basic_auth_get_username_password(c, &password);
	if (name != NULL && password != NULL) {
		for (size_t i = 0; i < cfg->n_users; i++) {
			const struct user *x = &cfg->users[i];

			if (strcmp(x->name, name) != 0)
				continue;
			if (password_ok(a, i, password)) {
				u->name = x->name;
				u->role = x->role;
				u->developer = x->developer;
				rc = 0;
			}
			break;
		}
	}
	if (password)
		explicit_bzero(password, strlen(password));
	MHD_free(name);
	MHD_free(password);
	return rc;
}

const char *http_auth_sender(const struct http_auth *a, int is_loopback, const char *authorization,
                             unsigned *status, const char **why)
{
	const struct config *cfg = a->cfg;
	unsigned char digest[32];
	const char *found = NULL;

	if (cfg->n_tokens == 0) {
		if (is_loopback)
			return "local";
		*status = MHD_HTTP_FORBIDDEN;
		*why = "no ingest tokens are configured (ingest.tokens)";
		return NULL;
	}
	if (authorization == NULL || strncasecmp(authorization, "Bearer ", 7) != 0 ||
	    authorization[7] == '\0') {
		*status = MHD_HTTP_UNAUTHORIZED;
		*why = "send an ingest token: Authorization: Bearer TOKEN";
		return NULL;
	}
	sha256(authorization + 7, strlen(authorization + 7), digest);
	/* Every token is compared, so the time taken says nothing of which matched. */
	for (size_t i = 0; i < cfg->n_tokens; i++)
		if (equal_const_time(cfg->tokens[i].sha256, digest, 32) && found == NULL)
			found = cfg->tokens[i].name;
	if (found == NULL) {
		*status = MHD_HTTP_FORBIDDEN;
		*why = "this token is not accepted";
	}
	return found;
}
