/* cmd-barrier.c: barrier B N: declares a reusable barrier of N parties:
 * each wait arrives, and the N-th arrival lets them all go on. */
#include "config.h"

#include "cmd.h"

static int
exec_barrier(struct session *s, int argc, char **argv)
{
	uint64_t n;

	if (cmd_number(s, argv[2], "barrier", "a number of parties", 1,
		       SYNC_VALUE_MAX, &n) < 0)
		return 1;
	return cmd_declare(s, argv[1], SYNC_BARRIER, (int64_t)n, NULL);
}

const struct cmd_entry cmd_barrier_entry = {
	.name = "barrier",
	.min_args = 2,
	.max_args = 2,
	.usage = "barrier NAME N",
	.summary = "declare a reusable barrier of N parties",
	.example = "barrier meet 3",
	.words = "--",
	.exec = exec_barrier,
};
