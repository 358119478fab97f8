/* trace.h: the trace kept in memory, event by event, for `timeline` and
 * `export` (Chrome trace-event JSON, which Perfetto opens). */
#ifndef WEFT_TRACE_H
#define WEFT_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "event.h"

struct registry;

#define TRACE_MAX_RECS 200000		   /* events kept */
#define TRACE_MAX_TEXT (16u * 1024 * 1024) /* bytes of their text */
#define TRACE_SESSION UINT32_MAX	   /* "worker" of session notes */

/* A time in the trace's pictures: milliseconds since the session began,
 * to the microsecond, right-aligned in TRACE_MS_WIDTH columns ("      4.101"
 * up to 9999999.999 ms, some 2.7 hours; wider past it). */
#define TRACE_MS_WIDTH 11
#define TRACE_MS_MAX 24 /* bytes that hold any time, NUL included */

/* One event kept. B, of an EV_SYNC_WAKE: the id of the first worker it
 * woke + 1 (0: none), and bits 32 up, how many it woke. */
struct trace_rec {
	uint16_t type;	 /* an ev_type */
	uint32_t worker; /* id, or TRACE_SESSION (a deadlock) */
	uint64_t t_ns, step;
	int64_t a;	 /* exit code, signal, lock, object */
	int64_t b;	 /* whom a wake woke */
	uint32_t ticket; /* a wake's first, a wake-up's, a value's (sync.h) */
	size_t off, len; /* its text in the trace's text */
};

/* What one worker did in the events the trace no longer keeps. */
struct trace_sum {
	uint32_t worker;
	uint64_t lines, others; /* output lines, and other events */
	uint64_t t_start;	/* its "started", or 0 when that is kept */
};

struct trace {
	struct trace_rec *v;
	size_t n, cap;
	struct buf text;
	/* The oldest events, forgotten to make room, summed up. */
	uint64_t summarised;	     /* how many */
	uint64_t sum_t_ns, sum_step; /* the time and step of the last */
	struct trace_sum *sums;	     /* by worker, in order of first */
	size_t nsums;
	bool paused; /* explore's runs: nothing is kept */
};

/* Keeps EV of WORKER, with TEXT (LEN bytes). When the trace is full (more
 * than TRACE_MAX_RECS events or TRACE_MAX_TEXT bytes of text), its oldest
 * quarter is forgotten first, and summed up in T->sums. A single text
 * longer than a quarter of TRACE_MAX_TEXT keeps only its first quarter. */
void trace_add(struct trace *t, uint32_t worker, const struct event *ev,
	       const char *text, size_t len);
/* Forgets every event. */
void trace_clear(struct trace *t);

/* Writes the NS nanoseconds since the session began into DST (TRACE_MS_MAX
 * bytes) as milliseconds with three decimals, right-aligned in
 * TRACE_MS_WIDTH columns, and returns the length written. */
size_t trace_ms(char *dst, uint64_t ns);

struct timeline_opts {
	int width;   /* of the terminal */
	bool steps;  /* the left column is the step number, not the time */
	uint64_t t0; /* the session's start */
	const uint32_t *only; /* when NONLY > 0: these workers only */
	size_t nonly;
};

/* Appends the trace as columns, one per worker, to OUT. */
void trace_timeline(const struct trace *t, const struct registry *r,
		    const struct timeline_opts *o, struct buf *out);

/* Writes the trace to F as Chrome trace-event JSON. Returns 0, or -1 when
 * writing failed. */
int trace_export(const struct trace *t, const struct registry *r, uint64_t t0,
		 FILE *f);

/* Appends TEXT (LEN bytes) as a JSON string, quotes included: control
 * characters escaped, invalid UTF-8 replaced by U+FFFD. */
void json_string(const char *text, size_t len, struct buf *out);

#endif
