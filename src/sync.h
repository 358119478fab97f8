/* sync.h: the objects beyond the lock (SPEC 9): counting semaphores,
 * condition variables, barriers and queues. Each lives in the segment
 * shared with process workers, so one object orders threads and
 * processes alike; a worker that must wait sleeps in the kernel on a futex
 * word of its own, and the list of who waits on an object is kept here,
 * not by the kernel, so that weft chooses whom a signal or notify wakes
 * (first come first served in sched free, the seeded PRNG's pick under
 * sched seed) and the scheduler can see who waits on what.
 *
 * Every operation on objects is made under one process-shared robust
 * mutex in the segment (shm->sync_mu); a worker that sleeps has released
 * it. Weft's main loop only reads objects (sync, ps, the scheduler), and
 * without the mutex, so that a process stopped while it held the mutex
 * cannot hang the shell; it makes, frees and resets them while no worker
 * uses them. */
#ifndef WEFT_SYNC_H
#define WEFT_SYNC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shm.h"

enum sync_kind {
	SYNC_NONE, /* a free entry */
	SYNC_SEMAPHORE,
	SYNC_CONDITION,
	SYNC_BARRIER,
	SYNC_QUEUE,
};

enum sync_result {
	SYNC_OK,
	SYNC_BLOCKED,	 /* sync_barrier_arrive: now sleep */
	SYNC_CANCELLED,	 /* the worker was asked to stop while it waited */
	SYNC_NOT_HELD,	 /* a condition's wait or notify without its lock */
	SYNC_WORD_LONG,	 /* put of a word longer than SYNC_WORD_MAX */
};

/* What a wait, signal, notify, put or get did to other workers, for the
 * trace: the slot woken (-1: none; for notify_all and a barrier's last
 * arrival, how many in N), and whether a notify found nobody waiting (a
 * lost wakeup; a signal with nobody waiting adds to the semaphore's
 * value, which loses nothing). */
/* Tickets: each wake, and each value that goes into a queue, is given
 * the next number (from 1), under the mutex, so that the trace can tell
 * which wake ended which sleep and which get took which put's value,
 * whatever order the records come in. The wakes of one statement have
 * consecutive tickets. */
struct sync_effect {
	int woke_slot;	/* the first slot woken, or -1 */
	uint32_t nwoke; /* how many were woken */
	uint32_t ticket; /* the first wake's ticket (nwoke > 0) */
	/* put, get: the ticket of the value that went into, or came out
	 * of, the queue; 0 when it went straight to or from a sleeper
	 * (the wake's ticket tells that one). */
	uint32_t vticket;
	bool lost;	/* notify with nobody waiting */
	bool waited;	/* the caller had to sleep */
	bool last;	/* barrier: the caller was the last to arrive */
};

/* A value in a queue: a number or a word (a copy, at most SYNC_WORD_MAX
 * bytes). A word with no NUL in WORD stands for a longer one, which
 * sync_put refuses (sync_word makes such a value). */
struct sync_value {
	bool is_word;
	int64_t i;
	char word[SYNC_WORD_MAX + 1];
};

/* Makes *V the word WORD: SYNC_OK, or SYNC_WORD_LONG when it is longer
 * than SYNC_WORD_MAX (*V then holds its first bytes and no NUL). */
enum sync_result sync_word(struct sync_value *v, const char *word);

/* Returns the name of KIND ("semaphore", ...). */
const char *sync_kind_name(enum sync_kind kind);

/* Main side: makes object NAME of KIND. For a semaphore N is its value
 * (>= 0); a condition, LOCK the index of its lock (a lock made, N
 * unused); a barrier, N parties (>= 1); a queue, N cells (1 ..
 * SYNC_QUEUE_MAX, and room left in the segment's pool). Returns its
 * index, or -1 with why in WHY, one line, and nothing changed (name taken
 * by another object or longer than SHM_LOCK_NAME - 1, no room, bad N or
 * LOCK, no such kind). Names are checked against locks and variables by
 * the caller. */
int sync_make(struct shm *shm, const char *name, enum sync_kind kind,
	      int64_t n, int lock, char *why, size_t len);

/* Returns the index of object NAME, or -1. */
int sync_find(const struct shm *shm, const char *name);

/* Returns the number of objects made (indices 0 .. count-1). */
size_t sync_count(const struct shm *shm);

/* The ticket of the latest wake of the waiter in SLOT: after a sleep that
 * ended woken, the wake that ended it. */
uint32_t sync_wake_ticket(const struct shm *shm, int slot);

/* Worker side. Each takes the caller's worker ID and registry SLOT, and
 * CANCEL (NULL: never), checked while it sleeps (a worker asked to stop
 * leaves the waiters as if it had never come: what was handed to it
 * meanwhile goes to the next waiter, or back; but a put whose value went
 * in, or a barrier that released it, is done, SYNC_OK). EFFECT (may be
 * NULL) gets what it did to others, a give-back included. */

/* wait S on a semaphore: takes one, waiting while there is none. A
 * signal hands its unit straight to the waiter it wakes. */
enum sync_result sync_sem_wait(struct shm *shm, int obj, uint32_t id,
			       int slot, atomic_bool *cancel,
			       struct sync_effect *effect);
/* signal S: gives one back, to a waiter if any (woken), else to S. */
enum sync_result sync_sem_signal(struct shm *shm, int obj, uint32_t id,
				 int slot, struct sync_effect *effect);

/* wait C, its first step: the caller must hold C's lock; joins C's
 * waiters and releases the lock. */
enum sync_result sync_cond_enter(struct shm *shm, int obj, uint32_t id,
				 int slot, struct sync_effect *effect);
/* wait C, its second step: sleeps until a notify has woken SLOT. When
 * cancelled after it was notified, the notify goes to another waiter. */
enum sync_result sync_cond_sleep(struct shm *shm, int obj, uint32_t id,
				 int slot, atomic_bool *cancel,
				 struct sync_effect *effect);
/* (Its third step, retaking the lock, is lock_acquire's.) */
/* Has SLOT, waiting on condition OBJ, been notified? */
bool sync_cond_notified(const struct shm *shm, int obj, int slot);
/* notify C N (ALL: notify_all): the caller must hold C's lock; wakes N
 * waiters (all of them), or is lost when there are none. */
enum sync_result sync_cond_notify(struct shm *shm, int obj, uint32_t id,
				  int slot, uint32_t n, bool all,
				  struct sync_effect *effect);

/* wait B on a barrier, the step: arrives. The last of its parties to
 * arrive releases every waiter, B starts over (it is reusable), and
 * SYNC_OK is returned (effect->last); any other arrival joins B's waiters
 * and gets SYNC_BLOCKED: it must then call sync_barrier_sleep, after it
 * has reported its step (the wait is between its steps). */
enum sync_result sync_barrier_arrive(struct shm *shm, int obj, uint32_t id,
				     int slot, struct sync_effect *effect);
/* Sleeps until the barrier releases SLOT (SYNC_OK) or CANCEL is set
 * (SYNC_CANCELLED: SLOT has left B, its arrival undone; SYNC_OK still
 * when B released it first). */
enum sync_result sync_barrier_sleep(struct shm *shm, int obj, int slot,
				    atomic_bool *cancel);

/* put Q V: appends V, waiting while Q is full; a waiting getter gets V
 * straight away (woken). SYNC_WORD_LONG, Q unchanged, for a word with no
 * NUL (see sync_value). */
enum sync_result sync_put(struct shm *shm, int obj, uint32_t id, int slot,
			  const struct sync_value *v, atomic_bool *cancel,
			  struct sync_effect *effect);
/* get Q: takes the oldest value into *V, waiting while Q is empty; a
 * waiting putter's value then takes the freed cell (woken). When
 * cancelled after a value was handed to it, the value goes to the next
 * getter or back to Q's front; if Q filled up meanwhile it has no room
 * there, and the get keeps it: SYNC_OK. */
enum sync_result sync_get(struct shm *shm, int obj, uint32_t id, int slot,
			  struct sync_value *v, atomic_bool *cancel,
			  struct sync_effect *effect);

/* Would the next operation OP of the worker in SLOT on OBJ wait now?
 * (The scheduler grants no step that would.) */
enum sync_op {
	SOP_SEM_WAIT,
	SOP_SIGNAL,
	SOP_COND_ENTER,
	SOP_COND_SLEEP,
	SOP_NOTIFY,
	SOP_BARRIER,
	SOP_PUT,
	SOP_GET,
};
bool sync_would_wait(const struct shm *shm, int obj, enum sync_op op,
		     int slot);

/* The largest value of a semaphore, and parties of a barrier. */
#define SYNC_VALUE_MAX 1000000000

/* Writes what object OBJ is and why a worker would wait on it now, e.g.
 * "semaphore s (0)", "queue q (empty)", "barrier b (1 of 3 arrived)",
 * "condition c (not notified)", to BUF (main side). */
void sync_describe(const struct shm *shm, int obj, char *buf, size_t len);

/* Returns the object the worker in SLOT sleeps on (inside a wait, or
 * between a condition's or a barrier's two steps), or -1, also once it
 * has been woken. */
int sync_waiting(const struct shm *shm, int slot);

/* Reading an object (main side, for sync, ps and the scheduler). */
struct sync_view {
	enum sync_kind kind;
	const char *name;
	int64_t value;	 /* semaphore: its value; barrier: arrived; queue:
			    values in it */
	int64_t limit;	 /* barrier: parties; queue: cells */
	int lock;	 /* condition: its lock */
	int waiters[64]; /* slots, in the order they would be woken FIFO */
	size_t nwaiters; /* how many wait (may be more than fit above) */
};
void sync_view(const struct shm *shm, int obj, struct sync_view *v);
/* The I-th oldest value of queue OBJ (I < view.value). */
void sync_queue_at(const struct shm *shm, int obj, size_t i,
		   struct sync_value *v);

/* Seeded wake order: under sched seed a waiter to wake is drawn from a
 * PRNG kept in the segment, seeded here; SEEDED false: first come first
 * served. */
void sync_set_order(struct shm *shm, bool seeded, uint64_t seed);

/* Main side: the worker in SLOT (id ID) was killed or stopped: it leaves
 * any list it is on; a unit or value handed to it is given back. */
void sync_forget(struct shm *shm, uint32_t id, int slot);

/* Main side: forgets every object and waiter, and the seeded draws start
 * again from their seed; no worker may be running. */
void sync_reset(struct shm *shm);

/* What every object holds (a semaphore's value, a barrier's arrivals, a
 * queue's values), kept by sync_save for sync_restore. */
struct sync_saved {
	uint32_t nsyncs, qused;
	int64_t value[SHM_SYNCS];
	uint32_t gen[SHM_SYNCS], qhead[SHM_SYNCS];
	struct shm_qcell *cells; /* qused of them */
	uint64_t prng;
};

/* Main side: keeps what every object holds in SV (sync_saved_free frees
 * it). */
void sync_save(const struct shm *shm, struct sync_saved *sv);
/* Main side: makes every object hold again what SV kept, with no waiter,
 * and forgets objects made since; no worker may be running. */
void sync_restore(struct shm *shm, const struct sync_saved *sv);
void sync_saved_free(struct sync_saved *sv);

#endif
