/*
 * explorer.c: explore's runs (see explorer.h). One run: fresh workers of
 * the same names, tasks and arguments as those spawned, started one at a
 * time in sched seed, each step granted by the enumeration (explore.h)
 * once nothing is in flight, the workers that can step told to it as a
 * bit mask in spawn order. A run ends when every worker has ended, or
 * none can step (a deadlock), or one has failed (its others stopped).
 * Then its workers are reaped and forgotten, and the variables, objects
 * and the scheduler are given back what they held before the first.
 *
 * The runs are silent: the trace level is off and the trace keeps
 * nothing. The violating run, if one is found, is run once more with
 * every step traced, so the learner sees it whole; at the end the
 * workers are spawned again, new, for replay.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expect.h"
#include "explore.h"
#include "explorer.h"
#include "pyrun.h"
#include "session.h"
#include "sync.h"
#include "xmalloc.h"

/* The most steps of one run: a worker that never ends (while 1) must not
 * make explore run forever. */
#define XP_MAX_STEPS 100000
/* How often a progress line is drawn on a terminal, in ms. */
#define XP_PROGRESS_MS 250

/* A worker as spawned: what each run spawns again. */
struct spec {
	char name[WORKER_NAME_MAX + 1];
	enum worker_kind kind;
	struct task *task;
	char *func; /* a Python function (pyrun_spawn) instead, or NULL */
	int argc;
	char **argv;
};

enum xp_phase {
	XP_START, /* starting the run's workers, one at a time */
	XP_RUN,	  /* granting steps */
	XP_STOP,  /* stopping what is left of a run that violated */
	XP_DONE,  /* finished: the wait is over */
};

struct xp {
	struct spec *specs;
	size_t n;
	struct explorer_opts o;
	struct explore *e;
	/* what the runs start from, given back after each */
	struct vars_saved *vars;
	void *py; /* the Python prompt's variables (pyrun_save) */
	struct sync_saved syncs;
	unsigned deadlocks;
	/* the learner's scheduler, given back at the end */
	enum sched_mode mode;
	uint64_t seed;
	enum trace_level trace;
	/* the run under way */
	enum xp_phase phase;
	uint32_t ids[EXPLORE_WORKERS]; /* its workers, by spec */
	size_t started;		       /* specs started so far */
	bool under_way;		       /* the last one's start is settling */
	uint64_t steps;
	/* the traced run: the violating schedule replayed */
	bool tracing;
	int *fixed;
	size_t nfixed, at;
	/* what was found */
	bool violation, stopped, failed;
	char *why;	    /* the violation, or why explore failed */
	uint64_t runs;	    /* runs over */
	uint64_t t0, shown; /* ev_now() at the start, of the progress line */
	bool drawn;	    /* a progress line is on the screen */
	bool told_stop;	    /* that the traced run's rest is stopped */
	uint64_t stop_sent; /* the run's workers asked to stop, by spec */
};

/* The run's worker for spec I, or NULL. */
static struct worker *
run_worker(struct session *s, const struct xp *x, size_t i)
{
	return x->ids[i] == 0 ? NULL : registry_by_id(&s->reg, x->ids[i] - 1);
}

/* The spec of W, a worker of the run, or -1. */
static int
spec_of(const struct xp *x, const struct worker *w)
{
	for (size_t i = 0; i < x->n; i++)
		if (x->ids[i] == w->id + 1)
			return (int)i;
	return -1;
}

int
explorer_workers(struct session *s, struct worker **v, size_t max,
		 const char *cmd, char *err, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < s->reg.n; i++) {
		struct worker *w = s->reg.v[i];
		if (w->state == WS_RUNNING) {
			snprintf(err, len,
				 "%s: '%s' is running; %s runs workers "
				 "alone (join or kill it first)",
				 cmd, w->name, cmd);
			return -1;
		}
		if (w->state != WS_NEW)
			continue;
		/* Thousands of runs of a node would take an hour: MPI
		 * starts one in most of a second. */
		if (w->kind == WORKER_NODE && strcmp(cmd, "explore") == 0) {
			snprintf(err, len,
				 "explore: '%s' is a node, which MPI takes "
				 "most of a second to start: explore runs "
				 "threads and processes (replay runs nodes)",
				 w->name);
			return -1;
		}
		int pc;
		char **pv;
		if (w->body != NULL && pyrun_spawned(w, &pc, &pv) == NULL) {
			snprintf(err, len,
				 "%s: '%s' runs Python, which %s cannot run "
				 "again",
				 cmd, w->name, cmd);
			return -1;
		}
		if (n == max) {
			snprintf(err, len,
				 "%s: more than %zu new workers (at most %d)",
				 cmd, max, EXPLORE_WORKERS);
			return -1;
		}
		v[n++] = w;
	}
	if (n == 0) {
		snprintf(err, len,
			 "%s: no worker is spawned and not started (spawn "
			 "some first)",
			 cmd);
		return -1;
	}
	for (size_t l = 0; l < locks_count(&s->locks); l++) {
		int64_t h = lock_holder(s->shm, (int)l);
		struct worker *o = h < 0 ? NULL : registry_by_id(&s->reg,
								 (uint32_t)h);
		if (h >= 0) {
			snprintf(err, len,
				 "%s: lock '%s' is held by '%s' (kill %s "
				 "frees it)",
				 cmd, locks_name(&s->locks, (int)l),
				 o ? o->name : "?", o ? o->name : "it");
			return -1;
		}
	}
	return (int)n;
}

/* The chooser of sched seed while a run is under way. */
static struct xp *running_xp;

static struct worker *
choose(struct session *s, struct worker **can, size_t n)
{
	struct xp *x = running_xp;
	uint64_t mask = 0;
	int pick;

	if (x == NULL || x->phase != XP_RUN || n == 0)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int k = spec_of(x, can[i]);
		if (k >= 0)
			mask |= (uint64_t)1 << k;
	}
	if (mask == 0)
		return NULL;
	if (x->tracing) {
		pick = x->at < x->nfixed ? x->fixed[x->at++] : -1;
		if (pick >= 0 && !(mask & ((uint64_t)1 << pick)))
			pick = -1;
	} else {
		pick = explore_choose(x->e, mask);
	}
	if (pick < 0) {
		/* The same choices did not lead the same way. */
		free(x->why);
		x->why = xstrdup("the workers did not run the same way twice "
				 "under the same schedule: something besides "
				 "the schedule (time, input) decides between "
				 "them");
		x->failed = true;
		x->phase = XP_STOP;
		return NULL;
	}
	x->steps++;
	return run_worker(s, x, (size_t)pick);
}

/* Spawns the run's workers anew, new, with the spec's names. */
static bool
spawn_run(struct session *s, struct xp *x, char *err, size_t len)
{
	for (size_t i = 0; i < x->n; i++) {
		struct spec *p = &x->specs[i];
		struct value args[AST_MAX_PARAMS];
		struct worker *w;
		if (p->func != NULL) {
			if (pyrun_spawn(s, p->name, p->kind, p->func, p->argc,
					p->argv, err, len) < 0)
				return false;
			w = registry_find(&s->reg, p->name);
		} else {
			if (task_bind(p->task, p->argc, p->argv, args, err,
				      len) < 0)
				return false;
			w = registry_add(&s->reg, p->name, p->kind, p->task,
					 p->argv, args);
		}
		if (w == NULL) {
			snprintf(err, len, "cannot spawn '%s' again", p->name);
			return false;
		}
		x->ids[i] = w->id + 1;
	}
	return true;
}

/* Begins a run: its workers spawned, the scheduler as at the start. */
static bool
begin_run(struct session *s, struct xp *x)
{
	char err[256];

	if (!spawn_run(s, x, err, sizeof err)) {
		free(x->why);
		x->why = xstrdup(err);
		x->failed = true;
		return false;
	}
	sched_reset(s);
	x->started = 0;
	x->under_way = false;
	x->steps = 0;
	x->at = 0;
	x->stop_sent = 0;
	x->phase = XP_START;
	return true;
}

/* Starts the run's workers one at a time, each once the one before has
 * said it started; true once all have. */
static bool
start_some(struct session *s, struct xp *x)
{
	char why[256];

	for (;;) {
		if (x->under_way) {
			struct worker *w = run_worker(s, x, x->started - 1);
			int rc = w->be->settle(w, false, why, sizeof why);
			if (rc == 1)
				return false;
			x->under_way = false;
			if (rc < 0)
				goto fail;
			worker_set_state(w, WS_RUNNING);
			session_poll_workers(s, true);
		}
		if (x->started > 0) {
			struct worker *w = run_worker(s, x, x->started - 1);
			if (w->state == WS_RUNNING && w->t_start == 0)
				return false; /* not yet said it started */
		}
		if (x->started == x->n)
			return true;
		struct worker *w = run_worker(s, x, x->started);
		int rc = session_start(s, w, why, sizeof why);
		if (rc < 0)
			goto fail;
		x->started++;
		if (rc == 1)
			x->under_way = true;
		else
			worker_set_state(w, WS_RUNNING);
	}
fail:
	free(x->why);
	x->why = xstrdup(why);
	x->failed = true;
	x->phase = XP_STOP;
	return false;
}

/* Notes the violation WHY (a new string) of the run under way. */
static void
violated(struct xp *x, char *why)
{
	free(x->why);
	x->why = why;
	x->violation = true;
	x->phase = XP_STOP;
}

/* A worker of the run has failed or been killed: a violation. */
static bool
check_failed(struct session *s, struct xp *x)
{
	for (size_t i = 0; i < x->n; i++) {
		struct worker *w = run_worker(s, x, i);
		struct buf b = { 0 };
		if (w == NULL || (w->state != WS_FAILED && w->state != WS_KILLED))
			continue;
		if (w->state == WS_FAILED)
			buf_printf(&b, "%s failed (%s)", w->name,
				   w->fail ? w->fail : "?");
		else
			buf_printf(&b, "%s was killed (%s)", w->name,
				   worker_end_name(w));
		violated(x, xstrdup(buf_str(&b)));
		buf_free(&b);
		return true;
	}
	return false;
}

/* How many of the run's workers have not ended. */
static size_t
live(struct session *s, const struct xp *x)
{
	size_t n = 0;

	for (size_t i = 0; i < x->n; i++) {
		struct worker *w = run_worker(s, x, i);
		n += w != NULL && w->state == WS_RUNNING;
	}
	return n;
}

/* No worker can step and some have not ended: says who waits for what. */
static char *
deadlock_text(struct session *s, struct xp *x)
{
	struct buf b = { 0 };
	bool first = true;

	buf_puts(&b, "deadlock: ");
	for (size_t i = 0; i < x->n; i++) {
		struct worker *w = run_worker(s, x, i);
		int l, o;
		if (w == NULL || w->state != WS_RUNNING)
			continue;
		buf_printf(&b, "%s%s ", first ? "" : "; ", w->name);
		first = false;
		if ((l = sched_blocked_on(s, w)) >= 0) {
			int64_t h = lock_holder(s->shm, l);
			struct worker *hw =
				h < 0 ? NULL
				      : registry_by_id(&s->reg, (uint32_t)h);
			buf_printf(&b, "waits for %s held by %s",
				   locks_name(&s->locks, l),
				   hw ? hw->name : "?");
		} else if ((o = sched_waits_on(s, w)) >= 0) {
			char what[96];
			sync_describe(s->shm, o, what, sizeof what);
			buf_printf(&b, "waits on %s", what);
		} else {
			buf_puts(&b, "cannot step");
		}
	}
	return b.data; /* made: never NULL */
}

/* The run is over, every worker of it ended: the expectation, then its
 * workers reaped and forgotten, and the state given back. */
static void
end_run(struct session *s, struct xp *x)
{
	if (!x->violation && !x->failed && x->o.has_expect) {
		struct buf seen = { 0 }, text = { 0 };
		if (!expect_holds(s, &x->o.expect, &seen)) {
			expect_format(&x->o.expect, &text);
			buf_printf(&text, " does not hold (saw: %s)",
				   buf_str(&seen));
			violated(x, xstrdup(buf_str(&text)));
		}
		buf_free(&seen);
		buf_free(&text);
	}
	for (size_t i = 0; i < x->n; i++) {
		struct worker *w = run_worker(s, x, i);
		if (w == NULL)
			continue;
		if (worker_ended(w))
			session_reap(s, w);
		for (size_t l = 0; l < locks_count(&s->locks); l++)
			if (lock_holder(s->shm, (int)l) == (int64_t)w->id)
				lock_free_ended(s->shm, (int)l);
		if (!registry_forget(&s->reg, w) && !x->failed) {
			/* Its name would be taken twice by the next run. */
			free(x->why);
			x->why = xstrdup("a run's worker could not be forgotten "
					 "(reset, then spawn them again)");
			x->failed = true;
		}
		x->ids[i] = 0;
	}
	vars_restore(&s->vars, x->vars);
	sync_restore(s->shm, &x->syncs);
	pyrun_restore(s, x->py);
	s->deadlocks = x->deadlocks;
	x->runs++;
}

/* Stops whatever of the run still runs, one worker at a time in spawn
 * order (their ends are told in that order); true once nothing runs. */
static bool
stop_run(struct session *s, struct xp *x)
{
	for (size_t i = 0; i < x->n; i++) {
		struct worker *w = run_worker(s, x, i);
		if (w == NULL)
			continue;
		if (x->under_way && i == x->started - 1) {
			char why[256];
			if (w->be->settle(w, true, why, sizeof why) == 0)
				worker_set_state(w, WS_RUNNING);
			x->under_way = false;
		}
		if (w->state == WS_RUNNING) {
			if (!(x->stop_sent & ((uint64_t)1 << i))) {
				w->be->stop(w);
				x->stop_sent |= (uint64_t)1 << i;
			}
			return false;
		}
	}
	return true;
}

/* A progress line on a terminal, at most every XP_PROGRESS_MS. */
static void
progress(struct session *s, struct xp *x, bool last)
{
	uint64_t now = ev_now();
	double secs = (double)(now - x->t0) / 1e9;
	char line[160];

	if (!s->interactive || x->tracing)
		return;
	if (last) {
		if (x->drawn)
			sh_progress(s, NULL);
		x->drawn = false;
		return;
	}
	if (now - x->shown < (uint64_t)XP_PROGRESS_MS * 1000000)
		return;
	x->shown = now;
	snprintf(line, sizeof line,
		 "exploring: %" PRIu64 " schedules, %.0f a second, depth %"
		 PRIu64 " (Ctrl-C stops)",
		 x->runs, secs > 0 ? (double)x->runs / secs : 0.0, x->steps);
	sh_progress(s, line);
	x->drawn = true;
}

/* Tells what was found (before the traced run, if any). */
static void
tell(struct session *s, struct xp *x)
{
	struct buf b = { 0 };
	const int *c;
	size_t n = explore_choices(x->e, &c);
	const char **names = xcalloc(x->n + 1, sizeof *names);

	for (size_t i = 0; i < x->n; i++)
		names[i] = x->specs[i].name;
	schedule_format(c, n, names, &b);
	free(names);
	sh_printf(s, "explore: violation after %" PRIu64 " schedule%s: %s\n",
		  x->runs, x->runs == 1 ? "" : "s", x->why);
	sh_printf(s, "schedule: %s\n", buf_str(&b));
	sh_printf(s, "-- the run of that schedule, step by step:\n");
	free(s->explored.schedule);
	s->explored.schedule = xstrdup(buf_str(&b));
	x->fixed = xmalloc((n + 1) * sizeof *x->fixed);
	memcpy(x->fixed, c, n * sizeof *c);
	x->nfixed = n;
	buf_free(&b);
}

/* The learner's scheduler back; the workers spawned again, new. */
static void
finish_up(struct session *s, struct xp *x)
{
	char err[256];

	running_xp = NULL;
	s->sch.chooser = NULL;
	sched_set_mode(s, x->mode, x->seed);
	sched_set_trace(s, x->trace);
	s->trace.paused = false;
	if (!spawn_run(s, x, err, sizeof err))
		sh_error(s, "explore: %s", err);
	for (size_t i = 0; i < x->n; i++)
		x->ids[i] = 0;
	x->phase = XP_DONE;
}

/* Where one explore goes next, as far as it can go now. */
static void
pump(struct session *s, void *arg)
{
	struct xp *x = arg;

	for (;;) {
		switch (x->phase) {
		case XP_START:
			if (!start_some(s, x)) {
				if (x->phase == XP_START)
					return;
				break;
			}
			x->phase = XP_RUN;
			/* fall through */
		case XP_RUN:
			if (check_failed(s, x))
				break;
			if (!sched_quiet(s))
				return;
			if (x->steps >= XP_MAX_STEPS) {
				free(x->why);
				x->why = xstrdup("a run took more than 100000 "
						 "steps: explore needs workers "
						 "that end");
				x->failed = true;
				x->phase = XP_STOP;
				break;
			}
			sched_pump(s);
			if (x->phase != XP_RUN)
				break;
			if (s->sch.inflight != 0)
				return;
			if (live(s, x) > 0) {
				violated(x, deadlock_text(s, x));
				break;
			}
			x->phase = XP_STOP;
			break;
		case XP_STOP:
			if (x->tracing && !x->told_stop && live(s, x) > 0) {
				sh_note(s, "explore stops what is left of the "
					   "run");
				x->told_stop = true;
			}
			if (!stop_run(s, x))
				return;
			/* Their ends are told (killed ones by the OS); one
			 * never started (Ctrl-C came first) stays new. */
			for (size_t i = 0; i < x->n; i++) {
				struct worker *w = run_worker(s, x, i);
				if (w != NULL && w->state == WS_RUNNING)
					return;
			}
			end_run(s, x);
			if (x->tracing || x->failed || x->stopped) {
				finish_up(s, x);
				break;
			}
			if (x->violation) {
				progress(s, x, true);
				tell(s, x);
				x->tracing = true;
				x->violation = false;
				sched_set_trace(s, TRACE_STEPS);
				s->trace.paused = false;
				if (!begin_run(s, x))
					finish_up(s, x);
				break;
			}
			progress(s, x, false);
			if ((x->o.max != 0 && x->runs >= x->o.max) ||
			    (x->o.random != 0 && x->runs >= x->o.random) ||
			    !explore_next(x->e)) {
				finish_up(s, x);
				break;
			}
			if (!begin_run(s, x))
				finish_up(s, x);
			break;
		case XP_DONE: return;
		}
	}
}

static bool
done(struct session *s, void *arg)
{
	struct xp *x = arg;

	return x->phase == XP_DONE;
}

static void
free_xp(struct xp *x)
{
	for (size_t i = 0; i < x->n; i++) {
		for (int k = 0; k < x->specs[i].argc; k++)
			free(x->specs[i].argv[k]);
		free(x->specs[i].argv);
		free(x->specs[i].func);
	}
	free(x->specs);
	pyrun_saved_free(x->py);
	explore_free(x->e);
	free(x->vars);
	sync_saved_free(&x->syncs);
	free(x->fixed);
	free(x->why);
	if (x->o.has_expect)
		expect_free(&x->o.expect);
}

static int
finish(struct session *s, void *arg, enum wait_end how)
{
	struct xp *x = arg;
	int st = 0;

	progress(s, x, true);
	if (how != WAIT_DONE) { /* weft is ending: it stops the workers */
		running_xp = NULL;
		s->sch.chooser = NULL;
		sched_set_trace(s, x->trace);
		s->trace.paused = false;
		free_xp(x);
		return 1;
	}
	s->explored.ran = !x->failed;
	s->explored.schedules = x->runs - (x->tracing ? 1 : 0);
	s->explored.violation = x->tracing;
	if (!x->tracing) {
		free(s->explored.schedule);
		s->explored.schedule = NULL;
	}
	if (x->failed) {
		sh_error(s, "explore: %s", x->why ? x->why : "?");
		st = 1;
	} else if (!x->tracing) {
		uint64_t n = x->runs;
		const char *st_s = n == 1 ? "" : "s";
		if (x->stopped)
			sh_printf(s,
				  "explore: stopped: no violation in %" PRIu64
				  " schedule%s so far\n",
				  n, st_s);
		else if (x->o.random != 0) /* --max may have cut it short */
			sh_printf(s,
				  "no violation in %" PRIu64 " schedule%s (%"
				  PRIu64 " random schedule%s)\n",
				  n, st_s, n, st_s);
		else if (x->o.max != 0 && n >= x->o.max)
			sh_printf(s,
				  "no violation in %" PRIu64 " schedule%s "
				  "(--max %" PRIu64 " reached before every "
				  "schedule was tried)\n",
				  n, st_s, x->o.max);
		else if (x->o.bound == EXPLORE_UNBOUNDED)
			sh_printf(s,
				  "no violation in %" PRIu64 " schedule%s "
				  "(every schedule)\n",
				  n, st_s);
		else
			sh_printf(s,
				  "no violation in %" PRIu64 " schedule%s "
				  "(every schedule with at most %d "
				  "preemption%s)\n",
				  n, st_s, x->o.bound,
				  x->o.bound == 1 ? "" : "s");
	}
	free_xp(x);
	return st;
}

/* Ctrl-C: the run under way is stopped, and explore says what it found
 * so far. */
static void
interrupt(struct session *s, void *arg)
{
	struct xp *x = arg;

	if (x->phase == XP_DONE || x->stopped)
		return;
	x->stopped = true;
	if (x->phase == XP_RUN || x->phase == XP_START)
		x->phase = XP_STOP;
	pump(s, x);
}

static int
timeout(const struct session *s, void *arg)
{
	return XP_PROGRESS_MS;
}

int
explorer_start(struct session *s, struct explorer_opts *o, char *err,
	       size_t len)
{
	struct worker *v[EXPLORE_WORKERS];
	int n = explorer_workers(s, v, EXPLORE_WORKERS, "explore", err, len);
	struct xp *x;

	if (n < 0)
		return -1;
	x = xcalloc(1, sizeof *x);
	x->n = (size_t)n;
	x->specs = xcalloc(x->n, sizeof *x->specs);
	for (size_t i = 0; i < x->n; i++) {
		struct spec *p = &x->specs[i];
		const char *func;
		char **argv = v[i]->argv;
		snprintf(p->name, sizeof p->name, "%s", v[i]->name);
		p->kind = v[i]->kind;
		p->task = v[i]->task;
		p->argc = v[i]->argc;
		if ((func = pyrun_spawned(v[i], &p->argc, &argv)) != NULL)
			p->func = xstrdup(func);
		p->argv = xcalloc((size_t)p->argc + 1, sizeof *p->argv);
		for (int k = 0; k < p->argc; k++)
			p->argv[k] = xstrdup(argv[k]);
	}
	x->o = *o;
	o->has_expect = false; /* taken over */
	x->e = explore_new(x->n, o->bound, o->random != 0,
			   s->sch.seed ? s->sch.seed : 1);
	/* The workers as spawned are forgotten: each run spawns its own,
	 * and the end spawns them again. */
	for (int i = 0; i < n; i++)
		registry_forget(&s->reg, v[i]);
	x->vars = xmalloc(sizeof *x->vars);
	vars_save(&s->vars, x->vars);
	x->py = pyrun_save(s);
	sync_save(s->shm, &x->syncs);
	x->deadlocks = s->deadlocks;
	x->mode = s->sch.mode;
	x->seed = s->sch.seed;
	x->trace = s->sch.trace;
	x->t0 = x->shown = ev_now();

	/* Seeded, so that the scheduler grants one step at a time, but
	 * the chooser picks; objects wake their waiters first come first
	 * served. */
	sched_set_mode(s, SCHED_SEED, x->seed);
	sync_set_order(s->shm, false, 0);
	s->sch.chooser = choose;
	sched_set_trace(s, TRACE_OFF);
	s->trace.paused = true;
	running_xp = x;
	if (!begin_run(s, x))
		x->phase = XP_STOP;

	struct wait w = { .done = done,
			  .finish = finish,
			  .pump = pump,
			  .arg = x,
			  .interrupt = interrupt,
			  .timeout = timeout };
	session_wait(s, &w);
	return 0;
}
