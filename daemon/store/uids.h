/*
 * uids.h - which requests are stored, and at which event rowid, by their
 * identity (event.uid). The events past meta's uids_merged_through are the
 * recent ones, kept in memory; older ones are in table uid_merged, read
 * only for a uid that a Bloom filter of all stored uids cannot rule out
 * (008_recent_uids_in_events.sql). Used inside the writer's transactions.
 */
#ifndef PAYBACK_UIDS_H
#define PAYBACK_UIDS_H

#include <sqlite3.h>
#include <stdint.h>

struct uids;

/* Prepares its statements on db; NULL (logged) when it cannot. */
struct uids *uids_new(sqlite3 *db);
void uids_free(struct uids *u);
/* At the start of a write transaction: reads again what is not known, all
 * of it when another connection may have stored uids (is_stale). */
int uids_begin(struct uids *u, int is_stale);
/* 1 and the request's rowid in *row when uid is stored, 0 when not, -1 on error. */
int uids_find(struct uids *u, uint64_t uid, int64_t *row);
/* The largest rowid of a stored request, those recorded in this transaction
 * included, as uids_begin found it: the next event gets the one after. */
int64_t uids_last_row(const struct uids *u);
/* Records uid, not stored yet, as the request whose event will get rowid row. */
int uids_add(struct uids *u, uint64_t uid, int64_t row);
/* Before COMMIT: adds the recent uids to uid_merged once there are enough. */
int uids_merge(struct uids *u);
/* After a rollback, or a COMMIT that may not have happened: the recent uids
 * are read again by the next uids_begin. */
void uids_forget(struct uids *u);

#endif
