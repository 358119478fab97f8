/* cmd-pause.c: pause NAME...: hold workers before their next step; only
 * step (or run) moves them on. A worker paused before it starts is held
 * before its first step. */
#include "config.h"

#include <stdlib.h>

#include "cmd.h"

static int
exec_pause(struct session *s, int argc, char **argv)
{
	struct cmd_workers l = { 0 };
	int rc = cmd_workers(s, argc, argv, 1, WOP_PAUSE, false, &l);

	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		l.v[i]->hold_over = HOLD_PAUSED;
		sched_apply(s, l.v[i]);
	}
	free(l.v);
	return rc < 0 ? 1 : 0;
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
