/* pyrun-int.h: what pyrun.c (Python programs on weft's workers) shares
 * with pyobjects.c (Python's objects as weft's): the mailbox to the main
 * loop and the step of a call that may wait. Only for those two files,
 * and only when Python is built. */
#ifndef WEFT_PYRUN_INT_H
#define WEFT_PYRUN_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "ast.h"
#include "sync.h"
#include "worker.h"

/* Requests to the main loop. */
enum req_kind {
	REQ_THREAD, /* start THREAD as a worker named NAME */
	REQ_TASK,   /* start weft task TASK (ARGS) as a worker named NAME */
	REQ_WAIT,   /* wait until worker ID ends, then join it */
	REQ_ALIVE,  /* whether worker ID runs (the reply's status: 1) */
	REQ_PROCESS, /* fork to run Process THREAD as a worker named NAME */
	REQ_EXITCODE, /* worker ID's exit code as Python's Popen has it */
	REQ_KILL,   /* send worker ID signal SIG */
	REQ_JOINED, /* the thread of Python thread ident IDENT was joined */
	REQ_SYNC,   /* make object NAME of kind SIG, N its value (sync.h) */
	REQ_VALUE,  /* make shared variable NAME, worth N; ID: its cell */
};

struct req {
	enum req_kind kind;
	char name[WORKER_NAME_MAX + 1]; /* asked for; the reply: given */
	PyObject *thread;
	enum worker_kind wkind;
	char task[AST_NAME_MAX + 1];
	int argc;
	char *argv[AST_MAX_PARAMS];
	unsigned long ident;
	int sig;	/* REQ_KILL's; REQ_SYNC's kind */
	int64_t n;	/* REQ_SYNC's value or parties */
	int lock;	/* REQ_SYNC's: a condition's lock */
	bool daemon;	/* REQ_THREAD, REQ_PROCESS: stopped at the end */
	pid_t pid;	/* the reply: a process's */
	int code;	/* the reply: REQ_EXITCODE's, when status is 1 */
	uint32_t id;	/* the reply: the worker's id; REQ_WAIT: whom */
	int status;	/* the reply: 0, or -1 with ERR */
	char err[256];
	bool done;	/* answered */
	bool orphan;	/* its asker left (a join's timeout): free it */
	struct req *next;
};

/* How a wait for the main loop ended. */
enum ask_end {
	ASK_ANSWERED,
	ASK_TIMED_OUT, /* the main loop frees the request */
	ASK_STOPPED,   /* the worker was asked to stop: likewise */
	ASK_INTERRUPTED, /* Ctrl-C in main's join: likewise, and
			  * KeyboardInterrupt raised */
};

/* The worker running this thread, or NULL with a Python error set. */
struct worker *pyrun_current(void);

/* Is this weft's own process, whose main loop answers requests (not a
 * Process, a forked child, which has a copy of the mailbox nobody
 * reads)? */
bool pyrun_serving(void);

/* Puts R in the mailbox and wakes the main loop through W. With WAIT,
 * waits (at most TIMEOUT_S seconds when >= 0) for the answer, the GIL let
 * go, and R is the caller's to free once answered; without, R is the main
 * loop's at once. A worker asked to stop stops waiting (ASK_STOPPED,
 * SystemExit raised). */
enum ask_end pyrun_ask(struct worker *w, struct req *r, bool wait,
		       double timeout_s);

/* Frees R and the words it holds. */
void pyrun_free_req(struct req *r);

/* Under sched step or seed, before a call of the program's that may wait
 * (a join, an acquire, a wait, a put, a get): the step of its line ends,
 * and the call is a step of its own, granted once the worker of id JOIN -
 * 1 has ended (0: none), while LOCK is free (-1: none), when SOP on object
 * OBJ (-1: none) would not wait; NOTE follows the line in the step's
 * text. Returns 1 when it took that step, 0 when W runs freely (nothing
 * done), -1 with SystemExit raised when W is asked to stop. */
int pyrun_wait_step(struct worker *w, uint32_t join, int lock, int obj,
		    enum sync_op sop, const char *note);

/* The module _weft's functions for the objects (pyobjects.c), added to
 * the module by pyrun.c. */
extern PyMethodDef pyobjects_methods[];

#endif
