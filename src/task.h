/* task.h: what a worker runs, one step at a time. */
#ifndef WEFT_TASK_H
#define WEFT_TASK_H

#include <stddef.h>
#include <stdint.h>

#define TASK_MAX_PARAMS 4

/* What a running task may do; the worker that runs it provides these. */
struct task_io {
	/* Emits one output line. Returns 0, or -1 when the tracer is gone. */
	int (*print)(struct task_io *io, const char *text, size_t len);
	/* Sleeps MS milliseconds. Returns 0, or 1 when woken to be cancelled.
	 */
	int (*sleep)(struct task_io *io, int64_t ms);
};

/* One task in progress: its arguments and where it is. */
struct task_run {
	const struct task *task;
	int64_t arg[TASK_MAX_PARAMS];
	int64_t pc; /* the task's own position */
	int exit_code;
};

enum task_step {
	TASK_MORE, /* a step was taken and more remain */
	TASK_DONE, /* the task has ended; exit_code holds its status */
	TASK_STOP, /* the task was cancelled during its step */
};

struct task {
	const char *name;
	const char *summary;
	int nparams;
	const char *params[TASK_MAX_PARAMS];
	int64_t min[TASK_MAX_PARAMS], max[TASK_MAX_PARAMS];
	enum task_step (*step)(struct task_run *r, struct task_io *io);
};

/* Returns the task called NAME, or NULL. */
const struct task *task_find(const char *name);

/* Returns the number of tasks, and task I of them in listing order. */
size_t task_count(void);
const struct task *task_at(size_t i);

/* Returns the task's parameters as text, e.g. "N MS" ("" for none). */
const char *task_params(const struct task *t, char *buf, size_t len);

/* Binds ARGC words of ARGV to T's parameters in R, ready for the first
 * step. Returns 0, or -1 with a one-line reason in ERR. */
int task_bind(const struct task *t, int argc, char *const *argv,
	      struct task_run *r, char *err, size_t errlen);

/* Runs exactly one step of R. */
enum task_step task_step(struct task_run *r, struct task_io *io);

#endif
