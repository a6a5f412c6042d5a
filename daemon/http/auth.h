/*
 * auth.h - who a request comes from: dashboard users by HTTP Basic and
 * crypt(3) hashes, event senders by the bearer tokens of ingest.tokens.
 */
#ifndef PAYBACK_HTTP_AUTH_H
#define PAYBACK_HTTP_AUTH_H

#include <microhttpd.h>
#include <pthread.h>
#include <stddef.h>

#include "../config/config.h"

/* Who a request comes from, once authenticated. */
struct http_user {
	const char *name; /* NULL when the dashboard is open (no users configured) */
	enum user_role role;
	const char *developer; /* for ROLE_DEVELOPER: the person they are */
};

/* What sign-in keeps: SHA-256 of each user's last good password, so crypt(3) runs once. */
struct http_auth {
	const struct config *cfg;
	pthread_mutex_t verified_lock;
	unsigned char (*verified)[32];
	size_t n_verified;
};

void http_auth_init(struct http_auth *a, const struct config *cfg);
void http_auth_free(struct http_auth *a);
/* The dashboard user of a request: 0, or -1 when they must sign in. */
int http_auth_user(struct http_auth *a, struct MHD_Connection *c, struct http_user *u);
/*
 * The sender of events: the name of the token in the Authorization header
 * (authorization may be NULL), or, with no tokens configured, "local" on a
 * loopback listener. NULL with the status to answer (401: no bearer token,
 * 403: refused) and *why.
 */
const char *http_auth_sender(const struct http_auth *a, int is_loopback, const char *authorization,
                             unsigned *status, const char **why);

#endif
