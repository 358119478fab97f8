/* cmd-sleep.c: sleep MS: let the workers run for a while before the next
 * command, with their output streaming; Ctrl-C ends it early. */
#include "config.h"

#include "cmd.h"

#define SLEEP_MAX_MS 86400000

static bool
never(struct session *s, void *arg)
{
	return false;
}

static int
sleep_finish(struct session *s, void *arg, enum wait_end how)
{
	return how == WAIT_INTERRUPTED ? 1 : 0;
}

static int
exec_sleep(struct session *s, int argc, char **argv)
{
	struct wait wait = { .done = never,
			     .finish = sleep_finish,
			     .interruptible = true };
	uint64_t ms;

	if (cmd_number(s, argv[1], "sleep", "milliseconds", 0, SLEEP_MAX_MS,
		       &ms) < 0)
		return 1;
	wait.deadline = ev_now() + ms * 1000000u;
	session_wait(s, &wait);
	return 0;
}

const struct cmd_entry cmd_sleep_entry = {
	.name = "sleep",
	.min_args = 1,
	.max_args = 1,
	.usage = "sleep MS",
	.summary = "let the workers run for MS milliseconds before the next "
		   "command",
	.example = "sleep 500",
	.exec = exec_sleep,
};
