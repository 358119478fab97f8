/*
 * cmd-help.c: help [COMMAND|TOPIC]: the command list, one command's usage,
 * or a topic beyond the commands (a statement of the task language and
 * its steps, expressions, the Python bridge, nodes, an exercise's prompt
 * words).
 * The words come from the command table and help-topics.c; this file only
 * lays them out, wrapped at spaces to the terminal's width (80 columns, or
 * $COLUMNS, with no terminal). A name that is both a command and a statement
 * (sleep, exit) shows both, the command first.
 */
#include "config.h"

#include <string.h>

#include "cmd.h"
#include "help-topics.h"
#include "suggest.h"
#include "wrap.h"

/* Where a wrapped LINE (N bytes) goes on: under its second column (after
 * its last gap of two spaces or more), or under its own start. */
static int
hang(const char *line, size_t n)
{
	size_t lead = 0, at = 0;

	while (lead < n && line[lead] == ' ')
		lead++;
	for (size_t i = lead; i + 1 < n; i++)
		if (line[i] == ' ' && line[i + 1] == ' ') {
			while (i < n && line[i] == ' ')
				i++;
			at = i;
		}
	return (int)(at > 0 ? at : lead);
}

/* Prints TEXT, each line wrapped to the terminal at spaces. */
static void
emit(struct session *s, struct buf *text)
{
	const char *p = buf_str(text), *nl;
	int width = wrap_width();
	struct buf out = { 0 };

	for (; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		wrap_line(&out, p, (size_t)(nl - p), width,
			  hang(p, (size_t)(nl - p)));
		if (*nl == '\0')
			break;
	}
	sh_printf(s, "%s", buf_str(&out));
	buf_free(&out);
}

/* Every command's usage and summary, in two columns, then where to look
 * for the rest. */
static void
list_commands(struct buf *out)
{
	int width = 0;

	for (size_t i = 0; i < cmd_count(); i++) {
		int n = (int)strlen(cmd_at(i)->usage);
		width = n > width ? n : width;
	}
	for (size_t i = 0; i < cmd_count(); i++)
		buf_printf(out, "%-*s  %s\n", width, cmd_at(i)->usage,
			   cmd_at(i)->summary);
	buf_puts(out, "\nmore: help statements (the task language and its "
		      "steps), help expressions, help python (the tutorial's "
		      "lines), help nodes (workers on other computers), help "
		      "exercises (skip, hint, again)\n");
}

static void
show_command(struct buf *out, const struct cmd_entry *c)
{
	buf_printf(out, "usage: %s\n%s\n", c->usage, c->summary);
	if (c->alias != NULL)
		buf_printf(out, "also: %s\n", c->alias);
	buf_printf(out, "example: %s\n", c->example);
}

/* The topics of kind K, one a line: usage, steps (for statements) and
 * summary. */
static void
list_topics(struct buf *out, enum help_kind k)
{
	int width = 0, swidth = 0;

	for (size_t i = 0; i < help_topic_count(); i++) {
		const struct help_topic *t = help_topic_at(i);
		if (t->kind != k)
			continue;
		int n = (int)strlen(t->usage);
		int m = t->steps ? (int)strlen(t->steps) : 0;
		width = n > width ? n : width;
		swidth = m > swidth ? m : swidth;
	}
	for (size_t i = 0; i < help_topic_count(); i++) {
		const struct help_topic *t = help_topic_at(i);
		if (t->kind != k)
			continue;
		buf_printf(out, "  %-*s  ", width, t->usage);
		if (k == HELP_STATEMENT)
			buf_printf(out, "%-*s  ", swidth, t->steps);
		buf_printf(out, "%s\n", t->summary);
	}
}

static void
show_topic(struct buf *out, const struct help_topic *t)
{
	switch (t->kind) {
	case HELP_STATEMENT:
		buf_printf(out, "statement: %s\n%s\nsteps: %s\n", t->usage,
			   t->summary, t->steps);
		break;
	case HELP_PROMPT:
		buf_printf(out, "at an exercise's prompt: %s\n%s\n", t->usage,
			   t->summary);
		break;
	case HELP_INDEX:
		buf_printf(out, "%s\n", t->summary);
		list_topics(out, t->lists);
		break;
	default: buf_printf(out, "%s\n", t->summary); break;
	}
	if (t->text != NULL)
		buf_printf(out, "%s\n", t->text);
	if (t->example != NULL)
		buf_printf(out, "example: %s\n", t->example);
}

/* Offers each space-separated word of LIST to SG. */
static void
offer_words(struct suggest *sg, const char *list, char (*words)[32], size_t *n,
	    size_t max)
{
	while (list != NULL && *list != '\0' && *n < max) {
		size_t w = strcspn(list, " ");
		if (w < sizeof words[0]) {
			memcpy(words[*n], list, w);
			words[*n][w] = '\0';
			suggest_offer(sg, words[(*n)++]);
		}
		list += w + (list[w] == ' ');
	}
}

/* Says there is no help for NAME, with the command or topic it may have
 * meant. */
static void
unknown(struct session *s, const char *name)
{
	struct suggest sg;
	char words[64][32];
	size_t n = 0;
	const char *best;

	suggest_begin(&sg, name);
	for (size_t i = 0; i < cmd_count(); i++) {
		suggest_offer(&sg, cmd_at(i)->name);
		if (cmd_at(i)->alias != NULL)
			suggest_offer(&sg, cmd_at(i)->alias);
	}
	for (size_t i = 0; i < help_topic_count(); i++) {
		suggest_offer(&sg, help_topic_at(i)->name);
		offer_words(&sg, help_topic_at(i)->also, words, &n, 64);
	}
	if ((best = suggest_result(&sg)) != NULL)
		sh_error(s, "no help for '%s'; did you mean '%s'?", name, best);
	else
		sh_error(s, "no help for '%s' (try 'help')", name);
}

static int
exec_help(struct session *s, int argc, char **argv)
{
	const struct cmd_entry *c = argc > 1 ? cmd_find(argv[1]) : NULL;
	const struct help_topic *t = argc > 1 ? help_topic_find(argv[1]) : NULL;
	struct buf out = { 0 };

	if (argc > 1 && c == NULL && t == NULL) {
		unknown(s, argv[1]);
		return 1;
	}
	if (argc == 1)
		list_commands(&out);
	if (c != NULL)
		show_command(&out, c);
	if (c != NULL && t != NULL && t->kind != HELP_NOTE)
		buf_puts(&out, "\n");
	if (t != NULL && t->kind == HELP_NOTE)
		buf_printf(&out, "%s\n", t->text);
	else if (t != NULL)
		show_topic(&out, t);
	emit(s, &out);
	buf_free(&out);
	return 0;
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.min_args = 0,
	.max_args = 1,
	.usage = "help [COMMAND|TOPIC]",
	.summary = "list the commands, or explain one command or topic (help "
		   "statements, help python)",
	.example = "help incr",
	.words = "h",
	.exec = exec_help,
};
