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
	_Atomic uint64_t granted;  /* steps granted so far */
	_Atomic uint64_t taken;	   /* steps taken so far, for ps */
	_Atomic uint32_t waiting;  /* lock index + 1 it waits for, or 0 */
	_Atomic uint32_t wait_gen; /* bumped when a lock wait begins */
	_Atomic uint32_t sleeping; /* 1 during a sleep step */
	/* A bit per lock it has taken, for a lesson's goal that a lock was
	 * used; cleared when its worker starts. */
	_Atomic uint64_t took[SHM_LOCKS / 64];
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
	_Atomic uint32_t pace_ms;     /* sched free: a pause before each step */
};

/* Maps a new zeroed segment (MAP_SHARED, so every process forked after
 * this sees the same memory), its lock_names_mu ready. Returns NULL with
 * errno set. */
struct shm *shm_map(void);

/* Unmaps SHM. */
void shm_unmap(struct shm *shm);

#endif
