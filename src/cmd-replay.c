/* cmd-replay.c: replay SCHEDULE: the workers spawned and not started
 * (those explore ran) started in sched step, with SCHEDULE ("t1*2 t2
 * t1", as explore prints it) queued: each step without a name takes the
 * schedule's next step, so the learner walks through the run explore
 * found. The schedule is checked whole before anything changes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "explore.h"
#include "explorer.h"
#include "xmalloc.h"

/* The longest schedule replay takes: explore's runs are at most 100000
 * steps, and a learner steps far fewer. */
#define REPLAY_MAX_STEPS 1000000

static int
exec_replay(struct session *s, int argc, char **argv)
{
	struct worker *v[EXPLORE_WORKERS];
	const char *names[EXPLORE_WORKERS];
	struct buf text = { 0 };
	char err[512];
	int *choices = NULL, n, st;
	long steps;

	if ((n = explorer_workers(s, v, EXPLORE_WORKERS, "replay", err,
				  sizeof err)) < 0) {
		sh_error(s, "%s", err);
		return 1;
	}
	for (int i = 0; i < n; i++)
		names[i] = v[i]->name;
	for (int i = 1; i < argc; i++)
		buf_printf(&text, "%s%s", i > 1 ? " " : "", argv[i]);
	steps = schedule_parse(buf_str(&text), names, (size_t)n, &choices, err,
			       sizeof err);
	if (steps < 0) {
		sh_error(s, "replay: %s", err);
		buf_free(&text);
		return 1;
	}
	if (steps > REPLAY_MAX_STEPS) {
		sh_error(s, "replay: %ld steps: a schedule is at most %d",
			 steps, REPLAY_MAX_STEPS);
		free(choices);
		buf_free(&text);
		return 1;
	}
	/* Every worker is held; step follows the queue. */
	sched_set_mode(s, SCHED_STEP, s->sch.seed);
	sched_replay_set(s, names, (size_t)n, choices, (size_t)steps);
	sh_printf(s, "replay: %ld step%s queued (%s): step takes the next\n",
		  steps, steps == 1 ? "" : "s", buf_str(&text));
	free(choices);
	buf_free(&text);

	/* Started as start starts them, in spawn order. */
	char **start = xcalloc((size_t)n + 2, sizeof *start);
	start[0] = "start";
	for (int i = 0; i < n; i++)
		start[i + 1] = v[i]->name;
	st = cmd_exec(s, n + 1, start);
	free(start);
	return st;
}

const struct cmd_entry cmd_replay_entry = {
	.name = "replay",
	.min_args = 1,
	.max_args = -1,
	.usage = "replay SCHEDULE",
	.summary = "start the new workers in sched step with SCHEDULE queued "
		   "(as explore prints it): step takes its next step",
	.example = "replay t1*3 t2*5 t1*2",
	.words = "w*",
	.exec = exec_replay,
};
