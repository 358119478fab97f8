/* cmd-condition.c: condition C M: declares a condition variable bound to
 * lock M (as Python's threading.Condition(m)); the lock is made when it
 * does not exist yet. */
#include "config.h"

#include "cmd.h"

static int
exec_condition(struct session *s, int argc, char **argv)
{
	return cmd_declare(s, argv[1], SYNC_CONDITION, 0, argv[2]);
}

const struct cmd_entry cmd_condition_entry = {
	.name = "condition",
	.min_args = 2,
	.max_args = 2,
	.usage = "condition NAME LOCK",
	.summary = "declare a condition variable bound to LOCK: wait, notify, "
		   "notify_all",
	.example = "condition ready m",
	.words = "-m",
	.exec = exec_condition,
};
