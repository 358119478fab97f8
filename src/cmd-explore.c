/* cmd-explore.c: explore [--preemptions K|all] [--max N] [--random N]
 * [--expect EXPECT]: runs the workers spawned and not started under
 * schedule after schedule until one violates (explorer.c). Every option
 * is checked before anything runs; --expect takes the rest of the line,
 * in a lesson's words (var x = 2). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "explore.h"
#include "explorer.h"

#define EXPLORE_MAX_SCHEDULES 100000000

static int
exec_explore(struct session *s, int argc, char **argv)
{
	struct explorer_opts o = { .bound = 2 };
	char err[512];
	uint64_t n;
	int i;

	for (i = 1; i < argc; i++) {
		const char *opt = argv[i];
		if (strcmp(opt, "--expect") == 0) {
			if (i + 1 == argc) {
				sh_error(s, "explore: --expect needs an "
					    "expectation (var x = 2)");
				goto fail;
			}
			if (expect_parse(argc - i - 1, argv + i + 1, &o.expect,
					 err, sizeof err) < 0) {
				sh_error(s, "explore: --expect: %s", err);
				goto fail;
			}
			o.has_expect = true;
			break;
		}
		if (strcmp(opt, "--preemptions") != 0 &&
		    strcmp(opt, "--max") != 0 && strcmp(opt, "--random") != 0) {
			sh_error(s,
				 "explore: unknown option '%s' (--preemptions "
				 "K|all, --max N, --random N, --expect EXPECT)",
				 opt);
			goto fail;
		}
		/* The value, checked in the one wording of numbers. */
		const char *val = i + 1 < argc ? argv[++i] : NULL;
		char what[32];
		snprintf(what, sizeof what, "explore %s", opt);
		if (strcmp(opt, "--preemptions") == 0) {
			if (val != NULL && strcmp(val, "all") == 0)
				o.bound = EXPLORE_UNBOUNDED;
			else if (cmd_number(s, val, what, "all or a number", 0,
					    1000, &n) < 0)
				goto fail;
			else
				o.bound = (int)n;
		} else if (cmd_number(s, val, what, "a count", 1,
				      EXPLORE_MAX_SCHEDULES,
				      strcmp(opt, "--max") == 0 ? &o.max
								: &o.random) < 0) {
			goto fail;
		}
	}
	if (explorer_start(s, &o, err, sizeof err) < 0) {
		sh_error(s, "%s", err);
		goto fail;
	}
	return 0;
fail:
	if (o.has_expect)
		expect_free(&o.expect);
	return 1;
}

const struct cmd_entry cmd_explore_entry = {
	.name = "explore",
	.min_args = 0,
	.max_args = -1,
	.usage = "explore [OPTION]...",
	.summary = "run the new workers under schedule after schedule until "
		   "one breaks (an assert, a failure, a deadlock): "
		   "--preemptions K|all (2), --max N, --random N, --expect "
		   "EXPECT",
	.example = "explore --expect var x = 2",
	.words = "x*",
	.choices = "--preemptions --max --random --expect",
	.exec = exec_explore,
};
