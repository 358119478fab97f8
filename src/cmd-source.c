/*
 * cmd-source.c: source FILE: run the commands of FILE here, as if typed,
 * before anything typed after; lesson directives (say, expect...) work
 * too, Python lines and blocks are read as a lesson's, and a title line
 * is not needed. An expectation that fails stops the file; in a script
 * it ends weft with status 3. A sourced file may source another, which
 * runs first, up to 16 deep; a file that would source itself, directly
 * or through others, is refused.
 */
#include "config.h"

#include <sys/stat.h>

#include "cmd.h"
#include "lesson.h"
#include "play.h"

/* Files sourced inside files sourced... at most this deep. */
#define SOURCE_MAX_DEPTH 16

static bool
same_file(const char *a, const char *b)
{
	struct stat x, y;

	return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev &&
	       x.st_ino == y.st_ino;
}

/* Refuses a source of FILE that would loop or nest too deeply, naming the
 * chain from the outermost file; returns -1 after the error. */
static int
refuse_nesting(struct session *s, const char *file)
{
	const char *files[SOURCE_MAX_DEPTH + 1];
	int n = play_files(s, files, SOURCE_MAX_DEPTH + 1);
	int loop = -1;
	struct buf chain = { 0 };

	if (n < 0) {
		sh_error(s, "a lesson is already running");
		return -1;
	}
	for (int i = 0; i < n && i <= SOURCE_MAX_DEPTH; i++)
		if (same_file(files[i], file))
			loop = i;
	if (loop < 0 && n < SOURCE_MAX_DEPTH)
		return 0;
	for (int i = (n > SOURCE_MAX_DEPTH ? SOURCE_MAX_DEPTH : n) - 1; i >= 0;
	     i--)
		buf_printf(&chain, "%s sources ", files[i]);
	buf_printf(&chain, "%s", file);
	if (loop >= 0)
		sh_error(s, "source loops: %s", buf_str(&chain));
	else
		sh_error(s, "source nested more than %d deep: %s",
			 SOURCE_MAX_DEPTH, buf_str(&chain));
	buf_free(&chain);
	return -1;
}

static int
exec_source(struct session *s, int argc, char **argv)
{
	struct lesson l;
	struct lesson_lang lang = cmd_lang(s);
	char err[512];

	if (play_running(s) && refuse_nesting(s, argv[1]) < 0)
		return 1;
	if (lesson_load_script(argv[1], &lang, &l, err, sizeof err) < 0) {
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
