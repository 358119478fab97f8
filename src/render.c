/*
 * render.c: how trace events read. One event is one line:
 *   [   0.412] t1 | 1
 *   [   0.415] t1: started (thread, tid 4242, cpu 1)
 *   [   1.010] main: joined p1
 * On a terminal each worker's name has its own colour and lifecycle events
 * are dim. A worker's text never carries control characters to the screen:
 * they are shown in caret notation (^[), so one event stays one line.
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "render.h"

#define SGR_DIM "\033[2m"
#define SGR_RESET "\033[0m"

static const char *const palette[] = {
	"\033[36m", "\033[33m", "\033[35m", "\033[32m", "\033[34m", "\033[31m",
	"\033[96m", "\033[93m", "\033[95m", "\033[92m", "\033[94m", "\033[91m",
};

static void
stamp(const struct render_opts *ro, uint64_t t0, const struct event *ev,
      struct buf *out)
{
	int64_t d = (int64_t)(ev->h.t_ns - t0);

	if (!ro->time)
		return;
	if (d < 0)
		d = 0;
	buf_printf(out, "[%4lld.%03lld] ", (long long)(d / 1000000000),
		   (long long)(d / 1000000 % 1000));
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
add_text(struct buf *out, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *q = p;
		while (q < end && ((unsigned char)*q >= 0x20 || *q == '\t') &&
		       *q != 0x7f)
			q++;
		buf_add(out, p, (size_t)(q - p));
		if (q < end) {
			char caret[2] = { '^',
					  (char)(*q == 0x7f ? '?' : *q + '@') };
			buf_add(out, caret, 2);
			q++;
		}
		p = q;
	}
}

static void
lifecycle(const struct worker *w, const struct event *ev, struct buf *out)
{
	int sig = (int)ev->h.a;

	switch (ev->h.type) {
	case EV_STARTED:
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
	case EV_CANCEL: buf_puts(out, "killed (cancelled)"); break;
	case EV_FAIL:
		buf_puts(out, "failed (");
		add_text(out, ev->text, ev->h.len);
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
	if (ev->h.type == EV_JOINED) {
		render_name(ro, NULL, out);
		buf_printf(out, "%s: joined %s%s\n", dim ? SGR_DIM : "",
			   w->name, dim ? SGR_RESET : "");
		return;
	}
	render_name(ro, w, out);
	if (ev->h.type == EV_OUTPUT) {
		buf_puts(out, " | ");
		add_text(out, text, len);
		buf_puts(out, "\n");
		return;
	}
	buf_puts(out, dim ? ": " SGR_DIM : ": ");
	lifecycle(w, ev, out);
	buf_puts(out, dim ? SGR_RESET "\n" : "\n");
}
