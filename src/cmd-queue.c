/* cmd-queue.c: queue Q [N]: declares a first-in first-out queue of at
 * most N values (16 when not given), numbers or words: put waits while
 * it is full, get while it is empty. */
#include "config.h"

#include "cmd.h"

static int
exec_queue(struct session *s, int argc, char **argv)
{
	uint64_t n = 16;

	if (argc > 2 && cmd_number(s, argv[2], "queue", "a number of values",
				   1, SYNC_QUEUE_MAX, &n) < 0)
		return 1;
	return cmd_declare(s, argv[1], SYNC_QUEUE, (int64_t)n, NULL);
}

const struct cmd_entry cmd_queue_entry = {
	.name = "queue",
	.min_args = 1,
	.max_args = 2,
	.usage = "queue NAME [N]",
	.summary = "declare a queue of at most N values (16): put, get",
	.example = "queue jobs 4",
	.words = "--",
	.exec = exec_queue,
};
