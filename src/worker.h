/* worker.h: workers, their state machine, and the registry that names them. */
#ifndef WEFT_WORKER_H
#define WEFT_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "event.h"
#include "gate.h"
#include "interp.h"
#include "lock.h"
#include "schedule.h"
#include "sync.h"
#include "task.h"
#include "vars.h"

#define WORKER_NAME_MAX 31
/* Workers alive at once (not joined). Joined ones do not count: the
 * registry keeps the latest REGISTRY_KEEP_JOINED of them and forgets the
 * older, so a script may run any number one after another. */
#define WORKER_MAX 4096
#define REGISTRY_KEEP_JOINED 256

enum worker_kind { WORKER_THREAD, WORKER_PROCESS, WORKER_NODE };

enum worker_state {
	WS_NEW,
	WS_RUNNING,
	WS_FINISHED,
	WS_KILLED,
	WS_FAILED,
	WS_JOINED,
};

/* What a command does to a worker, for worker_refuse; WOP_SHOW (only
 * looking at it) is never refused. */
enum worker_op {
	WOP_START,
	WOP_JOIN,
	WOP_KILL,
	WOP_PAUSE,
	WOP_RUN,
	WOP_STEP,
	WOP_SHOW,
};

struct worker;

/* How a kind of worker is made, stopped and reaped: the only place where a
 * thread and a process differ. */
struct worker_backend {
	/* Starts W running its task, posting events to W->sink, whose
	 * doorbell is EVFD. Returns 0; 1 when the start is under way and
	 * settle will tell what came of it; or -1 with a reason in ERR, W
	 * unchanged then. */
	int (*start)(struct worker *w, int evfd, char *err, size_t errlen);
	/* After start returned 1: 0 W runs, 1 not known yet (the main loop
	 * wakes when it is), or -1 it failed with a reason in ERR, and W
	 * is as before start. With GIVE_UP never 1. NULL: start never
	 * returns 1. */
	int (*settle)(struct worker *w, bool give_up, char *err, size_t errlen);
	/* Turns the worker's EV_END record into the event that ends it (set
	 * *OUT and return true) or only notes it (return false). */
	bool (*on_end)(struct worker *w, const struct event *ev,
		       struct event *out);
	/* Asks the OS whether W has ended, without reaping it, or else
	 * whether it was stopped or continued since last asked; true and *OUT
	 * set (EV_EXIT, EV_SIGNAL, EV_STOPPED, EV_CONTINUED) when so. */
	bool (*check_end)(struct worker *w, struct event *out);
	/* Delivers SIG (0: the default) to a running W. Returns 0, or -1 with
	 * a reason in ERR. */
	int (*kill)(struct worker *w, int sig, char *err, size_t errlen);
	/* Makes a running W end as soon as possible (reset, exit). */
	void (*stop)(struct worker *w);
	/* Releases what the OS keeps of an ended W (join, zombie reaping). */
	void (*reap)(struct worker *w);
	/* Worker side: what `crash` does (a process really dies of SIGSEGV;
	 * a thread returns, and the worker fails instead). */
	void (*crash)(struct worker *w);
	/* Describes W as the OS sees it now, for ps. */
	const char *(*os_state)(const struct worker *w, char *buf, size_t len);
	/* Sets *NS to the CPU time, user and system, W has used so far as
	 * the OS counts it now, and returns true; false when the OS can no
	 * longer tell (W's last known figure, w->cpu_ns, stands then). */
	bool (*cpu_time)(const struct worker *w, uint64_t *ns);
};

extern const struct worker_backend thread_backend;
extern const struct worker_backend process_backend;
/* A node, on Open MPI (node.c); without it, never made. */
extern const struct worker_backend node_backend;

/* A task that runs elsewhere: a node's, in its own process that MPI
 * started (node.c). worker_main runs on weft's side as for a thread, and
 * grants each step at the gate as for a thread; the step itself is taken
 * there, and what it asks for (a line printed, an object, a sleep) is
 * served here with the worker's task_io. */
struct worker_remote {
	/* Takes one step there. Fills in W->in.last, exit_code and error,
	 * and the next step below. */
	enum step_result (*step)(struct worker *w);
	int32_t next_pc;  /* -1: none */
	int next_op;	  /* its statement on an object (sync_stmt), or -1 */
	int next_phase;	  /* ... which step of it */
	char next_obj[AST_NAME_MAX + 1];
	_Atomic uint64_t cpu_ns; /* its CPU time, as it said last */
	bool gone;	  /* its process ended without a word */
	pid_t pid;	  /* on its host */
	int rank;
	char host[64];
};
/* A process forked by weft itself, never by the spawner (proc.c). */
extern const struct worker_backend process_fork_backend;

struct worker {
	uint32_t id;
	char name[WORKER_NAME_MAX + 1];
	enum worker_kind kind;
	const struct worker_backend *be;
	int color;
	int slot; /* its gate in the shared segment, while the registry has it */
	struct task *task;
	int argc;
	char *argv[AST_MAX_PARAMS]; /* its arguments, as given */
	struct value args[AST_MAX_PARAMS];

	/* Main loop's view, changed only by the main thread. */
	enum worker_state state;
	int exit_code;	/* WS_FINISHED */
	int signal;	/* WS_KILLED by a signal; 0 when cancelled */
	char *fail;	/* WS_FAILED: why */
	bool cancelled; /* WS_KILLED by a cancel request (threads) */
	bool quiet;	/* its start and end are not traced (Python typed at
			   the prompt) */
	bool stopped;	/* a process stopped by a signal (STOP, TSTP...) */
	pid_t pid, tid; /* from EV_STARTED (pid: processes only) */
	int cpu;
	/* CPU time used, in ns, as last known: the OS's reading when ps
	 * asked, the worker's own in its EV_END, a process's rusage when it
	 * was reaped. */
	uint64_t cpu_ns;
	uint64_t steps, lines;
	uint64_t t_start, t_end;
	uint32_t seq_in;    /* next record expected from the worker */
	struct buf partial; /* an output line still arriving in pieces */
	/* Its first output lines, each with its place in the whole trace,
	 * for a lesson's expectations; FULL once one was not kept. */
	struct {
		char **lines;
		uint64_t *seq;
		size_t n, cap;
		size_t bytes;
		bool full;
	} log;
	/* The scheduler's view (sched.c). */
	enum hold_override hold_over;
	uint32_t hold;	/* epoch of its gate's hold, 0: open */
	uint32_t acked; /* the last hold it acknowledged */
	bool ending;	/* posted its end; the OS has not said so yet */
	int want;	/* the lock it waits for as last seen, or -1 */
	/* The lock of the wait traced last, while nothing else of it has
	 * been traced since; -1 otherwise. A wait is seen twice, foreseen
	 * at the worker's gate (its next step locks a held lock) and told
	 * by its own record, and is traced once. */
	int traced_wait;
	bool deadlocked;  /* in a deadlock already reported */
	bool stalled;	  /* in the last "all blocked" told, and still blocked */
	int told_sync;	  /* the object + 1 of its last wait traced, 0: none */
	pthread_t thread; /* thread backend; a node's agent */
	/* Not NULL: the task runs elsewhere (a node), not in W->in. */
	struct worker_remote *remote;
	/* When not NULL: what the worker runs instead of its task (a Python
	 * program's code, pyrun.c), given BODY_ARG; it returns the exit
	 * code, or -1 when it failed, with why in FAIL. BODY_FREE frees
	 * BODY_ARG with the worker. */
	int (*body)(struct worker *w, char *fail, size_t len);
	void *body_arg;
	void (*body_free)(void *arg);
	/* Called, on weft's main thread, when the worker is asked to stop
	 * (worker_request_cancel): lets a body that looks at its cancel only
	 * at its steps see it sooner. NULL: none. */
	void (*body_cancel)(struct worker *w);
	/* process_fork_backend: called in weft just before the fork
	 * (BEFORE true) and just after it (false). NULL: none. */
	void (*around_fork)(bool before);
	/* A body's own steps (worker_step_try): its gate, the text of the
	 * step under way, whether one is. */
	struct gate_pass body_gp;
	struct buf step_text;
	bool in_step;
	bool step_texted; /* its text is wanted: its line is printed */

	/* The worker's side, in its thread or its child process. */
	struct interp in;
	cell_t **cells; /* the task's globals, bound at start */
	int *lockmap;	/* the task's locks: index in the shared segment */
	struct shm *shm;
	struct task_io io;
	struct ev_sink sink; /* where it posts its events */
	uint32_t seq_out;
	uint64_t wsteps;
	uint64_t cur_step; /* the global number of the step being taken */
	bool report_step;  /* the step being taken is to be reported */
	bool step_printed; /* ... and its line went with its output */
	bool step_output;  /* a body's step under way printed: its output
			    * counted it (EV_OUTPUT), its end must not */
	int barrier;	   /* the barrier it arrived at and waits on, or -1 */
	char got[AST_NAME_MAX + 1]; /* the word the last get took */
	uint32_t epoch0;   /* the hold it starts under (gate_init) */
	atomic_bool cancel;
	pthread_mutex_t mu; /* with cv: a cancellable sleep */
	pthread_cond_t cv;
};

/* Returns the name of STATE ("running"), and of KIND ("thread"). */
const char *worker_state_name(enum worker_state state);
const char *worker_kind_name(enum worker_kind kind);

/* Returns true when NAME is a valid worker name. */
bool worker_name_valid(const char *name);

/* Returns how W ended ("finished", "failed", "killed"), joined or not;
 * its state's name while it has not ended. */
const char *worker_end_name(const struct worker *w);

/* Returns the CPU time W has used so far, in ns: the OS's reading while
 * it has one (kept as W's last known figure), else that figure; 0 for a
 * worker never started. */
uint64_t worker_cpu_ns(struct worker *w);

/* Makes *OUT the event that ends a worker whose end is its own EV_END
 * record EV (a thread, a node): EV_EXIT, EV_CANCEL, or EV_FAIL with
 * why. */
void worker_end_of_record(const struct event *ev, struct event *out);

/* Returns true when W has ended (finished, killed or failed, not joined). */
bool worker_ended(const struct worker *w);

/* Returns NULL when OP is allowed on W now, or writes the whole error
 * message ("cannot join 't1': not started") to BUF and returns it. */
const char *worker_refuse(const struct worker *w, enum worker_op op, char *buf,
			  size_t len);

/* Moves W to state TO along an edge of the state machine. Returns 0, or -1
 * (W unchanged) when there is no such edge. */
int worker_set_state(struct worker *w, enum worker_state to);

/* Binds W's globals and locks (making those that do not exist yet) and
 * readies its task's first step. Returns 0, or -1 with a reason in ERR. */
int worker_prepare(struct worker *w, struct vars *vs, struct locks *ls,
		   char *err, size_t errlen);

/* Worker side: runs W's task to its end, posting EV_STARTED, every output
 * line and EV_END to W->sink. Returns the task's exit code. */
int worker_main(struct worker *w);

/* Worker side, for a body whose steps are its own (a Python program's
 * lines, pyrun.c), with worker_step_wait, _text, _end and _none. Publishes
 * that W's next step is NEXT (>= 0: a line), which the scheduler grants
 * only when it would not wait: once the worker of id JOIN - 1 has ended
 * (0: none), while lock LOCK (in the shared segment, -1: none) is free,
 * when SOP on object OBJ (sync.h, -1: none) would not wait. Then ends
 * the step under way (worker_step_end) and tries W's gate: GATE_FREE and
 * GATE_GRANTED begin the step; GATE_CANCEL, W is asked to stop;
 * GATE_WAIT, W must wait (held, or the pace of sched free): call
 * worker_step_wait, holding nothing another worker needs. */
enum gate_result worker_step_try(struct worker *w, int32_t next,
				 uint32_t join, int lock, int obj,
				 enum sync_op sop);
/* After a barrier's wait that did not release it (W->barrier set by the
 * task_io's sync): sleeps until the barrier does, holding nothing another
 * worker needs. False when W is asked to stop. */
bool worker_barrier_sleep(struct worker *w);
/* Worker side: takes lock L (in the shared segment) for W as a task's
 * lock statement does: at once when it is free; else, with WAIT, says
 * that W waits for it (the deadlock check sees the wait) and waits, W's
 * cancel looked at; without, LOCK_BUSY. */
enum lock_result worker_lock(struct worker *w, int l, bool wait);
/* Waits until the step published may begin, and begins it; GATE_CANCEL
 * when W is asked to stop. */
enum gate_result worker_step_wait(struct worker *w);
/* Is the text of the step begun wanted (its line printed)? */
bool worker_step_wanted(const struct worker *w);
/* Sets the text of the step begun (its line, as the trace shows it). */
void worker_step_text(struct worker *w, const char *text, size_t len);
/* Shows the line of the step under way now, when it is wanted and not
 * shown yet, before what the step does next is told (its output, a
 * join). */
void worker_step_show(struct worker *w);
/* Ends the step begun, if one is: counted, and reported when wanted. */
void worker_step_end(struct worker *w);
/* W has no step of its own ahead for now (its own code returned): the
 * scheduler waits for its end, or for its next worker_step_try. Ends the
 * step under way. */
void worker_step_none(struct worker *w);

/* Worker side, running freely (its gate open): W waits in a join of the
 * worker of id JOIN - 1 (0: that join is over), for the deadlock check. */
void worker_joining(struct worker *w, uint32_t join);

/* Worker side: wakes the main loop to serve a request of W's (EV_CALL). */
void worker_post_call(struct worker *w);

/* Makes W's mutex and condition variable (its cancellable sleep). */
void worker_init_sync(struct worker *w);

/* In a process forked by the spawner: readies W, whose fields the spawner
 * filled in from weft's request (name, slot, arguments, cells, locks,
 * sink) and whose sync objects it made (worker_init_sync), to run DEF
 * compiled as PROG with worker_main. */
void worker_adopt(struct worker *w, const struct task_def *def,
		  const struct program *prog);

/* Asks W to stop at its next step, waking it from a sleep. */
void worker_request_cancel(struct worker *w);

struct registry {
	struct worker **v; /* in spawn order, ids increasing */
	size_t n, cap;
	uint32_t next_id;
	uint64_t added;	    /* workers ever added, for their colours */
	uint64_t forgotten; /* joined workers no longer kept */
	size_t trim_at;	    /* n at which the joined are next looked at */
	uint16_t *byname;   /* REGISTRY_HASH slots: index in v + 1, or 0 */
	int *free_slots;    /* gates of forgotten workers, to reuse */
	size_t nfree;
	int next_slot; /* gates never used yet begin here */
	/* registry_free_name's last search: BASE, BASE_2 ... below
	 * BASE_FREE_K were taken, and stay so until a worker leaves (then
	 * FREE_K is 0: none known). */
	char free_base[WORKER_NAME_MAX + 1];
	int free_k;
};

/* Slots of the table that finds a worker by name: a power of two, at
 * least twice SHM_SLOTS (the most workers held), so probes stay short. */
#define REGISTRY_HASH 16384

/* Makes a new worker in state new running TASK with ARGS (already bound
 * by task_bind to ARGV, which is copied); NULL when WORKER_MAX workers
 * are alive. It may first forget the oldest joined workers past the
 * latest REGISTRY_KEEP_JOINED (they were reaped: their gates are free). */
struct worker *registry_add(struct registry *r, const char *name,
			    enum worker_kind kind, struct task *task,
			    char *const *argv, const struct value *args);
/* Forgets W, joined or never started, now (its name can be given
 * again): false when it cannot be (it runs, or has ended and is not
 * joined, or holds a lock it left held). */
bool registry_forget(struct registry *r, struct worker *w);
/* Returns the worker called NAME, or NULL. */
struct worker *registry_find(const struct registry *r, const char *name);
/* Puts in OUT (LEN bytes) the first of BASE, BASE_2, BASE_3... that no
 * worker of R is called (nor "all", join's word). A loop of workers of one
 * name looks at one or two names each, not at every one before. */
void registry_free_name(struct registry *r, const char *base, char *out,
			size_t len);
/* Returns the worker in gate slot SLOT, or NULL. */
struct worker *registry_by_slot(const struct registry *r, int slot);

/* Returns the worker with id ID, or NULL. */
struct worker *registry_by_id(const struct registry *r, uint32_t id);
/* Returns the index in R->v of the worker with id ID, or -1: none. */
int registry_index(const struct registry *r, uint32_t id);
/* How many output lines of a worker, and how many bytes of them, are kept
 * for expectations: lessons check short outputs, and a worker printing
 * without end must not take weft's memory with it. */
#define WORKER_LOG_MAX 10000
#define WORKER_LOG_BYTES (64u * 1024)

/* Keeps W's output line TEXT (LEN bytes), the trace's line number SEQ,
 * while W's kept lines stay within WORKER_LOG_MAX and WORKER_LOG_BYTES;
 * after the first line that does not fit, none is kept. */
void worker_log(struct worker *w, const char *text, size_t len, uint64_t seq);

/* Frees every worker (all must be new or reaped). */
void registry_clear(struct registry *r);

#endif
