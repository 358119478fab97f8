/* cmd-run.c: run NAME...: let workers go on by themselves: undo a pause,
 * and in sched step let them run freely while the others are stepped (in
 * sched seed they go back to the seeded choice). */
#include "config.h"

#include "cmd.h"

static int
exec_run(struct session *s, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct worker *w = cmd_worker(s, argv[i]);
		if (w == NULL)
			return 1;
		if (w->state != WS_NEW && w->state != WS_RUNNING) {
			sh_error(s, "cannot run '%s': it has ended", w->name);
			return 1;
		}
	}
	for (int i = 1; i < argc; i++) {
		struct worker *w = registry_find(&s->reg, argv[i]);
		w->hold_over = HOLD_RUNS;
		sched_apply(s, w);
	}
	return 0;
}

const struct cmd_entry cmd_run_entry = {
	.name = "run",
	.min_args = 1,
	.max_args = -1,
	.usage = "run NAME...",
	.summary = "let workers run by themselves again (undo pause; in "
		   "sched step, run them freely)",
	.example = "run t1",
	.words = "w*",
	.exec = exec_run,
};
