/*
 * cmd-step.c: step [NAME] [N]: grant N steps (default 1), one at a time, to
 * NAME, or each to the next worker that can take one (in spawn order; in
 * sched seed, the one the seed picks). Each step's line is printed: the
 * statement it ran and, for reads and writes, the value. The grants are
 * made from the main loop, so output keeps streaming and Ctrl-C stops.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "xmalloc.h"

#define STEP_MAX 1000000

struct stepping {
	bool named;
	uint32_t id;
	uint64_t left, taken;
	bool stop; /* nothing can take a step now: why says so */
	bool over; /* the schedule queued (replay) is all followed */
	char why[300];
};

/* Why W cannot be granted a step now, in WHY; false when it can. */
static bool
refuse(struct session *s, struct worker *w, char *why, size_t len)
{
	const struct worker *o;
	int l;

	if (s->sch.mode == SCHED_FREE && w->hold_over != HOLD_PAUSED) {
		snprintf(why, len,
			 "cannot step '%s': it runs freely (sched free); pause "
			 "it, or use sched step",
			 w->name);
		return true;
	}
	if (s->sch.mode == SCHED_STEP && w->hold_over == HOLD_RUNS) {
		snprintf(why, len,
			 "cannot step '%s': it runs freely (run); pause it "
			 "first",
			 w->name);
		return true;
	}
	if ((l = sched_blocked_on(s, w)) >= 0) {
		int64_t h = lock_holder(s->shm, l);
		struct worker *hw =
			h < 0 ? NULL : registry_by_id(&s->reg, (uint32_t)h);
		snprintf(why, len,
			 "cannot step '%s': it waits for lock '%s', held by "
			 "'%s'",
			 w->name, locks_name(&s->locks, l),
			 hw ? hw->name : "?");
		return true;
	}
	if ((o = sched_joins(s, w)) != NULL) {
		snprintf(why, len, "cannot step '%s': it waits for '%s' to end",
			 w->name, o->name);
		return true;
	}
	if ((l = sched_waits_on(s, w)) >= 0) {
		char what[96];
		sync_describe(s->shm, l, what, sizeof what);
		snprintf(why, len, "cannot step '%s': it waits on %s", w->name,
			 what);
		return true;
	}
	return false;
}

/* sched step: the next worker in spawn order, after the last one, that
 * can take a step; NULL when none can. */
static struct worker *
next_in_turn(struct session *s)
{
	char why[200];

	for (size_t k = 0; k < s->reg.n; k++) {
		size_t i = (s->sch.rr + k) % s->reg.n;
		struct worker *w = s->reg.v[i];
		if (sched_at_gate(s, w) && !refuse(s, w, why, sizeof why)) {
			s->sch.rr = i + 1;
			return w;
		}
	}
	return NULL;
}

/* Why no worker could be picked. */
static const char *
nobody(const struct session *s)
{
	bool running = false;

	for (size_t i = 0; i < s->reg.n; i++) {
		const struct worker *w = s->reg.v[i];
		if (w->state != WS_RUNNING)
			continue;
		if (!w->deadlocked)
			return "no worker can take a step";
		running = true;
	}
	return running ? "no worker can take a step: they are deadlocked "
			 "(kill one, or reset)"
		       : "no worker is running";
}

static void
give_up(struct stepping *st, const char *why)
{
	st->stop = true;
	snprintf(st->why, sizeof st->why, "%s", why);
}

/* replay: the worker whose step is the schedule's next, or NULL (and
 * the stepping stops, WHY said) when it cannot take it now. */
static struct worker *
next_of_schedule(struct session *s, struct stepping *st)
{
	const char *name = sched_replay_next(s);
	struct worker *w = registry_find(&s->reg, name);
	char why[200];

	if (w == NULL || w->state != WS_RUNNING) {
		snprintf(st->why, sizeof st->why,
			 "the schedule's next step is %s's, which has ended; "
			 "the workers did not go as explored",
			 name);
		st->stop = true;
		return NULL;
	}
	if (!sched_at_gate(s, w))
		return NULL; /* its last step is not over yet: wait */
	if (refuse(s, w, why, sizeof why)) {
		snprintf(st->why, sizeof st->why,
			 "the schedule's next step is %s's: %s", name, why);
		st->stop = true;
		return NULL;
	}
	return w;
}

/* Grants W a step, and follows the schedule queued (replay) or leaves
 * it: a step of another worker than its next says so, once. */
static void
grant(struct session *s, struct worker *w)
{
	struct sched *c = &s->sch;

	if (c->replay != NULL) {
		if (strcmp(sched_replay_next(s), w->name) == 0) {
			c->replay_at++;
		} else {
			sh_note(s,
				"leaving the schedule: its next step was "
				"%s's (replay queues it again)",
				sched_replay_next(s));
			sched_replay_clear(s);
		}
	}
	sched_grant(s, w, true);
}

static void
step_pump(struct session *s, void *arg)
{
	struct stepping *st = arg;
	struct worker *w;

	if (st->stop || st->left == 0 || s->sch.inflight != 0 ||
	    !sched_settled(s) || sched_pace_left(s) > 0)
		return;
	if (st->named) {
		w = registry_by_id(&s->reg, st->id);
		if (w == NULL || w->state != WS_RUNNING) {
			st->left = 0; /* it ended: the trace said so */
			return;
		}
		if (!sched_at_gate(s, w))
			return; /* a pause not yet reached: wait for it */
		if (refuse(s, w, st->why, sizeof st->why)) {
			st->stop = true;
			return;
		}
	} else if (s->sch.mode == SCHED_SEED) {
		if (!sched_quiet(s))
			return;
		if ((w = sched_choose(s)) == NULL)
			return give_up(st, nobody(s));
	} else if (s->sch.replay != NULL) {
		if ((w = next_of_schedule(s, st)) == NULL)
			return;
	} else if ((w = next_in_turn(s)) == NULL) {
		return give_up(st, nobody(s));
	}
	grant(s, w);
	st->left--;
	st->taken++;
	if (s->sch.replay != NULL && s->sch.replay_at == s->sch.nreplay) {
		sched_replay_clear(s);
		st->over = true;
		if (!st->named)
			st->left = 0; /* step 5 past its end: the rest later */
	}
}

static bool
step_done(struct session *s, void *arg)
{
	struct stepping *st = arg;

	return (st->left == 0 || st->stop) && s->sch.inflight == 0 &&
	       sched_settled(s);
}

static int
step_finish(struct session *s, void *arg, enum wait_end how)
{
	struct stepping *st = arg;

	if (how == WAIT_INTERRUPTED)
		return 1;
	if (st->over)
		sh_note(s, "the schedule is over: every step of it replayed");
	if (!st->stop)
		return 0;
	if (st->taken == 0) {
		sh_error(s, "%s", st->why);
		return 1;
	}
	/* A trace line, as the steps above it: bracket and all. */
	sh_note(s, "stopped after %llu step%s: %s",
		(unsigned long long)st->taken, st->taken == 1 ? "" : "s",
		st->why);
	return 0;
}

static int
exec_step(struct session *s, int argc, char **argv)
{
	struct stepping *st = xcalloc(1, sizeof *st);
	struct wait wait = { .done = step_done,
			     .finish = step_finish,
			     .pump = step_pump,
			     .arg = st,
			     .interruptible = true };
	struct worker *w = NULL;
	uint64_t n = 1;
	int i = 1;

	if (i < argc && !(argv[i][0] >= '0' && argv[i][0] <= '9')) {
		if ((w = cmd_worker_for(s, argv[i], WOP_STEP)) == NULL)
			goto fail;
		i++;
	}
	if (i < argc && cmd_number(s, argv[i++], "step", "a number of steps", 1,
				   STEP_MAX, &n) < 0)
		goto fail;
	if (i < argc) {
		sh_error(s, "usage: %s", cmd_step_entry.usage);
		goto fail;
	}
	if (w != NULL && refuse(s, w, st->why, sizeof st->why)) {
		sh_error(s, "%s", st->why);
		goto fail;
	}
	if (w == NULL && s->sch.mode == SCHED_FREE) {
		bool paused = false;
		for (size_t k = 0; k < s->reg.n; k++)
			paused |= s->reg.v[k]->state == WS_RUNNING &&
				  s->reg.v[k]->hold_over == HOLD_PAUSED;
		if (!paused) {
			sh_error(s, "nothing to step: in sched free the "
				    "workers run by themselves; use sched "
				    "step, or pause one");
			goto fail;
		}
	}
	st->named = w != NULL;
	st->id = w != NULL ? w->id : 0;
	st->left = n;
	session_wait(s, &wait);
	return 0;
fail:
	free(st);
	return 1;
}

const struct cmd_entry cmd_step_entry = {
	.name = "step",
	.min_args = 0,
	.max_args = 2,
	.usage = "step [NAME] [N]",
	.summary = "let NAME (or the next worker) take N steps (default 1), "
		   "printing each",
	.example = "step t1 3",
	.words = "w",
	.exec = exec_step,
};
