/*
 * cmd-source.c: source FILE: run the commands of FILE here, as if typed,
 * before anything typed after; lesson directives (say, expect...) work
 * too, and a title line is not needed. An expectation that fails stops
 * the file; in a script it ends weft with status 3.
 */
#include "config.h"

#include "cmd.h"
#include "lesson.h"
#include "play.h"

static int
exec_source(struct session *s, int argc, char **argv)
{
	struct lesson l;
	char err[512];

	if (play_running(s)) {
		sh_error(s, "a lesson is already running");
		return 1;
	}
	if (lesson_load_script(argv[1], &l, err, sizeof err) < 0) {
		sh_error(s, "%s", err);
		return 1;
	}
	play_start(s, &l, PLAY_CHECK, 0);
	return 0;
}

const struct cmd_entry cmd_source_entry = {
	.name = "source",
	.min_args = 1,
	.max_args = 1,
	.usage = "source FILE",
	.summary = "run the commands of FILE here, as if typed",
	.example = "source setup.weft",
	.words = "f",
	.exec = exec_source,
};
