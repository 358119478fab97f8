/* cmd-reset.c: reset: stop and reap every worker and forget them all,
 * with every global variable and lock. */
#include "config.h"

#include "cmd.h"

static int
exec_reset(struct session *s, int argc, char **argv)
{
	session_reset(s);
	return 0;
}

const struct cmd_entry cmd_reset_entry = {
	.name = "reset",
	.min_args = 0,
	.max_args = 0,
	.usage = "reset",
	.summary = "stop and reap every worker, then forget them, the "
		   "variables and the locks",
	.example = "reset",
	.exec = exec_reset,
};
