/*
 * task.c: the tasks a worker can run and the single-step contract they keep.
 * A task is a step function over a small state: each call does one
 * statement's worth of work (one print, one sleep) and returns, so whoever
 * runs it can stop, count or gate it between steps. The built-ins are the
 * Python tutorial's print_numbers and print_letters, and ticker.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "task.h"

static int
print_int(struct task_io *io, const char *prefix, int64_t v)
{
	char buf[64];
	int n = snprintf(buf, sizeof buf, "%s%lld", prefix, (long long)v);
	return io->print(io, buf, (size_t)n);
}

/* print_numbers: for i in 1..5 { print i } */
static enum task_step
step_numbers(struct task_run *r, struct task_io *io)
{
	print_int(io, "", ++r->pc);
	return r->pc < 5 ? TASK_MORE : TASK_DONE;
}

/* print_letters: for c in a b c d e { print c } */
static enum task_step
step_letters(struct task_run *r, struct task_io *io)
{
	char c = (char)('a' + r->pc++);
	io->print(io, &c, 1);
	return r->pc < 5 ? TASK_MORE : TASK_DONE;
}

/* ticker N MS: for i in 1..N { sleep MS; print "tick" i }: even pc values
 * sleep, odd ones print. */
static enum task_step
step_ticker(struct task_run *r, struct task_io *io)
{
	int64_t n = r->arg[0], ms = r->arg[1];

	if (n == 0)
		return TASK_DONE;
	if (r->pc % 2 == 0) {
		r->pc++;
		return io->sleep(io, ms) ? TASK_STOP : TASK_MORE;
	}
	print_int(io, "tick ", r->pc / 2 + 1);
	r->pc++;
	return r->pc / 2 < n ? TASK_MORE : TASK_DONE;
}

static const struct task tasks[] = {
	{ "print_numbers",
	  "prints 1 to 5, one line each",
	  0,
	  { 0 },
	  { 0 },
	  { 0 },
	  step_numbers },
	{ "print_letters",
	  "prints a to e, one line each",
	  0,
	  { 0 },
	  { 0 },
	  { 0 },
	  step_letters },
	{ "ticker",
	  "prints tick 1 .. tick N, one every MS milliseconds",
	  2,
	  { "N", "MS" },
	  { 0, 0 },
	  { 1000000000, 3600000 },
	  step_ticker },
};

const struct task *
task_find(const char *name)
{
	for (size_t i = 0; i < task_count(); i++)
		if (strcmp(tasks[i].name, name) == 0)
			return &tasks[i];
	return NULL;
}

size_t
task_count(void)
{
	return sizeof tasks / sizeof tasks[0];
}

const struct task *
task_at(size_t i)
{
	return i < task_count() ? &tasks[i] : NULL;
}

const char *
task_params(const struct task *t, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < t->nparams && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					i ? " " : "", t->params[i]);
	return buf;
}

static int
parse_int(const char *s, int64_t *v)
{
	char *end;

	errno = 0;
	long long x = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return -1;
	*v = x;
	return 0;
}

int
task_bind(const struct task *t, int argc, char *const *argv, struct task_run *r,
	  char *err, size_t errlen)
{
	char params[64];

	memset(r, 0, sizeof *r);
	r->task = t;
	if (argc != t->nparams) {
		if (t->nparams == 0)
			snprintf(err, errlen,
				 "task '%s' takes no arguments, got %d",
				 t->name, argc);
		else
			snprintf(err, errlen,
				 "task '%s' takes %d argument%s (%s), got %d",
				 t->name, t->nparams,
				 t->nparams == 1 ? "" : "s",
				 task_params(t, params, sizeof params), argc);
		return -1;
	}
	for (int i = 0; i < argc; i++) {
		if (parse_int(argv[i], &r->arg[i]) < 0) {
			snprintf(err, errlen,
				 "task '%s': %s must be an integer, got '%s'",
				 t->name, t->params[i], argv[i]);
			return -1;
		}
		if (r->arg[i] < t->min[i] || r->arg[i] > t->max[i]) {
			snprintf(err, errlen,
				 "task '%s': %s must be from %lld to %lld, got "
				 "%s",
				 t->name, t->params[i], (long long)t->min[i],
				 (long long)t->max[i], argv[i]);
			return -1;
		}
	}
	return 0;
}

enum task_step
task_step(struct task_run *r, struct task_io *io)
{
	return r->task->step(r, io);
}
