/* gather.h: a task definition gathered line by line until its braces
 * close, and where a Python block ends: one gatherer for the shell's
 * input and for lessons. */
#ifndef WEFT_GATHER_H
#define WEFT_GATHER_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct gather {
	struct buf text; /* the definition so far, its lines joined by '\n' */
	unsigned first;	 /* the line it began on */
	bool lost;	 /* a line of it was refused: it is dropped whole */
};

/* Is a definition being gathered (begun, not yet closed)? */
bool gather_open(const struct gather *g);

/* Adds LINE (LEN bytes, no newline) to G, as its first line (numbered
 * LINENO) when G is empty. Returns 0 while the definition is open, or
 * the length of the whole definition at the start of G->text once it
 * is closed; what followed it (on its last line) comes after that. */
size_t gather_add(struct gather *g, const char *line, size_t len,
		  unsigned lineno);

/* Forgets what G holds, to gather the next definition. */
void gather_reset(struct gather *g);

/* Frees what G holds. */
void gather_free(struct gather *g);

/* Does LINE (LEN bytes) go on a Python block rather than begin a new
 * statement: is it blank or indented, an else, elif, except or finally,
 * or a closing bracket? */
bool gather_goes_on(const char *line, size_t len);

#endif
