/* task.h: the table of tasks, built-in and defined by the learner. */
#ifndef WEFT_TASK_H
#define WEFT_TASK_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "interp.h"

#define TASKS_MAX 256

struct task {
	struct task_def *def;
	struct program *prog;
	const char *summary; /* built-ins: what it does */
	int refs;	     /* workers that run it */
	bool retired;	     /* replaced; freed when its last worker goes */
};

struct task_table {
	struct task *v[TASKS_MAX];
	size_t n;
};

/* Fills T with the built-in tasks (print_numbers, print_letters, ticker,
 * count...), each an ordinary definition. */
void tasks_init(struct task_table *t);

/* Frees every task no worker uses any more. */
void tasks_free(struct task_table *t);

/* Returns the task called NAME, or NULL. */
struct task *tasks_find(const struct task_table *t, const char *name);

/* Adds DEF (taking it over), replacing a task of the same name. Returns
 * the new task, or NULL when the table is full (DEF then stays the
 * caller's, so it can still name it in its error). The caller checks
 * first that no live worker runs the old one. */
struct task *tasks_define(struct task_table *t, struct task_def *def);

/* A worker starts or stops using T. */
void task_hold(struct task *t);
void task_release(struct task *t);

/* Binds ARGC words of ARGV to T's parameters: a parameter used as a number
 * needs an integer, any other takes an integer or a word. ARGS[i].s points
 * into ARGV. Returns 0, or -1 with a one-line reason in ERR. */
int task_bind(const struct task *t, int argc, char *const *argv,
	      struct value *args, char *err, size_t errlen);

/* Writes "name(a, b)" (or "name") for listings into BUF. */
const char *task_signature(const struct task *t, char *buf, size_t len);

#endif
