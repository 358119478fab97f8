/* schedule.h: who may take the next step. In sched free the OS schedules and
 * every gate is open (but for paused workers); in sched step every gate is
 * held and the learner grants steps; in sched seed every gate is held and
 * the main loop grants one step at a time to a worker a seeded PRNG picks,
 * so the trace order is the grant order. The wait-for graph of workers and
 * locks, and the deadlocks it shows, live here too: sched_check finds them,
 * the tracer tells them. */
#ifndef WEFT_SCHEDULE_H
#define WEFT_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "prng.h"

struct session;
struct worker;

enum sched_mode { SCHED_FREE, SCHED_STEP, SCHED_SEED };

/* What the tracer prints live. */
enum trace_level { TRACE_OFF, TRACE_OUTPUT, TRACE_EVENTS, TRACE_STEPS };

/* A worker's standing against the mode: pause holds it at its next step,
 * run lets it go (in sched seed both only add or remove it from the
 * seeded choice). */
enum hold_override { HOLD_DEFAULT, HOLD_PAUSED, HOLD_RUNS };

#define SCHED_PACE_MAX_MS 10000

struct sched {
	enum sched_mode mode;
	enum trace_level trace;
	uint64_t seed, prng;
	unsigned pace_ms;
	uint64_t next_at;    /* with pace: no grant before this ev_now() time */
	uint32_t inflight;   /* id + 1 of the worker taking a granted step */
	bool inflight_shown; /* that step's report is printed (step command) */
	size_t rr;	     /* step without a name: where to look next */
	bool bytecode;	     /* a Python worker's step: a bytecode, not a line */
	/* sched seed, while explore or replay runs: who takes the next
	 * step, chosen among the N workers of CAN (those that can step now,
	 * in spawn order), instead of the PRNG; NULL: none is granted. */
	struct worker *(*chooser)(struct session *s, struct worker **can,
				  size_t n);
	/* replay: the schedule queued, a worker (an index into REPLAY_NAMES)
	 * a step, and how far step has followed it; NULL: none. */
	int *replay;
	char **replay_names;
	size_t nreplay, nreplay_names, replay_at;
};


/* The wait-for graph. WANTS[i] is the lock worker i waits for (-1: none);
 * HOLDER[l] is the worker holding lock l (-1: none). Follows the edges from
 * worker START; when they lead into a cycle, writes its workers (at most
 * MAX, in order, starting from the cycle's lowest index) to CYCLE and
 * returns how many; returns 0 when the path ends. */
size_t waitfor_cycle(size_t n, const int *wants, size_t nlocks,
		     const int *holder, size_t start, size_t *cycle,
		     size_t max);

/* Sets the mode (SEED: with SEED); every override is dropped and the step
 * count starts again from 0 when steps become numbered. */
void sched_set_mode(struct session *s, enum sched_mode mode, uint64_t seed);
/* Applies W's override (pause, run) and the mode to W's gate. */
void sched_apply(struct session *s, struct worker *w);
/* Readies W's gate before it starts. */
void sched_starting(struct session *s, struct worker *w);
/* Queues the N steps of a schedule for step to follow, STEPS[i] the
 * index in NAMES (NNAMES workers' names) of the worker of step i (both
 * copied), in place of any queued before. */
void sched_replay_set(struct session *s, const char *const *names,
		      size_t nnames, const int *steps, size_t n);
/* The name of the worker whose step is the schedule's next, or NULL. */
const char *sched_replay_next(const struct session *s);
/* Forgets the schedule queued, if any. */
void sched_replay_clear(struct session *s);

/* After reset: the step count and the PRNG start again. */
void sched_reset(struct session *s);
/* The pace in free mode (workers sleep) and between grants. */
void sched_set_pace(struct session *s, unsigned ms);
/* A Python worker's step: one bytecode instruction (BYTECODE) or one
 * line. */
void sched_set_unit(struct session *s, bool bytecode);
/* Shows every step in the trace, or only those the step command grants. */
void sched_set_trace(struct session *s, enum trace_level level);

/* True when W is held at its gate, has acknowledged it, and no grant of
 * it is in flight: it will not move until a grant. */
bool sched_at_gate(const struct session *s, const struct worker *w);
/* Returns the lock W waits for (really, or at its gate with a `lock` of a
 * lock another holds as its next step), or -1. */
int sched_blocked_on(const struct session *s, const struct worker *w);
/* Returns the object (sync.h) W waits on: asleep in it (a semaphore, a
 * barrier, a queue, a condition's notify), or held at its gate with a
 * step on it that would wait as its next; -1 otherwise. */
int sched_waits_on(const struct session *s, const struct worker *w);
/* Returns the worker whose end W, held at its gate, waits for before its
 * next step (a Python join), while that worker has not ended; NULL
 * otherwise. */
struct worker *sched_joins(const struct session *s, const struct worker *w);
/* Is W blocked: waiting for a lock (sched_blocked_on), on an object, or
 * for a worker's end (sched_joins)? */
bool sched_blocked(const struct session *s, const struct worker *w);
/* Returns true when W can never finish unless the learner acts (paused,
 * waiting on a paused worker, deadlocked), with the reason in WHY. */
bool sched_stuck(struct session *s, struct worker *w, struct buf *why);

/* Grants W one step; SHOWN: its report is printed whatever the trace. */
void sched_grant(struct session *s, struct worker *w, bool shown);
/* True when no grant is in flight and no process is ending. */
bool sched_settled(const struct session *s);
/* True when nothing is in flight: no grant, no process ending, every hold
 * acknowledged, so the next choice depends on nothing but the state. */
bool sched_quiet(const struct session *s);
/* Returns the worker the seeded PRNG (or the chooser) picks among those
 * that can step, or NULL when none can. */
struct worker *sched_choose(struct session *s);
/* sched seed: grants the next step when nothing is in flight (join). */
void sched_pump(struct session *s);
/* Milliseconds until the pace allows the next grant, -1: no timer. */
int sched_timeout(const struct session *s);
/* Milliseconds before the pace allows the next grant; 0: now. */
int sched_pace_left(const struct session *s);

/* Notes an event of W on the scheduler's side; returns true when it
 * reports a step whose line is to be printed. */
bool sched_on_event(struct session *s, struct worker *w, uint16_t type,
		    uint16_t flags, int64_t a);
/* W has ended. */
void sched_ended(struct session *s, struct worker *w);
/* What sched_check finds, in the wait-for graph, for the tracer to tell. */
enum sched_news {
	SCHED_NEW_WAIT,	     /* a worker waits for another lock: one wait */
	SCHED_DEADLOCK,	     /* a cycle of waits, new: its waits, in order */
	SCHED_HELD_BY_ENDED, /* a wait for a lock whose holder has ended */
	SCHED_ALL_BLOCKED,   /* every live worker blocked, one on an object
				at least: each one's wait */
};

/* An edge of the wait-for graph: W waits for LOCK (-1: it cannot be told
 * now), held by HOLDER (NULL: nobody known); or on object OBJ. */
struct sched_wait {
	struct worker *w, *holder;
	int lock;
	int obj; /* or W waits on this object (sync.h), -1: none */
	struct worker *joins; /* or for this worker's end (a Python join) */
};

/* One finding: its waits are the report's waits[first .. first + n). */
struct sched_found {
	enum sched_news what;
	size_t first, n;
};

/* What one sched_check found, in the order it is to be told. */
struct sched_report {
	struct sched_found *found;
	size_t nfound;
	struct sched_wait *waits;
	size_t nwaits;
};

/* After a batch of events: reads the wait-for graph, notes each worker's
 * wait (W->want), and adds to REP (zeroed, or as left by an earlier call)
 * each new wait and each deadlock that has formed (once: its workers are
 * marked deadlocked). */
void sched_check(struct session *s, struct sched_report *rep);
/* Frees what REP holds and zeroes it. */
void sched_report_free(struct sched_report *rep);

#endif
