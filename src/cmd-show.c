/* cmd-show.c: show task NAME: a task's code, in canonical form. */
#include "config.h"

#include <string.h>

#include "cmd.h"

static int
exec_show(struct session *s, int argc, char **argv)
{
	struct task *t;
	struct buf b = { 0 };

	if (strcmp(argv[1], "task") != 0) {
		sh_error(s, "cannot show '%s' (try: show task NAME)", argv[1]);
		return 1;
	}
	if ((t = tasks_find(&s->tasks, argv[2])) == NULL) {
		cmd_no_such(s, 't', argv[2]);
		return 1;
	}
	task_format(t->def, &b);
	sh_printf(s, "%s", buf_str(&b));
	buf_free(&b);
	return 0;
}

const struct cmd_entry cmd_show_entry = {
	.name = "show",
	.min_args = 2,
	.max_args = 2,
	.usage = "show task NAME",
	.summary = "print a task's code",
	.example = "show task print_numbers",
	.words = "st",
	.exec = exec_show,
};
