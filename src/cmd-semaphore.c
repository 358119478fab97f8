/* cmd-semaphore.c: semaphore S [N]: declares a counting semaphore of
 * value N (1 when not given, as Python's threading.Semaphore()). */
#include "config.h"

#include "cmd.h"

static int
exec_semaphore(struct session *s, int argc, char **argv)
{
	uint64_t n = 1;

	if (argc > 2 && cmd_number(s, argv[2], "semaphore", "a value", 0,
				   SYNC_VALUE_MAX, &n) < 0)
		return 1;
	return cmd_declare(s, argv[1], SYNC_SEMAPHORE, (int64_t)n, NULL);
}

const struct cmd_entry cmd_semaphore_entry = {
	.name = "semaphore",
	.min_args = 1,
	.max_args = 2,
	.usage = "semaphore NAME [N]",
	.summary = "declare a counting semaphore of value N (1): wait takes "
		   "one, signal gives one back",
	.example = "semaphore slots 4",
	.words = "--",
	.exec = exec_semaphore,
};
