/* cmd-pace.c: pace [MS]: slow every step down by MS milliseconds, so a
 * class can watch the interleaving happen; 0 turns it off. */
#include "config.h"

#include "cmd.h"

static int
exec_pace(struct session *s, int argc, char **argv)
{
	uint64_t ms;

	if (argc == 1) {
		sh_printf(s, "pace %u\n", s->sch.pace_ms);
		return 0;
	}
	if (cmd_number(s, argv[1], "pace", "milliseconds", 0, SCHED_PACE_MAX_MS,
		       &ms) < 0)
		return 1;
	sched_set_pace(s, (unsigned)ms);
	return 0;
}

const struct cmd_entry cmd_pace_entry = {
	.name = "pace",
	.min_args = 0,
	.max_args = 1,
	.usage = "pace [MS]",
	.summary = "wait MS milliseconds before each step (0: full speed)",
	.example = "pace 200",
	.exec = exec_pace,
};
