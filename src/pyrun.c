/*
 * pyrun.c: Python programs on weft's workers, in CPython embedded (SPEC
 * 10). `python FILE` compiles a program and runs its top-level code as the
 * worker `main`. Each threading.Thread it starts is a thread worker of
 * weft that runs the thread's own bootstrap under the GIL, so that
 * Python's join, is_alive, current_thread and names work as under
 * python3; a Thread whose target is one of weft's tasks runs that task
 * natively. A worker's print is its output lines. A small module, _weft,
 * and a few lines of Python put in at start-up (SHIM) make the program's
 * threading module ask weft for its workers.
 *
 * Only the main loop makes workers. A Python worker that needs one puts a
 * request in the mailbox, posts EV_CALL so that the main loop wakes, and
 * waits with the GIL let go; the main loop serves the mailbox as it goes
 * round (pyrun_serve, the session's serve hook).
 */
#include "config.h"

#ifdef HAVE_PYTHON
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <marshal.h>
#include <frameobject.h>
#endif

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "event.h"
#include "lock.h"
#include "output.h"
#include "pyrun.h"
#include "session.h"
#include "task.h"
#include "sync.h"
#include "tracer.h"
#include "vars.h"
#include "worker.h"
#include "xmalloc.h"
#ifdef HAVE_PYTHON
#include "pyrun-int.h"
#endif

#ifndef HAVE_PYTHON

bool
pyrun_built(void)
{
	return false;
}

int
pyrun_start(struct session *s, const char *path, int argc, char **argv,
	    uint32_t *id, char *err, size_t len)
{
	snprintf(err, len, "%s", PYRUN_NOT_BUILT);
	return -1;
}

int
pyrun_block(struct session *s, const char *src, char *err, size_t len)
{
	snprintf(err, len, "%s", PYRUN_NOT_BUILT);
	return -1;
}

int
pyrun_exec(struct session *s, const char *src, unsigned line, uint32_t *id,
	   char *err, size_t len)
{
	snprintf(err, len, "%s", PYRUN_NOT_BUILT);
	return -1;
}

int
pyrun_compile(struct session *s, const char *src, unsigned *line, char *err,
	      size_t len)
{
	*line = 0;
	snprintf(err, len, "%s", PYRUN_NOT_BUILT);
	return -1;
}

bool
pyrun_callable(struct session *s, const char *name)
{
	return false;
}

int
pyrun_spawn(struct session *s, const char *name, enum worker_kind kind,
	    const char *func, int argc, char *const *argv, char *err,
	    size_t len)
{
	snprintf(err, len, "%s", PYRUN_NOT_BUILT);
	return -1;
}

const char *
pyrun_spawned(const struct worker *w, int *argc, char ***argv)
{
	return NULL;
}

void *
pyrun_save(struct session *s)
{
	return NULL;
}

void
pyrun_restore(struct session *s, void *saved)
{
}

void
pyrun_saved_free(void *saved)
{
}

bool
pyrun_is_python(struct session *s, const char *line)
{
	return false;
}

bool
pyrun_known(struct session *s, const char *name)
{
	return false;
}

void
pyrun_interrupt(void)
{
}

#else /* HAVE_PYTHON */

/* The module _weft_shim's source: src/shim.py, made a C string by make;
 * and its bytecode, compiled by make when it could (SHIM_MAGIC 0: not). */
static const char SHIM[] =
#include "shim.inc"
	;
#include "shim-code.inc"


/* A Python worker's side: what its body runs (the worker's body_arg). */
struct pyw {
	PyObject *thread; /* a threading.Thread; NULL for main */
	PyObject *code;	  /* main: the program, compiled */
	struct buf line;  /* output not yet ended by a newline */
	char fail[256];	  /* why it failed, from threading's excepthook */
	bool failed;
	bool daemon;	  /* stopped once the program's other workers end */
	int depth;	  /* frames of the program's own code it is in */
	/* Its thread's state while its body runs Python (set and cleared
	 * holding the GIL); NULL otherwise. */
	PyThreadState *ts;
	/* sched unit bytecode: the frame of the step under way and the
	 * name it stores to, whose value its line shows at its end. */
	PyObject *op_frame, *store;
	/* spawn KIND NAME FUNC ARG...: the function, called with ARGV as
	 * its thread or process starts; NULL for any other worker. */
	char *func;
	int argc;
	char **argv;
};

static bool make_spawned(struct worker *w, struct pyw *p, const char *kind);
static int main_body(struct worker *w, char *fail, size_t len);

/* What the code typed at the prompt is called: "<prompt 1>", ... */
#define PROMPT_FILE "<prompt "

/* The worker this thread runs, while it runs Python. */
static _Thread_local struct worker *cur;

/* The interpreter: made at the first program, ended with the session. */
static PyThreadState *main_ts; /* the main loop's, while it lets go */
static struct pyw *main_pyw;   /* main's, while it runs (under the GIL) */
static PyObject *prog_file;    /* the program's path, a str */
static struct task *py_task;   /* an empty task: a Python worker's own */
static uint32_t main_id; /* main's, on the main loop's side: 0, none */
static bool at_prompt; /* main runs lines typed at the prompt, not a file */
static bool starting_quiet; /* make_worker makes main for such lines */
static unsigned prompt_chunks; /* how many have run (their file names) */
static atomic_bool interrupt_main;  /* Ctrl-C: KeyboardInterrupt in main */
static char *traceback_text;	 /* main's exception, for the command */
static pthread_mutex_t tb_mu = PTHREAD_MUTEX_INITIALIZER;

static pthread_mutex_t mbox_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t mbox_cv = PTHREAD_COND_INITIALIZER;
static struct req *mbox;	/* waiting to be served, oldest first */
static struct req **mbox_end = &mbox;
static bool mbox_closed;	/* the session ends: refuse all */
/* A request came since the main loop last took the mailbox: its EV_CALL
 * may have been read already (a join reaps, and a reap reads the rings),
 * so the main loop looks again before it leaves pyrun_serve. */
static bool mbox_fresh;
/* weft's own process, whose main loop serves requests: a process worker
 * (a forked child) has a copy of the mailbox that nobody reads. */
static pid_t serving_pid;
/* Set in every child forked after the interpreter was made (by weft or
 * by the program), so that pyrun_serving need not ask the kernel for its
 * pid at every request: a thread's start and join ask twice. */
static bool forked_child;
static bool atfork_set; /* else pyrun_serving asks for the pid */

static void
note_forked_child(void)
{
	forked_child = true;
}

bool
pyrun_serving(void)
{
	if (!atfork_set)
		return getpid() == serving_pid;
	return !forked_child && serving_pid != 0;
}

/* Python threads weft made, by Python ident, for REQ_JOINED. */
struct ident_map {
	unsigned long ident;
	uint32_t id;
};
static struct ident_map *idents;
static size_t nidents, idents_cap;
static pthread_mutex_t ident_mu = PTHREAD_MUTEX_INITIALIZER;

bool
pyrun_built(void)
{
	return true;
}

/* Worker side */

void
pyrun_free_req(struct req *r)
{
	for (int i = 0; i < r->argc; i++)
		free(r->argv[i]);
	free(r);
}

#define ASK_SLICE_NS 50000000L /* how often a wait looks at its cancel */

/* Adds NS nanoseconds to *T. */
static void
add_ns(struct timespec *t, long long ns)
{
	t->tv_sec += (time_t)(ns / 1000000000LL);
	t->tv_nsec += (long)(ns % 1000000000LL);
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

/* Is W main, and did Ctrl-C come for it? Takes the Ctrl-C: the caller
 * raises KeyboardInterrupt (its next line, a join, a sleep). */
static bool
take_interrupt(const struct worker *w)
{
	/* A load first: main asks at every line of its own. */
	return w->body == main_body && atomic_load(&interrupt_main) &&
	       atomic_exchange(&interrupt_main, false);
}

/* Asks the main loop (pyrun-int.h). */
enum ask_end
pyrun_ask(struct worker *w, struct req *r, bool wait, double timeout_s)
{
	enum ask_end end = ASK_ANSWERED;

	if (!pyrun_serving()) {
		/* A Process's own code: no main loop would ever answer. */
		r->status = -1;
		snprintf(r->err, sizeof r->err,
			 "a Process cannot start threads or processes of its "
			 "own in weft: start them from main");
		r->done = true;
		if (!wait)
			pyrun_free_req(r);
		return ASK_ANSWERED;
	}
	/* The line of the step that asks goes before what the main loop
	 * tells of the request (a start, a join), so that a seeded run
	 * prints them in one order. */
	worker_step_show(w);
	Py_BEGIN_ALLOW_THREADS
	struct timespec until, slice;
	bool refused;
	clock_gettime(CLOCK_REALTIME, &until);
	if (timeout_s >= 0)
		add_ns(&until, (long long)(timeout_s * 1e9));
	pthread_mutex_lock(&mbox_mu);
	r->orphan = !wait;
	refused = mbox_closed;
	if (refused) {
		r->status = -1;
		snprintf(r->err, sizeof r->err, "weft is ending");
		r->done = true;
		if (!wait) /* nobody else has it */
			pyrun_free_req(r);
	} else {
		r->next = NULL;
		*mbox_end = r;
		mbox_end = &r->next;
		mbox_fresh = true;
	}
	pthread_mutex_unlock(&mbox_mu);
	/* Without WAIT, R may be gone already: not looked at again. */
	if (!refused)
		worker_post_call(w);
	pthread_mutex_lock(&mbox_mu);
	while (wait && !r->done) {
		clock_gettime(CLOCK_REALTIME, &slice);
		add_ns(&slice, ASK_SLICE_NS);
		if (timeout_s >= 0 &&
		    (slice.tv_sec > until.tv_sec ||
		     (slice.tv_sec == until.tv_sec &&
		      slice.tv_nsec > until.tv_nsec)))
			slice = until;
		int e = pthread_cond_timedwait(&mbox_cv, &mbox_mu, &slice);
		if (r->done)
			break;
		if (atomic_load(&w->cancel))
			end = ASK_STOPPED;
		else if (r->kind == REQ_WAIT && take_interrupt(w))
			end = ASK_INTERRUPTED; /* as python3's join */
		else if (e == ETIMEDOUT && timeout_s >= 0 && slice.tv_sec ==
				until.tv_sec && slice.tv_nsec == until.tv_nsec)
			end = ASK_TIMED_OUT;
		if (end != ASK_ANSWERED) {
			r->orphan = true;
			break;
		}
	}
	pthread_mutex_unlock(&mbox_mu);
	Py_END_ALLOW_THREADS
	if (end == ASK_STOPPED)
		PyErr_SetNone(PyExc_SystemExit);
	else if (end == ASK_INTERRUPTED)
		PyErr_SetNone(PyExc_KeyboardInterrupt);
	return end;
}

struct worker *
pyrun_current(void)
{
	if (cur == NULL)
		PyErr_SetString(PyExc_RuntimeError,
				"this thread is not one of weft's workers");
	return cur;
}

/* Sends the complete lines of W's pending output as its output lines. */
static void
send_lines(struct worker *w, struct pyw *p, bool all)
{
	size_t at = 0;

	if (p->line.len == 0)
		return;
	for (;;) {
		char *nl = memchr(p->line.data + at, '\n', p->line.len - at);
		if (nl == NULL)
			break;
		size_t n = (size_t)(nl - (p->line.data + at));
		w->io.print(&w->io, p->line.data + at, n);
		at += n + 1;
	}
	if (all && at < p->line.len) {
		w->io.print(&w->io, p->line.data + at, p->line.len - at);
		at = p->line.len;
	}
	memmove(p->line.data, p->line.data + at, p->line.len - at);
	p->line.len -= at;
}

/* _weft.Out().write(text): the running worker's output. */
static PyObject *
pyout_write(PyObject *self, PyObject *args)
{
	const char *text;
	Py_ssize_t n;
	struct worker *w = cur;

	if (!PyArg_ParseTuple(args, "s#", &text, &n))
		return NULL;
	if (w == NULL) { /* a thread weft did not make: as python3 would */
		fwrite(text, 1, (size_t)n, stdout);
		fflush(stdout);
	} else {
		struct pyw *p = w->body_arg;
		buf_add(&p->line, text, (size_t)n);
		send_lines(w, p, false);
	}
	return PyLong_FromSsize_t(n);
}

static PyObject *
pyout_flush(PyObject *self, PyObject *args)
{
	Py_RETURN_NONE;
}

static PyMethodDef out_methods[] = {
	{ "write", pyout_write, METH_VARARGS, "write text to the worker's lines" },
	{ "flush", pyout_flush, METH_NOARGS, "nothing to flush" },
	{ NULL, NULL, 0, NULL },
};

static PyTypeObject out_type = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "_weft.Out",
	.tp_basicsize = sizeof(PyObject),
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "sys.stdout of weft's workers",
	.tp_methods = out_methods,
	.tp_new = PyType_GenericNew,
};

/* _weft.start_thread(thread, name, daemon): THREAD runs on a new thread
 * worker; returns (the name given, its id). */
static PyObject *
py_start_thread(PyObject *self, PyObject *args)
{
	PyObject *thread;
	const char *name;
	int daemon;
	struct worker *w = pyrun_current();
	struct req *r;

	if (w == NULL ||
	    !PyArg_ParseTuple(args, "Osp", &thread, &name, &daemon))
		return NULL;
	r = xcalloc(1, sizeof *r);
	r->kind = REQ_THREAD;
	r->daemon = daemon;
	snprintf(r->name, sizeof r->name, "%s", name);
	Py_INCREF(thread); /* the worker's, once it runs */
	r->thread = thread;
	if (pyrun_ask(w, r, true, -1) == ASK_STOPPED)
		return NULL; /* the reference goes with the request */
	if (r->status < 0) {
		Py_DECREF(thread);
		PyErr_SetString(PyExc_RuntimeError, r->err);
		pyrun_free_req(r);
		return NULL;
	}
	PyObject *given = Py_BuildValue("(sk)", r->name, (unsigned long)r->id);
	pyrun_free_req(r);
	return given;
}

/* _weft.start_task(kind, name, task, args): weft's task on a worker;
 * returns its id. */
static PyObject *
py_start_task(PyObject *self, PyObject *args)
{
	const char *kind, *name, *task;
	PyObject *list;
	struct worker *w = pyrun_current();
	struct req *r;

	if (w == NULL || !PyArg_ParseTuple(args, "sssO!", &kind, &name, &task,
					   &PyList_Type, &list))
		return NULL;
	if (PyList_GET_SIZE(list) > AST_MAX_PARAMS) {
		PyErr_Format(PyExc_TypeError, "%s takes at most %d arguments",
			     task, AST_MAX_PARAMS);
		return NULL;
	}
	r = xcalloc(1, sizeof *r);
	r->kind = REQ_TASK;
	r->wkind = strcmp(kind, "process") == 0 ? WORKER_PROCESS
						: WORKER_THREAD;
	snprintf(r->name, sizeof r->name, "%s", name);
	snprintf(r->task, sizeof r->task, "%s", task);
	for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++) {
		const char *a = PyUnicode_AsUTF8(PyList_GET_ITEM(list, i));
		if (a == NULL) {
			pyrun_free_req(r);
			return NULL;
		}
		r->argv[r->argc++] = xstrdup(a);
	}
	if (pyrun_ask(w, r, true, -1) == ASK_STOPPED)
		return NULL;
	if (r->status < 0) {
		PyErr_SetString(PyExc_RuntimeError, r->err);
		pyrun_free_req(r);
		return NULL;
	}
	PyObject *id = PyLong_FromUnsignedLong(r->id);
	pyrun_free_req(r);
	return id;
}

/* _weft.join(id, timeout): waits until worker ID ends and joins it. */
static PyObject *
py_join(PyObject *self, PyObject *args)
{
	unsigned long id;
	PyObject *timeout;
	double t = -1;
	struct worker *w = pyrun_current();
	struct req *r;

	if (w == NULL || !PyArg_ParseTuple(args, "kO", &id, &timeout))
		return NULL;
	if (timeout != Py_None && (t = PyFloat_AsDouble(timeout)) < 0) {
		if (!PyErr_Occurred())
			PyErr_SetString(PyExc_ValueError,
					"timeout value must be positive");
		return NULL;
	}
	r = xcalloc(1, sizeof *r);
	r->kind = REQ_WAIT;
	r->id = (uint32_t)id;
	switch (pyrun_ask(w, r, true, t)) {
	case ASK_STOPPED:
	case ASK_INTERRUPTED: return NULL;
	case ASK_TIMED_OUT: Py_RETURN_NONE;
	case ASK_ANSWERED: break;
	}
	pyrun_free_req(r);
	Py_RETURN_NONE;
}

/* Asks the main loop KIND (REQ_ALIVE, REQ_EXITCODE, REQ_KILL with SIG)
 * about worker ID; the answered request, to free, or NULL (a Python
 * error set) when W was asked to stop. */
static struct req *
ask_about(struct worker *w, enum req_kind kind, unsigned long id, int sig)
{
	struct req *r = xcalloc(1, sizeof *r);

	r->kind = kind;
	r->id = (uint32_t)id;
	r->sig = sig;
	return pyrun_ask(w, r, true, -1) == ASK_STOPPED ? NULL : r;
}

/* _weft.alive(id): whether worker ID still runs. */
static PyObject *
py_alive(PyObject *self, PyObject *args)
{
	unsigned long id;
	struct worker *w = pyrun_current();
	struct req *r;
	bool alive;

	if (w == NULL || !PyArg_ParseTuple(args, "k", &id) ||
	    (r = ask_about(w, REQ_ALIVE, id, 0)) == NULL)
		return NULL;
	alive = r->status == 1;
	pyrun_free_req(r);
	return PyBool_FromLong(alive);
}

/* _weft.joined(ident): Python joined the thread of IDENT; weft does,
 * before the caller goes on, so that the trace says "joined" before
 * whatever the caller prints next. */
static PyObject *
py_joined(PyObject *self, PyObject *args)
{
	unsigned long ident;
	struct worker *w = pyrun_current();
	struct req *r;

	if (w == NULL || !PyArg_ParseTuple(args, "k", &ident))
		return NULL;
	r = xcalloc(1, sizeof *r);
	r->kind = REQ_JOINED;
	r->ident = ident;
	/* Answered before main goes on: its 'joined' line comes before
	 * whatever main does next (its end, in a seeded run). */
	if (pyrun_ask(w, r, true, -1) == ASK_STOPPED)
		return NULL;
	pyrun_free_req(r);
	Py_RETURN_NONE;
}

/* _weft.start_process(process, name, daemon): forks to run PROCESS on a
 * new process worker; returns (id, pid, the name given). */
static PyObject *
py_start_process(PyObject *self, PyObject *args)
{
	PyObject *process, *out;
	const char *name;
	int daemon;
	struct worker *w = pyrun_current();
	struct req *r;

	if (w == NULL ||
	    !PyArg_ParseTuple(args, "Osp", &process, &name, &daemon))
		return NULL;
	r = xcalloc(1, sizeof *r);
	r->kind = REQ_PROCESS;
	r->daemon = daemon;
	snprintf(r->name, sizeof r->name, "%s", name);
	/* Held across the fork: the child's copy of it is alive. */
	Py_INCREF(process);
	r->thread = process;
	if (pyrun_ask(w, r, true, -1) == ASK_STOPPED)
		return NULL; /* the reference stays: a fork may still come */
	Py_DECREF(process);
	if (r->status < 0) {
		PyErr_SetString(PyExc_RuntimeError, r->err);
		pyrun_free_req(r);
		return NULL;
	}
	out = Py_BuildValue("(kis)", (unsigned long)r->id, (int)r->pid,
			    r->name);
	pyrun_free_req(r);
	return out;
}


/* _weft.exitcode(id): None while worker ID runs; then its exit code, or
 * minus the signal that killed it, as Popen.returncode. */
static PyObject *
py_exitcode(PyObject *self, PyObject *args)
{
	unsigned long id;
	struct worker *w = pyrun_current();
	struct req *r;
	PyObject *out;

	if (w == NULL || !PyArg_ParseTuple(args, "k", &id) ||
	    (r = ask_about(w, REQ_EXITCODE, id, 0)) == NULL)
		return NULL;
	out = r->status == 1 ? PyLong_FromLong(r->code) : Py_NewRef(Py_None);
	pyrun_free_req(r);
	return out;
}

/* _weft.pid(id): worker ID's pid (0: a thread's, none). */
static PyObject *
py_pid(PyObject *self, PyObject *args)
{
	unsigned long id;
	struct worker *w = pyrun_current();
	struct req *r;
	PyObject *out;

	if (w == NULL || !PyArg_ParseTuple(args, "k", &id) ||
	    (r = ask_about(w, REQ_EXITCODE, id, 0)) == NULL)
		return NULL;
	out = PyLong_FromLong((long)r->pid);
	pyrun_free_req(r);
	return out;
}

/* _weft.kill(id, sig): Popen.terminate() and kill(). */
static PyObject *
py_kill(PyObject *self, PyObject *args)
{
	unsigned long id;
	int sig;
	struct worker *w = pyrun_current();
	struct req *r;

	if (w == NULL || !PyArg_ParseTuple(args, "ki", &id, &sig) ||
	    (r = ask_about(w, REQ_KILL, id, sig)) == NULL)
		return NULL;
	pyrun_free_req(r);
	Py_RETURN_NONE;
}

/* _weft.failed(what): the running worker fails with WHAT. */
static PyObject *
py_failed(PyObject *self, PyObject *args)
{
	const char *what;
	struct worker *w = pyrun_current();

	if (w == NULL || !PyArg_ParseTuple(args, "s", &what))
		return NULL;
	struct pyw *p = w->body_arg;
	snprintf(p->fail, sizeof p->fail, "%s", what);
	p->failed = true;
	Py_RETURN_NONE;
}

/* _weft.sleep(seconds): time.sleep that kill, reset and quit end. */
static PyObject *
py_sleep(PyObject *self, PyObject *args)
{
	double secs;
	struct worker *w = cur;
	int stopped;

	if (!PyArg_ParseTuple(args, "d", &secs))
		return NULL;
	if (secs < 0) {
		PyErr_SetString(PyExc_ValueError,
				"sleep length must be non-negative");
		return NULL;
	}
	if (w == NULL) { /* a thread weft did not make */
		Py_BEGIN_ALLOW_THREADS
		struct timespec ts = { (time_t)secs,
				       (long)((secs - (double)(time_t)secs) *
					      1e9) };
		nanosleep(&ts, NULL);
		Py_END_ALLOW_THREADS
		Py_RETURN_NONE;
	}
	/* main sleeps in slices, looking for Ctrl-C between them: python3's
	 * sleep is cut short by it, with KeyboardInterrupt. */
	int64_t left = (int64_t)(secs * 1000 + 0.5), slice;
	do {
		slice = w->body == main_body && left > 50 ? 50 : left;
		Py_BEGIN_ALLOW_THREADS
		stopped = w->io.sleep(&w->io, slice);
		Py_END_ALLOW_THREADS
		if (stopped) {
			PyErr_SetNone(PyExc_SystemExit);
			return NULL;
		}
		if (take_interrupt(w)) {
			PyErr_SetNone(PyExc_KeyboardInterrupt);
			return NULL;
		}
		left -= slice;
	} while (left > 0);
	Py_RETURN_NONE;
}

static PyObject *py_await_end(PyObject *self, PyObject *args);
static PyObject *py_await_done(PyObject *self, PyObject *args);
static PyObject *py_interrupted(PyObject *self, PyObject *args);

static PyMethodDef weft_methods[] = {
	{ "start_thread", py_start_thread, METH_VARARGS,
	  "run a threading.Thread on a new thread worker" },
	{ "start_task", py_start_task, METH_VARARGS,
	  "run one of weft's tasks on a new worker" },
	{ "join", py_join, METH_VARARGS, "wait for a worker and join it" },
	{ "alive", py_alive, METH_VARARGS, "whether a worker still runs" },
	{ "joined", py_joined, METH_VARARGS, "a thread was joined" },
	{ "failed", py_failed, METH_VARARGS, "the running worker fails" },
	{ "start_process", py_start_process, METH_VARARGS,
	  "fork to run a multiprocessing.Process on a new process worker" },
	{ "exitcode", py_exitcode, METH_VARARGS, "a worker's exit code" },
	{ "pid", py_pid, METH_VARARGS, "a worker's pid" },
	{ "kill", py_kill, METH_VARARGS, "send a worker a signal" },
	{ "sleep", py_sleep, METH_VARARGS, "time.sleep that weft can end" },
	{ "await_end", py_await_end, METH_VARARGS,
	  "under sched step or seed, a join's wait as a step of its own" },
	{ "await_done", py_await_done, METH_NOARGS, "a join is over" },
	{ "interrupted", py_interrupted, METH_NOARGS,
	  "in main, KeyboardInterrupt when Ctrl-C came" },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef weft_module = {
	PyModuleDef_HEAD_INIT, "_weft", "weft's side of Python programs", -1,
	weft_methods, NULL, NULL, NULL, NULL,
};

static PyObject *
init_weft_module(void)
{
	PyObject *m;

	if (PyType_Ready(&out_type) < 0 ||
	    (m = PyModule_Create(&weft_module)) == NULL)
		return NULL;
	Py_INCREF(&out_type);
	if (PyModule_AddObject(m, "Out", (PyObject *)&out_type) < 0) {
		Py_DECREF(&out_type);
		Py_DECREF(m);
		return NULL;
	}
	/* A queue's cells, and the bytes of a word in one. */
	if (PyModule_AddFunctions(m, pyobjects_methods) < 0 ||
	    PyModule_AddIntConstant(m, "QUEUE_MAX", SYNC_QUEUE_MAX) < 0 ||
	    PyModule_AddIntConstant(m, "WORD_MAX", SYNC_WORD_MAX) < 0) {
		Py_DECREF(m);
		return NULL;
	}
	return m;
}

/* Is F running the program's own code (not the library's)? Only there is a
 * worker stopped: a library function keeps its state whole. */
static bool
own_code(PyFrameObject *f)
{
	PyCodeObject *code = PyFrame_GetCode(f);
	const char *name;
	bool own = prog_file != NULL &&
		   PyUnicode_Compare(code->co_filename, prog_file) == 0;

	/* Lines typed at the prompt (pyrun_exec) are the program's too. */
	if (!own && (name = PyUnicode_AsUTF8(code->co_filename)) != NULL)
		own = strncmp(name, PROMPT_FILE, strlen(PROMPT_FILE)) == 0;
	PyErr_Clear();
	Py_DECREF(code);
	return own;
}

/* Calls the shim's FN with ARGS (a tuple, stolen); a new reference, or
 * NULL with no Python error left set. */
static PyObject *
shim_call(const char *fn, PyObject *args)
{
	static PyObject *shim; /* the interpreter's: one for all threads */
	PyObject *f, *r = NULL;

	if (shim == NULL)
		shim = PyImport_ImportModule("_weft_shim");
	f = shim != NULL && args != NULL ? PyObject_GetAttrString(shim, fn)
					 : NULL;
	if (f != NULL)
		r = PyObject_CallObject(f, args);
	Py_XDECREF(f);
	Py_XDECREF(args);
	if (r == NULL)
		PyErr_Clear();
	return r;
}

/* Sets the text of W's step from the str TEXT (a new reference, or NULL:
 * FALLBACK), with SUFFIX after it. */
static void
set_step_text(struct worker *w, PyObject *text, const char *fallback,
	      const char *suffix)
{
	const char *t = text != NULL && PyUnicode_Check(text)
				? PyUnicode_AsUTF8(text)
				: NULL;
	char line[512];

	if (t == NULL) {
		PyErr_Clear();
		t = fallback;
	}
	snprintf(line, sizeof line, "%s%s", t, suffix);
	worker_step_text(w, line, strlen(line));
	Py_XDECREF(text);
}

/* Completes the text of W's step under way with the value it stored
 * (bytecode), before the step ends (worker_step_try, worker_step_none). */
static void
finish_step(struct worker *w, struct pyw *p)
{
	if (p->store != NULL && worker_step_wanted(w)) {
		PyObject *v = shim_call("stored", Py_BuildValue("(OO)",
								p->op_frame,
								p->store));
		const char *t = v != NULL && PyUnicode_Check(v)
					? PyUnicode_AsUTF8(v)
					: NULL;
		if (t != NULL)
			buf_puts(&w->step_text, t);
		PyErr_Clear();
		Py_XDECREF(v);
	}
	Py_CLEAR(p->store);
	Py_CLEAR(p->op_frame);
}

/* Waits at W's gate for its next step, the line LINE, which the
 * scheduler grants only when it would not wait: once the worker of id
 * JOIN - 1 has ended (0: none), while LOCK is free (-1: none), when SOP
 * on object OBJ (-1: none) would not wait. The GIL is let go while it
 * waits. Returns false, SystemExit raised, when W is asked to stop. */
static bool
next_step(struct worker *w, int line, uint32_t join, int lock, int obj,
	  enum sync_op sop)
{
	enum gate_result g = worker_step_try(w, line, join, lock, obj, sop);

	if (g == GATE_WAIT) {
		Py_BEGIN_ALLOW_THREADS
		g = worker_step_wait(w);
		Py_END_ALLOW_THREADS
	}
	if (g != GATE_CANCEL)
		return true;
	PyErr_SetNone(PyExc_SystemExit);
	return false;
}

/* Makes F report each bytecode instruction to the trace function. */
static void
trace_opcodes(PyFrameObject *f)
{
	if (PyObject_SetAttrString((PyObject *)f, "f_trace_opcodes", Py_True) <
	    0)
		PyErr_Clear();
}

/* Asked to stop (kill, reset, quit; Ctrl-C for main), a Python worker
 * leaves at its next step, but a loop within one line ("while True:
 * pass") reaches none: no line event comes from it. From now on the
 * frames of the program's own code that P (NULL: main's) runs report
 * each instruction, so that it leaves at the next one; the library's
 * code still runs whole. On weft's main thread. */
static void
nudge(struct pyw *p)
{
	PyGILState_STATE g;
	PyFrameObject *f, *back;

	if (main_ts == NULL)
		return;
	g = PyGILState_Ensure();
	if (p == NULL)
		p = main_pyw;
	f = p != NULL && p->ts != NULL ? PyThreadState_GetFrame(p->ts) : NULL;
	for (; f != NULL; f = back) {
		if (own_code(f))
			trace_opcodes(f);
		back = PyFrame_GetBack(f);
		Py_DECREF(f);
	}
	PyGILState_Release(g);
}

/* A thread worker's body_cancel. */
static void
nudge_worker(struct worker *w)
{
	nudge(w->body_arg);
}

/* "f_trace_lines", kept: set on every frame of the library's code. */
static PyObject *trace_lines_name;

/* F runs the library's code, where on_trace takes no step: no line events
 * for it, so that a Thread's start and join (some 50 calls and 230 lines
 * of threading's own code) do not call on_trace at each line only to be
 * told to go on. Its calls and returns still come. */
static void
lines_off(PyFrameObject *f)
{
	if (trace_lines_name == NULL)
		trace_lines_name = PyUnicode_InternFromString("f_trace_lines");
	if (trace_lines_name == NULL ||
	    PyObject_SetAttr((PyObject *)f, trace_lines_name, Py_False) < 0)
		PyErr_Clear();
}

/* The trace function of each Python worker. Each line of the program's
 * own code (each bytecode instruction, under sched unit bytecode) is a
 * step: the worker passes its gate before it, so that sched step and
 * sched seed grant it, and reports it with its text. Before a step, a
 * worker asked to stop (kill, reset, quit) leaves, by SystemExit, which
 * ends a thread quietly; and main, after Ctrl-C, gets KeyboardInterrupt.
 * The library's code is never stopped in: it keeps its state whole. */
static int
on_trace(PyObject *obj, PyFrameObject *f, int what, PyObject *arg)
{
	struct worker *w = cur;
	struct pyw *p;
	PyObject *op = NULL;
	bool bytecode;

	if (w == NULL || w->body_arg == NULL)
		return 0;
	p = w->body_arg;
	switch (what) {
	case PyTrace_CALL:
		if (own_code(f)) {
			p->depth++;
			if (atomic_load(&w->shm->py_unit))
				trace_opcodes(f);
		} else {
			lines_off(f);
		}
		return 0;
	case PyTrace_RETURN:
		if (p->depth > 0 && own_code(f) && --p->depth == 0) {
			finish_step(w, p);
			worker_step_none(w);
		}
		return 0;
	case PyTrace_LINE:
	case PyTrace_OPCODE: break;
	default: return 0;
	}
	if (!own_code(f))
		return 0;
	if (atomic_load(&w->cancel)) {
		PyErr_SetNone(PyExc_SystemExit);
		return -1;
	}
	if (take_interrupt(w)) {
		PyErr_SetNone(PyExc_KeyboardInterrupt);
		return -1;
	}
	bytecode = atomic_load(&w->shm->py_unit);
	if (bytecode && what == PyTrace_LINE) {
		trace_opcodes(f); /* a frame begun before the unit changed */
		return 0;
	}
	if (!bytecode && what == PyTrace_OPCODE)
		return 0;
	if (bytecode) {
		op = shim_call("step_op", Py_BuildValue("(O)", f));
		if (op == NULL || !PyTuple_Check(op) || PyTuple_Size(op) != 2) {
			Py_XDECREF(op);
			return 0; /* CPython's housekeeping: no step */
		}
	}
	finish_step(w, p);
	if (!next_step(w, PyFrame_GetLineNumber(f), 0, -1, -1, SOP_SIGNAL)) {
		Py_XDECREF(op);
		return -1;
	}
	if (worker_step_wanted(w) && op != NULL) {
		/* The value a load shows is read now that the step is
		 * granted: another worker may have stored while this one
		 * waited at its gate. */
		PyObject *now = shim_call("step_op", Py_BuildValue("(O)", f));
		if (now != NULL && PyTuple_Check(now) &&
		    PyTuple_Size(now) == 2) {
			Py_DECREF(op);
			op = now;
		} else {
			Py_XDECREF(now);
		}
		PyObject *text = PyTuple_GetItem(op, 0), *store;
		Py_INCREF(text);
		set_step_text(w, text, "?", "");
		store = PyTuple_GetItem(op, 1);
		if (store != Py_None) {
			Py_INCREF(store);
			p->store = store;
			Py_INCREF(f);
			p->op_frame = (PyObject *)f;
		}
	} else if (worker_step_wanted(w)) {
		set_step_text(w, shim_call("step_line",
					   Py_BuildValue("(O)", f)),
			      "?", "");
	}
	Py_XDECREF(op);
	return 0;
}

/* The innermost frame of the program's own code this thread runs, a new
 * reference; NULL when none. */
static PyFrameObject *own_frame(void);

/* A call that may wait, as a step of its own (pyrun-int.h). */
int
pyrun_wait_step(struct worker *w, uint32_t join, int lock, int obj,
		enum sync_op sop, const char *note)
{
	PyFrameObject *f;
	bool ok;

	if (!atomic_load(&w->shm->gates[w->slot].held) ||
	    w->body_arg == NULL || (f = own_frame()) == NULL)
		return 0;
	finish_step(w, w->body_arg);
	ok = next_step(w, PyFrame_GetLineNumber(f), join, lock, obj, sop);
	if (ok && worker_step_wanted(w))
		set_step_text(w, shim_call("step_line", Py_BuildValue("(O)", f)),
			      "?", note);
	Py_DECREF(f);
	return ok ? 1 : -1;
}

/* The innermost frame of the program's own code this thread runs, a new
 * reference; NULL when none. */
static PyFrameObject *
own_frame(void)
{
	PyFrameObject *f = PyEval_GetFrame();

	Py_XINCREF(f);
	while (f != NULL && !own_code(f)) {
		PyFrameObject *back = PyFrame_GetBack(f);
		Py_DECREF(f);
		f = back;
	}
	return f;
}

/* _weft.interrupted(): in main, KeyboardInterrupt when Ctrl-C came (a
 * join that waits in Python looks now and then, as python3's join is cut
 * short by it). */
static PyObject *
py_interrupted(PyObject *self, PyObject *args)
{
	struct worker *w = pyrun_current();

	if (w == NULL)
		return NULL;
	if (take_interrupt(w)) {
		PyErr_SetNone(PyExc_KeyboardInterrupt);
		return NULL;
	}
	Py_RETURN_NONE;
}

/* _weft.await_done(): the join await_end announced is over. */
static PyObject *
py_await_done(PyObject *self, PyObject *args)
{
	struct worker *w = pyrun_current();

	if (w == NULL)
		return NULL;
	if (!atomic_load(&w->shm->gates[w->slot].held))
		worker_joining(w, 0);
	Py_RETURN_NONE;
}

/* _weft.await_end(id, what): before a join of worker ID blocks, under
 * sched step or seed: the step of its line ends, and the join is a step of
 * its own, granted once ID has ended, so that the scheduler sees the
 * worker blocked, not running. WHAT: the step's note ("t1 has ended"). */
static PyObject *
py_await_end(PyObject *self, PyObject *args)
{
	unsigned long id;
	const char *what;
	struct worker *w = pyrun_current();
	char note[128];

	if (w == NULL || !PyArg_ParseTuple(args, "ks", &id, &what))
		return NULL;
	snprintf(note, sizeof note, "   (%s)", what);
	switch (pyrun_wait_step(w, (uint32_t)id + 1, -1, -1, SOP_SIGNAL, note)) {
	case -1: return NULL;
	case 0: /* running freely: the join waits in Python, and says so,
		 * for the deadlock check (await_done clears it) */
		worker_joining(w, (uint32_t)id + 1);
		break;
	default: break;
	}
	Py_RETURN_NONE;
}

/* The body of a thread worker: the Thread's bootstrap, which runs its
 * run() and hands an exception to threading.excepthook (_hook above). */
static int
thread_body(struct worker *w, char *fail, size_t len)
{
	struct pyw *p = w->body_arg;
	PyGILState_STATE g = PyGILState_Ensure();
	PyObject *r;

	cur = w;
	pthread_mutex_lock(&ident_mu);
	if (nidents == idents_cap) {
		idents_cap = idents_cap ? 2 * idents_cap : 16;
		idents = xrealloc(idents, idents_cap * sizeof *idents);
	}
	idents[nidents++] =
		(struct ident_map){ PyThread_get_thread_ident(), w->id };
	pthread_mutex_unlock(&ident_mu);
	if (p->thread == NULL && p->func != NULL &&
	    !make_spawned(w, p, "thread")) {
		cur = NULL;
		PyGILState_Release(g);
		snprintf(fail, len, "%s", p->fail);
		return -1;
	}
	p->ts = PyThreadState_Get();
	PyEval_SetTrace(on_trace, NULL);
	r = PyObject_CallMethod(p->thread, "_bootstrap_inner", NULL);
	if (r == NULL)
		PyErr_Clear();
	Py_XDECREF(r);
	PyEval_SetTrace(NULL, NULL);
	p->ts = NULL;
	send_lines(w, p, true);
	Py_CLEAR(p->thread);
	cur = NULL;
	/* This thread's state goes: Python's join of it returns. */
	PyGILState_Release(g);
	if (p->failed) {
		snprintf(fail, len, "%s", p->fail);
		return -1;
	}
	return 0;
}

/* Python's traceback of the exception being handled, as text; clears it. */
static char *
format_exception(char *what, size_t len)
{
	PyObject *type, *value, *tb, *mod, *lines = NULL, *text = NULL;
	char *out = NULL;

	PyErr_Fetch(&type, &value, &tb);
	PyErr_NormalizeException(&type, &value, &tb);
	if (tb != NULL && value != NULL)
		PyException_SetTraceback(value, tb);
	snprintf(what, len, "%s", type ? ((PyTypeObject *)type)->tp_name : "?");
	/* What the worker's failed line says: as a thread's (_what). */
	mod = PyImport_ImportModule("_weft_shim");
	text = mod != NULL ? PyObject_CallMethod(mod, "_what", "OOO",
						 type ? type : Py_None,
						 value ? value : Py_None,
						 tb ? tb : Py_None)
			   : NULL;
	if (text != NULL && PyUnicode_AsUTF8(text) != NULL)
		snprintf(what, len, "%s", PyUnicode_AsUTF8(text));
	PyErr_Clear();
	Py_CLEAR(text);
	Py_CLEAR(mod);
	mod = PyImport_ImportModule("traceback");
	if (mod != NULL)
		lines = PyObject_CallMethod(mod, "format_exception", "OOO",
					    type ? type : Py_None,
					    value ? value : Py_None,
					    tb ? tb : Py_None);
	if (lines != NULL) {
		PyObject *sep = PyUnicode_FromString("");
		text = sep != NULL ? PyUnicode_Join(sep, lines) : NULL;
		Py_XDECREF(sep);
	}
	if (text != NULL && PyUnicode_AsUTF8(text) != NULL)
		out = xstrdup(PyUnicode_AsUTF8(text));
	PyErr_Clear();
	Py_XDECREF(text);
	Py_XDECREF(lines);
	Py_XDECREF(mod);
	Py_XDECREF(type);
	Py_XDECREF(value);
	Py_XDECREF(tb);
	return out;
}

/* The exit code of the SystemExit being handled (sys.exit(N)); clears
 * it. */
static int
exit_code(void)
{
	PyObject *type, *value, *tb, *code;
	int rc = 1;

	PyErr_Fetch(&type, &value, &tb);
	PyErr_NormalizeException(&type, &value, &tb);
	code = value != NULL ? PyObject_GetAttrString(value, "code") : NULL;
	if (code == NULL || code == Py_None)
		rc = 0;
	else if (PyLong_Check(code))
		rc = (int)PyLong_AsLong(code) & 0xff;
	PyErr_Clear();
	Py_XDECREF(code);
	Py_XDECREF(type);
	Py_XDECREF(value);
	Py_XDECREF(tb);
	return rc;
}

/* The body of the worker main: the program's top-level code. */
static int
main_body(struct worker *w, char *fail, size_t len)
{
	struct pyw *p = w->body_arg;
	PyGILState_STATE g = PyGILState_Ensure();
	PyObject *globals = PyModule_GetDict(PyImport_AddModule("__main__"));
	PyObject *r;
	int code = 0;

	cur = w;
	p->ts = PyThreadState_Get();
	main_pyw = p;
	PyEval_SetTrace(on_trace, NULL);
	r = PyEval_EvalCode(p->code, globals, globals);
	if (r == NULL && PyErr_ExceptionMatches(PyExc_SystemExit)) {
		code = exit_code();
	} else if (r == NULL) {
		char *tb = format_exception(fail, len);
		pthread_mutex_lock(&tb_mu);
		free(traceback_text);
		traceback_text = tb;
		pthread_mutex_unlock(&tb_mu);
		code = -1;
	}
	Py_XDECREF(r);
	PyEval_SetTrace(NULL, NULL);
	p->ts = NULL;
	main_pyw = NULL;
	send_lines(w, p, true);
	Py_CLEAR(p->code);
	cur = NULL;
	PyGILState_Release(g);
	return code;
}

/* The body of a process worker, in the child weft forked with Python's
 * fork protocol (around_fork): the Process's run(). */
static int
process_body(struct worker *w, char *fail, size_t len)
{
	struct pyw *p = w->body_arg;
	PyObject *shim, *r;
	int code = 1;

	PyOS_AfterFork_Child(); /* this thread held the GIL at the fork */
	cur = w;
	if (p->thread == NULL && p->func != NULL &&
	    !make_spawned(w, p, "process")) {
		snprintf(fail, len, "%s", p->fail);
		return -1;
	}
	PyEval_SetTrace(on_trace, NULL);
	shim = PyImport_ImportModule("_weft_shim");
	r = shim != NULL ? PyObject_CallMethod(shim, "process_main", "O",
					       p->thread)
			 : NULL;
	if (r != NULL && PyLong_Check(r))
		code = (int)PyLong_AsLong(r);
	PyErr_Clear();
	Py_XDECREF(r);
	Py_XDECREF(shim);
	PyEval_SetTrace(NULL, NULL);
	send_lines(w, p, true);
	if (p->failed) {
		snprintf(fail, len, "%s", p->fail);
		return -1;
	}
	return code < 0 ? 1 : code & 0xff;
}

/* Python's fork protocol around weft's fork of a process worker, on the
 * main loop's thread: the GIL held across it, as os.fork does. */
static PyGILState_STATE fork_gil;

static void
around_fork(bool before)
{
	if (before) {
		fork_gil = PyGILState_Ensure();
		PyOS_BeforeFork();
	} else {
		PyOS_AfterFork_Parent();
		PyGILState_Release(fork_gil);
	}
}

static void
free_pyw(void *arg)
{
	struct pyw *p = arg;

	for (int i = 0; i < p->argc; i++)
		free(p->argv[i]);
	free(p->argv);
	free(p->func);
	buf_free(&p->line);
	free(p);
}

/* A spawned worker (pyrun_spawn), as it starts: its Thread or Process,
 * made now by the shim, in P->thread; false (P failed, why in P->fail)
 * when it cannot be made. */
static bool
make_spawned(struct worker *w, struct pyw *p, const char *kind)
{
	PyObject *args = PyTuple_New(p->argc), *shim, *type, *value, *tb;
	PyObject *text = NULL;

	for (int i = 0; args != NULL && i < p->argc; i++)
		PyTuple_SET_ITEM(args, i, PyUnicode_FromString(p->argv[i]));
	/* Not shim_call, whose error is lost, nor an import: in a child,
	 * an import could wait for ever for a lock another thread held at
	 * the fork (the module is there already: borrowed). */
	shim = PyImport_AddModule("_weft_shim");
	p->thread = shim != NULL && args != NULL
			    ? PyObject_CallMethod(shim, "spawned", "sssO", kind,
						  p->func, w->name, args)
			    : NULL;
	Py_XDECREF(args);
	if (p->thread != NULL)
		return true;
	/* Its failure in one line, as a thread's (_what). */
	PyErr_Fetch(&type, &value, &tb);
	PyErr_NormalizeException(&type, &value, &tb);
	if (shim != NULL && type != NULL)
		text = PyObject_CallMethod(shim, "_what", "OOO", type,
					   value ? value : Py_None,
					   tb ? tb : Py_None);
	snprintf(p->fail, sizeof p->fail, "%s",
		 text != NULL && PyUnicode_AsUTF8(text) != NULL
			 ? PyUnicode_AsUTF8(text)
			 : "it could not be started");
	PyErr_Clear();
	Py_XDECREF(text);
	Py_XDECREF(type);
	Py_XDECREF(value);
	Py_XDECREF(tb);
	p->failed = true;
	return false;
}

/* The main loop's side */

/* A worker name made of NAME: its letters, digits and _ (others become
 * _), led by a letter or _, and not yet taken in S (then _2, _3...). */
static void
free_name(struct session *s, const char *name, char *out, size_t len)
{
	char base[WORKER_NAME_MAX - 5];
	size_t n = 0;

	for (const char *c = name; *c != '\0' && n + 1 < sizeof base; c++) {
		bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			  *c == '_' || (n > 0 && *c >= '0' && *c <= '9');
		if (!ok && n > 0 && base[n - 1] == '_')
			continue;
		base[n++] = ok ? *c : '_';
	}
	while (n > 1 && base[n - 1] == '_')
		n--;
	if (n == 0)
		base[n++] = 't';
	base[n] = '\0';
	registry_free_name(&s->reg, base, out, len);
}

/* The empty task every Python worker has: it binds nothing. */
static struct task *
python_task(void)
{
	if (py_task == NULL) {
		static const char text[] = "task python() { }";
		struct parse_error perr;
		size_t used;
		struct task_def *def =
			parse_task(text, sizeof text - 1, &used, &perr);
		if (def == NULL)
			abort(); /* the text above is a task */
		py_task = xcalloc(1, sizeof *py_task);
		py_task->def = def;
		py_task->prog = program_compile(def);
		task_hold(py_task); /* never freed by its workers */
	}
	return py_task;
}

/* A worker that never started: its start failed. */
static int
not_started(struct worker *w, char *fail, size_t len)
{
	snprintf(fail, len, "its Python thread could not start");
	return -1;
}

/* Makes worker NAME of KIND, new, running BODY (NULL: TASK with ARGC
 * words of ARGV). Returns it, or NULL with why in ERR. */
static struct worker *
new_worker(struct session *s, const char *name, enum worker_kind kind,
	   struct task *task, int argc, char **argv,
	   int (*body)(struct worker *, char *, size_t), struct pyw *p,
	   char *err, size_t len)
{
	struct value args[AST_MAX_PARAMS];
	struct worker *w;

	if (task_bind(task, argc, argv, args, err, len) < 0)
		return NULL;
	w = registry_add(&s->reg, name, kind, task, argv, args);
	if (w == NULL) {
		snprintf(err, len, "cannot make '%s': at most %d workers",
			 name, WORKER_MAX);
		return NULL;
	}
	w->body = body;
	w->body_arg = p;
	w->body_free = p != NULL ? free_pyw : NULL;
	if (p != NULL && kind == WORKER_THREAD)
		w->body_cancel = nudge_worker;
	if (body != NULL && kind == WORKER_PROCESS) {
		w->be = &process_fork_backend;
		w->around_fork = around_fork;
	}
	return w;
}

/* Makes and starts worker NAME of KIND, as new_worker makes it. */
static struct worker *
make_worker(struct session *s, const char *name, enum worker_kind kind,
	    struct task *task, int argc, char **argv,
	    int (*body)(struct worker *, char *, size_t), struct pyw *p,
	    char *err, size_t len)
{
	struct worker *w = new_worker(s, name, kind, task, argc, argv, body,
				      p, err, len);
	int rc;

	if (w == NULL)
		return NULL;
	/* Lines typed at the prompt run at once, in every mode: the learner
	 * steps the workers they start, not the typing itself. */
	if (starting_quiet) {
		w->quiet = true;
		w->hold_over = HOLD_RUNS;
	}
	if ((rc = session_start(s, w, err, len)) < 0) {
		if (body != NULL)
			w->body = not_started;
		return NULL;
	}
	/* A process the spawner forks stays new until its pid is known
	 * (settle_start). */
	if (rc == 0)
		worker_set_state(w, WS_RUNNING);
	return w;
}

/* The start of process W, under way: 1 still, 0 it runs, -1 it failed
 * (why in ERR; W stays new). */
static int
settle_start(struct session *s, struct worker *w, char *err, size_t len)
{
	int rc = w->be->settle(w, s->shutting_down, err, len);

	if (rc == 0) {
		worker_set_state(w, WS_RUNNING);
		session_poll_workers(s, true); /* it may have ended already */
	} else if (rc < 0) {
		session_detach(s, w);
		session_unprepare(w);
	}
	return rc;
}

/* A name for an object or shared variable the program makes, after the
 * variable ASKED (FALLBACK when it is no name of weft's), in NAME: ASKED,
 * else ASKED_2, ASKED_3... when a lock, object or variable has it.
 * Returns 0, or -1 with why in ERR. */
static int
free_object_name(struct session *s, const char *asked, const char *fallback,
	  char name[SHM_LOCK_NAME], char *err, size_t len)
{
	char base[SHM_LOCK_NAME - 6];

	snprintf(base, sizeof base, "%.*s", (int)sizeof base - 1,
		 lock_name_valid(asked) ? asked : fallback);
	for (int k = 1; k < 10000; k++) {
		if (k == 1)
			snprintf(name, SHM_LOCK_NAME, "%s", base);
		else
			snprintf(name, SHM_LOCK_NAME, "%s_%d", base, k);
		if (sync_find(s->shm, name) < 0 &&
		    locks_find(&s->locks, name) < 0 &&
		    vars_find(&s->vars, name) < 0)
			return 0;
	}
	snprintf(err, len, "no name left for '%s'", base);
	return -1;
}

/* Serves R; false when it must wait (a worker not ended yet). */
static bool
serve_one(struct session *s, struct req *r)
{
	struct worker *w = NULL;
	struct task *t;

	switch (r->kind) {
	case REQ_THREAD: {
		char name[WORKER_NAME_MAX + 1];
		struct pyw *p = xcalloc(1, sizeof *p);
		free_name(s, r->name, name, sizeof name);
		p->thread = r->thread;
		p->daemon = r->daemon;
		w = make_worker(s, name, WORKER_THREAD, python_task(), 0, NULL,
				thread_body, p, r->err, sizeof r->err);
		if (w == NULL)
			p->thread = NULL; /* still the asker's */
		snprintf(r->name, sizeof r->name, "%s", name);
		break;
	}
	case REQ_PROCESS: {
		char name[WORKER_NAME_MAX + 1];
		struct pyw *p = xcalloc(1, sizeof *p);
		free_name(s, r->name, name, sizeof name);
		p->thread = r->thread; /* the child's copy; not the parent's */
		p->daemon = r->daemon;
		w = make_worker(s, name, WORKER_PROCESS, python_task(), 0,
				NULL, process_body, p, r->err, sizeof r->err);
		p->thread = NULL;
		if (w != NULL)
			r->pid = w->pid;
		snprintf(r->name, sizeof r->name, "%s", name);
		break;
	}
	case REQ_EXITCODE:
		w = registry_by_id(&s->reg, r->id);
		r->pid = w != NULL && w->kind == WORKER_PROCESS ? w->pid : 0;
		r->status = 0;
		if (w != NULL && (worker_ended(w) || w->state == WS_JOINED)) {
			r->status = 1;
			r->code = w->signal != 0      ? -w->signal
				  : w->fail != NULL   ? 1
				  : w->cancelled      ? -15
						      : w->exit_code;
		}
		return true;
	case REQ_KILL:
		w = registry_by_id(&s->reg, r->id);
		if (w != NULL && w->state == WS_RUNNING)
			w->be->kill(w, r->sig, r->err, sizeof r->err);
		r->status = 0;
		return true;
	case REQ_TASK: {
		char name[WORKER_NAME_MAX + 1];
		if (r->id != 0) { /* a process, under way */
			w = registry_by_id(&s->reg, r->id);
			if (w == NULL || w->state != WS_NEW)
				break;
			int rc = settle_start(s, w, r->err, sizeof r->err);
			if (rc == 1)
				return false;
			if (rc < 0)
				w = NULL;
			break;
		}
		if ((t = tasks_find(&s->tasks, r->task)) == NULL) {
			snprintf(r->err, sizeof r->err, "no task '%s'",
				 r->task);
			break;
		}
		free_name(s, r->name, name, sizeof name);
		w = make_worker(s, name, r->wkind, t, r->argc, r->argv, NULL,
				NULL, r->err, sizeof r->err);
		if (w != NULL && w->state == WS_NEW) {
			r->id = w->id;
			return false; /* settled as the loop goes round */
		}
		break;
	}
	case REQ_SYNC: {
		char name[SHM_LOCK_NAME];
		if (free_object_name(s, r->name, "obj", name, r->err,
			      sizeof r->err) < 0) {
			r->status = -1;
			return true;
		}
		int obj = sync_make(s->shm, name, (enum sync_kind)r->sig, r->n,
				    r->lock, r->err, sizeof r->err);
		r->status = obj < 0 ? -1 : 0;
		r->id = obj < 0 ? 0 : (uint32_t)obj;
		snprintf(r->name, sizeof r->name, "%s", name);
		return true;
	}
	case REQ_VALUE: {
		char name[SHM_LOCK_NAME];
		int v;
		if (free_object_name(s, r->name, "value", name, r->err,
			      sizeof r->err) < 0) {
			r->status = -1;
			return true;
		}
		if ((v = vars_share(&s->vars, name, true, r->n)) < 0) {
			snprintf(r->err, sizeof r->err,
				 "no room for one more shared variable");
			r->status = -1;
			return true;
		}
		r->status = 0;
		r->id = (uint32_t)(s->vars.v[v].cell - s->shm->cells);
		snprintf(r->name, sizeof r->name, "%s", name);
		return true;
	}
	case REQ_ALIVE:
		w = registry_by_id(&s->reg, r->id);
		r->status = w != NULL &&
			    (w->state == WS_RUNNING || w->state == WS_NEW);
		return true;
	case REQ_JOINED:
		pthread_mutex_lock(&ident_mu);
		for (size_t i = nidents; i-- > 0;)
			if (idents[i].ident == r->ident) {
				r->id = idents[i].id;
				idents[i] = idents[--nidents];
				r->kind = REQ_WAIT;
				break;
			}
		pthread_mutex_unlock(&ident_mu);
		if (r->kind != REQ_WAIT)
			return true;
		/* fall through */
	case REQ_WAIT:
		w = registry_by_id(&s->reg, r->id);
		if (w != NULL && (w->state == WS_RUNNING || w->state == WS_NEW))
			return false;
		if (w != NULL && worker_ended(w)) {
			struct event ev = { .h = { .type = EV_JOINED,
						   .worker = w->id } };
			sh_stamp(s, &ev);
			session_reap(s, w);
			tracer_event(s, &ev);
		}
		r->status = 0;
		return true;
	}
	if (w == NULL) {
		r->status = -1;
		return true;
	}
	r->id = w->id;
	r->status = 0;
	return true;
}

/* Serves the requests in the mailbox once; those that must wait go
 * back. Returns whether to look again: one came since the mailbox was
 * taken, or one was served while another waits (serving reads the rings:
 * what the other waits for may have come then). */
static bool
serve_round(struct session *s)
{
	struct req *todo, *keep = NULL, **keep_end = &keep;
	bool fresh, served = false;

	pthread_mutex_lock(&mbox_mu);
	todo = mbox;
	mbox = NULL;
	mbox_end = &mbox;
	mbox_fresh = false;
	pthread_mutex_unlock(&mbox_mu);
	while (todo != NULL) {
		struct req *r = todo;
		todo = r->next;
		if (!s->shutting_down && !serve_one(s, r)) {
			r->next = NULL;
			*keep_end = r;
			keep_end = &r->next;
			continue;
		}
		if (s->shutting_down && !r->done) {
			r->status = -1;
			snprintf(r->err, sizeof r->err, "weft is ending");
		}
		served = true;
		pthread_mutex_lock(&mbox_mu);
		r->done = true;
		if (r->orphan)
			pyrun_free_req(r);
		pthread_mutex_unlock(&mbox_mu);
	}
	pthread_mutex_lock(&mbox_mu);
	/* Those that wait go back, before any that came meanwhile. */
	if (keep != NULL) {
		*keep_end = mbox;
		if (mbox == NULL)
			mbox_end = keep_end;
		mbox = keep;
	}
	fresh = mbox_fresh || (served && keep != NULL);
	pthread_cond_broadcast(&mbox_cv);
	pthread_mutex_unlock(&mbox_mu);
	return fresh;
}

/* Python's traceback of main's exception, line by line to stderr as
 * python3 prints it, once main's end has been told. */
static void
tell_traceback(struct session *s)
{
	/* By id: reset may have forgotten main. */
	struct worker *w = registry_by_id(&s->reg, main_id);
	char *tb;

	if (w != NULL && (w->state == WS_RUNNING || w->state == WS_NEW))
		return;
	pthread_mutex_lock(&tb_mu);
	tb = traceback_text;
	traceback_text = NULL;
	pthread_mutex_unlock(&tb_mu);
	for (char *line = tb; line != NULL && *line != '\0';) {
		char *nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		sh_error_text(s, line);
		line = nl != NULL ? nl + 1 : NULL;
	}
	free(tb);
}

/* Is W a worker of a Python program, running? */
static bool
python_running(const struct worker *w)
{
	return w->state == WS_RUNNING &&
	       (w->body == thread_body || w->body == process_body ||
		w->body == main_body);
}

/* As python3 leaves: once main and every worker of the program that is
 * not a daemon have ended, the daemons are stopped (a thread at its next
 * line, a process by its signal). */
static void
stop_daemons(struct session *s)
{
	size_t daemons = 0;

	if (at_prompt) /* python3's prompt lets them run on too */
		return;

	for (size_t i = 0; i < s->reg.n; i++) {
		struct worker *w = s->reg.v[i];
		if (!python_running(w))
			continue;
		if (w->body == main_body || !((struct pyw *)w->body_arg)->daemon)
			return;
		daemons++;
	}
	for (size_t i = 0; daemons > 0 && i < s->reg.n; i++) {
		struct worker *w = s->reg.v[i];
		if (python_running(w) && !atomic_load(&w->cancel))
			w->be->stop(w);
	}
}

/* The session's serve hook: answers what the mailbox holds, and what
 * comes while it does. */
static void
pyrun_serve(struct session *s)
{
	tell_traceback(s);
	stop_daemons(s);
	while (serve_round(s))
		;
}

/* The session's end: Python ends too, once no worker of it runs. */
static void
pyrun_end(struct session *s)
{
	bool running = false;

	pthread_mutex_lock(&mbox_mu);
	mbox_closed = true;
	for (struct req *r = mbox; r != NULL;) {
		struct req *next = r->next;
		r->status = -1;
		snprintf(r->err, sizeof r->err, "weft is ending");
		r->done = true;
		if (r->orphan)
			pyrun_free_req(r);
		r = next;
	}
	mbox = NULL;
	mbox_end = &mbox;
	pthread_cond_broadcast(&mbox_cv);
	pthread_mutex_unlock(&mbox_mu);
	for (size_t i = 0; i < s->reg.n; i++)
		running |= s->reg.v[i]->state == WS_RUNNING &&
			   s->reg.v[i]->body != NULL;
	if (main_ts == NULL || running)
		return; /* a worker that would not stop still needs it */
	PyEval_RestoreThread(main_ts);
	main_ts = NULL;
	Py_CLEAR(prog_file);
	Py_CLEAR(trace_lines_name);
	ev_set_wait_hooks(NULL, NULL);
	Py_FinalizeEx();
	free(traceback_text);
	traceback_text = NULL;
	free(idents);
	idents = NULL;
	nidents = idents_cap = 0;
}

/* A worker that waits for room in its event ring lets the GIL go while it
 * waits, if it holds it: weft's main loop, which makes that room, may be
 * waiting for the GIL to ask Python about a line (ev_set_wait_hooks). */
static void *
gil_leave(void)
{
	return Py_IsInitialized() && PyGILState_Check() ? PyEval_SaveThread()
							 : NULL;
}

static void
gil_back(void *ts)
{
	if (ts != NULL)
		PyEval_RestoreThread(ts);
}

/* CPython's arenas. Besides pymalloc's (1 MiB each), each Python thread
 * maps a small one for its frames when it begins (16 KiB) and unmaps it as
 * it ends: an munmap whose TLB flush interrupts every CPU that runs one of
 * weft's other threads, some 10% of a threading.Thread's start and join.
 * The small ones freed are kept here, a few, for the next threads. Slots
 * are taken and filled by atomic exchange (a thread's state may be deleted
 * without the GIL, and a fork must find no lock held); a kept block's first
 * word is its size, as CPython's arena API gives the size only to free. */
#define ARENA_KEEP 8		 /* blocks kept at most */
#define ARENA_KEEP_MAX (64 * 1024) /* bytes in the largest kept */
static _Atomic(void *) arena_kept[ARENA_KEEP];

static void *
arena_alloc(void *ctx, size_t size)
{
	void *p;

	for (int i = 0; size <= ARENA_KEEP_MAX && i < ARENA_KEEP; i++) {
		if (atomic_load_explicit(&arena_kept[i], memory_order_relaxed) ==
			    NULL ||
		    (p = atomic_exchange(&arena_kept[i], NULL)) == NULL)
			continue;
		if (*(size_t *)p == size)
			return p;
		/* Another size: back, or gone if the slot was filled since. */
		void *none = NULL;
		if (!atomic_compare_exchange_strong(&arena_kept[i], &none, p))
			munmap(p, *(size_t *)p);
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void
arena_free(void *ctx, void *p, size_t size)
{
	if (size <= ARENA_KEEP_MAX && size >= sizeof(size_t)) {
		*(size_t *)p = size;
		for (int i = 0; i < ARENA_KEEP; i++) {
			void *none = NULL;
			if (atomic_compare_exchange_strong(&arena_kept[i], &none,
							   p))
				return;
		}
	}
	munmap(p, size);
}

/* Makes the interpreter, with ARGC words of ARGV as sys.argv. Returns 0,
 * or -1 with why in ERR. */
static int
init_python(struct session *s, int argc, char **argv, char *err, size_t len)
{
	PyConfig config;
	PyStatus st;
	PyObject *shim;

	if (PyImport_AppendInittab("_weft", init_weft_module) < 0) {
		snprintf(err, len, "cannot add weft's module to Python");
		return -1;
	}
	PyObjectArenaAllocator arenas = { NULL, arena_alloc, arena_free };
	PyObject_SetArenaAllocator(&arenas);
	PyConfig_InitPythonConfig(&config);
	config.install_signal_handlers = 0; /* weft keeps its signals */
	config.parse_argv = 0;
	st = PyConfig_SetBytesArgv(&config, argc, argv);
	if (!PyStatus_Exception(st))
		st = Py_InitializeFromConfig(&config);
	PyConfig_Clear(&config);
	if (PyStatus_Exception(st)) {
		snprintf(err, len, "cannot start Python: %s",
			 st.err_msg ? st.err_msg : "?");
		return -1;
	}
	/* Compiled at build time by a Python of the same bytecode, or
	 * now (some 20 ms: a third of an empty program's start). */
	bool built = SHIM_MAGIC != 0 && PyImport_GetMagicNumber() == SHIM_MAGIC;
	shim = built ? PyMarshal_ReadObjectFromString((const char *)SHIM_CODE,
						      sizeof SHIM_CODE)
		     : NULL;
	if (shim == NULL || !PyCode_Check(shim)) {
		PyErr_Clear();
		Py_XDECREF(shim);
		built = false;
		shim = Py_CompileString(SHIM, "<weft>", Py_file_input);
	}
	PyObject *mod = shim ? PyImport_ExecCodeModule("_weft_shim", shim)
			     : NULL;
	Py_XDECREF(shim);
	if (mod == NULL) {
		PyErr_Print();
		snprintf(err, len, "cannot ready Python's threading for weft");
		Py_FinalizeEx();
		return -1;
	}
	/* Whether the shim came compiled (tests look). */
	if (PyObject_SetAttrString(mod, "precompiled",
				   built ? Py_True : Py_False) < 0)
		PyErr_Clear();
	Py_DECREF(mod);
	s->serve = pyrun_serve;
	s->serve_end = pyrun_end;
	serving_pid = getpid();
	forked_child = false;
	if (!atfork_set)
		atfork_set = pthread_atfork(NULL, NULL, note_forked_child) == 0;
	ev_set_wait_hooks(gil_leave, gil_back);
	main_ts = PyEval_SaveThread();
	return 0;
}

/* Makes each of S's tasks a name of Python's builtins (a Task), unless
 * a builtin has it: `threading.Thread(target=print_numbers)`. */
static void
offer_tasks(struct session *s)
{
	PyObject *shim = PyImport_ImportModule("_weft_shim");
	PyObject *builtins = PyImport_ImportModule("builtins");
	PyObject *task = shim ? PyObject_GetAttrString(shim, "Task") : NULL;

	for (size_t i = 0; task && builtins && i < s->tasks.n; i++) {
		const char *name = s->tasks.v[i]->def->name;
		PyObject *have = PyObject_GetAttrString(builtins, name);
		if (have != NULL && PyObject_IsInstance(have, task) == 0)
			Py_DECREF(have); /* Python's own: kept */
		else {
			PyObject *t;
			Py_XDECREF(have);
			PyErr_Clear();
			t = PyObject_CallMethod(shim, "Task", "s", name);
			if (t != NULL)
				PyObject_SetAttrString(builtins, name, t);
			Py_XDECREF(t);
		}
	}
	PyErr_Clear();
	Py_XDECREF(task);
	Py_XDECREF(shim);
	Py_XDECREF(builtins);
}

/* Reads PATH whole into a string to free, or NULL with why in ERR. */
static char *
read_source(const char *path, char *err, size_t len)
{
	FILE *f = fopen(path, "r");
	struct buf b = { 0 };
	char chunk[8192];
	size_t n;

	if (f == NULL) {
		snprintf(err, len, "cannot open '%s': %s", path,
			 strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f)) {
		snprintf(err, len, "cannot read '%s': %s", path,
			 strerror(errno));
		fclose(f);
		buf_free(&b);
		return NULL;
	}
	fclose(f);
	buf_add(&b, "", 0);
	return b.data != NULL ? b.data : xstrdup("");
}

/* The syntax error being handled as "PATH:LINE:COL: SyntaxError: msg". */
static void
syntax_error(const char *path, char *err, size_t len)
{
	PyObject *type, *value, *tb;
	long line = 0, col = 0;
	const char *msg = NULL;
	PyObject *m = NULL, *l = NULL, *c = NULL;

	PyErr_Fetch(&type, &value, &tb);
	PyErr_NormalizeException(&type, &value, &tb);
	if (value != NULL) {
		m = PyObject_GetAttrString(value, "msg");
		l = PyObject_GetAttrString(value, "lineno");
		c = PyObject_GetAttrString(value, "offset");
		PyErr_Clear();
	}
	if (m != NULL && PyUnicode_Check(m))
		msg = PyUnicode_AsUTF8(m);
	if (l != NULL && PyLong_Check(l))
		line = PyLong_AsLong(l);
	if (c != NULL && PyLong_Check(c))
		col = PyLong_AsLong(c);
	snprintf(err, len, "%s:%ld:%ld: %s: %s", path, line, col,
		 type ? ((PyTypeObject *)type)->tp_name : "SyntaxError",
		 msg ? msg : "invalid syntax");
	PyErr_Clear();
	Py_XDECREF(m);
	Py_XDECREF(l);
	Py_XDECREF(c);
	Py_XDECREF(type);
	Py_XDECREF(value);
	Py_XDECREF(tb);
}

static int start_main(struct session *s, struct worker *old, PyObject *code,
		      bool quiet, uint32_t *id, char *err, size_t len);

/* sys.argv of the program about to run: ARGC words of ARGV. The
 * interpreter outlives a program, so each run sets its own. GIL held. */
static void
set_argv(int argc, char **argv)
{
	PyObject *list = PyList_New(argc);

	for (int i = 0; list != NULL && i < argc; i++) {
		PyObject *a = PyUnicode_DecodeFSDefault(argv[i]);
		if (a == NULL)
			Py_CLEAR(list);
		else
			PyList_SET_ITEM(list, i, a);
	}
	if (list == NULL || PySys_SetObject("argv", list) < 0)
		PyErr_Clear();
	Py_XDECREF(list);
}

int
pyrun_start(struct session *s, const char *path, int argc, char **argv,
	    uint32_t *id, char *err, size_t len)
{
	char *src;
	PyObject *code;
	PyGILState_STATE g;
	struct worker *old = registry_find(&s->reg, "main");

	if (old != NULL && old->state == WS_RUNNING) {
		snprintf(err, len, "a Python program runs already (main)");
		return -1;
	}
	if ((src = read_source(path, err, len)) == NULL)
		return -1;
	if (main_ts == NULL && init_python(s, argc, argv, err, len) < 0) {
		free(src);
		return -1;
	}
	g = PyGILState_Ensure();
	code = Py_CompileString(src, path, Py_file_input);
	free(src);
	if (code == NULL) {
		syntax_error(path, err, len);
		PyGILState_Release(g);
		return -1;
	}
	Py_XDECREF(prog_file);
	prog_file = PyUnicode_DecodeFSDefault(path);
	/* As python3 starts it: its own __main__, its directory first on
	 * sys.path (a module beside it imports). */
	Py_XDECREF(shim_call("fresh_main", Py_BuildValue("(O)", prog_file)));
	PyObject *globals = PyModule_GetDict(PyImport_AddModule("__main__"));
	PyDict_SetItemString(globals, "__file__", prog_file);
	PyObject *shim = PyImport_ImportModule("_weft_shim");
	if (shim != NULL)
		PyObject_SetAttrString(shim, "program", prog_file);
	Py_XDECREF(shim);
	PyErr_Clear();
	set_argv(argc, argv);
	offer_tasks(s);
	PyGILState_Release(g);
	at_prompt = false;
	return start_main(s, old, code, false, id, err, len);
}

/* Starts CODE as the worker main (OLD: the last one, reaped once ended);
 * QUIET: its start and end are not traced (a line typed at the prompt). */
static int
start_main(struct session *s, struct worker *old, PyObject *code, bool quiet,
	   uint32_t *id, char *err, size_t len)
{
	PyGILState_STATE g;
	struct worker *w;
	struct pyw *p;

	if (old != NULL && worker_ended(old))
		session_reap(s, old); /* the last program's, done with */
	/* Gone, so that the name main is the new one's alone. */
	if (old != NULL && old->state == WS_JOINED)
		registry_forget(&s->reg, old);
	p = xcalloc(1, sizeof *p);
	p->code = code;
	starting_quiet = quiet;
	w = make_worker(s, "main", WORKER_THREAD, python_task(), 0, NULL,
			main_body, p, err, len);
	starting_quiet = false;
	if (w == NULL) {
		g = PyGILState_Ensure();
		Py_CLEAR(p->code);
		PyGILState_Release(g);
		return -1;
	}
	*id = w->id;
	atomic_store(&interrupt_main, false);
	main_id = w->id;
	return 0;
}

/* Makes the interpreter for code typed at the prompt, when there is none
 * yet; -1 with why in ERR. */
static int
ready_python(struct session *s, char *err, size_t len)
{
	char *argv[] = { "", NULL };

	return main_ts == NULL ? init_python(s, 1, argv, err, len) : 0;
}

int
pyrun_block(struct session *s, const char *src, char *err, size_t len)
{
	PyGILState_STATE g;
	PyObject *r;
	int state = 1;

	if (ready_python(s, err, len) < 0)
		return -1;
	g = PyGILState_Ensure();
	r = shim_call("block_state", Py_BuildValue("(s)", src));
	if (r != NULL && PyUnicode_Check(r) &&
	    PyUnicode_CompareWithASCIIString(r, "more") == 0)
		state = 0;
	Py_XDECREF(r);
	PyGILState_Release(g);
	return state;
}

/* The shim's FN answers yes or no about the string ARG (true when it
 * cannot say: running the line tells why); TASKS: weft's tasks offered
 * first. */
static bool
shim_yes(struct session *s, const char *fn, const char *arg, bool tasks)
{
	PyGILState_STATE g;
	PyObject *r;
	bool yes;
	char err[200];

	if (ready_python(s, err, sizeof err) < 0)
		return true;
	g = PyGILState_Ensure();
	if (tasks)
		offer_tasks(s);
	r = shim_call(fn, Py_BuildValue("(s)", arg));
	yes = r == NULL || PyObject_IsTrue(r) != 0;
	PyErr_Clear();
	Py_XDECREF(r);
	PyGILState_Release(g);
	return yes;
}

bool
pyrun_is_python(struct session *s, const char *line)
{
	return shim_yes(s, "is_python", line, false);
}

bool
pyrun_known(struct session *s, const char *name)
{
	return shim_yes(s, "known", name, true);
}

/* The syntax error being handled, in code compiled as NAME ("<...>"): its
 * line in *LINE (0: none said) and "column C: SyntaxError: ..." in ERR,
 * as the lexer says a weft line's error. */
static void
prompt_error(const char *name, long *line, char *err, size_t len)
{
	char what[400];
	long col;
	const char *at;

	syntax_error(name, what, sizeof what);
	*line = 0;
	/* "<NAME>:L:C: SyntaxError: ..." */
	at = strchr(what, '>');
	if (at != NULL && sscanf(at, ">:%ld:%ld:", line, &col) == 2 &&
	    (at = strchr(at + 2, ':')) != NULL &&
	    (at = strchr(at + 1, ':')) != NULL) {
		snprintf(err, len, "column %ld:%s", col, at + 1);
	} else {
		*line = 0;
		snprintf(err, len, "%s", what);
	}
}

int
pyrun_compile(struct session *s, const char *src, unsigned *line, char *err,
	      size_t len)
{
	PyGILState_STATE g;
	PyObject *code;
	long l = 0;

	*line = 0;
	if (ready_python(s, err, len) < 0)
		return -1;
	g = PyGILState_Ensure();
	code = Py_CompileString(src, "<lesson>", Py_single_input);
	if (code == NULL)
		prompt_error("<lesson>", &l, err, len);
	Py_XDECREF(code);
	PyGILState_Release(g);
	*line = l > 0 ? (unsigned)l : 0;
	return code == NULL ? -1 : 0;
}

int
pyrun_exec(struct session *s, const char *src, unsigned line, uint32_t *id,
	   char *err, size_t len)
{
	char name[64];
	PyObject *code;
	PyGILState_STATE g;
	struct worker *old = registry_find(&s->reg, "main");

	if (old != NULL && old->state == WS_RUNNING) {
		snprintf(err, len,
			 "main still runs the last lines (step it, or wait "
			 "for it with join main)");
		return -1;
	}
	if (ready_python(s, err, len) < 0)
		return -1;
	/* Numbered as typed: a traceback says which. */
	snprintf(name, sizeof name, PROMPT_FILE "%u>", ++prompt_chunks);
	g = PyGILState_Ensure();
	code = Py_CompileString(src, name, Py_single_input);
	if (code == NULL) {
		char what[400];
		long l;
		prompt_error(name, &l, what, sizeof what);
		PyGILState_Release(g);
		/* The line only when the block has more than one. */
		const char *nl = strchr(src, '\n');
		if (l > 0 && nl != NULL && nl[1] != '\0')
			snprintf(err, len, "line %ld, %s", l, what);
		else
			snprintf(err, len, "%s", what);
		(void)line;
		return -1;
	}
	Py_XDECREF(shim_call("remember", Py_BuildValue("(ss)", name, src)));
	Py_XDECREF(shim_call("prompt_path", PyTuple_New(0)));
	offer_tasks(s);
	PyGILState_Release(g);
	at_prompt = true;
	return start_main(s, old, code, true, id, err, len);
}

void
pyrun_interrupt(void)
{
	/* Raised by main itself, at its next line: never from outside,
	 * in the middle of the library. */
	atomic_store(&interrupt_main, true);
	nudge(NULL);
}

bool
pyrun_callable(struct session *s, const char *name)
{
	PyGILState_STATE g;
	PyObject *main, *f;
	bool yes;

	if (main_ts == NULL)
		return false;
	g = PyGILState_Ensure();
	main = PyImport_AddModule("__main__"); /* borrowed */
	f = main != NULL ? PyObject_GetAttrString(main, name) : NULL;
	yes = f != NULL && PyCallable_Check(f) && !PyType_Check(f);
	Py_XDECREF(f);
	PyErr_Clear();
	PyGILState_Release(g);
	return yes;
}

int
pyrun_spawn(struct session *s, const char *name, enum worker_kind kind,
	    const char *func, int argc, char *const *argv, char *err,
	    size_t len)
{
	struct pyw *p = xcalloc(1, sizeof *p);
	struct worker *w;

	p->func = xstrdup(func);
	p->argc = argc;
	p->argv = xcalloc((size_t)argc + 1, sizeof *p->argv);
	for (int i = 0; i < argc; i++)
		p->argv[i] = xstrdup(argv[i]);
	PyGILState_STATE g = PyGILState_Ensure();
	Py_XDECREF(shim_call("spawn_ready",
			     Py_BuildValue("(s)", kind == WORKER_PROCESS
						      ? "process"
						      : "thread")));
	PyGILState_Release(g);
	w = new_worker(s, name, kind, python_task(), 0, NULL,
		       kind == WORKER_PROCESS ? process_body : thread_body, p,
		       err, len);
	if (w == NULL) {
		free_pyw(p);
		return -1;
	}
	return 0;
}

const char *
pyrun_spawned(const struct worker *w, int *argc, char ***argv)
{
	const struct pyw *p;

	if (w->body != thread_body && w->body != process_body)
		return NULL;
	p = w->body_arg;
	if (p == NULL || p->func == NULL)
		return NULL;
	*argc = p->argc;
	*argv = p->argv;
	return p->func;
}

void *
pyrun_save(struct session *s)
{
	PyGILState_STATE g;
	PyObject *saved;

	if (main_ts == NULL)
		return NULL;
	g = PyGILState_Ensure();
	saved = shim_call("save_globals", PyTuple_New(0));
	if (saved == NULL)
		PyErr_Clear();
	PyGILState_Release(g);
	return saved;
}

void
pyrun_restore(struct session *s, void *saved)
{
	PyGILState_STATE g;

	if (saved == NULL || main_ts == NULL)
		return;
	g = PyGILState_Ensure();
	Py_XDECREF(shim_call("restore_globals",
			     Py_BuildValue("(O)", (PyObject *)saved)));
	PyErr_Clear();
	PyGILState_Release(g);
}

void
pyrun_saved_free(void *saved)
{
	PyGILState_STATE g;

	if (saved == NULL || main_ts == NULL)
		return;
	g = PyGILState_Ensure();
	Py_DECREF((PyObject *)saved);
	PyGILState_Release(g);
}

#endif /* HAVE_PYTHON */
