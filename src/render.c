/*
 * render.c: how trace events read. One event is one line, after the
 * milliseconds since the session began, to the microsecond:
 *   [      0.412] t1 | 1
 *   [      0.415] t1: started (thread, tid 4242, cpu 1)
 *   [      1.010] main: joined p1
 * On a terminal each worker's name has its own colour, lifecycle events
 * are dim and a deadlock is bold red, so it stands out. A worker's text
 * never carries control characters to the screen: they are shown in caret
 * notation (^[), so one event stays one line.
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "render.h"

#define SGR_DIM "\033[2m"
#define SGR_ALERT "\033[1;31m" /* bold red */
#define SGR_RESET "\033[0m"

static const char *const palette[] = {
	"\033[36m", "\033[33m", "\033[35m", "\033[32m", "\033[34m", "\033[31m",
	"\033[96m", "\033[93m", "\033[95m", "\033[92m", "\033[94m", "\033[91m",
};

static void
stamp(const struct render_opts *ro, uint64_t t0, const struct event *ev,
      struct buf *out)
{
	char ms[TRACE_MS_MAX + 3];
	size_t n;

	if (!ro->time)
		return;
	if (ro->steps) {
		buf_printf(out, "[#%04llu] ", (unsigned long long)ev->h.step);
		return;
	}
	/* Microseconds, not milliseconds: a burst's lines differ. */
	ms[0] = '[';
	n = 1 + trace_ms(ms + 1, ev->h.t_ns > t0 ? ev->h.t_ns - t0 : 0);
	ms[n++] = ']';
	ms[n++] = ' ';
	buf_add(out, ms, n);
}

static void
render_name(const struct render_opts *ro, const struct worker *w,
	    struct buf *out)
{
	const char *name = w ? w->name : "main";

	if (!ro->color) {
		buf_puts(out, name);
		return;
	}
	buf_puts(out, w ? palette[w->color % 12] : "\033[1m");
	buf_puts(out, name);
	buf_puts(out, SGR_RESET);
}

static void
lifecycle(const struct render_opts *ro, const struct worker *w,
	  const struct event *ev, struct buf *out)
{
	int sig = (int)ev->h.a;

	switch (ev->h.type) {
	case EV_STARTED:
		if (ro->steps) { /* nothing that differs from run to run */
			buf_printf(out, "started (%s)",
				   worker_kind_name(w->kind));
			break;
		}
		if (w->kind == WORKER_NODE) {
			buf_printf(out, "started (node, host ");
			buf_add_visible(out, ev->text, ev->h.len);
			buf_printf(out, ", rank %lld, pid %lld)",
				   (long long)ev->h.b, (long long)ev->h.a);
			break;
		}
		buf_printf(out, "started (%s, %s %lld, cpu %lld)",
			   worker_kind_name(w->kind),
			   w->kind == WORKER_THREAD ? "tid" : "pid",
			   (long long)ev->h.a, (long long)ev->h.b);
		break;
	case EV_EXIT:
		buf_printf(out, "finished (exit %lld)", (long long)ev->h.a);
		break;
	case EV_SIGNAL:
		buf_printf(out, "killed by signal %d (%s)", sig,
			   strsignal(sig));
		break;
	case EV_CANCEL:
		buf_puts(out, w->kind == WORKER_NODE && ev->h.a == 1
				      ? "killed (its process ended)"
				      : "killed (cancelled)");
		break;
	case EV_STOPPED:
		buf_printf(out, "stopped by signal %d (%s)", sig,
			   strsignal(sig));
		break;
	case EV_CONTINUED: buf_puts(out, "continued"); break;
	case EV_IGNORED:
		buf_printf(out, "signal %d (%s) ignored", sig, strsignal(sig));
		break;
	case EV_LOCK_WAIT:
	case EV_SYNC_WAIT:
	case EV_SYNC_WAKE: buf_add(out, ev->text, ev->h.len); break;
	case EV_FAIL:
		buf_puts(out, "failed (");
		buf_add_visible(out, ev->text, ev->h.len);
		buf_puts(out, ")");
		break;
	default: buf_printf(out, "event %u", (unsigned)ev->h.type); break;
	}
}

void
render_event(const struct render_opts *ro, uint64_t t0, const struct worker *w,
	     const struct event *ev, const char *text, size_t len,
	     struct buf *out)
{
	bool dim = ro->color && ev->h.type != EV_OUTPUT;

	stamp(ro, t0, ev, out);
	if (w == NULL) { /* a note of the whole session: deadlock */
		/* The one line a class must not miss: bold red, not dim. */
		buf_puts(out, ro->color ? SGR_ALERT : "");
		buf_add_visible(out, text, len);
		buf_puts(out, ro->color ? SGR_RESET "\n" : "\n");
		return;
	}
	if (ev->h.type == EV_JOINED) {
		render_name(ro, NULL, out);
		buf_printf(out, "%s: joined %s%s\n", dim ? SGR_DIM : "",
			   w->name, dim ? SGR_RESET : "");
		return;
	}
	render_name(ro, w, out);
	if (ev->h.type == EV_OUTPUT) {
		buf_puts(out, " | ");
		buf_add_visible(out, text, len);
		buf_puts(out, "\n");
		return;
	}
	buf_puts(out, dim ? ": " SGR_DIM : ": ");
	lifecycle(ro, w, ev, out);
	buf_puts(out, dim ? SGR_RESET "\n" : "\n");
}

void
render_main(const struct render_opts *ro, uint64_t t0, const struct event *ev,
	    const char *text, size_t len, struct buf *out)
{
	stamp(ro, t0, ev, out);
	render_name(ro, NULL, out);
	buf_puts(out, ro->color ? SGR_DIM ": " : ": ");
	buf_add_visible(out, text, len);
	buf_puts(out, ro->color ? SGR_RESET "\n" : "\n");
}

/* What a step saw, after its statement: "(read x = 0)". */
static void
step_seen(const struct op *op, const struct event *ev, struct buf *out)
{
	const struct stmt *st = op->s;
	long long v = (long long)ev->h.b;
	bool done = ev->h.flags & EV_F_DONE;

	if (!(ev->h.flags & EV_F_VALUE) && !done)
		return;
	switch (op->code) {
	case I_READ: buf_printf(out, " (read %s = %lld)", st->name, v); break;
	case I_COMPUTE: buf_printf(out, " (compute %lld)", v); break;
	case I_WRITE:
	case I_ASSIGN:
		buf_printf(out, " (write %s = %lld)", st->name, v);
		break;
	case I_TEST:
	case I_ASSERT: buf_puts(out, v ? " (true)" : " (false)"); break;
	case I_FOR_INIT:
	case I_FOR_NEXT:
		if (done)
			buf_puts(out, " (done)");
		else
			buf_printf(out, " (%s = %lld)", st->name, v);
		break;
	case I_WORDS_INIT:
	case I_WORDS_NEXT:
		if (done || v < 0 || (size_t)v >= st->nwords)
			buf_puts(out, " (done)");
		else
			buf_printf(out, " (%s = %s)", st->name, st->words[v]);
		break;
	case I_REPEAT_INIT:
	case I_REPEAT_NEXT:
		if (done)
			buf_puts(out, " (done)");
		else
			buf_printf(out, " (%lld to go)", v);
		break;
	case I_SYNC:
		if (st->kind == ST_GET)
			buf_printf(out, " (got %lld)", v);
		else if (v >= 1 && v <= 3)
			buf_puts(out, v == 1   ? " (1 of 3: lock let go, waits)"
				      : v == 2 ? " (2 of 3: notified)"
					       : " (3 of 3: lock taken again)");
		break;
	default: break;
	}
}

void
render_step(const struct render_opts *ro, uint64_t t0, const struct worker *w,
	    const struct event *ev, int pc, struct buf *out)
{
	const struct program *p = w->in.prog;
	const struct op *op;

	stamp(ro, t0, ev, out);
	render_name(ro, w, out);
	buf_puts(out, ro->color ? " " SGR_DIM "> " : " > ");
	if (ev->h.type == EV_STEP && ev->h.len > 0) {
		buf_add_visible(out, ev->text, ev->h.len); /* a body's line */
	} else if (p == NULL || pc < 0 || (size_t)pc >= p->n) {
		buf_printf(out, "step %d", pc);
	} else {
		op = &p->ops[pc];
		stmt_format(op->s, out);
		step_seen(op, ev, out);
	}
	buf_puts(out, ro->color ? SGR_RESET "\n" : "\n");
}
