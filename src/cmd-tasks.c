/* cmd-tasks.c: tasks: what a worker can run. */
#include "config.h"

#include <stdio.h>

#include "cmd.h"
#include "task.h"

static int
exec_tasks(struct session *s, int argc, char **argv)
{
	for (size_t i = 0; i < s->tasks.n; i++) {
		const struct task *t = s->tasks.v[i];
		char sig[128];
		sh_printf(s, "%-22s %s\n", task_signature(t, sig, sizeof sig),
			  t->def->builtin ? t->summary
					  : "(yours: show task "
					    "NAME prints it)");
	}
	return 0;
}

const struct cmd_entry cmd_tasks_entry = {
	.name = "tasks",
	.min_args = 0,
	.max_args = 0,
	.usage = "tasks",
	.summary = "list the tasks a worker can run",
	.example = "tasks",
	.exec = exec_tasks,
};
