/* cmd-vars.c: the global variables: vars lists them as the shell sees
 * them, set gives one a value, shared moves one into the memory shared
 * with processes. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "xmalloc.h"

static int
by_name(const void *a, const void *b)
{
	const struct var *x = *(const struct var *const *)a;
	const struct var *y = *(const struct var *const *)b;

	return strcmp(x->name, y->name);
}

static int
exec_vars(struct session *s, int argc, char **argv)
{
	const struct var **v = xcalloc(s->vars.n + 1, sizeof *v);

	for (size_t i = 0; i < s->vars.n; i++)
		v[i] = &s->vars.v[i];
	qsort(v, s->vars.n, sizeof *v, by_name);
	for (size_t i = 0; i < s->vars.n; i++) {
		int64_t x;
		if (cell_get(v[i]->cell, &x))
			sh_printf(s, "%s = %lld%s\n", v[i]->name, (long long)x,
				  v[i]->shared ? " (shared)" : "");
		else /* a task names it, nobody gave it a value */
			sh_printf(s, "%s is not set%s\n", v[i]->name,
				  v[i]->shared ? " (shared)" : "");
	}
	free(v);
	return 0;
}

const struct cmd_entry cmd_vars_entry = {
	.name = "vars",
	.min_args = 0,
	.max_args = 0,
	.usage = "vars",
	.summary = "list the global variables as the shell sees them",
	.example = "vars",
	.exec = exec_vars,
};

/* Reads "NAME", "NAME = N" or "NAME=N" from the words after the command
 * name. Returns 0, or -1 after printing an error (USAGE names the form). */
static int
parse_assignment(struct session *s, int argc, char **argv, char *name,
		 bool *has_value, int64_t *value, const char *usage)
{
	struct buf b = { 0 };
	const char *p, *eq;
	char *end;
	int rc = -1;

	for (int i = 1; i < argc; i++)
		buf_puts(&b, argv[i]);
	p = buf_str(&b);
	eq = strchr(p, '=');
	size_t n = eq ? (size_t)(eq - p) : strlen(p);
	if (n == 0) {
		sh_error(s, "usage: %s", usage);
		goto out;
	}
	if (n > AST_NAME_MAX) { /* a long name is shown cut, not whole */
		sh_error(s, "variable name '%.*s%s' is too long (at most %d "
			    "characters)",
			 (int)(n > 40 ? 40 : n), p, n > 40 ? "..." : "",
			 AST_NAME_MAX);
		goto out;
	}
	memcpy(name, p, n);
	name[n] = '\0';
	if (!worker_name_valid(name)) {
		sh_error(s, "invalid variable name '%s'", name);
		goto out;
	}
	*has_value = eq != NULL;
	if (eq != NULL) {
		errno = 0;
		*value = strtoll(eq + 1, &end, 10);
		if (errno || end == eq + 1 || *end) {
			sh_error(s, "'%s' is not a 64-bit integer", eq + 1);
			goto out;
		}
	}
	rc = 0;
out:
	buf_free(&b);
	return rc;
}

static int
exec_set(struct session *s, int argc, char **argv)
{
	char name[AST_NAME_MAX + 1];
	bool has;
	int64_t v;
	int i;

	if (parse_assignment(s, argc, argv, name, &has, &v,
			     cmd_set_entry.usage))
		return 1;
	if (!has) {
		sh_error(s, "usage: %s", cmd_set_entry.usage);
		return 1;
	}
	if ((i = vars_intern(&s->vars, name)) < 0) {
		sh_error(s, "cannot set '%s': at most %d variables", name,
			 VARS_MAX);
		return 1;
	}
	cell_put(s->vars.v[i].cell, v);
	return 0;
}

const struct cmd_entry cmd_set_entry = {
	.name = "set",
	.min_args = 1,
	.max_args = 3,
	.usage = "set VAR = N",
	.summary = "give a global variable a value (threads see it; a running "
		   "process has its own copy)",
	.example = "set x = 0",
	.words = "v",
	.exec = exec_set,
};

/* Returns a running worker whose task uses global NAME, or NULL. */
static struct worker *
running_user(struct session *s, const char *name)
{
	for (size_t i = 0; i < s->reg.n; i++) {
		struct worker *w = s->reg.v[i];
		const struct task_def *d = w->task->def;
		for (size_t g = 0; w->state == WS_RUNNING && g < d->nglobals;
		     g++)
			if (strcmp(d->globals[g], name) == 0)
				return w;
	}
	return NULL;
}

static int
exec_shared(struct session *s, int argc, char **argv)
{
	char name[AST_NAME_MAX + 1];
	struct worker *w;
	int i;
	bool has;
	int64_t v = 0;

	if (parse_assignment(s, argc, argv, name, &has, &v,
			     cmd_shared_entry.usage))
		return 1;
	i = vars_find(&s->vars, name);
	if ((i < 0 || !s->vars.v[i].shared) &&
	    (w = running_user(s, name)) != NULL) {
		sh_error(s,
			 "cannot make '%s' shared now: '%s' is running and "
			 "uses it",
			 name, w->name);
		return 1;
	}
	if (vars_share(&s->vars, name, has, v) < 0) {
		sh_error(s, "cannot share '%s': at most %d shared variables",
			 name, SHM_CELLS);
		return 1;
	}
	return 0;
}

const struct cmd_entry cmd_shared_entry = {
	.name = "shared",
	.min_args = 1,
	.max_args = 3,
	.usage = "shared VAR [= N]",
	.summary = "put a global variable in memory shared with processes too",
	.example = "shared x = 0",
	.words = "v",
	.exec = exec_shared,
};
