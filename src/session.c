/*
 * session.c: the state of one weft session and what happens to it between
 * commands: the one wait a command may leave running, events flowing from
 * workers into the trace, and the orderly end (reset, quit, a signal, lost
 * output) that stops and reaps every worker.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "output.h"
#include "play.h"
#include "render.h"
#include "session.h"
#include "spawner.h"
#include "xmalloc.h"

/* How long stopped workers get to end before weft gives up on them. */
#define STOP_GRACE_NS (5ull * 1000000000ull)
/* How long a reader that stopped reading gets, once weft is leaving on a
 * signal, before what is left to print is dropped. */
#define OUT_GRACE_NS (300ull * 1000000ull)

int
session_init(struct session *s)
{
	memset(s, 0, sizeof *s);
	s->sigfd = s->endfd = -1;
	s->out_lost = session_shutdown;
	s->ro.time = true;
	s->sch.trace = TRACE_EVENTS;
	input_init(&s->in, -1);
	/* Before any process worker exists, so that all of them share it. */
	if ((s->shm = shm_map()) == NULL)
		return -1;
	s->vars.shm = s->locks.shm = s->shm;
	tasks_init(&s->tasks);
	if (evq_open(&s->q) < 0)
		return -1;
	s->t0 = ev_now();
	return 0;
}

void
session_free(struct session *s)
{
	bool running = false;

	for (size_t i = 0; i < s->reg.n; i++)
		running |= s->reg.v[i]->state == WS_RUNNING;
	/* A worker that would not stop still uses its memory: leave it. */
	if (!running) {
		registry_clear(&s->reg);
		locks_reset(&s->locks);
		shm_unmap(s->shm);
	}
	play_free(s);
	trace_clear(&s->trace);
	free(s->prefill);
	free(s->rec_cmd);
	if (s->record != NULL)
		fclose(s->record);
	free(s->record_path);
	tasks_free(&s->tasks);
	for (size_t i = s->cmd_head; i < s->ncmds; i++) {
		for (int j = 0; j < s->cmds[i].argc; j++)
			free(s->cmds[i].argv[j]);
		free(s->cmds[i].argv);
	}
	free(s->cmds);
	input_free(&s->in);
	buf_free(&s->pending);
	buf_free(&s->out);
	buf_free(&s->err);
	/* The spawner has no children of its own: workers are weft's. */
	spawner_close();
	evq_close(&s->q, !running);
	if (s->sigfd >= 0)
		close(s->sigfd);
	if (s->endfd >= 0)
		close(s->endfd);
	s->sigfd = s->endfd = -1;
	spawner_signals(-1);
}

/* Waits */

void
session_wait(struct session *s, const struct wait *w)
{
	s->wait = *w;
	s->waiting = true;
	session_check_wait(s);
}

void
session_status(struct session *s, int status)
{
	if (status == 0)
		return;
	s->failed = true;
	s->failed_group = s->cur_group;
	if (!s->interactive && !s->keep_going)
		session_shutdown(s, 0);
}

void
session_end_wait(struct session *s, enum wait_end how)
{
	struct wait w = s->wait;

	if (!s->waiting)
		return;
	s->waiting = false;
	int st = w.finish(s, w.arg, how);
	free(w.arg);
	st = session_recorded(s, st);
	session_status(s, st);
}

/* Ends the recording after a write to it failed, saying why. */
static void
record_failed(struct session *s, const char *why)
{
	sh_error(s, "cannot write '%s': %s; recording stopped", s->record_path,
		 why);
	fclose(s->record);
	s->record = NULL;
	free(s->record_path);
	s->record_path = NULL;
}

int
session_recorded(struct session *s, int status)
{
	char why[128];

	if (s->rec_cmd == NULL)
		return status;
	if (status == 0 && s->record != NULL) {
		fprintf(s->record, "%s\n", s->rec_cmd);
		/* Flushed now: a full disk is told at the command it
		 * failed to save, and a crash loses nothing. */
		if (file_flush(s->record, why, sizeof why) < 0) {
			record_failed(s, why);
			status = 1;
		}
	}
	free(s->rec_cmd);
	s->rec_cmd = NULL;
	return status;
}

void
session_check_wait(struct session *s)
{
	if (!s->waiting)
		return;
	sched_check(s);
	if (s->wait.done(s, s->wait.arg))
		session_end_wait(s, WAIT_DONE);
	else if (s->wait.deadline != 0 && ev_now() >= s->wait.deadline)
		session_end_wait(s, WAIT_TIMEOUT);
	else if (s->wait.pump != NULL) {
		s->wait.pump(s, s->wait.arg);
		/* What it did may be all there was to do. */
		if (s->wait.done(s, s->wait.arg))
			session_end_wait(s, WAIT_DONE);
	}
}

/* Events */

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
	switch (type) {
	case EV_OUTPUT: return s->sch.trace >= TRACE_OUTPUT;
	case EV_LOCK_WAIT:
		return s->sch.trace >= (w ? TRACE_STEPS : TRACE_EVENTS);
	default: return s->sch.trace >= TRACE_EVENTS;
	}
}

static void
render(struct session *s, const struct worker *w, const struct event *ev,
       const char *text, size_t len)
{
	trace_add(&s->trace, w != NULL ? w->id : TRACE_SESSION, ev, text, len);
	if (traced(s, w, ev->h.type))
		render_event(&s->ro, s->t0, w, ev, text, len, &s->out);
}

void
trace_note(struct session *s, struct worker *w, uint16_t type, const char *text,
	   size_t len)
{
	struct event ev = { .h = { .type = type,
				   .worker = w ? w->id : 0,
				   .len = (uint32_t)len },
			    .text = text };

	sh_stamp(s, &ev);
	render(s, w, &ev, text, len);
}

static void
trace_output(struct session *s, struct worker *w, const struct event *ev,
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
		render(s, w, ev, ev->text, ev->h.len);
		return;
	}
	buf_add(&w->partial, ev->text, ev->h.len);
	worker_log(w, w->partial.data, w->partial.len, ++s->out_seq);
	render(s, w, ev, w->partial.data, w->partial.len);
	buf_free(&w->partial);
}

/* After W's end: each lock it ended holding, and still holds, is said. */
static void
trace_left_held(struct session *s, struct worker *w)
{
	for (size_t i = 0; i < locks_count(&s->locks); i++) {
		struct buf b = { 0 };
		if (lock_holder(s->shm, (int)i) != w->id ||
		    !lock_ended(s->shm, (int)i))
			continue;
		buf_printf(&b, "%s: %s holding %s", w->name,
			   worker_state_name(w->state),
			   locks_name(&s->locks, (int)i));
		trace_note(s, NULL, EV_LOCK_WAIT, b.data, b.len);
		buf_free(&b);
	}
}

static void
trace_end(struct session *s, struct worker *w, const struct event *ev)
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
	w->t_end = e.h.t_ns;
	locks_forget(&s->locks, w->id, w->slot);
	sched_ended(s, w);
	if (e.h.type == EV_EXIT)
		w->exit_code = (int)e.h.a;
	else if (e.h.type == EV_SIGNAL)
		w->signal = (int)e.h.a;
	else if (e.h.type == EV_CANCEL)
		w->cancelled = true;
	render(s, w, &e, e.text, e.h.len);
	trace_left_held(s, w);
}

void
trace_event(struct session *s, const struct event *ev)
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
	if (EV_FROM_WORKER(ev->h.type)) {
		if (ev->h.seq != w->seq_in)
			internal_error(s, "record %u of '%s' arrived as %u",
				       w->seq_in, w->name, ev->h.seq);
		w->seq_in = ev->h.seq + 1;
	}
	switch (ev->h.type) {
	case EV_STARTED:
		w->tid = (pid_t)ev->h.a;
		w->cpu = (int)ev->h.b;
		w->t_start = ev->h.t_ns;
		render(s, w, ev, NULL, 0);
		break;
	case EV_OUTPUT:
		w->steps = (uint64_t)ev->h.a;
		trace_output(s, w, ev, shown);
		break;
	case EV_STEP:
		if (shown)
			render_step(&s->ro, s->t0, w, ev, (int)ev->h.a,
				    &s->out);
		break;
	case EV_PARKED: break;
	case EV_LOCK_GOT:
		w->want = -1;
		trace_add(&s->trace, w->id, ev, NULL, 0);
		break;
	case EV_LOCK_WAIT:
		if (w->want != ev->h.a && ev->h.a >= 0 &&
		    (size_t)ev->h.a < locks_count(&s->locks)) {
			w->want = (int)ev->h.a;
			if (w->traced_wait == w->want)
				break; /* foreseen, traced already */
			struct worker *h =
				ev->h.b < 0 ? NULL
					    : registry_by_id(&s->reg,
							     (uint32_t)ev->h.b);
			struct buf b = { 0 };
			buf_printf(&b, "waits for %s (held by %s)",
				   locks_name(&s->locks, (int)ev->h.a),
				   h != NULL ? h->name : "?");
			render(s, w,
			       &(struct event){ .h = ev->h, .text = b.data },
			       b.data, b.len);
			buf_free(&b);
			w->traced_wait = w->want;
		}
		break;
	case EV_END:
		w->steps = (uint64_t)ev->h.b;
		if (w->be->on_end(w, ev, &end))
			trace_event(s, &end);
		break;
	case EV_EXIT:
	case EV_SIGNAL:
	case EV_CANCEL:
	case EV_FAIL: trace_end(s, w, ev); break;
	case EV_JOINED: render(s, w, ev, NULL, 0); break;
	case EV_STOPPED:
	case EV_CONTINUED:
		w->stopped = ev->h.type == EV_STOPPED;
		render(s, w, ev, NULL, 0);
		break;
	case EV_IGNORED: render(s, w, ev, NULL, 0); break;
	}
}

static void
on_record(const struct event *ev, void *arg)
{
	trace_event(arg, ev);
}

static void
drain(struct session *s, bool all)
{
	int n = all ? evq_drain_all(&s->q, on_record, s)
		    : evq_drain(&s->q, on_record, s);
	if (n < 0)
		internal_error(s, "the event stream is corrupt");
}

/* Is PID a process worker of S that weft keeps track of (started, not
 * yet joined)? */
static bool
known_worker(pid_t pid, void *arg)
{
	struct session *s = arg;

	for (size_t i = 0; i < s->reg.n; i++) {
		struct worker *w = s->reg.v[i];
		if (w->kind == WORKER_PROCESS && w->pid == pid &&
		    w->state != WS_NEW && w->state != WS_JOINED)
			return true;
	}
	return false;
}

void
session_poll_workers(struct session *s, bool children)
{
	struct event *ends = NULL;
	size_t nends = 0;

	drain(s, false);
	for (size_t i = 0; children && i < s->reg.n; i++) {
		struct worker *w = s->reg.v[i];
		struct event ev;
		if (w->state != WS_RUNNING || !w->be->check_end(w, &ev))
			continue;
		ends = xrealloc(ends, (nends + 1) * sizeof *ends);
		ends[nends++] = ev;
	}
	if (nends == 0) {
		sched_check(s);
		return;
	}
	/* Those that ended wrote their last records before they died: they
	 * are in their rings now. */
	drain(s, true);
	for (size_t i = 0; i < nends; i++) {
		uint64_t t = ends[i].h.t_ns;
		sh_stamp(s, &ends[i]);
		ends[i].h.t_ns = t;
		trace_event(s, &ends[i]);
	}
	free(ends);
	sched_check(s);
}

void
session_sweep(struct session *s)
{
	spawner_sweep(known_worker, s);
}

int
session_attach(struct session *s, struct worker *w, char *err, size_t len)
{
	struct ev_ring *r = evq_attach(&s->q);

	if (r == NULL) {
		snprintf(err, len,
			 "cannot start '%s': no memory for its events",
			 w->name);
		return -1;
	}
	w->sink = evq_sink(&s->q, r);
	w->seq_out = w->seq_in = 0;
	return 0;
}

void
session_detach(struct session *s, struct worker *w)
{
	if (w->sink.ring == NULL)
		return;
	/* What it wrote last is told before its ring is reused. */
	drain(s, true);
	evq_detach(&s->q, w->sink.ring);
	w->sink.ring = NULL;
}

void
session_reap(struct session *s, struct worker *w)
{
	w->be->reap(w);
	session_detach(s, w);
	worker_set_state(w, WS_JOINED);
}

/* Reset and shutdown */

static void
stop_all(struct session *s)
{
	for (size_t i = 0; i < s->reg.n; i++)
		if (s->reg.v[i]->state == WS_RUNNING)
			s->reg.v[i]->be->stop(s->reg.v[i]);
}

static bool
none_running(struct session *s, void *arg)
{
	for (size_t i = 0; i < s->reg.n; i++)
		if (s->reg.v[i]->state == WS_RUNNING)
			return false;
	return true;
}

/* Reaps every ended worker without a word; returns how many still run. */
static size_t
reap_all(struct session *s)
{
	size_t running = 0;

	for (size_t i = 0; i < s->reg.n; i++) {
		struct worker *w = s->reg.v[i];
		if (worker_ended(w))
			session_reap(s, w);
		running += w->state == WS_RUNNING;
	}
	return running;
}

static int
shutdown_finish(struct session *s, void *arg, enum wait_end how)
{
	size_t left = reap_all(s);

	if (left > 0)
		sh_error(s, "%zu worker%s did not stop; leaving anyway", left,
			 left == 1 ? "" : "s");
	s->done = true;
	return 0;
}

void
session_shutdown(struct session *s, int sig)
{
	struct wait w = { .done = none_running, .finish = shutdown_finish };

	if (sig != 0 && s->exit_signal == 0) {
		s->exit_signal = sig;
		s->out_grace = ev_now() + OUT_GRACE_NS;
	}
	if (s->shutting_down)
		return;
	s->shutting_down = true;
	session_end_wait(s, WAIT_INTERRUPTED);
	stop_all(s);
	w.deadline = ev_now() + STOP_GRACE_NS;
	session_wait(s, &w);
}

/* The end of the input: done when every worker has ended or can never
 * end by itself. */
static bool
all_settled(struct session *s, void *arg)
{
	struct buf why = { 0 };
	bool done = true;

	for (size_t i = 0; done && i < s->reg.n; i++)
		if (s->reg.v[i]->state == WS_RUNNING)
			done = sched_stuck(s, s->reg.v[i], &why);
	buf_free(&why);
	return done;
}

static void
settle_pump(struct session *s, void *arg)
{
	sched_pump(s);
}

static int
settle_finish(struct session *s, void *arg, enum wait_end how)
{
	for (size_t i = 0; how == WAIT_DONE && i < s->reg.n; i++) {
		struct worker *w = s->reg.v[i];
		struct buf why = { 0 };
		if (w->state == WS_RUNNING && sched_stuck(s, w, &why))
			sh_printf(s,
				  "main: '%s' can never end by itself (%s); "
				  "stopping it\n",
				  w->name, buf_str(&why));
		buf_free(&why);
	}
	return 0;
}

bool
session_wait_workers(struct session *s)
{
	struct wait w = { .done = all_settled,
			  .finish = settle_finish,
			  .pump = settle_pump,
			  .interruptible = true };

	size_t i = 0;

	while (i < s->reg.n && s->reg.v[i]->state != WS_RUNNING)
		i++;
	if (i == s->reg.n)
		return false;
	session_wait(s, &w);
	return true;
}

static int
reset_finish(struct session *s, void *arg, enum wait_end how)
{
	size_t left = reap_all(s);

	if (left > 0) {
		sh_error(s, "cannot reset: %zu worker%s did not stop", left,
			 left == 1 ? "" : "s");
		return 1;
	}
	registry_clear(&s->reg);
	vars_reset(&s->vars);
	locks_reset(&s->locks);
	sched_reset(s);
	trace_clear(&s->trace);
	return 0;
}

void
session_reset(struct session *s)
{
	struct wait w = { .done = none_running, .finish = reset_finish };

	stop_all(s);
	w.deadline = ev_now() + STOP_GRACE_NS;
	session_wait(s, &w);
}
