/* gate.h: the step gate. Before each step a worker passes its gate, a few
 * words in the shared segment, so one mechanism holds a thread and a
 * process alike. A gate is open (the worker runs freely) or held: then
 * each step needs a grant from the main loop, and the worker sleeps on a
 * futex until one comes. The main loop changes a gate only through the
 * functions below; every change bumps the futex word and wakes the worker.
 *
 * A hold is acknowledged: a worker that finds its gate held under an epoch
 * it has not seen posts EV_PARKED with that epoch before it sleeps, so the
 * main loop knows when a worker that was running freely has really
 * stopped (it cannot take a step without a grant after that). */
#ifndef WEFT_GATE_H
#define WEFT_GATE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "shm.h"

/* The worker's side of its gate. */
struct gate_pass {
	struct shm_gate *g;
	uint64_t taken; /* grants used */
	uint32_t acked; /* the last hold epoch it acknowledged */
	atomic_bool *cancel;
};

enum gate_result {
	GATE_FREE,    /* the gate is open: take a step */
	GATE_GRANTED, /* a granted step: take it, then report it */
	GATE_CANCEL,  /* the worker was asked to stop */
	GATE_WAIT,    /* gate_try only: held, no grant yet */
};

/* Worker side: waits at the gate until a step may be taken. PARKED is
 * called (with ARG and the epoch) when the worker acknowledges a hold. */
enum gate_result gate_pass(struct gate_pass *p,
			   void (*parked)(void *arg, uint32_t epoch),
			   void *arg);

/* Worker side: gate_pass without the wait: GATE_WAIT when gate_pass
 * would sleep (the hold acknowledged already), *SEEN then the futex word
 * to sleep on. For a worker that must let go of something before it
 * sleeps (a Python worker, its GIL). */
enum gate_result gate_try(struct gate_pass *p,
			  void (*parked)(void *arg, uint32_t epoch),
			  void *arg, uint32_t *seen);

/* Main side: readies G for a worker about to start, held or open; returns
 * the epoch of the hold the worker starts under (it need not acknowledge
 * it), 0 when open. */
uint32_t gate_init(struct shm_gate *g, bool held);

/* Main side: holds or opens G. Returns the epoch of a new hold, which the
 * worker will acknowledge; 0 when nothing changed or the gate opened. */
uint32_t gate_hold(struct shm_gate *g, bool held);

/* Main side: grants one more step. */
void gate_grant(struct shm_gate *g);

/* Wakes the worker at G so that it sees a cancel request. */
void gate_kick(struct shm_gate *g);

#endif
