/* cmd-sched.c: sched [free|step|seed N|unit line|bytecode]: who decides
 * which worker takes the next step: the OS, the learner, or a PRNG seeded
 * with N; and how much a Python worker's step is. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "cmd.h"

static int
exec_sched(struct session *s, int argc, char **argv)
{
	uint64_t seed = 0;
	enum sched_mode mode;

	if (argc == 1) {
		if (s->sch.mode == SCHED_SEED)
			sh_printf(s, "sched seed %llu",
				  (unsigned long long)s->sch.seed);
		else
			sh_printf(s, "sched %s",
				  s->sch.mode == SCHED_STEP ? "step" : "free");
		sh_printf(s, s->sch.bytecode ? ", unit bytecode\n" : "\n");
		return 0;
	}
	if (strcmp(argv[1], "unit") == 0) {
		if (argc == 3 && (strcmp(argv[2], "line") == 0 ||
				  strcmp(argv[2], "bytecode") == 0)) {
			sched_set_unit(s, strcmp(argv[2], "bytecode") == 0);
			return 0;
		}
		sh_error(s, argc == 3 ? "sched unit: '%s' is not a unit: line or "
					"bytecode (a Python worker's step)"
				      : "usage: %s",
			 argc == 3 ? argv[2] : cmd_sched_entry.usage);
		return 1;
	}
	if (strcmp(argv[1], "free") == 0 && argc == 2)
		mode = SCHED_FREE;
	else if (strcmp(argv[1], "step") == 0 && argc == 2)
		mode = SCHED_STEP;
	else if (strcmp(argv[1], "seed") == 0 && argc == 3)
		mode = SCHED_SEED;
	else {
		sh_error(s, "usage: %s", cmd_sched_entry.usage);
		return 1;
	}
	if (mode == SCHED_SEED &&
	    cmd_number(s, argv[2], "sched seed", "a whole number", 0,
		       UINT64_MAX, &seed) < 0)
		return 1;
	sched_set_mode(s, mode, seed);
	return 0;
}

const struct cmd_entry cmd_sched_entry = {
	.name = "sched",
	.min_args = 0,
	.max_args = 2,
	.usage = "sched [free|step|seed N|unit U]",
	.summary = "who picks the next step: the OS (free), you (step), or a "
		   "PRNG seeded with N, the same every run (seed); unit U: a "
		   "Python step is a line or a bytecode",
	.example = "sched seed 42",
	.words = "x",
	.choices = "free step seed unit",
	.exec = exec_sched,
};
