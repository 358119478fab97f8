/* expect.h: whether a lesson's expectation holds in the session now. */
#ifndef WEFT_EXPECT_H
#define WEFT_EXPECT_H

#include <stdbool.h>

#include "buf.h"
#include "lesson.h"

struct session;

/* Checks X against S now: true when it holds. SEEN gets what was seen
 * ("output of t1 is \"1 2\"") either way. */
bool expect_holds(struct session *s, const struct expect *x, struct buf *seen);

#endif
