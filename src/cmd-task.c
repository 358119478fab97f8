/*
 * cmd-task.c: task NAME[(PARAM, ...)] { BODY }: define a task. The shell
 * gathers the whole definition, over as many lines as it takes, and hands
 * it over as one piece; nothing is defined unless all of it parses.
 */
#include "config.h"

#include <string.h>

#include "cmd.h"

/* Returns a worker that is new or running TASK, or NULL. */
static struct worker *
live_user(struct session *s, const char *task)
{
	for (size_t i = 0; i < s->reg.n; i++) {
		struct worker *w = s->reg.v[i];
		if ((w->state == WS_NEW || w->state == WS_RUNNING) &&
		    strcmp(w->task->def->name, task) == 0)
			return w;
	}
	return NULL;
}

static int
exec_task(struct session *s, int argc, char **argv)
{
	struct parse_error err;
	struct task_def *def;
	struct worker *w;
	size_t used;

	if (argc != 2 || strncmp(argv[1], "task", 4) != 0) {
		sh_error(s, "a task definition must begin its own line");
		return 1;
	}
	def = parse_task(argv[1], strlen(argv[1]), &used, &err);
	if (def == NULL) {
		sh_error(s, "%d:%d: %s", err.line, err.col, err.msg);
		return 1;
	}
	if ((w = live_user(s, def->name)) != NULL) {
		sh_error(s,
			 "cannot redefine '%s': worker '%s' runs it (join or "
			 "reset first)",
			 def->name, w->name);
		task_def_free(def);
		return 1;
	}
	if (tasks_define(&s->tasks, def) == NULL) {
		sh_error(s,
			 "cannot define '%s': there are %d tasks already "
			 "(the most)",
			 def->name, TASKS_MAX);
		task_def_free(def);
		return 1;
	}
	return 0;
}

const struct cmd_entry cmd_task_entry = {
	.name = "task",
	.min_args = 1,
	.max_args = -1,
	.usage = "task NAME[(PARAM, ...)] { BODY }",
	.summary = "define a task; the body may span lines (see 'show task "
		   "count')",
	.example = "task hello(n) { for i in 1..n { print \"hello\" i } }",
	.exec = exec_task,
};
