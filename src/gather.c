/*
 * gather.c: a task definition gathered over as many lines as it takes (see
 * gather.h). Where it ends is the task language's to say (parse_task_end:
 * braces, strings and comments); the shell and the lesson parser both
 * gather through here, so a definition reads the same typed, sourced or
 * played. A Python block's lines are told here too, for the same reason.
 */
#include "config.h"

#include <string.h>

#include "ast.h"
#include "gather.h"

bool
gather_open(const struct gather *g)
{
	return g->text.len > 0;
}

size_t
gather_add(struct gather *g, const char *line, size_t len, unsigned lineno)
{
	if (g->text.len == 0)
		g->first = lineno;
	else
		buf_add(&g->text, "\n", 1);
	buf_add(&g->text, line, len);
	return parse_task_end(g->text.data, g->text.len);
}

void
gather_reset(struct gather *g)
{
	buf_reset(&g->text);
	g->first = 0;
	g->lost = false;
}

void
gather_free(struct gather *g)
{
	buf_free(&g->text);
	g->first = 0;
	g->lost = false;
}

bool
gather_goes_on(const char *line, size_t len)
{
	static const char *const more[] = { "else", "elif", "except",
					    "finally" };

	if (len == 0 || line[0] == ' ' || line[0] == '\t' || line[0] == ')' ||
	    line[0] == ']' || line[0] == '}')
		return true;
	for (size_t k = 0; k < sizeof more / sizeof more[0]; k++) {
		size_t n = strlen(more[k]);
		if (len >= n && memcmp(line, more[k], n) == 0 &&
		    (len == n || line[n] == ':' || line[n] == ' '))
			return true;
	}
	return false;
}
