/* cmd-tasks.c: tasks: what a worker can run. */
#include "config.h"

#include <stdio.h>

#include "cmd.h"
#include "task.h"

static int
exec_tasks(struct session *s, int argc, char **argv)
{
	for (size_t i = 0; i < task_count(); i++) {
		const struct task *t = task_at(i);
		char params[64], head[128];
		snprintf(head, sizeof head, "%s%s%s", t->name,
			 t->nparams ? " " : "",
			 task_params(t, params, sizeof params));
		sh_printf(s, "%-18s %s\n", head, t->summary);
	}
	return 0;
}

const struct cmd_entry cmd_tasks_entry = {
	"tasks", NULL,	     0, 0, "tasks", "list the tasks a worker can run",
	"tasks", exec_tasks,
};
