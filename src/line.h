/* line.h: the readline front end (the only user of readline). */
#ifndef WEFT_LINE_H
#define WEFT_LINE_H

#include "session.h"

/* Sets up readline for S (history, completion, signals left to weft) and
 * returns the front end that the main loop drives. */
const struct frontend *line_init(struct session *s);

#endif
