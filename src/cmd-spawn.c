/* cmd-spawn.c: spawn thread|process|node NAME TASK [ARG...]: make a
 * worker in state new. Nothing runs yet, as with Python's Thread(...) constructor.
 * TASK may be a function of the Python typed at the prompt (pyrun.h). */
#include "config.h"

#include <string.h>

#include "cmd.h"
#include "node.h"
#include "pyrun.h"
#include "task.h"

static int
exec_spawn(struct session *s, int argc, char **argv)
{
	const char *kind = argv[1], *name = argv[2];
	enum worker_kind k;
	struct task *t;
	struct value args[AST_MAX_PARAMS];
	char err[256];

	if (strcmp(kind, "thread") == 0)
		k = WORKER_THREAD;
	else if (strcmp(kind, "process") == 0)
		k = WORKER_PROCESS;
	else if (strcmp(kind, "node") == 0)
		k = WORKER_NODE;
	else {
		sh_error(s,
			 "unknown worker kind '%s' (thread, process or node)",
			 kind);
		return 1;
	}
	if (k == WORKER_NODE && node_unavailable() != NULL) {
		sh_error(s, "%s", node_unavailable());
		return 1;
	}
	if (!worker_name_valid(name)) {
		sh_error(s,
			 "invalid worker name '%s' (a letter or _, then "
			 "letters, digits or _, at most %d)",
			 name, WORKER_NAME_MAX);
		return 1;
	}
	if (strcmp(name, "main") == 0 || strcmp(name, "all") == 0) {
		sh_error(s, "'%s' is reserved and cannot name a worker", name);
		return 1;
	}
	if (registry_find(&s->reg, name) != NULL) {
		sh_error(s, "a worker named '%s' already exists", name);
		return 1;
	}
	if ((t = tasks_find(&s->tasks, argv[3])) == NULL) {
		/* A function of the Python typed at the prompt. */
		if (!s->bridge && pyrun_callable(s, argv[3])) {
			if (k == WORKER_NODE) {
				sh_error(s,
					 "'%s' is a Python function: a node "
					 "runs weft's tasks (tasks), not Python",
					 argv[3]);
				return 1;
			}
			if (pyrun_spawn(s, name, k, argv[3], argc - 4, argv + 4,
					err, sizeof err) < 0) {
				sh_error(s, "%s", err);
				return 1;
			}
			return 0;
		}
		cmd_no_such(s, 't', argv[3]);
		return 1;
	}
	if (task_bind(t, argc - 4, argv + 4, args, err, sizeof err) < 0) {
		sh_error(s, "%s", err);
		return 1;
	}
	if (registry_add(&s->reg, name, k, t, argv + 4, args) == NULL) {
		sh_error(s, "cannot spawn '%s': at most %d workers (try reset)",
			 name, WORKER_MAX);
		return 1;
	}
	return 0;
}

const struct cmd_entry cmd_spawn_entry = {
	.name = "spawn",
	.min_args = 3,
	.max_args = -1,
	.usage = "spawn KIND NAME TASK [ARG...]",
	.summary = "create worker NAME, a thread, process or node, running "
		   "TASK; it starts with 'start'",
	.example = "spawn thread t1 print_numbers",
	.words = "k-t",
	.exec = exec_spawn,
};
