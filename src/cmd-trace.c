/* cmd-trace.c: trace [output|events|steps|off]: how much the tracer
 * prints live. */
#include "config.h"

#include <string.h>

#include "cmd.h"

static const char *const levels[] = {
	[TRACE_OFF] = "off",
	[TRACE_OUTPUT] = "output",
	[TRACE_EVENTS] = "events",
	[TRACE_STEPS] = "steps",
};

static int
exec_trace(struct session *s, int argc, char **argv)
{
	if (argc == 1) {
		sh_printf(s, "trace %s\n", levels[s->sch.trace]);
		return 0;
	}
	for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
		if (strcmp(argv[1], levels[i]) == 0) {
			sched_set_trace(s, (enum trace_level)i);
			return 0;
		}
	sh_error(s, "usage: %s", cmd_trace_entry.usage);
	return 1;
}

const struct cmd_entry cmd_trace_entry = {
	.name = "trace",
	.min_args = 0,
	.max_args = 1,
	.usage = "trace [output|events|steps|off]",
	.summary = "print live: output lines only; also starts, ends and "
		   "deadlocks (the default); also every step; nothing",
	.example = "trace steps",
	.words = "x",
	.choices = "output events steps off",
	.exec = exec_trace,
};
