/*
 * lock.c: named locks. Each is a pthread mutex in the shared segment, made
 * process-shared, so one `lock m` orders threads and processes alike, and
 * robust, so a worker killed while holding it does not wedge the others:
 * the next taker recovers it. The names live in the segment too, because
 * a worker, thread or process, makes the lock a variable names (`lock
 * left` in phil(left, right)) when it comes to it. weft records who holds
 * each lock and who waits for which, for `locks` (and the wait-for graph).
 * Waiting is done in short timed slices so a cancelled thread can leave.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lex.h"
#include "lock.h"

#define LOCK_SLICE_NS (20 * 1000000L)

/* The locks made so far; acquire: their names are written before. */
static size_t
count(const struct shm *shm)
{
	return atomic_load_explicit(&shm->nlocks, memory_order_acquire);
}

static int
find(const struct shm *shm, const char *name)
{
	size_t n = count(shm);

	for (size_t i = 0; i < n; i++)
		if (strcmp(shm->locks[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Makes lock NAME at the end of the table; the caller holds the names
 * mutex. */
static int
make(struct shm *shm, const char *name)
{
	size_t n = count(shm);
	struct shm_lock *l = &shm->locks[n];
	pthread_mutexattr_t a;

	if (n == SHM_LOCKS)
		return -1;
	snprintf(l->name, sizeof l->name, "%s", name);
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&l->mu, &a);
	pthread_mutexattr_destroy(&a);
	atomic_store(&l->holder, 0);
	atomic_store(&l->ended, 0);
	atomic_store_explicit(&shm->nlocks, (uint32_t)n + 1,
			      memory_order_release);
	return (int)n;
}

int
lock_named(struct shm *shm, const char *name, bool want_made)
{
	int i = find(shm, name);

	if (i >= 0 || !want_made)
		return i;
	/* Robust: a process killed while making a lock leaves the table as
	 * it was (the count is the last thing it writes). */
	if (pthread_mutex_lock(&shm->lock_names_mu) == EOWNERDEAD)
		pthread_mutex_consistent(&shm->lock_names_mu);
	if ((i = find(shm, name)) < 0) /* made meanwhile? */
		i = make(shm, name);
	pthread_mutex_unlock(&shm->lock_names_mu);
	return i;
}

bool
lock_name_valid(const char *name)
{
	return lex_name_valid(name, AST_NAME_MAX);
}

int
locks_find(const struct locks *ls, const char *name)
{
	return find(ls->shm, name);
}

int
locks_intern(struct locks *ls, const char *name)
{
	return lock_named(ls->shm, name, true);
}

size_t
locks_room(const struct locks *ls)
{
	return SHM_LOCKS - count(ls->shm);
}

size_t
locks_count(const struct locks *ls)
{
	return count(ls->shm);
}

const char *
locks_name(const struct locks *ls, int i)
{
	return ls->shm->locks[i].name;
}

static void
slice(struct timespec *ts)
{
	/* timedlock's clock; a jump only lengthens or shortens one slice */
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_nsec += LOCK_SLICE_NS;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* The mutex is ours (E is what trylock or timedlock said): record it. */
static enum lock_result
taken(struct shm_lock *l, int e, uint32_t id)
{
	enum lock_result r = LOCK_OK;

	if (e == EOWNERDEAD) {
		pthread_mutex_consistent(&l->mu);
		r = LOCK_RECOVERED;
	}
	atomic_store(&l->holder, id + 1);
	return r;
}

enum lock_result
lock_try(struct shm *shm, int i, uint32_t id)
{
	struct shm_lock *l = &shm->locks[i];
	int e;

	if (atomic_load(&l->holder) == id + 1)
		return LOCK_SELF;
	e = pthread_mutex_trylock(&l->mu);
	if (e == EBUSY)
		return LOCK_BUSY;
	if (atomic_load(&l->ended)) { /* still held by one that ended */
		if (e == EOWNERDEAD)
			pthread_mutex_consistent(&l->mu);
		pthread_mutex_unlock(&l->mu);
		return LOCK_BUSY;
	}
	return taken(l, e, id);
}

void
lock_announce(struct shm *shm, int i, int slot)
{
	struct shm_gate *g = &shm->gates[slot];

	atomic_fetch_add(&g->wait_gen, 1);
	atomic_store(&g->waiting, (uint32_t)i + 1);
}

/* With the mutex in hand: while the lock's holder is one that ended
 * holding it, keeps the mutex (so later takers queue on it) and waits for
 * kill or reset to free it. Returns false when CANCEL is set first. */
static bool
keep_waiting(struct shm_lock *l, atomic_bool *cancel)
{
	struct timespec nap = { 0, LOCK_SLICE_NS / 4 };

	while (atomic_load(&l->ended)) {
		if (cancel != NULL && atomic_load(cancel))
			return false;
		nanosleep(&nap, NULL);
	}
	return true;
}

enum lock_result
lock_acquire(struct shm *shm, int i, uint32_t id, int slot, atomic_bool *cancel)
{
	struct shm_lock *l = &shm->locks[i];
	struct shm_gate *g = &shm->gates[slot];
	struct timespec until;
	int e;

	if (atomic_load(&l->holder) == id + 1)
		return LOCK_SELF;
	if (atomic_load(&g->waiting) != (uint32_t)i + 1)
		lock_announce(shm, i, slot);
	for (;;) {
		slice(&until);
		e = pthread_mutex_timedlock(&l->mu, &until);
		if (e != ETIMEDOUT)
			break;
		if (cancel != NULL && atomic_load(cancel)) {
			atomic_store(&g->waiting, 0);
			return LOCK_CANCELLED;
		}
	}
	if (e == EOWNERDEAD && atomic_load(&l->ended)) {
		/* Its owner was a waiter that kept it, killed: not a holder. */
		pthread_mutex_consistent(&l->mu);
		e = 0;
	}
	if (!keep_waiting(l, cancel)) {
		pthread_mutex_unlock(&l->mu);
		atomic_store(&g->waiting, 0);
		return LOCK_CANCELLED;
	}
	/* No longer waiting before holding, never both: the wait-for graph
	 * read between the two would show it waiting for itself, a cycle
	 * of one that is no deadlock (seen under TSan's slower threads). */
	atomic_store(&g->waiting, 0);
	return taken(l, e, id);
}

enum lock_result
lock_release(struct shm *shm, int i, uint32_t id)
{
	struct shm_lock *l = &shm->locks[i];

	if (atomic_load(&l->holder) != id + 1)
		return LOCK_NOT_HELD;
	atomic_store(&l->holder, 0);
	pthread_mutex_unlock(&l->mu);
	return LOCK_OK;
}

bool
lock_leave(struct shm *shm, int i, uint32_t id)
{
	struct shm_lock *l = &shm->locks[i];

	if (atomic_load(&l->holder) != id + 1)
		return false;
	/* Marked before the mutex goes: its next taker sees the mark. */
	atomic_store(&l->ended, 1);
	pthread_mutex_unlock(&l->mu);
	return true;
}

bool
lock_ended(const struct shm *shm, int i)
{
	return atomic_load(&shm->locks[i].ended) != 0;
}

void
lock_free_ended(struct shm *shm, int i)
{
	/* The holder first: a waiter that sees the mark go takes the lock
	 * at once, and its holder word must not be overwritten after. */
	atomic_store(&shm->locks[i].holder, 0);
	atomic_store(&shm->locks[i].ended, 0);
}

int64_t
lock_holder(const struct shm *shm, int i)
{
	uint32_t h = atomic_load(&shm->locks[i].holder);
	return h == 0 ? -1 : (int64_t)h - 1;
}

int
lock_waiting(const struct shm *shm, int slot)
{
	return (int)atomic_load(&shm->gates[slot].waiting) - 1;
}

void
locks_forget(struct locks *ls, uint32_t id, int slot)
{
	for (size_t i = 0; i < count(ls->shm); i++) {
		uint32_t want = id + 1;
		if (lock_ended(ls->shm, (int)i))
			continue; /* left held on purpose, see lock_leave */
		atomic_compare_exchange_strong(&ls->shm->locks[i].holder, &want,
					       0);
	}
	atomic_store(&ls->shm->gates[slot].waiting, 0);
}

void
locks_reset(struct locks *ls)
{
	/* No destroy: a mutex whose holder was killed may still be locked,
	 * and destroying a locked mutex is undefined. The memory is simply
	 * initialised afresh when a lock is made there again. */
	for (size_t i = 0; i < count(ls->shm); i++)
		lock_free_ended(ls->shm, (int)i);
	for (size_t i = 0; i < SHM_SLOTS; i++)
		atomic_store(&ls->shm->gates[i].waiting, 0);
	atomic_store(&ls->shm->nlocks, 0);
}
