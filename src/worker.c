/*
 * worker.c: what every worker has in common, whatever its kind. The state
 * machine and the registry live on the main thread's side; worker_main is
 * the loop that runs inside the worker, in a pthread or in a forked child
 * alike, one task step at a time, posting events instead of printing.
 */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "lex.h"
#include "sync.h"
#include "worker.h"
#include "xmalloc.h"

static const char *const state_names[] = {
	[WS_NEW] = "new",	    [WS_RUNNING] = "running",
	[WS_FINISHED] = "finished", [WS_KILLED] = "killed",
	[WS_FAILED] = "failed",	    [WS_JOINED] = "joined",
};

/* edges[from] is the set of states reachable from `from`, as a bit mask. */
#define BIT(s) (1u << (s))
static const unsigned edges[] = {
	[WS_NEW] = BIT(WS_RUNNING),
	[WS_RUNNING] = BIT(WS_FINISHED) | BIT(WS_KILLED) | BIT(WS_FAILED),
	[WS_FINISHED] = BIT(WS_JOINED),
	[WS_KILLED] = BIT(WS_JOINED),
	[WS_FAILED] = BIT(WS_JOINED),
	[WS_JOINED] = 0,
};

const char *
worker_state_name(enum worker_state state)
{
	return state_names[state];
}

const char *
worker_kind_name(enum worker_kind kind)
{
	return kind == WORKER_THREAD	? "thread"
	       : kind == WORKER_NODE	? "node"
					: "process";
}

bool
worker_name_valid(const char *name)
{
	return lex_name_valid(name, WORKER_NAME_MAX);
}

const char *
worker_end_name(const struct worker *w)
{
	if (w->state != WS_JOINED)
		return worker_state_name(w->state);
	/* A joined worker keeps what told how it ended. */
	if (w->fail != NULL)
		return "failed";
	return w->signal != 0 || w->cancelled ? "killed" : "finished";
}

uint64_t
worker_cpu_ns(struct worker *w)
{
	uint64_t ns;

	/* A joined worker's pid or tid may be another's by now. */
	if (w->state != WS_NEW && w->state != WS_JOINED &&
	    w->be->cpu_time(w, &ns) && ns > w->cpu_ns)
		w->cpu_ns = ns;
	return w->cpu_ns;
}

void
worker_end_of_record(const struct event *ev, struct event *out)
{
	out->h = ev->h;
	out->text = ev->text;
	out->h.type = (ev->h.flags & EV_F_FAILED)      ? EV_FAIL
		      : (ev->h.flags & EV_F_CANCELLED) ? EV_CANCEL
						       : EV_EXIT;
	if (out->h.type != EV_FAIL)
		out->h.len = 0;
}

bool
worker_ended(const struct worker *w)
{
	return w->state == WS_FINISHED || w->state == WS_KILLED ||
	       w->state == WS_FAILED;
}

const char *
worker_refuse(const struct worker *w, enum worker_op op, char *buf, size_t len)
{
	static const char *const verbs[] = { "start", "join", "kill",
					     "pause", "run",  "step" };
	bool ended = w->state != WS_NEW && w->state != WS_RUNNING;
	const char *why = NULL;

	if (op == WOP_SHOW)
		return NULL;
	if (op == WOP_START && w->state != WS_NEW) {
		snprintf(buf, len, "'%s' was already started", w->name);
		return buf;
	}
	/* A pause or a run set before the start holds from the first step. */
	if (w->state == WS_NEW && op != WOP_START && op != WOP_PAUSE &&
	    op != WOP_RUN)
		why = "not started";
	else if (op == WOP_KILL && w->state == WS_JOINED)
		why = "already joined";
	else if (op == WOP_KILL && worker_ended(w))
		why = "it has already ended";
	else if (op != WOP_KILL && op != WOP_JOIN && ended)
		why = "it has ended";
	if (why == NULL)
		return NULL;
	snprintf(buf, len, "cannot %s '%s': %s", verbs[op], w->name, why);
	return buf;
}

int
worker_set_state(struct worker *w, enum worker_state to)
{
	if (!(edges[w->state] & BIT(to)))
		return -1;
	w->state = to;
	return 0;
}

/* The worker's side. Nothing below runs on the main thread. */

/* Posts H, stamped with W's id, the time and the step, and TEXT. */
static void
post_hdr(struct worker *w, struct ev_hdr *h, const char *text, size_t len)
{
	h->worker = w->id;
	h->t_ns = ev_now();
	h->step = w->cur_step;
	/* Outside a counted step: the number of steps taken so far. */
	if (h->step == 0 && atomic_load(&w->shm->count_steps))
		h->step = atomic_load(&w->shm->stepno);

	/* A failed write means the main loop is gone: stop at the next step. */
	if (ev_post(&w->sink, h, &w->seq_out, text, len) < 0)
		atomic_store(&w->cancel, true);
}

static void
post(struct worker *w, enum ev_type type, int64_t a, int64_t b, uint16_t flags,
     const char *text, size_t len)
{
	struct ev_hdr h = { .type = type, .flags = flags, .a = a, .b = b };

	post_hdr(w, &h, text, len);
}

/* The CPU time the calling thread has used, in ns: a thread worker's own,
 * and a process worker's whole (its one thread); 0 when not known. */
static int64_t
own_cpu_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) < 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Posts W's end: its exit CODE, its steps, its CPU time as it reads it
 * last (a thread's clock is gone once it returns, so weft keeps this
 * figure), and why it failed, if it did. */
static void
post_end(struct worker *w, int code, uint16_t flags, const char *why)
{
	struct ev_hdr h = { .type = EV_END,
			    .flags = flags,
			    .a = code,
			    .b = (int64_t)w->wsteps,
			    .c = w->remote != NULL
					 ? (int64_t)atomic_load(&w->remote->cpu_ns)
					 : own_cpu_ns() };

	post_hdr(w, &h, why, why != NULL ? strlen(why) : 0);
}

/* The worker whose task_io IO is. */
static struct worker *
io_owner(struct task_io *io)
{
	return (struct worker *)((char *)io - offsetof(struct worker, io));
}

static int
io_print(struct task_io *io, const char *text, size_t len)
{
	struct worker *w = io_owner(io);

	uint16_t flags = 0;

	/* The step that printed is shown with its line, not after it (its
	 * end is still reported after it, by report_step); a body's step,
	 * by its text. */
	if (w->report_step && !w->step_printed && w->body != NULL) {
		worker_step_show(w);
	} else if (w->report_step && !w->step_printed) {
		w->step_printed = true;
		flags = EV_F_STEP;
	}
	if (w->body != NULL && w->in_step)
		w->step_output = true;
	post(w, EV_OUTPUT, (int64_t)w->wsteps + 1, w->in.last.pc, flags, text,
	     len);
	return atomic_load(&w->cancel) ? -1 : 0;
}

static int
io_sleep(struct task_io *io, int64_t ms)
{
	struct worker *w = io_owner(io);
	struct timespec until;
	int cancelled;

	atomic_store(&w->shm->gates[w->slot].sleeping, 1);
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&w->mu);
	while (!(cancelled = atomic_load(&w->cancel)) &&
	       pthread_cond_timedwait(&w->cv, &w->mu, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&w->mu);
	atomic_store(&w->shm->gates[w->slot].sleeping, 0);
	return cancelled;
}

/* The lock in the shared segment that the task's lock I is, or (I < 0)
 * that is called NAME, made if MAKE; -1 when there is none. */
static int
shm_lock_of(struct worker *w, int i, const char *name, bool make)
{
	return i >= 0 ? w->lockmap[i] : lock_named(w->shm, name, make);
}

/* Marks lock L taken by W when R says it was (a lesson's goal can ask);
 * returns R. */
static int
took(struct worker *w, int l, enum lock_result r)
{
	if (r == LOCK_OK || r == LOCK_RECOVERED)
		atomic_fetch_or(&w->shm->gates[w->slot].took[l / 64],
				(uint64_t)1 << (l % 64));
	return (int)r;
}

enum lock_result
worker_lock(struct worker *w, int l, bool wait)
{
	enum lock_result r;

	if ((r = lock_try(w->shm, l, w->id)) != LOCK_BUSY || !wait)
		return (enum lock_result)took(w, l, r);

	/* Said before waiting (and after marking the wait, so that it can
	 * be seen), so the main loop can look for a cycle. */
	lock_announce(w->shm, l, w->slot);
	post(w, EV_LOCK_WAIT, l, lock_holder(w->shm, l), 0, NULL, 0);
	r = lock_acquire(w->shm, l, w->id, w->slot, &w->cancel);
	if (r != LOCK_CANCELLED)
		post(w, EV_LOCK_GOT, l, 0, 0, NULL, 0);
	return (enum lock_result)took(w, l, r);
}

static int
io_lock(struct task_io *io, int i, const char *name)
{
	struct worker *w = io_owner(io);
	int l = shm_lock_of(w, i, name, true);

	return l < 0 ? LOCK_FULL : (int)worker_lock(w, l, true);
}

static int
io_unlock(struct task_io *io, int i, const char *name)
{
	struct worker *w = io_owner(io);
	int l = shm_lock_of(w, i, name, false);

	return l < 0 ? LOCK_NOT_HELD : (int)lock_release(w->shm, l, w->id);
}

/* The objects beyond the lock. */

static const char *const sync_stmt_names[] = {
	[SYNC_WAIT] = "wait",	  [SYNC_SIGNAL] = "signal",
	[SYNC_NOTIFY] = "notify", [SYNC_NOTIFY_ALL] = "notify_all",
	[SYNC_PUT] = "put",	  [SYNC_GET] = "get",
};

/* An event's a for object OBJ with TICKET (event.h). */
static int64_t
sync_tag(int obj, uint32_t ticket)
{
	return (int64_t)((uint64_t)ticket << 32 | (uint32_t)obj);
}

/* Says that a value went into queue OBJ (a put) or came out (TAKE), when
 * it did not go straight to or from a sleeper (E's vticket). Not at trace
 * off: two records a value cost a queue two thirds of its speed. */
static void
post_pass(struct worker *w, int obj, bool take, const struct sync_effect *e)
{
	if (e->vticket != 0 && !atomic_load(&w->shm->trace_off))
		post(w, EV_SYNC_PASS, sync_tag(obj, e->vticket), take, 0,
		     NULL, 0);
}

/* Says who EFFECT woke, after statement OP on object OBJ (V: put's). */
static void
post_wake(struct worker *w, int obj, enum sync_stmt op,
	  const struct sync_effect *e)
{
	char text[96];
	bool tell_none = op == SYNC_SIGNAL || op == SYNC_NOTIFY ||
			 op == SYNC_NOTIFY_ALL;

	if (e->nwoke == 0 && !tell_none)
		return;
	snprintf(text, sizeof text, "%s %s", sync_stmt_names[op],
		 w->shm->syncs[obj].name);
	post(w, EV_SYNC_WAKE, sync_tag(obj, e->ticket),
	     (int64_t)(e->woke_slot + 1) | ((int64_t)e->nwoke << 32),
	     e->lost ? EV_F_LOST : 0, text, strlen(text));
}

/* Says that W sleeps on object OBJ, then, once woken, that it woke. */
static void
post_sleep(struct worker *w, int obj, bool woke)
{
	char text[64];

	if (woke) {
		post(w, EV_SYNC_WOKE,
		     sync_tag(obj, sync_wake_ticket(w->shm, w->slot)), 0, 0,
		     NULL, 0);
		return;
	}
	snprintf(text, sizeof text, "%s %s",
		 sync_kind_name((enum sync_kind)w->shm->syncs[obj].kind),
		 w->shm->syncs[obj].name);
	post(w, EV_SYNC_WAIT, obj, 0, 0, text, strlen(text));
}

/* The error of statement OP on object OBJ of the wrong kind. */
static enum sync_step
wrong_kind(struct worker *w, int obj, enum sync_stmt op, char *err,
	   size_t len)
{
	static const char *const fits[] = {
		[SYNC_WAIT] = "a semaphore, a condition or a barrier",
		[SYNC_SIGNAL] = "a semaphore",
		[SYNC_NOTIFY] = "a condition",
		[SYNC_NOTIFY_ALL] = "a condition",
		[SYNC_PUT] = "a queue",
		[SYNC_GET] = "a queue",
	};
	const struct shm_sync *o = &w->shm->syncs[obj];

	snprintf(err, len, "'%s' is a %s: %s works on %s", o->name,
		 sync_kind_name((enum sync_kind)o->kind), sync_stmt_names[op], fits[op]);
	return SYNC_STEP_FAIL;
}

/* What a sync_* result R means for the step. */
static enum sync_step
sync_step_of(struct worker *w, int obj, enum sync_result r, char *err,
	     size_t len)
{
	const struct shm_sync *o = &w->shm->syncs[obj];

	switch (r) {
	case SYNC_OK: return SYNC_STEP_DONE;
	case SYNC_CANCELLED: return SYNC_STEP_STOP;
	case SYNC_NOT_HELD:
		snprintf(err, len,
			 "condition '%s' is used without holding its lock "
			 "'%s' (lock %s first)",
			 o->name, w->shm->locks[o->lock].name,
			 w->shm->locks[o->lock].name);
		return SYNC_STEP_FAIL;
	case SYNC_WORD_LONG:
		snprintf(err, len, "a word put in a queue is at most %d bytes",
			 SYNC_WORD_MAX);
		return SYNC_STEP_FAIL;
	default: return SYNC_STEP_DONE;
	}
}

/* A condition's wait, step PHASE: join the waiters and let go of the
 * lock; sleep until notified; take the lock again. */
static enum sync_step
cond_wait(struct worker *w, int obj, int phase, char *err, size_t len)
{
	struct sync_effect e = { .woke_slot = -1 };
	enum sync_result r;
	int lock = w->shm->syncs[obj].lock;

	if (phase == 0) {
		r = sync_cond_enter(w->shm, obj, w->id, w->slot, &e);
		return r == SYNC_OK ? SYNC_STEP_AGAIN
				    : sync_step_of(w, obj, r, err, len);
	}
	if (phase == 1) {
		bool sleeps = !sync_cond_notified(w->shm, obj, w->slot);
		if (sleeps)
			post_sleep(w, obj, false);
		r = sync_cond_sleep(w->shm, obj, w->id, w->slot, &w->cancel,
				    &e);
		if (sleeps && r == SYNC_OK)
			post_sleep(w, obj, true);
		return r == SYNC_OK ? SYNC_STEP_AGAIN
				    : sync_step_of(w, obj, r, err, len);
	}
	r = (enum sync_result)io_lock(&w->io, -1, w->shm->locks[lock].name);
	return (enum lock_result)r == LOCK_CANCELLED ? SYNC_STEP_STOP
						     : SYNC_STEP_DONE;
}

static enum sync_step
io_sync(struct task_io *io, enum sync_stmt op, const char *name, int phase,
	struct value *v, int64_t n, char *err, size_t len)
{
	struct worker *w = io_owner(io);
	struct sync_effect e = { .woke_slot = -1 };
	struct sync_value sv = { 0 };
	enum sync_result r;
	int obj = sync_find(w->shm, name);
	enum sync_kind k;

	if (obj < 0) {
		snprintf(err, len,
			 "no semaphore, condition, barrier or queue named "
			 "'%s'",
			 name);
		return SYNC_STEP_FAIL;
	}
	k = (enum sync_kind)w->shm->syncs[obj].kind;
	switch (op) {
	case SYNC_WAIT:
		if (k == SYNC_CONDITION)
			return cond_wait(w, obj, phase, err, len);
		if (k == SYNC_BARRIER) {
			r = sync_barrier_arrive(w->shm, obj, w->id, w->slot,
						&e);
			post_wake(w, obj, op, &e);
			if (r == SYNC_BLOCKED) { /* it sleeps after its step */
				w->barrier = obj;
				post_sleep(w, obj, false);
			}
			return SYNC_STEP_DONE;
		}
		if (k != SYNC_SEMAPHORE)
			return wrong_kind(w, obj, op, err, len);
		if (sync_would_wait(w->shm, obj, SOP_SEM_WAIT, w->slot))
			post_sleep(w, obj, false);
		r = sync_sem_wait(w->shm, obj, w->id, w->slot, &w->cancel, &e);
		if (e.waited && r == SYNC_OK)
			post_sleep(w, obj, true);
		break;
	case SYNC_SIGNAL:
		if (k != SYNC_SEMAPHORE)
			return wrong_kind(w, obj, op, err, len);
		r = sync_sem_signal(w->shm, obj, w->id, w->slot, &e);
		post_wake(w, obj, op, &e);
		break;
	case SYNC_NOTIFY:
	case SYNC_NOTIFY_ALL:
		if (k != SYNC_CONDITION)
			return wrong_kind(w, obj, op, err, len);
		r = sync_cond_notify(w->shm, obj, w->id, w->slot, (uint32_t)n,
				     op == SYNC_NOTIFY_ALL, &e);
		if (r == SYNC_OK)
			post_wake(w, obj, op, &e);
		break;
	case SYNC_PUT:
		if (k != SYNC_QUEUE)
			return wrong_kind(w, obj, op, err, len);
		sv.is_word = v->is_str;
		sv.i = v->i;
		if (v->is_str) {
			if (strlen(v->s) > SYNC_WORD_MAX) {
				r = SYNC_WORD_LONG;
				break;
			}
			snprintf(sv.word, sizeof sv.word, "%s", v->s);
		}
		if (sync_would_wait(w->shm, obj, SOP_PUT, w->slot))
			post_sleep(w, obj, false);
		r = sync_put(w->shm, obj, w->id, w->slot, &sv, &w->cancel, &e);
		if (e.waited && r == SYNC_OK)
			post_sleep(w, obj, true);
		if (r == SYNC_OK)
			post_pass(w, obj, false, &e);
		post_wake(w, obj, op, &e);
		break;
	default: /* SYNC_GET */
		if (k != SYNC_QUEUE)
			return wrong_kind(w, obj, op, err, len);
		if (sync_would_wait(w->shm, obj, SOP_GET, w->slot))
			post_sleep(w, obj, false);
		r = sync_get(w->shm, obj, w->id, w->slot, &sv, &w->cancel, &e);
		if (e.waited && r == SYNC_OK)
			post_sleep(w, obj, true);
		if (r == SYNC_OK)
			post_pass(w, obj, true, &e);
		post_wake(w, obj, op, &e);
		/* The word stays here until the next call: the interpreter
		 * copies it into the local it goes to. */
		memcpy(w->got, sv.word, sizeof w->got);
		*v = sv.is_word ? value_word(w->got) : value_num(sv.i);
		break;
	}
	return sync_step_of(w, obj, r, err, len);
}

static void on_parked(void *arg, uint32_t epoch);

/* A body's steps (worker.h) */

/* Begins the step W's gate let through (G). */
static enum gate_result
body_step_begin(struct worker *w, enum gate_result g)
{
	if (g != GATE_FREE && g != GATE_GRANTED)
		return g;
	if (atomic_load(&w->shm->count_steps))
		w->cur_step = atomic_fetch_add(&w->shm->stepno, 1) + 1;
	w->report_step =
		g == GATE_GRANTED || atomic_load(&w->shm->trace_steps);
	/* Its text costs a body (Python) more than the step: made only
	 * when the line is printed. */
	w->step_texted = atomic_load(&w->shm->trace_steps) ||
			 (g == GATE_GRANTED &&
			  atomic_load(&w->body_gp.g->shown));
	w->step_printed = false;
	w->step_text.len = 0;
	w->in_step = true;
	return g;
}

enum gate_result
worker_step_try(struct worker *w, int32_t next, uint32_t join, int lock,
		int obj, enum sync_op sop)
{
	struct shm_gate *g = w->body_gp.g;
	bool had = atomic_load(&g->next_pc) >= 0;
	uint32_t seen;
	enum gate_result r;

	atomic_store(&g->next_lock, lock);
	atomic_store(&g->next_sop, (uint32_t)sop);
	atomic_store(&g->next_sync, obj);
	atomic_store(&g->next_join, join);
	atomic_store(&g->next_pc, next < 0 ? 0 : next);
	/* The step under way ends once the next is published, so that the
	 * scheduler, told of its end, sees what comes next. */
	worker_step_end(w);
	/* The main loop took it for ending (worker_step_none): it must look
	 * again, or it would wait for an end that is not coming. */
	if (!had)
		post(w, EV_PARKED, w->body_gp.acked, 0, 0, NULL, 0);
	r = gate_try(&w->body_gp, on_parked, w, &seen);
	if (r == GATE_FREE && atomic_load(&w->shm->pace_ms) > 0)
		return GATE_WAIT;
	return body_step_begin(w, r);
}

enum gate_result
worker_step_wait(struct worker *w)
{
	enum gate_result r = gate_pass(&w->body_gp, on_parked, w);
	uint32_t pace = atomic_load(&w->shm->pace_ms);

	if (r == GATE_FREE && pace > 0 && io_sleep(&w->io, pace))
		r = GATE_CANCEL;
	return body_step_begin(w, r);
}

void
worker_step_show(struct worker *w)
{
	if (!worker_step_wanted(w) || w->step_printed)
		return;
	w->step_printed = true;
	post(w, EV_STEP, -1, 0, EV_F_OPEN, w->step_text.data,
	     w->step_text.len);
}

bool
worker_step_wanted(const struct worker *w)
{
	return w->in_step && w->report_step && w->step_texted;
}

void
worker_step_text(struct worker *w, const char *text, size_t len)
{
	w->step_text.len = 0;
	buf_add(&w->step_text, text, len);
}

void
worker_step_end(struct worker *w)
{
	if (!w->in_step)
		return;
	w->in_step = false;
	w->wsteps++;
	atomic_store_explicit(&w->body_gp.g->taken, w->wsteps,
			      memory_order_relaxed);
	if (w->report_step) {
		uint16_t quiet = w->step_output ? EV_F_QUIET : 0;
		if (w->step_printed)
			post(w, EV_STEP, -1, 0, EV_F_SHOWN | quiet, NULL, 0);
		else
			post(w, EV_STEP, -1, 0, quiet, w->step_text.data,
			     w->step_text.len);
	}
	w->report_step = false;
	w->step_printed = false;
	w->step_output = false;
	w->cur_step = 0;
}

bool
worker_barrier_sleep(struct worker *w)
{
	int obj = w->barrier;

	if (obj < 0)
		return true;
	w->barrier = -1;
	if (sync_barrier_sleep(w->shm, obj, w->slot, &w->cancel) != SYNC_OK)
		return false;
	post_sleep(w, obj, true);
	return true;
}

void
worker_joining(struct worker *w, uint32_t join)
{
	atomic_store(&w->shm->gates[w->slot].next_join, join);
}

void
worker_step_none(struct worker *w)
{
	atomic_store(&w->body_gp.g->next_join, 0);
	atomic_store(&w->body_gp.g->next_pc, -1);
	worker_step_end(w);
}

/* Runs W's body (a Python program's code) in place of its task, and
 * tells its end: finished, failed or, asked to stop, cancelled. */
static int
run_body(struct worker *w)
{
	char fail[512] = "";
	int code;
	uint16_t flags = 0;

	w->body_gp = (struct gate_pass){ &w->shm->gates[w->slot], 0, w->epoch0,
					 &w->cancel };
	code = w->body(w, fail, sizeof fail);
	worker_step_none(w);

	if (code < 0) {
		flags = EV_F_FAILED;
		code = 1;
	} else if (atomic_load(&w->cancel)) {
		flags = EV_F_CANCELLED;
	}
	for (uint32_t i = 0; i < atomic_load(&w->shm->nlocks); i++)
		if (flags & EV_F_CANCELLED)
			lock_release(w->shm, (int)i, w->id);
		else
			lock_leave(w->shm, (int)i, w->id);
	post_end(w, code, flags, flags & EV_F_FAILED ? fail : NULL);
	return code;
}

/* After the step of a barrier's wait that did not release it: the worker
 * sleeps until the last party arrives. When that wait was its task's
 * last step (R is not STEP_MORE), its end waits for a grant like a step
 * (published as the instruction after the last), so that workers the
 * barrier releases together end in the scheduler's order, not the OS's.
 * False when asked to stop. */
static bool
barrier_sleep(struct worker *w, struct gate_pass *gp, enum step_result r)
{
	int obj = w->barrier;
	bool last = r != STEP_MORE;

	w->barrier = -1;
	if (last)
		atomic_store(&gp->g->next_pc, (int32_t)w->in.prog->n);
	if (sync_barrier_sleep(w->shm, obj, w->slot, &w->cancel) != SYNC_OK)
		return false;
	post_sleep(w, obj, true);
	if (!last)
		return true;
	if (gate_pass(gp, on_parked, w) == GATE_CANCEL)
		return false;
	atomic_store(&gp->g->next_pc, -1);
	return true;
}

/* The object the next step works on, and how (a sync_op), published so
 * that the scheduler can see a step that would wait; -1 when it works on
 * none, or the step is a condition's retaking of its lock (then *LOCK is
 * that lock). */
static int
next_sync(struct worker *w, enum sync_op *sop, int *lock)
{
	const char *name = NULL;
	int phase = 0, op;
	int obj;
	enum sync_kind k;

	if (w->remote != NULL) {
		op = w->remote->next_op;
		name = w->remote->next_obj;
		phase = w->remote->next_phase;
	} else {
		op = interp_next_sync(&w->in, &name, &phase);
	}
	obj = op < 0 || name == NULL ? -1 : sync_find(w->shm, name);

	if (obj < 0)
		return -1;
	k = (enum sync_kind)w->shm->syncs[obj].kind;
	switch ((enum sync_stmt)op) {
	case SYNC_WAIT:
		if (k == SYNC_SEMAPHORE)
			*sop = SOP_SEM_WAIT;
		else if (k == SYNC_BARRIER)
			*sop = SOP_BARRIER;
		else if (k == SYNC_CONDITION && phase < 2)
			*sop = phase == 0 ? SOP_COND_ENTER : SOP_COND_SLEEP;
		else if (k == SYNC_CONDITION)
			return *lock = w->shm->syncs[obj].lock, -1;
		else
			return -1;
		return obj;
	case SYNC_SIGNAL: *sop = SOP_SIGNAL; return obj;
	case SYNC_NOTIFY:
	case SYNC_NOTIFY_ALL: *sop = SOP_NOTIFY; return obj;
	case SYNC_PUT: *sop = SOP_PUT; return obj;
	default: *sop = SOP_GET; return obj;
	}
}

/* The instruction W's task runs next, here or on its node; -1: none. */
static int
next_pc(const struct worker *w)
{
	return w->remote != NULL ? w->remote->next_pc
				 : interp_next_pc(&w->in);
}

/* Publishes the next instruction (-1: none) and, when it takes a lock or
 * works on an object, which, so the scheduler can see a step that would
 * wait without running it. A lock named by a variable is made now if need
 * be: made later by another worker, it would not be the one published. */
static void
publish_next(struct worker *w, struct shm_gate *g, bool more)
{
	const char *name;
	/* A node takes no lock: start refused its task if it did. */
	int i = more && w->remote == NULL ? interp_next_lock(&w->in, &name)
					  : -2;
	int l = i == -2	       ? -1
		: i >= 0       ? w->lockmap[i]
		: name == NULL ? -1
			       : lock_named(w->shm, name, true);
	enum sync_op sop = SOP_SIGNAL;
	int obj = more && l < 0 ? next_sync(w, &sop, &l) : -1;

	/* The lock and object first: whoever sees the instruction sees
	 * them. */
	atomic_store(&g->next_lock, l);
	atomic_store(&g->next_sop, (uint32_t)sop);
	atomic_store(&g->next_sync, obj);
	atomic_store(&g->next_pc, more ? next_pc(w) : -1);
}

/* After `crash` in a thread: what really would have happened. */
static void
crash_note(struct worker *w)
{
	const struct stmt *s = interp_next(&w->in);

	if (w->remote != NULL) /* its process ends: weft is not hit */
		snprintf(w->in.error, sizeof w->in.error,
			 "task '%s': crash: node %s ends here", w->in.def->name,
			 w->name);
	else
		snprintf(w->in.error, sizeof w->in.error,
			 "task '%s', line %d, col %d: crash: a thread that "
			 "really crashed would take all of weft down with it; "
			 "only %s ends",
			 w->in.def->name, s ? s->line : 0, s ? s->col : 0,
			 w->name);
}

static void
on_parked(void *arg, uint32_t epoch)
{
	post(arg, EV_PARKED, epoch, 0, 0, NULL, 0);
}

/* Reports the step just taken, once its next instruction is published
 * (quietly when its line went with what it printed). */
static void
report_step(struct worker *w)
{
	const struct step_seen *l = &w->in.last;
	uint16_t flags = (uint16_t)((l->has_value ? EV_F_VALUE : 0) |
				    (l->done ? EV_F_DONE : 0) |
				    (w->step_printed ? EV_F_QUIET : 0));

	if (!w->report_step)
		return;
	w->report_step = false;
	w->step_printed = false;
	post(w, EV_STEP, l->pc, l->value, flags, NULL, 0);
}

int
worker_main(struct worker *w)
{
	struct shm *shm = w->shm;
	struct gate_pass gp = { &shm->gates[w->slot], 0, w->epoch0,
				&w->cancel };
	enum step_result r = STEP_MORE;
	uint16_t flags = 0;
	int code = 0;

	w->io.print = io_print;
	w->io.sleep = io_sleep;
	w->io.lock = io_lock;
	w->io.unlock = io_unlock;
	w->io.sync = io_sync;
	w->barrier = -1;
	publish_next(w, gp.g, true);
	if (next_pc(w) < 0)
		r = STEP_DONE; /* an empty task: no step to wait for */
	/* In a forked child the only thread's tid is the pid. (Through
	 * syscall(), whose page of code a new process has run already.) A
	 * node's is its process's, on its host. */
	if (w->remote != NULL)
		post(w, EV_STARTED, w->remote->pid, w->remote->rank, 0,
		     w->remote->host, strlen(w->remote->host));
	else
		post(w, EV_STARTED, syscall(SYS_gettid), sched_getcpu(), 0,
		     NULL, 0);
	if (w->body != NULL)
		return run_body(w);
	while (r == STEP_MORE) {
		enum gate_result g = gate_pass(&gp, on_parked, w);
		uint32_t pace = atomic_load(&shm->pace_ms);
		if (g == GATE_CANCEL ||
		    (g == GATE_FREE && pace > 0 && io_sleep(&w->io, pace))) {
			r = STEP_STOP;
			break;
		}
		if (atomic_load(&shm->count_steps))
			w->cur_step = atomic_fetch_add(&shm->stepno, 1) + 1;
		w->report_step =
			g == GATE_GRANTED || atomic_load(&shm->trace_steps);
		r = w->remote != NULL ? w->remote->step(w)
				      : interp_step(&w->in, &w->io);
		w->wsteps++;
		atomic_store_explicit(&gp.g->taken, w->wsteps,
				      memory_order_relaxed);
		publish_next(w, gp.g, r == STEP_MORE);
		if (r != STEP_STOP)
			report_step(w);
		w->cur_step = 0;
		if (w->barrier >= 0 && !barrier_sleep(w, &gp, r))
			r = STEP_STOP;
	}
	if (r == STEP_CRASH) {
		w->be->crash(w); /* a process does not come back */
		crash_note(w);
		r = STEP_FAIL;
	}
	if (r == STEP_STOP)
		flags = EV_F_CANCELLED;
	if (r == STEP_FAIL) {
		flags = EV_F_FAILED;
		code = 1;
	} else {
		code = w->in.exit_code;
	}
	/* What it still holds: a worker stopped (killed) lets go of it; one
	 * whose task ended, finished or failed, leaves it held, as a thread
	 * that returns without unlocking. Either now, before its end is
	 * told, not when the OS sees the thread exit. */
	for (uint32_t i = 0; i < atomic_load(&shm->nlocks); i++)
		if (r == STEP_STOP)
			lock_release(shm, (int)i, w->id); /* if held */
		else
			lock_leave(shm, (int)i, w->id);
	post_end(w, code, flags, r == STEP_FAIL ? w->in.error : NULL);
	return code;
}

/* How many of the N names in NAMES FIND says do not exist yet. */
static size_t
missing(char *const *names, size_t n, int (*find)(const void *, const char *),
	const void *in)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += find(in, names[i]) < 0;
	return k;
}

static int
find_var(const void *vs, const char *name)
{
	return vars_find(vs, name);
}

static int
find_lock(const void *ls, const char *name)
{
	return locks_find(ls, name);
}

/* Writes why W cannot start when its task needs more new variables or
 * locks than there is room for; returns -1 then, else 0. Checked before
 * anything is made, so that a refused start changes nothing. */
static int
check_room(const struct worker *w, const struct vars *vs,
	   const struct locks *ls, char *err, size_t errlen)
{
	const struct task_def *d = w->task->def;

	if (missing(d->globals, d->nglobals, find_var, vs) > vars_room(vs)) {
		snprintf(err, errlen, "cannot start '%s': more than %d variables",
			 w->name, VARS_MAX);
		return -1;
	}
	if (missing(d->locks, d->nlocks, find_lock, ls) > locks_room(ls)) {
		snprintf(err, errlen, "cannot start '%s': more than %d locks",
			 w->name, SHM_LOCKS);
		return -1;
	}
	return 0;
}

int
worker_prepare(struct worker *w, struct vars *vs, struct locks *ls, char *err,
	       size_t errlen)
{
	const struct task_def *d = w->task->def;
	cell_t **cells;
	int *lockmap;

	if (check_room(w, vs, ls, err, errlen) < 0)
		return -1;
	cells = xcalloc(d->nglobals + 1, sizeof *cells);
	lockmap = xcalloc(d->nlocks + 1, sizeof *lockmap);
	/* Locks first: a running worker may make one meanwhile (a lock named
	 * by a value), so only they can still run out after the check. */
	for (size_t i = 0; i < d->nlocks; i++)
		if ((lockmap[i] = locks_intern(ls, d->locks[i])) < 0) {
			snprintf(err, errlen,
				 "cannot start '%s': more than %d locks",
				 w->name, SHM_LOCKS);
			free(cells);
			free(lockmap);
			return -1;
		}
	for (size_t i = 0; i < d->nglobals; i++)
		cells[i] = vs->v[vars_intern(vs, d->globals[i])].cell;
	w->cells = cells;
	w->lockmap = lockmap;
	w->shm = vs->shm;
	interp_init(&w->in, d, w->task->prog, w->args, cells);
	return 0;
}

void
worker_adopt(struct worker *w, const struct task_def *def,
	     const struct program *prog)
{
	atomic_init(&w->cancel, false);
	interp_init(&w->in, def, prog, w->args, w->cells);
}

void
worker_request_cancel(struct worker *w)
{
	pthread_mutex_lock(&w->mu);
	atomic_store(&w->cancel, true);
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	if (w->shm != NULL) /* it may be waiting at its gate */
		gate_kick(&w->shm->gates[w->slot]);
	if (w->body_cancel != NULL)
		w->body_cancel(w);
}

/* The registry, on the main thread. */

void
worker_init_sync(struct worker *w)
{
	pthread_condattr_t ca;

	pthread_mutex_init(&w->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cv, &ca);
	pthread_condattr_destroy(&ca);
}

/* FNV-1a: names are short; any spread will do. */
static size_t
name_hash(const char *name)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h & (REGISTRY_HASH - 1);
}

/* Enters V[I - 1]'s name in the table that finds workers by name. Names
 * are unique (spawn checks): the first free slot is its. */
static void
hash_enter(struct registry *r, size_t i)
{
	size_t h = name_hash(r->v[i - 1]->name);

	while (r->byname[h] != 0)
		h = (h + 1) & (REGISTRY_HASH - 1);
	r->byname[h] = (uint16_t)i;
}

/* Frees W and everything it owns (it is new or reaped). */
static void
worker_free(struct worker *w)
{
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	buf_free(&w->partial);
	buf_free(&w->step_text);
	for (size_t j = 0; j < w->log.n; j++)
		free(w->log.lines[j]);
	free(w->log.lines);
	free(w->log.seq);
	for (int j = 0; j < w->argc; j++)
		free(w->argv[j]);
	task_release(w->task);
	interp_free(&w->in);
	free(w->cells);
	free(w->lockmap);
	free(w->fail);
	if (w->body_free != NULL)
		w->body_free(w->body_arg);
	free(w);
}

void
worker_post_call(struct worker *w)
{
	post(w, EV_CALL, 0, 0, 0, NULL, 0);
}

/* Does W (ended) still hold a lock? Such a worker is named as the
 * holder by locks, step and the deadlock check: it is kept. */
static bool
holds_lock(const struct worker *w)
{
	for (uint32_t i = 0; w->shm != NULL && i < atomic_load(&w->shm->nlocks);
	     i++)
		if (lock_holder(w->shm, (int)i) == (int64_t)w->id)
			return true;
	return false;
}

/* Forgets the joined workers older than the latest REGISTRY_KEEP_JOINED,
 * giving their gates back, and returns how many workers are alive. A
 * joined worker was reaped: no thread or process can touch its gate. */
static size_t
trim(struct registry *r)
{
	size_t joined = 0, gone = 0, k = r->n;

	for (size_t i = r->n; i-- > 0;) {
		struct worker *w = r->v[i];
		if (w->state == WS_JOINED && ++joined > REGISTRY_KEEP_JOINED &&
		    !holds_lock(w)) {
			r->free_slots[r->nfree++] = w->slot;
			worker_free(w);
			gone++;
			continue;
		}
		r->v[--k] = w; /* kept: packed at the end, in order */
	}
	memmove(r->v, r->v + k, (r->n - k) * sizeof *r->v);
	r->n -= k;
	r->forgotten += gone;
	if (gone > 0)
		r->free_k = 0;
	memset(r->byname, 0, REGISTRY_HASH * sizeof *r->byname);
	for (size_t i = 1; i <= r->n; i++)
		hash_enter(r, i);
	return r->n - (joined - gone);
}

bool
registry_forget(struct registry *r, struct worker *w)
{
	int i = registry_index(r, w->id);

	if (i < 0 || (w->state != WS_JOINED && w->state != WS_NEW) ||
	    holds_lock(w))
		return false;
	r->free_slots[r->nfree++] = w->slot;
	worker_free(w);
	memmove(r->v + i, r->v + i + 1, (r->n - (size_t)i - 1) * sizeof *r->v);
	r->n--;
	r->free_k = 0;
	memset(r->byname, 0, REGISTRY_HASH * sizeof *r->byname);
	for (size_t k = 1; k <= r->n; k++)
		hash_enter(r, k);
	return true;
}

/* Returns a free gate for a new worker. */
static int
take_slot(struct registry *r)
{
	return r->nfree > 0 ? r->free_slots[--r->nfree] : r->next_slot++;
}

struct worker *
registry_add(struct registry *r, const char *name, enum worker_kind kind,
	     struct task *task, char *const *argv, const struct value *args)
{
	struct worker *w;

	if (r->byname == NULL) {
		r->byname = xcalloc(REGISTRY_HASH, sizeof *r->byname);
		r->free_slots = xcalloc(SHM_SLOTS, sizeof *r->free_slots);
		r->trim_at = REGISTRY_KEEP_JOINED * 2;
	}
	/* Looked at every KEEP additions, and at each one near the cap,
	 * where the workers alive must be counted exactly. */
	if (r->n >= r->trim_at) {
		if (trim(r) >= WORKER_MAX)
			return NULL;
		r->trim_at = r->n + REGISTRY_KEEP_JOINED;
		if (r->trim_at > WORKER_MAX)
			r->trim_at = WORKER_MAX;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->v = xrealloc(r->v, r->cap * sizeof *r->v);
	}
	w = xcalloc(1, sizeof *w);
	w->id = r->next_id++;
	snprintf(w->name, sizeof w->name, "%s", name);
	w->kind = kind;
	w->be = kind == WORKER_THREAD  ? &thread_backend
		: kind == WORKER_NODE  ? &node_backend
				       : &process_backend;
	w->color = (int)(r->added++ % 12);
	w->slot = take_slot(r);
	w->task = task;
	task_hold(task);
	w->argc = task->def->nparams;
	for (int i = 0; i < w->argc; i++) {
		w->argv[i] = xstrdup(argv[i]);
		w->args[i] = args[i];
		if (args[i].is_str)
			w->args[i].s = w->argv[i];
	}
	atomic_init(&w->cancel, false);
	worker_init_sync(w);
	r->v[r->n++] = w;
	hash_enter(r, r->n);
	return w;
}

struct worker *
registry_find(const struct registry *r, const char *name)
{
	if (r->byname == NULL)
		return NULL;
	for (size_t i = name_hash(name);; i = (i + 1) & (REGISTRY_HASH - 1)) {
		uint16_t k = r->byname[i];
		if (k == 0)
			return NULL;
		if (strcmp(r->v[k - 1]->name, name) == 0)
			return r->v[k - 1];
	}
}

int
registry_index(const struct registry *r, uint32_t id)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->v[mid]->id == id)
			return (int)mid;
		if (r->v[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

struct worker *
registry_by_id(const struct registry *r, uint32_t id)
{
	int i = registry_index(r, id);

	return i < 0 ? NULL : r->v[i];
}

void
worker_log(struct worker *w, const char *text, size_t len, uint64_t seq)
{
	/* Only the first lines: an expectation on what was printed before a
	 * line that did not fit stays true, one on the whole output fails. */
	if (w->log.full || w->log.n >= WORKER_LOG_MAX ||
	    len > WORKER_LOG_BYTES - w->log.bytes) {
		w->log.full = true;
		return;
	}
	w->log.bytes += len;
	if (w->log.n == w->log.cap) {
		w->log.cap = w->log.cap ? 2 * w->log.cap : 16;
		w->log.lines =
			xrealloc(w->log.lines, w->log.cap * sizeof(char *));
		w->log.seq =
			xrealloc(w->log.seq, w->log.cap * sizeof(uint64_t));
	}
	w->log.lines[w->log.n] = xstrndup(text, len);
	w->log.seq[w->log.n++] = seq;
}

void
registry_clear(struct registry *r)
{
	for (size_t i = 0; i < r->n; i++)
		worker_free(r->v[i]);
	free(r->v);
	free(r->byname);
	free(r->free_slots);
	/* Ids go on: an id never names two workers in one session. */
	*r = (struct registry){ .next_id = r->next_id };
}

void
registry_free_name(struct registry *r, const char *base, char *out,
		   size_t len)
{
	int k = r->free_k > 1 && strcmp(r->free_base, base) == 0 ? r->free_k
								 : 1;

	for (;; k++) {
		if (k == 1)
			snprintf(out, len, "%s", base);
		else
			snprintf(out, len, "%s_%d", base, k);
		if (registry_find(r, out) == NULL && strcmp(out, "all") != 0)
			break;
	}
	/* Not K + 1: the worker may not be made after all. */
	snprintf(r->free_base, sizeof r->free_base, "%s", base);
	r->free_k = k;
}

struct worker *
registry_by_slot(const struct registry *r, int slot)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i]->slot == slot)
			return r->v[i];
	return NULL;
}
