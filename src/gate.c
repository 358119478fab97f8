/*
 * gate.c: the step gate (see gate.h). The futex word is the gate's change
 * counter: the worker reads it, checks the gate, and sleeps only if the
 * counter has not moved since, so a change made in between is never missed.
 * Futexes on MAP_SHARED memory work across processes (no FUTEX_PRIVATE).
 */
#include "config.h"

#include "futex.h"
#include "gate.h"

static void
changed(struct shm_gate *g)
{
	atomic_fetch_add(&g->seq, 1);
	futex_wake(&g->seq, FUTEX_WAKE_ALL);
}

/* The next hold's epoch; never 0, which stands for "open". */
static uint32_t
new_epoch(struct shm_gate *g)
{
	uint32_t epoch = atomic_fetch_add(&g->epoch, 1) + 1;

	return epoch != 0 ? epoch : atomic_fetch_add(&g->epoch, 1) + 1;
}

enum gate_result
gate_try(struct gate_pass *p, void (*parked)(void *arg, uint32_t epoch),
	 void *arg, uint32_t *seen)
{
	struct shm_gate *g = p->g;
	uint32_t epoch;

	*seen = atomic_load(&g->seq);
	if (p->cancel != NULL && atomic_load(p->cancel))
		return GATE_CANCEL;
	if (!atomic_load(&g->held))
		return GATE_FREE;
	if (atomic_load(&g->granted) > p->taken) {
		p->taken++;
		return GATE_GRANTED;
	}
	epoch = atomic_load(&g->epoch);
	if (epoch != p->acked) {
		p->acked = epoch;
		parked(arg, epoch);
	}
	return GATE_WAIT;
}

enum gate_result
gate_pass(struct gate_pass *p, void (*parked)(void *arg, uint32_t epoch),
	  void *arg)
{
	for (;;) {
		uint32_t seen;
		enum gate_result r = gate_try(p, parked, arg, &seen);
		if (r != GATE_WAIT)
			return r;
		futex_wait(&p->g->seq, seen, -1);
	}
}

uint32_t
gate_init(struct shm_gate *g, bool held)
{
	atomic_store(&g->granted, 0);
	atomic_store(&g->taken, 0);
	atomic_store(&g->waiting, 0);
	atomic_store(&g->sleeping, 0);
	atomic_store(&g->next_pc, -1);
	atomic_store(&g->next_lock, -1);
	atomic_store(&g->next_join, 0);
	atomic_store(&g->held, held);
	return held ? new_epoch(g) : 0;
}

uint32_t
gate_hold(struct shm_gate *g, bool held)
{
	uint32_t epoch = 0;

	if (atomic_load(&g->held) == (uint32_t)held)
		return 0;
	if (held)
		epoch = new_epoch(g);
	atomic_store(&g->held, held);
	changed(g);
	return epoch;
}

void
gate_grant(struct shm_gate *g)
{
	atomic_fetch_add(&g->granted, 1);
	changed(g);
}

void
gate_kick(struct shm_gate *g)
{
	changed(g);
}
