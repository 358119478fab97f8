/* lock.h: named locks, real mutexes in the shared segment. */
#ifndef WEFT_LOCK_H
#define WEFT_LOCK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "shm.h"

/* weft's handle on the locks, which live, names and all, in SHM: a
 * worker may make one (a lock named by a variable's value). */
struct locks {
	struct shm *shm;
};

enum lock_result {
	LOCK_OK,
	LOCK_CANCELLED, /* the worker was asked to stop while it waited */
	LOCK_SELF,	/* the worker already holds it */
	LOCK_NOT_HELD,	/* unlock of a lock the worker does not hold */
	LOCK_RECOVERED, /* acquired, but its last holder died holding it */
	LOCK_BUSY,	/* lock_try: another worker holds it */
	LOCK_FULL,	/* there are SHM_LOCKS locks: no new one */
};

/* Returns the index of lock NAME, making it when it does not exist; -1
 * when there are SHM_LOCKS already. */
int locks_intern(struct locks *ls, const char *name);

/* Returns the index of lock NAME, or -1. */
int locks_find(const struct locks *ls, const char *name);

/* Returns how many more locks can be made. */
size_t locks_room(const struct locks *ls);

/* Returns how many locks there are, and the name of lock I. */
size_t locks_count(const struct locks *ls);
const char *locks_name(const struct locks *ls, int i);

/* Worker or weft: the index of lock NAME in SHM, made when MAKE and it
 * does not exist; -1 when it does not exist (or cannot be made). */
int lock_named(struct shm *shm, const char *name, bool make);

/* Can NAME name a lock (a letter or _, then letters, digits or _, at most
 * AST_NAME_MAX)? */
bool lock_name_valid(const char *name);

/* Worker side: takes lock I for worker ID if it is free, without waiting;
 * LOCK_BUSY when another holds it. */
enum lock_result lock_try(struct shm *shm, int i, uint32_t id);

/* Worker side: marks SLOT as waiting for lock I (lock_acquire does it
 * too); done before saying so, so that whoever hears it sees the wait. */
void lock_announce(struct shm *shm, int i, int slot);

/* Worker side: takes lock I for worker ID (registry slot SLOT), waiting as
 * long as it takes; while waiting, SLOT is marked as waiting for I, and
 * CANCEL (when not NULL) is checked every few milliseconds. */
enum lock_result lock_acquire(struct shm *shm, int i, uint32_t id, int slot,
			      atomic_bool *cancel);

/* Worker side: releases lock I held by worker ID. */
enum lock_result lock_release(struct shm *shm, int i, uint32_t id);

/* Worker side, at a normal end (finished or failed): when worker ID holds
 * lock I, leaves it held, marked as held by a worker that has ended, as a
 * real mutex stays locked when its thread returns without unlocking it;
 * returns true then. A later taker waits until lock_free_ended. */
bool lock_leave(struct shm *shm, int i, uint32_t id);

/* Is lock I held by a worker that ended holding it? */
bool lock_ended(const struct shm *shm, int i);

/* Frees lock I, held by a worker that ended holding it (kill, reset). */
void lock_free_ended(struct shm *shm, int i);

/* Returns the id of the worker holding lock I, or -1. */
int64_t lock_holder(const struct shm *shm, int i);

/* Returns the index of the lock the worker in SLOT waits for, or -1. */
int lock_waiting(const struct shm *shm, int slot);

/* Forgets what worker ID held (it was killed): the mutex itself is robust
 * and will be recovered by its next taker. Locks it left held at a normal
 * end (lock_leave) stay held. */
void locks_forget(struct locks *ls, uint32_t id, int slot);

/* Forgets every lock; no worker may be running. */
void locks_reset(struct locks *ls);

#endif
