/*
 * cmd-pyattr.c: pyattr NAME is_alive|name|pid|exitcode: what the Python
 * bridge turns t1.is_alive(), t1.name, p1.pid and p1.exitcode into,
 * printed as Python's REPL shows them: True/False, 't1', a number or
 * None. A thread has no pid or exitcode in Python, and none here.
 */
#include "config.h"

#include <string.h>

#include "cmd.h"

static int
exec_pyattr(struct session *s, int argc, char **argv)
{
	struct worker *w = cmd_worker(s, argv[1]);
	const char *attr = argv[2];

	if (w == NULL)
		return 1;
	if (strcmp(attr, "is_alive") == 0) {
		sh_printf(s, "%s\n", w->state == WS_RUNNING ? "True" : "False");
	} else if (strcmp(attr, "name") == 0) {
		sh_printf(s, "'%s'\n", w->name);
	} else if (strcmp(attr, "pid") == 0 || strcmp(attr, "exitcode") == 0) {
		if (w->kind == WORKER_THREAD) {
			sh_error(s,
				 "'%s' is a thread: a thread has no %s "
				 "(a process has)",
				 w->name, attr);
			return 1;
		}
		if (strcmp(attr, "pid") == 0 && w->state == WS_NEW)
			sh_printf(s, "None\n");
		else if (strcmp(attr, "pid") == 0)
			sh_printf(s, "%ld\n", (long)w->pid);
		else if (w->state == WS_NEW || w->state == WS_RUNNING)
			sh_printf(s, "None\n");
		else if (w->signal > 0) /* as Python: minus the signal */
			sh_printf(s, "%d\n", -w->signal);
		else if (w->fail != NULL)
			sh_printf(s, "1\n");
		else
			sh_printf(s, "%d\n", w->exit_code);
	} else {
		sh_error(s, "usage: %s", cmd_pyattr_entry.usage);
		return 1;
	}
	return 0;
}

const struct cmd_entry cmd_pyattr_entry = {
	.name = "pyattr",
	.min_args = 2,
	.max_args = 2,
	.usage = "pyattr NAME is_alive|name|pid|exitcode",
	.summary = "a worker's attribute as Python shows it (t1.is_alive(), "
		   "p1.pid, p1.exitcode)",
	.example = "pyattr p1 exitcode",
	.words = "wx",
	.choices = "is_alive name pid exitcode",
	.exec = exec_pyattr,
};
