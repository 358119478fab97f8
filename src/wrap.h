/* wrap.h: text broken at spaces into lines that fit the terminal. */
#ifndef WEFT_WRAP_H
#define WEFT_WRAP_H

#include <stddef.h>

#include "buf.h"

/* Returns the width to fit output to: the terminal's when stdout is one,
 * else $COLUMNS (when from 20 to 1000), else 80. */
int wrap_width(void);

/* Appends LINE (LEN bytes, no newline) and a newline to OUT, broken at
 * spaces into lines of at most WIDTH columns, each after the first
 * beginning with INDENT spaces (4 when more would leave fewer than 30
 * columns); a word longer than a line is not cut. WIDTH <= 0: no breaks. */
void wrap_line(struct buf *out, const char *line, size_t len, int width,
	       int indent);

#endif
