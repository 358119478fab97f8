/*
 * session.c: the state of one weft session and what happens to it between
 * commands: the one wait a command may leave running, the workers' events
 * and ends handed to the tracer, and the orderly end (reset, quit, a
 * signal, lost output) that stops and reaps every worker.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "node.h"
#include "output.h"
#include "session.h"
#include "spawner.h"
#include "sync.h"
#include "tracer.h"
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

	if (s->serve_end != NULL)
		s->serve_end(s);
	for (size_t i = 0; i < s->reg.n; i++)
		running |= s->reg.v[i]->state == WS_RUNNING;
	/* A worker that would not stop still uses its memory: leave it.
	 * The locks are not reset first: the segment goes with its last
	 * mapping, and clearing every gate's wait word would only fault its
	 * pages in to be thrown away. */
	if (!running) {
		registry_clear(&s->reg);
		shm_unmap(s->shm);
	}
	trace_clear(&s->trace);
	sched_replay_clear(s);
	free(s->explored.schedule);
	free(s->prefill);
	free(s->rec_cmd);
	if (s->record != NULL)
		fclose(s->record);
	free(s->record_path);
	tasks_free(&s->tasks);
	input_free(&s->in);
	buf_free(&s->out);
	buf_free(&s->err);
	/* The spawner has no children of its own: workers are weft's. */
	spawner_close();
	/* Every node was stopped: no MPI process may outlive weft. */
	node_shutdown();
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
	tracer_check(s);
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

/* Workers */

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

	tracer_drain(s, false);
	for (size_t i = 0; children && i < s->reg.n; i++) {
		struct worker *w = s->reg.v[i];
		struct event ev;
		if (w->state != WS_RUNNING || !w->be->check_end(w, &ev))
			continue;
		ends = xrealloc(ends, (nends + 1) * sizeof *ends);
		ends[nends++] = ev;
	}
	if (nends == 0) {
		if (s->serve != NULL)
			s->serve(s);
		tracer_check(s);
		return;
	}
	/* Those that ended wrote their last records before they died: they
	 * are in their rings now. */
	tracer_drain(s, true);
	for (size_t i = 0; i < nends; i++) {
		uint64_t t = ends[i].h.t_ns;
		sh_stamp(s, &ends[i]);
		ends[i].h.t_ns = t;
		tracer_event(s, &ends[i]);
	}
	free(ends);
	if (s->serve != NULL) /* after the ends: a join may wait for one */
		s->serve(s);
	tracer_check(s);
}

void
session_sweep(struct session *s)
{
	spawner_sweep(known_worker, s);
}

void
session_unprepare(struct worker *w)
{
	interp_free(&w->in);
	free(w->cells);
	free(w->lockmap);
	w->cells = NULL;
	w->lockmap = NULL;
}

int
session_start(struct session *s, struct worker *w, char *err, size_t len)
{
	int rc;

	if (w->kind == WORKER_NODE && node_refuse(w, &s->vars, err, len) < 0)
		return -1;
	if (worker_prepare(w, &s->vars, &s->locks, err, len) < 0)
		return -1;
	if (session_attach(s, w, err, len) < 0) {
		session_unprepare(w);
		return -1;
	}
	sched_starting(s, w);
	if ((rc = w->be->start(w, s->q.wfd, err, len)) < 0) {
		session_detach(s, w);
		session_unprepare(w);
		return -1;
	}
	return rc;
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
	tracer_drain(s, true);
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
	sync_reset(s->shm);
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
