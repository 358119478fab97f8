/* cmd-pause.c: pause NAME...: hold workers before their next step; only
 * step (or run) moves them on. A worker paused before it starts is held
 * before its first step. */
#include "config.h"

#include "cmd.h"

static int
exec_pause(struct session *s, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct worker *w = cmd_worker(s, argv[i]);
		if (w == NULL)
			return 1;
		if (w->state != WS_NEW && w->state != WS_RUNNING) {
			sh_error(s, "cannot pause '%s': it has ended", w->name);
			return 1;
		}
	}
	for (int i = 1; i < argc; i++) {
		struct worker *w = registry_find(&s->reg, argv[i]);
		w->hold_over = HOLD_PAUSED;
		sched_apply(s, w);
	}
	return 0;
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
