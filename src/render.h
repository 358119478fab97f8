/* render.h: the text of trace lines. */
#ifndef WEFT_RENDER_H
#define WEFT_RENDER_H

#include <stdint.h>

#include "buf.h"
#include "event.h"
#include "session.h"
#include "worker.h"

/* Appends the trace line for EV (TEXT/LEN for output lines) about worker W,
 * or about the main thread when W is NULL, to OUT, newline included. T0 is
 * the session's start on the event clock. */
void render_event(const struct render_opts *ro, uint64_t t0,
		  const struct worker *w, const struct event *ev,
		  const char *text, size_t len, struct buf *out);

/* Appends a line of the main thread, "main: TEXT" (LEN bytes), with the
 * bracket of EV, to OUT, newline included. */
void render_main(const struct render_opts *ro, uint64_t t0,
		 const struct event *ev, const char *text, size_t len,
		 struct buf *out);

/* Appends the line of a step of W that ran instruction PC (an EV_STEP, or
 * an EV_OUTPUT flagged EV_F_STEP: then only its statement is shown). */
void render_step(const struct render_opts *ro, uint64_t t0,
		 const struct worker *w, const struct event *ev, int pc,
		 struct buf *out);

#endif
