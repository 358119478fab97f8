/* explorer.h: explore (SPEC 11): the workers spawned and not yet started,
 * run again and again, each time from the same state (variables,
 * objects, locks), under the schedules explore.h enumerates, until one
 * violates (an assert fails, a worker fails, a deadlock, or the given
 * expectation does not hold once all have ended); that run is then run
 * once more for the learner to see, its trace in full. The runs are
 * silent: nothing of them is printed or kept in the trace. */
#ifndef WEFT_EXPLORER_H
#define WEFT_EXPLORER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lesson.h"

struct session;
struct worker;

struct explorer_opts {
	int bound;	 /* preemptions at most, or EXPLORE_UNBOUNDED */
	uint64_t max;	 /* schedules at most, 0: no limit */
	uint64_t random; /* that many random schedules; 0: depth-first */
	bool has_expect;
	struct expect expect; /* checked when all have ended (taken over) */
};

/* Runs explore over S's new workers as the command's wait, taking over
 * O's expectation. Returns 0, or -1 with the error in ERR, nothing
 * changed. */
int explorer_start(struct session *s, struct explorer_opts *o, char *err,
		   size_t len);

/* The workers explore and replay run: S's new ones, in spawn order (at
 * most MAX). Returns how many, or -1 with the error in ERR (a worker
 * runs, none is new, a lock is held...). */
int explorer_workers(struct session *s, struct worker **v, size_t max,
		     const char *cmd, char *err, size_t len);

#endif
