/* tracer.h: the tracer: applies each event to its worker and prints its
 * trace line above the prompt, and keeps it in the trace. */
#ifndef WEFT_TRACER_H
#define WEFT_TRACER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event;
struct session;
struct worker;

/* Applies one event to its worker, prints its trace line (as the trace
 * level says) and keeps it in the trace. */
void tracer_event(struct session *s, const struct event *ev);
/* Traces a note of TYPE about W (NULL: the whole session), TEXT, stamped
 * now. */
void tracer_note(struct session *s, struct worker *w, uint16_t type,
		 const char *text, size_t len);
/* Traces the records waiting in S's queue: as many as evq_drain delivers,
 * or (ALL) every record in the rings now. A corrupt stream is an internal
 * error: weft's status will be 1. */
void tracer_drain(struct session *s, bool all);
/* After a batch of events: asks the scheduler what the wait-for graph
 * shows now (sched_check), and traces each new lock wait (if not traced
 * already) and each deadlock, counted in S->deadlocks. */
void tracer_check(struct session *s);

#endif
