/*
 * cmd-timeline.c: timeline [NAME...]: the trace so far as columns, one per
 * worker, one row per event in order, with the time (or, in sched step
 * and seed, the step number) at the left; workers that do not fit the
 * terminal's width go on in another block below.
 */
#include "config.h"

#include <stdlib.h>

#include "cmd.h"
#include "wrap.h"
#include "xmalloc.h"

static int
exec_timeline(struct session *s, int argc, char **argv)
{
	uint32_t *only = xcalloc((size_t)argc, sizeof *only);
	struct timeline_opts o = { .width = wrap_width(),
				   .steps = s->ro.steps,
				   .t0 = s->t0,
				   .only = only };
	struct buf out = { 0 };

	for (int i = 1; i < argc; i++) {
		struct worker *w = cmd_worker(s, argv[i]);
		if (w == NULL) {
			free(only);
			return 1;
		}
		only[o.nonly++] = w->id;
	}
	trace_timeline(&s->trace, &s->reg, &o, &out);
	sh_printf(s, "%s", buf_str(&out));
	buf_free(&out);
	free(only);
	return 0;
}

const struct cmd_entry cmd_timeline_entry = {
	.name = "timeline",
	.min_args = 0,
	.max_args = -1,
	.usage = "timeline [NAME...]",
	.summary = "the trace so far as columns, one per worker",
	.example = "timeline t1 t2",
	.words = "w*",
	.exec = exec_timeline,
};
