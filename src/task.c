/*
 * task.c: the task table. Built-in tasks are ordinary definitions in the
 * task language, parsed at start-up, so `show task print_numbers` shows
 * real code a learner can copy. A task that is redefined while a worker
 * still holds it is retired, not freed, until its last worker is gone.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "task.h"

static const struct {
	const char *summary, *text;
} builtins[] = {
	{ "prints 1 to 5, one line each", "task print_numbers {\n    for i in "
					  "1..5 {\n        print i\n    }\n}" },
	{ "prints a to e, one line each",
	  "task print_letters {\n    for c in a b c d e {\n        print c\n"
	  "    }\n}" },
	{ "prints tick 1 .. tick n, one every ms milliseconds",
	  "task ticker(n, ms) {\n    for i in 1..n {\n        sleep ms\n"
	  "        print \"tick\" i\n    }\n}" },
	{ "adds 1 to the global x (set it first), n times: incr reads, adds, "
	  "writes",
	  "task count(n) {\n    repeat n {\n        incr x\n    }\n}" },
	{ "like count, but each incr holds the lock m",
	  "task count_locked(n) {\n    repeat n {\n        lock m\n"
	  "        incr x\n        unlock m\n    }\n}" },
};

void
tasks_init(struct task_table *t)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
		struct parse_error err;
		size_t used;
		struct task_def *def =
			parse_task(builtins[i].text, strlen(builtins[i].text),
				   &used, &err);
		if (def == NULL) { /* a bug in the table above */
			fprintf(stderr, "weft: built-in task %zu: %d:%d: %s\n",
				i, err.line, err.col, err.msg);
			abort();
		}
		def->builtin = true;
		tasks_define(t, def)->summary = builtins[i].summary;
	}
}

static void
task_free(struct task *t)
{
	task_def_free(t->def);
	program_free(t->prog);
	free(t);
}

void
tasks_free(struct task_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i]->refs == 0)
			task_free(t->v[i]);
		else
			t->v[i]->retired = true;
	}
	t->n = 0;
}

struct task *
tasks_find(const struct task_table *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i]->def->name, name) == 0)
			return t->v[i];
	return NULL;
}

struct task *
tasks_define(struct task_table *t, struct task_def *def)
{
	struct task *old = tasks_find(t, def->name), *nt;
	size_t at = t->n;

	if (old != NULL) {
		for (at = 0; t->v[at] != old; at++)
			;
		if (old->refs == 0)
			task_free(old);
		else
			old->retired = true;
	} else if (t->n == TASKS_MAX) {
		return NULL;
	} else {
		t->n++;
	}
	nt = calloc(1, sizeof *nt);
	if (nt == NULL)
		abort();
	nt->def = def;
	nt->prog = program_compile(def);
	t->v[at] = nt;
	return nt;
}

void
task_hold(struct task *t)
{
	t->refs++;
}

void
task_release(struct task *t)
{
	if (--t->refs == 0 && t->retired)
		task_free(t);
}

/* Writes D's parameters as "a, b" into BUF and returns it. */
static const char *
param_list(const struct task_def *d, char *buf, size_t len)
{
	struct buf b = { 0 };

	for (int i = 0; i < d->nparams; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", d->params[i]);
	snprintf(buf, len, "%s", b.len ? buf_str(&b) : "");
	buf_free(&b);
	return buf;
}

int
task_bind(const struct task *t, int argc, char *const *argv, struct value *args,
	  char *err, size_t errlen)
{
	const struct task_def *d = t->def;
	char sig[128];

	if (argc != d->nparams && d->nparams == 0) {
		snprintf(err, errlen, "task '%s' takes no arguments, got %d",
			 d->name, argc);
		return -1;
	}
	if (argc != d->nparams) {
		snprintf(err, errlen,
			 "task '%s' takes %d argument%s (%s), got %d", d->name,
			 d->nparams, d->nparams == 1 ? "" : "s",
			 param_list(d, sig, sizeof sig), argc);
		return -1;
	}
	for (int i = 0; i < argc; i++) {
		char *end;
		errno = 0;
		long long x = strtoll(argv[i], &end, 10);
		bool num = errno == 0 && end != argv[i] && *end == '\0';
		if (!num && d->numeric[i]) {
			snprintf(err, errlen,
				 "task '%s': %s must be an integer, "
				 "got '%s'",
				 d->name, d->params[i], argv[i]);
			return -1;
		}
		args[i] = num ? value_num(x) : value_word(argv[i]);
	}
	return 0;
}

const char *
task_signature(const struct task *t, char *buf, size_t len)
{
	char params[128];

	if (t->def->nparams == 0)
		snprintf(buf, len, "%s", t->def->name);
	else
		snprintf(buf, len, "%s(%s)", t->def->name,
			 param_list(t->def, params, sizeof params));
	return buf;
}
