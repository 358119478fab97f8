/* cmd-explore.c: explore [--preemptions K|all] [--max N] [--random N]
 * [--expect EXPECT]: runs the workers spawned and not started under
 * schedule after schedule until one violates (explorer.c). Every option
 * is checked before anything runs, each at most once; --expect takes the
 * words up to the next option, in a lesson's words (var x = 2). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "explore.h"
#include "explorer.h"

#define EXPLORE_MAX_SCHEDULES 100000000

static bool
is_option(const char *w)
{
	return strcmp(w, "--preemptions") == 0 || strcmp(w, "--max") == 0 ||
	       strcmp(w, "--random") == 0 || strcmp(w, "--expect") == 0;
}

static int
exec_explore(struct session *s, int argc, char **argv)
{
	struct explorer_opts o = { .bound = 2 };
	char err[512];
	uint64_t n;
	int i, end;
	bool seen[4] = { false };
	static const char *const names[4] = { "--preemptions", "--max",
					       "--random", "--expect" };

	for (i = 1; i < argc; i++) {
		const char *opt = argv[i];
		int k = 0;
		while (k < 4 && strcmp(opt, names[k]) != 0)
			k++;
		if (k == 4) {
			sh_error(s,
				 "explore: unknown option '%s' (--preemptions "
				 "K|all, --max N, --random N, --expect EXPECT)",
				 opt);
			goto fail;
		}
		if (seen[k]) {
			sh_error(s, "explore: %s is given twice", opt);
			goto fail;
		}
		seen[k] = true;
		if (strcmp(opt, "--expect") == 0) {
			/* The expectation: up to the next option, if any. */
			for (end = i + 1; end < argc && !is_option(argv[end]);
			     end++)
				;
			if (end == i + 1) {
				sh_error(s, "explore: --expect needs an "
					    "expectation (var x = 2)");
				goto fail;
			}
			if (expect_parse(end - i - 1, argv + i + 1, &o.expect,
					 err, sizeof err) < 0) {
				sh_error(s, "explore: --expect: %s", err);
				goto fail;
			}
			o.has_expect = true;
			i = end - 1;
			continue;
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
