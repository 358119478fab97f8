/* cmd-quit.c: quit (or exit): leave weft; every worker is stopped and
 * reaped first. */
#include "config.h"

#include "cmd.h"

static int
exec_quit(struct session *s, int argc, char **argv)
{
	session_shutdown(s, 0);
	return 0;
}

const struct cmd_entry cmd_quit_entry = {
	.name = "quit",
	.alias = "exit",
	.min_args = 0,
	.max_args = 0,
	.usage = "quit",
	.summary = "stop and reap every worker, then leave weft (also: exit, "
		   "Ctrl-D)",
	.example = "quit",
	.exec = exec_quit,
};
