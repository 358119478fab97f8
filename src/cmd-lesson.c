/*
 * cmd-lesson.c: lesson [NAME]: with no NAME, list the lessons; with one,
 * play it here: in present mode at the prompt, or as a script elsewhere
 * (its expectations checked, the first that fails ending weft with
 * status 3, as `weft --lesson NAME --mode check` does).
 */
#include "config.h"

#include <stdlib.h>

#include "cmd.h"
#include "lesson.h"
#include "play.h"

static int
exec_lesson(struct session *s, int argc, char **argv)
{
	struct lesson l;
	struct lesson_lang lang = cmd_lang(s);
	char err[512];
	char *path;

	if (argc == 1) {
		struct buf b = { 0 };
		if (lesson_list(lesson_dirs, &lang, &b) == 0)
			sh_error(s, "no lessons found");
		sh_printf(s, "%s", buf_str(&b));
		buf_free(&b);
		return 0;
	}
	if (play_running(s)) {
		sh_error(s, "a lesson is already running");
		return 1;
	}
	if ((path = lesson_find(argv[1], lesson_dirs)) == NULL) {
		sh_error(s, "no lesson '%s' (lesson lists them)", argv[1]);
		return 1;
	}
	if (lesson_load(path, &lang, &l, err, sizeof err) < 0) {
		sh_error(s, "%s", err);
		free(path);
		return 1;
	}
	free(path);
	play_start(s, &l, s->fe != NULL ? PLAY_PRESENT : PLAY_CHECK, 0);
	return 0;
}

const struct cmd_entry cmd_lesson_entry = {
	.name = "lesson",
	.min_args = 0,
	.max_args = 1,
	.usage = "lesson [NAME]",
	.summary = "list the lessons, or play one (by number, name or file)",
	.example = "lesson 04",
	.words = "l",
	.exec = exec_lesson,
};
