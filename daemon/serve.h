/*
 * serve.h - `paybackd serve`: live ingest, the HTTP server and the digest
 * scheduler, with systemd's notify protocol and SIGHUP reloads.
 */
#ifndef PAYBACK_SERVE_H
#define PAYBACK_SERVE_H

#include "config/config.h"
#include "store/store.h"

struct serve_options {
	struct config *cfg;      /* replaced in place by a reload */
	const char *config_path; /* read again on SIGHUP; NULL: built-in defaults */
	const char *db_path;
	const char *listen; /* ADDR:PORT */
	struct store *st;   /* the writer, opened by the caller */
	volatile int *stop, *reload;
};

/* Runs until *stop; returns the exit status (0, or 1 when ingest failed for good). */
int serve_run(const struct serve_options *o);

#endif
