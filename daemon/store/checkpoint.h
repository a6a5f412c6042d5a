/*
 * checkpoint.h - copies the WAL into the database file on a thread and a
 * connection of its own, so that the writer goes on writing meanwhile
 * instead of stopping for each checkpoint, and for a last large one when
 * it closes.
 */
#ifndef PAYBACK_CHECKPOINT_H
#define PAYBACK_CHECKPOINT_H

struct checkpointer;

/* Opens path and starts the thread; 0, or -1 (nothing started). */
int checkpointer_start(struct checkpointer **out, const char *path);
/* Asks for a checkpoint soon; never waits for one. */
void checkpointer_poke(struct checkpointer *c);
/* Waits for a checkpoint under way, then closes the connection and frees c. */
void checkpointer_stop(struct checkpointer *c);

#endif
