/* cmd-explore.c: explore [--preemptions K|all] [--max N] [--random N]
 * [--expect EXPECT]: runs the workers spawned and not started under
 * schedule after schedule until one violates (explorer.c). Every option
 * is checked before anything runs; --expect takes the rest of the line,
 * in a lesson's words (var x = 2). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "explore.h"
#include "explorer.h"

#define EXPLORE_MAX_SCHEDULES 100000000

/* Reads option value WORD, a count from 1 to MAX, into *N. */
static bool
count_of(struct session *s, const char *opt, const char *word, uint64_t max,
	 uint64_t *n)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(word, &end, 10);
	if (word[0] < '0' || word[0] > '9' || *end != '\0' || errno ||
	    v < 1 || v > max) {
		sh_error(s, "explore: %s takes a count from 1 to %llu, not '%s'",
			 opt, (unsigned long long)max, word);
		return false;
	}
	*n = v;
	return true;
}

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
		if (i + 1 == argc) {
			sh_error(s, "explore: %s needs a value", opt);
			goto fail;
		}
		const char *val = argv[++i];
		if (strcmp(opt, "--preemptions") == 0) {
			if (strcmp(val, "all") == 0) {
				o.bound = EXPLORE_UNBOUNDED;
			} else if (strcmp(val, "0") == 0) {
				o.bound = 0;
			} else if (val[0] >= '1' && val[0] <= '9' &&
				   count_of(s, opt, val, 1000, &n)) {
				o.bound = (int)n;
			} else {
				if (!(val[0] >= '1' && val[0] <= '9'))
					sh_error(s,
						 "explore: --preemptions takes "
						 "a number from 0 to 1000, or "
						 "all, not '%s'",
						 val);
				goto fail;
			}
		} else if (!count_of(s, opt, val, EXPLORE_MAX_SCHEDULES,
				     strcmp(opt, "--max") == 0 ? &o.max
							       : &o.random)) {
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
