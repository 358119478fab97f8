/*
 * pyobjects.c: Python's locks, semaphores, barriers, conditions, events,
 * queues and multiprocessing Values as weft's own objects (SPEC 9, 10).
 * The shim's classes (src/shim.py) call these functions of the module
 * _weft: each names the object it works on by its index in the shared
 * segment, so that `locks`, `sync`, the scheduler and the deadlock check
 * see a Python program's objects as they see a task's. Under sched step
 * or seed a call that may wait is a step of its own, granted only when
 * it would not wait (pyrun_wait_step); running freely, it waits with the
 * GIL let go.
 */
#include "config.h"

#ifdef HAVE_PYTHON
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <frameobject.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lock.h"
#include "pyrun-int.h"
#include "sync.h"
#include "vars.h"
#include "worker.h"
#include "xmalloc.h"

/* _weft.lock_new(name): one of weft's locks for a Lock the program makes,
 * called NAME, else NAME_2, NAME_3...; (its index, its name), or None
 * when there is no room for one more. */
static PyObject *
py_lock_new(PyObject *self, PyObject *args)
{
	const char *name;
	char base[AST_NAME_MAX - 5], given[AST_NAME_MAX + 1];
	struct worker *w = pyrun_current();

	if (w == NULL || !PyArg_ParseTuple(args, "s", &name))
		return NULL;
	snprintf(base, sizeof base, "%s", lock_name_valid(name) ? name : "lock");
	for (int n = 1; n < 10000; n++) {
		int l;
		if (n == 1)
			snprintf(given, sizeof given, "%s", base);
		else
			snprintf(given, sizeof given, "%s_%d", base, n);
		if (lock_named(w->shm, given, false) >= 0)
			continue;
		if ((l = lock_named(w->shm, given, true)) < 0)
			break;
		return Py_BuildValue("(is)", l, given);
	}
	Py_RETURN_NONE;
}

/* Waits, the GIL let go, until W takes lock L or TIMEOUT_S seconds have
 * passed (< 0: no limit); the lock_result. */
static enum lock_result
lock_wait(struct worker *w, int l, double timeout_s)
{
	enum lock_result r;
	struct timespec tick = { 0, 1000000 };
	double left = timeout_s;

	Py_BEGIN_ALLOW_THREADS
	if (timeout_s < 0) {
		r = worker_lock(w, l, true);
	} else {
		while ((r = worker_lock(w, l, false)) == LOCK_BUSY &&
		       left > 0 && !atomic_load(&w->cancel)) {
			nanosleep(&tick, NULL);
			left -= 0.001;
		}
		if (r == LOCK_BUSY && atomic_load(&w->cancel))
			r = LOCK_CANCELLED;
	}
	Py_END_ALLOW_THREADS
	return r;
}

/* _weft.lock_acquire(index, name, blocking, timeout): Lock.acquire. Under
 * sched step or seed, a blocking acquire ends its line's step and takes
 * the lock in a step of its own, granted only while the lock is free:
 * the scheduler sees the wait, and a deadlock is found as for tasks. */
static PyObject *
py_lock_acquire(PyObject *self, PyObject *args)
{
	int l, blocking;
	const char *name;
	double timeout;
	char note[AST_NAME_MAX + 16];
	struct worker *w = pyrun_current();
	enum lock_result r;

	if (w == NULL ||
	    !PyArg_ParseTuple(args, "isid", &l, &name, &blocking, &timeout))
		return NULL;
	if (lock_holder(w->shm, l) == (int64_t)w->id) {
		if (!blocking || timeout >= 0)
			Py_RETURN_FALSE;
		PyErr_Format(PyExc_RuntimeError,
			     "%s holds %s already: taking it again would wait "
			     "for itself for ever (an RLock can be taken again)",
			     w->name, name);
		return NULL;
	}
	snprintf(note, sizeof note, "   (takes %s)", name);
	if (blocking && pyrun_wait_step(w, 0, l, -1, SOP_SIGNAL, note) < 0)
		return NULL;
	r = worker_lock(w, l, false);
	if (r == LOCK_BUSY && blocking)
		r = lock_wait(w, l, timeout);
	switch (r) {
	case LOCK_OK:
	case LOCK_RECOVERED: Py_RETURN_TRUE;
	case LOCK_CANCELLED: PyErr_SetNone(PyExc_SystemExit); return NULL;
	default: Py_RETURN_FALSE;
	}
}

/* _weft.lock_release(index, name): Lock.release. */
static PyObject *
py_lock_release(PyObject *self, PyObject *args)
{
	int l;
	const char *name;
	struct worker *w = pyrun_current();

	if (w == NULL || !PyArg_ParseTuple(args, "is", &l, &name))
		return NULL;
	if (lock_release(w->shm, l, w->id) == LOCK_OK)
		Py_RETURN_NONE;
	if (lock_holder(w->shm, l) < 0)
		PyErr_SetString(PyExc_RuntimeError, "release unlocked lock");
	else
		PyErr_Format(PyExc_RuntimeError,
			     "%s cannot release %s: another worker holds it "
			     "(weft's locks are mutexes: who takes one releases "
			     "it)",
			     w->name, name);
	return NULL;
}

/* _weft.lock_held(index): Lock.locked(). */
static PyObject *
py_lock_held(PyObject *self, PyObject *args)
{
	int l;
	struct worker *w = pyrun_current();

	if (w == NULL || !PyArg_ParseTuple(args, "i", &l))
		return NULL;
	return PyBool_FromLong(lock_holder(w->shm, l) >= 0);
}

/* Asks the main loop for the object R describes, made for W under the
 * name R asks (or one like it): (its index, its name). When it cannot be
 * made, EXC raised with why, or None when EXC is NULL (the shim then keeps
 * Python's own object). */
static PyObject *
ask_made(struct worker *w, struct req *r, PyObject *exc)
{
	PyObject *out;

	if (pyrun_ask(w, r, true, -1) == ASK_STOPPED)
		return NULL;
	if (r->status < 0) {
		if (exc != NULL)
			PyErr_SetString(exc, r->err);
		pyrun_free_req(r);
		return exc != NULL ? NULL : Py_NewRef(Py_None);
	}
	out = Py_BuildValue("(is)", (int)r->id, r->name);
	pyrun_free_req(r);
	return out;
}

/* _weft.sync_new(kind, name, n): one of weft's objects for one the
 * program makes (kind 'semaphore', 'barrier', 'condition' or 'queue', of
 * value, parties, lock or cells N), named NAME, else NAME_2...: (its
 * index, its name); None in a Process, whose objects stay Python's. */
static PyObject *
py_sync_new(PyObject *self, PyObject *args)
{
	const char *kind, *name;
	long long n;
	struct worker *w = pyrun_current();
	struct req *r;

	if (w == NULL || !PyArg_ParseTuple(args, "ssL", &kind, &name, &n))
		return NULL;
	if (!pyrun_serving()) /* a Process's: Python's own object */
		Py_RETURN_NONE;
	r = xcalloc(1, sizeof *r);
	r->kind = REQ_SYNC;
	r->sig = strcmp(kind, "barrier") == 0	  ? SYNC_BARRIER
		 : strcmp(kind, "condition") == 0 ? SYNC_CONDITION
		 : strcmp(kind, "queue") == 0	  ? SYNC_QUEUE
						  : SYNC_SEMAPHORE;
	/* A condition's N is the index of its lock. */
	r->n = r->sig == SYNC_CONDITION ? 0 : n;
	r->lock = r->sig == SYNC_CONDITION ? (int)n : -1;
	snprintf(r->name, sizeof r->name, "%s", name);
	return ask_made(w, r, PyExc_ValueError);
}

/* Runs statement OP of the task language on object NAME for W, the GIL
 * let go when it may wait; false with a Python error set when it failed
 * (SystemExit when W was asked to stop). */
static bool
sync_op_n(struct worker *w, enum sync_stmt op, const char *name, int phase,
	  int64_t n, struct value *v, bool may_wait);

static bool
sync_op(struct worker *w, enum sync_stmt op, const char *name, bool may_wait)
{
	return sync_op_n(w, op, name, 0, 1, NULL, may_wait);
}

/* sync_op at PHASE of a condition's wait, N for a notify, V the value a
 * put puts or a get gets (NULL: none). */
static bool
sync_op_n(struct worker *w, enum sync_stmt op, const char *name, int phase,
	  int64_t n, struct value *v, bool may_wait)
{
	struct value none = { 0 };
	char err[256] = "";
	enum sync_step st;

	if (v == NULL)
		v = &none;
	if (may_wait) {
		Py_BEGIN_ALLOW_THREADS
		st = w->io.sync(&w->io, op, name, phase, v, n, err,
				sizeof err);
		Py_END_ALLOW_THREADS
	} else {
		st = w->io.sync(&w->io, op, name, phase, v, n, err,
				sizeof err);
	}
	if (atomic_load(&w->cancel)) {
		PyErr_SetNone(PyExc_SystemExit);
		return false;
	}
	if (st == SYNC_STEP_FAIL) {
		PyErr_SetString(PyExc_RuntimeError, err);
		return false;
	}
	return true;
}

/* Waits, the GIL let go, at most TIMEOUT_S seconds (< 0: no limit; 0:
 * not at all) until SOP on OBJ would not wait, looking every millisecond.
 * 1 it would not now, 0 the time is up, -1 (SystemExit raised) W is asked
 * to stop. */
static int
poll_until(struct worker *w, int obj, enum sync_op sop, double timeout_s)
{
	struct timespec tick = { 0, 1000000 };

	for (double left = timeout_s;; left -= 0.001) {
		if (!sync_would_wait(w->shm, obj, sop, w->slot))
			return 1;
		if (left <= 0)
			return 0;
		if (atomic_load(&w->cancel)) {
			PyErr_SetNone(PyExc_SystemExit);
			return -1;
		}
		Py_BEGIN_ALLOW_THREADS
		nanosleep(&tick, NULL);
		Py_END_ALLOW_THREADS
	}
}

/* Before SOP on OBJ, which may wait. Blocking with no limit: under step
 * or seed a step of its own (wait_step), and then the operation waits as
 * long as it must. Otherwise it is looked at every millisecond for at
 * most TIMEOUT_S (not at all without BLOCKING). 1: go on; 0: it would
 * still wait; -1: SystemExit raised. */
static int
may_go(struct worker *w, int obj, enum sync_op sop, bool blocking,
       double timeout_s, const char *note)
{
	if (blocking && timeout_s < 0)
		return pyrun_wait_step(w, 0, -1, obj, sop, note) < 0 ? -1 : 1;
	return poll_until(w, obj, sop, blocking ? timeout_s : 0);
}

/* _weft.sem_acquire(index, name, blocking, timeout): Semaphore.acquire. */
static PyObject *
py_sem_acquire(PyObject *self, PyObject *args)
{
	int obj, blocking;
	const char *name;
	double timeout;
	char note[SHM_LOCK_NAME + 16];
	struct worker *w = pyrun_current();

	if (w == NULL ||
	    !PyArg_ParseTuple(args, "isid", &obj, &name, &blocking, &timeout))
		return NULL;
	snprintf(note, sizeof note, "   (takes one of %s)", name);
	switch (may_go(w, obj, SOP_SEM_WAIT, blocking, timeout, note)) {
	case -1: return NULL;
	case 0: Py_RETURN_FALSE;
	default: break;
	}
	if (!sync_op(w, SYNC_WAIT, name, true))
		return NULL;
	Py_RETURN_TRUE;
}

/* _weft.sem_release(index, name, n): Semaphore.release(n). */
static PyObject *
py_sem_release(PyObject *self, PyObject *args)
{
	int obj;
	long n;
	const char *name;
	struct worker *w = pyrun_current();

	if (w == NULL || !PyArg_ParseTuple(args, "isl", &obj, &name, &n))
		return NULL;
	for (long i = 0; i < n; i++)
		if (!sync_op(w, SYNC_SIGNAL, name, false))
			return NULL;
	Py_RETURN_NONE;
}

/* _weft.sync_value(index): a semaphore's value, a barrier's arrivals. */
static PyObject *
py_sync_value(PyObject *self, PyObject *args)
{
	int obj;
	struct worker *w = pyrun_current();

	if (w == NULL || !PyArg_ParseTuple(args, "i", &obj))
		return NULL;
	if (obj < 0 || (size_t)obj >= sync_count(w->shm)) {
		PyErr_SetString(PyExc_ValueError, "no such object");
		return NULL;
	}
	return PyLong_FromLongLong(
		(long long)atomic_load(&w->shm->syncs[obj].value));
}

/* _weft.sync_set(index, v): a condition's value, which no statement of
 * weft's uses: an Event's flag, shared with processes. */
static PyObject *
py_sync_set(PyObject *self, PyObject *args)
{
	int obj;
	long long v;
	struct worker *w = pyrun_current();

	if (w == NULL || !PyArg_ParseTuple(args, "iL", &obj, &v))
		return NULL;
	if (obj < 0 || (size_t)obj >= sync_count(w->shm) ||
	    w->shm->syncs[obj].kind != SYNC_CONDITION) {
		PyErr_SetString(PyExc_ValueError, "no such condition");
		return NULL;
	}
	atomic_store(&w->shm->syncs[obj].value, (int64_t)v);
	Py_RETURN_NONE;
}

/* _weft.in_weft(): True in weft's own process, False in a Process. */
static PyObject *
py_in_weft(PyObject *self, PyObject *args)
{
	return PyBool_FromLong(pyrun_serving());
}

/* _weft.value_new(name, v): one of weft's shared variables, worth V, for
 * a multiprocessing.Value the program makes: (its cell, its name), or
 * None in a Process (whose Values stay Python's). */
static PyObject *
py_value_new(PyObject *self, PyObject *args)
{
	const char *name;
	long long v;
	struct worker *w = pyrun_current();
	struct req *r;

	if (w == NULL || !PyArg_ParseTuple(args, "sL", &name, &v))
		return NULL;
	if (!pyrun_serving())
		Py_RETURN_NONE;
	r = xcalloc(1, sizeof *r);
	r->kind = REQ_VALUE;
	r->n = v;
	snprintf(r->name, sizeof r->name, "%s", name);
	return ask_made(w, r, NULL); /* no room: Python's own */
}

/* The shared variable in cell index ARGS[0], or NULL (an error set). */
static cell_t *
value_cell(struct worker *w, PyObject *args, long long *v)
{
	int c;

	if (w == NULL || !(v != NULL ? PyArg_ParseTuple(args, "iL", &c, v)
				     : PyArg_ParseTuple(args, "i", &c)))
		return NULL;
	if (c < 0 || c >= SHM_CELLS) {
		PyErr_SetString(PyExc_ValueError, "no such shared variable");
		return NULL;
	}
	return &w->shm->cells[c];
}

/* _weft.value_get(cell): its value; None once reset forgot it. */
static PyObject *
py_value_get(PyObject *self, PyObject *args)
{
	cell_t *c = value_cell(pyrun_current(), args, NULL);
	int64_t v;

	if (c == NULL)
		return NULL;
	if (!cell_get(c, &v))
		Py_RETURN_NONE;
	return PyLong_FromLongLong((long long)v);
}

/* _weft.value_set(cell, v). */
static PyObject *
py_value_set(PyObject *self, PyObject *args)
{
	long long v;
	cell_t *c = value_cell(pyrun_current(), args, &v);

	if (c == NULL)
		return NULL;
	cell_put(c, (int64_t)v);
	Py_RETURN_NONE;
}

/* _weft.barrier_wait(index, name): Barrier.wait(); the number of the
 * parties that had arrived before (Python's index). */
static PyObject *
py_barrier_wait(PyObject *self, PyObject *args)
{
	int obj;
	const char *name;
	char note[SHM_LOCK_NAME + 16];
	struct worker *w = pyrun_current();
	long long before;
	bool slept;

	if (w == NULL || !PyArg_ParseTuple(args, "is", &obj, &name))
		return NULL;
	snprintf(note, sizeof note, "   (arrives at %s)", name);
	if (pyrun_wait_step(w, 0, -1, obj, SOP_BARRIER, note) < 0)
		return NULL;
	before = (long long)atomic_load(&w->shm->syncs[obj].value);
	if (!sync_op(w, SYNC_WAIT, name, false))
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	slept = worker_barrier_sleep(w);
	Py_END_ALLOW_THREADS
	if (!slept) {
		PyErr_SetNone(PyExc_SystemExit);
		return NULL;
	}
	return PyLong_FromLongLong(before);
}

/* _weft.cond_wait(index, name, lock, lockname): Condition.wait(), its
 * lock held: lets the lock go and joins the waiters, sleeps until
 * notified, takes the lock again; under sched step or seed the sleep and
 * the retaking are steps of their own, granted when they would not wait,
 * as a task's wait on a condition. */
static PyObject *
py_cond_wait(PyObject *self, PyObject *args)
{
	int obj, lock;
	const char *name, *lockname;
	char note[SHM_LOCK_NAME + 24];
	struct worker *w = pyrun_current();

	if (w == NULL || !PyArg_ParseTuple(args, "isis", &obj, &name, &lock,
					   &lockname))
		return NULL;
	if (!sync_op_n(w, SYNC_WAIT, name, 0, 1, NULL, false))
		return NULL;
	snprintf(note, sizeof note, "   (notified on %s)", name);
	if (pyrun_wait_step(w, 0, -1, obj, SOP_COND_SLEEP, note) < 0 ||
	    !sync_op_n(w, SYNC_WAIT, name, 1, 1, NULL, true))
		return NULL;
	snprintf(note, sizeof note, "   (takes %s again)", lockname);
	if (pyrun_wait_step(w, 0, lock, -1, SOP_SIGNAL, note) < 0 ||
	    !sync_op_n(w, SYNC_WAIT, name, 2, 1, NULL, true))
		return NULL;
	Py_RETURN_TRUE;
}

/* _weft.cond_notify(index, name, n, all): Condition.notify(n), or
 * notify_all() when ALL; the lock held. */
static PyObject *
py_cond_notify(PyObject *self, PyObject *args)
{
	int obj, all;
	long n;
	const char *name;
	struct worker *w = pyrun_current();

	if (w == NULL ||
	    !PyArg_ParseTuple(args, "islp", &obj, &name, &n, &all))
		return NULL;
	if (n < 1 && !all)
		Py_RETURN_NONE;
	if (!sync_op_n(w, all ? SYNC_NOTIFY_ALL : SYNC_NOTIFY, name, 0, n,
		       NULL, false))
		return NULL;
	Py_RETURN_NONE;
}

/* _weft.q_put(index, name, value, blocking, timeout): Queue.put of VALUE,
 * an int or a word (the shim turns any other object into one); False
 * when the queue stayed full (no blocking, or the time was up). */
static PyObject *
py_q_put(PyObject *self, PyObject *args)
{
	int obj, blocking;
	const char *name;
	PyObject *value;
	double timeout;
	char note[SHM_LOCK_NAME + 16];
	struct value v = { 0 };
	struct worker *w = pyrun_current();

	if (w == NULL || !PyArg_ParseTuple(args, "isOid", &obj, &name, &value,
					   &blocking, &timeout))
		return NULL;
	if (PyUnicode_Check(value)) {
		v.is_str = true;
		if ((v.s = PyUnicode_AsUTF8(value)) == NULL)
			return NULL;
	} else {
		v.i = PyLong_AsLongLong(value);
		if (v.i == -1 && PyErr_Occurred())
			return NULL;
	}
	snprintf(note, sizeof note, "   (puts into %s)", name);
	switch (may_go(w, obj, SOP_PUT, blocking, timeout, note)) {
	case -1: return NULL;
	case 0: Py_RETURN_FALSE;
	default: break;
	}
	if (!sync_op_n(w, SYNC_PUT, name, 0, 1, &v, true))
		return NULL;
	Py_RETURN_TRUE;
}

/* _weft.q_get(index, name, blocking, timeout): Queue.get: (True, the
 * value), or (False, None) when the queue stayed empty. */
static PyObject *
py_q_get(PyObject *self, PyObject *args)
{
	int obj, blocking;
	const char *name;
	double timeout;
	char note[SHM_LOCK_NAME + 16];
	struct value v = { 0 };
	struct worker *w = pyrun_current();

	if (w == NULL || !PyArg_ParseTuple(args, "isid", &obj, &name,
					   &blocking, &timeout))
		return NULL;
	snprintf(note, sizeof note, "   (gets from %s)", name);
	switch (may_go(w, obj, SOP_GET, blocking, timeout, note)) {
	case -1: return NULL;
	case 0: return Py_BuildValue("(OO)", Py_False, Py_None);
	default: break;
	}
	if (!sync_op_n(w, SYNC_GET, name, 0, 1, &v, true))
		return NULL;
	if (v.is_str)
		return Py_BuildValue("(Os)", Py_True, v.s);
	return Py_BuildValue("(OL)", Py_True, (long long)v.i);
}

/* _weft.lock_mine(index): does the running worker hold lock INDEX? */
static PyObject *
py_lock_mine(PyObject *self, PyObject *args)
{
	int l;
	struct worker *w = pyrun_current();

	if (w == NULL || !PyArg_ParseTuple(args, "i", &l))
		return NULL;
	return PyBool_FromLong(lock_holder(w->shm, l) == (int64_t)w->id);
}

/* _weft.me(): the running worker's id (an RLock's owner). */
static PyObject *
py_me(PyObject *self, PyObject *args)
{
	struct worker *w = pyrun_current();

	return w == NULL ? NULL : PyLong_FromUnsignedLong(w->id);
}

PyMethodDef pyobjects_methods[] = {
	{ "lock_new", py_lock_new, METH_VARARGS, "one of weft's locks" },
	{ "lock_acquire", py_lock_acquire, METH_VARARGS, "Lock.acquire" },
	{ "lock_release", py_lock_release, METH_VARARGS, "Lock.release" },
	{ "lock_held", py_lock_held, METH_VARARGS, "Lock.locked" },
	{ "me", py_me, METH_NOARGS, "the running worker's id" },
	{ "sync_new", py_sync_new, METH_VARARGS, "one of weft's objects" },
	{ "sem_acquire", py_sem_acquire, METH_VARARGS, "Semaphore.acquire" },
	{ "sem_release", py_sem_release, METH_VARARGS, "Semaphore.release" },
	{ "sync_value", py_sync_value, METH_VARARGS, "an object's value" },
	{ "barrier_wait", py_barrier_wait, METH_VARARGS, "Barrier.wait" },
	{ "cond_wait", py_cond_wait, METH_VARARGS, "Condition.wait" },
	{ "cond_notify", py_cond_notify, METH_VARARGS, "Condition.notify" },
	{ "lock_mine", py_lock_mine, METH_VARARGS, "is the lock the caller's" },
	{ "q_put", py_q_put, METH_VARARGS, "Queue.put" },
	{ "q_get", py_q_get, METH_VARARGS, "Queue.get" },
	{ "value_new", py_value_new, METH_VARARGS, "one of weft's shared "
	  "variables" },
	{ "value_get", py_value_get, METH_VARARGS, "a shared variable's value" },
	{ "value_set", py_value_set, METH_VARARGS, "sets a shared variable" },
	{ "sync_set", py_sync_set, METH_VARARGS, "an event's flag" },
	{ "in_weft", py_in_weft, METH_NOARGS, "whether this is weft's own "
	  "process (not a Process)" },
	{ NULL, NULL, 0, NULL },
};

#endif /* HAVE_PYTHON */
