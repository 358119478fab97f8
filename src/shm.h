/* shm.h: the segment of memory shared with process workers. */
#ifndef WEFT_SHM_H
#define WEFT_SHM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define SHM_CELLS 1024 /* shared variables */
#define SHM_LOCKS 256
/* One per worker the registry holds: WORKER_MAX alive at once, the
 * REGISTRY_KEEP_JOINED latest joined ones (worker.h) kept for ps and
 * lessons, and joined ones that still hold a lock (at most one a lock). */
#define SHM_SLOTS (4096 + 256 + SHM_LOCKS)

/* A global variable: its value, and whether it was ever given one, so
 * that reading a variable nobody set is an error (a typo must not quietly
 * make a new variable worth 0). Values are relaxed atomics: two workers
 * can lose each other's updates (the lesson), but there is no C data
 * race (no undefined behaviour, and ThreadSanitizer stays quiet). */
typedef struct {
	_Atomic int64_t v;
	_Atomic uint32_t set; /* 1 once a value was stored */
} cell_t;

/* Stores V in C, which is set from then on. */
static inline void
cell_put(cell_t *c, int64_t v)
{
	atomic_store_explicit(&c->v, v, memory_order_relaxed);
	/* Release: whoever sees it set sees this value or a later one. */
	atomic_store_explicit(&c->set, 1, memory_order_release);
}

/* Loads C into *V. Returns false, *V untouched, when C was never set. */
static inline bool
cell_get(cell_t *c, int64_t *v)
{
	if (!atomic_load_explicit(&c->set, memory_order_acquire))
		return false;
	*v = atomic_load_explicit(&c->v, memory_order_relaxed);
	return true;
}

/* Makes C a cell that was never set. */
static inline void
cell_unset(cell_t *c)
{
	atomic_store_explicit(&c->set, 0, memory_order_relaxed);
	atomic_store_explicit(&c->v, 0, memory_order_relaxed);
}

#define SHM_LOCK_NAME 32 /* a lock's name and its NUL */

/* A named lock. Names are written once, before the lock is counted in
 * shm.nlocks, and never change until reset. */
struct shm_lock {
	pthread_mutex_t mu;	 /* process-shared and robust */
	_Atomic uint32_t holder; /* worker id + 1, 0 when free */
	/* 1: the holder ended holding it, as a thread that returns without
	 * unlocking: it stays held (weft's holder word is the truth, the
	 * mutex itself is let go) until kill or reset frees it. */
	_Atomic uint32_t ended;
	char name[SHM_LOCK_NAME];
};

/* A worker's step gate (see gate.h), one per registry slot, each on its own
 * cache line so that gates of busy workers do not share one. */
struct shm_gate {
	_Atomic uint32_t seq;	   /* futex word: bumped at every change */
	_Atomic uint32_t held;	   /* 1: each step needs a grant */
	_Atomic uint32_t epoch;	   /* which hold: the worker acknowledges it */
	_Atomic int32_t next_pc;   /* the worker's next instruction, -1: none */
	_Atomic int32_t next_lock; /* ... the lock it takes, -1: none */
	_Atomic int32_t next_sync; /* ... the object it works on, -1: none */
	_Atomic uint32_t next_sop; /* ... and how (sync.h's enum sync_op) */
	_Atomic uint32_t next_join; /* ... the worker (id + 1) whose end it
				      waits for, 0: none (Python's join) */
	_Atomic uint32_t shown;	    /* the last grant's step is printed */
	_Atomic uint64_t granted;  /* steps granted so far */
	_Atomic uint64_t taken;	   /* steps taken so far, for ps */
	_Atomic uint32_t waiting;  /* lock index + 1 it waits for, or 0 */
	_Atomic uint32_t wait_gen; /* bumped when a lock wait begins */
	_Atomic uint32_t sleeping; /* 1 during a sleep step */
	/* A bit per lock it has taken, for a lesson's goal that a lock was
	 * used; cleared when its worker starts. */
	_Atomic uint64_t took[SHM_LOCKS / 64];
} __attribute__((aligned(64)));

#define SHM_SYNCS 256	    /* semaphores, conditions, barriers, queues */
#define SYNC_QUEUE_MAX 1024 /* cells of one queue */
#define SHM_QCELLS 8192	    /* cells of all queues together */
#define SYNC_WORD_MAX 31    /* bytes of a word in a queue, its NUL apart */

/* A value in a queue's cell, or handed to or from a waiter: a number or a
 * word. Atomics, down to the word's bytes, because weft's main loop reads
 * queues (the sync command) while workers change them, without the mutex:
 * it may see a value half written, never a C data race. */
struct shm_qcell {
	_Atomic uint32_t ticket; /* what the trace knows the value by */
	_Atomic uint32_t is_word;
	_Atomic int64_t i;
	_Atomic char word[SYNC_WORD_MAX + 1];
};

/* A semaphore, condition, barrier or queue (sync.h). KIND, NAME, LIMIT,
 * LOCK and QFIRST are written before the object is counted in shm.nsyncs
 * and never change until reset; the rest changes under shm.sync_mu and is
 * atomic so that the main loop can read it without the mutex. */
struct shm_sync {
	uint32_t kind; /* sync.h's enum sync_kind */
	char name[SHM_LOCK_NAME];
	/* semaphore: its value; barrier: the parties arrived; queue: the
	 * values in it */
	_Atomic int64_t value;
	int64_t limit;		    /* barrier: its parties; queue: its cells */
	_Atomic uint32_t gen;	    /* barrier: how many times it released */
	int32_t lock;		    /* condition: the index of its lock */
	_Atomic int32_t head, tail; /* the first and last waiter's slot */
	_Atomic uint32_t nwaiters;  /* head and tail mean nothing at 0 */
	_Atomic uint32_t qhead;	    /* queue: the oldest value, 0 .. limit-1 */
	uint32_t qfirst;	    /* queue: its first cell in shm.qcells */
};

/* What the worker in a registry slot waits for on an object (sync.h), one
 * per slot, each on a cache line of its own (64 bytes, all of it). While it
 * waits it is on its object's list of waiters, linked by NEXT. */
struct shm_waiter {
	/* The futex word it sleeps on: 0 when it joins a list; 1 when it is
	 * woken (taken off the list, with what was handed to it); 2 when
	 * weft forgot it (sync_forget). */
	_Atomic uint32_t wake;
	_Atomic int32_t next;	   /* the next waiter's slot, -1: none */
	_Atomic uint32_t obj;	   /* object index + 1 waited on, 0: none */
	_Atomic uint16_t op;	   /* what it waits to do: sync.h's sync_op */
	_Atomic uint16_t notified; /* condition: a notify woke it */
	_Atomic uint32_t ticket;   /* its latest wake's (sync_wake_ticket) */
	/* A value handed to it (get) or that it hands over (put). */
	struct shm_qcell hand;
} __attribute__((aligned(64)));

struct shm {
	cell_t cells[SHM_CELLS];
	struct shm_lock locks[SHM_LOCKS];
	/* Locks are made by weft and, for a lock named by a variable's value,
	 * by a worker, thread or process: one at a time, under this mutex
	 * (process-shared and robust). */
	pthread_mutex_t lock_names_mu;
	_Atomic uint32_t nlocks; /* locks made so far */
	struct shm_gate gates[SHM_SLOTS];
	_Atomic uint64_t stepno;      /* global steps, while counted */
	_Atomic uint32_t count_steps; /* sched step or seed: number them */
	_Atomic uint32_t trace_steps; /* post every step, not only granted */
	_Atomic uint32_t trace_off;   /* trace off: no record of each value */
	_Atomic uint32_t pace_ms;     /* sched free: a pause before each step */
	_Atomic uint32_t py_unit;     /* a Python step: 0 a line, 1 a bytecode */
	/* The objects beyond the lock (sync.h): every change to them, their
	 * waiters and the fields below is made under this mutex
	 * (process-shared and robust). */
	pthread_mutex_t sync_mu;
	_Atomic uint32_t nsyncs; /* objects made so far */
	/* The last ticket handed out (sync.h's tickets): never reset, so
	 * that the trace of a session never sees one twice. */
	uint32_t tickets;
	uint32_t qused;		 /* cells of qcells given to queues */
	uint32_t sync_slots;	 /* above the highest slot that ever waited */
	uint32_t sync_seeded;	 /* 1: a waiter to wake is drawn, not first */
	uint64_t sync_seed, sync_prng; /* the draws' seed and state */
	struct shm_sync syncs[SHM_SYNCS];
	struct shm_qcell qcells[SHM_QCELLS]; /* each queue's, in one run */
	struct shm_waiter waiters[SHM_SLOTS];
};

/* Maps a new zeroed segment (MAP_SHARED, so every process forked after
 * this sees the same memory), its lock_names_mu and sync_mu ready.
 * Returns NULL with errno set. */
struct shm *shm_map(void);

/* Unmaps SHM. */
void shm_unmap(struct shm *shm);

#endif
