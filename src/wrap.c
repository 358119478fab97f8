/*
 * wrap.c: fitting text to the terminal. Long lines cut by the terminal at
 * its edge split words in two, which a beginner reading help should not
 * have to piece together, so text is broken at spaces instead, the lines
 * after the first indented under where the text began (a hanging indent,
 * as in a two-column list). The width is the terminal's, asked each time
 * so that a resized window is followed; with no terminal it is $COLUMNS
 * or 80, so that piped output and the tests are the same everywhere.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "wrap.h"

#define WRAP_MIN_TEXT 30 /* columns a hanging indent must leave */

int
wrap_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");

	if (isatty(STDOUT_FILENO) &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (cols != NULL && atoi(cols) >= 20 && atoi(cols) <= 1000)
		return atoi(cols);
	return 80;
}

/* The columns N bytes of UTF-8 at P take: one per character. */
static int
columns(const char *p, size_t n)
{
	int c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)p[i] & 0xc0) != 0x80;
	return c;
}

static void
spaces(struct buf *out, int n)
{
	for (int i = 0; i < n; i++)
		buf_add(out, " ", 1);
}

void
wrap_line(struct buf *out, const char *line, size_t len, int width, int indent)
{
	size_t i = 0;
	int col = 0;
	bool start = true; /* nothing on this output line yet but indent */

	/* A hanging indent that leaves a narrow column makes a tall ribbon
	 * of short lines: go on near the left instead. */
	if (width > 0 && indent > 4 && width - indent < WRAP_MIN_TEXT)
		indent = 4;
	while (i < len) {
		size_t gap = i, word;
		while (i < len && line[i] == ' ')
			i++;
		word = i;
		while (i < len && line[i] != ' ')
			i++;
		if (word == i) /* spaces at the end: dropped */
			break;
		int g = (int)(word - gap), w = columns(line + word, i - word);
		if (width > 0 && !start && col + g + w > width) {
			buf_add(out, "\n", 1);
			spaces(out, indent);
			col = indent;
			g = 0;
		}
		buf_add(out, line + gap, (size_t)g);
		buf_add(out, line + word, i - word);
		col += g + w;
		start = false;
	}
	buf_add(out, "\n", 1);
}
