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
	struct cmd_workers l = { 0 };
	uint32_t *only;
	struct timeline_opts o = { .width = wrap_width(),
				   .steps = s->ro.steps,
				   .t0 = s->t0 };
	struct buf out = { 0 };

	if (cmd_workers(s, argc, argv, 1, WOP_SHOW, false, &l) < 0) {
		free(l.v);
		return 1;
	}
	o.only = only = xcalloc(l.n + 1, sizeof *only);
	for (size_t i = 0; i < l.n; i++)
		only[o.nonly++] = l.v[i]->id;
	free(l.v);
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
