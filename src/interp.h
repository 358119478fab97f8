/* interp.h: running a task one step at a time. */
#ifndef WEFT_INTERP_H
#define WEFT_INTERP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "buf.h"
#include "shm.h"

/* A value: a 64-bit integer or a string (strings live in the program or in
 * the worker's arguments; the language makes no new ones). */
struct value {
	bool is_str;
	int64_t i;
	const char *s;
	bool unset; /* a local not given a value yet: reading it is an error */
};

/* The number I, and the word S, as values. */
static inline struct value
value_num(int64_t i)
{
	return (struct value){ .i = i };
}

static inline struct value
value_word(const char *s)
{
	return (struct value){ .is_str = true, .s = s };
}

/* The most bytes one printed line may take: a longer one is cut there and
 * ends with "... [cut: N bytes in all]", so that no task can make weft
 * build (and keep, and trace) a line of any size. As much as the trace
 * keeps of one line (TRACE_MAX_TEXT / 4): a line kept is kept whole. */
#define INTERP_LINE_MAX (4u << 20)

enum opcode {
	I_PRINT,
	I_SLEEP,
	I_ASSIGN,
	I_READ,
	I_COMPUTE,
	I_WRITE,
	I_TEST,
	I_JUMP,
	I_FOR_INIT,
	I_FOR_NEXT,
	I_WORDS_INIT,
	I_WORDS_NEXT,
	I_REPEAT_INIT,
	I_REPEAT_NEXT,
	I_LOCK,
	I_UNLOCK,
	I_YIELD,
	I_EXIT,
	I_CRASH,
	I_SYNC, /* wait, signal, notify, notify_all, put, get: SYNC_* below */
	I_ASSERT,
};

/* What a statement on an object does (the step of I_SYNC). */
enum sync_stmt {
	SYNC_WAIT,
	SYNC_SIGNAL,
	SYNC_NOTIFY,
	SYNC_NOTIFY_ALL,
	SYNC_PUT,
	SYNC_GET,
};

/* What the worker's sync did with a step. */
enum sync_step {
	SYNC_STEP_DONE,	 /* the statement is done */
	SYNC_STEP_AGAIN, /* it takes another step (a condition's wait) */
	SYNC_STEP_STOP,	 /* the worker was asked to stop meanwhile */
	SYNC_STEP_FAIL,	 /* a runtime error, said in the error text */
};

/* One instruction; every one but I_JUMP is one step. */
struct op {
	enum opcode code;
	const struct stmt *s; /* the statement it comes from */
	int target;	      /* jumps: where to go */
	int hidden;	      /* loops: the slot of the counter or bound */
	int delta;	      /* I_COMPUTE: +1, -1, or 0 for += EXPR */
};

struct program {
	struct op *ops;
	size_t n;
	int nslots; /* the task's locals, then hidden loop slots */
};

/* Compiles DEF into steps. */
struct program *program_compile(const struct task_def *def);
void program_free(struct program *p);

/* What a running task may do; the worker that runs it provides these. */
struct task_io {
	/* Emits one output line. Returns 0, or -1 when the tracer is gone. */
	int (*print)(struct task_io *io, const char *text, size_t len);
	/* Sleeps MS milliseconds. Returns 0, or 1 when woken to stop. */
	int (*sleep)(struct task_io *io, int64_t ms);
	/* Takes or releases the task's lock number I, or (I < 0) the lock
	 * called NAME, made if need be; LOCK_* results. */
	int (*lock)(struct task_io *io, int i, const char *name);
	int (*unlock)(struct task_io *io, int i, const char *name);
	/* Runs step PHASE (0 first) of statement OP on the object called
	 * NAME: V is put's value, or gets get's (a word in it stays valid
	 * until the next call); N is notify's count. On SYNC_STEP_FAIL the
	 * error (without where) is in ERR. */
	enum sync_step (*sync)(struct task_io *io, enum sync_stmt op,
			       const char *name, int phase, struct value *v,
			       int64_t n, char *err, size_t errlen);
};

enum step_result {
	STEP_MORE,  /* a step was taken and more remain */
	STEP_DONE,  /* the task has ended; exit_code holds its status */
	STEP_STOP,  /* the task was asked to stop during its step */
	STEP_FAIL,  /* a runtime error; error holds the message */
	STEP_CRASH, /* the task ran `crash` */
};

/* What the last step did, for the step trace: the instruction, and the
 * value it read, computed, wrote or tested, the loop variable or count it
 * moved to, or that its loop is over. */
struct step_seen {
	int pc;
	bool has_value, done;
	int64_t value;
};

/* Locals a task in progress keeps in its interp itself; more take a
 * malloc'd block. */
#define INTERP_SMALL 8

/* One task in progress. */
struct interp {
	const struct task_def *def;
	const struct program *prog;
	struct value *slots; /* prog->nslots: small, or allocated */
	struct value small[INTERP_SMALL];
	cell_t **globals; /* def->nglobals cells, bound at start */
	size_t pc;
	int64_t tmp; /* between the read, compute and write of incr */
	int exit_code;
	char error[200];
	struct buf line; /* the line print builds, reused */
	struct step_seen last;
	int phase; /* the step of a statement that takes several (wait) */
	/* Words a `get` put in locals, one buffer a local, made when first
	 * needed: the value outlives the queue's cell it came from. */
	char (*got)[AST_NAME_MAX + 1];
};

/* Prepares IN to run DEF/PROG from its first step with ARGS (def->nparams
 * values) and the global cells GLOBALS. */
void interp_init(struct interp *in, const struct task_def *def,
		 const struct program *prog, const struct value *args,
		 cell_t **globals);

/* Runs exactly one step. */
enum step_result interp_step(struct interp *in, struct task_io *io);

/* Returns the statement the next step will run, or NULL at the end. */
const struct stmt *interp_next(const struct interp *in);

/* Returns the instruction the next step will run, or -1 at the end. */
int interp_next_pc(const struct interp *in);

/* When the next step takes a lock: returns the task's lock number, or -1
 * with *NAME set to the name held by the variable that names it (NULL
 * when that step will fail instead). Returns -2 otherwise. */
int interp_next_lock(const struct interp *in, const char **name);

/* When the next step works on an object (wait ... get): returns its
 * statement, with *NAME the object's name (NULL when that step will fail
 * instead) and *PHASE the step of the statement it is. Returns -1
 * otherwise. */
int interp_next_sync(const struct interp *in, const char **name, int *phase);

/* Frees what interp_init allocated. */
void interp_free(struct interp *in);

#endif
