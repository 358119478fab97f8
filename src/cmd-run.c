/* cmd-run.c: run NAME...: let workers go on by themselves: undo a pause,
 * and in sched step let them run freely while the others are stepped (in
 * sched seed they go back to the seeded choice). */
#include "config.h"

#include <stdlib.h>

#include "cmd.h"

static int
exec_run(struct session *s, int argc, char **argv)
{
	struct cmd_workers l = { 0 };
	int rc = cmd_workers(s, argc, argv, 1, WOP_RUN, false, &l);

	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		l.v[i]->hold_over = HOLD_RUNS;
		sched_apply(s, l.v[i]);
	}
	free(l.v);
	return rc < 0 ? 1 : 0;
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
