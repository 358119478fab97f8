/* cmd-run.c: run NAME...: let workers go on by themselves: undo a pause,
 * and in sched step let them run freely while the others are stepped (in
 * sched seed they go back to the seeded choice). */
#include "config.h"

#include "cmd.h"

static int
exec_run(struct session *s, int argc, char **argv)
{
	return cmd_hold(s, argc, argv, WOP_RUN, HOLD_RUNS);
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
