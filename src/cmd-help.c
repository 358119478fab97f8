/* cmd-help.c: help [COMMAND]: the command list, or one command's usage,
 * all taken from the command table. */
#include "config.h"

#include "cmd.h"

static int
exec_help(struct session *s, int argc, char **argv)
{
	const struct cmd_entry *c;

	if (argc == 1) {
		for (size_t i = 0; i < cmd_count(); i++) {
			c = cmd_at(i);
			sh_printf(s, "%-40s %s\n", c->usage, c->summary);
		}
		return 0;
	}
	if ((c = cmd_find(argv[1])) == NULL) {
		sh_error(s, "no command named '%s' (try 'help')", argv[1]);
		return 1;
	}
	sh_printf(s, "usage: %s\n%s\n", c->usage, c->summary);
	if (c->alias != NULL)
		sh_printf(s, "also: %s\n", c->alias);
	sh_printf(s, "example: %s\n", c->example);
	return 0;
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.min_args = 0,
	.max_args = 1,
	.usage = "help [COMMAND]",
	.summary = "list the commands, or explain one",
	.example = "help join",
	.words = "c",
	.exec = exec_help,
};
