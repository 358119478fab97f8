/*
 * schedule.c: the scheduler's side of the main loop (see schedule.h). It never
 * blocks: it opens, holds and grants gates, and reads what the workers
 * publish in the shared segment (their next instruction, the lock they
 * wait for) to decide who can step and who can never finish.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "schedule.h"
#include "sync.h"
#include "session.h"
#include "xmalloc.h"

#define SCHED_RECHECK_MS 250

size_t
waitfor_cycle(size_t n, const int *wants, size_t nlocks, const int *holder,
	      size_t start, size_t *cycle, size_t max)
{
	/* Every step of the walk visits a new worker, or closes a cycle. */
	size_t *order = xcalloc(n + 1, sizeof *order);
	size_t *seen_at = xcalloc(n + 1, sizeof *seen_at); /* index + 1 */
	size_t len = 0, cur = start, found = 0;

	while (cur < n && seen_at[cur] == 0) {
		seen_at[cur] = len + 1;
		order[len++] = cur;
		int l = wants[cur];
		if (l < 0 || (size_t)l >= nlocks || holder[l] < 0)
			goto out;
		cur = (size_t)holder[l];
	}
	if (cur >= n)
		goto out;
	/* order[seen_at[cur] - 1 ..] is the cycle; start it at its lowest. */
	size_t first = seen_at[cur] - 1, k = len - first, low = first;
	for (size_t i = first; i < len; i++)
		if (order[i] < order[low])
			low = i;
	for (size_t i = 0; i < k && i < max; i++)
		cycle[i] = order[first + (low - first + i) % k];
	found = k < max ? k : max;
out:
	free(order);
	free(seen_at);
	return found;
}

static struct shm_gate *
gate_of(const struct session *s, const struct worker *w)
{
	return &s->shm->gates[w->slot];
}

/* Does the mode hold W's gate? */
static bool
wants_held(const struct session *s, const struct worker *w)
{
	if (w->hold_over == HOLD_PAUSED)
		return true;
	if (w->hold_over == HOLD_RUNS && s->sch.mode != SCHED_SEED)
		return false;
	return s->sch.mode != SCHED_FREE;
}

void
sched_apply(struct session *s, struct worker *w)
{
	bool held = wants_held(s, w);
	uint32_t epoch;

	if (w->state != WS_RUNNING)
		return;
	epoch = gate_hold(gate_of(s, w), held);
	if (!held)
		w->hold = 0;
	else if (epoch != 0)
		w->hold = epoch;
}

void
sched_starting(struct session *s, struct worker *w)
{
	bool held = wants_held(s, w);

	w->epoch0 = gate_init(gate_of(s, w), held);
	for (size_t i = 0; i < SHM_LOCKS / 64; i++)
		atomic_store(&gate_of(s, w)->took[i], 0);
	/* It cannot take a step before it reaches its gate, held already. */
	w->hold = w->acked = held ? w->epoch0 : 0;
	w->want = w->traced_wait = -1;
	w->deadlocked = false;
	w->ending = false;
}

static void
count_steps(struct session *s)
{
	bool numbered = s->sch.mode != SCHED_FREE;

	atomic_store(&s->shm->count_steps, numbered);
	s->ro.steps = numbered;
}

void
sched_set_mode(struct session *s, enum sched_mode mode, uint64_t seed)
{
	struct sched *c = &s->sch;

	if (mode != SCHED_FREE && (mode != c->mode || mode == SCHED_SEED))
		atomic_store(&s->shm->stepno, 0);
	c->mode = mode;
	c->seed = c->prng = seed;
	c->rr = 0;
	sched_replay_clear(s); /* a schedule is followed in sched step only */
	sync_set_order(s->shm, mode == SCHED_SEED, seed);
	count_steps(s);
	for (size_t i = 0; i < s->reg.n; i++) {
		s->reg.v[i]->hold_over = HOLD_DEFAULT;
		sched_apply(s, s->reg.v[i]);
	}
}

void
sched_replay_set(struct session *s, const char *const *names, size_t nnames,
		 const int *steps, size_t n)
{
	struct sched *c = &s->sch;

	sched_replay_clear(s);
	c->replay_names = xcalloc(nnames + 1, sizeof *c->replay_names);
	for (size_t i = 0; i < nnames; i++)
		c->replay_names[i] = xstrdup(names[i]);
	c->nreplay_names = nnames;
	c->replay = xcalloc(n + 1, sizeof *c->replay);
	memcpy(c->replay, steps, n * sizeof *steps);
	c->nreplay = n;
	c->replay_at = 0;
}

const char *
sched_replay_next(const struct session *s)
{
	const struct sched *c = &s->sch;

	if (c->replay == NULL || c->replay_at >= c->nreplay)
		return NULL;
	return c->replay_names[c->replay[c->replay_at]];
}

void
sched_replay_clear(struct session *s)
{
	struct sched *c = &s->sch;

	for (size_t i = 0; i < c->nreplay_names; i++)
		free(c->replay_names[i]);
	free(c->replay_names);
	free(c->replay);
	c->replay = NULL;
	c->replay_names = NULL;
	c->nreplay = c->nreplay_names = c->replay_at = 0;
}

void
sched_reset(struct session *s)
{
	struct sched *c = &s->sch;

	atomic_store(&s->shm->stepno, 0);
	sched_replay_clear(s);
	c->prng = c->seed;
	sync_set_order(s->shm, c->mode == SCHED_SEED, c->seed);
	c->inflight = 0;
	c->rr = 0;
	c->next_at = 0;
}

void
sched_set_pace(struct session *s, unsigned ms)
{
	s->sch.pace_ms = ms;
	atomic_store(&s->shm->pace_ms, ms);
}

void
sched_set_unit(struct session *s, bool bytecode)
{
	s->sch.bytecode = bytecode;
	atomic_store(&s->shm->py_unit, bytecode);
}

void
sched_set_trace(struct session *s, enum trace_level level)
{
	s->sch.trace = level;
	atomic_store(&s->shm->trace_steps, level == TRACE_STEPS);
	atomic_store(&s->shm->trace_off, level == TRACE_OFF);
}

bool
sched_at_gate(const struct session *s, const struct worker *w)
{
	/* One whose task is over is not at its gate but on its way out. */
	return w->state == WS_RUNNING && w->t_start != 0 && w->hold != 0 &&
	       w->acked == w->hold && s->sch.inflight != w->id + 1 &&
	       atomic_load(&gate_of(s, w)->next_pc) >= 0;
}

int
sched_blocked_on(const struct session *s, const struct worker *w)
{
	int l, pc;
	int64_t h;
	const struct op *op;

	if (w->state != WS_RUNNING)
		return -1;
	if ((l = lock_waiting(s->shm, w->slot)) >= 0)
		return l;
	if (!sched_at_gate(s, w))
		return -1;
	pc = atomic_load(&gate_of(s, w)->next_pc);
	if (w->body != NULL) { /* a Python line: it says which lock */
		if ((l = atomic_load(&gate_of(s, w)->next_lock)) < 0)
			return -1;
	} else {
		if (pc < 0 || (size_t)pc >= w->in.prog->n)
			return -1;
		op = &w->in.prog->ops[pc];
		/* Which lock: the worker says (a name in a variable is its
		 * own; a condition's wait takes its lock again as its last
		 * step). */
		if ((op->code != I_LOCK && op->code != I_SYNC) ||
		    (l = atomic_load(&gate_of(s, w)->next_lock)) < 0)
			return -1;
	}
	h = lock_holder(s->shm, l);
	return h >= 0 && h != w->id ? l : -1;
}

int
sched_waits_on(const struct session *s, const struct worker *w)
{
	const struct shm_gate *g;
	int obj;

	if (w->state != WS_RUNNING)
		return -1;
	if ((obj = sync_waiting(s->shm, w->slot)) >= 0)
		return obj;
	if (!sched_at_gate(s, w))
		return -1;
	g = gate_of(s, w);
	obj = atomic_load(&g->next_sync);
	return obj >= 0 && sync_would_wait(s->shm, obj,
					   (enum sync_op)atomic_load(
						   &g->next_sop),
					   w->slot)
		       ? obj
		       : -1;
}

struct worker *
sched_joins(const struct session *s, const struct worker *w)
{
	uint32_t id;
	struct worker *o;

	/* Held, it waits at its gate; running freely, in the join itself. */
	if (w->state != WS_RUNNING ||
	    (atomic_load(&gate_of(s, w)->held) && !sched_at_gate(s, w)) ||
	    (id = atomic_load(&gate_of(s, w)->next_join)) == 0 ||
	    (o = registry_by_id(&s->reg, id - 1)) == NULL)
		return NULL;
	return o->state == WS_NEW || o->state == WS_RUNNING ? o : NULL;
}

bool
sched_blocked(const struct session *s, const struct worker *w)
{
	return sched_blocked_on(s, w) >= 0 || sched_waits_on(s, w) >= 0 ||
	       sched_joins(s, w) != NULL;
}

static struct worker *
holder_of(const struct session *s, int lock)
{
	int64_t h = lock_holder(s->shm, lock);

	return h < 0 ? NULL : registry_by_id(&s->reg, (uint32_t)h);
}

/* Can W take a step without the learner (in sched seed)? */
static bool
seeded(const struct session *s, const struct worker *w)
{
	return s->sch.mode == SCHED_SEED && w->hold_over != HOLD_PAUSED;
}

static bool stuck_from(struct session *s, struct worker *w, struct buf *why,
		       size_t depth);

bool
sched_stuck(struct session *s, struct worker *w, struct buf *why)
{
	return stuck_from(s, w, why, 0);
}

/* sched_stuck, DEPTH joins down a chain of Python joins. */
static bool
stuck_from(struct session *s, struct worker *w, struct buf *why, size_t depth)
{
	struct worker *cur = w, *joined = sched_joins(s, w);

	/* A Python join: W can end when the joined worker can. */
	if (joined != NULL) {
		size_t at = why->len;
		if (depth > s->reg.n) /* joins in a cycle */
			return false;
		buf_printf(why, "'%s' waits for '%s' to end; ", w->name,
			   joined->name);
		if (stuck_from(s, joined, why, depth + 1))
			return true;
		why->len = at;
		if (why->data != NULL)
			why->data[at] = '\0';
		return false;
	}

	for (size_t hops = 0; hops <= s->reg.n; hops++) {
		int l;
		if (cur != w && cur->state != WS_RUNNING) {
			/* It ended holding the lock waited for: only kill or
			 * reset frees that lock. */
			l = sched_blocked_on(s, w);
			buf_printf(why,
				   "'%s' waits for '%s', held by '%s', which "
				   "has ended (%s); kill %s frees it",
				   w->name,
				   l >= 0 ? locks_name(&s->locks, l) : "?",
				   cur->name, worker_end_name(cur), cur->name);
			return true;
		}
		if (cur->state != WS_RUNNING)
			return false;
		if (cur->stopped) { /* by a signal: only SIGCONT frees it */
			if (cur == w)
				buf_printf(why,
					   "'%s' is stopped by a signal; kill "
					   "%s CONT continues it",
					   w->name, w->name);
			else
				buf_printf(
					why,
					"'%s' waits for '%s', held by '%s', "
					"which is stopped by a signal",
					w->name,
					locks_name(&s->locks, sched_blocked_on(s, w)),
					cur->name);
			return true;
		}
		if (cur->deadlocked) {
			if (cur == w)
				buf_printf(why, "'%s' is deadlocked", w->name);
			else
				buf_printf(why,
					   "'%s' waits for '%s', which is "
					   "deadlocked",
					   w->name, cur->name);
			return true;
		}
		if ((l = sched_blocked_on(s, cur)) < 0) {
			if (!sched_at_gate(s, cur) || seeded(s, cur))
				return false;
			if (cur == w)
				buf_printf(why,
					   "'%s' is paused at its next step; "
					   "step it, or run it",
					   w->name);
			else
				buf_printf(why,
					   "'%s' waits for '%s', held by '%s', "
					   "which is paused",
					   w->name,
					   locks_name(&s->locks,
						      sched_blocked_on(s, w)),
					   cur->name);
			return true;
		}
		if ((cur = holder_of(s, l)) == NULL)
			return false;
	}
	return false;
}

void
sched_grant(struct session *s, struct worker *w, bool shown)
{
	s->sch.inflight = w->id + 1;
	s->sch.inflight_shown = shown;
	atomic_store(&gate_of(s, w)->shown, shown);
	gate_grant(gate_of(s, w));
}

/* ALL: every hold acknowledged too. */
static bool
still(const struct session *s, bool all)
{
	if (s->sch.inflight != 0)
		return false;
	for (size_t i = 0; i < s->reg.n; i++) {
		const struct worker *w = s->reg.v[i];
		if (w->state != WS_RUNNING)
			continue;
		/* Asleep in an object after its step (a barrier's wait, its
		 * task's last statement maybe): blocked, not ending. */
		if (sync_waiting(s->shm, w->slot) >= 0)
			continue;
		/* A task with no next step is ending: its end comes next, and
		 * nothing may be granted before it is traced. */
		if (w->ending || atomic_load(&gate_of(s, w)->next_pc) < 0 ||
		    (all && (w->t_start == 0 || w->acked != w->hold)))
			return false;
	}
	return true;
}

bool
sched_settled(const struct session *s)
{
	return still(s, false);
}

bool
sched_quiet(const struct session *s)
{
	return still(s, true);
}

struct worker *
sched_choose(struct session *s)
{
	struct worker **can = xcalloc(s->reg.n + 1, sizeof *can);
	struct worker *w = NULL;
	size_t n = 0;

	for (size_t i = 0; i < s->reg.n; i++) {
		struct worker *c = s->reg.v[i];
		if (sched_at_gate(s, c) && seeded(s, c) && !sched_blocked(s, c))
			can[n++] = c;
	}
	if (s->sch.chooser != NULL)
		w = s->sch.chooser(s, can, n);
	else if (n > 0)
		w = can[sched_pick(&s->sch.prng, n)];
	free(can);
	return w;
}

void
sched_pump(struct session *s)
{
	struct worker *w;

	if (s->sch.mode != SCHED_SEED || !sched_quiet(s) ||
	    sched_pace_left(s) > 0)
		return;
	if ((w = sched_choose(s)) != NULL)
		sched_grant(s, w, false);
}

/* Does W sleep on an object and is not known to be deadlocked? */
static bool
sync_sleeps(const struct session *s, const struct worker *w)
{
	return w->state == WS_RUNNING && !w->deadlocked &&
	       sync_waiting(s->shm, w->slot) >= 0;
}

/* Is some worker waiting in a mutex or on an object (or about to, having
 * said so), and not known to be deadlocked? */
static bool
lock_waits(const struct session *s)
{
	for (size_t i = 0;
	     (locks_count(&s->locks) > 0 || sync_count(s->shm) > 0) &&
	     i < s->reg.n;
	     i++) {
		const struct worker *w = s->reg.v[i];
		if (w->state == WS_RUNNING && !w->deadlocked &&
		    lock_waiting(s->shm, w->slot) >= 0)
			return true;
		if (sync_sleeps(s, w))
			return true;
		/* It said it sleeps on an object but may not be on its list
		 * yet (the record comes first): no other record may come to
		 * wake the loop once it is, so look again later. */
		if (w->state == WS_RUNNING && !w->deadlocked &&
		    w->told_sync != 0)
			return true;
	}
	return false;
}

int
sched_pace_left(const struct session *s)
{
	uint64_t now;

	if (s->sch.next_at == 0 || (now = ev_now()) >= s->sch.next_at)
		return 0;
	return (int)((s->sch.next_at - now + 999999) / 1000000);
}

int
sched_timeout(const struct session *s)
{
	uint64_t now;

	/* A look at the wait-for graph now and then, should the event that
	 * closed a cycle have come while the picture was moving. */
	if (s->sch.next_at == 0)
		return lock_waits(s) ? SCHED_RECHECK_MS : -1;
	now = ev_now();
	if (now >= s->sch.next_at)
		return 0;
	return (int)((s->sch.next_at - now + 999999) / 1000000);
}

/* A granted step has been taken. */
static bool
step_done(struct session *s, struct worker *w)
{
	bool shown = false;

	if (s->sch.inflight == w->id + 1) {
		shown = s->sch.inflight_shown;
		s->sch.inflight = 0;
		if (s->sch.pace_ms > 0)
			s->sch.next_at =
				ev_now() + (uint64_t)s->sch.pace_ms * 1000000u;
	}
	return shown || s->sch.trace == TRACE_STEPS;
}

bool
sched_on_event(struct session *s, struct worker *w, uint16_t type,
	       uint16_t flags, int64_t a)
{
	switch (type) {
	case EV_STEP:
		if (flags & EV_F_OPEN) /* a body's step, not over yet */
			return (s->sch.inflight == w->id + 1 &&
				s->sch.inflight_shown) ||
			       s->sch.trace == TRACE_STEPS;
		if (!(flags & EV_F_QUIET)) /* its output counted it */
			w->steps++;
		return step_done(s, w) &&
		       !(flags & (EV_F_QUIET | EV_F_SHOWN));
	case EV_OUTPUT: /* the line of a step that printed, before it ends */
		return (flags & EV_F_STEP) && !(flags & EV_F_MORE) &&
		       ((s->sch.inflight == w->id + 1 &&
			 s->sch.inflight_shown) ||
			s->sch.trace == TRACE_STEPS);
	case EV_PARKED: w->acked = (uint32_t)a; return false;
	case EV_END: w->ending = true; return false;
	default: return false;
	}
}

void
sched_ended(struct session *s, struct worker *w)
{
	if (s->sch.inflight == w->id + 1)
		s->sch.inflight = 0;
	w->ending = false;
	w->want = -1;
	w->deadlocked = false;
}

/* Adds a finding of WHAT to REP, with no waits yet. */
static void
found(struct sched_report *rep, enum sched_news what)
{
	rep->found =
		xrealloc(rep->found, (rep->nfound + 1) * sizeof *rep->found);
	rep->found[rep->nfound++] =
		(struct sched_found){ .what = what, .first = rep->nwaits };
}

/* Adds to REP's last finding that W waits for LOCK, held by HOLDER. */
static void
found_wait(struct sched_report *rep, struct worker *w, int lock,
	   struct worker *holder)
{
	rep->waits =
		xrealloc(rep->waits, (rep->nwaits + 1) * sizeof *rep->waits);
	rep->waits[rep->nwaits++] = (struct sched_wait){
		.w = w, .lock = lock, .holder = holder, .obj = -1, .joins = NULL
	};
	rep->found[rep->nfound - 1].n++;
}

void
sched_report_free(struct sched_report *rep)
{
	free(rep->found);
	free(rep->waits);
	memset(rep, 0, sizeof *rep);
}

/* The wait-for graph as one sched_check reads it. */
struct waitfor {
	size_t n, nl; /* workers (by registry index) and locks */
	int *wants;   /* by worker: the lock it waits for, -1: none */
	bool *moved;  /* by worker: its wait changed while it was read */
	int *holder;  /* by lock: its holder's registry index, -1: none */
	bool *in;     /* by worker: in a deadlock found */
};

/* Reads what each worker waits for; GEN gets the wait generations. */
static void
read_waits(struct session *s, int *wants, uint32_t *gen)
{
	for (size_t i = 0; i < s->reg.n; i++) {
		struct worker *w = s->reg.v[i];
		gen[i] = atomic_load(&gate_of(s, w)->wait_gen);
		/* Not before its started line: the trace tells a worker's
		 * wait only after it has told that the worker began. */
		wants[i] = w->tid != 0 ? sched_blocked_on(s, w) : -1;
	}
}

/* Reads the wait-for graph into G: the waits, read before and after the
 * holders of the locks, and the holders. A worker that moved while we
 * looked has no edge: it is not trusted now. */
static void
graph_read(struct session *s, struct waitfor *g)
{
	size_t n = s->reg.n;
	int *wants2 = xcalloc(n, sizeof *wants2);
	uint32_t *gen = xcalloc(n, sizeof *gen),
		 *gen2 = xcalloc(n, sizeof *gen2);

	g->n = n;
	g->nl = locks_count(&s->locks);
	g->wants = xcalloc(n, sizeof *g->wants);
	g->moved = xcalloc(n, sizeof *g->moved);
	g->holder = xcalloc(g->nl, sizeof *g->holder);
	g->in = xcalloc(n, sizeof *g->in);
	read_waits(s, g->wants, gen);
	for (size_t l = 0; l < g->nl; l++) {
		/* Its index, as the waits are by index: not its gate's slot,
		 * which differs once forgotten workers' gates are reused. */
		int64_t h = lock_holder(s->shm, (int)l);
		g->holder[l] =
			h < 0 ? -1 : registry_index(&s->reg, (uint32_t)h);
	}
	read_waits(s, wants2, gen2);
	for (size_t i = 0; i < n; i++) {
		g->moved[i] = g->wants[i] != wants2[i] || gen[i] != gen2[i];
		if (g->moved[i])
			g->wants[i] = -1;
	}
	free(wants2);
	free(gen);
	free(gen2);
}

/* Frees what G holds. */
static void
graph_free(struct waitfor *g)
{
	free(g->wants);
	free(g->moved);
	free(g->holder);
	free(g->in);
}

/* Notes what each worker of G waits for in its want; a new wait is
 * found. The want of one that moved stands, as what was traced of it
 * (forgetting it would trace the same wait again when its own record
 * comes). */
static void
note_waits(struct session *s, const struct waitfor *g, struct sched_report *rep)
{
	for (size_t i = 0; i < g->n; i++) {
		struct worker *w = s->reg.v[i];
		if (g->moved[i] || w->want == g->wants[i])
			continue;
		w->want = g->wants[i];
		if (w->want < 0)
			continue;
		found(rep, SCHED_NEW_WAIT);
		found_wait(rep, w, w->want, holder_of(s, w->want));
	}
}

/* Finds the deadlock cycle of registry indexes CYC (N of them). */
static void
find_deadlock(struct session *s, const size_t *cyc, size_t n,
	      struct sched_report *rep)
{
	found(rep, SCHED_DEADLOCK);
	for (size_t i = 0; i < n; i++) {
		struct worker *w = s->reg.v[cyc[i]];
		struct worker *h = s->reg.v[cyc[(i + 1) % n]];
		found_wait(rep, w, sched_blocked_on(s, w), h);
		w->deadlocked = true;
	}
}

/* Finds each cycle of G once, marking its workers in G->in: it is found
 * when one of them was not known to be deadlocked. */
static void
find_cycles(struct session *s, struct waitfor *g, struct sched_report *rep)
{
	size_t *cyc = xcalloc(g->n, sizeof *cyc);

	for (size_t i = 0; i < g->n; i++) {
		size_t k;
		bool fresh = false;
		if (g->wants[i] < 0 || g->in[i])
			continue;
		k = waitfor_cycle(g->n, g->wants, g->nl, g->holder, i, cyc,
				  g->n);
		for (size_t j = 0; j < k; j++) {
			fresh |= !s->reg.v[cyc[j]]->deadlocked;
			g->in[cyc[j]] = true;
		}
		if (k > 0 && fresh)
			find_deadlock(s, cyc, k, rep);
	}
	free(cyc);
}

/* Finds, once, each worker of G waiting for a lock whose holder has ended
 * holding it: nobody can free that lock but the learner. Marks them in
 * G->in. */
static void
find_ended_holders(struct session *s, struct waitfor *g,
		   struct sched_report *rep)
{
	for (size_t i = 0; i < g->n; i++) {
		struct worker *w = s->reg.v[i], *h;
		if (g->wants[i] < 0 || g->in[i] ||
		    (h = holder_of(s, g->wants[i])) == NULL ||
		    !(worker_ended(h) || h->state == WS_JOINED))
			continue; /* a process still starting may hold it */
		g->in[i] = true;
		if (w->deadlocked)
			continue;
		found(rep, SCHED_HELD_BY_ENDED);
		found_wait(rep, w, g->wants[i], h);
		w->deadlocked = true;
	}
}

/* Finds that every live worker is blocked (at least one on an object) and
 * none can be woken by a worker that can still run: none is running
 * freely, held at its gate with a step it can take, stopped by a signal
 * (SIGCONT) or new (not started yet). Marks them deadlocked, and tells it
 * when one of them was not in the last such deadlock told (W->stalled). */
static void
find_all_blocked(struct session *s, struct sched_report *rep)
{
	size_t live = 0, on_obj = 0;
	bool all = !s->starting, fresh = false; /* more may come up */

	for (size_t i = 0; i < s->reg.n; i++) {
		struct worker *w = s->reg.v[i];
		all &= w->state != WS_NEW; /* once started, it may wake them */
		if (w->state != WS_RUNNING)
			continue;
		live++;
		if (w->stopped || !sched_blocked(s, w)) {
			w->stalled = false; /* it can still run */
			all = false;
			continue;
		}
		/* Asleep on an object (not held at its gate before a
		 * condition's second step) whose wait is not traced yet: the
		 * deadlock would be told before that wait's line. Later. */
		int asleep = sync_waiting(s->shm, w->slot);
		if (asleep >= 0 && !sched_at_gate(s, w) &&
		    w->told_sync != asleep + 1) {
			all = false;
			continue;
		}
		on_obj += sched_waits_on(s, w) >= 0;
		fresh |= !w->stalled;
	}
	if (!all || live == 0 || on_obj == 0)
		return;
	if (fresh)
		found(rep, SCHED_ALL_BLOCKED);
	for (size_t i = 0; i < s->reg.n; i++) {
		struct worker *w = s->reg.v[i];
		int l;
		if (w->state != WS_RUNNING)
			continue;
		w->deadlocked = true; /* for join, and the end of a script */
		if (!fresh)
			continue;
		w->stalled = true;
		l = sched_blocked_on(s, w);
		found_wait(rep, w, l, l >= 0 ? holder_of(s, l) : NULL);
		if (l < 0)
			rep->waits[rep->nwaits - 1].obj = sched_waits_on(s, w);
		if (l < 0 && rep->waits[rep->nwaits - 1].obj < 0)
			rep->waits[rep->nwaits - 1].joins = sched_joins(s, w);
	}
}

void
sched_check(struct session *s, struct sched_report *rep)
{
	struct waitfor g;

	if ((locks_count(&s->locks) == 0 && sync_count(s->shm) == 0) ||
	    s->reg.n == 0)
		return;
	/* With steps granted one at a time, look only between them, so what
	 * is printed does not depend on how far a step has got. */
	if (s->sch.mode != SCHED_FREE && !sched_quiet(s))
		return;
	graph_read(s, &g);
	note_waits(s, &g, rep);
	find_cycles(s, &g, rep);
	find_ended_holders(s, &g, rep);
	/* A worker no longer in any cycle (one was killed) is free again. */
	for (size_t i = 0; i < g.n; i++)
		s->reg.v[i]->deadlocked = g.in[i];
	graph_free(&g);
	if (sync_count(s->shm) > 0)
		find_all_blocked(s, rep);
}
