/*
 * output.c: what weft prints. Commands append their lines to the
 * session's output, which the main loop flushes to stdout (above the
 * prompt when one is shown); errors go to stderr after it.
 *
 * Writing to weft's stdout and stderr must not make it deaf. A blocking
 * write() to a pipe whose reader has stopped reading waits until the
 * reader drains it, and the main thread, waiting there, serves no signal:
 * SIGTERM would do nothing for as long as the reader dawdles. So weft
 * waits for room in poll(), beside a signalfd of the signals that end it,
 * and then writes no more than the pipe is sure to take at once (PIPE_BUF
 * bytes: poll's "writable" promises at least that much room).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "event.h"
#include "output.h"
#include "render.h"
#include "session.h"

/* Milliseconds until DEADLINE for poll(): -1 when there is none. */
static int
ms_until(uint64_t deadline)
{
	uint64_t now;

	if (deadline == 0)
		return -1;
	now = ev_now();
	if (now >= deadline)
		return 0;
	return (int)((deadline - now + 999999) / 1000000);
}

/* Waits until FD can take a write. Returns 0, or EINTR (ENDFD became
 * readable first) or ETIMEDOUT. */
static int
wait_room(int fd, int endfd, uint64_t deadline)
{
	for (;;) {
		struct pollfd p[2] = { { fd, POLLOUT, 0 },
				       { endfd, POLLIN, 0 } };
		int n = poll(p, endfd >= 0 ? 2 : 1, ms_until(deadline));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return 0; /* let write() say what is wrong */
		if (p[0].revents != 0)
			return 0; /* room, or an error write() will tell */
		if (n > 0)
			return EINTR;
		return ETIMEDOUT;
	}
}

/* Is FD (0, 1 or 2) a regular file or /dev/null? poll() says at once
 * that either can take a write, so asking it is a wasted system call at
 * every line. Looked at once for each of the three: weft never points
 * them elsewhere. */
static bool
always_room(int fd)
{
	static signed char known[3] = { -1, -1, -1 };
	struct stat st, null;

	if (fd < 0 || fd > 2)
		return false;
	if (known[fd] < 0)
		known[fd] = fstat(fd, &st) == 0 &&
			    (S_ISREG(st.st_mode) ||
			     (S_ISCHR(st.st_mode) &&
			      stat("/dev/null", &null) == 0 &&
			      S_ISCHR(null.st_mode) &&
			      st.st_rdev == null.st_rdev));
	return known[fd] > 0;
}

size_t
out_write(int fd, const void *p, size_t len, int endfd, uint64_t deadline,
	  int *err)
{
	const char *at = p;
	size_t done = 0;
	bool room = always_room(fd);

	*err = 0;
	while (done < len) {
		size_t n = len - done < PIPE_BUF ? len - done : PIPE_BUF;
		ssize_t w;
		if (!room && (*err = wait_room(fd, endfd, deadline)) != 0)
			break;
		w = write(fd, at + done, n);
		if (w < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (w <= 0) {
			*err = w < 0 ? errno : EIO;
			break;
		}
		done += (size_t)w;
	}
	return done;
}

/* The session's output */

void
sh_stamp(struct session *s, struct event *ev)
{
	ev->h.t_ns = ev_now();
	ev->h.step = atomic_load(&s->shm->count_steps)
			     ? atomic_load(&s->shm->stepno)
			     : 0;
}

void
sh_printf(struct session *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&s->out, fmt, ap);
	va_end(ap);
}

void
sh_note(struct session *s, const char *fmt, ...)
{
	struct event ev = { .h = { .type = EV_STEP } };
	struct buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	sh_stamp(s, &ev);
	render_main(&s->ro, s->t0, &ev, b.data, b.len, &s->out);
	buf_free(&b);
}

/* Nobody reads weft's output any more: like a pipeline's writer, leave
 * (after stopping every worker), with the status of SIGPIPE. Any other
 * failure (a full disk, a closed stdout) is said, and weft leaves with
 * status 1, as a tool whose output is lost has failed. Leaving is the
 * session's: it is asked through S->out_lost. */
static void
output_failed(struct session *s, int err)
{
	char msg[160];
	int n;

	s->out_closed = true;
	if (err == EPIPE) {
		s->out_lost(s, SIGPIPE);
		return;
	}
	n = snprintf(msg, sizeof msg, "weft: cannot write the output: %s\n",
		     strerror(err));
	if (write(STDERR_FILENO, msg, (size_t)n) < 0) {
		/* nowhere left to say it */
	}
	s->out_failed = true;
	s->out_lost(s, 0);
}

/* Writes LEN bytes of P to FD. Leaving on a signal, weft gives a reader
 * that stopped reading a moment, no more, before dropping what is left.
 * Returns what out_write returns. */
static size_t
write_std(struct session *s, int fd, const char *p, size_t len, int *err)
{
	return out_write(fd, p, len, s->endfd, s->out_grace, err);
}

void
sh_flush(struct session *s)
{
	size_t done;
	int err;

	if (s->out.len == 0 || s->capture)
		return;
	if (s->out_closed) {
		buf_reset(&s->out);
		return;
	}
	if (s->fe != NULL && s->prompt_shown) {
		s->fe->print(s, s->out.data, s->out.len);
		buf_reset(&s->out);
		return;
	}
	done = write_std(s, STDOUT_FILENO, s->out.data, s->out.len, &err);
	if (err == EINTR) {
		/* A signal to serve first; the rest waits for later. */
		memmove(s->out.data, s->out.data + done, s->out.len - done);
		s->out.len -= done;
		return;
	}
	buf_reset(&s->out);
	if (err == ETIMEDOUT)
		s->out_closed = true; /* leaving, and nobody reads */
	else if (err != 0)
		output_failed(s, err);
}

void
sh_progress(struct session *s, const char *line)
{
	if (s->fe == NULL || s->prompt_shown || s->capture || s->out_closed)
		return;
	sh_flush(s);
	/* Back to the line's start, the text, and the rest of it erased. */
	buf_printf(&s->out, "\r%s\033[K", line != NULL ? line : "");
	sh_flush(s);
}

/* Writes error line B (with its newline) where sh_error writes. */
static void
error_out(struct session *s, struct buf *b)
{
	int err;

	if (s->capture) {
		buf_add(&s->err, b->data, b->len);
		return;
	}
	sh_flush(s);
	if (s->fe != NULL && s->prompt_shown)
		s->fe->print(s, b->data, b->len);
	else
		write_std(s, STDERR_FILENO, b->data, b->len, &err);
}

void
sh_error_text(struct session *s, const char *line)
{
	struct buf b = { 0 };

	buf_add_visible(&b, line, strlen(line));
	buf_puts(&b, "\n");
	error_out(s, &b);
	buf_free(&b);
}

void
sh_error(struct session *s, const char *fmt, ...)
{
	struct buf b = { 0 }, msg = { 0 };
	va_list ap;

	/* Line 0: typed by the learner (in a lesson too): no FILE:LINE. */
	if (s->src_name != NULL && s->src_line > 0)
		buf_printf(&b, "%s:%u: ", s->src_name, s->src_line);
	buf_puts(&b, "error: ");
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	/* Errors quote what was typed or read: no control character in it
	 * may reach the terminal. */
	buf_add_visible(&b, msg.data, msg.len);
	buf_free(&msg);
	buf_puts(&b, "\n");
	error_out(s, &b);
	buf_free(&b);
}
