/* explore.h: the schedules of a few workers, enumerated for explore (SPEC
 * 11): depth-first over the choice points of a run with a bound on its
 * preemptions (iterative context bounding), or drawn at random; and a
 * schedule's short form, "t1*2 t2 t1 t2*3". It knows nothing of workers:
 * a worker is its index, 0 .. n-1, and at each choice point of a run the
 * caller says which of them can take a step now.
 *
 * A schedule is the list of who took each step. A choice point is where
 * the next step is chosen; a preemption is a choice of a worker other
 * than the one that took the step before, while that one could still
 * take one (the first choice of a run is never a preemption, nor is a
 * switch away from a worker that has ended or is blocked). */
#ifndef WEFT_EXPLORE_H
#define WEFT_EXPLORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

#define EXPLORE_WORKERS 64	/* workers explored together, at most */
#define EXPLORE_UNBOUNDED (-1)	/* no bound on preemptions */

struct explore;

/* A new enumeration of the schedules of NWORKERS workers (1 ..
 * EXPLORE_WORKERS; NULL otherwise): every one with at most BOUND
 * preemptions (EXPLORE_UNBOUNDED, or any bound below 0: every one),
 * depth-first; or, when RANDOM, each run drawn at random from SEED (a
 * choice uniform among the workers that can step: the sched_pick of
 * their count, lowest first, from a state that starts at SEED and goes on
 * from run to run), without end; BOUND is then not used. */
struct explore *explore_new(size_t nworkers, int bound, bool random,
			    uint64_t seed);
void explore_free(struct explore *e);

/* At the next choice point of the run under way, the workers of the bit
 * mask ENABLED (bit i: worker i; not 0) can take a step: returns the one
 * that takes it. Depth-first, a run follows the choices the enumeration
 * has fixed for it, then takes the default: the worker that took the
 * step before while it can, else the lowest enabled. Returns -1 when a
 * fixed choice is not enabled now (the workers did not run as they did
 * before: something other than the schedule decides between them), when
 * ENABLED holds none of the workers, and depth-first once explore_next
 * has returned false. A -1 changes nothing: the caller may ask again, or
 * end the run. */
int explore_choose(struct explore *e, uint64_t enabled);

/* The run under way is over. Readies the next one and returns true; false
 * when depth-first every schedule within the bound has been run (never
 * when random). The run may end anywhere, with workers that cannot step
 * (a deadlock) or that could; what it did not reach is not explored: a
 * run ended before its fixed choices were all made (explore_choose
 * returned -1) gives up the schedules past where it stopped. */
bool explore_next(struct explore *e);

/* The choices of the run under way (or just over), in order: *CHOICES
 * points to them, valid until the next call on E. */
size_t explore_choices(const struct explore *e, const int **choices);

/* How many runs have begun (the one under way counted): 1 from
 * explore_new, one more at each explore_next that returns true. So once
 * depth-first is over, how many schedules were run. */
uint64_t explore_runs(const struct explore *e);

/* Preemptions in the run under way so far. */
unsigned explore_preemptions(const struct explore *e);

/* Appends the schedule of the N CHOICES (worker indices into NAMES) to
 * OUT in short form: a worker's name for each run of its steps, "*K"
 * after it when K > 1, runs separated by one blank ("t1*2 t2 t1"). */
void schedule_format(const int *choices, size_t n, const char *const *names,
		     struct buf *out);

/* Parses TEXT, a schedule in short form over the NNAMES workers NAMES
 * (names of letters, digits and underscores, as weft's are; blanks and
 * tabs between runs, a count from 1 to 1000000, 10000000 steps in all),
 * into a new array of worker indices in *CHOICES (free it). Returns how
 * many, or -1 with *CHOICES NULL and one line in ERR, cut to LEN bytes
 * ("no worker 'x' in the schedule (workers: t1, t2)", "bad count 't1*0':
 * a count is from 1 to 1000000", "unexpected ';' after 't1' in the
 * schedule", "expected a worker's name, not '*3'", "the schedule is
 * empty"). */
long schedule_parse(const char *text, const char *const *names,
		    size_t nnames, int **choices, char *err, size_t len);

#endif
