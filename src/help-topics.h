/* help-topics.h: the help that is not about a command: the statements of
 * task bodies, expressions, the Python bridge's lines, nodes and the
 * words an exercise's prompt takes. Text only; cmd-help.c shows it. */
#ifndef WEFT_HELP_TOPICS_H
#define WEFT_HELP_TOPICS_H

#include <stddef.h>

enum help_kind {
	HELP_STATEMENT, /* a statement of a task body */
	HELP_PROMPT,	/* a word of an exercise's prompt */
	HELP_GUIDE,	/* a subject of its own (expressions, python, nodes) */
	HELP_INDEX,	/* a list of the topics of kind .lists */
	HELP_NOTE,	/* more about the command of the same name */
};

struct help_topic {
	const char *name;
	const char *also; /* other names that find it, space-separated */
	enum help_kind kind;
	enum help_kind lists; /* HELP_INDEX: which kind it lists */
	const char *usage;    /* how it is written */
	const char *steps;    /* HELP_STATEMENT: how many steps it takes */
	const char *summary;  /* one line */
	/* More, one line per '\n'. A line with a gap of two spaces is two
	 * columns: wrapped, it goes on under the second. */
	const char *text;
	const char *example;
};

/* Returns the topic called NAME (or so in its also list), or NULL. */
const struct help_topic *help_topic_find(const char *name);
/* Returns the number of topics and topic I in table order. */
size_t help_topic_count(void);
const struct help_topic *help_topic_at(size_t i);

#endif
