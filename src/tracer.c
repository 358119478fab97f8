/*
 * tracer.c: the tracer. It applies each event a worker posts (or the main
 * thread makes up: a join, a kill, an end the OS told) to its worker, prints
 * its trace line in the session's output, to appear above the prompt, and
 * keeps it in the trace (trace.c) for timeline and export.
 */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "render.h"
#include "session.h"
#include "sync.h"
#include "tracer.h"
#include "xmalloc.h"

/* Says that weft itself went wrong, not a command: the script goes on as
 * far as it can, but weft's status is 1 at the end, even with
 * --keep-going. */
static void __attribute__((format(printf, 2, 3)))
internal_error(struct session *s, const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	sh_error(s, "internal: %s", buf_str(&b));
	buf_free(&b);
	s->failed = true;
}

/* Is an event of TYPE about W (NULL: the session) printed live? */
static bool
traced(const struct session *s, const struct worker *w, uint16_t type)
{
	if (w != NULL && w->quiet &&
	    (type == EV_STARTED || type == EV_EXIT || type == EV_SIGNAL ||
	     type == EV_CANCEL || type == EV_FAIL || type == EV_JOINED))
		return false;
	switch (type) {
	case EV_OUTPUT: return s->sch.trace >= TRACE_OUTPUT;
	case EV_LOCK_WAIT:
		return s->sch.trace >= (w ? TRACE_STEPS : TRACE_EVENTS);
	default: return s->sch.trace >= TRACE_EVENTS;
	}
}

/* Keeps EV about W (NULL: the session), with TEXT, in the trace, and
 * prints its line when the trace level shows it. */
static void
tell(struct session *s, const struct worker *w, const struct event *ev,
     const char *text, size_t len)
{
	trace_add(&s->trace, w != NULL ? w->id : TRACE_SESSION, ev, text, len);
	if (traced(s, w, ev->h.type))
		render_event(&s->ro, s->t0, w, ev, text, len, &s->out);
}

void
tracer_note(struct session *s, struct worker *w, uint16_t type,
	    const char *text, size_t len)
{
	struct event ev = { .h = { .type = type,
				   .worker = w ? w->id : 0,
				   .len = (uint32_t)len },
			    .text = text };

	sh_stamp(s, &ev);
	tell(s, w, &ev, text, len);
}

/* Tells that W waits for LOCK, held by H (NULL: nobody known): with the
 * header of EV, W's own record of it, or (EV NULL) as a note stamped now. */
static void
tell_wait(struct session *s, struct worker *w, int lock, const struct worker *h,
	  const struct event *ev)
{
	struct buf b = { 0 };

	buf_printf(&b, "waits for %s (held by %s)", locks_name(&s->locks, lock),
		   h != NULL ? h->name : "?");
	if (ev != NULL) {
		/* The record has no text (len 0): its line is the one made
		 * here, and the renderer prints h.len bytes of it. */
		struct event told = { .h = ev->h, .text = b.data };
		told.h.len = (uint32_t)b.len;
		tell(s, w, &told, b.data, b.len);
	} else {
		tracer_note(s, w, EV_LOCK_WAIT, b.data, b.len);
	}
	buf_free(&b);
	w->traced_wait = lock;
}

/* Tells what W did on an object: that it sleeps on it, or whom its
 * statement woke (kept with the first woken's id, not its slot, in b:
 * see trace_rec); a woken worker's waking, and a value going through a
 * queue, are kept with the object's name, not printed. */
static void
tell_sync(struct session *s, struct worker *w, const struct event *ev)
{
	struct buf b = { 0 };
	uint32_t n = (uint32_t)((uint64_t)ev->h.b >> 32);
	int slot = (int)(ev->h.b & 0xffffffff) - 1;
	struct worker *o = slot >= 0 ? registry_by_slot(&s->reg, slot) : NULL;
	uint32_t obj = (uint32_t)ev->h.a; /* a ticket above it (event.h) */

	switch (ev->h.type) {
	case EV_SYNC_WAIT:
		w->told_sync = (int)obj + 1; /* see find_all_blocked */
		buf_puts(&b, "waits on ");
		buf_add_visible(&b, ev->text, ev->h.len);
		break;
	case EV_SYNC_WOKE: /* kept with its object's name, for timeline */
	case EV_SYNC_PASS:
		if (ev->h.type == EV_SYNC_WOKE)
			w->told_sync = 0;
		buf_puts(&b, obj < sync_count(s->shm) ? s->shm->syncs[obj].name
						      : "?");
		trace_add(&s->trace, w->id, ev, b.data, b.len);
		buf_free(&b);
		return;
	default: /* EV_SYNC_WAKE */
		buf_add_visible(&b, ev->text, ev->h.len);
		if (n == 0)
			buf_puts(&b, ev->h.flags & EV_F_LOST
					     ? " wakes nobody (lost)"
					     : " wakes nobody");
		else if (n == 1)
			buf_printf(&b, " wakes %s", o != NULL ? o->name : "?");
		else
			buf_printf(&b, " wakes %u workers", n);
		break;
	}
	struct event told = { .h = ev->h, .text = b.data };
	told.h.len = (uint32_t)b.len;
	if (ev->h.type == EV_SYNC_WAKE)
		told.h.b = (int64_t)((uint64_t)n << 32 |
				     (o != NULL ? (uint64_t)o->id + 1 : 0));
	tell(s, w, &told, b.data, b.len);
	buf_free(&b);
}

/* Tells an output line of W, once whole (a long one comes in pieces),
 * after its step's line when STEP_SHOWN, and logs it with W. */
static void
tell_output(struct session *s, struct worker *w, const struct event *ev,
	    bool step_shown)
{
	if (ev->h.flags & EV_F_MORE) {
		buf_add(&w->partial, ev->text, ev->h.len);
		return;
	}
	if (step_shown)
		render_step(&s->ro, s->t0, w, ev, (int)ev->h.b, &s->out);
	w->lines++;
	if (w->partial.len == 0) {
		worker_log(w, ev->text, ev->h.len, ++s->out_seq);
		tell(s, w, ev, ev->text, ev->h.len);
		return;
	}
	buf_add(&w->partial, ev->text, ev->h.len);
	worker_log(w, w->partial.data, w->partial.len, ++s->out_seq);
	tell(s, w, ev, w->partial.data, w->partial.len);
	buf_free(&w->partial);
}

/* After W's end: each lock it ended holding, and still holds, is said. */
static void
tell_left_held(struct session *s, struct worker *w)
{
	for (size_t i = 0; i < locks_count(&s->locks); i++) {
		struct buf b = { 0 };
		if (lock_holder(s->shm, (int)i) != w->id ||
		    !lock_ended(s->shm, (int)i))
			continue;
		buf_printf(&b, "%s: %s holding %s", w->name,
			   worker_state_name(w->state),
			   locks_name(&s->locks, (int)i));
		tracer_note(s, NULL, EV_LOCK_WAIT, b.data, b.len);
		buf_free(&b);
	}
}

/* Applies W's end (exit, signal, cancel, failure) to it and tells it. */
static void
tell_end(struct session *s, struct worker *w, const struct event *ev)
{
	struct event e = *ev;
	enum worker_state to;

	/* A process that failed said why in its last record, then exited. */
	if (e.h.type == EV_EXIT && w->fail != NULL) {
		e.h.type = EV_FAIL;
	} else if (e.h.type == EV_FAIL) {
		free(w->fail);
		w->fail = xstrndup(ev->text, ev->h.len);
	}
	if (e.h.type == EV_FAIL) {
		e.text = w->fail;
		e.h.len = (uint32_t)strlen(w->fail);
	}
	to = e.h.type == EV_EXIT   ? WS_FINISHED
	     : e.h.type == EV_FAIL ? WS_FAILED
				   : WS_KILLED;
	if (worker_set_state(w, to) < 0)
		return;
	/* One killed by a signal told no last count: its gate has it. */
	uint64_t taken = atomic_load(&s->shm->gates[w->slot].taken);
	if (taken > w->steps)
		w->steps = taken;
	w->t_end = e.h.t_ns;
	locks_forget(&s->locks, w->id, w->slot);
	sync_forget(s->shm, w->id, w->slot); /* a killed process's place */
	sched_ended(s, w);
	if (e.h.type == EV_EXIT)
		w->exit_code = (int)e.h.a;
	else if (e.h.type == EV_SIGNAL)
		w->signal = (int)e.h.a;
	else if (e.h.type == EV_CANCEL)
		w->cancelled = true;
	tell(s, w, &e, e.text, e.h.len);
	tell_left_held(s, w);
}

/* W's record of a wait for a lock (EV): a new wait is noted in W's want,
 * and told unless it was told already (foreseen at W's gate). */
static void
tell_lock_wait(struct session *s, struct worker *w, const struct event *ev)
{
	struct worker *h;

	if (w->want == ev->h.a || ev->h.a < 0 ||
	    (size_t)ev->h.a >= locks_count(&s->locks))
		return;
	w->want = (int)ev->h.a;
	if (w->traced_wait == w->want)
		return; /* foreseen, traced already */
	h = ev->h.b < 0 ? NULL : registry_by_id(&s->reg, (uint32_t)ev->h.b);
	tell_wait(s, w, w->want, h, ev);
}

/* Checks that EV, when it is one of W's own records, comes in the order W
 * posted it: a record lost or out of order is an internal error. */
static void
check_seq(struct session *s, struct worker *w, const struct event *ev)
{
	if (!EV_FROM_WORKER(ev->h.type))
		return;
	if (ev->h.seq != w->seq_in)
		internal_error(s, "record %u of '%s' arrived as %u", w->seq_in,
			       w->name, ev->h.seq);
	w->seq_in = ev->h.seq + 1;
}

void
tracer_event(struct session *s, const struct event *ev)
{
	struct worker *w = registry_by_id(&s->reg, ev->h.worker);
	struct event end;
	bool shown;

	if (w == NULL)
		return;
	/* Past anything else of it, a wait is a new one (EV_PARKED is its
	 * gate's, said while a foreseen wait stands). */
	if (ev->h.type != EV_LOCK_WAIT && ev->h.type != EV_PARKED)
		w->traced_wait = -1;
	shown = sched_on_event(s, w, ev->h.type, ev->h.flags, ev->h.a);
	check_seq(s, w, ev);
	switch (ev->h.type) {
	case EV_STARTED:
		w->tid = (pid_t)ev->h.a;
		w->cpu = (int)ev->h.b;
		w->t_start = ev->h.t_ns;
		tell(s, w, ev, ev->text, ev->h.len); /* a node's host */
		break;
	case EV_OUTPUT:
		w->steps = (uint64_t)ev->h.a;
		tell_output(s, w, ev, shown);
		break;
	case EV_STEP:
		if (shown)
			render_step(&s->ro, s->t0, w, ev, (int)ev->h.a,
				    &s->out);
		break;
	case EV_PARKED:
	case EV_CALL: break; /* served by s->serve as the loop goes round */
	case EV_LOCK_GOT:
		w->want = -1;
		trace_add(&s->trace, w->id, ev, NULL, 0);
		break;
	case EV_LOCK_WAIT: tell_lock_wait(s, w, ev); break;
	case EV_SYNC_WAIT:
	case EV_SYNC_WOKE:
	case EV_SYNC_WAKE:
	case EV_SYNC_PASS: tell_sync(s, w, ev); break;
	case EV_END:
		w->steps = (uint64_t)ev->h.b;
		if ((uint64_t)ev->h.c > w->cpu_ns)
			w->cpu_ns = (uint64_t)ev->h.c;
		if (w->be->on_end(w, ev, &end))
			tracer_event(s, &end);
		break;
	case EV_EXIT:
	case EV_SIGNAL:
	case EV_CANCEL:
	case EV_FAIL: tell_end(s, w, ev); break;
	case EV_JOINED: tell(s, w, ev, NULL, 0); break;
	case EV_STOPPED:
	case EV_CONTINUED:
		w->stopped = ev->h.type == EV_STOPPED;
		tell(s, w, ev, NULL, 0);
		break;
	case EV_IGNORED: tell(s, w, ev, NULL, 0); break;
	}
}

/* The queue's callback: one record, traced. */
static void
on_record(const struct event *ev, void *arg)
{
	tracer_event(arg, ev);
}

void
tracer_drain(struct session *s, bool all)
{
	int n = all ? evq_drain_all(&s->q, on_record, s)
		    : evq_drain(&s->q, on_record, s);
	if (n < 0)
		internal_error(s, "the event stream is corrupt");
}

/* Tells one finding F of the scheduler's, with its waits V: a new wait
 * (unless traced already), or a deadlock, in bold red. */
static void
tell_found(struct session *s, const struct sched_found *f,
	   const struct sched_wait *v)
{
	struct buf b = { 0 };

	switch (f->what) {
	case SCHED_NEW_WAIT:
		if (v->w->traced_wait != v->lock)
			tell_wait(s, v->w, v->lock, v->holder, NULL);
		return;
	case SCHED_DEADLOCK:
		buf_puts(&b, "deadlock: ");
		for (size_t i = 0; i < f->n; i++)
			buf_printf(&b, "%s%s waits for %s held by %s",
				   i ? "; " : "", v[i].w->name,
				   v[i].lock >= 0
					   ? locks_name(&s->locks, v[i].lock)
					   : "?",
				   v[i].holder->name);
		break;
	case SCHED_HELD_BY_ENDED:
		buf_printf(&b, "deadlock: %s waits for %s held by %s (%s)",
			   v->w->name, locks_name(&s->locks, v->lock),
			   v->holder->name, worker_end_name(v->holder));
		break;
	case SCHED_ALL_BLOCKED:
		if (f->n == 1)
			buf_puts(&b, "deadlock: the only live worker is blocked, "
				     "and nothing can wake it: ");
		else
			buf_printf(&b, "deadlock: all %zu workers are blocked: ",
				   f->n);
		for (size_t i = 0; i < f->n; i++) {
			char what[96];
			buf_printf(&b, "%s%s ", i ? "; " : "", v[i].w->name);
			if (v[i].obj >= 0) {
				sync_describe(s->shm, v[i].obj, what,
					      sizeof what);
				buf_printf(&b, "waits on %s", what);
			} else if (v[i].joins != NULL) {
				buf_printf(&b, "waits for %s to end",
					   v[i].joins->name);
			} else {
				buf_printf(&b, "waits for %s held by %s",
					   v[i].lock >= 0
						   ? locks_name(&s->locks,
								v[i].lock)
						   : "?",
					   v[i].holder ? v[i].holder->name
						       : "?");
			}
		}
		break;
	}
	tracer_note(s, NULL, EV_LOCK_WAIT, b.data, b.len);
	buf_free(&b);
	s->deadlocks++;
}

void
tracer_check(struct session *s)
{
	struct sched_report rep = { 0 };

	sched_check(s, &rep);
	for (size_t i = 0; i < rep.nfound; i++)
		tell_found(s, &rep.found[i], rep.waits + rep.found[i].first);
	sched_report_free(&rep);
}
