/* cmd-pause.c: pause NAME...: hold workers before their next step; only
 * step (or run) moves them on. A worker paused before it starts is held
 * before its first step. */
#include "config.h"

#include "cmd.h"

static int
exec_pause(struct session *s, int argc, char **argv)
{
	return cmd_hold(s, argc, argv, WOP_PAUSE, HOLD_PAUSED);
}

const struct cmd_entry cmd_pause_entry = {
	.name = "pause",
	.min_args = 1,
	.max_args = -1,
	.usage = "pause NAME...",
	.summary = "hold workers at their next step, until step or run",
	.example = "pause t1",
	.words = "w*",
	.exec = exec_pause,
};
